"""Paths a clerk meets on day one, driven through the real widgets: a voucher accepted with
its serial numbers typed at the answer, and the overcharge calculator keeping its kind."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from desk.enums import policy_label

from tests.helpers import store_rows
from tests.ui.conftest import when_modal
from tests.ui.test_ui_counter_flow import saved_case


def test_voucher_accepted_with_serials_typed_at_the_answer(window, qtbot, store):
    saved_case(window, qtbot)
    picker = window.picker
    window.work.setCurrentIndex(1)
    picker.amount.setText("300")
    picker.refresh()
    assert picker.select_kind("voucher")
    offered = picker.offer()                       # no numbers yet: the voucher is not out
    assert offered is not None and offered.approval in ("not_needed", "approved")
    before = store_rows(store)
    assert not picker.answer("accepted")           # numbers missing: asked for, nothing kept
    assert "serial" in picker.error.text()
    assert picker.serials.isEnabled() and picker.serials.hasFocus()
    assert store_rows(store) == before
    QTest.keyClicks(picker.serials, "V0001, V0002")
    assert picker.answer("accepted")
    offer = picker.case.offers[-1]
    assert offer.answer == "accepted" and offer.serials == ("V0001", "V0002")
    assert all(o.answer != "refused" for o in picker.case.offers)


def test_overcharge_kind_kept_after_the_calculator_then_enter(window, qtbot):
    saved_case(window, qtbot)
    picker = window.picker
    window.work.setCurrentIndex(1)
    QTest.keyClicks(picker.charged, "1200")
    QTest.keyClicks(picker.due, "750")
    assert picker.selected_kind() == "overcharge_refund"
    qtbot.wait(400)                                # the amount's refresh timer has fired
    assert picker.selected_kind() == "overcharge_refund"
    assert picker.amount.text() == "900.00"
    summaries: list = []

    def look(dialog):
        summaries.append(dialog.findChild(QLabel, "approval_reason").text())
        dialog.reject()
    when_modal(qtbot, look)
    picker.list.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is picker.list)
    QTest.keyClick(picker.list, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(summaries) or bool(picker.case.offers))
    if picker.case.offers:
        assert picker.case.offers[-1].kind == "overcharge_refund"
    else:
        assert policy_label("overcharge_refund") in summaries[0]
        assert policy_label("exchange") not in summaries[0]
