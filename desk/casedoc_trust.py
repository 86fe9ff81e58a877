"""Who a case document may say did what, and when: the importer's own actions, actions
carried by their doer's PIN, or migrated history brought in by a role with the privilege.

A file can never make the store say that someone did something they did not authenticate
for. PINs in a file are checked before the import starts, each in its own unit of work like
a sign-in, so a wrong one counts toward lock-out even though the import is refused and
rolled back. The model is described in docs/case-format.md.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Iterator

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from desk.enums import Privilege
from desk.errors import N_, AuthenticationError, DomainError, ValidationError
from desk.model import (Attachment, Case, FollowUp, InterimContact, Offer, StatusChange,
                        StepRecord)
from desk.money_model import CostEvent, Settlement, StaffFinding
from desk.policy import Policy
from desk.privileges import require
from desk.replies_model import Reply
from desk.review_model import DayClose
from desk.services import validate
from desk.services.auth import Actor, actor_for, sign_in, staff_by_no
from desk import uow
from desk.uow import vouch, vouch_for_record

log = logging.getLogger("desk.security")

LISTS = ("steps", "escalations", "offers", "follow_ups", "attachments", "replies",
         "interim_contacts")
REPLY_DECISIONS = ("approval", "second_review", "rejection")   # blocks of replies[i]
BLOCKS = ("resolution", "recipient", "closure", "not_accepted", "void", "settlement", "finding")
# Rows that name a person: marked when they come in as migrated history.
ACTION_ROWS = (StepRecord, Offer, StatusChange, FollowUp, Attachment, Reply, InterimContact,
               CostEvent, Settlement, StaffFinding)


class DocumentError(DomainError):
    """A case document is malformed or breaks a rule; names the document and the field."""


def in_document(index: int, exc: DomainError) -> DocumentError:
    return DocumentError(N_("case document {index}: {problem}"), index=index,
                         problem=exc.message())


# --- PINs in the file: checked first, each like a sign-in ------------------------------------

@dataclass(frozen=True)
class Credentials:
    """The (staff ID, PIN) pairs of a file that were checked, with the actor each proved."""

    verified: dict[tuple[str, str], Actor]

    def actor(self, staff_no: str, pin: str) -> Actor | None:
        return self.verified.get((staff_no, pin))


NO_CREDENTIALS = Credentials({})


def pins_in(doc: dict) -> Iterator[tuple[str, object, object]]:
    """(field of the PIN, staff ID beside it, PIN) for every PIN a document carries."""
    if "recorder_pin" in doc:
        yield "recorder_pin", doc.get("recorder"), doc["recorder_pin"]
    for key in LISTS:
        items = doc.get(key)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if not isinstance(item, dict):
                continue
            if "pin" in item:
                yield f"{key}[{i}].pin", item.get("by"), item["pin"]
            blocks = {"offers": ("approval",), "replies": REPLY_DECISIONS}.get(key, ())
            for name in blocks:
                block = item.get(name)
                if isinstance(block, dict) and "pin" in block:
                    yield f"{key}[{i}].{name}.pin", block.get("by"), block["pin"]
            for j, cost in enumerate(_costs(item) if key == "offers" else ()):
                if "pin" in cost:   # finance's steps: each carries its doer's PIN
                    yield f"{key}[{i}].costs[{j}].pin", cost.get("by"), cost["pin"]
    for key in BLOCKS:
        block = doc.get(key)
        if isinstance(block, dict) and "pin" in block:
            yield f"{key}.pin", block.get("by"), block["pin"]


def verify_credentials(store, policy: Policy, docs: list) -> Credentials:
    """Check every PIN in ``docs`` as the sign-in does (wrong ones counted and committed, the
    account locked after ``policy.pin_attempts``); the first failure raises, naming the
    document and the field."""
    verified: dict[tuple[str, str], Actor] = {}
    for index, doc in enumerate(docs, start=1):
        if not isinstance(doc, dict):
            continue
        for field, staff_no, pin in pins_in(doc):
            by_field = "recorder" if field == "recorder_pin" else field[:-len("pin")] + "by"
            try:
                if not isinstance(staff_no, str) or not staff_no:
                    raise ValidationError(N_("a PIN needs the staff ID of its holder beside it"),
                                          field=by_field)
                if not isinstance(pin, str) or not pin:
                    raise ValidationError(N_("must be text"), field=field)
                if (staff_no, pin) not in verified:
                    verified[(staff_no, pin)] = sign_in(store, policy, staff_no, pin,
                                                        field=by_field)
            except AuthenticationError as exc:
                what = "approver PIN" if (".approval." in field or ".second_review." in field
                                          or ".rejection." in field) else "PIN"
                log.warning("case import: wrong or refused %s for %s (%s)", what,
                            str(staff_no)[:30], field)
                raise in_document(index, exc) from exc
            except DomainError as exc:
                raise in_document(index, exc) from exc
    return Credentials(verified)


def _costs(offer: dict) -> list[dict]:
    """The steps of an offer's life after acceptance that are objects (others are refused
    by the replay, naming the field)."""
    costs = offer.get("costs")
    return [c for c in costs if isinstance(c, dict)] if isinstance(costs, list) else []


# --- who acts --------------------------------------------------------------------------------

class Attribution:
    """Turns the ``by`` of each action into the actor the services are called with.

    Absent or the importer: the importer. Someone else: only with their checked PIN, or
    -- in migrated history -- as the record names them (the rows are marked migrated)."""

    def __init__(self, session: Session, policy: Policy, importer: Actor,
                 credentials: Credentials, *, migrated: bool) -> None:
        self.session, self.policy, self.importer = session, policy, importer
        self.credentials, self.migrated = credentials, migrated

    def actor(self, block: dict, field: str, *, by_key: str = "by",
              pin_key: str = "pin") -> Actor:
        staff_no = block.get(by_key)
        if staff_no is None:
            return self.importer
        if not isinstance(staff_no, str) or not staff_no:
            raise ValidationError(N_("is required"), field=field)
        staff_by_no(self.session, staff_no, field)
        if staff_no == self.importer.staff_no:
            return self.importer
        pin = block.get(pin_key)
        if pin is not None:
            proved = self.credentials.actor(staff_no, pin) if isinstance(pin, str) else None
            if proved is None:   # a caller that skipped verify_credentials
                pin_field = field[:-len("by")] + pin_key if field.endswith(".by") else pin_key
                raise AuthenticationError(N_("the PIN of {value} was not checked"),
                                          field=pin_field, value=staff_no)
            vouch(self.session, staff_no)   # their PIN was checked like a sign-in
            return proved
        if self.migrated:   # the importer brings the record in; the rows are marked
            vouch_for_record(self.session, staff_no)
            return actor_for(self.session, staff_no)
        raise AuthenticationError(
            N_("{value} is not the person importing this file; an action of someone else "
               "needs their own PIN beside it, or the case must come in as migrated history"),
            field=field, value=staff_no)


def require_import_privilege(policy: Policy, importer: Actor) -> None:
    require(policy, importer, Privilege.IMPORT_HISTORY, field="migrated")


# --- when ------------------------------------------------------------------------------------

def instants(doc: dict) -> Iterator[tuple[str, object]]:
    """(field, value) of every time a document says something happened (a promised reply
    time is a promise, not an event, and may lie ahead)."""
    yield "received_at", doc.get("received_at")
    for key in LISTS:
        items = doc.get(key)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, dict):
                yield f"{key}[{i}].at", item.get("at")
                if key == "offers" and item.get("answered_at") is not None:
                    yield f"{key}[{i}].answered_at", item.get("answered_at")
                for j, cost in enumerate(_costs(item) if key == "offers" else ()):
                    yield f"{key}[{i}].costs[{j}].at", cost.get("at")
                for name in REPLY_DECISIONS if key == "replies" else ():
                    block = item.get(name)
                    if isinstance(block, dict):
                        yield f"{key}[{i}].{name}.at", block.get("at")
    for key in BLOCKS:
        block = doc.get(key)
        if isinstance(block, dict):
            yield f"{key}.at", block.get("at")


class Clock:
    """Bounds the times of a document: none later than the import's clock plus the policy's
    skew; none on or before the last day closed at the document's desk, unless migrated."""

    def __init__(self, session: Session, policy: Policy, now: datetime) -> None:
        self.session, self.policy, self.now = session, policy, now
        self.latest = now + timedelta(minutes=policy.clock_skew_minutes)
        self._closed: dict[str, date | None] = {}

    def last_closed(self, desk: str | None) -> date | None:
        """The last day closed at ``desk`` (None: at any desk of the store)."""
        if desk not in self._closed:
            where = [DayClose.reopened_at.is_(None)]
            if desk is not None:
                where.append(DayClose.desk == desk)
            self._closed[desk] = self.session.scalar(select(func.max(DayClose.day)).where(*where))
        return self._closed[desk]

    def check(self, doc: dict, *, migrated: bool) -> None:
        desk = doc.get("desk")
        closed = (self.last_closed(desk.strip().upper())
                  if isinstance(desk, str) and not migrated else None)
        # A desk that never closed a day (a new letter) does not reopen the store's past.
        store_wide = closed is None and not migrated
        if store_wide:
            closed = self.last_closed(None)
        for field, value in instants(doc):
            if value is None:
                continue   # required ones are refused by the replay, naming the field
            when = validate.aware(value, field)
            if when > self.latest:
                raise ValidationError(N_("{value} is in the future"), field=field,
                                      value=str(value)[:40])
            if closed is not None and when.astimezone(self.policy.tz).date() <= closed:
                if store_wide:
                    raise ValidationError(
                        N_("{value} is not after {day}, the last day closed after review in "
                           "this store; an earlier case can only come in as migrated history"),
                        field=field, value=str(value)[:40], day=closed.isoformat())
                raise ValidationError(
                    N_("{value} is not after {day}, the last day closed after review at this "
                       "desk; an earlier case can only come in as migrated history"),
                    field=field, value=str(value)[:40], day=closed.isoformat())


# --- migrated history ------------------------------------------------------------------------

@contextmanager
def marked_as_migrated(session: Session, importer: Actor, now: datetime) -> Iterator[None]:
    """Every row written meanwhile is migrated history: a new case records who imported it
    and when, each new action row is flagged, and the audit log names the importer (who did
    write them) rather than the people the old record names."""
    def mark(sess: Session, _context, _instances) -> None:
        for obj in sess.new:
            if isinstance(obj, Case):
                obj.migrated_by_id, obj.migrated_at = importer.id, now
            elif isinstance(obj, ACTION_ROWS):
                obj.migrated = True

    event.listen(session, "before_flush", mark)
    session.info[uow.MIGRATING] = True
    try:
        yield
    finally:
        session.info.pop(uow.MIGRATING, None)
        event.remove(session, "before_flush", mark)


@contextmanager
def stated_time(session: Session, at: datetime) -> Iterator[None]:
    """An offer written meanwhile is granted now but keeps the time its document stated,
    written with the offer itself (one audit entry, not a second change)."""
    def state(sess: Session, _context, _instances) -> None:
        for obj in sess.new:
            if isinstance(obj, Offer) and obj.stated_at is None:
                obj.stated_at = at

    event.listen(session, "before_flush", state)
    try:
        yield
    finally:
        event.remove(session, "before_flush", state)
