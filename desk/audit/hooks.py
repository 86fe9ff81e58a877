"""The session hooks: before a flush the rows about to change are read back (the true
"before"), after it the rows written (the true "after"), and one entry per row is appended
on the same connection, inside the same transaction."""
from __future__ import annotations

import functools
from typing import Any

from datetime import date, datetime

from sqlalchemy import (Boolean, Date, Integer, Select, String, Text, and_, bindparam, event,
                        select)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NEVER_SET, NO_VALUE
from sqlalchemy.orm.util import identity_key

from desk.audit.canonical import _salt, row_state
from desk.audit.chain import _append, _innermost, _Item, lock_log
from desk.audit.log import REDACT, Audited, _spec_by_entity, spec_for
from desk.model import Case
from desk.uow import require_attribution

_PENDING = "audit_pending"
_KNOWN = "audit_known_rows"  # session.info key: (transaction, rows read back after a flush)
_KNOWN_LIMIT = 2000


_INSTALLED = "_desk_audit_installed"


def install(factory: Any) -> None:
    """Log every flush of sessions made by ``factory`` (a sessionmaker or Session class).

    Once per factory, marked on the factory itself. SQLAlchemy's ``event.contains`` is no
    guide here: its registry is keyed by ``id()``, and a new sessionmaker that reused the
    address of a collected one was taken as already listened to, so a store opened after
    another was closed could write without logging (about one store in sixty)."""
    if getattr(factory, _INSTALLED, False):
        return
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "do_orm_execute", _statement_run)
    event.listen(factory, "after_soft_rollback", _forget_rows)
    setattr(factory, _INSTALLED, True)


def _read(conn: Connection, spec: Audited, identity: tuple) -> dict | None:
    params = {f"pk{i}": value for i, value in enumerate(identity)}
    row = conn.execute(_row_by_key(spec.model.__table__), params).mappings().first()
    return row_state(spec, dict(row)) if row is not None else None


@functools.cache
def _row_by_key(table) -> Select:
    """One row by its primary key; built once per table (every flush reads rows back, and
    building the statement anew cost as much as running it)."""
    return select(table).where(and_(*[col == bindparam(f"pk{i}")
                                      for i, col in enumerate(table.primary_key.columns)]))


def _written(conn: Connection, spec: Audited, state, identity: tuple,
             before: dict | None = None) -> dict | None:
    """A row just flushed, as the database now holds it, without reading it back when the
    values can be known: an insert is the values it sent; an update is its true "before"
    (read in this transaction) with the values the flush sent. Every value used must be of
    a type whose stored form reads back as itself (``_columns``); else the row is read."""
    loaded, committed = state.dict, state.committed_state
    version = state.mapper.version_id_col
    values = {}
    sent_any = False
    for name, key, column, same in _columns(state.mapper, spec.model.__table__):
        value = loaded.get(key, _MISSING)
        # An update sends only what changed; a column the flush sets itself (the version,
        # an on-update value) is taken as sent, or read back when it came from the server.
        if before is not None and not _set_by_flush(column, version):
            if key not in committed:
                continue
            old = committed[key]
            if old is not NO_VALUE and old is not NEVER_SET and old == value:
                continue   # set to the value it had: not sent
            sent_any = True
        if value is _MISSING and before is None and _null_when_unset(column):
            value = None   # an insert leaves a column without a default and unset NULL
        if value is None:
            values[name] = None
        elif value is _MISSING or same is None or not same(value):
            return _read(conn, spec, identity)
        else:
            values[name] = str.__str__(value) if isinstance(value, str) else value
    if before is None:
        return row_state(spec, values)
    if not sent_any:
        return _read(conn, spec, identity)
    return {**before, **row_state(spec, values)}


_MISSING = object()


def _set_by_flush(column, version) -> bool:
    return (column is version or column.onupdate is not None
            or column.server_onupdate is not None)


def _null_when_unset(column) -> bool:
    return (column.default is None and column.server_default is None
            and not column.primary_key)


def _same_text(value) -> bool:
    return isinstance(value, str)


def _same_int(value) -> bool:
    return type(value) is int


def _same_bool(value) -> bool:
    return type(value) is bool


def _same_instant(value) -> bool:   # UtcDateTime: any aware instant reads back as itself
    return isinstance(value, datetime) and value.tzinfo is not None


def _same_day(value) -> bool:
    return type(value) is date


@functools.cache
def _columns(mapper, table) -> tuple:
    """(column name, attribute key, column, test that a sent value reads back unchanged,
    or None for a type whose stored form may differ: money's scale, JSON, bytes, enums)."""
    from desk.model import UtcDateTime
    exact = {String: _same_text, Text: _same_text, Integer: _same_int, Boolean: _same_bool,
             Date: _same_day, UtcDateTime: _same_instant}
    return tuple((column.name, mapper.get_property_by_column(column).key, column,
                  exact.get(type(column.type))) for column in table.columns)


def _in_memory(spec: Audited, state) -> dict:
    """A row's last loaded values, for rows the flush deleted as orphans."""
    mapper = state.mapper
    values = {}
    for column in spec.model.__table__.columns:
        prop = mapper.get_property_by_column(column)
        values[column.name] = state.committed_state.get(prop.key, state.dict.get(prop.key))
    return row_state(spec, values)


def _case_no_in_session(session: Session, case_id: Any) -> str | None:
    """The case number of a case the session holds (a case number never changes), without
    asking the database; None when the session does not hold it."""
    case = session.identity_map.get(identity_key(Case, case_id)) if case_id is not None else None
    return case.__dict__.get("case_no") if case is not None else None


def _known_rows(session: Session, conn: Connection) -> dict:
    """Rows this transaction wrote and read back, as read back: the "before" of their next
    change without asking again. Another connection cannot change them meanwhile (SQLite's
    write lock, PostgreSQL's row locks hold until the end of the transaction), and a
    statement run through the session, a rollback or a savepoint starts afresh. The
    program changes audited rows only through flushes (the log's own purge aside)."""
    transaction = _innermost(conn)
    slot = session.info.get(_KNOWN)
    if slot is None or slot[0] is not transaction or len(slot[1]) > _KNOWN_LIMIT:
        slot = session.info[_KNOWN] = (transaction, {})   # a long import stays small
    return slot[1]


def _forget_rows(session: Session, *_args) -> None:
    session.info.pop(_KNOWN, None)


def _statement_run(orm_execute_state) -> None:
    if not orm_execute_state.is_select:
        _forget_rows(orm_execute_state.session)


def _before_flush(session: Session, flush_context, instances) -> None:
    pending: dict[int, tuple[Any, Audited, dict | None]] = {}
    session.info[_PENDING] = pending
    if session.new or session.dirty or session.deleted:
        lock_log(session.connection())   # the log's lock before any row this flush locks
    candidates = [o for o in session.dirty if session.is_modified(o, include_collections=False)]
    candidates += list(session.deleted)
    if not candidates:
        return
    conn = session.connection()
    known = _known_rows(session, conn)
    for obj in candidates:
        spec = spec_for(type(obj))
        state = sa_inspect(obj)
        if spec is None or not state.has_identity:
            continue
        before = known.get((spec.entity, state.identity))
        if before is None:
            before = _read(conn, spec, state.identity)
        pending[id(obj)] = (obj, spec, before)


def _after_flush(session: Session, flush_context) -> None:
    pending = session.info.pop(_PENDING, {})
    conn = session.connection()
    items: list[_Item] = []
    case_nos: dict[Any, str | None] = {}

    def case_no_of(spec: Audited, state: dict) -> str | None:
        if spec.case_id is None:
            return None
        if spec.model is Case:
            return state.get("case_no")
        case_id = state.get(spec.case_id)
        if not case_nos:   # a case this flush inserts has no identity key yet: by its id
            case_nos.update((o.id, o.case_no) for o in session.new if isinstance(o, Case))
        if case_id not in case_nos:
            case_nos[case_id] = _case_no_in_session(session, case_id) or conn.execute(
                select(Case.case_no).where(Case.id == case_id)).scalar()
        return case_nos[case_id]

    def add(spec: Audited, action: str, before: dict | None, after: dict | None) -> None:
        state = after if after is not None else before
        items.append(_Item(spec.entity, spec.key_of(state), case_no_of(spec, state), action,
                           before, after))

    deleted_states = {st for st, (isdelete, listonly) in flush_context.states.items()
                      if isdelete and not listonly}
    known = _known_rows(session, conn)
    for obj in session.new:
        spec = spec_for(type(obj))
        if spec is not None:   # the identity key is set only after this hook; the columns are
            state = sa_inspect(obj)
            identity = tuple(state.mapper.primary_key_from_instance(obj))
            after = known[(spec.entity, identity)] = _written(conn, spec, state, identity)
            add(spec, "insert", None, after)
    for obj, spec, before in pending.values():
        state = sa_inspect(obj)
        if state in deleted_states:
            deleted_states.discard(state)
            known.pop((spec.entity, state.identity), None)
            add(spec, "delete", before or _in_memory(spec, state), None)
            continue
        after = known[(spec.entity, state.identity)] = (
            _written(conn, spec, state, state.identity, before) if before is not None
            else _read(conn, spec, state.identity))
        if before != after and after is not None and before is not None:
            add(spec, "update", before, after)
    for state in deleted_states:
        spec = spec_for(state.class_)
        if spec is not None:
            known.pop((spec.entity, state.identity), None)
            add(spec, "delete", _in_memory(spec, state), None)
    if not items:
        return
    redact = bool(session.info.get(REDACT))
    for item in items:
        spec = _spec_by_entity(item.entity)
        item.before = _salt(spec, item.before, purged=redact)
        item.after = _salt(spec, item.after)
    _append(conn, require_attribution(session), items)
