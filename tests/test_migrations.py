"""The schema comes from the migrations alone, and they match the model."""
import sqlite3

from sqlalchemy import inspect

from desk.store import Store
from tests.helpers import schema_diff


def test_empty_to_head_matches_the_model(tmp_path):
    store = Store("sqlite:///" + (tmp_path / "fresh.sqlite3").as_posix())
    try:
        with store.engine.connect() as conn:
            diff = schema_diff(conn)
        assert diff == [], diff
        assert "complaint_case" in inspect(store.engine).get_table_names()
    finally:
        store.close()


def test_opening_twice_is_harmless_and_pragmas_hold(tmp_path):
    path = tmp_path / "twice.sqlite3"
    for _ in range(2):
        Store("sqlite:///" + path.as_posix()).close()
    store = Store("sqlite:///" + path.as_posix())
    try:
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        store.close()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
