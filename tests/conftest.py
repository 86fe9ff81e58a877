"""Shared fixtures: a real SQLite store in tmp_path, the bundled policy, signed-in staff.

Qt runs offscreen so the suite works without a display (without it Qt aborts headless).
"""
from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from dataclasses import dataclass  # noqa: E402

import pytest  # noqa: E402

from desk import services  # noqa: E402
from desk.i18n import set_locale  # noqa: E402
from desk.policy import load_policy  # noqa: E402
from desk.store import Store  # noqa: E402

PINS = {"A001": "2468", "C001": "1357", "C002": "1470", "S001": "8642", "S002": "9753",
        "M001": "3579", "O001": "5791"}


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


@pytest.fixture
def store(tmp_path):
    st = Store("sqlite:///" + (tmp_path / "desk.sqlite3").as_posix())
    yield st
    st.close()


@dataclass
class Team:
    gm: services.Actor
    clerk: services.Actor
    clerk2: services.Actor
    supervisor: services.Actor
    supervisor2: services.Actor
    manager: services.Actor
    ops: services.Actor


@pytest.fixture
def team(store, policy) -> Team:
    """One of each role: A001 general manager, C001/C002 clerks, S001/S002 supervisors,
    M001 store manager, O001 operations manager (PINs in ``PINS``)."""
    people = [("A001", "王大同", "general_manager"), ("C001", "陳美玲", "clerk"),
              ("C002", "張雅婷", "clerk"), ("S001", "林志明", "supervisor"),
              ("S002", "黃淑芬", "supervisor"), ("M001", "吳建國", "store_manager"),
              ("O001", "劉怡君", "operations_manager")]
    with store.write() as session:
        first = None
        for staff_no, name, role in people:
            services.add_staff(session, policy, staff_no, name, role, PINS[staff_no], actor=first)
            if first is None:
                first = services.actor_for(session, staff_no)
    with store.read() as session:
        actors = [services.actor_for(session, p[0]) for p in people]
    return Team(*actors)
