"""The weekly table's money and staff figures: the costs accepted in the period by where
they are now (waiting for finance, returned, approved, paid, signed for) and what is still
owed; complaints about attitude per staff member (the one found at fault, else the one
complained about) and the desks past the policy's weekly count."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import money
from desk.costs import UNPAID, CostState, state_of
from desk.model import Case, Offer, Staff
from desk.money_model import CostEvent, StaffFinding
from desk.policy import Policy

ATTITUDE = "service_attitude"


def figures(session: Session, policy: Policy, start: date, end: date, where: list,
            count_of) -> dict:
    """The ``Stats`` fields this module fills (see ``desk.reports.stats.Stats``) for the
    cases ``where`` selects (the report's scope: a desk, a mall or the store), each figure
    made by ``count_of(key, count, amount=0)`` (the report's ``Count``)."""
    lo = datetime.combine(start, time(0), policy.tz)
    hi = datetime.combine(end + timedelta(days=1), time(0), policy.tz)
    stmt = (select(Offer.id, Offer.amount).join(Case, Case.id == Offer.case_id)
            .where(Offer.answered_at >= lo, Offer.answered_at < hi, money.paid_clause(), *where))
    offers = dict(session.execute(stmt).all())
    actions: dict[int, list[str]] = defaultdict(list)
    ids = list(offers)
    for i in range(0, len(ids), 500):
        for offer_id, action in session.execute(
                select(CostEvent.offer_id, CostEvent.action)
                .where(CostEvent.offer_id.in_(ids[i:i + 500])).order_by(CostEvent.id)):
            actions[offer_id].append(action)
    count: Counter = Counter()
    amount: dict = defaultdict(Decimal)
    for offer_id, value in offers.items():
        state = state_of(actions.get(offer_id, []))
        count[state] += 1
        amount[state] += Decimal(value)
    states = tuple(count_of(s.value, count[s], amount[s]) for s in CostState if count[s])
    unpaid = sum((amount[s] for s in UNPAID), Decimal(0))
    by_staff, flagged = _attitude(session, policy, start, end, where)
    return {"cost_states": states, "unpaid_total": unpaid,
            "attitude_by_staff": tuple(count_of(k, n) for k, n in
                                       sorted(by_staff.items(), key=lambda kv: (-kv[1], kv[0]))),
            "attitude_flagged": tuple(count_of(k, n) for k, n in sorted(flagged.items()))}


def _attitude(session: Session, policy: Policy, start: date, end: date,
              where: list) -> tuple[Counter, Counter]:
    cases = session.execute(select(Case.id, Case.desk, Case.subject_staff_id).where(
        Case.day >= start, Case.day <= end, Case.category == ATTITUDE, *where)).all()
    found: dict[int, int] = {}
    ids = [c.id for c in cases]
    for i in range(0, len(ids), 500):
        for case_id, staff_id in session.execute(
                select(StaffFinding.case_id, StaffFinding.staff_id)
                .where(StaffFinding.case_id.in_(ids[i:i + 500])).order_by(StaffFinding.id)):
            found[case_id] = staff_id     # the newest finding is the one that stands
    names = {s.id: f"{s.name} ({s.staff_no})" for s in session.scalars(select(Staff))}
    per_staff: Counter = Counter()
    per_desk: Counter = Counter()
    for case in cases:
        per_desk[case.desk] += 1
        staff = found.get(case.id, case.subject_staff_id)
        if staff is not None:
            per_staff[names.get(staff, str(staff))] += 1
    weeks = max(1, ((end - start).days + 1 + 6) // 7)   # a day's table counts as one week
    flagged = Counter({d: n for d, n in per_desk.items() if n > policy.attitude_weekly * weeks})
    return per_staff, flagged
