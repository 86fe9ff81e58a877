"""A store at the newest migrations opens without Alembic; anything else still upgrades."""
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from desk import store as store_module
from desk.store import HEADS, MIGRATIONS, Store, alembic_config, stored_revisions

ROOT = Path(__file__).resolve().parent.parent


def test_heads_constant_matches_the_migration_scripts(tmp_path):
    store = Store("sqlite:///" + (tmp_path / "s.sqlite3").as_posix())
    try:
        scripts = ScriptDirectory.from_config(alembic_config(store.engine))
        assert frozenset(scripts.get_heads()) == HEADS, (
            "a migration was added: update desk.store.HEADS to its revision")
        assert Path(scripts.dir) == MIGRATIONS
    finally:
        store.close()


def test_a_new_store_is_created_at_the_heads(tmp_path):
    store = Store("sqlite:///" + (tmp_path / "new.sqlite3").as_posix())
    try:
        assert stored_revisions(store.engine) == HEADS
    finally:
        store.close()


def test_a_store_at_the_heads_opens_without_alembic(tmp_path, monkeypatch):
    url = "sqlite:///" + (tmp_path / "s.sqlite3").as_posix()
    Store(url).close()

    def no_upgrade(_engine):
        raise AssertionError("upgrade ran although the store is at the heads")
    monkeypatch.setattr(store_module, "upgrade", no_upgrade)
    Store(url).close()
    # And in a fresh process Alembic is not even imported.
    probe = ("import sys; from desk.store import Store; Store(sys.argv[1]).close(); "
             "print('alembic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", probe, url], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    assert out.stdout.strip() == "False"


def test_an_older_store_is_upgraded(tmp_path):
    url = "sqlite:///" + (tmp_path / "old.sqlite3").as_posix()
    store = Store(url)
    from alembic import command
    command.downgrade(alembic_config(store.engine), "0006_offer_requested_at")
    with store.engine.begin() as conn:   # as if the migrations after 0003 had not run yet
        conn.execute(text("DROP INDEX IF EXISTS ix_case_status_list"))
        conn.execute(text("DROP INDEX IF EXISTS ix_offer_requested_at"))
        conn.execute(text("DROP TABLE IF EXISTS attachment_blob"))
        conn.execute(text("DROP TABLE IF EXISTS store_policy"))
        conn.execute(text("DELETE FROM alembic_version"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('0002_audit'), ('0003_review')"))
    store.close()
    store = Store(url)
    try:
        assert stored_revisions(store.engine) == HEADS
        with store.engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM sqlite_master WHERE "
                                     "name = 'ix_case_status_list'")).scalar()
            assert conn.execute(text("SELECT name FROM sqlite_master WHERE "
                                     "name = 'ix_offer_requested_at'")).scalar()
            offer = {r[1] for r in conn.execute(text("PRAGMA table_info(offer)"))}
            assert {"migrated", "stated_at"} <= offer   # 0007_provenance
    finally:
        store.close()
