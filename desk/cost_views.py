"""A case's money as its detail shows it: each cost's summary (state, review, payment,
signature, verified overcharge), the signed settlement and the finding about staff, added to
the ``CaseDetail`` the detail screen, the form and the commands read."""
from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import attachments, money
from desk.costs import CostAction, state_of
from desk.model import Case
from desk.money_model import CostEvent, Settlement, StaffFinding
from desk.views import CaseDetail, CostSummary, FindingView, SettlementView


def summary(events: list[CostEvent]) -> CostSummary:
    """One cost's events (in order) summed up."""
    last = {e.action: e for e in events}
    pay, sign = last.get(CostAction.PAY.value), last.get(CostAction.SIGN.value)
    review = last.get(CostAction.APPROVE.value) or last.get(CostAction.RETURN.value)
    verify = last.get(CostAction.VERIFY.value)
    state = state_of(e.action for e in events)
    returned = last.get(CostAction.RETURN.value)
    return CostSummary(
        state=state.value, reviewed_by=review.staff.name if review else None,
        paid_how=pay.how if pay else None, paid_refs=tuple(pay.refs or ()) if pay else (),
        paid_by=pay.staff.name if pay else None, paid_at=pay.at if pay else None,
        recipient=sign.recipient if sign else None, signed_at=sign.at if sign else None,
        evidence=verify.evidence if verify else None,
        verified_by=verify.staff.name if verify else None,
        returned_reason=returned.note if returned and state.value == "returned" else None)


def settlement_signature(session: Session, detail: CaseDetail) -> bytes | None:
    """The bytes of the signature on the customer's settlement (None: none signed)."""
    if detail.settlement is None:
        return None
    return attachments.read_bytes(session, detail.settlement.signature_sha256)


def with_money(session: Session, case: Case, detail: CaseDetail) -> CaseDetail:
    """``detail`` with its costs' summaries, settlement and finding filled in."""
    costs = [o for o in case.offers if money.is_paid(o)]
    events: dict[int, list[CostEvent]] = {o.id: [] for o in costs}
    if costs:
        for event in session.scalars(select(CostEvent).where(
                CostEvent.case_id == case.id).order_by(CostEvent.id)):
            events.setdefault(event.offer_id, []).append(event)
    by_seq = {o.seq: summary(events[o.id]) for o in costs}
    offers = tuple(dataclasses.replace(v, cost=by_seq[v.seq]) if v.seq in by_seq else v
                   for v in detail.offers)
    # A settlement records an accepted offer: a case with none has none to look up.
    settled = session.scalar(select(Settlement).where(Settlement.case_id == case.id)
                             .order_by(Settlement.id.desc()).limit(1)) if costs else None
    finding = session.scalar(select(StaffFinding).where(StaffFinding.case_id == case.id)
                             .order_by(StaffFinding.id.desc()).limit(1))
    return dataclasses.replace(
        detail, offers=offers,
        settlement=SettlementView(settled.at, settled.signer, settled.method,
                                  settled.signature_sha256, settled.locale, settled.terms,
                                  settled.staff.name) if settled else None,
        finding=FindingView(finding.staff.name, finding.staff.staff_no, finding.finding,
                            finding.by.name, finding.at) if finding else None)
