"""Moving a desk's store to another database (its SQLite file to the shared PostgreSQL server),
verified table by table: the same row count and the same SHA-256 over canonical row values,
computed on both sides, or nothing is kept.

The copy runs in one transaction on the target, so a failure or a mismatch leaves it empty.
The source is read in one snapshot, so a desk still taking complaints cannot tear the copy;
it should stop writing all the same, or its later cases stay behind. Ids are copied as they
are (case history refers to them); PostgreSQL's id sequences are then moved past them.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from decimal import Decimal
from typing import Callable, Iterable, Iterator

from sqlalchemy import (Connection, DateTime, Integer, MetaData, Table, bindparam, func, select,
                        text, update)
from sqlalchemy.engine import make_url

from desk.errors import N_, DomainError
from desk.health import open_checked
from desk.model import Base
from desk import search_index
from desk.store import Store, sync_id_sequences

BATCH = 5000
SKIPPED = {"alembic_version"}   # written by the migrations on each side, compared instead
# The search index is not copied either: the target builds its own (search_index.rebuild).


class CopyError(DomainError):
    """The copy was refused or did not verify; the target was left as it was."""


@dataclass(frozen=True)
class TableCheck:
    table: str
    source_rows: int
    target_rows: int
    source_sha256: str
    target_sha256: str

    @property
    def ok(self) -> bool:
        return (self.source_rows, self.source_sha256) == (self.target_rows, self.target_sha256)


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    tables: tuple[TableCheck, ...]

    @property
    def rows(self) -> int:
        return sum(t.source_rows for t in self.tables)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def copy_store(source_url: str, target_url: str, *, staff_no: str, pin: str,
               progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy every table of ``source_url`` into the empty store at ``target_url`` and verify it.
    Both are first brought to the newest schema by the migrations. The copy holds every
    customer's data unmasked and every PIN hash: like a backup, it is taken by an
    administrator of the source store, signed in there (``staff_no``, ``pin``)."""
    if make_url(source_url) == make_url(target_url):
        raise CopyError(N_("the source and the target are the same store"))
    source = open_checked(source_url)
    try:
        _check_administrator(source, staff_no, pin)
        target = open_checked(target_url, create=True)
        try:
            return _copy(source, target, progress or (lambda _table, _rows: None))
        finally:
            target.close()
    finally:
        source.close()


def _check_administrator(source: Store, staff_no: str, pin: str) -> None:
    from desk.enums import Privilege
    from desk.privileges import require
    from desk.services.auth import sign_in
    from desk.store_policy import load_store_policy
    policy = load_store_policy(source)
    require(policy, sign_in(source, policy, staff_no, pin), Privilege.ADMIN)


def _copy(source: Store, target: Store, progress: Callable[[str, int], None]) -> CopyReport:
    read_opts = {"isolation_level": "REPEATABLE READ"} if source.backend == "postgresql" else {}
    with source.engine.connect().execution_options(**read_opts) as src, \
            target.engine.execution_options(immediate=True).connect() as dst:
        with src.begin(), dst.begin():   # an error below rolls the whole target back
            _same_schema(src, dst)
            tables = _tables(src)
            _refuse_non_empty(dst, tables)
            for table in tables:
                progress(table.name, _copy_table(src, dst, table, target.backend))
            sync_id_sequences(dst, tables)
            search_index.rebuild(dst)   # the target's own index, in its own dialect
            checks = tuple(_check(src, dst, table) for table in tables)
            report = CopyReport(shown(source.url), shown(target.url), checks)
            if not report.ok:
                bad = ", ".join(c.table for c in checks if not c.ok)
                raise CopyError(N_("the copy did not verify ({value} differ); nothing was kept "
                                   "in the target"), value=bad)
    return report


def _same_schema(src: Connection, dst: Connection) -> None:
    def heads(conn: Connection) -> str:
        return ", ".join(sorted(conn.scalars(text("SELECT version_num FROM alembic_version"))))
    if heads(src) != heads(dst):
        raise CopyError(N_("the two stores are at different schema versions ({value}); update "
                           "the program first"), value=f"{heads(src)} / {heads(dst)}")


def _tables(src: Connection) -> list[Table]:
    """Every table of the source in foreign-key order, typed by the ORM where it knows the
    table (aware UTC instants, money as Decimal), as reflected otherwise."""
    reflected = MetaData()
    reflected.reflect(bind=src)
    return [Base.metadata.tables.get(t.name, t) for t in reflected.sorted_tables
            if t.name not in SKIPPED and not search_index.is_index_table(t.name)]


def _refuse_non_empty(dst: Connection, tables: list[Table]) -> None:
    for table in tables:
        count = dst.scalar(select(func.count()).select_from(table))
        if count:
            raise CopyError(N_("the target already holds data ({value}: {count} rows); copy only "
                               "into an empty store"), value=table.name, count=count)


def _self_references(table: Table) -> list[str]:
    return [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]


def _copy_table(src: Connection, dst: Connection, table: Table, target_backend: str) -> int:
    """Insert in batches; a column pointing into the same table (a duplicate case pointing at
    its primary) is filled in afterwards, once every row it may point to exists."""
    later = _self_references(table)
    fix = _value_fixer(table, target_backend)
    pending: list[dict] = []
    count = 0
    for batch in _batches(src, table):
        rows = [fix(dict(row._mapping)) for row in batch]
        for row in rows:
            if any(row[c] is not None for c in later):
                pending.append({"_key": _key(table, row), **{c: row[c] for c in later}})
                for c in later:
                    row[c] = None
        dst.execute(table.insert(), rows)
        count += len(rows)
    if pending:
        pk = _single_pk(table)
        stmt = (update(table).where(pk == bindparam("_key"))
                .values({c: bindparam(c) for c in later}))
        for start in range(0, len(pending), BATCH):
            dst.execute(stmt, pending[start:start + BATCH])
    return count


def _batches(conn: Connection, table: Table) -> Iterator[list]:
    stmt = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=BATCH).execute(stmt)
    yield from result.partitions(BATCH)


def _single_pk(table: Table):
    columns = list(table.primary_key.columns)
    if len(columns) != 1:
        raise CopyError(N_("table {value} refers to itself without a single-column key"),
                        value=table.name)
    return columns[0]


def _key(table: Table, row: dict):
    return row[_single_pk(table).name]


def _value_fixer(table: Table, target_backend: str) -> Callable[[dict], dict]:
    """Tables the ORM does not know come back with plain DateTime columns: every instant in
    a store is UTC, so make that explicit for the target's driver."""
    if table.name in Base.metadata.tables:
        return lambda row: row
    instants = [c.name for c in table.columns if isinstance(c.type, DateTime)]

    def fix(row: dict) -> dict:
        for name in instants:
            value = row[name]
            if isinstance(value, datetime):
                if value.tzinfo is None:
                    value = value.replace(tzinfo=timezone.utc)
                value = value.astimezone(timezone.utc)
                row[name] = value.replace(tzinfo=None) if target_backend == "sqlite" else value
        return row
    return fix


# -- verification -------------------------------------------------------------------------

def _check(src: Connection, dst: Connection, table: Table) -> TableCheck:
    source_rows, source_hash = table_digest(src, table)
    target_rows, target_hash = table_digest(dst, table)
    return TableCheck(table.name, source_rows, target_rows, source_hash, target_hash)


def table_digest(conn: Connection, table: Table) -> tuple[int, str]:
    """Row count and SHA-256 over the canonical rows in key order. Integer keys are ordered
    by the database; other keys in Python, since collations differ between back ends."""
    digest = hashlib.sha256()
    count = 0
    keys = list(table.primary_key.columns)
    if keys and all(isinstance(c.type, Integer) for c in keys):
        lines: Iterable[bytes] = (canonical_row(row._mapping)
                                  for batch in _batches(conn, table) for row in batch)
    else:
        lines = sorted(canonical_row(row._mapping) for row in conn.execute(select(table)))
    for line in lines:
        digest.update(line)
        count += 1
    return count, digest.hexdigest()


def canonical_row(row) -> bytes:
    values = {name: canonical_value(value) for name, value in row.items()}
    return json.dumps(values, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode() + b"\n"


def canonical_value(value):
    """One spelling per value whichever database it came from."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        text_ = format(value, "f")
        if "." in text_:
            text_ = text_.rstrip("0").rstrip(".")
        return "0" if text_ in ("", "-0") else text_
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (list, dict)):
        return value
    return str(value)
