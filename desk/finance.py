"""The finance queue and each case's costs, as frozen rows: what waits for finance (review,
payment, the recipient's signature), what went back to the supervisor, and the state every
cost of a case is in (the form's copy 2 and the weekly table show it).

Finance sees the queue to work it; a supervisor sees it to answer returned costs and to
know what the company still owes. Personal data is masked as for every other list.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from desk import money
from desk.costs import CostAction, CostState, state_of
from desk.enums import Privilege, Status
from desk.errors import N_, AuthorityError
from desk.model import Case, Offer, Staff
from desk.money_model import CostEvent
from desk.policy import Policy
from desk.privacy import rows_for_viewer
from desk.privileges import holds


@dataclass(frozen=True)
class CostStep:
    action: str
    at: datetime
    by: str          # name (staff number)
    note: str
    how: str | None
    refs: tuple[str, ...]
    evidence: str | None
    evidence_sha256: str | None
    recipient: str | None
    migrated: bool


@dataclass(frozen=True)
class CostRow:
    """One accepted offer as finance and the supervisor see it."""

    case_no: str
    seq: int
    desk: str
    customer_name: str
    customer_phone: str | None
    kind: str
    amount: Decimal
    description: str
    serials: tuple[str, ...]
    requested_by: str
    approved_by: str | None
    accepted_at: datetime | None
    state: str
    overcharge: bool
    verified: bool
    steps: tuple[CostStep, ...]

    @property
    def last_note(self) -> str:
        return self.steps[-1].note if self.steps else ""


def may_see_costs(policy: Policy, viewer) -> bool:
    return holds(policy, viewer, Privilege.FINANCE) or holds(policy, viewer, Privilege.REVIEW)


def _who(staff: Staff | None) -> str | None:
    return f"{staff.name} ({staff.staff_no})" if staff is not None else None


def _step(event: CostEvent) -> CostStep:
    return CostStep(event.action, event.at, _who(event.staff) or "", event.note or "",
                    event.how, tuple(event.refs or ()), event.evidence, event.evidence_sha256,
                    event.recipient, bool(event.migrated))


def _row(policy: Policy, case: Case, offer: Offer, events: list[CostEvent]) -> CostRow:
    actions = [e.action for e in events]
    return CostRow(
        case_no=case.case_no, seq=offer.seq, desk=case.desk, customer_name=case.customer_name,
        customer_phone=case.customer_phone, kind=offer.kind, amount=offer.amount,
        description=offer.description or "", serials=tuple(offer.serials or ()),
        requested_by=_who(offer.requested_by) or "", approved_by=_who(offer.approver),
        accepted_at=offer.answered_at, state=state_of(actions).value,
        overcharge=bool(policy.kinds.get(offer.kind) and policy.kinds[offer.kind].overcharge),
        verified=CostAction.VERIFY.value in actions, steps=tuple(_step(e) for e in events))


def _events_by_offer(session: Session, offer_ids: list[int]) -> dict[int, list[CostEvent]]:
    grouped: dict[int, list[CostEvent]] = defaultdict(list)
    for start in range(0, len(offer_ids), 500):
        for event in session.scalars(select(CostEvent).where(
                CostEvent.offer_id.in_(offer_ids[start:start + 500])).order_by(CostEvent.id)):
            grouped[event.offer_id].append(event)
    return grouped


def cost_queue(session: Session, policy: Policy, viewer, *,
               states: tuple[str, ...] | None = None) -> list[CostRow]:
    """Every cost not yet signed for (or only those in ``states``), oldest acceptance first;
    voided cases' offers are not costs. For finance and supervisors only."""
    if not may_see_costs(policy, viewer):
        raise AuthorityError(N_("the cost queue is for finance and supervisors"), field="role")
    signed = exists().where(CostEvent.offer_id == Offer.id,
                            CostEvent.action == CostAction.SIGN.value)
    stmt = (select(Offer).join(Case, Offer.case_id == Case.id)
            .where(money.paid_clause(), ~signed, Case.status != Status.VOIDED.value)
            .options(selectinload(Offer.case))
            .order_by(Offer.answered_at, Case.case_no, Offer.seq))
    found = list(session.scalars(stmt))
    events = _events_by_offer(session, [o.id for o in found])
    rows = [_row(policy, o.case, o, events.get(o.id, [])) for o in found]
    if states is not None:
        rows = [r for r in rows if r.state in states]
    return rows_for_viewer(rows, policy, viewer)


def case_costs(session: Session, policy: Policy, case: Case) -> list[CostRow]:
    """The costs of one case (accepted, granted offers) with their state and steps."""
    offers = [o for o in case.offers if money.is_paid(o)]
    events = _events_by_offer(session, [o.id for o in offers])
    return [_row(policy, case, o, events.get(o.id, [])) for o in offers]


def unpaid(rows: list[CostRow]) -> list[CostRow]:
    """The costs the company still owes: accepted and not paid."""
    waiting = {CostState.AWAITING_FINANCE.value, CostState.RETURNED.value,
               CostState.APPROVED.value}
    return [r for r in rows if r.state in waiting]


__all__ = ["CostRow", "CostStep", "case_costs", "cost_queue", "may_see_costs", "unpaid"]
