"""The keystroke count of a standard complaint with a voucher, by keyboard alone: intake,
the six steps, a NT$300 voucher offered, its number typed and accepted, resolved. Keys that
are not typed text are counted (goal: 25 or fewer); docs/benchmarks.md keeps the figure."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desk.enums import Step
from tests.ui.conftest import when_modal
from tests.ui.test_ui_counter_flow import take_standard_complaint, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def quick_undo(monkeypatch):
    """The answer's undo window shortened: the test does not wait six seconds."""
    import ui.answer_confirm
    monkeypatch.setattr(ui.answer_confirm, "UNDO_SECONDS", 0.05)


def test_standard_complaint_with_a_voucher_by_keyboard(quick_undo, window, qtbot):
    kb = take_standard_complaint(window, qtbot)
    intake = kb.extra
    checklist, picker = window.checklist, window.picker
    qtbot.waitUntil(lambda: QApplication.focusWidget() is checklist.rows[Step.LISTEN].note)
    kb.type("鞋底開膠，想換新鞋，對嗎？")
    kb.key(Qt.Key.Key_Return)
    kb.key(Qt.Key.Key_Return, times=3)             # thank, apologise, commit
    kb.type("先送禮券300元")
    kb.key(Qt.Key.Key_Return)                      # propose
    kb.key(Qt.Key.Key_2, CTRL)                     # the compensation picker, amount field
    qtbot.waitUntil(lambda: QApplication.focusWidget() is picker.amount)
    kb.type("300")
    kb.key(Qt.Key.Key_Return)                      # the options for NT$300, in the list
    assert QApplication.focusWidget() is picker.list
    kb.key(Qt.Key.Key_V)                           # type-ahead: Voucher
    assert picker.selected_kind() == "voucher"
    kb.key(Qt.Key.Key_Return)                      # offered (within a clerk's authority)
    qtbot.waitUntil(lambda: bool(picker.case.offers))
    assert QApplication.focusWidget() is picker.serials     # the voucher's number, next
    kb.type("V300001")
    kb.key(Qt.Key.Key_Y, CTRL | SHIFT)             # customer accepted, undo shown
    qtbot.waitUntil(lambda: picker.case.offers[-1].answer == "accepted")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is checklist.rows[Step.CONFIRM].note)
    kb.key(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: checklist.resolve_button.isEnabled())
    problems: list = []

    def fill(dialog):
        qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
        type_text(QApplication.focusWidget(), "致歉並送禮券一張，顧客接受")
        kb.key(Qt.Key.Key_Return, CTRL)            # validity founded (default): OK
        if dialog.isVisible():
            problems.append(dialog.error.text() or "still open")
            dialog.reject()
    when_modal(qtbot, fill)
    kb.key(Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: checklist.case.status == "resolved")
    assert not problems
    offer = checklist.case.offers[-1]
    assert (offer.kind, offer.serials, offer.answer) == ("voucher", ("V300001",), "accepted")
    print(f"\nnavigation keys beyond the typed text: intake {intake}, whole path {kb.extra}")
    assert kb.extra <= 25, kb.extra
