"""Compensation offers kept within authority: the picker's options, making an offer (with a
supervisor's approval on the spot when needed), deciding pending approvals, and recording
the customer's answer."""
from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from desk import money, rules
from desk.enums import Answer, Approval, Level, Status
from desk.errors import (N_, AuthorityError, NotFound, PolicyKey, RecusalError, TransitionError,
                         ValidationError)
from desk.model import Case, Offer, utcnow
from desk.policy import Policy, Role
from desk.services import validate
from desk.services.auth import Actor
from desk.services.handling import move, open_case
from desk.services.levels import change_level, offer_raise_reason
from desk.uow import migrating


def day_total(session: Session, policy: Policy, staff_id: int, now: datetime) -> Decimal:
    """What a staff member has granted (or approved) today, refused offers and migrated
    history (nobody's decision in this store) excluded. A grant counts on the day it is
    made: an approval the day it is given, however long ago the offer was asked for."""
    local_day = now.astimezone(policy.tz).date()
    start = datetime.combine(local_day, time(0), policy.tz)
    end = start + timedelta(days=1)
    own = and_(Offer.approver_id.is_(None), Offer.requested_by_id == staff_id,
               Offer.requested_at >= start, Offer.requested_at < end,
               Offer.migrated.is_(False))   # migrated history is nobody's decision today
    # An offer that came in as migrated history still waiting for approval is decided
    # here, after its import: that approval is this store's and counts on the approver's day.
    migrated_at = select(Case.migrated_at).where(Case.id == Offer.case_id).scalar_subquery()
    approved = and_(Offer.approver_id == staff_id,
                    Offer.decided_at >= start, Offer.decided_at < end,
                    or_(Offer.migrated.is_(False), Offer.decided_at > migrated_at))
    total = session.scalar(select(func.coalesce(func.sum(Offer.amount), 0)).where(
        or_(own, approved), money.counted_clause()))
    return Decimal(total or 0)


def context_for(session: Session, policy: Policy, case: Case, staff_id: int,
                now: datetime) -> rules.OfferContext:
    case_total = sum((o.amount for o in case.offers if money.counts(o)), Decimal(0))
    return rules.OfferContext(case_total=case_total,
                              day_total=day_total(session, policy, staff_id, now),
                              bottom_line=money.bottom_line(case.offers))


def options(session: Session, policy: Policy, case_no: str, actor: Actor,
            amount: Decimal | None = None, now: datetime | None = None
            ) -> tuple[list[rules.Option], Decimal | None]:
    """The picker: kinds lowest value first, each within authority or needing a role; and
    the actor's remaining authority on this case today (None: unlimited)."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, handling=False)
    ctx = context_for(session, policy, case, actor.id, now)
    role = policy.roles[actor.role]
    return rules.compensation_options(policy, role, ctx, amount), rules.remaining_authority(role, ctx)


def make_offer(session: Session, policy: Policy, case_no: str, actor: Actor, kind: str,
               amount: object = None, *, charged: object = None, due: object = None,
               description: str = "", serials: tuple[str, ...] = (), final: bool = False,
               approver: Actor | None = None, approver_refuses: bool = False,
               approval_note: str = "", request_approval: bool = False,
               at_fault_staff: str | None = None, now: datetime | None = None,
               expected_version: int | None = None) -> Offer:
    """Record an offer. Beyond the actor's authority it needs ``approver`` (signed in at the
    same PC, never the actor), of a higher role whose authority covers it and their own day;
    ``approver_refuses`` records their "no"; ``request_approval`` leaves it pending for
    someone who is not at the counter. Within the actor's authority, any of the three is
    refused. An offer beyond the handler's own authority makes a preliminary case level 1."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, expected_version=expected_version)
    if case.status != Status.IN_PROGRESS:
        raise TransitionError(N_("offers are made while the case is in progress (it is {status}); "
                                 "start with the listen step"), status=Status(case.status).label)
    kind = validate.key(policy.kinds, kind, "kind")
    spec = policy.kinds[kind]
    charged_amount = due_amount = None
    if spec.overcharge:
        charged_amount = rules.parse_amount(charged, "charged")
        due_amount = rules.parse_amount(due, "due", allow_zero=True)
        value = rules.overcharge_refund(charged_amount, due_amount)
        if amount not in (None, "") and rules.parse_amount(amount) != value:
            raise ValidationError(N_("an overcharge refund is 2 × (charged − due) = {value}"),
                                  field="amount", value=str(value))
    else:
        value = rules.parse_amount(amount)
    serial_list = _serials(serials)
    if serial_list and not spec.serials:
        raise ValidationError(N_("this kind has no serial numbers"), field="serials")
    ctx = context_for(session, policy, case, actor.id, now)
    offer = Offer(seq=len(case.offers) + 1, kind=kind, amount=value, charged=charged_amount,
                  due=due_amount, description=validate.text(description, "description",
                                                            required=False, max_len=1000),
                  serials=serial_list, is_final=bool(final), requested_by_id=actor.id,
                  requested_at=now, at_fault_staff=validate.optional_text(
                      at_fault_staff, "at_fault_staff", 100))
    role = policy.roles[actor.role]
    problems = rules.authority_problems(policy, role, kind, value, ctx)
    # Migrated history counts toward nobody's day, so whether the old system's approval was
    # needed then cannot be worked out here: the record is kept as it was (the approver's
    # PIN, rank and role are still checked below).
    recorded = migrating(session) and approver is not None
    if not recorded:
        _check_approval_asked(role, problems, approver, approver_refuses, request_approval)
    if not problems and not recorded:
        offer.approval = Approval.NOT_NEEDED.value
    elif approver is not None:
        _check_approver(session, policy, case, actor, approver, kind, value, ctx, now,
                        refuses=approver_refuses)
        offer.approver_id = approver.id
        offer.decided_at = now
        if approver_refuses:
            offer.approval = Approval.REFUSED.value
            offer.approval_note = validate.text(approval_note, "reason", max_len=1000)
        else:
            offer.approval = Approval.APPROVED.value
            offer.approval_note = validate.text(approval_note, "reason", required=False,
                                                max_len=1000) or None
    elif request_approval:
        needed = rules.role_needed(policy, kind, value, ctx, above=role)
        if needed is None:
            rules.refuse_for_authority(policy, role, kind, value, ctx)
        offer.approval = Approval.PENDING.value
        move(case, Status.AWAITING_APPROVAL, actor, now, f"offer {offer.seq}")
    else:
        rules.refuse_for_authority(policy, role, kind, value, ctx)
    if offer.approval != Approval.REFUSED:
        _raise_level_beyond_handler(policy, case, offer.seq, kind, value, ctx, actor, now)
    case.offers.append(offer)
    case.updated_at = now
    session.flush()
    return offer


def _check_approval_asked(role: Role, problems: list[str], approver: Actor | None,
                          approver_refuses: bool, request_approval: bool) -> None:
    """An approval block must be needed and say one thing: never dropped, never guessed."""
    if not problems:
        if approver is not None:
            raise ValidationError(N_("the offer is within the authority of {role} and needs no "
                                     "approval; leave the approver out"), field="approver",
                                  role=PolicyKey(role.key))
        if approver_refuses or request_approval:
            raise ValidationError(N_("the offer is within the authority of {role}; there is "
                                     "no approval to request or refuse"), field="approval",
                                  role=PolicyKey(role.key))
        return
    if approver is not None and request_approval:
        raise ValidationError(N_("either an approver at this PC decides or the offer waits for "
                                 "one, not both"), field="approval")
    if approver_refuses and approver is None:
        raise ValidationError(N_("a refusal needs the approver who refuses"), field="approver")


def _check_approver(session: Session, policy: Policy, case: Case, requester: Actor,
                    approver: Actor, kind: str, amount: Decimal, ctx: rules.OfferContext,
                    now: datetime, *, refuses: bool = False) -> None:
    """The approver (or the one who refuses) is someone else, not the complaint's subject,
    outranks the requester and holds a role covering the offer (and, when approving, their
    own day total with it, since an approved amount counts on the approver's day)."""
    if approver.id == requester.id:
        raise AuthorityError(N_("an offer cannot be approved by the person who made it"),
                             field="approver")
    if approver.id == case.subject_staff_id:
        raise RecusalError(N_("{value} is the subject of this complaint and may not handle, "
                              "approve or close it"), field="approver", value=approver.name)
    own_day = Decimal(0) if refuses else day_total(session, policy, approver.id, now)
    approver_ctx = rules.OfferContext(ctx.case_total, own_day, ctx.bottom_line)
    rules.refuse_approver(policy, policy.roles[requester.role], policy.roles[approver.role],
                          approver.name, kind, amount, approver_ctx)


def _raise_level_beyond_handler(policy: Policy, case: Case, seq: int, kind: str,
                                amount: Decimal, ctx: rules.OfferContext, actor: Actor,
                                now: datetime) -> None:
    """A preliminary case whose offer (granted or asked for) is beyond its handler's own
    authority becomes a level-1 case, recorded in its history like any escalation."""
    if case.level != Level.PRELIMINARY:
        return
    handler_ctx = rules.OfferContext(ctx.case_total, Decimal(0), ctx.bottom_line)
    if rules.authority_problems(policy, policy.roles[case.handler.role], kind, amount,
                                handler_ctx):
        change_level(case, Level.LEVEL1, actor, now, offer_raise_reason(seq))


def _offer(case: Case, seq: object) -> Offer:
    for offer in case.offers:
        if offer.seq == seq:
            return offer
    raise NotFound(N_("case {case} has no offer {value}"), field="offer", case=case.case_no,
                   value=str(seq)[:10])


def decide_approval(session: Session, policy: Policy, case_no: str, seq: int, approver: Actor,
                    approve: bool, note: str = "", now: datetime | None = None) -> Offer:
    """Someone who outranks the requester, with a role covering the offer, approves or
    refuses it (see ``_check_approver``); an approval may make the case level 1."""
    now = now or utcnow()
    case = open_case(session, case_no, approver)
    offer = _offer(case, seq)
    if offer.approval != Approval.PENDING:
        raise TransitionError(N_("offer {value} is not awaiting approval"), value=offer.seq)
    requester = Actor(offer.requested_by_id, offer.requested_by.staff_no,
                      offer.requested_by.name, offer.requested_by.role)
    ctx = context_for(session, policy, case, requester.id, now)
    _check_approver(session, policy, case, requester, approver, offer.kind, offer.amount, ctx,
                    now, refuses=not approve)
    if approve:
        offer.approval = Approval.APPROVED.value
        _raise_level_beyond_handler(policy, case, offer.seq, offer.kind, offer.amount, ctx,
                                    approver, now)
    else:
        note = validate.text(note, "reason", max_len=1000)
        offer.approval = Approval.REFUSED.value
    offer.approver_id = approver.id
    offer.decided_at = now
    offer.approval_note = validate.text(note, "reason", required=False, max_len=1000) or None
    if case.status == Status.AWAITING_APPROVAL and not any(
            o.approval == Approval.PENDING for o in case.offers):
        move(case, Status.IN_PROGRESS, approver, now)
    session.flush()
    return offer


def record_answer(session: Session, policy: Policy, case_no: str, seq: int, actor: Actor,
                  answer: str, *, serials: tuple[str, ...] = (),
                  now: datetime | None = None) -> Offer:
    """The customer accepts or refuses a granted offer. Refusing an offer marked final sets
    the bottom line: from then on only the top role may offer more."""
    now = now or utcnow()
    case = open_case(session, case_no, actor)
    offer = _offer(case, seq)
    if not money.is_granted(offer):
        raise TransitionError(N_("offer {value} was not granted; there is nothing to answer"),
                              value=offer.seq)
    if offer.answer != Answer.PENDING:
        raise TransitionError(N_("the customer already answered offer {value}"), value=offer.seq)
    choice = validate.choice(Answer, answer, "answer")
    if choice == Answer.PENDING:
        raise ValidationError(N_("answer accepted or refused"), field="answer")
    if serials:
        offer.serials = _serials(serials)
    if choice == Answer.ACCEPTED and policy.kinds[offer.kind].serials and not offer.serials:
        raise ValidationError(N_("record the serial numbers of what was handed over"),
                              field="serials")
    offer.answer = choice
    offer.answered_at = now
    case.updated_at = now
    session.flush()
    return offer


def _serials(values: tuple[str, ...] | list[str]) -> list[str]:
    if isinstance(values, str):
        values = [v for v in values.replace(",", " ").split() if v]
    result = []
    for i, value in enumerate(values):
        serial = validate.code(value, f"serials[{i}]")
        if serial in result:
            raise ValidationError(N_("serial number {value} is listed twice"), field="serials",
                                  value=serial)
        result.append(serial)
    return result
