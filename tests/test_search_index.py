"""The search index answers exactly what LIKE answers on the normalised text, on both back
ends and by both plans (few matches from the index, common words in the list's order), in
either Chinese script, and follows every change to the searched text."""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, or_, select

from desk import queries, search_newest, search_probe, search_text
from desk.model import Case
from desk.queries import CaseFilter, search_cases
from tests.helpers import T0, new_case

FIELDS = ("customer_name", "subject_name", "complaint", "request", "handling_result",
          "status_note")
# Script-neutral characters, pairs written differently in the two scripts, ASCII in both
# cases and LIKE's own characters.
NEUTRAL = "電梯好鞋坊買的一週就開膠客服人員態度不佳"
BOTH_SCRIPTS = "專专櫃柜門门務务髮发"
ASCII = "aAbB1 %_/-\n"
SLOW = settings(max_examples=25, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


def _texts(alphabet: str):
    return st.text(alphabet=alphabet, max_size=12)


def _case_texts(alphabet: str):
    return st.lists(st.tuples(*(_texts(alphabet) for _ in FIELDS)), min_size=6, max_size=6)


@pytest.fixture(params=["newest first", "from the index", "in list order"])
def plan(request, monkeypatch):
    """Force one plan: the index read newest first (SQLite; two ids a chunk, so it reads
    several and asks whether it may stop after each), sorting the index's matches, or
    testing the list's cases in order (on PostgreSQL after trying its first few)."""
    if request.param == "newest first":
        monkeypatch.setattr(search_newest, "CHUNK", 2)
    else:
        monkeypatch.setattr(search_newest, "newest_ids", lambda *args: None)
    if request.param == "from the index":
        monkeypatch.setattr(search_probe, "first_page", lambda *args: (None, None))
    if request.param == "in list order":
        # PostgreSQL first tests the list's first three cases (two days), then up to five
        # (a page there is the page), before reading the list in order.
        monkeypatch.setattr(search_probe, "probe_size", lambda _rows: 3)
        monkeypatch.setattr(search_probe, "MAX_PROBE", 5)
    most = 0 if request.param == "in list order" else 10**9
    monkeypatch.setattr(queries, "few_matches", lambda _cases, _rows: most)
    return request.param


def _found(store, text: str) -> set[str]:
    """The matching cases, after checking that every page shows them in list order."""
    with store.read() as session:
        every = [r.case_no for r in search_cases(session, CaseFilter(text=text), limit=1000)]
        for offset, limit in ((0, 1), (1, 2), (2, 3), (4, 5)):
            page = search_cases(session, CaseFilter(text=text), offset=offset, limit=limit)
            assert [r.case_no for r in page] == every[offset:offset + limit]
    # One desk: the case number's order is the list's (day, then number, newest first).
    assert every == sorted(every, reverse=True)
    return set(every)


def _write_texts(store, numbers: list[str], texts) -> None:
    with store.write(system="test") as session:
        for number, values in zip(numbers, texts):
            case = session.scalars(select(Case).where(Case.case_no == number)).one()
            for name, value in zip(FIELDS, values):
                setattr(case, name, value or ("-" if name == "customer_name" else value))


@pytest.fixture
def six_cases(store, policy, team) -> list[str]:
    # Saved in an order the days do not follow (as an imported older case would be), so
    # reading the index newest by id must still put the page in the list's order.
    return [new_case(store, policy, team.clerk, now=T0 - timedelta(days=back))
            for back in (0, 2, 1, 0, 2, 1)]


def _query(data, texts, alphabet: str) -> str:
    """Mostly a piece of a stored text, often with its last character changed (near
    misses are where a wrong index answers wrongly), sometimes any text."""
    piece = _piece(data, texts, alphabet)
    # A case number ("A-2026...") or phone/member number typed from its start is looked up
    # by prefix (tests/test_queries_prefix.py), not as text.
    stripped = piece.strip()
    digits = stripped.replace("-", "").replace(" ", "")
    assume(not (len(stripped) >= 3 and stripped[0].isalpha() and stripped[1] == "-")
           and not (digits.isdigit() and len(digits) >= 4))
    return piece


def _piece(data, texts, alphabet: str) -> str:
    if data.draw(st.booleans()):
        return data.draw(st.text(alphabet=alphabet, min_size=1, max_size=4))
    source = data.draw(st.sampled_from([v for values in texts for v in values]))
    start = data.draw(st.integers(0, max(0, len(source) - 1)))
    piece = source[start:start + data.draw(st.integers(1, 5))] or "x"
    if data.draw(st.booleans()):
        piece = piece[:-1] + data.draw(st.sampled_from(alphabet))
    return piece


@SLOW
@given(texts=_case_texts(NEUTRAL[:6] + BOTH_SCRIPTS + ASCII), data=st.data())
def test_index_finds_exactly_the_cases_holding_the_query_in_either_script(
        store, six_cases, plan, texts, data):
    query = _query(data, texts, NEUTRAL[:6] + BOTH_SCRIPTS + ASCII)
    _write_texts(store, six_cases, texts)
    needle = search_text.normalise(query.strip())
    expected = {number for number, values in zip(six_cases, texts)
                if needle and any(needle in search_text.normalise(v or "-" if n == 0 else v)
                                  for n, v in enumerate(values))}
    if not needle:   # nothing to look for: the filter is off
        expected = set(six_cases)
    assert _found(store, query) == expected


@SLOW
@given(texts=_case_texts(NEUTRAL[:6] + ASCII.lower()), data=st.data())
def test_index_agrees_with_like_on_normalised_text(store, six_cases, plan, texts, data):
    query = _query(data, texts, NEUTRAL[:6] + ASCII.lower())
    if not query.strip():
        return
    # Stored already normalised, so plain LIKE over the columns is the reference.
    _write_texts(store, six_cases, [[search_text.normalise(v) for v in values]
                                    for values in texts])
    pattern = search_text.like_pattern(search_text.normalise(query.strip()))
    with store.read() as session:
        like = set(session.scalars(select(Case.case_no).where(or_(*(
            func.lower(getattr(Case, name)).like(pattern, escape="/") for name in FIELDS)))))
    assert _found(store, query) == like


def test_simplified_finds_traditional_and_back(store, policy, team):
    traditional = new_case(store, policy, team.clerk, complaint="專櫃人員說頭髮沒有剪好",
                           subject_name="美髮沙龍")
    simplified = new_case(store, policy, team.clerk, complaint="专柜人员说头发没有剪好",
                          subject_name="美发沙龙")
    both = {traditional, simplified}
    for query in ("專櫃", "专柜", "頭髮", "头发", "美髮沙龍", "美发沙龙", "髮", "发"):
        assert _found(store, query) == both, query
    assert _found(store, "專櫃人員說頭髮沒有剪壞") == set()


def test_the_plan_follows_the_count_of_matches():
    # A page of 200 on a million cases: sort up to some thousands of matches, never more.
    assert 2_000 < queries.few_matches(1_000_000, 200) < 10_000
    assert queries.few_matches(10, 200) == 200
    assert queries.few_matches(1_000_000, 2_000) > queries.few_matches(1_000_000, 200)
