"""Who a unit of work is done by: the signed-in person ``Store.write(actor)`` was given, or the
system reason ``Store.write(system=...)`` names for work no person does.

``Store.write`` records it once on the session; services read it with ``uow_actor`` and check
the actor they were handed with ``bind_actor``, so no service names the audit log's actor by
hand and a write that forgets who acts is refused by the audit hook (``require_attribution``).
"""
from __future__ import annotations

from typing import Protocol

from sqlalchemy.orm import Session

from desk.errors import N_, AuthenticationError

ACTOR = "actor"      # session.info key: the acting staff member's number (the audit log's name)
SYSTEM = "system"    # session.info key: why a unit of work has no person ("demo", "init", ...)
PERSON = "person"    # session.info key: the staff number Store.write was given (signed in)
VOUCHED = "vouched"  # session.info key: staff number -> PROVED or RECORD, in this unit
MIGRATING = "migrating_history"   # session.info key: rows written now are migrated history
PROVED, RECORD = "proved", "record"


class HasStaffNo(Protocol):
    staff_no: str


class UnattributedWrite(RuntimeError):
    """A change reached the audit log from a unit of work that names neither a person nor a
    system reason: a programming error (``store.write()`` without ``actor`` or ``system``)."""


def begin(session: Session, actor: HasStaffNo | None, system: str | None) -> None:
    """Mark a new unit of work with who does it (``Store.write`` calls this, once)."""
    if actor is not None and system is not None:
        raise ValueError("a unit of work is done by a person or by the system, not both")
    if actor is not None:
        session.info[ACTOR] = session.info[PERSON] = actor.staff_no
    elif system is not None:
        if not str(system).strip():
            raise ValueError("a system unit of work needs a reason")
        session.info[SYSTEM] = str(system)


def uow_actor(session: Session) -> str | None:
    """The staff number the audit log names for this unit of work (None: nobody yet)."""
    return session.info.get(ACTOR)


def migrating(session: Session) -> bool:
    """Whether rows written now are another system's history (casedoc_trust's
    marked_as_migrated): services whose arithmetic cannot be redone for history ask."""
    return bool(session.info.get(MIGRATING))


def uow_system(session: Session) -> str | None:
    """The system reason of this unit of work (None when a person does it)."""
    return session.info.get(SYSTEM)


def bind_actor(session: Session, actor: HasStaffNo, *others: HasStaffNo | None) -> None:
    """Check that a service was handed the person the unit of work is done by, and name who
    the audit log names for what the service changes.

    In a person's unit of work the service's ``actor`` must be that person, someone who
    proved who they are inside it (``vouch``: their PIN checked, as an approver's is), or
    someone whose record that person brings in (``vouch_for_record``, or one of ``others``
    being that person: the supervisor recording a pack reviewer's decision). The log names
    the actor when it is the person or proved themselves, else the person bringing the
    record in. A surface cannot open a unit of work as one person and act as another.

    A system unit of work (demo data, set-up, tests' fixtures) is trusted internal code:
    each service call there is logged as the actor it was handed. A session that is
    neither only reads (the audit hook refuses any change it tries to write)."""
    signed_in = session.info.get(PERSON)
    if signed_in is not None:
        vouched = session.info.setdefault(VOUCHED, {})
        if actor.staff_no == signed_in or vouched.get(actor.staff_no) == PROVED:
            session.info[ACTOR] = actor.staff_no
            return
        if actor.staff_no in vouched or any(o is not None and o.staff_no == signed_in
                                            for o in others):
            vouched.setdefault(actor.staff_no, RECORD)
            session.info[ACTOR] = signed_in
            return
        raise AuthenticationError(N_("{value} is not the person signed in for this change"),
                                  field="actor", value=actor.staff_no)
    if session.info.get(SYSTEM) is not None:
        session.info[ACTOR] = actor.staff_no


def vouch(session: Session, staff_no: str) -> None:
    """``staff_no`` proved who they are inside this unit of work (their PIN was checked, as
    an approver's is): services may act as them here, and the log names them."""
    session.info.setdefault(VOUCHED, {})[staff_no] = PROVED


def vouch_for_record(session: Session, staff_no: str) -> None:
    """The person signed in brings in a record naming ``staff_no`` (migrated history,
    marked as such by the caller): services may act as them here, and the log names the
    person signed in, who wrote it."""
    session.info.setdefault(VOUCHED, {}).setdefault(staff_no, RECORD)


def name_if_unnamed(session: Session, staff_no: str) -> None:
    """Name ``staff_no`` as the actor when nobody is named yet: a wrong PIN typed at sign-in is
    counted on that staff member's record, and logged as theirs."""
    session.info.setdefault(ACTOR, staff_no)


def require_attribution(session: Session) -> str | None:
    """The staff number to log (None for system work); raises when there is neither."""
    staff_no = session.info.get(ACTOR)
    if staff_no is None and session.info.get(SYSTEM) is None:
        raise UnattributedWrite(
            "an audited change with no actor and no system reason: use store.write(actor) "
            "or store.write(system=...)")
    return staff_no

