"""The restore drill: the latest backup restored into a scratch store (never the live one),
opened as the program opens a store, its audit log verified and its tables counted against
what the backup file itself holds. A backup nobody has restored is a hope, not a backup."""
from __future__ import annotations

import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, inspect, select, table

from desk.backup import _copy, verify_backup
from desk.backup_files import BackupError, latest_backup
from desk.errors import N_


@dataclass(frozen=True)
class DrillReport:
    backup: Path
    counts: dict[str, int]          # rows per table in the restored scratch store
    differing: tuple[str, ...]      # tables whose count differs from the backup file's
    audit_entries: int
    audit_problem: str | None

    @property
    def ok(self) -> bool:
        return not self.differing and self.audit_problem is None


def _file_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'case_grams%'")]
        return {n: conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}
    finally:
        conn.close()


def drill(store, backup: Path | None = None, *, folder: Path | None = None) -> DrillReport:
    """Restore ``backup`` (default: the store's latest daily backup) into a scratch folder
    and verify it there. The live store is only read (for its name)."""
    from desk import audit
    from desk.store import Store

    backup = Path(backup) if backup else latest_backup(store, folder)
    if backup is None:
        raise BackupError(N_("there is no backup of this store to drill with; make one with "
                             "desk backup"))
    verify_backup(backup)
    expected = _file_counts(backup)
    scratch = Path(tempfile.mkdtemp(prefix="desk-drill-"))
    try:
        target = scratch / "drill.sqlite3"
        _copy(backup, target, read_only_source=True)
        restored = Store("sqlite:///" + target.as_posix())
        try:
            with restored.read() as session:
                report = audit.verify(session)
                conn = session.connection()
                counts = {n: conn.execute(select(func.count()).select_from(table(n))).scalar()
                          for n in inspect(conn).get_table_names()
                          if not n.startswith("case_grams")}
        finally:
            restored.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    differing = tuple(sorted(n for n, c in expected.items()
                             if n != "alembic_version" and counts.get(n) != c
                             and not (n == "audit_log" and counts.get(n, 0) > c)))
    problem = report.first.message if report.first else None
    return DrillReport(backup, counts, differing, report.entries, problem)
