"""The one place that builds engines and sessions: URL or path in, migrated store out.

SQLite runs in WAL mode with foreign keys on and ``synchronous=FULL`` (a saved case survives
a power cut). Write transactions start with ``BEGIN IMMEDIATE`` so two writers queue on the
lock instead of one failing half-way; reads stay deferred and never block the counter.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from sqlalchemy import Connection, Engine, Integer, Table, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from desk import uow
from desk.errors import N_, ConflictError
from desk.machine import configured_store
from desk.paths import default_store_path

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# The newest revisions in migrations/versions (every head). A store already at them opens
# without importing Alembic, which costs about 0.15 s of every start; a test checks this
# against Alembic's own reading of the scripts, so a new migration cannot be forgotten here.
HEADS = frozenset({"0010_audit17"})


def resolve_url(db: str | os.PathLike | None = None, *, demo: bool = False) -> str:
    """``--db`` / ``DESK_DB`` / the PC-wide installer setting may be a path or a URL; nothing
    means the user's default store. The demo store never takes the PC-wide setting: it would
    fill the mall's shared store with demo cases."""
    if db is None:
        db = os.environ.get("DESK_DB") if demo else configured_store()[0]
    if db is None or str(db) == "":
        return "sqlite:///" + default_store_path(demo).as_posix()
    text = str(db)
    if "://" in text:
        return text
    return "sqlite:///" + Path(text).expanduser().resolve().as_posix()


def create_store_engine(url: str) -> Engine:
    # hide_parameters: a database error's text (written to the user's log file by the
    # screens) names the statement but never its values: a customer's name or phone.
    if make_url(url).get_backend_name() == "sqlite":
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


def _use_wal(cur, wait_s: float = 30.0) -> None:
    """Put the file in WAL mode (it stays so). Switching needs the file to itself and SQLite
    answers "locked" at once, without its busy wait, while another desk holds it (four PCs
    starting on a new store, one of them migrating): wait and try again, as the busy timeout
    would. A file already in WAL mode needs no switch and no lock."""
    import sqlite3
    import time
    deadline = time.monotonic() + wait_s
    while True:
        try:
            if cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=30000")
        _use_wal(cur)
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        if conn.get_execution_options().get("immediate", False):
            _begin_immediate(conn)
        else:
            # A deferred BEGIN takes no lock and cannot fail on one: said to the driver
            # directly, without a statement's execution machinery (a third of a short
            # search's time).
            dbapi = conn.dialect.loaded_dbapi
            try:
                conn.connection.dbapi_connection.execute("BEGIN")
            except dbapi.Error as exc:   # as exec_driver_sql would have raised it
                raise DBAPIError.instance("BEGIN", (), exc, dbapi.Error,
                                          dialect=conn.dialect) from exc


def _begin_immediate(conn: Connection) -> None:
    """Take the write lock as a unit of work's first statement. One try waits the busy
    timeout; a try that runs out (a desk behind a queue of others on a loaded PC) is simply
    made again, nothing having been done yet, up to ``WRITE_WAIT_S`` in all: the desk saves
    late rather than showing "database is locked"."""
    import time

    from sqlalchemy.exc import OperationalError
    deadline = time.monotonic() + WRITE_WAIT_S
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    # ConfigParser would read the %-escapes of a URL (a password with @ in it) as its own.
    cfg.set_main_option("sqlalchemy.url",
                        engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


# How long a write waits for the lock in all (SQLite's busy timeout, 30 s, bounds one try).
WRITE_WAIT_S = 90.0

# Any constant shared by every desk: desks starting at once migrate one after another.
_MIGRATION_LOCK = 7_200_107


def stored_revisions(engine: Engine) -> frozenset[str]:
    """The revisions recorded in the store (none for a new, empty store)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return frozenset()
        return frozenset(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the newest migrations (every head: features add
    sibling revisions). Desks starting together take turns: BEGIN IMMEDIATE on SQLite, an
    advisory lock on PostgreSQL, both held until the migrations commit."""
    from alembic import command
    cfg = alembic_config(engine)
    with engine.execution_options(immediate=True).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "heads")
    if engine.dialect.name == "sqlite":   # values a migration replaced (plain secrets it
        with engine.connect() as conn:    # sealed) leave the write-ahead log, not kept there
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def sync_id_sequences(conn: Connection, tables: Iterable[Table] | None = None) -> None:
    """After rows were inserted with explicit ids (a bulk fill, a copy), restart PostgreSQL's
    id sequences past them, or the next ordinary insert collides. Nothing to do on SQLite."""
    if conn.dialect.name != "postgresql":
        return
    from desk.model import Base
    for table in tables if tables is not None else Base.metadata.sorted_tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        conn.execute(text(
            f'SELECT setval(pg_get_serial_sequence(:table, :column), '
            f'COALESCE((SELECT MAX("{keys[0].name}") FROM "{table.name}"), 0) + 1, false)'),
            {"table": table.name, "column": keys[0].name})


def is_initialised(engine: Engine) -> bool:
    return inspect(engine).has_table("alembic_version")


class DeskSession(Session):
    """A Session whose flush turns a lost optimistic-lock race into a ``ConflictError``.

    ``Case.version`` is a version counter: an UPDATE that finds another desk already saved a
    newer version matches no row and SQLAlchemy raises ``StaleDataError``. Every flush passes
    through here (explicit, auto-flush and the one inside commit), so the clerk sees the same
    translated "changed by someone else" message wherever the race is lost."""

    def flush(self, objects=None) -> None:
        changing = _case_numbers(self)   # the failed flush forgets what it was saving
        try:
            super().flush(objects)
        except StaleDataError as exc:
            raise _conflict(changing) from exc


def _radar_sweep(session: Session) -> None:
    from desk.services.batches import sweep
    sweep(session)


def _case_numbers(session: Session) -> list[str]:
    return sorted({obj.__dict__["case_no"] for obj in session.dirty if "case_no" in obj.__dict__})


def _conflict(numbers: list[str]) -> ConflictError:
    if numbers:
        return ConflictError(N_("case {value} was changed by someone else since you opened it; "
                                "reopen it to see their changes"), value=", ".join(numbers))
    return ConflictError(N_("this record was changed by someone else since you opened it; "
                            "reopen it to see their changes"))


class Store:
    """An open store: the engine plus session factories for reading and for writing."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = create_store_engine(url)
        from desk.store_anchors import migrated, open_mark
        self._mark = open_mark(self.engine)
        # Alembic runs only when there is something to do (a new store, an older schema, or
        # one it must refuse as newer); this read needs no lock, upgrade() takes it.
        self.anchor_folder: Path | None = None   # [anchors] folder of the store's policy
        self._anchor_key: str | None = None
        self._unanchored: tuple[int, int, str] | None = None
        self.anchor_reset = False   # the next range journalled follows a restore
        if migrate and stored_revisions(self.engine) != HEADS:
            self._unanchored = migrated(self.engine, upgrade)
        self._read = sessionmaker(self.engine, expire_on_commit=False, class_=DeskSession)
        self._write = sessionmaker(self.engine.execution_options(immediate=True),
                                   expire_on_commit=False, class_=DeskSession)
        from desk import audit, search_index   # every flush also appends to the audit log
        audit.install(self._read)                # and refreshes the search index
        audit.install(self._write)
        search_index.install(self._read)
        search_index.install(self._write)
        from sqlalchemy import event   # the batch radar compares every case saved, whatever
        event.listen(self._write, "before_commit", _radar_sweep)   # surface saved it
        for factory in (self._read, self._write):   # after the radar: its changes too
            event.listen(factory, "before_commit", search_index.settle)

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
    def write(self, actor=None, *, system: str | None = None) -> Iterator[Session]:
        """One unit of work: commits once at the end, rolls everything back on any error.
        ``actor`` (a signed-in ``Actor``) is who the audit log names for every change in it;
        ``system`` names work no person does (store creation, demo data, migrations)."""
        with self._write() as session:
            uow.begin(session, actor, system)
            appended = None
            try:
                with session.begin():
                    yield session
                    if self.anchor_folder is not None:
                        session.flush()   # the unit's last entries, then its range
                        appended = self._take_range(session)
            except StaleDataError as exc:  # a flush outside DeskSession.flush (defensive)
                raise _conflict([]) from exc
            except DBAPIError as exc:      # disk full, locked, read-only: say so, no traceback
                problem = self._store_error(exc)
                if problem is None:
                    raise
                raise problem from exc
            if appended is not None:
                self._anchor(*appended)

    def _store_error(self, exc: DBAPIError) -> Exception | None:
        from desk.store_problems import StoreError, classify
        problem = classify(exc, self.url)
        return None if problem is None else StoreError(problem)

    def use_anchor_folder(self, folder: Path | None) -> None:
        """Journal every unit of work's audit entries in ``folder`` (the policy's second
        place) from now on, starting with those a migration just wrote."""
        from desk.store_anchors import use_folder
        use_folder(self, folder)

    def _take_range(self, session: Session):
        from desk.store_anchors import take_range
        return take_range(self, session)

    def _anchor(self, first: int, last: int, last_hash: str) -> None:
        from desk.store_anchors import journal
        journal(self, first, last, last_hash)

    def close(self) -> None:
        self.engine.dispose()
        if self._mark is not None:
            self._mark.release()
            self._mark = None


def open_store(db: str | os.PathLike | None = None, *, demo: bool = False) -> Store:
    return Store(resolve_url(db, demo=demo))
