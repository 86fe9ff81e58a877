"""Nothing lost: online backups, verification, daily rotation, restore that keeps the current
store aside; and a store that cannot be used (missing, locked, read-only, damaged, newer, full
disk) is reported with the choices that make sense, never as a traceback."""
from __future__ import annotations

import dataclasses
import shutil
import sqlite3
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from desk import audit, backup
from desk.backup import BackupError
from desk.health import Choice, Problem, StoreError, check_store, open_checked
from desk.i18n import set_locale
from desk.model import Case
from desk.store import Store
from tests.helpers import T0, complaint, new_case


def url_of(path: Path) -> str:
    return "sqlite:///" + path.as_posix()


def cases(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Case))


@pytest.fixture
def sqlite_store(tmp_path):
    st = Store(url_of(tmp_path / "desk.sqlite3"))
    yield st
    st.close()


@pytest.fixture
def filled(sqlite_store, policy, request):
    team = request.getfixturevalue("team_on")(sqlite_store)
    for _ in range(3):
        new_case(sqlite_store, policy, team.clerk)
    return sqlite_store, team


@pytest.fixture
def team_on(policy):
    from desk import services
    from tests.conftest import PINS, Team

    def make(store):
        people = [("A001", "王大同", "general_manager"), ("C001", "陳美玲", "clerk"),
                  ("C002", "張雅婷", "clerk"), ("S001", "林志明", "supervisor"),
                  ("S002", "黃淑芬", "supervisor"), ("M001", "吳建國", "store_manager"),
                  ("O001", "劉怡君", "operations_manager")]
        with store.write(system="test") as session:
            first = None
            for staff_no, name, role in people:
                services.add_staff(session, policy, staff_no, name, role, PINS[staff_no],
                                   actor=first)
                first = first or services.actor_for(session, staff_no)
        with store.read() as session:
            return Team(*[services.actor_for(session, p[0]) for p in people])
    return make


# --- backups ---------------------------------------------------------------------------------

def test_an_online_backup_is_consistent_while_a_desk_is_writing(filled, tmp_path):
    store, _team = filled
    writer = sqlite3.connect(store.path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE complaint_case SET customer_name = 'half-way'")
    try:
        info = backup.backup_to(store, tmp_path / "out" / "b.sqlite3")
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert (info.cases, info.staff) == (3, 7)
    assert info.audit_ok and info.audit_entries > 0 and len(info.audit_head) == 64
    with sqlite3.connect(info.path) as conn:
        assert conn.execute("SELECT count(*) FROM complaint_case WHERE customer_name = "
                            "'half-way'").fetchone() == (0,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not list((tmp_path / "out").glob("*.part"))


def test_verify_refuses_files_that_are_not_usable_backups(filled, tmp_path):
    store, _team = filled
    good = backup.backup_to(store, tmp_path / "good.sqlite3").path
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"\0" * 4096)
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(scribbled(good.read_bytes()))
    set_locale("en")
    for path, reason in ((tmp_path / "none.sqlite3", "no such file"),
                         (junk, "not an SQLite file"), (other, "no Complaint Desk store"),
                         (damaged, "damaged|malformed")):
        with pytest.raises(BackupError, match=reason):
            backup.verify_backup(path)


def test_the_daily_backup_runs_once_a_day_and_keeps_n(filled, policy, tmp_path):
    store, _team = filled
    keep3 = dataclasses.replace(policy, backups_kept=3)
    folder = tmp_path / "backups"
    made = []
    for day in range(5):
        now = T0 + timedelta(days=day)
        made.append(backup.daily_backup(store, keep3, now=now, folder=folder))
        assert backup.daily_backup(store, keep3, now=now, folder=folder) is None
    assert all(made)
    kept = backup.list_backups(store, folder)
    assert kept == made[::-1][:3]
    assert backup.latest_backup(store, folder) == made[-1]
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in kept)


def test_the_daily_backup_defaults_to_the_user_data_folder(filled, policy, tmp_path):
    store, _team = filled
    path = backup.daily_backup(store, policy)
    assert path.parent == tmp_path / "userdata" / "backups"


def test_a_server_store_is_not_backed_up_here(policy):
    url = "postgresql+psycopg://desk@server/complaints"
    assert backup.daily_backup(url, policy) is None
    with pytest.raises(BackupError, match="pg_dump"):
        backup.backup_to(url, "x.sqlite3")


def test_restore_puts_the_current_store_aside_and_logs_itself(filled, policy, tmp_path):
    store, team = filled
    saved = backup.backup_to(store, tmp_path / "b.sqlite3")
    new_case(store, policy, team.clerk)                     # made after the backup
    writer = sqlite3.connect(store.path)                   # leaves a -wal file behind
    writer.execute("PRAGMA wal_autocheckpoint=0")
    store.close()
    aside = backup.restore(store.path, saved.path, staff_no="A001")
    writer.close()
    assert aside.exists() and ".before-restore-" in aside.name
    restored = Store(url_of(store.path))
    try:
        assert cases(restored) == 3
        with restored.read() as session:
            report = audit.verify(session)
            assert report.ok, report.first and report.first.message
            last = session.execute(select(audit.LOG).order_by(audit.LOG.c.id.desc())).first()
        assert (last.entity, last.action, last.staff_no) == ("store", "restore", "A001")
    finally:
        restored.close()
    kept = Store(url_of(aside), migrate=False)
    assert cases(kept) == 4                                  # nothing was thrown away
    kept.close()


def test_restore_into_an_empty_place_and_refusals_leave_the_store_alone(filled, tmp_path):
    store, _team = filled
    saved = backup.backup_to(store, tmp_path / "b.sqlite3").path
    fresh = tmp_path / "elsewhere" / "new.sqlite3"
    assert backup.restore(fresh, saved) is None and fresh.exists()
    tampered = tmp_path / "tampered.sqlite3"
    shutil.copy(saved, tampered)
    with sqlite3.connect(tampered) as conn:
        conn.execute("UPDATE audit_log SET staff_no = 'X' WHERE id = 3")
    store.close()
    before = store.path.read_bytes()
    with pytest.raises(BackupError):
        backup.restore(store.path, tampered)
    with pytest.raises(BackupError):
        backup.restore(store.path, tmp_path / "missing.sqlite3")
    assert store.path.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".before-restore-" in p.name]


def test_restore_waits_for_other_programs_to_let_go(filled, tmp_path):
    store, _team = filled
    saved = backup.backup_to(store, tmp_path / "b.sqlite3").path
    reader = sqlite3.connect(store.path, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM complaint_case").fetchone()
    store.close()
    try:
        with pytest.raises(StoreError) as err:
            backup.restore(store.path, saved)
        assert err.value.problem.kind is Problem.LOCKED
    finally:
        reader.close()


# --- a store that cannot be used -------------------------------------------------------------

def test_a_missing_store(tmp_path, policy):
    set_locale("en")
    problem = check_store(url_of(tmp_path / "none.sqlite3"))
    assert problem.kind is Problem.MISSING
    assert problem.choices == (Choice.CREATE_NEW, Choice.OPEN_ANOTHER, Choice.QUIT)
    assert str(tmp_path / "none.sqlite3") in problem.message
    with pytest.raises(StoreError):
        open_checked(url_of(tmp_path / "none.sqlite3"))
    store = open_checked(url_of(tmp_path / "none.sqlite3"), create=True)
    store.close()
    assert check_store(url_of(tmp_path / "none.sqlite3")) is None


def test_a_damaged_store_offers_the_latest_backup(filled, policy, tmp_path):
    store, _team = filled
    latest = backup.daily_backup(store, policy)
    store.close()
    data = bytearray(store.path.read_bytes())
    data[0:16] = b"this is not it!!"
    store.path.write_bytes(bytes(data))
    problem = check_store(store.url)
    assert problem.kind is Problem.CORRUPT
    assert problem.choices[0] is Choice.RESTORE_BACKUP and problem.latest_backup == latest
    set_locale("en")
    assert "damaged" in problem.message and "desk restore" in problem.cli_message()
    with pytest.raises(StoreError) as err:
        open_checked(store.url)
    assert err.value.problem.kind is Problem.CORRUPT


def test_damaged_pages_are_found(filled):
    store, _team = filled
    store.close()
    store.path.write_bytes(scribbled(store.path.read_bytes()))
    assert check_store(store.url, thorough=True).kind is Problem.CORRUPT


def scribbled(data: bytes, page: int = 4096) -> bytes:
    """Every page after the first two overwritten past its header: a disk gone bad."""
    data = bytearray(data)
    for start in range(2 * page, len(data) - page, page):
        data[start + 8: start + page] = b"\x07" * (page - 8)
    return bytes(data)


def test_a_locked_store(filled):
    store, _team = filled
    holder = sqlite3.connect(store.path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert check_store(store.url, timeout=0.2) is None   # a read never queues for the lock
        problem = check_store(store.url, timeout=0.2, thorough=True)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert problem.kind is Problem.LOCKED
    assert Choice.RETRY in problem.choices


def test_a_read_only_store(filled):
    store, _team = filled
    store.close()
    if subprocess.run(["chattr", "+i", str(store.path)], capture_output=True).returncode:
        pytest.skip("this file system cannot mark a file immutable")
    try:
        problem = check_store(store.url)
    finally:
        subprocess.run(["chattr", "-i", str(store.path)], check=True)
    assert problem.kind is Problem.READ_ONLY
    assert problem.choices == (Choice.RETRY, Choice.OPEN_ANOTHER, Choice.QUIT)


def test_a_store_from_a_newer_program(filled):
    store, _team = filled
    with sqlite3.connect(store.path) as conn:
        conn.execute("INSERT INTO alembic_version VALUES ('0099_future')")
    problem = check_store(store.url)
    assert problem.kind is Problem.NEWER_SCHEMA and Choice.RESTORE_BACKUP not in problem.choices


def test_an_unreachable_server():
    problem = check_store("postgresql+psycopg://desk@127.0.0.1:1/complaints", timeout=1)
    assert problem.kind is Problem.UNREACHABLE and problem.choices[0] is Choice.RETRY
    assert "desk@127.0.0.1:1" in problem.location and "***" not in problem.location


def test_a_full_disk_loses_nothing_already_saved_and_says_so(filled, policy):
    store, team = filled
    with store.read() as session:
        saved = sorted(session.scalars(select(Case.case_no)))
    store.engine.dispose()
    pages = sqlite3.connect(store.path).execute("PRAGMA page_count").fetchone()[0]

    def cap(dbapi_conn, _record):
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages + 1}")

    event.listen(store.engine, "connect", cap)
    set_locale("en")
    big = "客人說明" * 1200
    with pytest.raises(StoreError, match="full.*not saved.*saved before it is safe") as err:
        for _ in range(20):
            new_case(store, policy, team.clerk, complaint=big, request=big[:2000])
    assert err.value.problem.kind is Problem.FULL
    event.remove(store.engine, "connect", cap)
    store.engine.dispose()
    with store.read() as session:
        after = sorted(session.scalars(select(Case.case_no)))
        assert set(saved) <= set(after)
        report = audit.verify(session)
        assert report.ok, report.first and report.first.message
    assert sqlite3.connect(store.path).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    new_case(store, policy, team.clerk)       # space again: work goes on
    assert cases(store) == len(after) + 1


def test_the_store_error_is_a_domain_error_with_the_problem(tmp_path):
    from desk.errors import DomainError
    from desk.health import _problem
    err = StoreError(_problem(Problem.LOCKED, url_of(tmp_path / "x.sqlite3")))
    assert isinstance(err, DomainError) and "x.sqlite3" in str(err)
    assert complaint().desk == "A"
