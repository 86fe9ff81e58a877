"""The list's first pages for a word, read from the search index newest first.

The counter's list is sorted by case number, newest first, and cases are saved as they
come, so the newest matches by id are nearly the newest by number. The index hands out its
matches by falling id a chunk at a time; once enough are in hand, one question settles it:
does any case older by id belong to a day at least as new as the page's last one (a case
imported later, or another desk's case of the same day)? If not, no unread match can be on
the page. That costs a few thousand index reads and one short look along the day index,
instead of sorting every match or testing cases one by one (the slowest band of the other
plans, a word in about one case in a hundred). Not sure after ``budget`` matches: None,
and the caller plans otherwise.
"""
from __future__ import annotations

import json
from functools import cache

from sqlalchemy import Connection, Select, bindparam, func, literal_column, select, text

from desk import search_text
from desk.model import Case

CHUNK = 2000


@cache
def _matches_before():
    return text("SELECT rowid FROM case_grams WHERE case_grams MATCH :fts AND rowid < :cursor "
                "ORDER BY rowid DESC LIMIT :chunk")


@cache
def _keys(conditions: tuple) -> Select:
    # The chunk's ids as one JSON parameter: two thousand bound values cost more to pass
    # than the lookups they ask for.
    chunk = select(literal_column("value")).select_from(func.json_each(bindparam("chunk_ids")))
    return select(Case.day, Case.desk, Case.seq, Case.id).where(Case.id.in_(chunk), *conditions)


@cache
def _older_on_a_newer_day() -> Select:
    return (select(Case.id).where(Case.day >= bindparam("kth_day"),
                                  Case.id < bindparam("cursor")).limit(1))


def newest_ids(conn: Connection, needle: str, conditions: tuple, params: dict, rows: int,
               budget: int) -> list[int] | None:
    """Ids of the first ``rows`` cases in case-number order, newest first, whose search text
    holds ``needle`` and which meet ``conditions`` (bound by ``params``), on SQLite."""
    cursor = (conn.execute(select(Case.id).order_by(Case.id.desc()).limit(1)).scalar() or 0) + 1
    fts = search_text.fts_query(needle)
    keyed: list[tuple] = []
    read = 0
    while True:
        ids = list(conn.execute(_matches_before(), {"fts": fts, "cursor": cursor,
                                                    "chunk": CHUNK}).scalars())
        if ids:
            keyed += map(tuple, conn.execute(_keys(conditions),
                                             {**params, "chunk_ids": json.dumps(ids)}))
            cursor = ids[-1]
            read += len(ids)
        keyed.sort(reverse=True)   # (day, desk, seq, id), newest first
        if len(ids) < CHUNK:       # every match has been read
            return [key[3] for key in keyed[:rows]]
        if len(keyed) >= rows and conn.execute(
                _older_on_a_newer_day(), {"kth_day": keyed[rows - 1][0],
                                          "cursor": cursor}).first() is None:
            return [key[3] for key in keyed[:rows]]
        if read >= budget:
            return None
