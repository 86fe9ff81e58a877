"""Per-PC settings (language at once, desk letter checked) and long work off the UI thread."""
from __future__ import annotations

import csv

from desk.i18n import _, using_locale
from tests.ui.test_ui_counter_flow import saved_case
from ui.settings import SettingsDialog


def test_settings_switch_language_at_once_and_check_the_desk(window, qtbot, pc_settings):
    dialog = SettingsDialog(pc_settings, window.language, desk="A", paper="a4", db="",
                            parent=window)
    qtbot.addWidget(dialog)
    dialog.locale.set_key("zh_TW")
    dialog.locale.activated.emit(dialog.locale.currentIndex())
    with using_locale("zh_TW"):
        assert window.intake.labels["customer.name"].text() == _("Customer &name")
        assert dialog.windowTitle() == _("Settings for this PC")
    assert pc_settings.locale("en") == "zh_TW"
    dialog.desk.setText("9")
    dialog.save()
    assert dialog.error.text() and pc_settings.desk("A") == "A"
    dialog.desk.setText("b")
    dialog.paper.set_key("continuous")
    dialog.save()
    assert pc_settings.desk("A") == "B" and pc_settings.paper("a4") == "continuous"
    window.language.switch("en")


def test_export_and_print_many_run_off_the_ui_thread(window, qtbot, tmp_path):
    first = saved_case(window, qtbot)
    window.intake.new_complaint()
    second = saved_case(window, qtbot)
    window.show_tab(1)
    window.case_list.apply_filter()
    target = tmp_path / "cases.csv"
    window.export_csv(target)   # it may finish before a signal could be waited for
    from PySide6.QtCore import QThreadPool
    qtbot.waitUntil(lambda: QThreadPool.globalInstance().activeThreadCount() == 0
                    and second.case_no in target.read_text(encoding="utf-8-sig"),
                    timeout=30000)
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert {first.case_no, second.case_no} <= {r[0] for r in rows[1:]}
    folder = tmp_path / "forms"
    folder.mkdir()
    job = window.print_many([first.case_no, second.case_no], folder)
    with qtbot.waitSignal(job.signals.finished, timeout=20000) as blocker:
        pass
    assert len(blocker.args[0]) == 2
    assert (folder / f"{first.case_no}.pdf").read_bytes().startswith(b"%PDF")
    assert len(window.desk.detail(second.case_no).prints) == 1
