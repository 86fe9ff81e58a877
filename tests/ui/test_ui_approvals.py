"""The approvals queue on screen (pytest-qt): shown to those who may approve, keyboard first,
every decision taken with the decider's own PIN, refusals shown as desk's message."""
from __future__ import annotations

from PySide6.QtCore import Qt

from desk.queries import case_detail
from tests.approvals_support import dump, pending_offer
from tests.conftest import PINS
from tests.ui.conftest import when_modal
from ui.approvals import ApprovalsModel, ApprovalsQueue, Column


def _decide_on_next_dialog(qtbot, attempts: list[dict], *, cancel: bool = False) -> list:
    """On the decision dialog: type each attempt (staff ID, PIN, note) and press OK; the
    errors it shows after each are collected."""
    errors: list = []

    def handle(dialog):
        for values in attempts:
            dialog.staff_no.setText(values.get("staff_no", dialog.staff_no.text()))
            dialog.pin.setText(values.get("pin", ""))
            dialog.note.setText(values.get("note", ""))
            dialog.run()
            errors.append(dialog.error.text() if dialog.error.isVisibleTo(dialog) else "")
        if cancel and dialog.isVisible():
            dialog.reject()
    when_modal(qtbot, handle)
    return errors


def test_the_model_needs_no_view(store, policy, team, language):
    pending_offer(store, policy, team.clerk)
    from desk.approvals import pending_approvals
    with store.read() as s:
        rows = pending_approvals(s, policy, team.supervisor)
    model = ApprovalsModel(currency=policy.currency, tz=policy.tz)
    model.set_rows(rows)
    assert model.rowCount() == 1 and model.columnCount() == len(Column)
    assert model.data(model.index(0, Column.AMOUNT)) == "NT$800"
    assert model.data(model.index(0, Column.ROLE_NEEDED)) == "Desk supervisor"
    assert model.headerData(Column.WAITING, Qt.Orientation.Horizontal) == "Waiting"


def test_the_menu_shows_only_to_those_who_may_approve(qtbot, window, store, policy, team):
    action = window.actions["approvals"]
    assert not action.isVisible() and window.open_approvals() is None     # a clerk
    window.desk.sign_in("S001", PINS["S001"])
    window.refresh_status()
    assert action.isVisible() and action.shortcut().toString() == "Ctrl+Shift+A"
    queue = window.open_approvals()
    qtbot.addWidget(queue)
    assert queue.isVisible() and queue.width() <= 1366 and queue.height() <= 768


def test_approve_with_the_keyboard(qtbot, desk, store, policy, team, language):
    case_no = pending_offer(store, policy, team.clerk)
    desk.sign_in("S001", PINS["S001"])
    queue = ApprovalsQueue(desk)
    qtbot.addWidget(queue)
    queue.show()
    qtbot.waitExposed(queue)
    assert queue.model.rowCount() == 1 and "1 offers waiting" in queue.count_label.text()
    opened: list = []
    queue.open_case.connect(opened.append)
    qtbot.keyClick(queue.table, Qt.Key.Key_Return)
    assert opened == [case_no]
    # A wrong PIN first (shown in the dialog, which stays open), then the right one.
    errors = _decide_on_next_dialog(qtbot, [{"pin": "0000"}, {"pin": PINS["S001"]}])
    decided: list = []
    queue.decided.connect(decided.append)
    queue.table.setFocus()
    qtbot.keyClick(queue.table, Qt.Key.Key_A)
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert "wrong PIN" in errors[0] and errors[1] == ""
    assert decided == [case_no] and queue.model.rowCount() == 0
    with store.read() as s:
        offer = case_detail(s, case_no).offers[0]
    assert offer.approval == "approved"


def test_refuse_needs_a_note_and_a_clerk_at_the_pc_cannot_decide(qtbot, desk, store, policy,
                                                                 team, language):
    case_no = pending_offer(store, policy, team.clerk)
    desk.sign_in("S001", PINS["S001"])
    queue = ApprovalsQueue(desk)
    qtbot.addWidget(queue)
    queue.show()
    desk.sign_in("C002", PINS["C002"])     # a clerk takes over the PC, the queue still open
    before = dump(store, skip=("staff", "audit_log"))
    errors = _decide_on_next_dialog(qtbot, [
        {"staff_no": "C002", "pin": PINS["C002"], "note": "Too much."},   # no authority
        {"staff_no": "S001", "pin": PINS["S001"]},                      # no note
    ], cancel=True)
    queue.table.setFocus()
    qtbot.keyClick(queue.table, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert "beyond the authority" in errors[0]
    assert "note" in errors[1]
    assert dump(store, skip=("staff", "audit_log")) == before
    errors = _decide_on_next_dialog(qtbot, [{"staff_no": "S001", "pin": PINS["S001"],
                                             "note": "An exchange is fairer."}])
    qtbot.keyClick(queue.table, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert errors == [""]
    with store.read() as s:
        offer = case_detail(s, case_no).offers[0]
    assert offer.approval == "refused"


def test_the_queue_follows_the_language(qtbot, desk, store, policy, team, language):
    pending_offer(store, policy, team.clerk)
    desk.sign_in("S001", PINS["S001"])
    queue = ApprovalsQueue(desk)
    qtbot.addWidget(queue)
    header = lambda: queue.model.headerData(Column.CASE_NO, Qt.Orientation.Horizontal)  # noqa: E731
    title = queue.windowTitle()
    assert header() == "Case no."
    language.switch("zh_TW")
    queue.retranslate()
    assert header() != "Case no."           # (a new title waits for its catalog entry)
    language.switch("en")
    queue.retranslate()
    assert header() == "Case no." and queue.windowTitle() == title


def test_from_the_main_window_another_supervisor_decides_with_their_own_pin(
        qtbot, window, store, policy, team):
    case_no = pending_offer(store, policy, team.clerk)
    window.desk.sign_in("S001", PINS["S001"])
    window.refresh_status()
    queue = window.open_approvals()
    qtbot.addWidget(queue)
    queue.open_selected()                       # Enter: the case opens in the main window
    assert window.tabs.currentIndex() == 2
    # S002 happens to be at the PC: they type their own ID and PIN; the decision is theirs.
    errors = _decide_on_next_dialog(qtbot, [{"staff_no": "S002", "pin": PINS["S002"]}])
    queue.decide("approve")
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert errors == [""]
    detail = window.desk.detail(case_no)
    assert detail.offers[0].approval == "approved"
    assert detail.offers[0].approver == team.supervisor2.name
    assert detail.status == "in_progress"
