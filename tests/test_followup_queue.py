"""Follow-up calls after resolution (three attempts three hours apart plus a text message when
the customer cannot be reached) and the resolution clock paused while waiting on others."""
from __future__ import annotations

from datetime import timedelta

import pytest

from desk import followup as fu
from desk.errors import TransitionError, ValidationError
from desk.queries import case_detail
from desk.services import handling
from tests.review_support import at, make_case

DAY = "2026-11-16"


def _calls(policy, *spec):
    base = at(DAY, "10:00")
    return [fu.Call(base + timedelta(hours=h), reached, None, text) for h, reached, text in spec]


def test_the_attempt_rule(policy):
    state = fu.follow_up_state
    assert state(policy, []).state == "pending"
    # three unanswered calls three hours apart, and a text: unreachable
    done = state(policy, _calls(policy, (0, False, False), (3, False, False), (6, False, True)))
    assert done.state == "unreachable" and done.counted == 3
    # calls too close together do not count
    close = state(policy, _calls(policy, (0, False, True), (1, False, False), (2.9, False, False),
                                 (3, False, False)))
    assert close.state == "pending" and close.counted == 2
    assert close.next_attempt_after == at(DAY, "16:00")
    # enough calls but no text message yet
    no_text = state(policy, _calls(policy, (0, False, False), (3, False, False), (6, False, False)))
    assert no_text.state == "pending" and no_text.next_attempt_after is None
    # reached at last
    assert state(policy, _calls(policy, (0, False, False), (1, True, False))).state == "reached"


def test_the_queue_overdue_count_and_satisfaction(store, policy, team):
    a = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="resolved",
                  resolve_after=timedelta(hours=1), phone="0911000001")   # due 11-18 11:00
    b = make_case(store, policy, team.clerk, at(DAY, "12:00"), stage="closed",
                  closer=team.supervisor, phone="0911000002")
    c = make_case(store, policy, team.clerk, at(DAY, "13:00"), stage="in_progress")
    now = at("2026-11-17", "10:00")
    with store.read() as s:
        queue = fu.follow_up_queue(s, policy, now)
        assert [r.case_no for r in queue] == [a, b]
        assert not any(r.overdue for r in queue)
        assert fu.overdue_follow_ups(s, policy, now) == 0
    later = at("2026-11-19", "09:00")
    with store.read() as s:
        assert fu.overdue_follow_ups(s, policy, later) == 2
    with store.write(system="test") as s:
        state = fu.record_call(s, policy, a, team.clerk, reached=True, satisfaction=4,
                               comment="Happy with the exchange.", now=later)
    assert state.state == "reached" and state.satisfaction == 4
    for hours, text in ((0, False), (3, False), (6, True)):
        with store.write(system="test") as s:
            state = fu.record_call(s, policy, b, team.clerk, reached=False, text_sent=text,
                                   now=later + timedelta(hours=hours))
    assert state.state == "unreachable"
    with store.read() as s:
        assert fu.follow_up_queue(s, policy, later + timedelta(hours=7)) == []
        assert fu.overdue_follow_ups(s, policy, later + timedelta(hours=7)) == 0
        detail = case_detail(s, a)
    assert detail.follow_ups[0].satisfaction == 4
    assert detail.follow_ups[0].comment == "Happy with the exchange."
    with pytest.raises(TransitionError), store.write(system="test") as s:
        fu.record_call(s, policy, c, team.clerk, reached=False, now=later)
    with pytest.raises(ValidationError), store.write(system="test") as s:
        fu.record_call(s, policy, a, team.clerk, reached=True, satisfaction=9, now=later)


def test_a_follow_up_a_month_overdue_leaves_the_queue(store, policy, team):
    make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="resolved")
    with store.read() as s:
        assert fu.overdue_follow_ups(s, policy, at("2026-12-10", "10:00")) == 1
        assert fu.overdue_follow_ups(s, policy, at("2026-12-25", "10:00")) == 0


def test_waiting_pauses_the_resolution_clock(store, policy, team):
    received = at(DAY, "10:00")                   # ★: resolve within 24 hours
    case_no = make_case(store, policy, team.clerk, received, stage="in_progress")
    with store.read() as s:
        due = case_detail(s, case_no).resolution_due
    assert due == received + timedelta(hours=24)
    stop = received + timedelta(hours=4)          # 20 hours left
    with store.write(system="test") as s:
        fu.pause(s, policy, case_no, team.clerk, "tenant", "The shop checks its stock.",
                 now=stop)
    with store.read() as s:
        detail = case_detail(s, case_no)
    assert detail.status == "waiting" and detail.resolution_due == detail.statutory_due
    assert detail.history[-1].reason == "The shop checks its stock."
    start = stop + timedelta(days=2)
    with store.write(system="test") as s:
        fu.resume(s, policy, case_no, team.clerk, "The shop answered.", now=start)
    with store.read() as s:
        detail = case_detail(s, case_no)
        rows = fu.pauses(s, case_no)
    assert detail.status == "in_progress"
    assert detail.resolution_due == start + timedelta(hours=20)
    assert rows[0].waiting_on == "tenant" and rows[0].ended_at == start
    with pytest.raises(TransitionError), store.write(system="test") as s:
        fu.resume(s, policy, case_no, team.clerk, now=start)
    with pytest.raises(ValidationError), store.write(system="test") as s:
        fu.pause(s, policy, case_no, team.clerk, "tenant", " ", now=start)
    with pytest.raises(ValidationError), store.write(system="test") as s:
        fu.pause(s, policy, case_no, team.clerk, "weather", "rain", now=start)
    with store.write(system="test") as s:   # the clock never runs past the statutory limit
        fu.pause(s, policy, case_no, team.clerk, "customer", "Customer abroad.", now=start)
        fu.resume(s, policy, case_no, team.clerk, now=start + timedelta(days=20))
        handling.record_step(s, policy, case_no, team.clerk, "confirm",
                             now=start + timedelta(days=20))
    with store.read() as s:
        detail = case_detail(s, case_no)
    assert detail.resolution_due == detail.statutory_due
