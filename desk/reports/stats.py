"""The day and week statistics: a handful of SQL aggregate queries over the period's cases,
returned as one frozen ``Stats`` (``stats_model``); the PDF, CSV and XLSX writers only lay
it out.

Periods are business days at the desk (``Case.day``): a day, or the Monday-to-Sunday week
holding a date. Counts, times and follow-ups are about the cases received in the period;
money paid and vouchers issued are about the period's hand-overs (the customer accepted
the offer in the period), so finance can reconcile each serial number exactly once.
"""
from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk import money, rules
from desk.enums import Status
from desk.followup import Call, follow_up_state, low_score_reopens
from desk.promises import broken_promises
from desk.model import Case, FollowUp, Offer, Staff, utcnow
from desk.policy import Policy
from desk.privacy import mask_phone
from desk.reports import money_stats
from desk.review_model import Chargeback, RootCauseCase
from desk.corrective import root_causes
from desk.reports.classes import CONTENT_ORDER, DEGREE_ORDER, class_counts
from desk.reports.patterns import patterns_of
from desk.reports.stats_model import (Count, FollowUpStats, Outstanding, Repeat, SlaCount,
                                      Stats, Voucher)


def week_of(day: date) -> tuple[date, date]:
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=6)


def _window(policy: Policy, start: date, end: date) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time(0), policy.tz),
            datetime.combine(end + timedelta(days=1), time(0), policy.tz))


def _sorted(counter: Counter, amounts: dict | None = None, key=None) -> tuple[Count, ...]:
    items = sorted(counter.items(), key=key or (lambda kv: (-kv[1], str(kv[0]))))
    return tuple(Count(str(k), n, (amounts or {}).get(k, Decimal(0))) for k, n in items)


def scope(desk: str | None, mall: str | None = None) -> list:
    """Which cases a report covers: one desk, one mall, or (neither) the whole store. Every
    query of the report filters through this, so a mall's report and the group's are the
    same code."""
    return ([Case.desk == desk] if desk else []) + ([Case.mall == mall] if mall else [])


def group_counts_sql(session: Session, start: date, end: date, desk: str | None,
                     mall: str | None = None):
    """The main aggregate: cases of the period grouped by every dimension the tables show."""
    stmt = (select(Case.category, Case.level, Case.severity, Case.desk, Case.handler_id,
                   Case.status, Case.subject_kind, Case.subject_name, func.count())
            .where(Case.day >= start, Case.day <= end)
            .group_by(Case.category, Case.level, Case.severity, Case.desk, Case.handler_id,
                      Case.status, Case.subject_kind, Case.subject_name))
    return session.execute(stmt.where(*scope(desk, mall))).all()


def compute(session: Session, policy: Policy, start: date, end: date, desk: str | None = None,
            *, kind: str = "week", now: datetime | None = None,
            mall: str | None = None) -> Stats:
    now = now or utcnow()
    names = dict(session.execute(select(Staff.id, Staff.name)).all())
    dims = {k: Counter() for k in ("category", "level", "severity", "desk", "staff", "status",
                                   "subject")}
    total = 0
    for category, level, severity, dsk, handler, status, s_kind, s_name, n in \
            group_counts_sql(session, start, end, desk, mall):
        total += n
        for key, value in (("category", category), ("level", level), ("severity", severity),
                           ("desk", dsk), ("staff", names.get(handler, str(handler))),
                           ("status", status), ("subject", s_name or f"({s_kind})")):
            dims[key][value] += n
    level_order = ["preliminary", "level1", "level2"]
    in_period = [Case.day >= start, Case.day <= end, *scope(desk, mall)]
    times = session.execute(select(
        Case.id, Case.case_no, Case.day, Case.status, Case.severity, Case.subject_name,
        Case.received_at, Case.first_contact_at, Case.first_contact_due, Case.resolved_at,
        Case.resolution_due, Case.follow_up_due).where(*in_period)).all()
    same_day = 0
    first, resolution = [], []
    res = {"met": 0, "missed": 0, "late": 0, "ok": 0}
    fc = {"met": 0, "missed": 0, "late": 0, "ok": 0}
    for t in times:
        if t.first_contact_at is not None:
            first.append(t.first_contact_at - t.received_at)
        if t.resolved_at is not None:
            resolution.append(t.resolved_at - t.received_at)
            if t.resolved_at.astimezone(policy.tz).date() == t.day:
                same_day += 1
            res["met" if t.resolved_at <= t.resolution_due else "missed"] += 1
        elif Status(t.status) in rules.ACTIVE:
            res["late" if now > t.resolution_due else "ok"] += 1
        if t.first_contact_due is not None:
            if t.first_contact_at is not None:
                fc["met" if t.first_contact_at <= t.first_contact_due else "missed"] += 1
            elif Status(t.status) in rules.ACTIVE:
                fc["late" if now > t.first_contact_due else "ok"] += 1
    lo, hi = _window(policy, start, end)
    paid_stmt = (select(Offer.kind, Offer.amount, Offer.serials, Offer.answered_at, Case.case_no,
                        Staff.name)
                 .join(Case, Case.id == Offer.case_id)
                 .join(Staff, Staff.id == func.coalesce(Offer.approver_id, Offer.requested_by_id))
                 .where(Offer.answered_at >= lo, Offer.answered_at < hi,
                        money.paid_clause()))
    paid_stmt = paid_stmt.where(*scope(desk, mall))
    paid_count: Counter = Counter()
    paid_amount: dict = defaultdict(Decimal)
    vouchers = []
    for o_kind, amount, serials, answered_at, case_no, staff in session.execute(paid_stmt):
        paid_count[o_kind] += 1
        paid_amount[o_kind] += Decimal(amount)
        spec = policy.kinds.get(o_kind)
        if spec is not None and spec.serials:
            for serial in serials or ["—"]:
                vouchers.append(Voucher(serial, o_kind, Decimal(amount), case_no, answered_at,
                                        staff))
    repeat_stmt = (select(Case.customer_phone, func.count(), func.min(Case.customer_name))
                   .where(*in_period, Case.customer_phone.is_not(None))
                   .group_by(Case.customer_phone).having(func.count() > 1))
    repeats = []
    for phone, _n, name in session.execute(repeat_stmt):
        numbers = session.scalars(select(Case.case_no).where(*in_period,
                                  Case.customer_phone == phone).order_by(Case.case_no)).all()
        # Reports go round management as files: the phone is masked as on every screen.
        repeats.append(Repeat(mask_phone(phone), name, tuple(numbers)))
    repeats.sort(key=lambda r: (-len(r.cases), r.cases[0]))
    recurring = Counter({k: n for k, n in dims["subject"].items()
                         if n > 1 and not k.startswith("(")})
    follow = _follow_ups(session, policy, [t for t in times if t.follow_up_due is not None], now)
    linked = _linked(session, [t.id for t in times])
    candidates = sorted(t.case_no for t in times if t.id not in linked and t.severity == 3)
    covered = {t.subject_name for t in times if t.id in linked and t.subject_name}
    uncovered = tuple(c.key for c in _sorted(recurring) if c.key not in covered)
    owed = session.execute(select(Chargeback.tenant, func.count(), func.sum(Chargeback.amount),
                                  func.min(Chargeback.recorded_at))
                           .where(Chargeback.settled_at.is_(None))
                           .group_by(Chargeback.tenant).order_by(Chargeback.tenant)).all()
    classes = class_counts(session, in_period)
    tiers = [t.key for t in policy.tiers_by_rank()]
    return Stats(
        kind=kind, start=start, end=end, desk=desk, made_at=now, total=total,
        by_category=_sorted(dims["category"]),
        by_level=_sorted(dims["level"], key=lambda kv: level_order.index(kv[0])
                         if kv[0] in level_order else 9),
        by_severity=_sorted(dims["severity"], key=lambda kv: kv[0]),
        by_subject=_sorted(dims["subject"]), by_desk=_sorted(dims["desk"], key=lambda kv: kv[0]),
        by_staff=_sorted(dims["staff"]), by_status=_sorted(
            dims["status"], key=lambda kv: list(Status).index(Status(kv[0]))),
        compensation=_sorted(paid_count, paid_amount,
                             key=lambda kv: policy.kinds[kv[0]].rank if kv[0] in policy.kinds else 999),
        compensation_total=sum(paid_amount.values(), Decimal(0)),
        resolved_same_day=same_day,
        median_first_contact=statistics.median(first) if first else None,
        median_resolution=statistics.median(resolution) if resolution else None,
        sla_resolution=SlaCount(res["met"], res["missed"], res["late"], res["ok"]),
        sla_first_contact=SlaCount(fc["met"], fc["missed"], fc["late"], fc["ok"]),
        repeat_complainants=tuple(repeats), recurring_subjects=_sorted(recurring),
        follow_ups=follow, vouchers=tuple(sorted(vouchers, key=lambda v: (v.kind, v.serial))),
        root_causes=tuple(root_causes(session, open_only=True)),
        root_cause_candidates=tuple(candidates), subjects_without_record=uncovered,
        chargebacks=tuple(Outstanding(t, n, Decimal(a or 0), at) for t, n, a, at in owed),
        mall=mall, by_mall=_by_mall(session, in_period) if not mall else (),
        **money_stats.figures(session, policy, start, end, scope(desk, mall), Count),
        by_content=_sorted(classes["content"], key=CONTENT_ORDER),
        by_degree=_sorted(classes["degree"], key=DEGREE_ORDER),
        by_tier=_sorted(classes["tier"], key=lambda kv: tiers.index(kv[0])
                        if kv[0] in tiers else len(tiers)),
        broken_promises=broken_promises(session, lo, hi, now, where=scope(desk, mall)),
        low_score_reopens=low_score_reopens(session, policy, lo, hi, where=scope(desk, mall)),
        patterns=patterns_of(session, policy, start, end, scope(desk, mall)),
    )


def _by_mall(session: Session, in_period: list) -> tuple[Count, ...]:
    """Cases per mall in a group's store (nothing in a store that is one mall's)."""
    counts = Counter({m: n for m, n in session.execute(
        select(Case.mall, func.count()).where(*in_period, Case.mall.is_not(None))
        .group_by(Case.mall))})
    return _sorted(counts, key=lambda kv: kv[0])


def _follow_ups(session: Session, policy: Policy, rows, now: datetime) -> FollowUpStats:
    ids = [r.id for r in rows]
    calls: dict[int, list[Call]] = defaultdict(list)
    for i in range(0, len(ids), 500):
        for case_id, at, reached, sat, text in session.execute(
                select(FollowUp.case_id, FollowUp.at, FollowUp.reached, FollowUp.satisfaction,
                       FollowUp.text_sent).where(FollowUp.case_id.in_(ids[i:i + 500]))):
            calls[case_id].append(Call(at, reached, sat, text))
    counts = Counter()
    stars = [0, 0, 0, 0, 0]
    for r in rows:
        state = follow_up_state(policy, calls.get(r.id, []))
        counts[state.state] += 1
        if state.state == "pending" and r.follow_up_due < now:
            counts["overdue"] += 1
        if state.satisfaction:
            stars[state.satisfaction - 1] += 1
    return FollowUpStats(len(rows), counts["reached"], counts["unreachable"], counts["pending"],
                         counts["overdue"], tuple(stars))


def _linked(session: Session, ids: list[int]) -> set[int]:
    out: set[int] = set()
    for i in range(0, len(ids), 500):
        out.update(session.scalars(select(RootCauseCase.case_id)
                                   .where(RootCauseCase.case_id.in_(ids[i:i + 500]))))
    return out


def day_stats(session: Session, policy: Policy, day: date, desk: str | None = None,
              now: datetime | None = None, mall: str | None = None) -> Stats:
    return _with_head(session, compute(session, policy, day, day, desk, kind="day",
                                       now=now, mall=mall))


def week_stats(session: Session, policy: Policy, day: date, desk: str | None = None,
               now: datetime | None = None, mall: str | None = None) -> Stats:
    start, end = week_of(day)
    return _with_head(session, compute(session, policy, start, end, desk, kind="week",
                                       now=now, mall=mall))


def _with_head(session: Session, stats: Stats) -> Stats:
    from dataclasses import replace

    from desk.audit.anchors import head_of
    head = head_of(session.connection())
    return replace(stats, audit_head=head.short if head else None)
