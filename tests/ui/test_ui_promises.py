"""Promises through the counter's widgets: save, then the customer's slip printed in one key
(the printed PDF compared page by page with the slip's own rendering), an interim contact
logged from the queue, the preferred channel at intake, and a poor follow-up score that
reopens the case."""
from __future__ import annotations

import io
from datetime import timedelta

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desk.app.promises import Promises
from desk.model import utcnow
from tests.review_support import make_case
from tests.ui.conftest import fill_form_dialog


def _fill_minimal(form) -> None:
    f = form.fields
    f["customer.name"].setText("Lin Shu-hua")
    f["customer.phone"].setText("0912-345-678")
    f["complaint"].setPlainText("The sole of new shoes came loose after a week.")
    f["subject.name"].setText("Good Shoes 3F")
    f["motive"].set_key("compensation")


def test_save_then_the_slip_in_one_key(window, qtbot, tmp_path, desk, policy):
    out = tmp_path / "printed.pdf"

    def to_file():
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return printer

    from ui.slip import SlipPrinter
    window.slips = SlipPrinter(window.desk, window.settings, printer_factory=to_file,
                               parent=window)
    form = window.intake
    _fill_minimal(form)
    form.fields["contact.channel"].set_key("email")        # no address, then no consent
    form.fields["contact.consent"].set_key(True)
    assert form.save() is None and "e-mail" in form.errors["contact.email"].text()
    form.fields["contact.channel"].set_key("sms")
    form.fields["contact.consent"].set_key(None)
    assert form.save() is None and form.errors["contact.consent"].text()
    form.fields["contact.consent"].set_key(True)
    with qtbot.waitSignal(window.slips.printed, timeout=20000) as printed:
        form.fields["customer.name"].setFocus()
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_P,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    case = form.case
    assert case is not None and case.contact_channel == "sms" and case.contact_consent is True
    case_no, pdf = printed.args
    assert case_no == case.case_no and "Ctrl+Shift+P" in form.status.text()
    # the printed pages match the slip's own rendering: page count, size, and its words
    expected = PdfReader(io.BytesIO(Promises.of_desk(desk).slip_pdf(
        case.case_no, locale="en", paper="receipt"))).pages
    sent = PdfReader(io.BytesIO(pdf)).pages
    printed_pages = PdfReader(str(out)).pages
    assert len(sent) == len(expected) == len(printed_pages) == 1
    for got, want, paper in zip(sent, expected, printed_pages):
        assert [float(v) for v in got.mediabox.upper_right] == \
            [float(v) for v in want.mediabox.upper_right]
        assert [round(float(v)) for v in paper.mediabox.upper_right] == \
            [round(float(v)) for v in want.mediabox.upper_right]
        assert got.extract_text().split("Printed")[0] == want.extract_text().split("Printed")[0]
    assert case.case_no in sent[0].extract_text() and "0912-***-678" in sent[0].extract_text()


def test_an_interim_contact_from_the_queue(window, qtbot, store, policy, team):
    case_no = make_case(store, policy, team.clerk, utcnow() - timedelta(minutes=90),
                        stage="in_progress")
    panel = window.promises
    window.work.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    assert panel.model.rows[0].case_no == case_no and panel.model.rows[0].state == "due"
    later = utcnow() + timedelta(hours=5)
    errors, _seen = fill_form_dialog(qtbot, [
        {"said": "", "next": later},                                  # refused: say something
        {"said": "The shop is still checking; we will call again.", "channel": "phone",
         "reached": True, "next": later}])
    dialog = panel.log_contact()
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert errors[0] and not errors[1]
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    detail = window.desk.detail(case_no)
    assert detail.contacts[0].kept and detail.promised_reply_at.replace(second=0) == \
        later.replace(second=0, microsecond=0)


def test_a_poor_score_reopens_the_case(window, qtbot, store, policy, team):
    case_no = make_case(store, policy, team.clerk, utcnow() - timedelta(hours=3))
    window.open_case(case_no)
    detail = window.detail
    errors, _seen = fill_form_dialog(qtbot, [
        {"reached": True, "satisfaction": 2, "comment": "Still unhappy."}])
    detail.run("follow_up")
    assert errors == [""]
    qtbot.waitUntil(lambda: detail.case.status == "in_progress")
    assert detail.case.revisit_due is not None
    assert detail.buttons["contact"].isEnabled()
