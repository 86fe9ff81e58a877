"""The counter flow driven through the real widgets: sign in, take a complaint by keyboard
alone, the six steps, an offer approved (and one refused) by a supervisor, resolve."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from desk.enums import Step
from tests.conftest import PINS
from tests.ui.conftest import when_modal
from ui.signin import SignInDialog


def type_text(widget, text: str) -> None:
    """QTest.keyClicks for any text: Chinese arrives as key events carrying the text, as
    an input method's commit would."""
    for ch in text:
        if ch.isascii():
            QTest.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


class Keyboard:
    """Types into whatever has focus, counting keystrokes that are not typed text."""

    def __init__(self, qtbot) -> None:
        self.qtbot = qtbot
        self.extra = 0

    def focus(self):
        widget = QApplication.focusWidget()
        assert widget is not None, "nothing has keyboard focus"
        return widget

    def type(self, text: str) -> None:
        type_text(self.focus(), text)

    def key(self, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
        for _ in range(times):
            QTest.keyClick(self.focus(), key, modifier)
            self.extra += 1


def test_sign_in_wrong_pin_then_right(qtbot, store, policy, team, language):
    from ui.session import Desk
    desk = Desk(store, policy)
    dialog = SignInDialog(desk)
    qtbot.addWidget(dialog)
    assert not dialog.sign_in_with("C001", "0000")
    error = dialog.findChild(QLabel, "error_signin")
    assert "PIN" in error.text() and not error.isHidden()
    assert dialog.sign_in_with("C001", PINS["C001"])
    assert desk.actor.staff_no == "C001"


def test_status_bar_shows_who_and_authority(window):
    text = window.findChild(QLabel, "who_label").text()
    assert "C001" in text and "NT$500" in text


def take_standard_complaint(window, qtbot) -> Keyboard:
    kb = Keyboard(qtbot)
    form = window.intake
    form.fields["customer.name"].setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is form.fields["customer.name"])
    kb.type("林淑華")
    kb.key(Qt.Key.Key_Return)
    kb.type("0912-345-678")
    kb.key(Qt.Key.Key_Return)
    kb.key(Qt.Key.Key_Return)          # member no.: none
    kb.key(Qt.Key.Key_Return)          # category: goods, exchange and return (first)
    kb.key(Qt.Key.Key_Return)          # about: product (suggested by the category)
    kb.type("3F 好鞋坊 運動鞋")
    kb.key(Qt.Key.Key_Return)
    kb.key(Qt.Key.Key_Return)          # staff named: nobody
    kb.type("上週買的運動鞋鞋底開膠，店員說不能換")
    kb.key(Qt.Key.Key_Tab)
    kb.type("換一雙新的")
    kb.key(Qt.Key.Key_Tab)
    kb.key(Qt.Key.Key_Down, times=2)   # motive: wants compensation
    kb.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: form.case is not None)
    return kb


def test_keyboard_only_complaint_steps_and_resolve(window, qtbot):
    kb = take_standard_complaint(window, qtbot)
    case = window.intake.case
    assert case.customer_name == "林淑華" and case.motive == "compensation"
    assert case.subject_kind == "product" and case.category == "goods_rights"
    intake_keys = kb.extra
    # The six steps: focus lands on the next step's note; Enter marks it done.
    checklist = window.checklist
    qtbot.waitUntil(lambda: QApplication.focusWidget() is checklist.rows[Step.LISTEN].note)
    kb.type("鞋底開膠，想換新鞋，對嗎？")
    kb.key(Qt.Key.Key_Return)
    for _ in range(3):                 # thank, apologise, commit (default reply time)
        kb.key(Qt.Key.Key_Return)
    assert not checklist.resolve_button.isEnabled()
    assert checklist.blockers.text()
    kb.type("換一雙新的同款")
    kb.key(Qt.Key.Key_Return)          # propose
    kb.key(Qt.Key.Key_Return)          # confirm
    qtbot.waitUntil(lambda: checklist.resolve_button.isEnabled())
    assert checklist.case.promised_reply_at is not None
    assert "Reply due in" in checklist.rows[Step.COMMIT].countdown.text()

    def fill(dialog):
        qtbot.waitUntil(lambda: dialog.isAncestorOf(QApplication.focusWidget()))
        type_text(QApplication.focusWidget(), "已換新鞋，顧客滿意")
        kb.key(Qt.Key.Key_Tab)         # validity: founded (default)
        kb.key(Qt.Key.Key_Return)      # OK
        if dialog.isVisible():         # never leave a test hanging on a modal dialog
            problems.append(dialog.error.text() or "dialog still open")
            dialog.reject()
    problems: list = []
    when_modal(qtbot, fill)
    kb.key(Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)   # Resolve…
    assert not problems
    qtbot.waitUntil(lambda: checklist.case.status == "resolved")
    print(f"\nkeystrokes beyond the typed text: intake {intake_keys}, "
          f"with the six steps and resolve {kb.extra} (goal: 25 or fewer)")
    assert intake_keys <= 25


def test_inline_validation_nothing_saved_until_valid(window, qtbot):
    form = window.intake
    assert form.save() is None
    error = form.errors["customer.name"]
    assert not error.isHidden() and error.text()
    assert form.case is None
    form.fields["customer.name"].setText("王先生")
    form.fields["customer.phone"].setText("abc")
    assert form.save() is None
    assert "phone" in form.errors["customer.phone"].text()
    form.fields["customer.phone"].setText("0912345678")
    form.fields["complaint"].setPlainText("停車場收費錯誤")
    assert form.save() is not None


def test_category_suggests_level_and_unit(window):
    form = window.intake
    form.fields["category"].set_key("safety_legal")
    assert form.fields["level"].key() == "level2"
    assert form.fields["responsible_unit"].key() == "legal"


def test_recusal_named_staff_cannot_handle(window, qtbot):
    form = window.intake
    form.fields["customer.name"].setText("王先生")
    form.fields["complaint"].setPlainText("服務台人員態度不好")
    form.fields["category"].set_key("service_attitude")
    form.fields["subject.staff"].set_key("C001")   # the clerk at the keyboard is named
    assert not form.recusal_note.isHidden()
    assert form.save() is None
    assert "C001" in form.errors["handler"].text() or "陳美玲" in form.errors["handler"].text()
    form.fields["handler"].set_key("C002")
    assert form.save() is not None
    assert form.case.handler_no == "C002"


def test_repeat_complainant_badge(window, qtbot):
    form = window.intake
    take_standard_complaint(window, qtbot)
    form.new_complaint()
    form.fields["customer.phone"].setText("0912-345-678")
    form.refresh_history()
    assert form.history_count() == 1
    assert not form.badge.isHidden()


def saved_case(window, qtbot, motive="compensation"):
    form = window.intake
    form.fields["customer.name"].setText("陳先生")
    form.fields["complaint"].setPlainText("禮券少給一張")
    form.fields["motive"].set_key(motive)
    case = form.save()
    assert case is not None
    checklist = window.checklist
    for step in (Step.LISTEN, Step.THANK, Step.APOLOGISE, Step.COMMIT):
        assert checklist.mark_done(step)
    return case


def test_offer_beyond_authority_approved_by_supervisor(window, qtbot):
    saved_case(window, qtbot)
    picker = window.picker
    window.work.setCurrentIndex(1)
    picker.amount.setText("1500")
    picker.refresh()
    assert "NT$500" in picker.authority.text()
    assert picker.select_kind("voucher")
    item = picker.list.currentItem().text()
    assert "Desk supervisor" in item           # needs <role>
    picker.serials.setText("V0001 V0002 V0003")

    def approve(dialog):
        dialog.staff_no.setText("C002")       # a clerk may not approve this
        dialog.pin.setText(PINS["C002"])
        dialog.decide()
        assert dialog.isVisible() and dialog.error.text()
        dialog.staff_no.setText("S001")
        dialog.pin.setText(PINS["S001"])
        dialog.decide()
    when_modal(qtbot, approve)
    offered = picker.offer()
    assert offered is not None and offered.approval == "approved"
    offer = window.checklist.case.offers[-1]
    assert offer.approver == "林志明" and offer.amount == Decimal("1500")
    assert picker.answer("accepted")
    assert picker.case.offers[-1].answer == "accepted"


def test_refused_approval_is_recorded(window, qtbot):
    saved_case(window, qtbot)
    picker = window.picker
    picker.amount.setText("800")
    picker.refresh()
    assert picker.select_kind("refund")

    def refuse(dialog):
        dialog.staff_no.setText("S001")
        dialog.pin.setText(PINS["S001"])
        dialog.refuse.setChecked(True)
        dialog.decide()                        # a refusal needs a reason
        assert dialog.isVisible() and dialog.error.text()
        dialog.pin.setText(PINS["S001"])
        dialog.note.setText("先提供禮券方案")
        dialog.decide()
    when_modal(qtbot, refuse)
    offered = picker.offer()
    assert offered is not None and offered.approval == "refused"
    offer = picker.case.offers[-1]
    assert offer.approval_note == "先提供禮券方案"
    assert not picker.accepted_button.isEnabled()


def test_overcharge_calculator_and_cash_rule(window, qtbot):
    saved_case(window, qtbot)
    picker = window.picker
    QTest.keyClicks(picker.charged, "1200")
    QTest.keyClicks(picker.due, "1000")
    assert "400" in picker.calc.text()
    assert picker.selected_kind() == "overcharge_refund"
    assert picker.amount.text() == "400.00"
    picker.amount.setText("1500")
    picker.refresh()
    picker.select_kind("cash")
    assert not picker.rules_note.isHidden()
    assert "General manager" in picker.rules_note.text()


def test_keyboard_sign_in_counts_a_wrong_pin_once(qtbot, store, policy, team):
    from sqlalchemy import select

    from desk.model import Staff
    from ui.session import Desk
    desk = Desk(store, policy)
    dialog = SignInDialog(desk)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.staff_no.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.staff_no)
    kb = Keyboard(qtbot)
    kb.type("C001")
    kb.key(Qt.Key.Key_Return)               # moves to the PIN; signs nobody in yet
    assert QApplication.focusWidget() is dialog.pin
    kb.type("0000")
    kb.key(Qt.Key.Key_Return)
    with store.read() as session:
        staff = session.scalar(select(Staff).where(Staff.staff_no == "C001"))
        assert staff.failed_pins == 1
    kb.type(PINS["C001"])
    kb.key(Qt.Key.Key_Return)
    assert desk.actor is not None and dialog.result() == dialog.DialogCode.Accepted
