"""A new mall runs from the app alone: the administrator's staff and policy screens add,
edit, disable and reset staff and set a category, each through desk's door and audited."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desk.errors import AuthenticationError
from desk.services import sign_in
from desk.store_policy import load_store_policy
from tests.conftest import PINS
from tests.ui.conftest import fill_form_dialog
from ui.admin_policy import PolicyAdminDialog
from ui.admin_staff import StaffAdminDialog
from ui.session import Desk


@pytest.fixture
def admin_desk(store, policy, team) -> Desk:
    counter = Desk(store, load_store_policy(store), desk_letter="A")
    counter.sign_in("A001", PINS["A001"])
    return counter


def test_menus_show_administration_only_to_those_who_hold_it(window, qtbot, admin_desk):
    assert not window.actions["staff"].isVisible() and not window.actions["policy"].isVisible()
    window.desk.sign_in("A001", PINS["A001"])
    window.refresh_status()
    assert window.actions["staff"].isVisible() and window.actions["policy"].isVisible()


def test_staff_screen_adds_edits_disables_and_resets(qtbot, admin_desk, store, policy,
                                                     language):
    dialog = StaffAdminDialog(admin_desk.admin())
    qtbot.addWidget(dialog)
    dialog.show()
    errors, _seen = fill_form_dialog(qtbot, [dict(staff_no="C010", name="新同事", role="clerk",
                                                  pin="2580")])
    added = dialog.add()
    assert added is not None and errors == [""]
    assert dialog.selected().staff_no == "C010"
    errors, _seen = fill_form_dialog(qtbot, [dict(name="新同事乙", role="supervisor")])
    assert dialog.edit_selected().role == "supervisor"
    assert dialog.buttons["toggle"].text().replace("&", "") == "Disable"
    assert dialog.toggle_selected() is not None and not dialog.selected().active
    with pytest.raises(AuthenticationError):
        sign_in(store, policy, "C010", "2580")
    dialog.toggle_selected()
    # now a supervisor: six digits (the PIN policy), and no repeats
    errors, _seen = fill_form_dialog(qtbot, [dict(pin="111111"), dict(pin="369148")])
    assert dialog.reset_selected() is True
    assert "repeated" in errors[0] and errors[1] == ""
    assert sign_in(store, policy, "C010", "369148").name == "新同事乙"
    # Disabling oneself is refused under the table, the list unchanged.
    for number, row in enumerate(dialog.model.rows):
        if row.staff_no == "A001":
            dialog.table.selectRow(number)
    assert dialog.toggle_selected() is None
    assert "yourself" in dialog.error.text() and dialog.selected().active


def test_policy_screen_sets_a_category_with_a_reason(qtbot, admin_desk, store, language):
    dialog = PolicyAdminDialog(admin_desk.admin())
    qtbot.addWidget(dialog)
    seen: list = []
    dialog.applied.connect(seen.append)
    errors, _forms = fill_form_dialog(qtbot, [dict(key="Parking!", level="preliminary",
                                                   unit="security", reason="停車場"),
                                              dict(key="parking", level="preliminary",
                                                   unit="security", reason="停車場客訴")])
    assert dialog.edit_category(new=True) is not None
    assert "not a key" in errors[0] and errors[1] == ""
    assert seen and "parking" in seen[0].categories
    assert load_store_policy(store).categories["parking"].unit == "security"
    assert any(row.key == "parking" for row in dialog.model.rows)
    dialog.text.setPlainText(dialog.text.toPlainText().replace("[roles.clerk]", "[roles.x"))
    assert not dialog.check() and dialog.error.text()
    QApplication.processEvents()
