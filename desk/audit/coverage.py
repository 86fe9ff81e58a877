"""Which tables ``desk audit verify`` answers for: every table of the store is either audited
(each row compared with its last log entry), checked by a rule of its own, or derived from the
others (rebuilt, never a decision). A table in none of the three fails a test, so a new table
cannot hold a decision nobody checks. Add a new table here, in one of the three lists."""
from __future__ import annotations

from collections.abc import Iterable

from desk.audit.log import AUDITED, _discover

# Checked by verify with a rule of its own rather than against log entries.
CHECKED: dict[str, str] = {
    "case_sequence": "case numbering: each desk's day counter must equal the last number its "
                     "cases use (a counter set back would issue a number twice, one set "
                     "forward leaves a gap in the pad)",
}

# Derived or bookkeeping: rebuilt from the audited tables or kept by the tools themselves.
DERIVED: dict[str, str] = {
    "audit_log": "the log itself: verify walks its hash chain and checks it against anchors",
    "alembic_version": "the schema revision, written by migrations; a wrong one is refused "
                       "when the store opens",
    "case_search": "the search index, rebuilt from the cases (desk.search_index.rebuild)",
}
DERIVED_PREFIXES = ("case_grams",)   # SQLite FTS5's own tables of the search index


def audited_tables() -> dict[str, str]:
    """Table name -> audit entity, for every table compared row by row."""
    _discover()
    return {spec.model.__table__.name: spec.entity for spec in AUDITED.values()}


def unclassified(tables: Iterable[str]) -> list[str]:
    """The tables among ``tables`` that are neither audited, checked nor derived."""
    audited = audited_tables()
    return sorted(name for name in tables
                  if name not in audited and name not in CHECKED and name not in DERIVED
                  and not name.startswith(DERIVED_PREFIXES))
