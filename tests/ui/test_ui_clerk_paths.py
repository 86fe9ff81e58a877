"""Paths a clerk meets on day one, driven through the real widgets: a voucher accepted with
its serial numbers typed at the answer, and the overcharge calculator keeping its kind."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel

from desk.enums import policy_label

from tests.conftest import PINS
from tests.helpers import store_rows
from tests.ui.conftest import when_modal
from tests.ui.test_ui_counter_flow import saved_case, type_text


def next_case(window, qtbot):
    """Another saved case on the same window (one window per test is the setup's cost)."""
    window.intake.new_complaint()
    return saved_case(window, qtbot)


def test_picker_paths_finish(window, qtbot, store):
    """A voucher accepted with its numbers typed at the answer; the overcharge calculator's
    kind kept through Enter; the answer's keys with an undo before anything is written."""
    voucher_accepted_with_serials_typed_at_the_answer(window, qtbot, store)
    next_case(window, qtbot)
    overcharge_kind_kept_after_the_calculator_then_enter(window, qtbot)
    next_case(window, qtbot)
    answer_keys_confirm_with_an_undo_before_anything_is_written(window, qtbot, store)


def voucher_accepted_with_serials_typed_at_the_answer(window, qtbot, store):
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


def overcharge_kind_kept_after_the_calculator_then_enter(window, qtbot):
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


def choice_keys(form) -> dict:
    return {name: field.key() for name, field in form.fields.items() if hasattr(field, "key")}


def test_language_and_sign_in_switches_keep_the_form(window, qtbot, language):
    switching_language_never_changes_what_was_chosen(window, qtbot, language)
    window.intake.new_complaint()
    sign_in_switch_hands_the_unsaved_form_over_and_focuses_it(window, qtbot)


def switching_language_never_changes_what_was_chosen(window, qtbot, language):
    """A tenant's rude clerk under "service attitude": the subject stays the tenant through
    every language, on the unsaved form and on the saved case."""
    form = window.intake
    form.fields["customer.name"].setText("王先生")
    form.fields["complaint"].setPlainText("專櫃店員態度很差")
    form.fields["category"].set_key("service_attitude")
    form.fields["subject.kind"].set_key("tenant")
    form.fields["subject.name"].setText("2F 好鞋坊")
    chosen = choice_keys(form)
    for locale in ("zh_CN", "zh_TW", "en"):
        language.switch(locale)
        assert choice_keys(form) == chosen, locale
    case = form.save()
    assert case is not None and case.subject_kind == "tenant" and case.subject_staff_no is None
    for locale in ("zh_CN", "en"):
        language.switch(locale)
        assert choice_keys(form) == chosen, locale


def sign_in_switch_hands_the_unsaved_form_over_and_focuses_it(window, qtbot):
    form = window.intake
    form.fields["customer.name"].setText("李小姐")
    assert form.fields["handler"].key() == "C001"
    window.show_tab(1)

    def sign_in(dialog):
        dialog.sign_in_with("C002", PINS["C002"])
    hidden: list = []

    def locked_sign_in(dialog):
        hidden.append(not window.centralWidget().isVisible())   # the last customer hidden
        dialog.sign_in_with("C002", PINS["C002"])
    when_modal(qtbot, locked_sign_in)
    window.lock()
    assert hidden == [True] and window.centralWidget().isVisible()
    assert window.desk.actor.staff_no == "C002"
    assert form.fields["handler"].key() == "C002"          # the new clerk handles it
    assert window.tabs.currentIndex() == 0
    # The window's focus: the keyboard's once the window is active again.
    qtbot.waitUntil(lambda: window.focusWidget() is form.fields["customer.name"])
    form.fields["handler"].set_key("S001")                 # chosen on purpose: kept
    when_modal(qtbot, sign_in)
    assert window.switch_user()
    assert form.fields["handler"].key() == "S001"


def answer_keys_confirm_with_an_undo_before_anything_is_written(window, qtbot, store):
    picker = window.picker
    window.work.setCurrentIndex(1)
    picker.amount.setText("200")
    picker.refresh()
    assert picker.select_kind("exchange")
    assert picker.offer() is not None
    before = store_rows(store)
    window.activateWindow()            # shortcuts answer in the active window (after a dialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    picker.list.setFocus()
    QTest.keyClick(picker.list, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert picker.confirm.pending == "accepted" and picker.confirm.isVisible()
    assert "accepted" in picker.confirm.text.text().lower()
    QTest.keyClick(picker.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert picker.confirm.pending is None and not picker.confirm.isVisible()
    assert store_rows(store) == before                      # undone: nothing written
    QTest.keyClick(picker.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert picker.confirm.pending == "refused"
    assert store_rows(store) == before
    window.intake.new_complaint()
    window.picker.set_case(None)                            # moving on records it
    assert picker.confirm.pending is None
    with store.read() as session:
        from desk.queries import case_detail
        case = case_detail(session, window.checklist.case.case_no)
    assert case.offers[-1].answer == "refused"


def test_search_to_case_in_one_key_title_and_whole_case_numbers(window, qtbot, language):
    search_result_to_case_in_one_key(window, qtbot)
    window_title_and_case_numbers_follow_the_screen(window, qtbot, language)


def search_result_to_case_in_one_key(window, qtbot):
    window.intake.fields["desk"].setText("B")               # taken first, at desk B
    first = saved_case(window, qtbot)
    assert first.case_no.startswith("B-")
    window.intake.new_complaint()
    window.intake.fields["customer.name"].setText("周太太")
    window.intake.fields["complaint"].setPlainText("電梯故障")
    second = window.intake.save()
    window.actions["find"].trigger()
    panel = window.case_list
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.search or
                    window.focusWidget() is panel.search)
    type_text(panel.search, "周太太")
    QTest.keyClick(panel.search, Qt.Key.Key_Return)          # the one key
    assert window.tabs.currentIndex() == 2
    assert window.detail.case.case_no == second.case_no != first.case_no
    # The list's default order is newest first, whichever desk took the case.
    panel.search.clear()
    panel.apply_filter()
    assert panel.model.row_at(0).case_no == second.case_no


def test_zh_cn_approval_dialog_is_simplified_and_names_who_can_approve(window, qtbot,
                                                                        language):
    from desk.search_text import normalise
    language.switch("zh_CN")
    saved_case(window, qtbot)
    picker = window.picker
    picker.amount.setText("1500")
    picker.refresh()
    assert picker.select_kind("voucher")
    texts: list = []

    def look(dialog):
        texts.extend(w.text() for w in dialog.findChildren(QLabel) if w.text())
        texts.append(dialog.windowTitle())
        dialog.reject()
    when_modal(qtbot, look)
    picker.offer()
    shown = "\n".join(texts)
    assert "服务台督导" in shown and "服务台人员" in shown          # who can, whose limit
    traditional = [ch for ch in shown if normalise(ch) != ch.lower()]
    assert not traditional, shown


def window_title_and_case_numbers_follow_the_screen(window, qtbot, language):
    from PySide6.QtWidgets import QTableView

    from desk.app.review import StoreReview
    from tests.conftest import PINS as pins
    from ui.approvals import ApprovalsQueue
    from ui.review import ReviewWindow
    for locale, name in (("zh_CN", "客诉服务台"), ("en", "Complaint Desk")):
        language.switch(locale)
        assert QApplication.applicationDisplayName() == name
    desk = window.desk
    desk.sign_in("S001", pins["S001"])
    review = ReviewWindow(StoreReview(desk.store, desk.policy, desk.actor), desk.policy)
    queue = ApprovalsQueue(desk)
    for top in (review, queue):
        qtbot.addWidget(top)
        for table in top.findChildren(QTableView):
            if table.objectName() in ("review_table", "follow_up_table", "approvals_table"):
                width = table.fontMetrics().horizontalAdvance("A-20261122-0007")
                assert table.columnWidth(0) > width, table.objectName()
