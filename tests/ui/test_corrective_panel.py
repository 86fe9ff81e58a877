"""The supervisor's corrective-actions tab of the review window: root-cause records opened,
written, verified; chargebacks settled; every refusal shown from desk (pytest-qt)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from desk.app.review import StoreReview
from tests.review_support import at, make_case
from tests.ui.conftest import fill_form_dialog
from ui.aftercare import Aftercare
from ui.corrective import case_numbers
from ui.review import ReviewWindow

DAY = "2026-11-16"


def _press(qtbot, button, steps: list, *, cancel_after: bool = False) -> list:
    """Click ``button``; on the form it opens fill in each set of values and press OK, the
    error shown after each press is returned (then Escape when ``cancel_after``)."""
    errors, seen = fill_form_dialog(qtbot, steps, cancel_after=cancel_after)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(seen) and not seen[0].isVisible())
    return errors


def _window(qtbot, store, policy, actor):
    win = ReviewWindow(StoreReview(store, policy, actor), policy, day=at(DAY, "00:00").date())
    qtbot.addWidget(win)
    win.show()
    return win


def test_root_cause_record_opened_written_and_verified(qtbot, store, policy, team, language):
    one = make_case(store, policy, team.clerk, at(DAY, "10:00"))
    two = make_case(store, policy, team.clerk, at(DAY, "11:00"))
    win = _window(qtbot, store, policy, team.supervisor)
    panel = win.corrective
    assert win.tabs.count() == 5 and win.tabs.tabText(2) == "Corrective actions"  # + promises, patterns
    assert panel.records.rowCount() == 0 and not panel.buttons["verify"].isEnabled()

    errors = _press(qtbot, panel.buttons["open"], [
        {"cases": one, "title": "Soles come loose", "problem": "Two pairs in a week"},
        {"cases": f"{one}, {two}"}])
    assert "two cases or more" in errors[0] and errors[1] == ""
    assert panel.records.rowCount() == 1
    assert panel.record().cases == (one, two)
    assert "not written yet" in panel.record_view.toPlainText()
    assert panel.record_count.text() == "1 open, 0 ready to verify"

    errors = _press(qtbot, panel.buttons["verify"], [{}], cancel_after=True)
    assert "write these first" in errors[0] and "Containment" in errors[0]
    assert panel.record().verified_at is None             # refused: nothing written

    _press(qtbot, panel.buttons["update"], [{
        "containment": "Pulled the batch from the shelf", "root_cause": "Glue past its date",
        "permanent_fix": "Supplier changed", "verification": "No returns in 30 days",
        "prevention": "Incoming check of glue dates", "team": "Floor 3, quality"}])
    assert "not written yet" not in panel.record_view.toPlainText()
    assert "Glue past its date" in panel.record_view.toPlainText()
    assert panel.record_count.text() == "1 open, 1 ready to verify"

    _press(qtbot, panel.buttons["verify"], [{}])
    assert panel.records.rowCount() == 0                  # verified records are hidden
    panel.show_verified.setChecked(True)
    assert panel.records.rowCount() == 1
    assert panel.records.data(panel.records.index(0, 2)).startswith("Verified by 林志明")
    assert not panel.buttons["update"].isEnabled()


def test_chargeback_settled_once_and_refused_twice(qtbot, store, policy, team, language):
    paid = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="closed",
                     closer=team.supervisor, offer=("voucher", "400", ["V9"]))
    supervisor = Aftercare(store, policy, lambda: team.supervisor)
    supervisor.record_chargeback(paid, "300", "Soles glued badly")
    win = _window(qtbot, store, policy, team.supervisor)
    panel = win.corrective
    assert panel.charges.rowCount() == 1
    assert panel.charge_count.text() == "Still to recover: NT$300; tenants owing: 1"
    stale = panel.settle_dialog(panel.chargeback())       # a form left open meanwhile
    qtbot.addWidget(stale)

    _press(qtbot, panel.buttons["settle"], [{"note": "Deducted from the November rent"}])
    assert panel.charges.rowCount() == 0 and not panel.buttons["settle"].isEnabled()
    panel.show_settled.setChecked(True)
    assert "Deducted from the November rent" in panel.charges.data(panel.charges.index(0, 5))

    stale.run()                                           # desk refuses a second settlement
    assert "already settled" in stale.error.text()
    assert stale.result() != stale.DialogCode.Accepted


def test_a_clerk_gets_no_corrective_tab(qtbot, store, policy, team, language):
    win = _window(qtbot, store, policy, team.clerk)
    assert win.corrective is None and win.tabs.count() == 3   # review, follow-ups, promises


def test_case_numbers_as_typed():
    assert case_numbers("A-1, A-2\nA-3;A-4  A-5、A-6") == ["A-1", "A-2", "A-3", "A-4", "A-5",
                                                          "A-6"]
