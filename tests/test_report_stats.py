"""The weekly and daily statistics against a small week counted by hand."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from desk import corrective, followup
from desk.reports.stats import day_stats, week_stats
from tests.review_support import at, make_case

NOW = at("2026-11-22", "23:00")          # Sunday night, end of the week 16-22 November


@pytest.fixture
def policy(policy):
    """Shop X has four customers in four days, a batch by the rule: this week is counted by
    hand without the batch radar (tests/test_radar*.py hold it and the report's batches)."""
    from dataclasses import replace
    from desk.policy import RadarRules
    return replace(policy, radar=RadarRules(count=1000))


@pytest.fixture
def week(store, policy, team):
    """Five cases in the week (and one the Sunday before, which must not count):
    1 A Mon 10:00 goods ★  Shop X  P1 closed    voucher 300 V100  resolved +30 min
    2 A Mon 11:00 goods ★  Shop X  P2 resolved  e-mail            resolved +30 min
    3 B Tue 14:00 attitude ★★ facility P1 resolved by C002         resolved +50 h (missed)
    4 A Wed 12:00 tenant ★★★ Shop Y P3 in progress, e-mail        due Fri 12:00 (late)
    5 A Wed 13:00 goods ★  Shop X  P4 resolved  e-mail  gift 150   resolved +3 h
    """
    c = team.clerk
    make_case(store, policy, c, at("2026-11-15", "15:00"), stage="closed", closer=team.supervisor,
              offer=("voucher", "500", ["V099"]), subject_name="Shop X")
    n1 = make_case(store, policy, c, at("2026-11-16", "10:00"), stage="closed",
                   closer=team.supervisor, subject_name="Shop X", phone="0911111111",
                   offer=("voucher", "300", ["V100"]))
    n2 = make_case(store, policy, c, at("2026-11-16", "11:00"), subject_name="Shop X",
                   phone="0922222222", channel="email")
    n3 = make_case(store, policy, team.clerk2, at("2026-11-17", "14:00"), desk="B", severity=2,
                   category="service_attitude", subject_kind="facility", phone="0911111111",
                   channel="phone", resolve_after=timedelta(hours=50), resolver=team.ops)
    n4 = make_case(store, policy, c, at("2026-11-18", "12:00"), stage="in_progress", severity=3,
                   category="tenant", subject_name="Shop Y", phone="0933333333", channel="email")
    n5 = make_case(store, policy, c, at("2026-11-18", "13:00"), subject_name="Shop X",
                   phone="0944444444", channel="email", offer=("small_gift", "150", []),
                   resolve_after=timedelta(hours=3))
    with store.write(system="test") as s:
        followup.record_call(s, policy, n1, c, reached=True, satisfaction=5,
                             now=at("2026-11-17", "10:00"))
        followup.record_call(s, policy, n2, c, reached=True, satisfaction=3,
                             now=at("2026-11-17", "11:00"))
        for hour, text in (("10:00", False), ("13:00", False), ("16:00", True)):
            followup.record_call(s, policy, n3, c, reached=False, text_sent=text,
                                 now=at("2026-11-20", hour))
        corrective.open_root_cause(s, policy, team.supervisor, [n4], "Shop Y refunds",
                                   "Refund refused", now=NOW)
        corrective.record_chargeback(s, policy, team.supervisor, n1, "300", "Faulty goods",
                                     now=NOW)
    return n1, n2, n3, n4, n5


def _pairs(counts):
    return [(c.key, c.count) for c in counts]


def test_the_week_counted_by_hand(store, policy, team, week):
    n1, n2, n3, n4, n5 = week
    with store.read() as s:
        st = week_stats(s, policy, date(2026, 11, 19), now=NOW)
    assert (st.start, st.end, st.total) == (date(2026, 11, 16), date(2026, 11, 22), 5)
    assert _pairs(st.by_category) == [("goods_rights", 3), ("service_attitude", 1), ("tenant", 1)]
    assert _pairs(st.by_level) == [("preliminary", 4), ("level1", 1)]
    assert _pairs(st.by_severity) == [("1", 3), ("2", 1), ("3", 1)]
    assert _pairs(st.by_subject) == [("Shop X", 3), ("(facility)", 1), ("Shop Y", 1)]
    assert _pairs(st.by_desk) == [("A", 4), ("B", 1)]
    assert _pairs(st.by_staff) == [(team.clerk.name, 4), (team.clerk2.name, 1)]
    assert _pairs(st.by_status) == [("in_progress", 1), ("resolved", 3), ("closed", 1)]
    assert [(c.key, c.count, c.amount) for c in st.compensation] == [
        ("small_gift", 1, Decimal("150")), ("voucher", 1, Decimal("300"))]
    assert st.compensation_total == Decimal("450")
    assert st.resolved_same_day == 3 and st.share_resolved_same_day == pytest.approx(0.6)
    # first contact: counter/phone at once, e-mail at the listen step one minute later
    assert st.median_first_contact == timedelta(minutes=1)
    # 30 min, 30 min, 3 h, 50 h
    assert st.median_resolution == timedelta(hours=1, minutes=45)
    sla = st.sla_resolution
    assert (sla.met, sla.missed, sla.open_late, sla.open_on_time) == (3, 1, 1, 0)
    assert sla.share_met == pytest.approx(0.6)
    assert (st.sla_first_contact.met, st.sla_first_contact.missed) == (3, 0)
    assert [r.cases for r in st.repeat_complainants] == [(n1, n3)]
    assert "1111" not in st.repeat_complainants[0].phone[4:]
    assert _pairs(st.recurring_subjects) == [("Shop X", 3)]
    f = st.follow_ups
    assert (f.due, f.reached, f.unreachable, f.pending, f.overdue) == (4, 2, 1, 1, 1)
    assert f.satisfaction == (0, 0, 1, 0, 1) and f.mean_satisfaction == 4.0
    assert f.reach_share == pytest.approx(2 / 3)
    assert [(v.serial, v.case_no, v.amount) for v in st.vouchers] == [("V100", n1, Decimal("300"))]
    assert [r.cases for r in st.root_causes] == [(n4,)]
    assert st.root_cause_candidates == ()          # the ★★★ case has its record
    assert st.subjects_without_record == ("Shop X",)
    assert [(o.tenant, o.count, o.amount) for o in st.chargebacks] == [
        ("Shop X", 1, Decimal("300"))]


def test_one_day_and_one_desk(store, policy, week):
    with store.read() as s:
        monday = day_stats(s, policy, date(2026, 11, 16), now=NOW)
        desk_b = week_stats(s, policy, date(2026, 11, 16), "B", now=NOW)
    assert monday.total == 2 and monday.resolved_same_day == 2
    assert monday.compensation_total == Decimal("300")
    assert desk_b.total == 1 and _pairs(desk_b.by_desk) == [("B", 1)]
    assert desk_b.compensation_total == 0


def test_settled_chargebacks_and_verified_root_causes_drop_off(store, policy, team, week):
    with store.read() as s:
        rc = corrective.root_causes(s)[0]
        cb = corrective.chargebacks(s)[0]
    with store.write(system="test") as s:
        corrective.update_root_cause(s, policy, team.supervisor, rc.id, containment="Stop",
                                     root_cause="Old rule", permanent_fix="New rule",
                                     verification="Checked", prevention="Training", now=NOW)
        corrective.verify_root_cause(s, policy, team.supervisor, rc.id, now=NOW)
        corrective.settle_chargeback(s, policy, team.supervisor, cb.id, "Deducted from rent",
                                     now=NOW)
    with store.read() as s:
        st = week_stats(s, policy, date(2026, 11, 16), now=NOW)
    assert st.root_causes == () and st.chargebacks == ()
