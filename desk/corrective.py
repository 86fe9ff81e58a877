"""Corrective work after the case: root-cause records for recurring or ★★★ complaints, and
tenant chargebacks -- what the mall paid for a tenant's fault, tracked until recovered.

Rules:
- A root-cause record covers either a ★★★ case or two or more cases (a recurring matter).
- It is verified only when problem, containment, root cause, permanent fix, verification
  and prevention are all written; until then the weekly report lists it.
- A chargeback is recorded on a tenant case where the mall paid compensation, for at most
  what was paid less what is already being recovered; it is open until settled.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk import money, rules
from desk.enums import Privilege, SubjectKind
from desk.errors import N_, NotFound, TransitionError, ValidationError
from desk.i18n import _
from desk.model import Case, Staff, utcnow
from desk.policy import Policy
from desk.privileges import holds, require
from desk.queries import load_case
from desk.review_model import Chargeback, RootCause, RootCauseCase
from desk.services import handling, validate
from desk.services.auth import Actor
from desk.uow import bind_actor

FIELDS = ("problem", "containment", "root_cause", "permanent_fix", "verification", "prevention")
FIELD_LABELS = {"title": N_("Title"), "team": N_("Team"), "problem": N_("Problem"),
                "containment": N_("Containment"), "root_cause": N_("Root cause"),
                "permanent_fix": N_("Permanent fix"), "verification": N_("Verification"),
                "prevention": N_("Prevention"), "recognition": N_("Recognition")}
AFTER_VERIFICATION = {"recognition"}   # the eighth step may follow the verification


PRIVILEGE = Privilege.REVIEW   # root causes and chargebacks are supervisors' work, like the review


def may_correct(policy: Policy, actor: Actor | None) -> bool:
    """Whether screens should offer corrective work to this person (the services check it
    again on every write)."""
    return holds(policy, actor, PRIVILEGE)


# --- root causes -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RootCauseRow:
    id: int
    title: str
    team: str
    problem: str
    containment: str
    root_cause: str
    permanent_fix: str
    verification: str
    prevention: str
    opened_at: datetime
    opened_by: str
    verified_at: datetime | None
    verified_by: str | None
    cases: tuple[str, ...]
    recognition: str = ""

    @property
    def missing(self) -> list[str]:
        return [f for f in FIELDS if not getattr(self, f)]


def open_root_cause(session: Session, policy: Policy, actor: Actor, case_nos: list[str],
                    title: str, problem: str, *, team: str = "",
                    now: datetime | None = None) -> RootCause:
    bind_actor(session, actor)
    now = now or utcnow()
    require(policy, actor, PRIVILEGE, N_("root-cause records need a supervisor or higher"))
    numbers = sorted({str(n).strip().upper() for n in case_nos if str(n).strip()})
    if not numbers:
        raise ValidationError(N_("name at least one case"), field="case_no")
    cases = [load_case(session, n) for n in numbers]
    if len(cases) < 2 and not any(c.severity == 3 for c in cases):
        raise ValidationError(N_("a root-cause record is for a ★★★ case or a matter that "
                                 "recurs (two cases or more)"), field="case_no")
    record = RootCause(title=validate.text(title, "name", max_len=200),
                       problem=validate.text(problem, "reason", max_len=4000),
                       team=validate.text(team, "name", required=False, max_len=1000),
                       opened_at=now, opened_by_id=actor.id, updated_at=now)
    record.links = [RootCauseCase(case_id=c.id) for c in cases]
    session.add(record)
    session.flush()
    return record


def update_root_cause(session: Session, policy: Policy, actor: Actor, record_id: int, *,
                      now: datetime | None = None, **values: str) -> RootCause:
    """Write the containment, root cause, fix, verification, prevention (or edit the rest)."""
    bind_actor(session, actor)
    now = now or utcnow()
    require(policy, actor, PRIVILEGE, N_("root-cause records need a supervisor or higher"))
    record = _root_cause(session, record_id)
    if record.verified_at is not None and not set(values) <= AFTER_VERIFICATION:
        raise TransitionError(N_("root-cause record {value} is verified; it no longer changes"),
                              value=record_id)
    for key, value in values.items():
        if key not in FIELD_LABELS:
            raise ValidationError(N_("unknown field {value}"), field="name", value=key[:40])
        limit = 200 if key == "title" else 4000
        setattr(record, key, validate.text(value, "reason", required=key in ("title", "problem"),
                                           max_len=limit))
    record.updated_at = now
    session.flush()
    return record


def verify_root_cause(session: Session, policy: Policy, actor: Actor, record_id: int, *,
                      now: datetime | None = None) -> RootCause:
    bind_actor(session, actor)
    now = now or utcnow()
    require(policy, actor, PRIVILEGE, N_("root-cause records need a supervisor or higher"))
    record = _root_cause(session, record_id)
    missing = [f for f in FIELDS if not getattr(record, f)]
    if missing:
        raise ValidationError(N_("write these first: {fields}"), field="reason",
                              fields=", ".join(_(FIELD_LABELS[f]) for f in missing))
    if record.verified_at is not None:
        raise TransitionError(N_("root-cause record {value} is verified; it no longer changes"),
                              value=record_id)
    record.verified_at = now
    record.verified_by_id = actor.id
    record.updated_at = now
    session.flush()
    return record


def _root_cause(session: Session, record_id: int) -> RootCause:
    record = session.get(RootCause, int(record_id))
    if record is None:
        raise NotFound(N_("no root-cause record {value}"), field="name", value=record_id)
    return record


def root_causes(session: Session, *, open_only: bool = False,
                case_no: str | None = None) -> list[RootCauseRow]:
    """Every record (or those not verified, or those covering one case), oldest first."""
    stmt = select(RootCause).order_by(RootCause.id)
    if open_only:
        stmt = stmt.where(RootCause.verified_at.is_(None))
    if case_no is not None:
        stmt = stmt.where(RootCause.id.in_(
            select(RootCauseCase.root_cause_id).join(Case, Case.id == RootCauseCase.case_id)
            .where(Case.case_no == case_no)))
    records = list(session.scalars(stmt))
    names = dict(session.execute(select(Staff.id, Staff.name)).all())
    numbers: dict[int, list[str]] = {}
    if records:
        for rc_id, case_no in session.execute(
                select(RootCauseCase.root_cause_id, Case.case_no)
                .join(Case, Case.id == RootCauseCase.case_id)
                .where(RootCauseCase.root_cause_id.in_([r.id for r in records]))
                .order_by(Case.case_no)):
            numbers.setdefault(rc_id, []).append(case_no)
    return [RootCauseRow(r.id, r.title, r.team, r.problem, r.containment, r.root_cause,
                         r.permanent_fix, r.verification, r.prevention, r.opened_at,
                         names.get(r.opened_by_id, ""), r.verified_at,
                         names.get(r.verified_by_id) if r.verified_by_id else None,
                         tuple(numbers.get(r.id, ())), r.recognition or "") for r in records]


# --- tenant chargebacks ------------------------------------------------------------------------

@dataclass(frozen=True)
class ChargebackRow:
    id: int
    case_no: str
    tenant: str
    amount: Decimal
    reason: str
    recorded_at: datetime
    settled_at: datetime | None
    settlement_note: str | None


def _paid(case: Case) -> Decimal:
    return sum((o.amount for o in case.offers if money.is_paid(o)), Decimal(0))


def _recovering(session: Session, case: Case) -> Decimal:
    return Decimal(session.scalar(select(func.coalesce(func.sum(Chargeback.amount), 0))
                                  .where(Chargeback.case_id == case.id)) or 0)


def chargeback_room(session: Session, case_no: str) -> Decimal:
    """What may still be charged back on a case: what the mall paid less what is already
    being recovered; nothing on a case that is not about a tenant."""
    case = load_case(session, case_no)
    if case.subject_kind not in (SubjectKind.TENANT, SubjectKind.CHARGE) or not case.subject_name:
        return Decimal(0)
    return max(_paid(case) - _recovering(session, case), Decimal(0))


def record_chargeback(session: Session, policy: Policy, actor: Actor, case_no: str,
                      amount: object, reason: str = "", *,
                      now: datetime | None = None) -> Chargeback:
    bind_actor(session, actor)
    now = now or utcnow()
    require(policy, actor, PRIVILEGE, N_("chargebacks need a supervisor or higher"))
    case = handling.open_case(session, case_no, actor, handling=False, after_care=True)
    if case.subject_kind not in (SubjectKind.TENANT, SubjectKind.CHARGE) or not case.subject_name:
        raise ValidationError(N_("a chargeback is recorded on a complaint about a tenant"),
                              field="subject.kind")
    value = rules.parse_amount(amount)
    already = _recovering(session, case)
    room = _paid(case) - already
    if value > room:
        raise ValidationError(N_("the mall paid {paid} on this case and {already} is already "
                                 "being recovered; at most {room} more can be charged back"),
                              field="amount", paid=str(_paid(case)), already=str(already),
                              room=str(max(room, Decimal(0))))
    row = Chargeback(case_id=case.id, tenant=case.subject_name, amount=value,
                     reason=validate.text(reason, "reason", required=False, max_len=1000),
                     recorded_at=now, recorded_by_id=actor.id)
    session.add(row)
    session.flush()
    return row


def settle_chargeback(session: Session, policy: Policy, actor: Actor, chargeback_id: int,
                      note: str = "", *, now: datetime | None = None) -> Chargeback:
    bind_actor(session, actor)
    now = now or utcnow()
    require(policy, actor, PRIVILEGE, N_("chargebacks need a supervisor or higher"))
    row = session.get(Chargeback, int(chargeback_id))
    if row is None:
        raise NotFound(N_("no chargeback {value}"), field="amount", value=chargeback_id)
    if row.settled_at is not None:
        raise TransitionError(N_("chargeback {value} is already settled"), value=chargeback_id)
    row.settled_at = now
    row.settled_by_id = actor.id
    row.settlement_note = validate.text(note, "reason", required=False, max_len=1000) or None
    session.flush()
    return row


def chargebacks(session: Session, *, open_only: bool = False,
                case_no: str | None = None) -> list[ChargebackRow]:
    """Chargebacks by tenant (or those still open, or those of one case)."""
    stmt = (select(Chargeback, Case.case_no).join(Case, Case.id == Chargeback.case_id)
            .order_by(Chargeback.tenant, Chargeback.id))
    if open_only:
        stmt = stmt.where(Chargeback.settled_at.is_(None))
    if case_no is not None:
        stmt = stmt.where(Case.case_no == case_no)
    return [ChargebackRow(c.id, no, c.tenant, c.amount, c.reason, c.recorded_at, c.settled_at,
                          c.settlement_note) for c, no in session.execute(stmt)]


__all__ = ["ChargebackRow", "RootCauseRow", "chargeback_room", "chargebacks", "may_correct",
           "open_root_cause", "record_chargeback", "root_causes", "settle_chargeback",
           "update_root_cause", "verify_root_cause"]
