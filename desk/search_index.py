"""The free-text search index: kept in step with every saved case in the same transaction,
built for older stores by a migration, asked by ``desk.queries.search_cases``.

``case_search`` holds each case's search text (``desk.search_text.body_of``: customer
name, subject or tenant, complaint, request, handling result, status note and the notes of
its six steps). On SQLite an FTS5 table ``case_grams`` (no copy of its keys) indexes its
character pairs and single characters; on PostgreSQL a GIN index over ``grams``, the array
of the same keys. The text is normalised by OpenCC in Python, so the index is refreshed by
the session (every unit of work, whatever the surface) rather than by SQL triggers, and by
``refresh``/``rebuild`` after bulk writes that bypass the session (demo fill, copy). A flush
only notes the cases it touched; ``settle`` refreshes them once, before the unit of work
commits or anything in it reads the index (a case import's ten flushes a document cost one
refresh, not five).
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from functools import lru_cache

from sqlalchemy import (Column, Connection, Integer, MetaData, Select, Table, Text, bindparam,
                        event, literal_column, select, table, text)
from sqlalchemy.orm import Session

from desk import search_text
from desk.model import Case, StepRecord

SEARCHED = (Case.customer_name, Case.subject_name, Case.complaint, Case.request,
            Case.handling_result, Case.status_note)
BATCH = 2000
# For queries (desk.queries); the migration creates it, the model does not declare it. Its
# PostgreSQL array column is named in SQL text: importing SQLAlchemy's PostgreSQL dialect
# for its type would cost every start about 60 ms.
CASE_SEARCH = Table("case_search", MetaData(), Column("case_id", Integer, primary_key=True),
                    Column("body", Text))
_OLD_BODIES = text("SELECT case_id, body FROM case_search WHERE case_id IN :ids").bindparams(
    bindparam("ids", expanding=True))


def is_index_table(name: str) -> bool:
    """Tables of this index (and FTS5's own), which the model does not declare."""
    return name == "case_search" or name.startswith("case_grams")


_TOUCHED = "search_touched"   # session.info: ids of cases whose search text may have changed
_SEARCHED_KEYS = frozenset(column.key for column in SEARCHED)


def install(factory) -> None:
    """Note the cases every flush of ``factory``'s sessions touched, and refresh their search
    text before the unit of work commits (``settle``; the store calls it after the radar,
    whose changes it then includes)."""
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "after_soft_rollback", _forget)


def _after_flush(session: Session, _flush_context) -> None:
    touched = session.info.get(_TOUCHED)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Case):
            # A text attribute set since the last flush (perhaps to the same value: the
            # refresh compares the texts and writes only what changed).
            if obj.id is not None and (obj in session.new or obj in session.deleted
                                       or not _SEARCHED_KEYS.isdisjoint(
                                           obj._sa_instance_state.committed_state)):
                touched = _note(session, touched, obj.id)
        elif isinstance(obj, StepRecord) and obj.case_id is not None and (
                obj.note if obj in session.new
                else "note" in obj._sa_instance_state.committed_state or obj in session.deleted):
            # Most steps are recorded without a note: nothing to search changes then.
            touched = _note(session, touched, obj.case_id)


def _note(session: Session, touched: set[int] | None, case_id: int) -> set[int]:
    if touched is None:
        touched = session.info[_TOUCHED] = set()
    touched.add(case_id)
    return touched


def _forget(session: Session, *_args) -> None:
    session.info.pop(_TOUCHED, None)


def settle(session: Session) -> None:
    """Bring the search text of every case this unit of work changed up to date: before it
    commits, and before anything in it reads the index (a search, the batch radar)."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    touched = session.info.pop(_TOUCHED, None)
    if touched:
        refresh(session.connection(), touched)


def refresh(conn: Connection, case_ids: Iterable[int]) -> int:
    """Bring the search text of these cases up to date (deleted cases leave the index);
    returns how many changed."""
    ids = sorted(set(case_ids))
    changed = 0
    for start in range(0, len(ids), BATCH):
        changed += _refresh_batch(conn, ids[start:start + BATCH])
    return changed


def _refresh_batch(conn: Connection, ids: list[int]) -> int:
    wanted = bindparam("ids", expanding=True)
    fields = {row[0]: list(row[1:]) for row in conn.execute(
        select(Case.id, *SEARCHED).where(Case.id.in_(wanted)), {"ids": ids})}
    for case_id, note in conn.execute(
            select(StepRecord.case_id, StepRecord.note).where(StepRecord.case_id.in_(wanted))
            .order_by(StepRecord.case_id, StepRecord.id), {"ids": ids}):
        # A note repeated at several steps is searched once (the same substrings).
        if note and note not in fields[case_id]:
            fields[case_id].append(note)
    old = dict(conn.execute(_OLD_BODIES, {"ids": ids}).all())
    new = {case_id: search_text.body_of(values) for case_id, values in fields.items()}
    gone = [case_id for case_id in old if case_id not in new]
    changes = [(case_id, body) for case_id, body in new.items() if old.get(case_id) != body]
    if conn.dialect.name == "sqlite":
        _write_sqlite(conn, old, gone, changes)
    else:
        _write_postgresql(conn, gone, changes)
    return len(gone) + len(changes)


def _write_sqlite(conn: Connection, old: dict[int, str], gone: list[int],
                  changes: list[tuple[int, str]]) -> None:
    # An FTS5 table without its own content forgets a row only when given the keys it was
    # indexed with.
    stale = [(case_id, old[case_id]) for case_id in gone]
    stale += [(case_id, old[case_id]) for case_id, _ in changes if case_id in old]
    if stale:
        conn.exec_driver_sql(
            "INSERT INTO case_grams (case_grams, rowid, grams, chars) VALUES ('delete', ?, ?, ?)",
            [(case_id, *search_text.fts_columns(body)) for case_id, body in stale])
    if gone:
        conn.exec_driver_sql("DELETE FROM case_search WHERE case_id = ?",
                             [(case_id,) for case_id in gone])
    if changes:
        conn.exec_driver_sql("INSERT INTO case_grams (rowid, grams, chars) VALUES (?, ?, ?)",
                             [(case_id, *search_text.fts_columns(body))
                              for case_id, body in changes])
        conn.exec_driver_sql("INSERT OR REPLACE INTO case_search (case_id, body) VALUES (?, ?)",
                             changes)


def _write_postgresql(conn: Connection, gone: list[int],
                      changes: list[tuple[int, str]]) -> None:
    if gone:
        conn.execute(text("DELETE FROM case_search WHERE case_id = ANY(:ids)"), {"ids": gone})
    if changes:
        conn.execute(text(
            "INSERT INTO case_search (case_id, body, grams) VALUES (:id, :body, :grams) "
            "ON CONFLICT (case_id) DO UPDATE SET body = EXCLUDED.body, grams = EXCLUDED.grams"),
            [{"id": case_id, "body": body, "grams": search_text.gram_array(body)}
             for case_id, body in changes])


def rebuild(conn: Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every case not yet indexed or changed since (a migration of an older store,
    a bulk fill); ``progress(done, total)`` after each batch. Returns how many changed."""
    total = conn.execute(select(Case.id).order_by(Case.id.desc()).limit(1)).scalar() or 0
    count = conn.execute(text("SELECT count(*) FROM complaint_case")).scalar() or 0
    done = changed = 0
    last = 0
    while last < total:
        ids = list(conn.execute(select(Case.id).where(Case.id > last).order_by(Case.id)
                                .limit(BATCH)).scalars())
        if not ids:
            break
        changed += _refresh_batch(conn, ids)
        last = ids[-1]
        done += len(ids)
        if progress:
            progress(done, count)
    return changed


def clear(conn: Connection) -> None:
    """Empty the index (``desk search rebuild-index`` then rebuilds it from the cases)."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("INSERT INTO case_grams (case_grams) VALUES ('delete-all')")
    conn.exec_driver_sql("DELETE FROM case_search")


def match_params(dialect: str, needle: str) -> dict:
    """The bound values of ``matching(dialect)`` for a normalised, non-empty query."""
    if dialect == "sqlite":
        return {"fts": search_text.fts_query(needle)}
    return {"keys": search_text.query_keys(needle), "pattern": search_text.like_pattern(needle)}


@lru_cache(maxsize=4)
def matching(dialect: str) -> Select:
    """The ids of cases whose search text holds the query (``match_params``), from the
    index: FTS5 phrase of pairs on SQLite (exact); on PostgreSQL the GIN index finds the
    cases holding every key and ``LIKE`` keeps those where they stand together."""
    if dialect == "sqlite":
        return (select(literal_column("rowid")).select_from(table("case_grams"))
                .where(literal_column("case_grams").op("MATCH")(bindparam("fts"))))
    return (select(CASE_SEARCH.c.case_id)
            .where(text("case_search.grams @> CAST(:keys AS text[])"),
                   CASE_SEARCH.c.body.like(bindparam("pattern"), escape="/")))


def matching_ids(conn: Connection, needle: str, cap: int) -> list[int]:
    """Up to ``cap`` ids of cases whose search text holds the normalised ``needle``."""
    dialect = conn.dialect.name
    return list(conn.execute(matching(dialect).limit(cap), match_params(dialect, needle))
                .scalars())
