"""The weekly table shows where the period's costs are and what is still owed, counts
complaints about attitude per staff member (the one found at fault first) and flags a desk
past the policy's weekly count; the 8D record's eighth step, recognition."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from desk import corrective
from desk.app.money import Money
from desk.errors import TransitionError
from desk.i18n import set_locale
from desk.reports import stats
from desk.reports.tables import build_tables
from tests.conftest import fresh_sqlite_store
from tests.helpers import T0, new_case
from tests.money_support import accepted_cost, add_finance


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


@pytest.fixture
def store(tmp_path, sqlite_template):
    """SQLite only: the report's queries are plain selects; the money services run on PostgreSQL in test_money_costs."""
    st = fresh_sqlite_store(sqlite_template, tmp_path / "desk.sqlite3")
    yield st
    st.close()


@pytest.fixture
def sqlite_store(store):
    return store


def test_the_week_shows_costs_by_state_and_what_is_owed(sqlite_store, policy, team):
    store = sqlite_store
    fin = add_finance(store, policy, team.gm)
    waiting = accepted_cost(store, policy, team.clerk, amount="300")
    paid = accepted_cost(store, policy, team.clerk, amount="120")
    Money(store, policy, lambda: fin.one).approve(paid, 1)
    Money(store, policy, lambda: fin.two).pay(paid, 1, "cash")
    with store.read() as session:
        week = stats.week_stats(session, policy, T0.date(), now=T0 + timedelta(days=1))
    assert [(c.key, c.count, c.amount) for c in week.cost_states] == [
        ("awaiting_finance", 1, Decimal(300)), ("paid", 1, Decimal(120))]
    assert week.unpaid_total == Decimal(300)
    table = {t.key: t for t in build_tables(week, policy)}["cost_states"]
    assert table.rows[-1] == ("Not paid yet", None, Decimal(300))
    assert waiting


def test_attitude_complaints_per_staff_and_a_desk_past_the_weekly_count(
        sqlite_store, policy, team):
    store = sqlite_store
    cases = [new_case(store, policy, team.clerk, now=T0 + timedelta(hours=i),
                      category="service_attitude", subject_kind="staff", subject_name=None,
                      subject_staff="C002") for i in range(4)]
    new_case(store, policy, team.clerk, now=T0, desk="B", category="service_attitude")
    Money(store, policy, lambda: team.supervisor).record_finding(cases[0], "C001",
                                                                 "it was the other clerk")
    with store.read() as session:
        week = stats.week_stats(session, policy, T0.date(), now=T0 + timedelta(days=1))
    assert [(c.key, c.count) for c in week.attitude_by_staff] == [
        ("張雅婷 (C002)", 3), ("陳美玲 (C001)", 1)]
    assert [(c.key, c.count) for c in week.attitude_flagged] == [("A", 4)]   # B has one
    rows = {t.key: t for t in build_tables(week, policy)}["attitude"].rows
    assert rows[-1] == ("Desk A: more than 3 in a week, flagged to its manager", 4)


def test_recognition_is_the_eighth_step_and_may_follow_verification(
        sqlite_store, policy, team):
    store = sqlite_store
    case_no = new_case(store, policy, team.clerk, severity=3)
    with store.write(team.supervisor) as session:
        record = corrective.open_root_cause(session, policy, team.supervisor, [case_no],
                                            "Escalator stops", "stopped twice")
        record_id = record.id
        corrective.update_root_cause(session, policy, team.supervisor, record_id,
                                     containment="closed", root_cause="sensor",
                                     permanent_fix="new sensor", verification="a week ok",
                                     prevention="monthly check")
        corrective.verify_root_cause(session, policy, team.supervisor, record_id)
    with store.write(team.supervisor) as session:
        with pytest.raises(TransitionError):
            corrective.update_root_cause(session, policy, team.supervisor, record_id,
                                         prevention="changed")
    with store.write(team.supervisor) as session:
        corrective.update_root_cause(session, policy, team.supervisor, record_id,
                                     recognition="engineering team thanked at the meeting")
    with store.read() as session:
        row = corrective.root_causes(session, open_only=False)[0]
    assert row.recognition == "engineering team thanked at the meeting"
