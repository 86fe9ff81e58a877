"""Supervisor review at the desk: decisions, the unreviewed count, day close and a recorded
reopen by a higher role; a closed day refuses every change to its cases."""
from __future__ import annotations

from datetime import timedelta

import pytest

from desk import review as rv
from desk.errors import AuthorityError, TransitionError, ValidationError
from desk.services import handling
from tests.review_support import at, make_case

DAY = "2026-11-16"
LATE = at(DAY, "21:30")


@pytest.fixture
def day_cases(store, policy, team):
    """Desk A: one closed case, one resolved, one still in progress; desk B: one closed."""
    closed = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="closed",
                       closer=team.supervisor)
    resolved = make_case(store, policy, team.clerk, at(DAY, "11:00"), stage="resolved")
    active = make_case(store, policy, team.clerk, at(DAY, "12:00"), stage="in_progress")
    other = make_case(store, policy, team.clerk2, at(DAY, "13:00"), desk="B", stage="closed",
                      closer=team.supervisor)
    return closed, resolved, active, other


def test_the_day_lists_every_case_with_its_review_state(store, policy, team, day_cases):
    closed, resolved, active, _other = day_cases
    with store.read() as s:
        day = rv.review_day(s, policy, at(DAY, "00:00").date(), "A", now=LATE)
    assert [r.case_no for r in day.rows] == [closed, resolved, active]
    assert day.unreviewed == 3
    assert {r.review for r in day.rows} == {rv.UNREVIEWED}
    row = day.rows[2]
    assert row.status == "in_progress" and row.sla == "overdue"  # reply promised by 14:01
    assert day.rows[0].sla == "met"


def test_decisions_count_down_the_unreviewed(store, policy, team, day_cases):
    closed, resolved, active, _other = day_cases
    with store.write(system="test") as s:
        rv.decide(s, policy, closed, team.supervisor, "approved", now=LATE)
        rv.decide(s, policy, active, team.supervisor, "returned", "Call the tenant first.",
                  now=LATE)
    with store.read() as s:
        day = rv.review_day(s, policy, LATE.date(), "A", now=LATE)
        assert rv.returned_cases(s, "A") == [active]
        history = rv.review_history(s, active)
    assert day.unreviewed == 2
    assert [(r.case_no, r.review) for r in day.rows] == [
        (closed, "approved"), (resolved, "unreviewed"), (active, "returned")]
    assert day.rows[2].review_comment == "Call the tenant first."
    assert history[0].reviewer == team.supervisor.name


def test_a_return_needs_a_comment_and_reviewing_needs_the_privilege(store, policy, team,
                                                                     day_cases):
    closed = day_cases[0]
    with pytest.raises(ValidationError) as err, store.write(system="test") as s:
        rv.decide(s, policy, closed, team.supervisor, "returned", "  ", now=LATE)
    assert err.value.field == "reason"
    with pytest.raises(AuthorityError), store.write(system="test") as s:
        rv.decide(s, policy, closed, team.clerk, "approved", now=LATE)


def test_signing_off_a_resolved_case_closes_it_and_an_active_one_is_refused(
        store, policy, team, day_cases):
    _closed, resolved, active, _other = day_cases
    with store.write(system="test") as s:
        rv.decide(s, policy, resolved, team.supervisor, "signed_off", now=LATE)
    with pytest.raises(TransitionError) as err, store.write(system="test") as s:
        rv.decide(s, policy, active, team.supervisor, "signed_off", now=LATE)
    assert active in str(err.value)
    with store.read() as s:
        rows = {r.case_no: r for r in rv.review_rows(s, policy, LATE.date(), "A", now=LATE)}
    assert rows[resolved].status == "closed" and rows[resolved].review == "signed_off"


def test_the_day_closes_only_when_every_case_is_reviewed_and_finished(store, policy, team,
                                                                      day_cases):
    closed, resolved, active, other = day_cases
    with store.write(system="test") as s:
        rv.decide(s, policy, closed, team.supervisor, "approved", now=LATE)
        rv.decide(s, policy, resolved, team.supervisor, "signed_off", now=LATE)
        rv.decide(s, policy, active, team.supervisor, "approved", now=LATE)
    with pytest.raises(TransitionError) as err, store.write(system="test") as s:
        rv.close_day(s, policy, team.supervisor, "A", LATE.date(), now=LATE)
    assert "1" in str(err.value) and active in str(err.value)
    with store.write(system="test") as s:  # finish the last case, then it may close
        handling.record_step(s, policy, active, team.clerk, "confirm", now=LATE)
        handling.resolve(s, policy, active, team.clerk, "Done.", "founded", now=LATE)
        rv.decide(s, policy, active, team.supervisor, "signed_off", now=LATE)
        rv.close_day(s, policy, team.supervisor, "A", LATE.date(), now=LATE)
    with store.read() as s:
        day = rv.review_day(s, policy, LATE.date(), None, now=LATE)
    assert day.closed("A").closed_by == team.supervisor.name and day.closed("B") is None
    assert day.unreviewed == 1  # desk B's case


def _close_a(store, policy, team, day_cases):
    closed, resolved, active, _other = day_cases
    with store.write(system="test") as s:
        handling.record_step(s, policy, active, team.clerk, "confirm", now=LATE)
        handling.resolve(s, policy, active, team.clerk, "Done.", "founded", now=LATE)
        for case_no in (closed, resolved, active):
            rv.decide(s, policy, case_no, team.supervisor,
                      "approved" if case_no == closed else "signed_off", now=LATE)
        rv.close_day(s, policy, team.supervisor, "A", LATE.date(), now=LATE)


def test_a_closed_day_refuses_changes_and_new_cases_but_not_follow_up_calls(
        store, policy, team, day_cases):
    closed = day_cases[0]
    _close_a(store, policy, team, day_cases)
    with pytest.raises(TransitionError) as err, store.write(system="test") as s:
        handling.add_attachment(s, closed, team.clerk, b"receipt", "receipt.jpg", now=LATE)
    assert "reopen the day" in err.value.msgid and closed in str(err.value)
    with pytest.raises(TransitionError), store.write(system="test") as s:
        rv.decide(s, policy, closed, team.supervisor, "returned", "again", now=LATE)
    with pytest.raises(TransitionError), store.write(system="test") as s:
        make_case(store, policy, team.clerk, at(DAY, "21:00"))
    # desk B's day is still open
    make_case(store, policy, team.clerk, at(DAY, "21:00"), desk="B", stage="open")
    with store.write(system="test") as s:  # after-care goes on
        handling.add_follow_up(s, policy, closed, team.clerk, reached=True, satisfaction=5,
                               now=LATE + timedelta(days=1))


def test_reopening_needs_a_higher_role_and_a_reason_and_is_recorded(store, policy, team,
                                                                    day_cases):
    closed = day_cases[0]
    _close_a(store, policy, team, day_cases)
    with pytest.raises(AuthorityError), store.write(system="test") as s:
        rv.reopen_day(s, policy, team.supervisor2, "A", LATE.date(), "typo", now=LATE)
    with pytest.raises(ValidationError), store.write(system="test") as s:
        rv.reopen_day(s, policy, team.manager, "A", LATE.date(), " ", now=LATE)
    later = LATE + timedelta(hours=12)
    with store.write(system="test") as s:
        rv.reopen_day(s, policy, team.manager, "A", LATE.date(), "Wrong phone number", now=later)
        handling.add_attachment(s, closed, team.clerk, b"receipt", "receipt.jpg", now=later)
    with store.read() as s:
        closes = rv.day_closes(s, LATE.date(), "A")
    assert len(closes) == 1 and not closes[0].in_force
    assert closes[0].reopened_by == team.manager.name
    assert closes[0].reopen_reason == "Wrong phone number"
    with pytest.raises(TransitionError), store.write(system="test") as s:
        rv.reopen_day(s, policy, team.manager, "A", LATE.date(), "again", now=later)
