"""Pause and resume of the resolution clock and a tenant chargeback, from the case detail
(real widgets on a real store; the dialogs driven as a person would)."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt

from desk.i18n import format_datetime
from desk.model import utcnow
from tests.conftest import PINS
from tests.review_support import make_case
from tests.ui.conftest import fill_form_dialog
from ui.aftercare import Aftercare
from ui.case_actions import chargeback_dialog, resume_dialog


def test_pause_and_resume_move_the_resolution_deadline(window, qtbot, store, policy, team):
    received = utcnow() - timedelta(hours=2)          # ★: 22 hours left to resolve
    case_no = make_case(store, policy, team.clerk, received, stage="in_progress")
    detail = window.detail
    window.open_case(case_no)
    assert detail.buttons["pause"].isEnabled() and not detail.buttons["resume"].isEnabled()
    assert detail.buttons["chargeback"].isHidden()      # a clerk records no chargebacks
    assert "never stopped" in detail.values["clock"].text()

    errors, _dialog = fill_form_dialog(qtbot, [{"waiting_on": "tenant", "reason": " "},
                                      {"reason": "The shop checks its stock."}])
    qtbot.mouseClick(detail.buttons["pause"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.case.status == "waiting")
    assert "required" in errors[0] and errors[1] == ""   # refused first: nothing was written
    case = detail.case
    assert case.resolution_due == case.statutory_due     # only the statutory limit runs
    statutory = format_datetime(case.statutory_due, policy.tz)
    assert statutory in detail.values["deadlines"].text()
    clock = detail.values["clock"].text()
    assert "Stopped since" in clock and "Waiting on the tenant" in clock and statutory in clock
    pauses = detail.aftercare.pause_tree
    assert pauses.topLevelItemCount() == 1
    assert pauses.topLevelItem(0).text(3) == "still waiting"
    assert pauses.topLevelItem(0).text(4).startswith("21 hr")
    assert detail.buttons["resume"].isEnabled() and not detail.buttons["pause"].isEnabled()
    assert detail.case.history[-1].reason == "The shop checks its stock."

    fill_form_dialog(qtbot, [{"note": "The shop has the size."}])
    qtbot.mouseClick(detail.buttons["resume"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.case.status == "in_progress")
    left = detail.case.resolution_due - utcnow()
    assert timedelta(hours=21) < left <= timedelta(hours=22)   # the time left came back
    assert "Running again" in detail.values["clock"].text()
    assert pauses.topLevelItem(0).text(3) != "still waiting"

    dialog = resume_dialog(window.desk, detail.case, detail)  # not waiting: desk says no
    qtbot.addWidget(dialog)
    dialog.run()
    assert "is not waiting on anyone" in dialog.error.text()
    assert dialog.result() != dialog.DialogCode.Accepted


def test_a_supervisor_records_a_chargeback_a_clerk_is_refused(window, qtbot, store, policy,
                                                              team):
    case_no = make_case(store, policy, team.clerk, utcnow() - timedelta(hours=3),
                        stage="closed", closer=team.supervisor, offer=("voucher", "400", ["V9"]))
    detail = window.detail
    window.open_case(case_no)
    assert detail.buttons["chargeback"].isHidden()
    window.desk.sign_in("S001", PINS["S001"])
    detail.show_case(detail.case)
    button = detail.buttons["chargeback"]
    assert not button.isHidden() and button.isEnabled()

    errors, _dialog = fill_form_dialog(qtbot, [{"amount": "500"},
                                      {"amount": "300", "reason": "Soles glued badly."}])
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.aftercare.chargeback_tree.topLevelItemCount() == 1)
    assert "at most" in errors[0] and "400" in errors[0]
    row = detail.aftercare.chargeback_tree.topLevelItem(0)
    assert (row.text(1), row.text(2), row.text(4)) == ("Shop 1F-01", "NT$300",
                                                       "not yet recovered")
    assert button.isEnabled()                             # 100 still to charge back

    dialog = chargeback_dialog(window.desk, detail.case, detail)
    qtbot.addWidget(dialog)
    assert dialog.widgets["tenant"].text() == "Shop 1F-01"
    window.desk.sign_in("C001", PINS["C001"])            # someone else at the PC now
    dialog.set_values(amount="50")
    dialog.run()
    assert "supervisor" in dialog.error.text()
    assert len(Aftercare.of_desk(window.desk).chargebacks_of(case_no)) == 1


def test_the_case_shows_the_root_cause_records_it_belongs_to(window, store, policy, team):
    first = make_case(store, policy, team.clerk, utcnow() - timedelta(hours=5))
    second = make_case(store, policy, team.clerk, utcnow() - timedelta(hours=4))
    supervisor = Aftercare(store, policy, lambda: team.supervisor)
    number = supervisor.open_root_cause([first, second], "Soles come loose", "Two in a week")
    window.open_case(second)
    tree = window.detail.aftercare.root_cause_tree
    assert tree.topLevelItemCount() == 1
    item = tree.topLevelItem(0)
    assert item.text(0) == str(number) and first in item.text(3) and second in item.text(3)
    assert item.text(2) == "Open: 5 of 6 parts to write"
