"""A cost's life behind the door: finance approves or returns an accepted offer, a returned
one goes back to the supervisor, finance pays it (how, the numbers handed over), the
recipient signs for it; an overcharge refund is verified by someone other than its requester
before it can be paid.

Each step is one ``CostEvent``; ``desk.costs`` says which step may follow which. The offer
itself never changes: its amount was fixed when the customer accepted it.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import attachments, money
from desk.costs import CostAction, CostState, PaidHow, next_state, state_of
from desk.enums import Privilege, Status
from desk.errors import N_, AuthorityError, NotFound, RecusalError, TransitionError, ValidationError
from desk.model import Attachment, Case, Offer, utcnow
from desk.money_model import CostEvent
from desk.policy import Policy
from desk.privileges import holds, require
from desk.queries import load_case
from desk.rules import parse_amount
from desk.services import validate
from desk.services.auth import Actor
from desk.uow import bind_actor


def accepted_offer(session: Session, case_no: str, seq: object) -> tuple[Case, Offer]:
    """The case and its offer ``seq``, which must be a cost: granted and accepted."""
    case = load_case(session, case_no)
    try:
        number = int(str(seq))
    except ValueError:
        raise ValidationError(N_("{value} is not an offer number"), field="offer",
                              value=str(seq)[:10]) from None
    offer = next((o for o in case.offers if o.seq == number), None)
    if offer is None:
        raise NotFound(N_("case {case} has no offer {value}"), field="offer",
                       case=case.case_no, value=str(number))
    if not money.is_paid(offer):
        raise TransitionError(N_("offer {value} is not a cost: it was not granted and accepted "
                                 "by the customer"), field="offer", value=offer.seq)
    if case.status == Status.VOIDED:
        raise TransitionError(N_("the case was voided; its costs are not paid"), field="case_no")
    return case, offer


def events_of(session: Session, offer: Offer) -> list[CostEvent]:
    return list(session.scalars(select(CostEvent).where(CostEvent.offer_id == offer.id)
                                .order_by(CostEvent.id)))


def _step(session: Session, case: Case, offer: Offer, actor: Actor, action: CostAction,
          now: datetime, **fields) -> CostEvent:
    """Check ``action`` follows the cost's events and record it."""
    events = events_of(session, offer)
    next_state(state_of(e.action for e in events), action)
    event = CostEvent(case_id=case.id, offer_id=offer.id, action=action.value, at=now,
                      staff_id=actor.id, **fields)
    session.add(event)
    session.flush()
    return event


def _not_own(case: Case, offer: Offer, actor: Actor, *, also: tuple[int, ...] = ()) -> None:
    """Four eyes: nobody reviews or pays a cost they offered or approved, nor one on a
    complaint about themselves."""
    if actor.id == case.subject_staff_id:
        raise RecusalError(N_("{value} is the subject of this complaint and may not handle, "
                              "approve or close it"), field="actor", value=actor.name)
    if actor.id in (offer.requested_by_id, offer.approver_id):
        raise AuthorityError(N_("nobody reviews or pays a cost they offered or approved"),
                             field="actor")
    if actor.id in also:
        raise AuthorityError(N_("the cost is paid by someone other than who approved it in "
                                "finance"), field="actor")


def approve_cost(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor,
                 note: str = "", now: datetime | None = None) -> CostEvent:
    """Finance approves an accepted cost for payment."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.FINANCE)
    case, offer = accepted_offer(session, case_no, seq)
    _not_own(case, offer, actor)
    return _step(session, case, offer, actor, CostAction.APPROVE, now or utcnow(),
                 note=validate.text(note, "note", required=False, max_len=1000))


def return_cost(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor,
                reason: str, now: datetime | None = None) -> CostEvent:
    """Finance returns a cost to the supervisor, saying why."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.FINANCE)
    case, offer = accepted_offer(session, case_no, seq)
    _not_own(case, offer, actor)
    return _step(session, case, offer, actor, CostAction.RETURN, now or utcnow(),
                 note=validate.text(reason, "reason", max_len=1000))


def resubmit_cost(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor,
                  note: str, now: datetime | None = None) -> CostEvent:
    """The supervisor answers a returned cost (what was put right) and sends it back to
    finance. The amount stays what the customer accepted."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.REVIEW,
            N_("a cost returned by finance goes back to a supervisor or higher"))
    case, offer = accepted_offer(session, case_no, seq)
    if actor.id == case.subject_staff_id:
        raise RecusalError(N_("{value} is the subject of this complaint and may not handle, "
                              "approve or close it"), field="actor", value=actor.name)
    return _step(session, case, offer, actor, CostAction.RESUBMIT, now or utcnow(),
                 note=validate.text(note, "note", max_len=1000))


def pay_cost(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor,
             how: str, refs: tuple[str, ...] | str = (), *, amount: object = None,
             note: str = "", now: datetime | None = None) -> CostEvent:
    """Finance pays an approved cost: how, the voucher, serial or transfer numbers, by whom
    (someone other than who approved it). An overcharge refund needs its verification
    first. ``amount``, when given, must be the accepted amount: it never changes."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.FINANCE)
    case, offer = accepted_offer(session, case_no, seq)
    events = events_of(session, offer)
    approvers = tuple(e.staff_id for e in events if e.action == CostAction.APPROVE)
    _not_own(case, offer, actor, also=approvers)
    if amount not in (None, "") and parse_amount(amount) != offer.amount:
        raise ValidationError(N_("the amount paid is the amount the customer accepted: {value}"),
                              field="amount", value=str(offer.amount))
    method = validate.choice(PaidHow, how, "how")
    numbers = _refs(refs) or (list(offer.serials or []) if method == PaidHow.VOUCHER else [])
    if method in (PaidHow.VOUCHER, PaidHow.TRANSFER) and not numbers:
        raise ValidationError(N_("record the voucher, serial or transfer numbers"),
                              field="refs")
    if policy.kinds[offer.kind].overcharge and not any(
            e.action == CostAction.VERIFY for e in events):
        raise TransitionError(N_("an overcharge refund is paid only after the overcharge is "
                                 "verified"), field="verified")
    return _step(session, case, offer, actor, CostAction.PAY, now or utcnow(), how=method,
                 refs=numbers, note=validate.text(note, "note", required=False, max_len=1000))


def sign_cost(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor,
              recipient: str, now: datetime | None = None) -> CostEvent:
    """The recipient signed for a paid cost; the person recording it is ``actor``."""
    bind_actor(session, actor)
    case, offer = accepted_offer(session, case_no, seq)
    return _step(session, case, offer, actor, CostAction.SIGN, now or utcnow(),
                 recipient=validate.text(recipient, "recipient", max_len=100))


def verify_overcharge(session: Session, policy: Policy, case_no: str, seq: object,
                      actor: Actor, evidence: str, *, scan: bytes | None = None,
                      scan_name: str = "", scan_sha256: str | None = None,
                      now: datetime | None = None) -> CostEvent:
    """Someone other than the requester (a supervisor or finance) checked the receipt or
    transaction that shows the overcharge; its number is recorded, and a scan of it may be
    kept (as one of the case's attachments). A case document names the scan by its digest
    (``scan_sha256``: one of the document's own attachments)."""
    now = now or utcnow()
    bind_actor(session, actor)
    if not (holds(policy, actor, Privilege.REVIEW) or holds(policy, actor, Privilege.FINANCE)):
        raise AuthorityError(N_("an overcharge is verified by a supervisor or by finance"),
                             field="verifier")
    case, offer = accepted_offer(session, case_no, seq)
    if not policy.kinds[offer.kind].overcharge:
        raise ValidationError(N_("offer {value} is not an overcharge refund"), field="offer",
                              value=offer.seq)
    if actor.id == offer.requested_by_id:
        raise AuthorityError(N_("an overcharge is verified by someone other than who asked "
                                "for the refund"), field="verifier")
    if actor.id == case.subject_staff_id:
        raise RecusalError(N_("{value} is the subject of this complaint and may not handle, "
                              "approve or close it"), field="verifier", value=actor.name)
    if any(e.action == CostAction.VERIFY for e in events_of(session, offer)):
        raise TransitionError(N_("the overcharge was already verified"), field="verified")
    digest = attachments.check_digest(scan_sha256, "evidence_sha256") if scan_sha256 else None
    if scan is not None:
        name = scan_name or "evidence"
        digest = attachments.store_bytes(session, scan, name, field="scan")
        case.attachments.append(Attachment(
            path=attachments.safe_name(name, "scan"), sha256=digest, added_at=now,
            added_by_id=actor.id, description=f"offer {offer.seq}"))
    return _step(session, case, offer, actor, CostAction.VERIFY, now,
                 evidence=validate.text(evidence, "evidence", max_len=100),
                 evidence_sha256=digest)


def _refs(values) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.replace(",", " ").split() if v]
    result: list[str] = []
    for i, value in enumerate(values or ()):
        ref = validate.code(value, f"refs[{i}]")
        if ref in result:
            raise ValidationError(N_("number {value} is listed twice"), field="refs", value=ref)
        result.append(ref)
    return result


__all__ = ["CostState", "accepted_offer", "approve_cost", "events_of", "pay_cost",
           "resubmit_cost", "return_cost", "sign_cost", "verify_overcharge"]
