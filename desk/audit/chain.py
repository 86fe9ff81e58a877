"""Appending to the chain (serialised, the tail remembered for the rest of the transaction),
entries that are not a row change, and purging personal values from earlier entries."""
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Iterator

from sqlalchemy import event, insert, select, text, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from desk.audit.anchors import note_append
from desk.audit.canonical import _entry_digest, _purge_values, _stored, plain
from desk.audit.log import GENESIS, LOG, _spec_by_entity
from desk.model import utcnow
from desk.uow import require_attribution

_PG_LOCK = 0x6465736B  # any fixed number; every desk process uses the same one
_TAIL = "audit_tail"       # connection.info key: (transaction, last id, last hash)


_LOCKED = "audit_locked"    # connection.info key: the transaction holding the advisory lock


def lock_log(conn: Connection) -> None:
    """PostgreSQL: take the log's advisory lock, once per transaction, before any row lock.
    Every unit of work takes its locks in this one order (the log first, then the rows a
    flush or a case number writes), so two desks never wait on each other in a circle; it
    is called before every flush and before a case number is drawn. SQLite needs nothing:
    a write transaction holds the whole file from its start."""
    if conn.dialect.name != "postgresql":
        return
    transaction = conn.get_transaction()
    if conn.info.get(_LOCKED) is transaction:
        return
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    conn.info[_LOCKED] = transaction


def _tail(conn: Connection) -> tuple[int, str]:
    remembered = conn.info.get(_TAIL)
    if remembered is not None and remembered[0] is _innermost(conn):
        return remembered[1], remembered[2]
    lock_log(conn)
    row = conn.execute(select(LOG.c.id, LOG.c.hash).order_by(LOG.c.id.desc()).limit(1)).first()
    return (row.id, row.hash) if row else (0, GENESIS)


def _remember_tail(conn: Connection, last_id: int, last_hash: str) -> None:
    """The entry just appended is the tail for the rest of this (innermost) transaction:
    appends are serialised (the write lock, or the advisory lock on PostgreSQL, is held
    until it ends), so only this connection can add entries until then. A savepoint begun,
    released or rolled back is another transaction object, so the tail is read again."""
    transaction = _innermost(conn)
    if transaction is not None:
        conn.info[_TAIL] = (transaction, last_id, last_hash)


def _innermost(conn: Connection):
    return conn.get_nested_transaction() or conn.get_transaction()


@dataclass
class _Item:
    entity: str
    entity_key: str
    case_no: str | None
    action: str
    before: dict | None
    after: dict | None
    at: datetime | None = None


def _append(conn: Connection, staff_no: str | None, items: list[_Item]) -> None:
    if not items:
        return
    last_id, last_hash = _tail(conn)
    now = utcnow()
    rows = []
    for item in items:
        last_id += 1
        at = item.at or now
        before = _stored(item.before) if item.before is not None else None
        after = _stored(item.after) if item.after is not None else None
        digest = _entry_digest(last_hash, last_id, at, staff_no, item.entity, item.entity_key,
                               item.case_no, item.action, item.before, item.after)
        rows.append(dict(id=last_id, at=at, staff_no=staff_no, entity=item.entity,
                         entity_key=item.entity_key, case_no=item.case_no, action=item.action,
                         before=before, after=after, prev_hash=last_hash, hash=digest))
        last_hash = digest
    held = conn.info.get(_HELD)
    if held is not None and held[0] is _innermost(conn):   # with the rest (``one_insert``)
        held[1].extend(rows)
        _remember_tail(conn, last_id, last_hash)
        return
    conn.info.pop(_TAIL, None)   # should the insert fail, nothing is remembered
    conn.execute(_INSERT, rows)
    _remember_tail(conn, last_id, last_hash)
    note_append(conn, rows[0]["id"], last_id, last_hash)


_INSERT = insert(LOG)
_HELD = "audit_held"   # connection.info key: entries numbered and hashed, not yet inserted


@contextmanager
def one_insert(conn: Connection) -> Iterator[None]:
    """Entries appended inside are numbered and hashed as they come and inserted together
    at the end, with one statement (a case document's twenty entries, each flush's once).
    Whatever reads the log meanwhile calls ``write_held`` first, and so does a savepoint
    as it begins (entries inside one are inserted at once: its rollback takes them along).
    On an error nothing held is written (the unit of work rolls back) and the remembered
    tail is dropped."""
    if _HELD in conn.info:   # already inside one: the outer one inserts
        yield
        return
    conn.info[_HELD] = (_innermost(conn), [])
    try:
        yield
        write_held(conn)
    except BaseException:
        conn.info.pop(_TAIL, None)
        raise
    finally:
        conn.info.pop(_HELD, None)


def write_held(conn: Connection) -> None:
    """Insert the entries ``one_insert`` holds so far (before the log is read)."""
    held = conn.info.get(_HELD)
    if held is None or not held[1]:
        return
    rows = held[1]
    conn.info[_HELD] = (held[0], [])
    conn.execute(_INSERT, rows)
    note_append(conn, rows[0]["id"], rows[-1]["id"], rows[-1]["hash"])


@event.listens_for(Engine, "savepoint")
def _savepoint_begins(conn: Connection, _name) -> None:
    write_held(conn)


def log_event(session: Session, entity: str, entity_key: str, action: str, *,
              before: dict | None = None, after: dict | None = None,
              case_no: str | None = None, staff_no: str | None = None) -> None:
    """Append an entry that is not a row change (policy in force, restore, purge summary)."""
    staff_no = staff_no if staff_no is not None else require_attribution(session)
    _append(session.connection(), staff_no,
            [_Item(entity, str(entity_key), case_no, action,
                   plain(before) if before is not None else None,
                   plain(after) if after is not None else None)])


# --- purging personal data from earlier entries -----------------------------------------------

def purge_entries(session: Session, case_nos: Iterable[str]) -> int:
    """Drop the personal values (and their salts) from every entry about these cases; the
    digests stay, so the chain still verifies. Returns the number of entries changed."""
    conn = session.connection()
    changed = 0
    numbers = sorted(set(case_nos))
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        rows = conn.execute(select(LOG.c.id, LOG.c.entity, LOG.c.before, LOG.c.after)
                            .where(LOG.c.case_no.in_(chunk))).all()
        for row in rows:
            spec = _spec_by_entity(row.entity)
            if spec is None or not spec.personal:
                continue
            values = {}
            for name in ("before", "after"):
                old = getattr(row, name)
                if old is None:
                    continue
                new = _stored(_purge_values(json.loads(old), spec.personal))
                if new != old:
                    values[name] = new
            if values:
                conn.execute(update(LOG).where(LOG.c.id == row.id).values(**values))
                changed += 1
    return changed
