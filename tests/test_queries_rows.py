"""The case list's rows on both back ends: aware UTC instants however they were written,
Decimal totals, and frozen rows equal to ones built the ordinary way."""
from __future__ import annotations

import dataclasses
import sqlite3
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from desk import services
from desk.enums import Step
from desk.queries import CaseFilter, CaseRow, day_cases, search_cases
from tests.helpers import T0, new_case, walk

DAY = T0.date()


def test_instants_come_back_aware_in_utc(store, policy, team):
    no = new_case(store, policy, team.clerk)          # taken at 14:00 in UTC+8
    walk(store, policy, no, team.clerk, Step.COMMIT)  # promises a reply two hours on
    with store.read() as session:
        [row] = day_cases(session, DAY)
        [found] = search_cases(session, CaseFilter(text=no))
    assert found == row
    assert row.received_at == T0
    assert row.received_at.tzinfo == timezone.utc and row.received_at.hour == 6
    for instant in (row.resolution_due, row.promised_reply_at):
        assert instant.tzinfo == timezone.utc
    assert row.follow_up_due is None


def test_totals_are_decimal_money(store, policy, team):
    no = new_case(store, policy, team.clerk)
    at = walk(store, policy, no, team.clerk, Step.PROPOSE)
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 800,
                            approver=team.supervisor, now=at)
    bare = new_case(store, policy, team.clerk, customer_phone="0987-000-111")
    with store.read() as session:
        totals = {r.case_no: r.total for r in day_cases(session, DAY, "A")}
    assert totals == {no: Decimal("800"), bare: Decimal("0")}
    assert all(type(t) is Decimal for t in totals.values())


def test_rows_are_the_frozen_rows_the_constructor_builds(store, policy, team):
    new_case(store, policy, team.clerk)
    with store.read() as session:
        [row] = day_cases(session, DAY)
    rebuilt = CaseRow(**{f.name: getattr(row, f.name) for f in dataclasses.fields(CaseRow)})
    assert row == rebuilt and hash(row) == hash(rebuilt) and repr(row) == repr(rebuilt)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.status = "closed"
    assert dataclasses.replace(row, status="closed").status == "closed"


@pytest.mark.parametrize("stored, expected", [
    ("2026-11-22 06:00:00.000000", T0),                  # as SQLAlchemy writes it
    ("2026-11-22 06:00:00", T0),                         # without a fraction
    ("2026-11-22T06:00", T0),                            # by hand, ISO
    ("2026-11-22 14:00:00+08:00", T0),                   # with an offset
    ("2026-11-22", datetime(2026, 11, 22, tzinfo=timezone.utc)),  # a date alone
])
def test_sqlite_instants_written_by_other_tools_read_as_utc(tmp_path, policy, stored,
                                                            expected):
    from desk.store import Store
    from tests.conftest import make_team
    path = tmp_path / "other-tools.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    try:
        no = new_case(store, policy, make_team(store, policy).clerk)
        with sqlite3.connect(path) as raw:
            raw.execute("UPDATE complaint_case SET received_at = ? WHERE case_no = ?",
                        (stored, no))
        with store.read() as session:
            [row] = day_cases(session, DAY)
    finally:
        store.close()
    assert row.received_at == expected
    assert row.received_at.utcoffset() == timedelta(0)


def test_compiled_lists_give_what_sqlalchemy_gives(store, policy, team):
    """The day list and the searches compiled once (desk.sql_rows) return rows identical,
    to the repr, to the same statement run through Connection.execute."""
    from desk import queries
    no = new_case(store, policy, team.clerk, customer_phone="0912-345-678")
    at = walk(store, policy, no, team.clerk, Step.PROPOSE)
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 800,
                            approver=team.supervisor, now=at)
    new_case(store, policy, team.clerk, customer_phone="0912-345-679")
    with store.read() as session:
        for stmt, params in (
                (queries._day_select(False), {"day": DAY}),
                (queries._day_select(True), {"day": DAY, "desk": "A"}),
                (queries._search_select(frozenset(), "number", "case_no", True, ""),
                 {"prefix": "0912", "prefix_end": "0913", "offset": 0, "limit": 200})):
            ours = queries._rows(session, stmt, params, kept=True)
            theirs = queries._rows(session, stmt, params)
            assert len(ours) == 2 and repr(ours) == repr(theirs) and ours == theirs
            if session.get_bind().dialect.name == "sqlite":
                assert queries.sql_rows.plan_for(stmt, session.get_bind().dialect)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_compiled_list_fails_as_any_statement_does(store, policy, team):
    """A store the driver cannot read raises SQLAlchemy's error, which the screens turn
    into a plain sentence, whether the list runs compiled or through SQLAlchemy."""
    from sqlalchemy.exc import OperationalError
    new_case(store, policy, team.clerk)
    with sqlite3.connect(store.path) as raw:
        raw.execute("ALTER TABLE staff RENAME TO staff_elsewhere")
    with store.read() as session, pytest.raises(OperationalError, match="no such table"):
        day_cases(session, DAY)
