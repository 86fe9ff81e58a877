"""The same store on SQLite and PostgreSQL: one set of migrations creates and upgrades both,
desks starting at once take turns migrating, and instants survive a server in another zone."""
from __future__ import annotations

import subprocess
import sys
import os
import uuid
from datetime import datetime, timezone

import pytest
from alembic import command
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect, select, text

from desk import services
from desk.model import Case
from desk.store import Store, alembic_config

from conftest import NO_PG
from tests.helpers import schema_diff


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """The URL of an empty database (no tables) on each back end."""
    if request.param == "sqlite":
        yield "sqlite:///" + (tmp_path / "empty.sqlite3").as_posix()
        return
    if not os.environ.get("DESK_TEST_PG_URL"):
        pytest.skip(NO_PG)
    server = request.getfixturevalue("pg_server")
    name = f"desk_empty_{uuid.uuid4().hex[:10]}"
    with server.admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    yield server.url_of(name)
    server.drop(name)


def test_the_migrations_build_exactly_the_model(store):
    with store.engine.connect() as conn:
        diff = schema_diff(conn)
    assert diff == [], diff


def test_an_old_store_is_upgraded_step_by_step_to_every_head(empty_url):
    engine = create_engine(empty_url)
    cfg = alembic_config(engine)
    script = ScriptDirectory.from_config(cfg)
    command.upgrade(cfg, "0001")                     # a store from the first release
    engine.dispose()
    st = Store(empty_url)                            # opening it upgrades the rest
    try:
        with st.engine.connect() as conn:
            current = set(MigrationContext.configure(conn).get_current_heads())
        assert current == set(script.get_heads())
        assert {"complaint_case", "staff", "case_sequence"} <= set(inspect(st.engine).get_table_names())
    finally:
        st.close()


def test_desks_starting_together_on_an_empty_database_migrate_once(empty_url):
    # Four separate programs, as four counter PCs would start (plain processes with a time
    # limit: a pool that loses a worker waits for ever).
    code = "import sys; from desk.store import Store; Store(sys.argv[1]).close()"
    desks = [subprocess.Popen([sys.executable, "-c", code, empty_url], stderr=subprocess.PIPE,
                              text=True) for _ in range(4)]
    for desk in desks:
        _, err = desk.communicate(timeout=120)
        assert desk.returncode == 0, err[-2000:]
    st = Store(empty_url)
    try:
        with st.engine.connect() as conn:
            diff = schema_diff(conn)
        assert diff == []
    finally:
        st.close()


def test_instants_survive_a_server_session_in_another_zone(pg_server, policy):
    """A shared server may run in local time; stored instants must not move with it."""
    name = f"desk_tz_{uuid.uuid4().hex[:10]}"
    with pg_server.admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {pg_server.template}"))
    url = pg_server.url_of(name) + "?options=-c%20timezone%3DAmerica/New_York"
    st = None
    try:
        st = Store(url)
        with st.write(system="test") as session:
            services.add_staff(session, policy, "C001", "陳美玲", "clerk", "4821")
            clerk = services.actor_for(session, "C001")
        received = datetime(2026, 11, 20, 16, 30, tzinfo=timezone.utc)  # 00:30 next day, Taipei
        with st.write(system="test") as session:
            services.take_complaint(session, policy, clerk, services.CaseInput(
                desk="A", channel="phone", customer_name="周先生", category="facility",
                complaint="停車場照明不足", motive="vent", severity=1, subject_kind="facility",
                received_at=received), now=received)
        with st.read() as session:
            assert session.execute(text("SHOW timezone")).scalar() == "America/New_York"
            case = session.scalars(select(Case)).one()
        assert case.received_at == received and case.received_at.tzinfo is not None
        assert case.day.isoformat() == "2026-11-21" and case.case_no == "A-20261121-0001"
    finally:
        if st is not None:
            st.close()
        pg_server.drop(name)


def test_a_demo_store_takes_new_complaints(store, policy):
    """Bulk fills insert explicit ids; PostgreSQL's sequences must be moved past them."""
    from desk.demo import fill_demo
    fill_demo(store, policy, 30)
    with store.read() as session:
        clerk = services.actor_for(session, "C001")
    with store.write(system="test") as session:
        case = services.take_complaint(session, policy, clerk, services.CaseInput(
            desk="A", channel="counter", customer_name="周先生", category="facility",
            complaint="停車場照明不足", motive="vent", severity=1, subject_kind="facility"))
    assert case.id > 30
