"""Shared fixtures: a real store (SQLite in tmp_path, and a fresh PostgreSQL database when
DESK_TEST_PG_URL names a server), the bundled policy, signed-in staff.

Qt runs offscreen so the suite works without a display (without it Qt aborts headless).
"""
from __future__ import annotations

import itertools
import os
import shutil

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Cheap argon2 parameters for the thousands of PINs the suite hashes and checks (read once by
# desk.security at import; tests/test_pins.py checks the program's own are the measured ones).
os.environ.setdefault("DESK_TEST_CHEAP_PIN_HASH", "1")

from dataclasses import dataclass  # noqa: E402

import pytest  # noqa: E402

from desk import services  # noqa: E402
from desk.i18n import set_locale  # noqa: E402
from desk.policy import load_policy  # noqa: E402
from desk.store import Store  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

PINS = {"A001": "730519", "C001": "4821", "C002": "5938", "S001": "907316", "S002": "318264",
        "M001": "582947", "O001": "461803"}


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Every test gets its own user data folder and the default language."""
    monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("DESK_DB", raising=False)
    set_locale("zh_TW")
    yield
    set_locale("zh_TW")


@pytest.fixture(scope="session")
def policy():
    return load_policy()


NO_PG = "DESK_TEST_PG_URL not set: no PostgreSQL server"


class PgServer:
    """The test server: one template database migrated once per run, then a copy of it per
    test (CREATE DATABASE ... TEMPLATE takes a few tens of milliseconds)."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.admin = create_engine(self.url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.prefix = f"desk_t{os.getpid()}_"
        self.template = self.prefix + "tpl"
        self.names = itertools.count(1)
        with self.admin.connect() as conn:
            fast = conn.dialect.server_version_info >= (15,)
        self.strategy = " STRATEGY FILE_COPY" if fast else ""
        self._drop_leftovers()
        self._sql(f"DROP DATABASE IF EXISTS {self.template}")
        self._sql(f"CREATE DATABASE {self.template}")
        Store(self.url_of(self.template)).close()  # every migration, once

    def _drop_leftovers(self) -> None:
        """Databases of earlier runs that were killed before they could clean up."""
        if os.name != "posix":     # os.kill(pid, 0) would terminate a process on Windows
            return
        with self.admin.connect() as conn:
            names = conn.scalars(text("SELECT datname FROM pg_database "
                                      "WHERE datname ~ '^desk_t[0-9]+_'")).all()
        for name in names:
            pid = int(name[len("desk_t"):].split("_")[0])
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                self.drop(name)
            except OSError:
                pass

    def url_of(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _sql(self, statement: str) -> None:
        with self.admin.connect() as conn:
            conn.execute(text(statement))

    def create(self) -> str:
        name = f"{self.prefix}{next(self.names)}"
        self._sql(f"CREATE DATABASE {name} TEMPLATE {self.template}{self.strategy}")
        return name

    def drop(self, name: str) -> None:
        self._sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def close(self) -> None:
        self.drop(self.template)
        self.admin.dispose()


@pytest.fixture(scope="session")
def pg_server():
    url = os.environ.get("DESK_TEST_PG_URL")
    if not url:
        pytest.skip(NO_PG)
    server = PgServer(url)
    yield server
    server.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A new SQLite store migrated once per run. Running every migration costs a tenth of a
    second of CPU and dozens of synced commits (up to seconds on a busy disk); a copy of the
    closed file is the same migrated, empty store in a few milliseconds. The migrations
    themselves are tested on new files (test_migrations, test_store_startup)."""
    path = tmp_path_factory.mktemp("template") / "desk.sqlite3"
    Store("sqlite:///" + path.as_posix()).close()   # the last close folds the WAL into the file
    return path


def fresh_sqlite_store(template, path) -> Store:
    """A migrated, empty SQLite store at ``path``: a copy of ``template``, opened."""
    shutil.copyfile(template, path)
    return Store("sqlite:///" + path.as_posix())


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    """A migrated, empty store on each back end (PostgreSQL skipped without a server)."""
    if request.param == "sqlite":
        st = fresh_sqlite_store(request.getfixturevalue("sqlite_template"), tmp_path / "desk.sqlite3")
        yield st
        st.close()
        return
    if not os.environ.get("DESK_TEST_PG_URL"):
        pytest.skip(NO_PG)
    server = request.getfixturevalue("pg_server")
    name = server.create()
    st = Store(server.url_of(name))
    yield st
    st.close()
    server.drop(name)


# A rule lives in desk/ above the store: its PostgreSQL copy proves nothing its SQLite copy
# does not. Such tests run on SQLite only (``@SQLITE_ONLY``); PostgreSQL keeps the tests where
# it behaves differently (the store, locking, numbering, audit triggers, search, sums of money
# and times) and at least one end-to-end test per surface in each file.
SQLITE_ONLY = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


@dataclass
class Team:
    gm: services.Actor
    clerk: services.Actor
    clerk2: services.Actor
    supervisor: services.Actor
    supervisor2: services.Actor
    manager: services.Actor
    ops: services.Actor


TEAM = [("A001", "王大同", "general_manager"), ("C001", "陳美玲", "clerk"),
        ("C002", "張雅婷", "clerk"), ("S001", "林志明", "supervisor"),
        ("S002", "黃淑芬", "supervisor"), ("M001", "吳建國", "store_manager"),
        ("O001", "劉怡君", "operations_manager")]


def make_team(store, policy) -> Team:
    """One of each role: A001 general manager, C001/C002 clerks, S001/S002 supervisors,
    M001 store manager, O001 operations manager (PINs in ``PINS``)."""
    with store.write(system="test") as session:
        first = None
        for staff_no, name, role in TEAM:
            services.add_staff(session, policy, staff_no, name, role, PINS[staff_no], actor=first)
            first = first or services.actor_for(session, staff_no)
    with store.read() as session:
        return Team(*[services.actor_for(session, p[0]) for p in TEAM])


@pytest.fixture
def team(store, policy) -> Team:
    return make_team(store, policy)
