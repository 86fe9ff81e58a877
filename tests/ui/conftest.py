"""Fixtures for the counter app: a real store with the team, a Desk signed in as a clerk,
and the main window over them (per-PC settings and the draft in tmp_path)."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.conftest import PINS, fresh_sqlite_store
from ui.draft import DraftStore
from ui.language import Language
from ui.main_window import MainWindow
from ui.session import Desk
from ui.settings import PcSettings


@pytest.fixture
def store(tmp_path, sqlite_template):
    """The counter app's tests run on SQLite only: the store back ends are tested below it."""
    st = fresh_sqlite_store(sqlite_template, tmp_path / "desk.sqlite3")
    yield st
    st.close()


@pytest.fixture
def desk(store, policy, team) -> Desk:
    counter = Desk(store, policy, desk_letter="A")
    counter.sign_in("C001", PINS["C001"])
    return counter


@pytest.fixture
def language(qapp):
    lang = Language()
    lang.switch("en")
    yield lang
    lang.switch("zh_TW")


@pytest.fixture
def pc_settings(tmp_path) -> PcSettings:
    return PcSettings(QSettings(str(tmp_path / "pc.ini"), QSettings.Format.IniFormat))


@pytest.fixture
def drafts(tmp_path) -> DraftStore:
    return DraftStore(tmp_path / "draft.json")


@pytest.fixture
def window(qtbot, desk, language, pc_settings, drafts) -> MainWindow:
    win = MainWindow(desk, language, pc_settings, drafts, paper="a4", mall_name="Test Mall")
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    return win


def when_modal(qtbot, handle, timeout: int = 5000) -> list:
    """Run ``handle(dialog)`` on the next modal dialog (opened by ``exec()`` later on)."""
    seen: list = []

    def poll():
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, poll)
            return
        seen.append(dialog)
        handle(dialog)
    QTimer.singleShot(0, poll)
    return seen


def fill_form_dialog(qtbot, steps: list, *, cancel_after: bool = False) -> list:
    """On the next modal form (ui.form_dialog): fill in each set of values in turn and press
    OK after each. Returns the list of the errors shown after each press (filled in as the
    form runs) and the list the dialog is put in once it opens. Escape closes the form at
    the end when ``cancel_after``."""
    errors: list = []

    def handle(dialog):
        for values in steps:
            dialog.set_values(**values)
            dialog.run()
            errors.append(dialog.error.text() if dialog.error.isVisibleTo(dialog) else "")
        if cancel_after:
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    return errors, when_modal(qtbot, handle)
