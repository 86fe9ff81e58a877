"""The audit log: every change to a case, a staff record, a setting or the policy, written in
the same transaction as the change and chained by SHA-256, so that an edit made behind the
program's back shows up in ``desk audit verify``.

- ``install(factory)`` hooks a sessionmaker (``desk.store`` does it): before a flush the rows
  about to change are read back from the database (the true "before"), after the flush the
  rows written are read back (the true "after"), and one entry per row is appended on the
  same connection, inside the same transaction. Services only name the actor
  (``session.info["actor"]``).
- An entry's hash is sha256(previous hash + canonical JSON of the entry). Appends are
  serialised: SQLite write transactions hold the database lock (``BEGIN IMMEDIATE``);
  PostgreSQL takes a transaction-scoped advisory lock first.
- Customer data (names, phones, free text) is stored beside a random salt and enters the
  hash as sha256(salt + value). Purging after the retention period drops value and salt and
  keeps the digest: the chain still verifies, the personal data is gone.
- ``verify`` walks the chain, then compares every audited row with its last logged state,
  which also catches rows edited, added or deleted without an entry (and a cut-off tail).
"""
from __future__ import annotations

import functools
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable

from sqlalchemy import (Index, Integer, Select, String, Text, and_, bindparam, event, insert,
                        select, text, update)
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapped, Session, mapped_column
from sqlalchemy.orm.util import identity_key

from desk.i18n import N_, _
from desk.model import (AssistingUnit, Attachment, Base, Case, FollowUp, Offer, PrintRecord,
                        Setting, Staff, StatusChange, StepRecord, utcnow)

GENESIS = "0" * 64
_PG_LOCK = 0x6465736B  # any fixed number; every desk process uses the same one
_PENDING = "audit_pending"
_TAIL = "audit_tail"       # connection.info key: (transaction, last id, last hash)
_KNOWN = "audit_known_rows"  # session.info key: (transaction, rows read back after a flush)
_KNOWN_LIMIT = 2000
ACTOR = "actor"            # session.info key: the acting staff member's number
REDACT = "audit_redact"    # session.info key: log personal "before" values as digests only


class AuditEntry(Base):
    """One change. ``before``/``after`` hold canonical JSON of the row (None for insert and
    delete); ``case_no`` ties an entry about any part of a case to that case."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity_key", "entity", "entity_key"),
                      Index("ix_audit_case_no", "case_no"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    staff_no: Mapped[str | None] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(30))
    entity_key: Mapped[str] = mapped_column(String(60))
    case_no: Mapped[str | None] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


LOG = AuditEntry.__table__


@dataclass(frozen=True)
class Audited:
    """A table whose every change is logged. ``key`` is the column naming a row in messages
    and in ``entity_key``; ``case_id`` the column pointing at the case (for ``case_no``);
    ``personal`` columns are salted (purgeable); ``secret`` columns are logged only as a
    fingerprint."""

    entity: str
    model: type
    key: str
    case_id: str | None = None
    personal: frozenset[str] = frozenset()
    secret: frozenset[str] = frozenset()


AUDITED: dict[type, Audited] = {}


def register(spec: Audited) -> None:
    """Audit another table (a module adding a model may call this to name its personal
    columns; any other table with a ``case_id`` column is audited as part of its case)."""
    AUDITED[spec.model] = spec


_NOT_AUDITED: set[type] = set()


def spec_for(cls: type) -> Audited | None:
    """How a mapped class is audited: registered, or found as a part of a case."""
    spec = AUDITED.get(cls)
    if spec is not None or cls in _NOT_AUDITED:
        return spec
    table = getattr(cls, "__table__", None)
    if (table is not None and "case_id" in table.c and len(table.primary_key.columns) == 1
            and table.name != "audit_log"):
        spec = Audited(table.name, cls, table.primary_key.columns[0].name, "case_id")
        register(spec)
        return spec
    _NOT_AUDITED.add(cls)
    return None


def _discover() -> None:
    for mapper in list(Base.registry.mappers):
        spec_for(mapper.class_)


CASE_PERSONAL = frozenset({"customer_name", "customer_phone", "customer_member_no",
                           "customer_address", "complaint", "request", "handling_result",
                           "status_note", "recipient_name"})

for _spec in (
        Audited("case", Case, "case_no", "id", CASE_PERSONAL),
        Audited("step", StepRecord, "id", "case_id", frozenset({"note", "skipped_reason"})),
        Audited("offer", Offer, "id", "case_id", frozenset({"description", "approval_note"})),
        Audited("assisting_unit", AssistingUnit, "id", "case_id", frozenset({"task"})),
        Audited("status_change", StatusChange, "id", "case_id", frozenset({"reason"})),
        Audited("follow_up", FollowUp, "id", "case_id", frozenset({"comment"})),
        Audited("attachment", Attachment, "id", "case_id", frozenset({"description"})),
        Audited("print", PrintRecord, "id", "case_id"),
        Audited("staff", Staff, "staff_no", secret=frozenset({"pin_hash"})),
        Audited("setting", Setting, "key")):
    register(_spec)

ENTITY_LABELS = {
    "case": N_("case"), "step": N_("step"), "offer": N_("offer"),
    "assisting_unit": N_("assisting unit"), "status_change": N_("status change"),
    "follow_up": N_("follow-up call"), "attachment": N_("attachment"), "print": N_("printout"),
    "staff": N_("staff member"), "setting": N_("setting"), "policy": N_("policy"),
    "store": N_("store"), "purge": N_("purge"),
}


def entity_label(entity: str) -> str:
    label = ENTITY_LABELS.get(entity)
    return _(label) if label else entity


# --- canonical values ------------------------------------------------------------------------

def plain(value: Any) -> Any:
    """A JSON value that reads the same whichever way the row was reached: money without
    trailing zeros, instants in UTC with microseconds."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


# json.dumps(obj, **options) is JSONEncoder(**options).encode(obj); one encoder each spares
# building one for every value hashed (a dozen per row written).
_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode
_stored_text = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode


def canonical(obj: Any) -> str:
    return _canonical(obj)


def _stored(obj: Any) -> str:
    return _stored_text(obj)


def _digest(salt: str, value: Any) -> str:
    return hashlib.sha256((salt + canonical(value)).encode("ascii")).hexdigest()


def _fingerprint(value: Any) -> str | None:
    if value is None:
        return None
    return "sha256:" + hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:16]


def _is_salted(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$v", "$s"}


def _is_purged(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$h"}


def _committed(value: Any) -> Any:
    """The form that enters the hash: salted values as their digest."""
    if not isinstance(value, dict):
        return value
    if _is_salted(value):
        return {"$h": _digest(value["$s"], value["$v"])}
    return {k: (_committed(v) if isinstance(v, dict) else v) for k, v in value.items()}


def _purge_values(state: dict, fields: Iterable[str]) -> dict:
    return {k: ({"$h": _digest(v["$s"], v["$v"])} if k in fields and _is_salted(v) else v)
            for k, v in state.items()}


def row_state(spec: Audited, row: dict) -> dict:
    """A row as plain values, secret columns as fingerprints (no salts yet)."""
    return {name: (_fingerprint(value) if name in spec.secret else plain(value))
            for name, value in row.items()}


def _salt(spec: Audited, state: dict | None, *, purged: bool = False) -> dict | None:
    if state is None:
        return None
    out = {}
    for name, value in state.items():
        if name in spec.personal:
            salted = {"$v": value, "$s": secrets.token_hex(8)}
            out[name] = _committed(salted) if purged else salted
        else:
            out[name] = value
    return out


def comparable(state: dict | None) -> dict:
    """Plain values of a logged state; purged values are left out (unknown)."""
    if not state:
        return {}
    return {k: (v["$v"] if _is_salted(v) else v) for k, v in state.items() if not _is_purged(v)}


# --- appending -------------------------------------------------------------------------------

def entry_hash(prev_hash: str, entry_id: int, at: Any, staff_no: str | None, entity: str,
               entity_key: str, case_no: str | None, action: str, before: str | None,
               after: str | None) -> str:
    return _entry_digest(prev_hash, entry_id, at, staff_no, entity, entity_key, case_no, action,
                         json.loads(before) if before is not None else None,
                         json.loads(after) if after is not None else None)


def _entry_digest(prev_hash: str, entry_id: int, at: Any, staff_no: str | None, entity: str,
                  entity_key: str, case_no: str | None, action: str, before: Any,
                  after: Any) -> str:
    """``entry_hash`` of the values themselves: appending hashes what it is about to store
    without parsing it back (canonical JSON of a value and of its stored JSON read back
    are the same text)."""
    payload = {"id": entry_id, "at": plain(at), "staff_no": staff_no, "entity": entity,
               "entity_key": entity_key, "case_no": case_no, "action": action,
               "before": _committed(before) if before is not None else None,
               "after": _committed(after) if after is not None else None}
    return hashlib.sha256((prev_hash + canonical(payload)).encode("ascii")).hexdigest()


def _tail(conn: Connection) -> tuple[int, str]:
    remembered = conn.info.get(_TAIL)
    if remembered is not None and remembered[0] is _innermost(conn):
        return remembered[1], remembered[2]
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
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
    conn.info.pop(_TAIL, None)   # should the insert fail, nothing is remembered
    conn.execute(insert(LOG), rows)
    _remember_tail(conn, last_id, last_hash)


def log_event(session: Session, entity: str, entity_key: str, action: str, *,
              before: dict | None = None, after: dict | None = None,
              case_no: str | None = None, staff_no: str | None = None) -> None:
    """Append an entry that is not a row change (policy in force, restore, purge summary)."""
    staff_no = staff_no if staff_no is not None else session.info.get(ACTOR)
    _append(session.connection(), staff_no,
            [_Item(entity, str(entity_key), case_no, action,
                   plain(before) if before is not None else None,
                   plain(after) if after is not None else None)])


# --- the session hooks -----------------------------------------------------------------------

def install(factory: Any) -> None:
    """Log every flush of sessions made by ``factory`` (a sessionmaker or Session class)."""
    if not event.contains(factory, "before_flush", _before_flush):
        event.listen(factory, "before_flush", _before_flush)
        event.listen(factory, "after_flush", _after_flush)
        event.listen(factory, "do_orm_execute", _statement_run)
        event.listen(factory, "after_soft_rollback", _forget_rows)


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
        if case_id not in case_nos:
            case_nos[case_id] = _case_no_in_session(session, case_id) or conn.execute(
                select(Case.case_no).where(Case.id == case_id)).scalar()
        return case_nos[case_id]

    def add(spec: Audited, action: str, before: dict | None, after: dict | None) -> None:
        state = after if after is not None else before
        items.append(_Item(spec.entity, str(state.get(spec.key)), case_no_of(spec, state), action,
                           before, after))

    deleted_states = {st for st, (isdelete, listonly) in flush_context.states.items()
                      if isdelete and not listonly}
    known = _known_rows(session, conn)
    for obj in session.new:
        spec = spec_for(type(obj))
        if spec is not None:   # the identity key is set only after this hook; the columns are
            identity = tuple(sa_inspect(obj).mapper.primary_key_from_instance(obj))
            after = known[(spec.entity, identity)] = _read(conn, spec, identity)
            add(spec, "insert", None, after)
    for obj, spec, before in pending.values():
        state = sa_inspect(obj)
        if state in deleted_states:
            deleted_states.discard(state)
            known.pop((spec.entity, state.identity), None)
            add(spec, "delete", before or _in_memory(spec, state), None)
            continue
        after = known[(spec.entity, state.identity)] = _read(conn, spec, state.identity)
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
    _append(conn, session.info.get(ACTOR), items)


def _spec_by_entity(entity: str) -> Audited | None:
    for spec in AUDITED.values():
        if spec.entity == entity:
            return spec
    return None


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


# --- verifying -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One problem found by ``verify``; ``message`` is translated when read."""

    kind: str                     # gap, link, hash, unlogged, altered, deleted, reappeared, anchor
    entry_id: int | None = None
    entity: str | None = None
    entity_key: str | None = None
    fields: tuple[str, ...] = ()
    detail: str = ""
    case_no: str | None = None

    MESSAGES = {
        "gap": N_("audit entry {entry} follows entry {previous}: the entries between were deleted"),
        "link": N_("audit entry {entry} does not link to the entry before it: an entry was "
                   "inserted, removed or rewritten"),
        "hash": N_("audit entry {entry} was altered after it was written"),
        "unlogged": N_("{entity} {key} has no audit entry: it was added or changed outside "
                       "Complaint Desk"),
        "altered": N_("{entity} {key} differs from its last audit entry {entry} in {fields}: it "
                      "was changed outside Complaint Desk"),
        "deleted": N_("{entity} {key} is missing although audit entry {entry} records it: it "
                      "was deleted outside Complaint Desk"),
        "reappeared": N_("{entity} {key} exists although audit entry {entry} records its "
                         "deletion: it was put back outside Complaint Desk"),
        "anchor": N_("audit entry {entry} differs from the same entry in {detail}: the log was "
                     "rewritten since then"),
        "anchor_missing": N_("audit entry {entry} recorded in {detail} is missing: the log was "
                             "cut short since then"),
    }

    @property
    def message(self) -> str:
        return _(self.MESSAGES[self.kind]).format(
            entry=self.entry_id, previous=self.detail, entity=entity_label(self.entity or ""),
            key=self.shown_key, fields=", ".join(self.fields), detail=self.detail)

    @property
    def shown_key(self) -> str | None:
        """A part of a case is named by the case and its row number: "A-20261122-0007 #12"."""
        if self.case_no and self.case_no != self.entity_key:
            return f"{self.case_no} #{self.entity_key}"
        return self.entity_key


@dataclass(frozen=True)
class AuditReport:
    entries: int
    rows: int
    head: str
    findings: tuple[Finding, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None


MAX_FINDINGS = 200


def verify(session: Session, *, rows: bool = True) -> AuditReport:
    """Walk the chain from the first entry; then (``rows``) compare every audited row with
    its last logged state. Findings are in the order met, chain problems first."""
    conn = session.connection()
    findings: list[Finding] = []
    expected, prev_hash, count = 1, GENESIS, 0
    latest: dict[tuple[str, str], tuple[int, str, str | None, str | None]] = {}
    result = conn.execution_options(yield_per=2000).execute(select(LOG).order_by(LOG.c.id))
    for row in result:
        count += 1
        if len(findings) < MAX_FINDINGS:
            if row.id != expected:
                findings.append(Finding("gap", row.id, detail=str(expected - 1)))
            elif row.prev_hash != prev_hash:
                findings.append(Finding("link", row.id))
            if entry_hash(row.prev_hash, row.id, row.at, row.staff_no, row.entity,
                          row.entity_key, row.case_no, row.action, row.before,
                          row.after) != row.hash:
                findings.append(Finding("hash", row.id))
        expected, prev_hash = row.id + 1, row.hash
        latest[(row.entity, row.entity_key)] = (row.id, row.action, row.after, row.case_no)
    checked = 0
    if rows:
        _discover()
        case_nos = dict(conn.execute(select(Case.id, Case.case_no)).all())
        for spec in list(AUDITED.values()):
            seen = set()
            table = spec.model.__table__
            for row in conn.execution_options(yield_per=2000).execute(select(table)).mappings():
                checked += 1
                state = row_state(spec, dict(row))
                key = str(state.get(spec.key))
                seen.add(key)
                if len(findings) >= MAX_FINDINGS:
                    continue
                case_no = case_nos.get(state.get(spec.case_id)) if spec.case_id else None
                logged = latest.get((spec.entity, key))
                if logged is None:
                    findings.append(Finding("unlogged", None, spec.entity, key, case_no=case_no))
                    continue
                entry_id, action, after, _case = logged
                if action == "delete" or after is None:
                    findings.append(Finding("reappeared", entry_id, spec.entity, key,
                                            case_no=case_no))
                    continue
                was = comparable(json.loads(after))
                differ = tuple(sorted(k for k in was if k in state and was[k] != state[k]))
                if differ:
                    findings.append(Finding("altered", entry_id, spec.entity, key, differ,
                                            case_no=case_no))
            for (entity, key), (entry_id, action, _after, case_no) in latest.items():
                if (entity == spec.entity and action != "delete" and key not in seen
                        and len(findings) < MAX_FINDINGS):
                    findings.append(Finding("deleted", entry_id, entity, key, case_no=case_no))
    return AuditReport(count, checked, prev_hash, tuple(findings))


def tail_of(conn: Connection) -> tuple[int, str] | None:
    """The last entry's id and hash (an anchor to check later logs against)."""
    row = conn.execute(select(LOG.c.id, LOG.c.hash).order_by(LOG.c.id.desc()).limit(1)).first()
    return (row.id, row.hash) if row else None


def check_anchor(session: Session, entry_id: int, entry_hash_: str, source: str) -> Finding | None:
    """Is entry ``entry_id`` still the one a backup (or a printed report) recorded?"""
    stored = session.connection().execute(
        select(LOG.c.hash).where(LOG.c.id == entry_id)).scalar()
    if stored is None:
        return Finding("anchor_missing", entry_id, detail=source)
    if stored != entry_hash_:
        return Finding("anchor", entry_id, detail=source)
    return None


# --- baseline for stores made before the log existed ------------------------------------------

def baseline(conn: Connection, *, action: str = "baseline", staff_no: str | None = None,
             only_unlogged: bool = False) -> int:
    """Log every existing row once (action ``baseline``), so the row check has a start.
    With ``only_unlogged`` (action e.g. ``bulk``), log just the rows that have no entry yet:
    for data written in bulk past the ORM, such as demo data."""
    from sqlalchemy import inspect as inspect_db
    present = set(inspect_db(conn).get_table_names())
    logged = set()
    if only_unlogged and LOG.name in present:
        logged = {tuple(r) for r in conn.execute(select(LOG.c.entity, LOG.c.entity_key).distinct())}
    items = []
    _discover()
    for spec in list(AUDITED.values()):
        table = spec.model.__table__
        if table.name not in present:
            continue
        names = {c["name"] for c in inspect_db(conn).get_columns(table.name)}
        columns = [c for c in table.columns if c.name in names]
        case_nos = {}
        if spec.case_id and spec.model is not Case:
            case_nos = dict(conn.execute(select(Case.id, Case.case_no)).all())
        for row in conn.execute(select(*columns).order_by(*table.primary_key.columns)).mappings():
            state = row_state(spec, dict(row))
            case_no = (state.get("case_no") if spec.model is Case
                       else case_nos.get(state.get(spec.case_id)) if spec.case_id else None)
            key = str(state.get(spec.key))
            if (spec.entity, key) in logged:
                continue
            items.append(_Item(spec.entity, key, case_no, action, None, _salt(spec, state)))
    _append(conn, staff_no, items)
    return len(items)


# --- the policy in force ---------------------------------------------------------------------

def policy_state(policy) -> dict:
    """The policy as plain values; file locations relative to the resources folder, so PCs
    with different install folders agree."""
    from dataclasses import fields as dc_fields

    from desk.paths import resources_dir

    def rel(path):
        if path is None:
            return None
        try:
            return path.relative_to(resources_dir()).as_posix()
        except ValueError:
            return path.name

    out = {}
    for f in dc_fields(policy):
        if f.name == "source":
            continue
        value = getattr(policy, f.name)
        if f.name in ("font", "logo"):
            value = rel(value)
        elif isinstance(value, dict):
            value = {str(k): _dataclass_plain(v) for k, v in value.items()}
        out[f.name] = plain(value)
    return out


def _dataclass_plain(value: Any) -> Any:
    from dataclasses import asdict, is_dataclass
    if is_dataclass(value):
        return {k: (sorted(v) if isinstance(v, (set, frozenset)) else plain(v))
                for k, v in asdict(value).items()}
    return plain(value)


def record_policy(session: Session, policy, staff_no: str | None = None) -> bool:
    """Log the policy when it differs from the last one logged (an edited policy file takes
    effect at the next start). Returns True when an entry was written."""
    state = policy_state(policy)
    last = session.connection().execute(
        select(LOG.c.after).where(LOG.c.entity == "policy", LOG.c.entity_key == "policy")
        .order_by(LOG.c.id.desc()).limit(1)).scalar()
    before = json.loads(last) if last else None
    if before == json.loads(_stored(state)):
        return False
    log_event(session, "policy", "policy", "update" if before else "insert", before=before,
              after=state, staff_no=staff_no)
    return True


# --- a case's history for the screen -----------------------------------------------------------

@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any
    removed: bool = False     # a purged value: it existed but is no longer kept


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    staff_no: str | None
    staff_name: str | None
    entity: str
    entity_key: str
    action: str
    changes: tuple[Change, ...]


NOISE = frozenset({"version", "updated_at", "id", "case_id"})
MASKED = {"customer_phone": "phone", "customer_member_no": "member",
          "customer_address": "address"}


def audit_history(session: Session, case_no: str, *, see_personal: bool = True
                  ) -> list[HistoryEntry]:
    """Every logged change to a case and its parts, oldest first. Without ``see_personal``
    phone, member number and address are masked (see ``desk.privacy``)."""
    from desk import privacy

    names = dict(session.execute(select(Staff.staff_no, Staff.name)).all())
    rows = session.execute(select(LOG).where(LOG.c.case_no == str(case_no).strip().upper())
                           .order_by(LOG.c.id)).all()
    result = []
    for row in rows:
        before = json.loads(row.before) if row.before else {}
        after = json.loads(row.after) if row.after else {}
        changes = []
        for name in sorted(set(before) | set(after)):
            if name in NOISE:
                continue
            old, new = before.get(name), after.get(name)
            removed = _is_purged(old) or _is_purged(new)
            old = None if _is_purged(old) else (old["$v"] if _is_salted(old) else old)
            new = None if _is_purged(new) else (new["$v"] if _is_salted(new) else new)
            if row.action == "update" and old == new and not removed:
                continue
            if row.action != "update" and old is None and new is None and not removed:
                continue
            if not see_personal and name in MASKED:
                old, new = privacy.mask(MASKED[name], old), privacy.mask(MASKED[name], new)
            changes.append(Change(name, old, new, removed))
        result.append(HistoryEntry(row.id, row.at, row.staff_no, names.get(row.staff_no),
                                   row.entity, row.entity_key, row.action, tuple(changes)))
    return result
