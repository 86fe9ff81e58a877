"""Who is at the keyboard: sign-in with staff ID and PIN, lock-out after wrong PINs.

Wrong PINs are counted within a window (``site.pin_window_minutes``, from the first wrong
PIN of the run); a right PIN in between does not reset the count, so a guesser cannot
spread tries around the owner's own sign-ins. A PIN set before the policy grew stricter
still signs in; the actor then carries ``pin_change_due`` and the surfaces ask for a new one.

Authentication happens at the edge, once, in its own transaction, so a wrong PIN is counted
even though the action it was meant for is refused. Services then take the verified
``Actor`` (and an ``Actor`` for an approver) instead of PINs.
"""
from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.audit.row_check import changed_outside
from desk.errors import N_, AuthenticationError, NotFound
from desk.i18n import format_datetime
from desk.model import Staff, utcnow
from desk.policy import Policy
from desk.security import meets_policy, needs_rehash, pin_matches, rehash_pin
from desk.services import memo
from desk.uow import name_if_unnamed, vouch


@dataclass(frozen=True)
class Actor:
    """A staff member whose PIN was checked."""

    id: int
    staff_no: str
    name: str
    role: str
    # the PIN they signed in with no longer meets the policy: ask them to change it
    pin_change_due: bool = dataclass_field(default=False, compare=False)


def staff_by_no(session: Session, staff_no: str, field: str = "staff_id") -> Staff:
    key = str(staff_no)
    # No staff ID is unprintable or long; a lone surrogate could not even reach the database.
    staff = memo.staff(session, key, lambda: session.scalar(
        select(Staff).where(Staff.staff_no == key))) \
        if key.isprintable() and len(key) <= 40 else None
    if staff is None:
        raise NotFound(N_("no staff member with ID {value}"), field=field, value=str(staff_no)[:40])
    return staff


def check_pin(session: Session, policy: Policy, staff_no: str, pin: str, *,
              field: str = "staff_id", count_failure: bool = True,
              now: datetime | None = None) -> Actor:
    """Verify a PIN inside ``session``. With ``count_failure`` a wrong PIN is recorded on the
    staff row (the caller must commit even when this raises: see ``sign_in``)."""
    now = now or utcnow()
    staff = staff_by_no(session, staff_no, field)
    name_if_unnamed(session, staff.staff_no)   # a wrong-PIN count is logged as theirs
    if changed_outside(session, staff):   # a role or PIN hash written into the file itself
        raise AuthenticationError(N_("the staff record of {value} was changed outside Complaint "
                                     "Desk; nobody signs in with it until a manager checks "
                                     "the audit log (desk audit verify)"), field=field,
                                  value=staff.staff_no)
    if not staff.active:
        raise AuthenticationError(N_("staff member {value} is no longer active"), field=field,
                                  value=staff.staff_no)
    if staff.locked_until and staff.locked_until > now:
        raise AuthenticationError(N_("too many wrong PINs; {value} is locked until {until}"),
                                  field=field, value=staff.staff_no,
                                  until=format_datetime(staff.locked_until, policy.tz))
    if not memo.pin_matched(session, staff.pin_hash, pin,
                            lambda: pin_matches(staff.pin_hash, pin)):
        if count_failure:
            _count_failure(staff, policy, now)
        raise AuthenticationError(N_("wrong PIN for {value}"), field="pin", value=staff.staff_no)
    if count_failure:
        _forget_stale_failures(staff, policy, now)
        if needs_rehash(staff.pin_hash):   # an older, cheaper hash: the measured one now
            staff.pin_hash = rehash_pin(pin)
    vouch(session, staff.staff_no)   # their own PIN: this unit of work may act as them
    due = not meets_policy(pin, pin_digits(policy, staff.role))
    return Actor(staff.id, staff.staff_no, staff.name, staff.role, pin_change_due=due)


def _count_failure(staff: Staff, policy: Policy, now: datetime) -> None:
    """One more wrong PIN in the current window (a new window when the last is over);
    the account locks when the window holds ``pin_attempts`` of them."""
    window = timedelta(minutes=policy.pin_window_minutes)
    if staff.first_failed_at is None or now - staff.first_failed_at >= window:
        staff.first_failed_at = now
        staff.failed_pins = 0
    staff.failed_pins = (staff.failed_pins or 0) + 1
    if staff.failed_pins >= policy.pin_attempts:
        staff.locked_until = now + timedelta(minutes=policy.pin_lock_minutes)
        staff.failed_pins = 0
        staff.first_failed_at = None


def _forget_stale_failures(staff: Staff, policy: Policy, now: datetime) -> None:
    """Only a window that is over is cleared: a right PIN inside it leaves the count."""
    window = timedelta(minutes=policy.pin_window_minutes)
    if staff.first_failed_at is not None and now - staff.first_failed_at >= window:
        staff.first_failed_at = None
        staff.failed_pins = 0
    if staff.locked_until is not None and staff.locked_until <= now:
        staff.locked_until = None


def pin_digits(policy: Policy, role: str) -> int:
    """The shortest PIN ``role`` may set (a role the policy no longer knows: six)."""
    known = policy.roles.get(role)
    return known.pin_digits if known is not None else 6


def sign_in(store, policy: Policy, staff_no: str, pin: str, *, field: str = "staff_id",
            now: datetime | None = None) -> Actor:
    """Check a PIN and commit the outcome (failure count or reset) in its own transaction.
    A right PIN with nothing to reset takes no write lock: a clerk reading the day never
    queues behind the desks that are saving."""
    with store.read() as session:
        try:
            actor = check_pin(session, policy, staff_no, pin, field=field, count_failure=False,
                              now=now)
        except AuthenticationError:
            actor = None
        if actor is not None and not _counted(session, staff_no):
            return actor
    with store.write(system="sign-in") as session:
        try:
            return check_pin(session, policy, staff_no, pin, field=field, now=now)
        except AuthenticationError as exc:
            failure = exc
    raise failure


def _counted(session: Session, staff_no: str) -> bool:
    """Wrong PINs or a lock on the record (a right PIN clears them once their window is
    over), or an older hash to replace: a write."""
    staff = staff_by_no(session, staff_no)
    return bool(staff.failed_pins or staff.locked_until or needs_rehash(staff.pin_hash))


def actor_for(session: Session, staff_no: str) -> Actor:
    """An actor without a PIN check, for trusted internal callers (demo data, migrations)."""
    staff = staff_by_no(session, staff_no)
    return Actor(staff.id, staff.staff_no, staff.name, staff.role)
