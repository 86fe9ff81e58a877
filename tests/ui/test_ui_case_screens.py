"""Case list, case detail, printing, language, drafts, first run and error messages,
driven through the real widgets."""
from __future__ import annotations

import errno
import hashlib
import logging
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QMessageBox
from sqlalchemy.exc import OperationalError

from desk.i18n import _, using_locale
from desk.queries import CaseFilter
from desk.services import settings as store_settings
from tests.conftest import PINS
from tests.ui.test_ui_counter_flow import saved_case
from ui.case_table_model import SLA_ROLE, CaseTableModel, Column
from ui.draft import DraftStore
from ui.errors import install_excepthook, log_file, plain_message
from ui.main_window import MainWindow
from ui.print_preview import PrintPreviewDialog
from ui.setup_dialog import SetupDialog


def test_table_model_pages_without_a_view(desk):
    for i in range(5):
        desk.take_complaint(__import__("tests.helpers", fromlist=["complaint"]).complaint(
            customer_name=f"顧客{i}", received_at=None))
    calls = []

    def fetch(flt, offset, limit, sort, descending):
        calls.append((offset, limit, sort, descending))
        return desk.search(flt, offset, limit, sort, descending)
    model = CaseTableModel(fetch, currency="TWD", tz=desk.policy.tz,
                           due_soon=__import__("datetime").timedelta(hours=4))
    model.PAGE = 2
    model.set_filter(CaseFilter())
    assert model.rowCount() == 2 and model.canFetchMore()
    model.fetchMore()
    model.fetchMore()
    assert model.rowCount() == 5 and not model.canFetchMore()
    assert model.columnCount() == len(Column)
    first = model.index(0, Column.CASE_NO)
    assert model.data(first).startswith("A-")
    assert model.data(model.index(0, Column.SLA), SLA_ROLE) in ("ok", "due_soon", "overdue")
    assert model.data(first, Qt.ItemDataRole.DecorationRole) is None
    model.sort(Column.CUSTOMER, Qt.SortOrder.AscendingOrder)
    assert calls[-1][2:] == ("customer_name", False)
    assert model.data(model.index(0, Column.CUSTOMER)) == "顧客0"
    assert model.rowCount(model.index(0, 0)) == 0


def test_case_list_filters_search_and_opens_detail(window, qtbot):
    case = saved_case(window, qtbot)
    window.show_tab(1)
    panel = window.case_list
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 1)
    panel.search.setText("陳先生")
    panel.apply_filter()
    assert panel.model.rowCount() == 1
    panel.search.setText("nobody-like-this")
    panel.apply_filter()
    assert panel.model.rowCount() == 0
    panel.search.clear()
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.status.set_key("closed")            # a clerk's change: fetched off the UI thread
    assert panel.model.rowCount() == 0
    assert panel.count.text()
    panel.status.set_key(None)
    panel.apply_filter()
    panel.view.doubleClicked.emit(panel.model.index(0, 0))
    assert window.tabs.currentIndex() == 2
    assert window.detail.case.case_no == case.case_no
    assert case.case_no in window.detail.header.text()


def test_detail_actions_escalate_follow_up_and_attachment(window, qtbot, tmp_path):
    case = saved_case(window, qtbot)
    detail = window.detail
    detail.open_case(case.case_no)
    assert detail.buttons["escalate"].isEnabled()
    assert not detail.buttons["follow_up"].isEnabled()      # only after resolution
    from ui.case_actions import escalate_dialog
    dialog = escalate_dialog(window.desk, detail.case, detail)
    dialog.set_values(reason="")
    dialog.run()
    assert dialog.error.text()                               # the reason is required
    dialog.set_values(reason="需要樓管協助")
    dialog.run()
    assert dialog.result() == dialog.DialogCode.Accepted
    assert dialog.result_value.level == "level1"
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#FFAA00"))
    photo = tmp_path / "receipt.png"
    image.save(str(photo))
    assert detail.add_attachment(photo, "收據")
    stored = detail.case.attachments[0]
    assert stored.sha256 == hashlib.sha256(photo.read_bytes()).hexdigest()
    assert detail.attachments.count() == 1
    assert not detail.attachments.item(0).icon().isNull()     # thumbnail
    photo.unlink()   # the bytes live in the store: another PC shows the photo too
    detail.show_case(window.desk.detail(detail.case.case_no))
    assert not detail.attachments.item(0).icon().isNull()


def test_print_to_pdf_records_prints_and_reprints(window, qtbot, tmp_path):
    case = saved_case(window, qtbot)
    dialog = PrintPreviewDialog(window.desk, case.case_no, locale="zh_TW", paper="a4",
                                parent=window)
    qtbot.addWidget(dialog)
    assert dialog.page_count >= 1
    target = tmp_path / "form.pdf"
    assert dialog.save_pdf(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    from pypdf import PdfReader
    reader = PdfReader(str(target))
    assert len(reader.pages) == dialog.page_count
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert case.case_no in text
    assert window.desk.detail(case.case_no).prints == ()      # a file is not a print
    assert "Reprint" not in text and "補印" not in text
    assert dialog.print_pdf_file(tmp_path / "paper.pdf")
    assert dialog.print_pdf_file(tmp_path / "again.pdf")
    first = "".join(p.extract_text() or "" for p in PdfReader(str(tmp_path / "paper.pdf")).pages)
    assert "補印" not in first                                # the first paper copy
    prints = window.desk.detail(case.case_no).prints
    assert [p.reprint_no for p in prints] == [0, 1]
    assert "2" in dialog.info.text()                          # the next one is reprint 2


def test_the_white_copy_previews_white(window, qtbot):
    case = saved_case(window, qtbot)
    from ui.print_preview import render_pages
    data = window.desk.preview_pdf(case.case_no, locale="zh_TW", paper="a4")
    white = render_pages(data, 300)[0]                        # copy 1 is the white sheet
    corner = white.pixelColor(2, white.height() // 2)
    assert (corner.red(), corner.green(), corner.blue()) == (255, 255, 255)


def test_print_through_a_printer_object(window, qtbot, tmp_path):
    from PySide6.QtPrintSupport import QPrinter
    case = saved_case(window, qtbot)
    dialog = PrintPreviewDialog(window.desk, case.case_no, locale="en", paper="a4",
                                parent=window)
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printer.pdf"))
    assert dialog.print_to(printer)
    assert (tmp_path / "printer.pdf").read_bytes().startswith(b"%PDF")
    assert len(window.desk.detail(case.case_no).prints) == 1


def test_language_switch_changes_labels_at_once(window):
    label = window.intake.labels["customer.name"]
    window.language.switch("en")
    english = label.text()
    assert english == "Customer &name"
    window.language.switch("zh_TW")
    with using_locale("zh_TW"):
        expected = _("Customer &name")
    assert label.text() == expected
    if expected != english:                                  # once the catalog is merged
        assert window.tabs.tabText(0) != "Counter"
    window.language.switch("zh_CN")
    with using_locale("zh_CN"):
        assert label.text() == _("Customer &name")
    window.language.switch("en")
    assert label.text() == english
    assert window.tabs.tabText(0) == "Counter"


def test_draft_is_offered_back_after_a_crash(qtbot, desk, language, pc_settings, tmp_path,
                                             monkeypatch):
    drafts = DraftStore(tmp_path / "draft.json")
    first = MainWindow(desk, language, pc_settings, drafts, paper="a4", mall_name="M")
    qtbot.addWidget(first)
    form = first.intake
    form.fields["customer.name"].setText("黃小姐")
    form.fields["customer.name"].textEdited.emit("黃小姐")
    form.fields["complaint"].setPlainText("停車繳費機吃卡")
    form.fields["category"].set_key("facility")
    form.autosave()
    assert drafts.load()["customer.name"] == "黃小姐"
    # The program dies here (no save, no close): a new window starts over the same folder.
    second = MainWindow(desk, language, pc_settings, DraftStore(tmp_path / "draft.json"),
                        paper="a4", mall_name="M")
    qtbot.addWidget(second)
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert second.offer_draft()
    restored = second.intake
    assert restored.fields["customer.name"].text() == "黃小姐"
    assert restored.fields["complaint"].toPlainText() == "停車繳費機吃卡"
    assert restored.fields["category"].key() == "facility"
    assert restored.save() is not None
    assert DraftStore(tmp_path / "draft.json").load() is None  # saved: the draft is gone


def test_first_run_dialog_sets_up_the_store(qtbot, store, policy):
    def submit(values):
        with store.write(system="test") as session:
            return store_settings.first_run(session, policy, **values)
    dialog = SetupDialog(policy, submit)
    qtbot.addWidget(dialog)
    f = dialog.fields
    f["mall_name"].setText("晴空廣場")
    f["desk"].setText("b")
    f["admin_no"].setText("A100")
    f["admin_name"].setText("周經理")
    f["pin"].setText("2580")
    f["pin2"].setText("2581")
    assert not dialog.run()
    assert dialog.errors["pin"].text()
    f["pin2"].setText("2580")
    assert dialog.run()
    with store.read() as session:
        saved = store_settings.get_settings(session)
        assert not store_settings.needs_setup(session)
    assert saved.mall_name == "晴空廣場" and saved.desk == "B"
    applied = store_settings.apply_to_policy(policy, saved)
    assert applied.mall_name == "晴空廣場"


def test_store_settings_need_an_administrator(store, policy, team):
    from desk.errors import AuthorityError
    import pytest
    with store.write(system="test") as session:
        with pytest.raises(AuthorityError):
            store_settings.save_settings(session, policy, team.clerk, desk="C")
        saved = store_settings.save_settings(session, policy, team.ops, desk="C",
                                             currency="hkd")
    assert saved.desk == "C" and saved.currency == "HKD"


def test_plain_messages_never_show_a_traceback(tmp_path, language):
    full = OSError(errno.ENOSPC, "No space left on device")
    assert "disk is full" in plain_message(full)
    gone = OperationalError("SELECT 1", {}, Exception("unable to open database file"))
    assert "database cannot be reached" in plain_message(gone)
    odd = plain_message(RuntimeError("boom"))
    assert "Traceback" not in odd and "boom" not in odd


def test_excepthook_logs_to_file_and_shows_one_line(qtbot, monkeypatch):
    from ui.errors import setup_logging
    setup_logging()
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(a[2]))
    previous = sys.excepthook
    install_excepthook()
    try:
        try:
            raise ValueError("internal detail")
        except ValueError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = log_file().read_text(encoding="utf-8")
    # The log names the crash report; the report holds the traceback without the message.
    report = Path(log_text.rsplit("crash report: ", 1)[1].split()[0])
    assert report.parent == log_file().parent and report.name.startswith("crash-complaint-desk-")
    text = report.read_text(encoding="utf-8")
    assert "ValueError" in text and "test_excepthook_logs_to_file_and_shows_one_line" in text
    assert "internal detail" not in text and "internal detail" not in log_text
    assert shown and "internal detail" not in shown[0] and str(report) in shown[0]


def test_lock_and_switch_user(window, qtbot, monkeypatch):
    from ui.signin import SignInDialog
    monkeypatch.setattr(SignInDialog, "exec",
                        lambda self: (self.sign_in_with("S001", PINS["S001"]),
                                      self.result())[1])
    window.lock()
    assert window.desk.actor.staff_no == "S001"
    assert "S001" in window.findChild(QLabel, "who_label").text()


def test_a_draft_that_cannot_be_written_keeps_the_form(window, tmp_path, monkeypatch):
    form = window.intake
    form.fields["customer.name"].setText("黃小姐")
    form.fields["customer.name"].textEdited.emit("黃小姐")

    def full(_values):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(form.drafts, "save", full)
    form.autosave()                                   # no dialog, a line in the form instead
    assert form.status.text() and form.fields["customer.name"].text() == "黃小姐"
