"""Promised reply times kept: the interim contacts logged while a case is open, the queue of
promises due soon or broken, and how many were broken in a period.

Rule: the reply time promised at the commit step (or at the last contact) is kept by a
contact with the customer logged before it passes, even with no progress to report; each
contact says whether the customer was reached, how, what was said, and promises again. The
new time must be in the future and within the case's statutory limit (as at the commit
step). A late contact is still logged, and it records the broken promise.

A promise is broken when it passed before a contact answered it (``kept`` false on that
contact), or when the case's last promise passed while the case was open or before it was
resolved.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from desk import rules
from desk.enums import Status, channel_label
from desk.errors import N_, TransitionError, ValidationError
from desk.i18n import _
from desk.model import Case, InterimContact, utcnow
from desk.policy import Policy
from desk.services import contact, revisit, validate
from desk.services.auth import Actor
from desk.services.handling import open_case
from desk.uow import bind_actor

ACTIVE_KEYS = sorted(s.value for s in rules.ACTIVE)
DUE, BROKEN = "due", "broken"
STATE_LABELS = {DUE: N_("Due within the hour"), BROKEN: N_("Broken")}


def log_contact(session: Session, policy: Policy, case_no: str, actor: Actor, *,
                reached: object, channel: str, said: str, promised_reply_at: object,
                now: datetime | None = None) -> InterimContact:
    """Log one contact with the customer on an open case and promise the next reply time."""
    bind_actor(session, actor)
    now = now or utcnow()
    case = open_case(session, case_no, actor, handling=False)
    if Status(case.status) not in rules.ACTIVE:
        raise TransitionError(N_("the case is {status}; contacts before the reply are logged "
                                 "only while it is open"), status=Status(case.status).label)
    if not isinstance(reached, bool):
        raise ValidationError(N_("must be true or false"), field="reached")
    key = contact.check_reachable(case, channel)
    said = validate.text(said, "said", max_len=2000)
    if promised_reply_at in (None, ""):
        raise ValidationError(N_("promise the customer the next reply time"),
                              field="promised_reply_at")
    promised = validate.aware(promised_reply_at, "promised_reply_at")
    if promised <= now:
        raise ValidationError(N_("a promised reply time must be in the future"),
                              field="promised_reply_at")
    if promised > revisit.latest_promise(case):
        raise ValidationError(N_("is past the statutory limit for this complaint"),
                              field="promised_reply_at")
    answered = case.promised_reply_at
    row = InterimContact(at=now, staff_id=actor.id, reached=reached, channel=key, said=said,
                         answered_promise=answered,
                         kept=answered is None or now <= answered,
                         promised_reply_at=promised)
    case.contacts.append(row)
    case.promised_reply_at = promised
    if reached and case.first_contact_at is None:
        case.first_contact_at = now
    case.updated_at = now
    session.flush()
    return row


@dataclass(frozen=True)
class ContactRow:
    at: datetime
    staff: str
    reached: bool
    channel: str
    said: str
    answered_promise: datetime | None
    kept: bool
    promised_reply_at: datetime | None
    migrated: bool = False

    @property
    def channel_label(self) -> str:
        return channel_label(self.channel)


def contacts(session: Session, case_no: str) -> list[ContactRow]:
    """A case's interim contacts, oldest first."""
    stmt = (select(InterimContact).join(Case, Case.id == InterimContact.case_id)
            .where(Case.case_no == case_no).order_by(InterimContact.id))
    return [ContactRow(c.at, c.staff.name, c.reached, c.channel, c.said, c.answered_promise,
                       c.kept, c.promised_reply_at, c.migrated)
            for c in session.scalars(stmt)]


@dataclass(frozen=True)
class PromiseRow:
    """One open case whose promised reply time is near or past."""

    case_no: str
    desk: str
    customer_name: str
    customer_phone: str | None
    contact_channel: str | None
    handler: str
    promised_reply_at: datetime
    state: str                  # due or broken
    contacts: int

    @property
    def state_label(self) -> str:
        return _(STATE_LABELS[self.state])

    @property
    def channel_label(self) -> str:
        return channel_label(self.contact_channel)


def promise_queue(session: Session, policy: Policy, now: datetime | None = None, *,
                  desk: str | None = None) -> list[PromiseRow]:
    """Open cases whose promise passes within the policy's warning time, or has passed
    (broken, first), nearest first."""
    from desk.model import Staff
    now = now or utcnow()
    horizon = now + timedelta(minutes=policy.promise_warning_minutes)
    counts = (select(InterimContact.case_id, func.count(InterimContact.id).label("n"))
              .group_by(InterimContact.case_id).subquery())
    stmt = (select(Case.case_no, Case.desk, Case.customer_name, Case.customer_phone,
                   Case.contact_channel, Staff.name, Case.promised_reply_at,
                   func.coalesce(counts.c.n, 0))
            .join(Staff, Staff.id == Case.handler_id)
            .outerjoin(counts, counts.c.case_id == Case.id)
            .where(Case.status.in_(ACTIVE_KEYS), Case.promised_reply_at.is_not(None),
                   Case.promised_reply_at <= horizon)
            .order_by(Case.promised_reply_at))
    if desk:
        stmt = stmt.where(Case.desk == desk)
    return [PromiseRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6],
                       BROKEN if r[6] < now else DUE, r[7]) for r in session.execute(stmt)]


def broken_promises(session: Session, since: datetime, until: datetime,
                    now: datetime | None = None, *, where: tuple = ()) -> int:
    """Promises whose time fell in ``[since, until)`` and were broken (by ``now``): answered
    late by a contact, or the case's last promise passed while it was open or unresolved.
    ``where``: conditions on the case (a report's desk or mall)."""
    now = now or utcnow()
    late = (select(func.count(InterimContact.id))
            .join(Case, Case.id == InterimContact.case_id)
            .where(InterimContact.kept.is_(False), InterimContact.answered_promise >= since,
                   InterimContact.answered_promise < until))
    last = (select(func.count(Case.id))
            .where(Case.promised_reply_at >= since, Case.promised_reply_at < until,
                   Case.promised_reply_at < now,
                   or_(and_(Case.status.in_(ACTIVE_KEYS)),
                       and_(Case.resolved_at.is_not(None),
                            Case.resolved_at > Case.promised_reply_at))))
    late, last = late.where(*where), last.where(*where)
    return int(session.scalar(late) or 0) + int(session.scalar(last) or 0)


def due_count(session: Session, policy: Policy, now: datetime | None = None) -> int:
    """For the status bar: promises due within the warning time or broken, on open cases."""
    return len(promise_queue(session, policy, now))


__all__ = ["BROKEN", "DUE", "ContactRow", "PromiseRow", "broken_promises", "contacts",
           "due_count", "log_contact", "promise_queue"]
