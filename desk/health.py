"""Can this store be used? ``check_store(url)`` looks before a store is opened and
``open_checked`` opens it only then: every surface (the app, the ``desk`` command, the
review-from-store path) opens stores this way. The problems and their choices are
``desk.store_problems`` (re-exported here)."""
from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from desk.store_problems import (CHOICE_LABELS, CLI_HINTS, MESSAGES,  # noqa: F401  (their home)
                                 Choice, Problem, StoreError, StoreProblem, _problem, classify,
                                 classify_sqlite, location_of)

SQLITE_HEADER = b"SQLite format 3\x00"


def check_store(url: str, *, timeout: float = 2.0, backups: Path | None = None,
                thorough: bool = False) -> StoreProblem | None:
    """Look at a store before opening it: None when it can be used (a missing SQLite file
    is reported; the caller decides whether creating one is wanted). The quick look reads
    the header and the schema; ``thorough`` also tries the write lock and reads every page
    (``PRAGMA quick_check``: seconds on a large store, so once a day, not at every command;
    the daily backup checks its copy page by page too)."""
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        return _check_sqlite(url, timeout, backups, thorough)
    return _check_server(url, timeout)


def _check_sqlite(url: str, timeout: float, backups: Path | None, thorough: bool
                  ) -> StoreProblem | None:
    database = make_url(url).database
    if not database or database == ":memory:":
        return None
    path = Path(database)
    if not path.exists():
        return _problem(Problem.MISSING, url, backups=backups)
    if path.is_dir():
        return _problem(Problem.CORRUPT, url, "is a folder", backups=backups)
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except PermissionError as exc:
        return _problem(Problem.READ_ONLY, url, str(exc))
    except OSError as exc:
        return _problem(Problem.IO, url, str(exc), backups=backups)
    if header and header != SQLITE_HEADER:
        return _problem(Problem.CORRUPT, url, "not an SQLite file", backups=backups)
    if not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK):
        return _problem(Problem.READ_ONLY, url, "no write permission")
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        return classify_sqlite(exc, url, backups) or _problem(Problem.IO, url, str(exc))
    try:
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        result = [r[0] for r in conn.execute("PRAGMA quick_check(1)")] if thorough else ["ok"]
        if result != ["ok"]:
            return _problem(Problem.CORRUPT, url, "; ".join(map(str, result)), backups=backups)
        if thorough:   # the quick look never takes the write lock: a desk listing the day
            conn.execute("BEGIN IMMEDIATE")   # must not queue behind (or fail beside) the
            conn.execute("ROLLBACK")          # desks that are saving
        revisions = _revisions(conn)
    except sqlite3.Error as exc:
        return classify_sqlite(exc, url, backups) or _problem(Problem.IO, url, str(exc),
                                                              backups=backups)
    finally:
        conn.close()
    return _newer(url, revisions)


def _revisions(conn) -> set[str]:
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='alembic_version'"
                       ).fetchone()
    if not has:
        return set()
    return {r[0] for r in conn.execute("SELECT version_num FROM alembic_version")}


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from desk.store import MIGRATIONS
    return {rev.revision for rev in ScriptDirectory(str(MIGRATIONS)).walk_revisions()}


def _newer(url: str, revisions: set[str]) -> StoreProblem | None:
    from desk.store import HEADS
    if revisions <= HEADS:   # the usual start: no need to read every script with Alembic
        return None
    unknown = revisions - known_revisions()
    if unknown:
        return _problem(Problem.NEWER_SCHEMA, url, ", ".join(sorted(unknown)))
    return None


def _check_server(url: str, timeout: float) -> StoreProblem | None:
    from sqlalchemy import create_engine, inspect, text
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import NullPool

    args = {"connect_timeout": max(1, int(timeout))} if make_url(url).get_backend_name() == \
        "postgresql" else {}
    engine = create_engine(url, connect_args=args, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "postgresql" and \
                    conn.execute(text("SHOW transaction_read_only")).scalar() == "on":
                return _problem(Problem.READ_ONLY, url, "read-only server")
            revisions = set()
            if inspect(conn).has_table("alembic_version"):
                revisions = set(conn.execute(text("SELECT version_num FROM alembic_version"))
                                .scalars())
    except DBAPIError as exc:
        return classify(exc, url) or _problem(Problem.UNREACHABLE, url, str(exc.orig))
    finally:
        engine.dispose()
    return _newer(url, revisions)


def open_checked(url: str, *, create: bool = False, timeout: float = 2.0,
                 thorough: bool = False):
    """Check, then open (and migrate) a store. Raises ``StoreError`` carrying the
    ``StoreProblem`` (a missing SQLite file is created only with ``create``). The app shows
    the problem's message and choices as a dialog. The policy that governs the store is the
    store's own, read after opening (``desk.store_policy.load_store_policy``)."""
    from sqlalchemy.exc import DBAPIError

    from desk.store import Store

    problem = check_store(url, timeout=timeout, thorough=thorough)
    if problem and not (create and problem.kind is Problem.MISSING):
        raise StoreError(problem)
    try:
        return Store(url)
    except DBAPIError as exc:
        problem = classify(exc, url)
        if problem is None:
            raise
        raise StoreError(problem) from exc
