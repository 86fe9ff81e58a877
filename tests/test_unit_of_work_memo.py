"""What the services remember within one unit of work (staff, open days, matched PINs, the
audit log's tail) is forgotten the moment the session changes it."""
from datetime import timedelta

import pytest
from sqlalchemy import update

from desk import services
from desk.audit import verify
from desk.errors import AuthenticationError, NotFound, TransitionError
from desk.model import Staff
from desk.review_model import DayClose
from desk.security import hash_pin
from desk.services.auth import check_pin, staff_by_no
from tests.conftest import PINS
from tests.helpers import T0, complaint


def take(session, policy, team, minutes=0):
    return services.take_complaint(session, policy, team.clerk, complaint(),
                                   now=T0 + timedelta(minutes=minutes))


def close_today(session, team) -> DayClose:
    row = DayClose(desk="A", day=T0.date(), closed_at=T0 + timedelta(hours=1),
                   closed_by_id=team.supervisor.id, cases=0)
    session.add(row)
    return row


@pytest.mark.parametrize("flushed", [False, True])
def test_a_day_closed_in_the_same_unit_of_work_refuses_the_next_case(store, policy, team,
                                                                    flushed):
    with store.write(system="test") as s:
        take(s, policy, team)                  # the day is found open and remembered
        close_today(s, team)
        if flushed:
            s.flush()
        with pytest.raises(TransitionError):
            take(s, policy, team, 1)
        s.rollback()


def test_a_day_reopened_by_a_statement_is_open_again(store, policy, team):
    with store.write(system="test") as s:
        close_today(s, team)
    with store.write(system="test") as s:
        with pytest.raises(TransitionError):
            take(s, policy, team)
        s.execute(update(DayClose).values(reopened_at=T0 + timedelta(hours=2)))
        take(s, policy, team, 1)


def test_a_reopening_rolled_back_to_a_savepoint_closes_the_day_again(store, policy, team):
    with store.write(system="test") as s:
        row = close_today(s, team)
    with store.write(system="test") as s:
        row = s.get(DayClose, row.id)
        savepoint = s.begin_nested()
        row.reopened_at = T0 + timedelta(hours=2)
        s.flush()
        take(s, policy, team)                  # open while reopened, and remembered
        savepoint.rollback()
        with pytest.raises(TransitionError):
            take(s, policy, team, 1)


def test_a_staff_member_rolled_back_is_no_longer_found(store, policy, team):
    with store.write(system="test") as s:
        savepoint = s.begin_nested()
        services.add_staff(s, policy, "C009", "新同事", "clerk", "2580", actor=team.gm)
        assert staff_by_no(s, "C009").name == "新同事"
        savepoint.rollback()
        with pytest.raises(NotFound):
            staff_by_no(s, "C009")


def test_a_staff_member_deactivated_by_a_statement_can_no_longer_approve(store, policy, team):
    with store.write(system="test") as s:
        assert check_pin(s, policy, "S002", PINS["S002"], count_failure=False).staff_no == "S002"
        s.execute(update(Staff).where(Staff.staff_no == "S002").values(active=False))
        with pytest.raises(AuthenticationError):
            check_pin(s, policy, "S002", PINS["S002"], count_failure=False)


def test_a_remembered_pin_stops_matching_when_the_pin_changes(store, policy, team):
    with store.write(system="test") as s:
        check_pin(s, policy, "S001", PINS["S001"], count_failure=False)
        staff_by_no(s, "S001").pin_hash = hash_pin("2580")
        s.flush()
        with pytest.raises(AuthenticationError):
            check_pin(s, policy, "S001", PINS["S001"], count_failure=False)
        assert check_pin(s, policy, "S001", "2580", count_failure=False).staff_no == "S001"


@pytest.mark.parametrize("savepoint_ends", ["rollback", "commit"])
def test_the_audit_chain_holds_across_savepoints(store, policy, team, savepoint_ends):
    with store.write(system="test") as s:
        take(s, policy, team)
        savepoint = s.begin_nested()
        take(s, policy, team, 1)
        getattr(savepoint, savepoint_ends)()
        take(s, policy, team, 2)
    with store.read() as s:
        report = verify(s)
    assert report.ok, [f.message for f in report.findings]
