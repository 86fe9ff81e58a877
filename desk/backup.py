"""Backups of an SQLite store with SQLite's online backup API: a consistent copy taken while
desks keep working, checked before it is trusted, restored only after the current store has
been put aside (never overwritten).

The app calls ``daily_backup`` at start and after midnight, offers ``backup_to`` and
``restore`` in its menu; ``desk backup`` and ``desk restore`` call the same functions.
A PostgreSQL store is backed up on its server (``pg_dump``), not here.
"""
from __future__ import annotations

import errno
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from desk.backup_files import (SUFFIX, BackupError, backup_folder, latest_backup,  # noqa: F401
                               list_backups, store_file)
from desk.errors import DomainError, LazyText, ValidationError
from desk.health import known_revisions
from desk.i18n import N_
from desk.input_limits import regular_file
from desk.model import utcnow
from desk.private_files import create_private
from desk.store_problems import Problem, StoreError, _problem, classify_sqlite

_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class BackupInfo:
    """What a verified backup holds."""

    path: Path
    size: int
    cases: int
    staff: int
    audit_entries: int
    audit_head: str | None
    revisions: tuple[str, ...]
    audit_problem: str | None     # the first broken link of its audit log, if any

    @property
    def audit_ok(self) -> bool:
        return self.audit_problem is None


def _url(path: Path) -> str:
    return "sqlite:///" + Path(path).resolve().as_posix()


def _fail(exc: BaseException, path: Path) -> DomainError:
    if isinstance(exc, sqlite3.Error):
        problem = classify_sqlite(exc, _url(path))
        if problem:
            return StoreError(problem)
    if isinstance(exc, OSError):
        kind = Problem.FULL if exc.errno == errno.ENOSPC else Problem.IO
        if isinstance(exc, PermissionError):
            kind = Problem.READ_ONLY
        return StoreError(_problem(kind, _url(path), str(exc)))
    return BackupError(N_("{path}: {reason}"), path=str(path), reason=str(exc))


def _copy(source: Path, dest: Path, *, read_only_source: bool, private: bool = True) -> None:
    """Online-backup ``source`` into ``dest`` (replaced atomically once it checks out)."""
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    try:
        if read_only_source:
            src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        else:
            src = sqlite3.connect(str(source), timeout=30)
        try:
            if private:              # a backup holds every customer: its owner's only
                create_private(part)
            dst = sqlite3.connect(str(part))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")
                check = [r[0] for r in dst.execute("PRAGMA integrity_check")]
            finally:
                dst.close()
        finally:
            src.close()
        if check != ["ok"]:
            raise BackupError(N_("the copy of {path} failed its integrity check"),
                              path=str(source))
        with part.open("rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(part, dest)
    except (sqlite3.Error, OSError) as exc:
        part.unlink(missing_ok=True)
        raise _fail(exc, dest) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise


def backup_to(store, path: str | os.PathLike) -> BackupInfo:
    """Copy the store into ``path`` (any folder; replaced if it exists) and verify the copy."""
    source = store_file(store)
    if not source.is_file():
        raise BackupError(N_("there is no store at {path} to back up"), path=str(source))
    dest = Path(path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists() and dest.resolve() == source.resolve():
        raise BackupError(N_("a backup cannot replace the store it copies"))
    _copy(source, dest, read_only_source=False)
    return verify_backup(dest)


def daily_name(store, day) -> str:
    return f"{store_file(store).stem}-{day.isoformat()}{SUFFIX}"


def daily_backup(store, policy, *, now: datetime | None = None,
                 folder: Path | None = None) -> Path | None:
    """Today's backup into the user data folder unless there already is one; keeps the
    newest ``site.backups_kept``. Returns the new file, or None when nothing was needed
    (already done today, or a database server)."""
    try:
        source = store_file(store)
    except BackupError:
        return None
    if not source.is_file():
        return None
    day = (now or utcnow()).astimezone(policy.tz).date()
    folder = backup_folder(folder)
    dest = folder / daily_name(store, day)
    if dest.exists():
        return None
    backup_to(store, dest)
    for old in list_backups(store, folder)[policy.backups_kept:]:
        old.unlink(missing_ok=True)
    second_copy(store, dest, policy)
    return dest


def second_copy(store, backup: Path, policy) -> Path | None:
    """A copy of ``backup`` in the policy's second place (``[anchors] folder``/backups),
    verified after writing; the newest ``site.backups_kept`` are kept there too."""
    if not policy.anchor_folder:
        return None
    folder = backup_folder(Path(policy.anchor_folder) / "backups")
    dest = folder / Path(backup).name
    _copy(Path(backup), dest, read_only_source=True)
    verify_backup(dest)
    for old in list_backups(store, folder)[policy.backups_kept:]:
        old.unlink(missing_ok=True)
    return dest


def verify_backup(path: str | os.PathLike) -> BackupInfo:
    """Check a backup before trusting it: an SQLite file, intact, holding a Complaint Desk
    store this program understands. Raises ``BackupError`` naming the first problem; the
    audit log's first broken link (if any) is reported in the result."""
    path = Path(path)
    try:
        regular_file(path, "backup")   # a device or a pipe is never opened
    except ValidationError as exc:
        reason = (LazyText(N_("there is no such file"))
                  if exc.msgid == "there is no file {path}" else exc.message())
        raise BackupError(N_("{path} is not a backup: {reason}"), path=str(path),
                          reason=reason) from None
    with path.open("rb") as fh:
        if fh.read(len(_HEADER)) != _HEADER:
            raise BackupError(N_("{path} is not a backup: {reason}"), path=str(path),
                              reason=LazyText(N_("it is not an SQLite file")))
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
        try:
            check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            revisions = tuple(sorted(r[0] for r in conn.execute(
                "SELECT version_num FROM alembic_version"))) if "alembic_version" in tables else ()
            cases = conn.execute("SELECT count(*) FROM complaint_case").fetchone()[0] \
                if "complaint_case" in tables else None
            staff = conn.execute("SELECT count(*) FROM staff").fetchone()[0] \
                if "staff" in tables else 0
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise BackupError(N_("{path} is not a backup: {reason}"), path=str(path),
                          reason=str(exc)) from exc
    if check != ["ok"]:
        raise BackupError(N_("{path} is not a backup: {reason}"), path=str(path),
                          reason=LazyText(N_("it is damaged")))
    if cases is None or not revisions:
        raise BackupError(N_("{path} is not a backup: {reason}"), path=str(path),
                          reason=LazyText(N_("it holds no Complaint Desk store")))
    if set(revisions) - known_revisions():
        raise BackupError(N_("{path} is not a backup: {reason}"), path=str(path),
                          reason=LazyText(N_("it was made by a newer version of Complaint Desk")))
    entries, head, problem = _audit_of(uri, "audit_log" in tables, set(revisions))
    return BackupInfo(path, path.stat().st_size, cases, staff, entries, head, revisions, problem)


def _audit_of(uri: str, has_log: bool, revisions: set[str]) -> tuple[int, str | None, str | None]:
    if not has_log:
        return 0, None, None
    from alembic.script import ScriptDirectory

    from desk import audit
    from desk.store import MIGRATIONS
    current = set(ScriptDirectory(str(MIGRATIONS)).get_heads())
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True),
                           poolclass=NullPool)
    try:
        with Session(engine) as session:
            report = audit.verify(session, rows=revisions == current)
    finally:
        engine.dispose()
    first = report.first.message if report.first else None
    return report.entries, (report.head if report.entries else None), first


def restore(store_path: str | os.PathLike, backup_path: str | os.PathLike, *,
            staff_no: str | None = None, now: datetime | None = None,
            anchor_folder: str | os.PathLike | None = None) -> Path | None:
    """Replace the store at ``store_path`` with a verified copy of ``backup_path``. The
    current file (and its -wal/-shm companions) is renamed aside, never deleted; returns its
    new path (None when there was no store). Close every connection to the store first.
    The restore is recorded in the restored store's audit log."""
    store_path = Path(store_path)
    info = verify_backup(backup_path)
    if not info.audit_ok:
        raise BackupError(N_("{path} is not a backup: {reason}"), path=str(backup_path),
                          reason=info.audit_problem)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    incoming = store_path.with_name(store_path.name + ".restoring")
    _copy(Path(backup_path), incoming, read_only_source=True, private=False)
    aside = None
    from desk.open_lock import alone
    try:
        with alone(store_path):   # refused while any other program has the store open
            aside = _put_aside(store_path, now or utcnow())
            os.replace(incoming, store_path)
    except OSError as exc:
        incoming.unlink(missing_ok=True)
        if aside is not None and not store_path.exists():
            _put_back(aside, store_path)
        if isinstance(exc, PermissionError):   # Windows: still open in another program
            raise StoreError(_problem(Problem.LOCKED, _url(store_path), str(exc))) from exc
        raise _fail(exc, store_path) from exc
    except BaseException:
        incoming.unlink(missing_ok=True)
        raise
    _record_restore(store_path, Path(backup_path), aside, info, staff_no, anchor_folder)
    return aside


def _put_aside(store_path: Path, now: datetime) -> Path | None:
    if not store_path.exists():
        return None
    try:   # fold the write-ahead log in, and refuse when another program still uses the store
        conn = sqlite3.connect(str(store_path), timeout=2, isolation_level=None)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        busy = 0   # a damaged store cannot be checkpointed; its files move aside as they are
    if busy:
        raise StoreError(_problem(Problem.LOCKED, _url(store_path), "checkpoint busy"))
    stamp = now.strftime("%Y%m%d-%H%M%S")
    aside = store_path.with_name(f"{store_path.stem}.before-restore-{stamp}{store_path.suffix}")
    n = 1
    while aside.exists():
        n += 1
        aside = store_path.with_name(
            f"{store_path.stem}.before-restore-{stamp}-{n}{store_path.suffix}")
    os.replace(store_path, aside)
    for extra in ("-wal", "-shm", "-journal"):
        companion = store_path.with_name(store_path.name + extra)
        if companion.exists():
            os.replace(companion, aside.with_name(aside.name + extra))
    return aside


def _put_back(aside: Path, store_path: Path) -> None:
    """Undo ``_put_aside`` after a failed restore, as far as the file system lets us."""
    for extra in ("", "-wal", "-shm", "-journal"):
        moved = aside.with_name(aside.name + extra)
        if moved.exists():
            try:
                os.replace(moved, store_path.with_name(store_path.name + extra))
            except OSError:
                pass


def _record_restore(store_path: Path, backup: Path, aside: Path | None, info: BackupInfo,
                    staff_no: str | None, anchor_folder=None) -> None:
    from desk import audit
    from desk.store import Store

    store = Store(_url(store_path))
    store.anchor_reset = True   # the anchor folder learns the history went back to the backup
    store.use_anchor_folder(anchor_folder)
    try:
        with store.write(system="restore") as session:
            audit.log_event(session, "store", "restore", "restore", staff_no=staff_no,
                            after={"backup": backup.name, "put_aside": aside.name if aside else None,
                                   "cases": info.cases, "backup_audit_head": info.audit_head})
    finally:
        store.close()
