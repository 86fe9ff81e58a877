"""On PostgreSQL the audit log only grows: a trigger refuses rewriting, deleting or emptying
it (even by the owner), and the desks' own role, granted with ``desk db grant``, can read and
add entries and purge personal values but can neither rewrite entries nor lift the trigger."""
from __future__ import annotations

import os
import secrets

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from desk import audit
from desk.cli import main
from desk.store import Store
from tests.conftest import NO_PG, PINS, make_team
from tests.helpers import new_case

pytestmark = pytest.mark.skipif(not os.environ.get("DESK_TEST_PG_URL"), reason=NO_PG)

REWRITES = [
    "UPDATE audit_log SET hash = repeat('0', 64) WHERE id = 3",
    "UPDATE audit_log SET staff_no = 'X' WHERE id = 3",
    "UPDATE audit_log SET id = id + 1000 WHERE id = (SELECT max(id) FROM audit_log)",
    "DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)",
    "TRUNCATE audit_log",
]


@pytest.fixture
def pg_store(pg_server, policy):
    name = pg_server.create()
    store = Store(pg_server.url_of(name))
    team = make_team(store, policy)
    new_case(store, policy, team.clerk)
    yield store, name, team
    store.close()
    pg_server.drop(name)


def _refused(engine, statement) -> bool:
    try:
        with engine.begin() as conn:
            conn.execute(text(statement))
    except DBAPIError:
        return True
    return False


def _log(store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT id, staff_no, before, after, hash FROM audit_log "
                                 "ORDER BY id")).all()


@pytest.mark.parametrize("statement", REWRITES)
def test_the_owner_cannot_rewrite_delete_or_empty_the_log(pg_store, statement):
    store, _name, _team = pg_store
    before = _log(store)
    assert _refused(store.engine, statement)
    assert _log(store) == before


def test_the_desks_role_adds_and_reads_but_cannot_rewrite_or_lift_the_guard(pg_server, pg_store,
                                                                           policy, capsys):
    store, name, team = pg_store
    role = f"desk_t{os.getpid()}_app"
    password = secrets.token_hex(8)
    pg_server._sql(f"DROP ROLE IF EXISTS {role}")
    pg_server._sql(f"CREATE ROLE {role} LOGIN PASSWORD '{password}'")
    try:
        owner = pg_server.url_of(name)
        assert main(["--db", owner, "--as", "A001", "--pin", PINS["A001"], "db", "grant",
                     role]) == 0
        assert "only grows" in capsys.readouterr().out
        app_url = make_url(owner).set(username=role, password=password)
        app = Store(app_url.render_as_string(hide_password=False), migrate=False)
        try:
            new_case(app, policy, team.clerk)              # a desk's ordinary work still runs
            before = _log(store)
            for statement in REWRITES + [
                    "ALTER TABLE audit_log DISABLE TRIGGER desk_audit_append_only",
                    "DROP TRIGGER desk_audit_append_only ON audit_log"]:
                assert _refused(app.engine, statement), statement
            assert _log(store) == before
            with app.read() as session:
                report = audit.verify(session)
            assert report.ok, report.first and report.first.message
            # Purging needs before/after writable: an edit there breaks the entry's hash.
            with app.engine.begin() as conn:
                conn.execute(text("UPDATE audit_log SET after = replace(after, 'clerk', "
                                  "'general_manager') WHERE entity = 'staff'"))
            with app.read() as session:
                assert audit.verify(session).first.kind == "hash"
        finally:
            app.close()
    finally:
        engine = create_engine(pg_server.url_of(name), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f"DROP OWNED BY {role}"))
        engine.dispose()
        pg_server._sql(f"DROP ROLE IF EXISTS {role}")


def test_a_purge_may_still_drop_personal_values(pg_store):
    store, _name, _team = pg_store
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET after = after WHERE id = 1"))


def test_desk_db_grant_on_sqlite_is_refused_naming_the_field(tmp_path, policy, capsys):
    store = Store("sqlite:///" + (tmp_path / "s.sqlite3").as_posix())
    make_team(store, policy)
    store.close()
    assert main(["--db", str(tmp_path / "s.sqlite3"), "--as", "A001", "--pin", PINS["A001"],
                 "db", "grant", "desk_app"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


@pytest.fixture(autouse=True)
def _messages_in_english(monkeypatch):
    """The messages checked here are the English ones; the bundled catalogs translate them."""
    from desk.i18n import using_locale
    monkeypatch.setenv("DESK_LOCALE", "en")
    with using_locale("en"):
        yield
