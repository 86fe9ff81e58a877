"""A PIN checked against a SQLite store's file with the bare driver, before SQLAlchemy loads.

The counter app calls this on its loader thread: argon2's 19 MiB of working memory is given
back before the ORM's arrives, so the two never add up in the app's peak. Nothing here decides
a sign-in: a match is only remembered once (``desk.security.check_ahead``), and the sign-in
that follows still runs every rule (locks, failure counts, rehash) and skips only the
repeated hash.
"""
from __future__ import annotations

from pathlib import Path


def stored_pin_hash(db: str | None, staff_no: str | None) -> str | None:
    """The staff member's PIN hash read from a SQLite store's file (read-only), or None for
    anything unusual (a server, no such file, table or staff): the sign-in then checks all."""
    if not (db and staff_no) or ("://" in db and not db.startswith("sqlite:///")):
        return None
    import sqlite3   # only when asked: a store on a server never needs it
    path = Path(db.removeprefix("sqlite:///")).expanduser().resolve()
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT pin_hash FROM staff WHERE staff_no = ?",
                                     (staff_no.strip(),)).fetchone()
        finally:
            connection.close()
    except (sqlite3.Error, ValueError, OSError):
        return None
    return row[0] if row and isinstance(row[0], str) else None
