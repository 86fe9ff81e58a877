"""The read side: a day's cases, search, one case in full, what is overdue. Returns frozen
rows (defined in ``desk.views``, and importable from here too) so screens and forms never
hold live ORM objects."""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache, lru_cache

from sqlalchemy import Select, and_, bindparam, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from desk import (deadlines, money, rules, search_index, search_newest, search_probe,
                  search_text, sql_rows)
from desk.errors import N_, NotFound
from desk.model import Case, Offer, Staff, utcnow
from desk.policy import Policy
from desk.views import CaseDetail, CaseRow, StaffRow, detail_of


def _offer_total():
    return (select(func.coalesce(func.sum(Offer.amount), 0))
            .where(Offer.case_id == Case.id, money.counted_clause())
            .correlate(Case).scalar_subquery())


# Statements are immutable, so the common ones are built once: building this select took
# about a sixth of a day list's time.
@cache
def _row_select() -> Select:
    """The columns of a ``CaseRow``, in its field order."""
    return (select(Case.case_no, Case.received_at, Case.desk, Case.status, Case.level,
                   Case.severity, Case.category, Case.customer_name, Case.customer_phone,
                   Case.subject_name, Staff.name, Case.resolution_due, Case.promised_reply_at,
                   Case.follow_up_due, _offer_total(), func.substr(Case.complaint, 1, 80),
                   Case.first_contact_due, Case.first_contact_at, Case.resolved_at)
            .join(Staff, Staff.id == Case.handler_id))


@cache
def _day_select(one_desk: bool) -> Select:
    stmt = _row_select().where(Case.day == bindparam("day"))
    if one_desk:
        stmt = stmt.where(Case.desk == bindparam("desk"))
    return stmt.order_by(Case.desk, Case.seq)


def _rows(session: Session, stmt: Select, params: dict | None = None, *,
          kept: bool = False) -> list[CaseRow]:
    """The statement's rows as ``CaseRow``s. A ``kept`` statement (built once by a cached
    builder) runs on SQLite compiled once, on the session's DBAPI connection
    (desk.sql_rows); otherwise as plain Core rows on the session's connection: an
    ORM-enabled session.execute() adds its own row machinery, about as costly again as the
    query for a day's list. The column types give aware UTC instants and Decimal totals."""
    if kept:
        plan = sql_rows.plan_for(stmt, session.get_bind().dialect)
        if plan is not None:
            return plan.builder(CaseRow)(plan.run(session, params))
    return _case_rows(session.connection().execute(stmt, params).all())


_case_rows = sql_rows.frozen(CaseRow)


def day_cases(session: Session, day: date, desk: str | None = None) -> list[CaseRow]:
    """A desk's (or every desk's) cases of one business day, in number order."""
    return _rows(session, _day_select(bool(desk)), {"day": day, "desk": desk}, kept=True)


@dataclass(frozen=True)
class CaseFilter:
    statuses: tuple[str, ...] = ()
    levels: tuple[str, ...] = ()
    severities: tuple[int, ...] = ()
    desks: tuple[str, ...] = ()
    text: str = ""
    day_from: date | None = None
    day_to: date | None = None
    open_or_day: date | None = None   # the counter's default list: every open case + that day's


SORTABLE = {"case_no": (Case.day, Case.desk, Case.seq), "received_at": (Case.received_at,),
            "status": (Case.status,), "level": (Case.level,), "severity": (Case.severity,),
            "customer_name": (Case.customer_name,), "resolution_due": (Case.resolution_due,)}


def search_cases(session: Session, flt: CaseFilter, *, offset: int = 0, limit: int = 200,
                 sort: str = "case_no", descending: bool = True) -> list[CaseRow]:
    """One page of cases matching the filter; the list fetches further pages as it scrolls."""
    search_index.settle(session)   # what this unit of work changed is searched too
    params: dict = {"offset": offset, "limit": limit}
    for name in _CONDITIONS:
        value = getattr(flt, name)
        if value:
            params[name] = list(value) if isinstance(value, tuple) else value
    kind, words = _text_params(flt.text.strip())
    present = frozenset(params) - {"offset", "limit"}
    if kind == "words":
        if sort in ("case_no", "") and descending and session.get_bind().dialect.name == "sqlite":
            ids = _newest_page(session, words["needle"], present, params, offset + limit)
            if ids is not None:
                page = ids[offset:]
                return _rows(session, _ids_select(), {"ids": page}) if page else []
        share = None
        if sort in ("case_no", "") and session.get_bind().dialect.name == "postgresql":
            stmt = search_probe.probe_select(_row_select(), _conditions(present),
                                             SORTABLE["case_no"], descending)
            found, share = search_probe.first_page(
                lambda values: _rows(session, stmt, values), params, words["needle"],
                offset + limit)
            if found is not None:
                return found
        kind, words = _word_plan(session, words["needle"], offset + limit, share)
        if kind is None:
            return []
    stmt = _search_select(present, kind, sort if sort in SORTABLE else "case_no", descending,
                          session.get_bind().dialect.name if kind == "ids" else "")
    return _rows(session, stmt, params | words, kept=True)


# A filter's values are bound parameters, so one statement per shape of filter is built
# (and its cache key computed) once: that was a fifth of a search for a day's numbers.
_CONDITIONS = {
    "statuses": lambda: Case.status.in_(bindparam("statuses", expanding=True)),
    "levels": lambda: Case.level.in_(bindparam("levels", expanding=True)),
    "severities": lambda: Case.severity.in_(bindparam("severities", expanding=True)),
    "desks": lambda: Case.desk.in_(bindparam("desks", expanding=True)),
    "day_from": lambda: Case.day >= bindparam("day_from"),
    "day_to": lambda: Case.day <= bindparam("day_to"),
    "open_or_day": lambda: or_(Case.status.in_([s.value for s in rules.ACTIVE]),
                               Case.day == bindparam("open_or_day")),
}
# Both prefixes start with a letter or a digit, so some text sorts above every value
# starting with them: their prefix_end is never None.
_PREFIX = bindparam("prefix"), bindparam("prefix_end")
_TEXT_MATCH = {
    "case_no": lambda: starts_with(Case.case_no, *_PREFIX),
    "number": lambda: or_(starts_with(Case.customer_phone, *_PREFIX),
                          starts_with(Case.customer_member_no, *_PREFIX)),
    "common": lambda: exists().where(
        search_index.CASE_SEARCH.c.case_id == Case.id,
        search_index.CASE_SEARCH.c.body.like(bindparam("pattern"), escape="/")),
}
# Matches taken from the index cost about four times what testing one case of the list in
# its own order does; a page needs (offset + limit) * cases / matches of those tests. Up to
# the break-even count the index's matches are sorted, past it the list is read in order
# (a common word fills a page within a few thousand cases; sorting all its matches would
# take 150-300 ms on a million). The count is never more than a few thousand.
INDEX_COST = 4.0


def few_matches(cases: int, rows: int) -> int:
    """The most matches worth sorting for a page of ``rows`` (offset + limit)."""
    return max(200, math.isqrt(int(cases * rows / INDEX_COST)))


def _newest_page(session: Session, needle: str, present: frozenset[str], params: dict,
                 rows: int) -> list[int] | None:
    """The default list's first ``rows`` matches from the index, newest first (None: not
    settled within the matches worth sorting; see desk.search_newest)."""
    conn = session.connection()
    cases = conn.execute(select(func.max(Case.id))).scalar() or 0
    return search_newest.newest_ids(conn, needle, _conditions(present), params, rows,
                                    few_matches(cases, rows))


@lru_cache(maxsize=256)
def _conditions(present: frozenset[str]) -> tuple:
    return tuple(_CONDITIONS[name]() for name in sorted(present))


@cache
def _ids_select() -> Select:
    order = [c.desc() for c in SORTABLE["case_no"]] + [Case.id.desc()]
    return _row_select().where(Case.id.in_(bindparam("ids", expanding=True))).order_by(*order)


def _word_plan(session: Session, needle: str, rows: int,
               share: float | None = None) -> tuple[str | None, dict]:
    """How to find cases whose search text holds ``needle``: by the index's ids when they
    are few (None: there are none), by testing the list's cases in order when common.
    ``share``: the part of the list's first cases holding it (desk.search_probe); when it
    promises far more matches than are worth sorting, they are not counted."""
    conn = session.connection()
    cases = conn.execute(select(func.max(Case.id))).scalar() or 0
    cap = few_matches(cases, rows)
    if share is not None and share * cases > 2 * cap:
        return "common", {"pattern": search_text.like_pattern(needle)}
    ids = search_index.matching_ids(conn, needle, cap + 1)
    if not ids:
        return None, {}
    if len(ids) <= cap:
        return "ids", search_index.match_params(conn.dialect.name, needle)
    return "common", {"pattern": search_text.like_pattern(needle)}


@lru_cache(maxsize=256)
def _search_select(present: frozenset[str], kind: str | None, sort: str,
                   descending: bool, dialect: str) -> Select:
    conditions = [_CONDITIONS[name]() for name in sorted(present)]
    order = [c.desc() if descending else c.asc() for c in SORTABLE[sort]] + [Case.id.desc()]
    if kind in ("ids", "common"):
        # The page's ids first, then its rows: ordered index and search text are read
        # without the case rows, and offers are summed for the page only.
        match = (Case.id.in_(search_index.matching(dialect)) if kind == "ids"
                 else _TEXT_MATCH[kind]())
        page = (select(Case.id).where(*conditions, match)
                .order_by(*order).offset(bindparam("offset")).limit(bindparam("limit")))
        return _row_select().where(Case.id.in_(page.scalar_subquery())).order_by(*order)
    stmt = _row_select().where(*conditions)
    if kind:
        stmt = stmt.where(_TEXT_MATCH[kind]())
    return stmt.order_by(*order).offset(bindparam("offset")).limit(bindparam("limit"))


def _text_params(text: str) -> tuple[str | None, dict]:
    """Case number and phone by prefix (indexed); any other text by substring of the search
    text (desk.search_index: names, subject, complaint, request, result and notes), in
    either Chinese script."""
    upper = text.upper()
    if len(upper) >= 3 and upper[0].isalpha() and upper[1] == "-":
        return "case_no", {"prefix": upper, "prefix_end": prefix_end(upper)}
    digits = text.replace("-", "").replace(" ", "")
    if digits.isdigit() and len(digits) >= 4:
        return "number", {"prefix": text, "prefix_end": prefix_end(text)}
    needle = search_text.normalise(text)
    if needle:
        return "words", {"needle": needle}
    return None, {}


def starts_with(column, prefix, end):
    """Values of a ``code_point_string`` column that start with ``prefix``, given as the
    range ``prefix <= value < end`` (``end`` from ``prefix_end``; None: no upper bound),
    which the column's index answers on both back ends. ``LIKE 'prefix%'`` read every row
    on SQLite (its LIKE ignores ASCII case, its indexes do not) and on PostgreSQL unless
    the database's collation is plain "C"."""
    return column >= prefix if end is None else and_(column >= prefix, column < end)


def prefix_end(prefix: str) -> str | None:
    """The smallest text, in character code order, above every text starting with
    ``prefix``: its last character moved one code up. A last character that is already the
    highest code is dropped and the one before it moved instead; None when nothing is
    above (empty, or only highest codes). Surrogates are skipped: no stored text has them."""
    chars = list(prefix)
    while chars:
        code = ord(chars.pop()) + 1
        if code <= sys.maxunicode:
            return "".join(chars) + chr(0xE000 if 0xD800 <= code <= 0xDFFF else code)
    return None


def customer_history(session: Session, phone: str | None = None, member_no: str | None = None,
                     exclude: str | None = None, limit: int = 20) -> list[CaseRow]:
    """Earlier cases of the same customer (by phone or member number), newest first."""
    conditions = []
    if phone:
        conditions.append(Case.customer_phone == phone)
    if member_no:
        conditions.append(Case.customer_member_no == member_no)
    if not conditions:
        return []
    stmt = _row_select().where(or_(*conditions))
    if exclude:
        stmt = stmt.where(Case.case_no != exclude)
    return _rows(session, stmt.order_by(Case.received_at.desc()).limit(limit))


def overdue(session: Session, policy: Policy, now: datetime | None = None,
            within: timedelta = timedelta(0)) -> list[CaseRow]:
    """Active cases that ``desk.deadlines.sla_state`` calls overdue (or due soon, given
    ``within``): past first contact, the promised reply or resolution. Follow-up calls
    have their own count (``desk.followup.overdue_follow_ups``)."""
    now = now or utcnow()
    stmt = _row_select().where(deadlines.overdue_clause(Case, now, within))
    return _rows(session, stmt.order_by(Case.resolution_due, Case.id))


def overdue_count(session: Session, now: datetime | None = None) -> int:
    """How many cases ``overdue`` lists (the status bar's figure, counted by the store)."""
    return session.scalar(select(func.count()).select_from(Case)
                          .join(Staff, Staff.id == Case.handler_id)
                          .where(deadlines.overdue_clause(Case, now or utcnow(),
                                                          timedelta(0))))


_LOADED = "loaded_cases"   # session.info: the cases this unit of work has loaded, by number


def remember_case(session: Session, case: Case) -> None:
    """A case the unit of work just made, with every part it has: load_case need not ask."""
    session.info.setdefault(_LOADED, {})[case.case_no] = case


def forget_case(session: Session, case_no: str) -> None:
    """Done with this case: the session may let it go (a long import stays small)."""
    session.info.get(_LOADED, {}).pop(case_no, None)


def load_case(session: Session, case_no: str, field: str = "case_no") -> Case:
    if not str(case_no).isprintable() or len(str(case_no)) > 40:   # never a case number
        raise NotFound(N_("no case numbered {value}"), field=field, value=repr(case_no)[:40])
    key = str(case_no).strip().upper()
    # Within one unit of work every change to a case goes through this same object, so a
    # case loaded once is current; an import replaying a dozen events per case reloads
    # nothing (the session is new for every unit of work).
    loaded = session.info.setdefault(_LOADED, {})
    case = loaded.get(key)
    if case is not None and case in session:
        return case
    case = session.scalar(select(Case).where(Case.case_no == key)
                          .options(selectinload(Case.steps), selectinload(Case.offers),
                                   selectinload(Case.assists), selectinload(Case.history),
                                   selectinload(Case.follow_ups), selectinload(Case.attachments),
                                   selectinload(Case.prints), selectinload(Case.contacts)))
    if case is None:
        raise NotFound(N_("no case numbered {value}"), field=field, value=str(case_no)[:40])
    loaded[key] = case
    return case


def case_detail(session: Session, case_no: str) -> CaseDetail:
    from desk.cost_views import with_money   # its tables load with the first detail shown
    case = load_case(session, case_no)
    return with_money(session, case, detail_of(case, session))


def staff_rows(session: Session) -> list[StaffRow]:
    return [StaffRow(s.staff_no, s.name, s.role, s.active, s.locked_until)
            for s in session.scalars(select(Staff).order_by(Staff.staff_no))]
