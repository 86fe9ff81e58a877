"""The one place that builds engines and sessions: URL or path in, migrated store out.

SQLite runs in WAL mode with foreign keys on and ``synchronous=FULL`` (a saved case survives
a power cut). Write transactions start with ``BEGIN IMMEDIATE`` so two writers queue on the
lock instead of one failing half-way; reads stay deferred and never block the counter.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from desk.paths import default_store_path

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def resolve_url(db: str | os.PathLike | None = None, *, demo: bool = False) -> str:
    """``--db`` / ``DESK_DB`` may be a path or a URL; nothing means the user's default store."""
    db = db if db is not None else os.environ.get("DESK_DB")
    if db is None or str(db) == "":
        return "sqlite:///" + default_store_path(demo).as_posix()
    text = str(db)
    if "://" in text:
        return text
    return "sqlite:///" + Path(text).expanduser().resolve().as_posix()


def create_store_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() == "sqlite":
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = conn.get_execution_options().get("immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migration."""
    cfg = alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")


class Store:
    """An open store: the engine plus session factories for reading and for writing."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = create_store_engine(url)
        if migrate:
            upgrade(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(immediate=True),
                                   expire_on_commit=False)

    @property
    def backend(self) -> str:
        return self.engine.url.get_backend_name()

    @property
    def path(self) -> Path | None:
        if self.backend != "sqlite":
            return None
        return Path(self.engine.url.database or "")

    def read(self) -> Session:
        return self._read()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One unit of work: commits once at the end, rolls everything back on any error."""
        with self._write() as session:
            with session.begin():
                yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(db: str | os.PathLike | None = None, *, demo: bool = False) -> Store:
    return Store(resolve_url(db, demo=demo))
