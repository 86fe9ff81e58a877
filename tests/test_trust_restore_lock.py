"""Nothing lost on restore: a restore refuses while any other program has the store open
(another desk in this process, another process), names who holds it, and leaves the store
unchanged; a program that died does not block it. The restore drill restores the latest
backup into a scratch store and verifies it; the daily backup also goes to the second place."""
from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from desk import backup
from desk.backup_drill import drill
from desk.cli import main
from desk.open_lock import StoreInUse
from desk.store import Store
from tests.conftest import PINS
from tests.helpers import new_case, store_rows


def url_of(path) -> str:
    return "sqlite:///" + path.as_posix()


@pytest.fixture
def filled(tmp_path, policy):
    from tests.conftest import make_team
    from desk.store_policy import ensure_store_policy
    store = Store(url_of(tmp_path / "desk.sqlite3"))
    team = make_team(store, policy)
    ensure_store_policy(store)
    for _ in range(2):
        new_case(store, policy, team.clerk)
    saved = backup.backup_to(store, tmp_path / "b.sqlite3").path
    new_case(store, policy, team.clerk)          # acknowledged after the backup
    yield store, team, saved
    store.close()


def admin(*args: str) -> list[str]:
    return ["--as", "A001", "--pin", PINS["A001"], *args]


def test_a_restore_is_refused_while_another_desk_has_the_store_open(filled, capsys):
    store, _team, saved = filled
    before = store_rows(store)
    with pytest.raises(StoreInUse) as refused:
        backup.restore(store.path, saved, staff_no="A001")
    assert str(os.getpid()) in str(refused.value) and refused.value.field == "store"
    assert main(["--db", str(store.path), *admin("restore", str(saved))]) == 2
    err = capsys.readouterr().err
    assert "open in 1 other program" in err and str(os.getpid()) in err
    assert store_rows(store) == before          # the case taken after the backup is still there
    assert not [p for p in store.path.parent.iterdir() if ".before-restore-" in p.name]


HOLDER = textwrap.dedent("""
    import sys
    from desk.store import Store
    store = Store("sqlite:///" + sys.argv[1], migrate=False)
    print("open", flush=True)
    sys.stdin.read()
    store.close()
""")


def _holder(path):
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, path.as_posix()],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            env=dict(os.environ))
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_another_process_holding_the_store_is_named_and_a_dead_one_does_not_block(filled):
    store, _team, saved = filled
    store.close()
    holder = _holder(store.path)
    try:
        raw = store.path.read_bytes()
        with pytest.raises(StoreInUse) as refused:
            backup.restore(store.path, saved)
        assert f"process {holder.pid}" in str(refused.value)
        assert store.path.read_bytes() == raw
    finally:
        holder.kill()          # dies without letting go: its lock file stays behind
        holder.wait()
    assert backup.restore(store.path, saved, staff_no="A001") is not None


def test_a_closed_store_can_be_restored_and_the_lock_files_are_gone(filled):
    store, _team, saved = filled
    store.close()
    assert backup.restore(store.path, saved, staff_no="A001") is not None
    assert not list((store.path.parent / (store.path.name + ".open")).glob("*.json"))


def test_restore_against_a_database_server_names_the_pg_restore_path(capsys):
    url = "postgresql+psycopg://desk@server.invalid/complaints"
    assert main(["--db", url, *admin("restore", "whatever.sqlite3")]) == 2
    assert "pg_restore" in capsys.readouterr().err


def test_the_drill_restores_the_latest_backup_into_a_scratch_store(filled, policy, tmp_path,
                                                                   capsys):
    store, _team, _saved = filled
    made = backup.daily_backup(store, policy)
    report = drill(store)
    assert report.ok and report.backup == made and report.counts["complaint_case"] == 3
    before = store_rows(store)
    assert main(["--db", str(store.path), *admin("backup", "drill")]) == 0
    assert "drill passed" in capsys.readouterr().out
    with sqlite3.connect(made) as conn:       # a backup damaged since: the drill says so
        conn.execute("UPDATE audit_log SET staff_no = 'X' WHERE id = 3")
    assert main(["--db", str(store.path), *admin("backup", "drill")]) == 1
    assert "drill failed" in capsys.readouterr().err
    assert store_rows(store) == before


def test_the_daily_backup_also_goes_to_the_second_place_verified(filled, policy, tmp_path):
    store, _team, _saved = filled
    second = tmp_path / "share"
    made = backup.daily_backup(store, dataclasses.replace(policy, anchor_folder=str(second)))
    copy = second / "backups" / made.name
    kept, original = backup.verify_backup(copy), backup.verify_backup(made)
    assert (kept.cases, kept.audit_entries, kept.audit_head) == (
        3, original.audit_entries, original.audit_head)


@pytest.fixture(autouse=True)
def _messages_in_english(monkeypatch):
    """The messages checked here are the English ones; the bundled catalogs translate them."""
    from desk.i18n import using_locale
    monkeypatch.setenv("DESK_LOCALE", "en")
    with using_locale("en"):
        yield
