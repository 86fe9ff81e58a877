"""Help → About: version, the store and its size, the policy in force and the bundled
licences, in the window's language, within a 1366x768 screen; and the crash hook's report."""
from __future__ import annotations

import hashlib
import sys

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMessageBox, QTableView

from desk import __version__
from desk.about import bundled
from desk.i18n import _
from desk.paths import resources_dir, user_log_dir
from ui.about import AboutDialog, Column
from ui.errors import install_excepthook


def open_box(window, qtbot) -> AboutDialog:
    window.actions["about"].trigger()
    box = window.findChild(AboutDialog, "about_dialog")
    assert box is not None
    qtbot.waitExposed(box)
    return box


def texts(box) -> str:
    return "\n".join(label.text() for label in box.findChildren(QLabel))


def test_about_shows_version_store_policy_and_licences(window, qtbot, store):
    box = open_box(window, qtbot)
    shown = texts(box)
    assert f"Complaint Desk {__version__}" in shown
    assert str(store.path) in shown and ("KB" in shown or "MB" in shown)
    policy = resources_dir() / "policy.toml"
    assert hashlib.sha256(policy.read_bytes()).hexdigest() in shown
    table = box.findChild(QTableView, "about_licences")
    model = table.model()
    assert model.rowCount() == len(bundled())
    names = [model.index(r, Column.NAME).data() for r in range(model.rowCount())]
    assert any("WenQuanYi" in n for n in names) and any("Qt" in n for n in names)
    row = names.index(next(n for n in names if "WenQuanYi" in n))
    assert model.index(row, Column.WHERE).data().endswith("LICENSE-wqy-microhei.txt")
    copied = box.copy_details()
    assert QGuiApplication.clipboard().text() == copied and "Policy in force" in copied


def test_about_fits_a_small_counter_screen(window, qtbot):
    box = open_box(window, qtbot)
    assert box.width() <= 1366 and box.height() <= 768 - 48     # the taskbar
    assert box.sizeHint().height() <= 768 - 48


def test_about_follows_a_language_switch(window, qtbot, language):
    box = open_box(window, qtbot)
    assert "Cases" in texts(box)
    language.switch("zh_TW")
    assert _("Cases") in texts(box) and _("Cases") != "Cases"
    box.close()
    qtbot.waitUntil(lambda: window.findChild(AboutDialog, "about_dialog") is None)
    language.switch("en")     # the deleted box no longer listens (a call would raise)
    assert window.menus["help"].title() == "&Help"


def test_crash_hook_writes_a_report_without_customer_data(qtbot, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    previous = sys.excepthook
    install_excepthook()
    try:
        try:
            raise KeyError(f"陳美玲 {'0912' + '345678'}")
        except KeyError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    reports = list(user_log_dir().glob("crash-complaint-desk-*.txt"))
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "KeyError: (message left out)" in text and __version__ in text
    assert "陳美玲" not in text and "0912345678" not in text
    assert shown and str(reports[0]) in shown[0] and "陳美玲" not in shown[0]


def test_a_background_job_fault_becomes_a_report_and_a_plain_line(qtbot):
    """Printing many forms or exporting runs off the UI thread, where the hook never sees an
    error: the job writes the report itself and the message names it."""
    from ui.workers import Job

    def step(case_no):
        raise ZeroDivisionError(f"{case_no} for 陳美玲")
    job = Job(["A-20261122-0001"], step)
    failed: list[str] = []
    job.signals.failed.connect(failed.append)
    job.run()
    reports = list(user_log_dir().glob("crash-complaint-desk-*.txt"))
    assert len(reports) == 1 and failed and str(reports[0]) in failed[0]
    text = reports[0].read_text(encoding="utf-8")
    assert "ZeroDivisionError" in text and "陳美玲" not in text and "A-2026" not in text


def test_a_background_job_refusal_stays_one_plain_line(qtbot):
    from desk.errors import ValidationError
    from desk.i18n import N_
    from ui.workers import Job

    def step(_item):
        raise ValidationError(N_("{value} is not a case number"), field="case_no", value="X")
    job = Job(["X"], step)
    failed: list[str] = []
    job.signals.failed.connect(failed.append)
    job.run()
    assert failed and "X" in failed[0]
    assert not list(user_log_dir().glob("crash-*.txt"))


def test_settings_name_the_store_this_pc_uses_by_default(qtbot, language, pc_settings,
                                                          monkeypatch, tmp_path):
    """With DESK_DB (or the installer's PC-wide value) the empty Database field says which
    store is used, not "the default store in the user data folder"."""
    from PySide6.QtWidgets import QLineEdit
    from ui.settings import SettingsDialog
    shared = str(tmp_path / "shared.sqlite3")
    monkeypatch.setenv("DESK_DB", shared)
    dialog = SettingsDialog(pc_settings, language, desk="A", paper="a4", db="")
    qtbot.addWidget(dialog)
    assert shared in dialog.findChild(QLineEdit, "settings_db").placeholderText()
    monkeypatch.delenv("DESK_DB")
    dialog.retranslate()
    assert "user data folder" in dialog.findChild(QLineEdit, "settings_db").placeholderText()
