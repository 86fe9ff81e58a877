"""The list's first pages for a word on PostgreSQL, tried among the list's first cases.

On PostgreSQL the search index (GIN over character pairs) hands out its matches in no order,
so the list decides how to look by counting matches up to a break-even number
(``queries.few_matches``): few are sorted, more mean the list is read in its own order,
testing each case. At ten million cases that count is the slow part for a common word:
the index builds a bitmap of every case holding the pair (a million for 電梯, about 0.8 s)
before the first match is tested, and a word in about one case in a hundred reads some
twenty thousand search texts to learn it is common.

A common word fills a page within the list's first few thousand cases, so those are tested
first, in the list's order (``probe_select``). If the page is full, it is the page: the same
cases the other plans give, since every one of the first matches lies among the cases
tested. If not, the share of matches among them says roughly how far down the page lies
(``next_probe``: tested next when near) and how many the store holds: the caller skips the
count when the index's answer would clearly be too long to sort.
"""
from __future__ import annotations

import math
from functools import lru_cache
from typing import Callable

from sqlalchemy import Select, bindparam, exists, select

from desk import search_text
from desk.model import Case
from desk.search_index import CASE_SEARCH

# Cases tested first: about 15 ms on PostgreSQL when they are not enough (a rare word), and
# enough for a page of 200 when one case in ten holds the word. When the share found says
# a page lies within MAX_PROBE cases, those are tested next (a word in one case in fifty:
# about 100 ms on a busy machine, against a second or more to count its matches).
PROBE = 2000
MAX_PROBE = 20_000


def probe_size(rows: int) -> int:
    """Cases tested first for a page of ``rows`` (offset + limit): a page further down the
    list needs more of them."""
    return max(PROBE, 10 * rows)


def next_probe(rows: int, share: float, tested: int) -> int | None:
    """Cases worth testing next, when ``share`` of the ``tested`` first ones held the word:
    twice what a page of ``rows`` should need, if that is more than were tested and at most
    MAX_PROBE; otherwise None (a rare word: the index answers it sooner)."""
    if share <= 0:
        return None
    wanted = math.ceil(2 * rows / share)
    return wanted if tested < wanted <= MAX_PROBE else None


@lru_cache(maxsize=64)
def probe_select(row_select: Select, conditions: tuple, columns: tuple,
                 descending: bool) -> Select:
    """The page's rows among the first ``:probe`` cases meeting ``conditions`` in the order
    of ``columns`` (then id), whose search text is ``LIKE :pattern``. ``row_select`` and
    ``conditions`` come from the caller's caches, so one statement per shape is built."""
    def ordered(cols):
        return [c.desc() if descending else c.asc() for c in cols]
    first = (select(Case.id, *columns).where(*conditions)
             .order_by(*ordered(columns), Case.id.desc()).limit(bindparam("probe")).subquery())
    inner = [first.c[c.key] for c in columns]
    page = (select(first.c.id)
            .where(exists().where(CASE_SEARCH.c.case_id == first.c.id,
                                  CASE_SEARCH.c.body.like(bindparam("pattern"), escape="/")))
            .order_by(*ordered(inner), first.c.id.desc())
            .offset(bindparam("offset")).limit(bindparam("limit")))
    return (row_select.where(Case.id.in_(page.scalar_subquery()))
            .order_by(*ordered(columns), Case.id.desc()))


def first_page(run: Callable[[dict], list], params: dict, needle: str,
               rows: int) -> tuple[list | None, float | None]:
    """The page if the list's first cases hold it (``run`` executes ``probe_select`` with
    the values given), else (None, the share of those cases holding the word; None past
    the first page, where the matches skipped are not counted)."""
    pattern = search_text.like_pattern(needle)
    probe: int | None = probe_size(rows)
    share = None
    while probe is not None:
        found = run(params | {"probe": probe, "pattern": pattern})
        if len(found) == params["limit"]:
            return found, None
        if params["offset"]:
            return None, None
        share = len(found) / probe
        probe = next_probe(rows, share, probe)
    return None, share
