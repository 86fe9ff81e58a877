"""The case detail screen says when a case is migrated history, and marks each name in it."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTreeWidget

from desk import services
from desk.casedoc_import import import_file
from tests.conftest import PINS
from tests.test_bypass_import import HOLE_DOCUMENT, document
from ui.case_detail import CaseDetailPanel


def test_the_detail_screen_marks_migrated_history(qtbot, store, policy, team, desk, language):
    ops = services.sign_in(store, policy, "O001", PINS["O001"])
    migrated = import_file(store, policy, ops, [HOLE_DOCUMENT()], migrated=True)[0].case_no
    own = import_file(store, policy, desk.actor, [document()])[0].case_no
    panel = CaseDetailPanel(desk)
    qtbot.addWidget(panel)
    banner = panel.findChild(QLabel, "detail_migrated")
    steps = panel.findChild(QTreeWidget, "detail_steps_list")

    panel.open_case(migrated)
    assert not banner.isHidden()
    assert f"Migrated history, imported by {team.ops.name}" in banner.text()
    # The first step names nobody (the importer's), the second the clerk: both history.
    assert steps.topLevelItem(0).text(2) == f"{team.ops.name} (migrated)"
    assert steps.topLevelItem(1).text(2) == f"{team.clerk.name} (migrated)"

    panel.open_case(own)   # taken in this store: no banner, names as they are
    assert banner.isHidden()
    assert steps.topLevelItem(0).text(2) == team.clerk.name
