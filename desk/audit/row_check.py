"""One row checked against its last audit entry, so that a staff record or the store's
policy edited behind the program's back (a role raised, a PIN hash swapped, a row inserted)
is not believed at sign-in or when the policy is read; ``verify`` checks every row."""
from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.audit.canonical import comparable, row_state
from desk.audit.chain import write_held
from desk.audit.log import LOG, spec_for

NO_ENTRY = ("*",)   # the row has no audit entry at all: it was added outside the program


def logged_state(session: Session, obj: object) -> dict | None:
    """``obj``'s row as its last audit entry recorded it (None: never logged, or deleted)."""
    spec = spec_for(type(obj))
    if spec is None:
        return None
    write_held(session.connection())   # entries a case import holds back, first
    logged = session.connection().execute(
        select(LOG.c.action, LOG.c.after)
        .where(LOG.c.entity == spec.entity, LOG.c.entity_key == str(getattr(obj, spec.key)))
        .order_by(LOG.c.id.desc()).limit(1)).first()
    if logged is None or logged.action == "delete" or logged.after is None:
        return None
    return comparable(json.loads(logged.after))


def changed_outside(session: Session, obj: object) -> tuple[str, ...]:
    """The columns of ``obj``'s row (as stored now) that differ from its last audit entry;
    ``NO_ENTRY`` when the log never recorded it; empty when the row is as the program left
    it. Columns added after the entry was written are not compared."""
    spec = spec_for(type(obj))
    if spec is None:
        return ()
    table = spec.model.__table__
    row = session.connection().execute(
        select(table).where(table.c[spec.key] == getattr(obj, spec.key))).mappings().first()
    if row is None:
        return ()
    was = logged_state(session, obj)
    if was is None:
        return NO_ENTRY
    state = row_state(spec, dict(row))
    return tuple(sorted(k for k in was if k in state and was[k] != state[k]))
