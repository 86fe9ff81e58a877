"""Case numbers like a pre-numbered paper pad: desk letter, date, daily sequence, no gaps.

The counter row is bumped with one upsert in the same transaction that inserts the case, so
a rolled-back intake gives its number back and two desks writing at once queue on the row
lock (PostgreSQL) or the database lock (SQLite, ``BEGIN IMMEDIATE``).
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from desk.errors import N_, ValidationError
from desk.model import CaseSequence

DESK_LETTER = re.compile(r"^[A-Z][A-Z0-9]?$")


def check_desk(desk: object) -> str:
    if not isinstance(desk, str) or not DESK_LETTER.match(desk):
        raise ValidationError(N_("a desk is one capital letter, optionally followed by a letter "
                                 "or digit (A, B2)"), field="desk")
    return desk


def format_case_no(desk: str, day: date, seq: int) -> str:
    return f"{desk}-{day:%Y%m%d}-{seq:04d}"


def allocate(session: Session, desk: str, day: date) -> int:
    # Each back end's insert is imported when used: the PostgreSQL dialect package (with its
    # asyncpg module) costs a counter app on SQLite a few tens of milliseconds at start.
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert

        from desk.audit.chain import lock_log
        lock_log(session.connection())   # the one lock order: the log's, then this row
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(CaseSequence).values(desk=desk, day=day, last=1)
    stmt = stmt.on_conflict_do_update(index_elements=[CaseSequence.desk, CaseSequence.day],
                                      set_={"last": CaseSequence.last + 1})
    return session.execute(stmt.returning(CaseSequence.last)).scalar_one()
