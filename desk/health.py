"""Can this store be used? What stops a desk from opening or saving, in words a clerk can act
on, with the choices that make sense (the app shows them as buttons, the CLI as hints).

``check_store(url)`` runs before a store is opened; ``classify(exc, url)`` turns a database
error met while saving (disk full, locked, read-only, damaged) into the same kind of
problem, so nothing reaches the counter as a traceback.
"""
from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlalchemy.engine import make_url

from desk.errors import DomainError
from desk.i18n import N_, _


class Problem(StrEnum):
    MISSING = "missing"
    LOCKED = "locked"
    READ_ONLY = "read_only"
    CORRUPT = "corrupt"
    NEWER_SCHEMA = "newer_schema"
    UNREACHABLE = "unreachable"
    FULL = "full"
    IO = "io"


class Choice(StrEnum):
    RETRY = "retry"
    OPEN_ANOTHER = "open_another"
    RESTORE_BACKUP = "restore_backup"
    CREATE_NEW = "create_new"
    QUIT = "quit"


MESSAGES = {
    Problem.MISSING: N_("There is no store at {location}."),
    Problem.LOCKED: N_("The store {location} is locked by another program; it may be in the "
                       "middle of saving."),
    Problem.READ_ONLY: N_("The store {location} cannot be written: the file or its folder is "
                          "read-only."),
    Problem.CORRUPT: N_("The store {location} is damaged and cannot be used safely."),
    Problem.NEWER_SCHEMA: N_("The store {location} was made by a newer version of Complaint "
                             "Desk; update this program to use it."),
    Problem.UNREACHABLE: N_("The database server for {location} cannot be reached."),
    Problem.FULL: N_("The disk holding {location} is full. This change was not saved; "
                     "everything saved before it is safe."),
    Problem.IO: N_("The store {location} could not be read or written (a disk or network "
                   "error). This change was not saved; everything saved before it is safe."),
}

CHOICE_LABELS = {
    Choice.RETRY: N_("Try again"),
    Choice.OPEN_ANOTHER: N_("Open another store"),
    Choice.RESTORE_BACKUP: N_("Restore the latest backup"),
    Choice.CREATE_NEW: N_("Create a new store"),
    Choice.QUIT: N_("Quit"),
}

CLI_HINTS = {
    Choice.RETRY: N_("try again"),
    Choice.OPEN_ANOTHER: N_("open another store with --db PATH"),
    Choice.RESTORE_BACKUP: N_("restore the latest backup with: desk restore {backup}"),
    Choice.CREATE_NEW: N_("create one with: desk init"),
}


@dataclass(frozen=True)
class StoreProblem:
    """What is wrong with a store. ``message`` and ``choice_label`` are translated when read;
    ``detail`` is the driver's own text, for the log file only."""

    kind: Problem
    location: str
    choices: tuple[Choice, ...]
    detail: str = ""
    latest_backup: Path | None = None

    @property
    def message(self) -> str:
        return _(MESSAGES[self.kind]).format(location=self.location)

    @staticmethod
    def choice_label(choice: Choice) -> str:
        return _(CHOICE_LABELS[choice])

    def cli_message(self) -> str:
        """One line for the terminal: the problem, then what can be done from there."""
        hints = [_(CLI_HINTS[c]).format(backup=self.latest_backup) for c in self.choices
                 if c in CLI_HINTS]
        if not hints:
            return self.message
        return _("{message} You can: {hints}.").format(message=self.message,
                                                       hints="; ".join(hints))


class StoreError(DomainError):
    """The store could not be used or written; nothing of this change was saved."""

    def __init__(self, problem: StoreProblem) -> None:
        super().__init__(MESSAGES[problem.kind], location=problem.location)
        self.problem = problem


def location_of(url: str) -> str:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database or ""))
    return parsed.render_as_string(hide_password=True)


def _problem(kind: Problem, url: str, detail: str = "", *, backups: Path | None = None
             ) -> StoreProblem:
    latest = None
    if kind in (Problem.MISSING, Problem.CORRUPT, Problem.IO):
        from desk.backup import latest_backup
        latest = latest_backup(url, backups)
    choices = {
        Problem.MISSING: (Choice.CREATE_NEW, Choice.OPEN_ANOTHER, Choice.RESTORE_BACKUP,
                          Choice.QUIT),
        Problem.LOCKED: (Choice.RETRY, Choice.OPEN_ANOTHER, Choice.QUIT),
        Problem.READ_ONLY: (Choice.RETRY, Choice.OPEN_ANOTHER, Choice.QUIT),
        Problem.CORRUPT: (Choice.RESTORE_BACKUP, Choice.OPEN_ANOTHER, Choice.QUIT),
        Problem.NEWER_SCHEMA: (Choice.OPEN_ANOTHER, Choice.QUIT),
        Problem.UNREACHABLE: (Choice.RETRY, Choice.OPEN_ANOTHER, Choice.QUIT),
        Problem.FULL: (Choice.RETRY, Choice.QUIT),
        Problem.IO: (Choice.RETRY, Choice.RESTORE_BACKUP, Choice.OPEN_ANOTHER, Choice.QUIT),
    }[kind]
    if latest is None:
        choices = tuple(c for c in choices if c is not Choice.RESTORE_BACKUP)
    return StoreProblem(kind, location_of(url), choices, detail, latest)


SQLITE_HEADER = b"SQLite format 3\x00"


def check_store(url: str, *, timeout: float = 2.0, backups: Path | None = None,
                thorough: bool = False) -> StoreProblem | None:
    """Look at a store before opening it: None when it can be used (a missing SQLite file
    is reported; the caller decides whether creating one is wanted). The quick look reads
    the header and the schema and tries the write lock; ``thorough`` also reads every page
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
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
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


# --- errors met while working ----------------------------------------------------------------

_SQLITE_KINDS = {
    "SQLITE_FULL": Problem.FULL,
    "SQLITE_BUSY": Problem.LOCKED,
    "SQLITE_LOCKED": Problem.LOCKED,
    "SQLITE_READONLY": Problem.READ_ONLY,
    "SQLITE_PERM": Problem.READ_ONLY,
    "SQLITE_CORRUPT": Problem.CORRUPT,
    "SQLITE_NOTADB": Problem.CORRUPT,
    "SQLITE_IOERR": Problem.IO,
    "SQLITE_CANTOPEN": Problem.IO,
}

_PG_KINDS = {"53100": Problem.FULL, "25006": Problem.READ_ONLY, "55P03": Problem.LOCKED,
             "40P01": Problem.LOCKED, "40001": Problem.LOCKED,
             "XX001": Problem.CORRUPT, "XX002": Problem.CORRUPT, "58030": Problem.IO}


def classify_sqlite(exc: BaseException, url: str, backups: Path | None = None
                    ) -> StoreProblem | None:
    name = getattr(exc, "sqlite_errorname", "") or ""
    for prefix, kind in _SQLITE_KINDS.items():
        if name == prefix or name.startswith(prefix + "_"):
            return _problem(kind, url, str(exc), backups=backups)
    text = str(exc).lower()
    for needle, kind in (("disk is full", Problem.FULL), ("locked", Problem.LOCKED),
                         ("readonly", Problem.READ_ONLY), ("malformed", Problem.CORRUPT),
                         ("not a database", Problem.CORRUPT), ("disk i/o", Problem.IO),
                         ("unable to open", Problem.IO)):
        if needle in text:
            return _problem(kind, url, str(exc), backups=backups)
    return None


def classify(exc: BaseException, url: str) -> StoreProblem | None:
    """The store problem behind an exception raised while reading or saving, or None when
    it is something else (a bug, a constraint): those must not be dressed up."""
    orig = getattr(exc, "orig", None) or exc
    if isinstance(orig, sqlite3.Error):
        return classify_sqlite(orig, url)
    state = getattr(orig, "sqlstate", None)
    if state:
        if state in _PG_KINDS:
            return _problem(_PG_KINDS[state], url, str(orig))
        if state.startswith("08"):
            return _problem(Problem.UNREACHABLE, url, str(orig))
        return None
    if isinstance(orig, OSError) and orig.errno == errno.ENOSPC:
        return _problem(Problem.FULL, url, str(orig))
    from sqlalchemy.exc import OperationalError
    if isinstance(exc, OperationalError) and make_url(url).get_backend_name() != "sqlite":
        return _problem(Problem.UNREACHABLE, url, str(orig))
    return None


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
