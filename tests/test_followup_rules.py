"""The follow-up rules completed: three attempts at least three hours apart within 48 hours,
then a text message is due; a satisfaction of 2 or below reopens the case (resolved or
closed) for a revisit within the policy's days and is counted; the 2-day callback is queued
when the case is resolved, and again after the revisit is resolved."""
from __future__ import annotations

import pytest

import json
from datetime import timedelta

from desk import followup as fu
from desk.casedoc import export_case
from desk.casedoc_import import import_file
from desk.queries import case_detail
from desk.reports.stats import week_stats
from desk.services import handling
from tests.approvals_support import run_cli
from tests.review_support import at, make_case

DAY = "2026-11-16"


def _calls(*spec):
    base = at(DAY, "10:00")
    return [fu.Call(base + timedelta(hours=h), False, None, text) for h, text in spec]


def test_attempts_count_only_within_the_window(policy):
    state = fu.follow_up_state
    # three attempts in time: a text message is due, then the follow-up is done
    due = state(policy, _calls((0, False), (3, False), (6, False)))
    assert due.state == "pending" and due.text_due and due.window_ends == at("2026-11-18",
                                                                              "10:00")
    assert state(policy, _calls((0, False), (3, False), (6, True))).state == "unreachable"
    # the third attempt came after 48 hours: it does not count, and none fits any more
    late = state(policy, _calls((0, False), (3, False), (49, True)))
    assert late.counted == 2 and late.state == "pending" and not late.text_due
    assert late.next_attempt_after == at(DAY, "16:00")
    spread = state(policy, _calls((0, False), (46, False)))
    assert spread.counted == 2 and spread.next_attempt_after is None   # 49 h > the window
    row = fu.FollowUpRow("A-1", "A", "x", None, "y", 1, None, at(DAY, "10:00"), False, spread)
    assert "text" in row.needs(policy.tz)


def test_a_poor_score_reopens_for_a_revisit_and_is_counted(store, policy, team, capsys):
    resolved = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="resolved")
    closed = make_case(store, policy, team.clerk, at(DAY, "11:00"), stage="closed",
                       closer=team.supervisor)
    happy = make_case(store, policy, team.clerk, at(DAY, "12:00"), stage="resolved")
    with store.read() as s:   # the callback was queued by the resolution itself
        assert case_detail(s, resolved).follow_up_due == at("2026-11-18", "10:30")
        assert {r.case_no for r in fu.follow_up_queue(s, policy, at(DAY, "13:00"))} == {
            resolved, closed, happy}
    call_at = at("2026-11-17", "15:00")
    with store.write(team.clerk) as s:
        fu.record_call(s, policy, resolved, team.clerk, reached=True, satisfaction=2,
                       comment="Still unhappy with the repair.", now=call_at)
        fu.record_call(s, policy, closed, team.clerk, reached=True, satisfaction=1,
                       comment="The shop was rude again.", now=call_at)
        fu.record_call(s, policy, happy, team.clerk, reached=True, satisfaction=3, now=call_at)
    with store.read() as s:
        for no in (resolved, closed):
            d = case_detail(s, no)
            assert d.status == "in_progress" and d.closed_at is None
            assert d.revisit_due == call_at + timedelta(days=7) == d.resolution_due
            assert d.promised_reply_at == d.revisit_due
            assert "satisfaction" in d.history[-1].reason
        assert case_detail(s, happy).status == "resolved"
        assert {r.case_no for r in fu.follow_up_queue(s, policy, call_at)} == set()
        stats = week_stats(s, policy, at(DAY, "10:00").date(), now=call_at)
    assert stats.low_score_reopens == 2
    # the revisit resolves it again: a new callback is queued, the old call no longer counts
    again = at("2026-11-19", "10:00")
    with store.write(team.clerk) as s:
        handling.resolve(s, policy, resolved, team.clerk, "Repaired again; checked in person.",
                         "founded", now=again)
    with store.read() as s:
        [row] = [r for r in fu.follow_up_queue(s, policy, again) if r.case_no == resolved]
    assert row.state.state == "pending" and row.state.calls == 0
    # through the command too, with the real clock: a score of 1 reopens
    no = make_case(store, policy, team.clerk, at(DAY, "13:00"), stage="resolved")
    code, out, err = run_cli(store, "followup", "call", no, "--reached", "--satisfaction", "1",
                             as_staff="C001", capsys=capsys)
    assert code == 0, err
    with store.read() as s:
        assert case_detail(s, no).status == "in_progress"
    # three unanswered attempts in time: the queue says a text message is due
    from desk.model import utcnow
    quiet = make_case(store, policy, team.clerk, utcnow() - timedelta(hours=30))
    first = utcnow() - timedelta(hours=28)
    with store.write(team.clerk) as s:
        for hours in (0, 3, 6):
            fu.record_call(s, policy, quiet, team.clerk, reached=False,
                           now=first + timedelta(hours=hours))
    code, out, err = run_cli(store, "followup", "list", "--json", capsys=capsys)
    [row] = [r for r in json.loads(out) if r["case_no"] == quiet]
    assert code == 0 and row["text_due"] and row["counted"] == 3 and "text" in row["next"]


def test_an_imported_poor_score_reopens_the_case(store, policy, team):
    no = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="resolved")
    with store.read() as s:
        doc = export_case(s, no)
    doc.pop("case_no")
    doc["follow_ups"] = [{"at": at("2026-11-17", "11:00").isoformat(), "reached": True,
                          "satisfaction": 2, "comment": "Not fixed."}]
    [done] = import_file(store, policy, team.clerk, [doc], now=at("2026-11-17", "12:00"))
    with store.read() as s:
        d = case_detail(s, done.case_no)
        again = export_case(s, done.case_no)
    assert d.status == "in_progress" and d.revisit_due == at("2026-11-24", "11:00")
    assert again["follow_ups"][0]["satisfaction"] == 2


@pytest.fixture(autouse=True)
def _messages_in_english(monkeypatch):
    """The messages checked here are the English ones; the bundled catalogs translate them."""
    from desk.i18n import using_locale
    monkeypatch.setenv("DESK_LOCALE", "en")
    with using_locale("en"):
        yield
