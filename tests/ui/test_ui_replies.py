"""Written replies on screen: draft from a template, the supervisor approves with their PIN
at the same PC, the letter is printed and the e-mail sent off the UI thread to a real SMTP
server on loopback; the outbox window shows what failed; canned replies in the resolve form."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QComboBox

from desk.app.replies import Replies
from tests.conftest import PINS
from tests.replies_support import Mailbox, free_port, resolved_tenant_case
from ui.case_actions import resolve_dialog
from ui.outbox import OutboxWindow

pytest.importorskip("aiosmtpd", reason="the SMTP tests need aiosmtpd (the test extras)")


def test_draft_approve_print_and_send(window, qtbot, store, policy, team, tmp_path):
    no = resolved_tenant_case(store, policy, team)
    window.open_case(no)
    page = window.detail.replies_page
    window.detail.tabs.setCurrentWidget(page)
    assert page.buttons["notice"].isHidden()          # a clerk issues no tenant notice
    assert not page.buttons["approve"].isEnabled()

    dialog = page.draft()
    qtbot.addWidget(dialog)
    dialog.choose(channel="email", template="result", recipient="li@example.tw")
    assert "好鞋坊已為顧客換新鞋" in dialog.body.toPlainText() and no in dialog.subject.text()
    dialog.save()
    qtbot.waitUntil(lambda: len(page.rows) == 1 and page.rows[0].state == "draft")

    approval = page.approve()                     # the drafter may not approve
    qtbot.addWidget(approval)
    approval.staff_no.setText("C001")
    approval.pin.setText(PINS["C001"])
    approval.decide()
    assert "drafted it" in approval.error.text() and approval.isVisible()
    approval.staff_no.setText("S001")
    approval.pin.setText(PINS["S001"])
    approval.decide()
    qtbot.waitUntil(lambda: bool(page.rows) and page.rows[0].state == "approved")
    assert page.buttons["send"].isEnabled() and page.buttons["print"].isEnabled()

    letter = tmp_path / "letter.pdf"
    assert page.print_letter(letter) and letter.read_bytes().startswith(b"%PDF")
    assert page.rows[0].prints == 1

    with Mailbox() as box:
        Replies(store, policy, lambda: team.ops).save_send_settings(
            smtp_host="127.0.0.1", smtp_port=box.port, smtp_security="none",
            sender="desk@sunrise.example.tw")
        reports = []
        page.sent.connect(reports.append)
        job = page.send()
        assert job is not None           # queued; the network work is on the pool thread
        qtbot.waitUntil(lambda: bool(reports), timeout=10000)
        assert reports[0].sent == 1 and len(box.messages) == 1
    assert box.messages[0]["To"] == "li@example.tw"


def test_the_outbox_window_shows_what_failed(qtbot, desk, language, store, policy, team):
    no = resolved_tenant_case(store, policy, team)
    app = Replies(store, policy, lambda: team.clerk)
    Replies(store, policy, lambda: team.ops).save_send_settings(
        smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none",
        sender="desk@sunrise.example.tw")
    app.draft(no, "email", template="result", recipient="li@example.tw")
    app.approve(no, 1, team.supervisor)
    app.queue(no, 1)
    window = OutboxWindow(desk)
    qtbot.addWidget(window)
    outcomes = []
    window.finished_sending.connect(outcomes.append)
    window.send_now()
    qtbot.waitUntil(lambda: bool(outcomes), timeout=10000)
    assert outcomes[0].failed == 1
    item = window.tree.topLevelItem(0)
    assert item.text(4) == "Failed" and "Connection" in item.text(7)
    assert window.summary.text() == "1 failed, 0 waiting"
    window.failed_only.setChecked(True)
    assert window.tree.topLevelItemCount() == 1
    window.tree.setCurrentItem(window.tree.topLevelItem(0))
    window.failed_only.setChecked(False)
    window.tree.setCurrentItem(window.tree.topLevelItem(0))
    assert window.retry() and window.tree.topLevelItem(0).text(4) == "Queued"


def test_canned_replies_go_into_the_handling_result(qtbot, desk, language, store, policy, team):
    no = resolved_tenant_case(store, policy, team)
    dialog = resolve_dialog(desk, desk.detail(no), None)
    qtbot.addWidget(dialog)
    combo = dialog.findChild(QComboBox, "canned_replies")
    assert combo is not None and combo.count() == 5
    combo.activated.emit(3)                       # "Outcome of your complaint", in zh_TW
    assert "好鞋坊已為顧客換新鞋" in dialog.widgets["result"].toPlainText()


def test_the_window_sends_what_is_due_in_the_background(window, qtbot, store, policy, team):
    no = resolved_tenant_case(store, policy, team)
    app = Replies(store, policy, lambda: team.clerk)
    with Mailbox() as box:
        Replies(store, policy, lambda: team.ops).save_send_settings(
            smtp_host="127.0.0.1", smtp_port=box.port, smtp_security="none",
            sender="desk@sunrise.example.tw")
        app.draft(no, "email", template="result", recipient="li@example.tw")
        app.approve(no, 1, team.supervisor)
        app.queue(no, 1)                          # queued, e.g. before a restart
        assert window.outbox_sender.tick() is not None
        qtbot.waitUntil(lambda: len(box.messages) == 1, timeout=10000)
        qtbot.waitUntil(lambda: window.outbox_sender.running is None)
    assert app.outbox()[0].state == "sent"
