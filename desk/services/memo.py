"""Reads the services repeat within one unit of work, remembered for that unit of work.

An import replays a dozen events per case through the services, and each event asks again
who a staff member is and whether the case's day is closed. The answers cannot change
unless the session itself changes them, so they are kept in ``session.info`` (a new session
per unit of work) and dropped the moment anything could make them stale:

- a staff member is remembered as the live ORM object of the session's identity map, the
  same object a fresh query would return, so changes made through the session show at once;
  it is forgotten when it leaves the session (deleted, expunged, rolled back);
- a day found open is remembered until a flush writes any ``DayClose`` row, while one is
  pending in the session, or after any bulk ``UPDATE``/``DELETE``/``INSERT`` statement run
  through the session;
- the mall a desk serves is remembered until a flush writes a ``Mall`` or ``MallDesk`` row,
  or after a bulk statement on their tables;
- a PIN that matched a staff member's stored hash is remembered (as a digest) so an import
  approving fifty offers runs the deliberately slow argon2 check once; a wrong PIN is never
  remembered, and a changed PIN hash misses because the hash is part of the key.
"""
from __future__ import annotations

import hashlib
from datetime import date
from typing import Callable

from sqlalchemy import event
from sqlalchemy.orm import Session

from desk.model import Mall, MallDesk, Staff
from desk.review_model import DayClose, ensure_day_open

STAFF = "memo_staff"
OPEN_DAYS = "memo_open_days"
PINS = "memo_pins"
MALLS = "memo_malls"
_REMEMBERED_TABLES = frozenset({Staff.__tablename__, DayClose.__tablename__,
                                Mall.__tablename__, MallDesk.__tablename__})
_MALL_ROWS = (Mall, MallDesk)
_UNKNOWN = object()


def staff(session: Session, key: str, load: Callable[[], Staff | None]) -> Staff | None:
    """The staff member with number ``key``: remembered, or ``load()``-ed and remembered."""
    known = session.info.setdefault(STAFF, {})
    found = known.get(key)
    if found is not None and found in session and found not in session.deleted \
            and found.__dict__.get("staff_no", key) == key:
        return found
    found = load()
    if found is not None:
        known[key] = found
    else:
        known.pop(key, None)
    return found


def day_open(session: Session, desk: str, day: date, case_no: str | None = None) -> None:
    """``ensure_day_open`` once per desk and day while nothing closes or reopens a day."""
    if any(isinstance(obj, DayClose) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(OPEN_DAYS, None)   # the check's own query sees the pending change
        ensure_day_open(session, desk, day, case_no)
        return
    known = session.info.setdefault(OPEN_DAYS, set())
    if (desk, day) in known:
        return
    ensure_day_open(session, desk, day, case_no)   # raises while the day is closed
    known.add((desk, day))


def mall_of_desk(session: Session, desk: str, load: Callable[[], str | None]) -> str | None:
    """``load()`` (the mall ``desk`` serves) once per desk while no mall row changes; a
    refusal is not remembered."""
    if any(isinstance(obj, _MALL_ROWS) for obj in (*session.new, *session.dirty,
                                                    *session.deleted)):
        session.info.pop(MALLS, None)
        return load()
    known = session.info.setdefault(MALLS, {})
    found = known.get(desk, _UNKNOWN)
    if found is _UNKNOWN:
        found = known[desk] = load()
    return found


def pin_matched(session: Session, pin_hash: str, pin: str, check: Callable[[], bool]) -> bool:
    """``check()`` unless this PIN already matched this hash in this unit of work."""
    key = hashlib.sha256(f"{pin_hash}\0{pin}".encode("utf-8", "surrogatepass")).digest()
    known = session.info.setdefault(PINS, set())
    if key in known:
        return True
    matched = check()
    if matched:
        known.add(key)
    return matched


def forget(session: Session) -> None:
    for name in (STAFF, OPEN_DAYS, PINS, MALLS):
        session.info.pop(name, None)


@event.listens_for(Session, "before_flush")
def _closing_days_flushed(session: Session, _context, _instances) -> None:
    if OPEN_DAYS in session.info and any(
            isinstance(obj, DayClose) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(OPEN_DAYS, None)
    if MALLS in session.info and any(
            isinstance(obj, _MALL_ROWS) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info.pop(MALLS, None)


@event.listens_for(Session, "do_orm_execute")
def _bulk_statement(orm_execute_state) -> None:
    if orm_execute_state.is_select:
        return
    table = getattr(orm_execute_state.statement, "table", None)
    name = getattr(table, "name", None)
    if name is not None and name not in _REMEMBERED_TABLES:   # e.g. the case-number upsert
        return
    forget(orm_execute_state.session)


@event.listens_for(Session, "after_soft_rollback")
def _rolled_back(session: Session, _previous) -> None:
    forget(session)
