"""Prefix searches (case, phone and member numbers) are index ranges that find exactly the
values starting with the prefix, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import sys

import pytest
from sqlalchemy import select, text, update

from desk.model import Case
from desk.queries import CaseFilter, prefix_end, search_cases, starts_with
from tests.helpers import new_case

TOP = chr(sys.maxunicode)


@pytest.mark.parametrize("prefix, end", [
    ("0912", "0913"),
    ("A-20261122-000", "A-20261122-001"),
    ("A-2026112", "A-2026113"),
    ("0912-", "0912."),
    ("陳", "陴"),
    ("a" + TOP, "b"),
    ("ab" + TOP + TOP, "ac"),
    ("x\ud7ff", "x\ue000"),          # the next code after U+D7FF a text can hold
    (TOP, None),
    ("", None),
])
def test_prefix_end_is_the_first_text_past_the_prefix(prefix, end):
    assert prefix_end(prefix) == end


# Stored values chosen to sit next to the bounds: the prefix itself, one code either side
# of its last character, the highest code after it, punctuation a language's collation
# would skip, and CJK text.
PHONES = ["0912", "0912-345-678", "0912345678", "09123", "0913", "0911999", "0912" + TOP,
          "0912" + TOP + "1", "091", "0912.5", "陳", "陳a", "陳" + TOP, "陴", TOP, TOP + "x",
          "ab\ud7ffz", "ab\ue000"]
PREFIXES = ["0912", "0912-", "0912-3", "09123", "091", "0912" + TOP, "陳", "陳" + TOP, TOP,
            "ab\ud7ff", "0"]


def _phones(store, policy, team) -> None:
    numbers = [new_case(store, policy, team.clerk) for _ in PHONES]
    with store.write(system="test") as session:
        for number, phone in zip(numbers, PHONES):
            session.execute(update(Case).where(Case.case_no == number)
                            .values(customer_phone=phone))


def test_a_prefix_range_finds_exactly_the_values_starting_with_it(store, policy, team):
    _phones(store, policy, team)
    with store.read() as session:
        for prefix in PREFIXES:
            found = session.scalars(select(Case.customer_phone)
                                    .where(starts_with(Case.customer_phone, prefix,
                                                       prefix_end(prefix)))).all()
            expected = [p for p in PHONES if p.startswith(prefix)]
            assert sorted(found) == sorted(expected), prefix


def test_searching_numbers_by_prefix(store, policy, team):
    first = new_case(store, policy, team.clerk)
    second = new_case(store, policy, team.clerk, customer_phone="0912-999-000")
    other = new_case(store, policy, team.clerk, customer_phone="0913-000-000",
                     customer_member_no="0912555")
    with store.read() as session:
        def found(text):
            return sorted(r.case_no for r in search_cases(session, CaseFilter(text=text)))
        assert found("0912") == sorted([first, second, other])     # phone or member number
        assert found("0912-3") == [first]
        assert found("0912-345-678") == [first]
        assert found(first[:-1]) == sorted([first, second, other])
        assert found(first.lower()) == [first]
        assert found(second) == [second]
        assert found("B-2") == []


def test_the_number_columns_compare_by_code_point(store):
    """On PostgreSQL the columns carry the "C" collation whatever the database's own is;
    SQLite compares text that way already."""
    if store.backend != "postgresql":
        pytest.skip("SQLite compares text by code point")
    with store.engine.connect() as conn:
        collations = dict(conn.execute(text(
            "SELECT column_name, collation_name FROM information_schema.columns "
            "WHERE table_name = 'complaint_case' AND column_name IN "
            "('case_no', 'customer_phone', 'customer_member_no')")).all())
    assert collations == {"case_no": "C", "customer_phone": "C", "customer_member_no": "C"}


@pytest.mark.parametrize("column, index", [(Case.customer_phone, "ix_case_phone"),
                                           (Case.case_no, None)])
def test_the_prefix_range_is_answered_by_the_index(store, column, index):
    stmt = select(Case.id).where(starts_with(column, "0912", prefix_end("0912")))
    with store.engine.connect() as conn:
        if store.backend == "postgresql":
            conn.execute(text("SET enable_seqscan = off"))   # an empty table is read whole
            plan = "\n".join(conn.execute(text("EXPLAIN " + _literal(stmt, conn))).scalars())
            assert "Index Cond" in plan and "Seq Scan" not in plan, plan
        else:
            plan = " ".join(row[3] for row in conn.execute(
                text("EXPLAIN QUERY PLAN " + _literal(stmt, conn))))
            assert "SEARCH complaint_case USING" in plan and "INDEX" in plan, plan
        if index:
            assert index in plan, plan


def _literal(stmt, conn) -> str:
    return str(stmt.compile(conn, compile_kwargs={"literal_binds": True}))
