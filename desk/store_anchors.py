"""What ``Store`` does beside the database for the promises of issue 14: its "open here" mark
(``desk.open_lock``, which a restore respects) and the journal of every unit of work's audit
entries in the policy's anchor folder (``desk.audit.anchors``)."""
from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session


def open_mark(engine: Engine):
    """A SQLite file's "open here" mark; None for a server or an in-memory store."""
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    from desk.open_lock import OpenMark
    return OpenMark(Path(database))


def migrated(engine: Engine, upgrade) -> tuple[int, int, str] | None:
    """Upgrade the schema; the audit entries the migrations wrote (first, last, last hash),
    to be journalled once the policy names the anchor folder."""
    from desk.audit import anchors

    def head():
        with engine.connect() as conn:
            if not inspect(conn).has_table("audit_log"):
                return None
            return anchors.head_of(conn)
    before = head()
    upgrade(engine)
    after = head()
    if after is None or (before is not None and after.entry == before.entry):
        return None
    return (before.entry + 1 if before else 1), after.entry, after.hash


def use_folder(store, folder: Path | None) -> None:
    from desk.audit import anchors
    store.anchor_folder = Path(folder) if folder else None
    if store.anchor_folder is not None and store._unanchored is not None:
        pending, store._unanchored = store._unanchored, None
        with store.engine.connect() as conn:
            store._anchor_key = store._anchor_key or anchors.store_key(conn)
        journal(store, *pending)


def take_range(store, session: Session):
    """The entries this unit of work appended (first, last, last hash), or None."""
    from desk.audit import anchors
    conn = session.connection()
    appended = anchors.take_range(conn)
    if appended is not None and store._anchor_key is None:
        store._anchor_key = anchors.store_key(conn)
    return appended


def journal(store, first: int, last: int, last_hash: str) -> None:
    """Journal a committed range. The commit stands whatever happens here: a folder out of
    reach is reported by ``desk audit verify`` (entries no journal names), not to the clerk
    whose work is saved."""
    if store.anchor_folder is None or store._anchor_key is None:
        return
    from desk.audit import anchors
    from desk.model import utcnow
    try:
        anchors.write_range(store.anchor_folder, store._anchor_key, first, last, last_hash,
                            utcnow().isoformat(), reset=store.anchor_reset)
        store.anchor_reset = False
    except OSError:
        logging.getLogger(__name__).warning("anchor folder %s not written", store.anchor_folder)
