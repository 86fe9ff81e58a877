"""The outbox: approved e-mails and text messages waiting to go, kept in the store so they
survive a restart, each attempt's outcome recorded (sent; or failed, why, how many times,
when the next try is due).

Sending is two short units of work around the network call (claim the row, then record what
happened), so no store lock is held while a server is slow, and a desk that crashes in
between leaves a row "sending" that is tried again after ``STALE``. A demo store never
sends: its staff and PINs are printed in the manual.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from desk.audit.row_check import changed_outside
from desk.errors import N_, DomainError, NotFound, TransitionError, ValidationError
from desk.model import Case, Staff, utcnow
from desk.policy import Policy
from desk.queries import load_case
from desk.replies import find_reply, frozen_digest, releasable
from desk.replies_model import OutboxItem, OutboxState, Reply, ReplyChannel
from desk.sending import Message, SendConfig, SendError, deliver, is_demo_store, sending_config
from desk.services.auth import Actor
from desk.services.handling import open_case
from desk.uow import bind_actor

log = logging.getLogger("desk.security")

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2))        # after the 1st, 2nd, ... failure; then only by hand
STALE = timedelta(minutes=10)         # a claim older than this was lost with its desk


@dataclass(frozen=True)
class OutboxRow:
    id: int
    case_no: str
    reply_seq: int
    channel: str
    recipient: str
    subject: str
    state: str
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    queued_at: datetime
    queued_by: str
    sent_at: datetime | None


def refuse_demo(session: Session) -> None:
    if is_demo_store(session):
        raise ValidationError(N_("this is a demo store: nothing is sent from it"),
                              field="channel")


def queue_reply(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor,
                now: datetime | None = None) -> OutboxItem:
    """Put an approved e-mail or text message in the outbox, exactly as approved."""
    now = now or utcnow()
    refuse_demo(session)
    case = open_case(session, case_no, actor, after_care=True)
    reply = releasable(policy, case, find_reply(session, case, seq))
    if reply.channel == ReplyChannel.LETTER:
        raise ValidationError(N_("a letter is printed, not sent; print reply {value}"),
                              field="channel", value=reply.seq)
    config = sending_config(session)
    if not config.can_send(reply.channel):
        raise ValidationError(N_("sending {channel} is not set up for this store; an "
                                 "administrator sets it with \"desk outbox settings\""),
                              field="channel", channel=ReplyChannel(reply.channel).label)
    waiting = session.scalar(select(OutboxItem.id).where(
        OutboxItem.reply_id == reply.id, OutboxItem.state != OutboxState.FAILED.value))
    if waiting is not None:
        raise TransitionError(N_("reply {value} is already in the outbox (message {id})"),
                              field="reply", value=reply.seq, id=waiting)
    item = OutboxItem(case_id=case.id, reply_id=reply.id, channel=reply.channel,
                      recipient=reply.recipient, subject=reply.subject, body=reply.body,
                      state=OutboxState.QUEUED.value, attempts=0, next_attempt_at=now,
                      queued_at=now, queued_by_id=actor.id)
    session.add(item)
    session.flush()
    return item


def _due_clause(now: datetime):
    return or_(and_(OutboxItem.state.in_((OutboxState.QUEUED.value, OutboxState.FAILED.value)),
                    OutboxItem.next_attempt_at.is_not(None), OutboxItem.next_attempt_at <= now),
               and_(OutboxItem.state == OutboxState.SENDING.value,
                    OutboxItem.claimed_at <= now - STALE))


def due_ids(session: Session, now: datetime | None = None, limit: int = 50) -> list[int]:
    now = now or utcnow()
    return list(session.scalars(select(OutboxItem.id).where(_due_clause(now))
                                .order_by(OutboxItem.next_attempt_at, OutboxItem.id)
                                .limit(limit)))


def claim(session: Session, policy: Policy, item_id: int, actor: Actor,
          now: datetime | None = None) -> Message | None:
    """Mark a due row as being sent by this desk; None when it is no longer due (another
    desk took it, or it was sent meanwhile) or when it may not go as it stands (``held``)."""
    bind_actor(session, actor)
    now = now or utcnow()
    item = session.scalar(select(OutboxItem).where(OutboxItem.id == item_id,
                                                   _due_clause(now)))
    if item is None:
        return None
    refuse_demo(session)
    if tampered(session, item):   # left exactly as the file has it, for the audit to find
        log.warning("outbox message %s or its reply was changed outside the program; "
                    "not sent", item.id)
        return None
    reason = held(session, policy, item)
    if reason is not None:
        item.state, item.next_attempt_at, item.claimed_at = OutboxState.FAILED.value, None, None
        item.last_error = reason.message()[:1000]
        session.flush()
        return None
    item.state, item.claimed_at = OutboxState.SENDING.value, now
    session.flush()
    return Message(item.channel, item.recipient, item.subject, item.body)


def tampered(session: Session, item: OutboxItem) -> bool:
    """Whether ``item`` or its reply differs from what the program last wrote (the audit
    log): such a row is neither sent nor written over, which would hide the change from
    ``desk audit verify``."""
    reply = session.get(Reply, item.reply_id)
    return bool(changed_outside(session, item) or (reply and changed_outside(session, reply)))


def held(session: Session, policy: Policy, item: OutboxItem) -> DomainError | None:
    """Why ``item`` may not go now (None: it may): its reply must still be releasable (e.g.
    the case was raised since to a level that needs a second review), and the message must
    be exactly the approved text."""
    reply = session.get(Reply, item.reply_id)
    try:
        if reply is None or reply.case_id != item.case_id:
            raise TransitionError(N_("message {value} has no written reply behind it"),
                                  field="id", value=item.id)
        releasable(policy, session.get(Case, item.case_id), reply)
        if frozen_digest(item) != reply.body_sha256:
            raise TransitionError(N_("message {value} differs from the reply that was "
                                     "approved; it is not sent (a manager checks the audit "
                                     "log: desk audit verify)"), field="id", value=item.id)
    except DomainError as exc:
        return exc
    return None


def record_outcome(session: Session, item_id: int, actor: Actor, error: str | None,
                   now: datetime | None = None) -> OutboxItem:
    bind_actor(session, actor)
    now = now or utcnow()
    item = session.get(OutboxItem, item_id)
    item.attempts += 1
    item.claimed_at = None
    if error is None:
        item.state, item.sent_at, item.next_attempt_at, item.last_error = (
            OutboxState.SENT.value, now, None, None)
    else:
        item.state, item.last_error = OutboxState.FAILED.value, error[:1000]
        wait = BACKOFF[item.attempts - 1] if item.attempts <= len(BACKOFF) else None
        item.next_attempt_at = now + wait if wait is not None else None
    session.flush()
    return item


def retry(session: Session, item_id: object, actor: Actor, now: datetime | None = None
          ) -> OutboxItem:
    """Try a failed message again at once (after the automatic tries ran out, or after the
    settings were fixed)."""
    bind_actor(session, actor)
    refuse_demo(session)
    item = _item(session, item_id)
    if item.state != OutboxState.FAILED:
        raise TransitionError(N_("message {value} is {state}; only a failed one is retried"),
                              field="id", value=item.id, state=OutboxState(item.state).label)
    item.state, item.next_attempt_at = OutboxState.QUEUED.value, now or utcnow()
    session.flush()
    return item


def _item(session: Session, item_id: object) -> OutboxItem:
    try:
        number = int(str(item_id))
    except ValueError:
        number = -1
    item = session.get(OutboxItem, number)
    if item is None:
        raise NotFound(N_("no outbox message {value}"), field="id", value=str(item_id)[:10])
    return item


def outbox_rows(session: Session, *, state: str | None = None, case_no: str | None = None,
                limit: int = 500) -> list[OutboxRow]:
    """Newest first; ``state`` (e.g. failed) or one case's messages only."""
    stmt = (select(OutboxItem, Case.case_no, Reply.seq, Staff.name)
            .join(Case, Case.id == OutboxItem.case_id)
            .join(Reply, Reply.id == OutboxItem.reply_id)
            .join(Staff, Staff.id == OutboxItem.queued_by_id)
            .order_by(OutboxItem.id.desc()).limit(limit))
    if state is not None:
        stmt = stmt.where(OutboxItem.state == state)
    if case_no is not None:
        stmt = stmt.where(OutboxItem.case_id == load_case(session, case_no).id)
    return [OutboxRow(i.id, no, seq, i.channel, i.recipient, i.subject, i.state, i.attempts,
                      i.last_error, i.next_attempt_at, i.queued_at, name, i.sent_at)
            for i, no, seq, name in session.execute(stmt)]


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int


def send_due(store, policy: Policy, actor: Actor, *, now: datetime | None = None,
             transport=deliver) -> SendReport:
    """Send every message that is due, one at a time: claim, hand over, record."""
    sent = failed = 0
    with store.read() as session:
        refuse_demo(session)
        ids = due_ids(session, now)
        config: SendConfig = sending_config(session)
    for item_id in ids:
        with store.write(actor) as session:
            message = claim(session, policy, item_id, actor, now)
        if message is None:
            continue
        try:
            transport(config, message)
            error = None
        except SendError as exc:
            error = str(exc)
        with store.write(actor) as session:
            record_outcome(session, item_id, actor, error, now)
        sent, failed = (sent + 1, failed) if error is None else (sent, failed + 1)
    return SendReport(sent, failed)


__all__ = ["OutboxRow", "SendReport", "claim", "due_ids", "outbox_rows", "queue_reply",
           "held", "record_outcome", "retry", "send_due",
           "tampered"]
