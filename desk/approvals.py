"""The supervisor's approvals queue: offers left pending for someone who was not at the
counter, listed for whoever could decide them, and decided through ``offers.decide_approval``.

Every surface (the Qt queue, ``desk approval list|decide``) calls these two functions; the
person deciding is always a signed-in ``Actor`` (their PIN checked at the edge).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk import rules
from desk.enums import Approval
from desk.errors import N_, AuthorityError, NotFound, RecusalError, ValidationError
from desk.i18n import _
from desk.model import Case, Offer, utcnow
from desk.policy import Policy
from desk.privacy import for_viewer
from desk.privileges import may_approve
from desk.services import offers
from desk.services.auth import Actor

APPROVE, REFUSE = "approve", "refuse"


@dataclass(frozen=True)
class PendingApproval:
    """One offer awaiting a decision, as the queue shows it (personal data masked for
    viewers without the personal-data privilege)."""

    case_no: str
    seq: int
    desk: str
    received_at: datetime
    customer_name: str
    customer_phone: str | None
    kind: str
    amount: Decimal
    description: str
    requested_by: str          # the requester's name
    requested_by_no: str
    requested_at: datetime
    waiting: timedelta
    role_needed: str | None    # the lowest role whose authority covers it (None: no role)


def _context(session: Session, policy: Policy, case: Case, offer: Offer,
             now: datetime) -> rules.OfferContext:
    """The case as it stood when the offer was asked for: every other granted offer counts,
    the day total is the decider's own (fresh here: the decision checks the real one)."""
    ctx = offers.context_for(session, policy, case, offer.requested_by_id, now)
    return rules.OfferContext(ctx.case_total, Decimal(0), ctx.bottom_line)


def _covers(policy: Policy, role_key: str, offer: Offer, ctx: rules.OfferContext) -> bool:
    role = policy.roles.get(role_key)
    return role is not None and not rules.authority_problems(policy, role, offer.kind,
                                                             offer.amount, ctx)


def pending_approvals(session: Session, policy: Policy, viewer: Actor,
                      now: datetime | None = None) -> list[PendingApproval]:
    """The offers ``viewer`` could decide, oldest request first: pending, within the
    authority of the viewer's role, not their own request, not a case about them."""
    now = now or utcnow()
    if not may_approve(policy, viewer):
        return []
    stmt = (select(Offer).join(Case, Offer.case_id == Case.id)
            .where(Offer.approval == Approval.PENDING.value)
            .options(selectinload(Offer.case).selectinload(Case.offers))
            .order_by(Offer.requested_at, Case.case_no, Offer.seq))
    rows = []
    for offer in session.scalars(stmt):
        case = offer.case
        if offer.requested_by_id == viewer.id or case.subject_staff_id == viewer.id:
            continue
        ctx = _context(session, policy, case, offer, now)
        requester_role = policy.roles.get(offer.requested_by.role)
        if requester_role is not None and policy.roles[viewer.role].rank <= requester_role.rank:
            continue   # nobody decides a peer's offer (rules.refuse_approver)
        if not _covers(policy, viewer.role, offer, ctx):
            continue
        needed = rules.role_needed(policy, offer.kind, offer.amount, ctx, above=requester_role)
        row = PendingApproval(
            case_no=case.case_no, seq=offer.seq, desk=case.desk, received_at=case.received_at,
            customer_name=case.customer_name, customer_phone=case.customer_phone,
            kind=offer.kind, amount=offer.amount, description=offer.description or "",
            requested_by=offer.requested_by.name, requested_by_no=offer.requested_by.staff_no,
            requested_at=offer.requested_at,
            waiting=max(timedelta(0), now - _aware(offer.requested_at, now)),
            role_needed=needed.key if needed else None)
        rows.append(for_viewer(row, policy, viewer))
    return rows


def waiting_text(waiting: timedelta) -> str:
    """How long an offer has waited, in hours and minutes (the queue's column)."""
    minutes = int(waiting.total_seconds() // 60)
    if minutes < 60:
        return _("{minutes} min").format(minutes=minutes)
    return _("{hours} h {minutes} min").format(hours=minutes // 60, minutes=minutes % 60)


def _aware(moment: datetime, like: datetime) -> datetime:
    """SQLite hands times back without their zone (stored as UTC)."""
    if moment.tzinfo is None and like.tzinfo is not None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def decide(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor,
           decision: str, note: str = "", now: datetime | None = None) -> Offer:
    """``actor`` approves or refuses a pending offer. Refusing needs a note. Either way the
    decider must be someone who could have approved it: a "no" is an authority decision too,
    so a role that could not say yes may not say no either."""
    now = now or utcnow()
    if decision not in (APPROVE, REFUSE):
        raise ValidationError(N_("the decision is approve or refuse"), field="decision")
    try:
        number = int(str(seq))
    except ValueError:
        raise ValidationError(N_("{value} is not an offer number"), field="offer",
                              value=str(seq)[:10]) from None
    approve = decision == APPROVE
    if not approve and not str(note or "").strip():
        raise ValidationError(N_("say why the offer is refused"), field="note")
    offer = session.scalar(select(Offer).join(Case, Offer.case_id == Case.id).where(
        Case.case_no == str(case_no).strip().upper(), Offer.seq == number))
    if offer is None:
        raise NotFound(N_("case {case} has no offer {value}"), field="offer",
                       case=str(case_no)[:40], value=str(number))
    if offer.approval == Approval.PENDING and not approve:
        _check_refuser(session, policy, offer, actor, now)
    return offers.decide_approval(session, policy, offer.case.case_no, number, actor, approve,
                                  note or "", now=now)


def _check_refuser(session: Session, policy: Policy, offer: Offer, actor: Actor,
                   now: datetime) -> None:
    if actor.id == offer.requested_by_id:
        raise AuthorityError(N_("an offer cannot be approved by the person who made it"),
                             field="approver")
    if actor.id == offer.case.subject_staff_id:
        raise RecusalError(N_("{value} is the subject of this complaint and may not handle, "
                              "approve or close it"), field="approver", value=actor.name)
    ctx = _context(session, policy, offer.case, offer, now)
    if not _covers(policy, actor.role, offer, ctx):
        rules.refuse_for_authority(policy, policy.roles[actor.role], offer.kind, offer.amount,
                                   ctx)


__all__ = ["APPROVE", "REFUSE", "PendingApproval", "decide", "may_approve",
           "pending_approvals", "waiting_text"]
