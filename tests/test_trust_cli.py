"""The trust commands through a real subprocess: backup, restore, audit verify, purge, and a
store that cannot be used at start (one line, exit 2, never a traceback)."""
from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import PINS
from tests.helpers import run_desk


run = run_desk


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    db = tmp_path_factory.mktemp("trustcli") / "desk.sqlite3"
    assert run(db, "init").returncode == 0
    for staff_no, role, actor in (("A001", "general_manager", None), ("C001", "clerk", "A001")):
        result = run(db, "staff", "add", staff_no, "--role", role, "--name", staff_no,
                     "--pin", PINS[staff_no], as_staff=actor)
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def db(base, tmp_path):
    copy = tmp_path / "desk.sqlite3"
    copy.write_bytes(base.read_bytes())
    return copy


def one_line_exit_2(result) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_backup_then_restore_keeps_the_current_store_aside(db, tmp_path):
    out = tmp_path / "backup.sqlite3"
    made = run(db, "backup", "--out", str(out), as_staff="A001")
    assert made.returncode == 0, made.stderr
    assert out.exists() and "verified" in made.stdout
    assert run(db, "staff", "add", "C002", "--role", "clerk", "--name", "x", "--pin", "5938",
               as_staff="A001").returncode == 0
    restored = run(db, "restore", str(out), as_staff="A001")
    assert restored.returncode == 0, restored.stderr
    aside = [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]
    assert len(aside) == 1 and str(aside[0]) in restored.stdout
    listed = run(db, "staff", "list").stdout
    assert "C002" not in listed and "C001" in listed
    with sqlite3.connect(aside[0]) as conn:
        assert conn.execute("SELECT count(*) FROM staff WHERE staff_no='C002'").fetchone() == (1,)
    verified = run(db, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    history = sqlite3.connect(db).execute(
        "SELECT staff_no, action FROM audit_log WHERE entity='store'").fetchall()
    assert history == [("A001", "restore")]


def test_daily_backup_goes_to_the_user_data_folder_once_a_day(db, tmp_path):
    data = tmp_path / "data"
    first = run(db, "backup", as_staff="A001", data_dir=data)
    assert first.returncode == 0, first.stderr
    assert [p.name for p in (data / "backups").iterdir()][0].startswith("desk-")
    again = run(db, "backup", as_staff="A001", data_dir=data)
    assert again.returncode == 0 and "already" in again.stdout


def test_backup_and_restore_need_an_administrator(db, tmp_path):
    line = one_line_exit_2(run(db, "backup", "--out", str(tmp_path / "b.sqlite3"),
                               as_staff="C001"))
    assert "administrator" in line
    run(db, "backup", "--out", str(tmp_path / "b.sqlite3"), as_staff="A001")
    before = db.read_bytes()
    one_line_exit_2(run(db, "restore", str(tmp_path / "b.sqlite3"), as_staff="C001"))
    assert db.read_bytes() == before


def test_restore_refuses_a_file_that_is_not_a_backup(db, tmp_path):
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"not a database" * 100)
    before = db.read_bytes()
    line = one_line_exit_2(run(db, "restore", str(junk), as_staff="A001"))
    assert "not a backup" in line
    assert db.read_bytes() == before


def test_a_damaged_store_can_be_restored_without_signing_in(db, tmp_path):
    out = tmp_path / "backup.sqlite3"
    assert run(db, "backup", "--out", str(out), as_staff="A001").returncode == 0
    data = bytearray(db.read_bytes())
    data[:16] = b"garbage garbage!"
    db.write_bytes(bytes(data))
    line = one_line_exit_2(run(db, "staff", "list"))
    assert "damaged" in line
    restored = run(db, "restore", str(out))
    assert restored.returncode == 0, restored.stderr
    assert "A001" in run(db, "staff", "list").stdout


def test_a_missing_store_is_one_line_not_a_new_empty_store(tmp_path):
    missing = tmp_path / "nowhere" / "desk.sqlite3"
    line = one_line_exit_2(run(missing, "staff", "list"))
    assert "no store" in line.lower() and "desk init" in line
    assert not missing.exists()


def test_a_newer_store_is_refused(db):
    with sqlite3.connect(db) as conn:
        conn.execute("INSERT INTO alembic_version VALUES ('9999_future')")
    line = one_line_exit_2(run(db, "staff", "list"))
    assert "newer version" in line


def test_a_locked_store_says_so(db):
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        line = one_line_exit_2(run(db, "staff", "list"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "locked" in line and "try again" in line


def test_purge_and_history_through_the_cli(db):
    dry = run(db, "purge", "--dry-run", as_staff="A001")
    assert dry.returncode == 0 and "would be anonymised" in dry.stdout
    line = one_line_exit_2(run(db, "purge", "--before", "2099-01-01", as_staff="A001"))
    assert "kept for 2 years" in line
    line = one_line_exit_2(run(db, "purge", as_staff="C001"))
    assert "administrator" in line
