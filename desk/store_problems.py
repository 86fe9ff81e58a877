"""What can be wrong with a store, in words a clerk can act on, with the choices that make
sense (the app shows them as buttons, the CLI as hints); ``classify(exc, url)`` turns a
database error met while saving (disk full, locked, read-only, damaged) into one of them."""
from __future__ import annotations

import errno
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
        from desk.backup_files import latest_backup
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
