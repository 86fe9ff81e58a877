"""Opening the store on a thread of its own while the intake form is already on screen.

Importing SQLAlchemy and the services, opening and checking the store and verifying a PIN
(argon2) take most of a cold start. None of it is needed to start typing a complaint, so the
window shows first and this loader does that work beside it; the form refuses to save, with a
note saying why, until ``ready`` arrives (``MainWindow.store_opened``).

Only this thread imports the store's modules while it runs: the main thread waits for it
(``ui.store_modules``) rather than importing the same modules concurrently.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from desk.errors import DomainError
from desk.policy import Policy
from ui import store_modules

log = logging.getLogger(__name__)


@dataclass
class OpenedStore:
    """What the window needs from the store to let the clerk save."""

    store: object
    policy: Policy                       # the store's own, with its name, currency, language
    needs_setup: bool                    # an empty store: first-time set-up comes first
    saved_desk: str | None               # the store's desk letter, if it has one
    mall_name: str
    actor: object | None = None          # signed in from DESK_AS / DESK_PIN


def check_pin_first(db: str | None, staff_no: str | None, pin: str | None) -> None:
    """Check DESK_AS/DESK_PIN against a SQLite store's hash read with the bare driver, before
    SQLAlchemy loads: argon2's 19 MiB of working memory is given back before the ORM's
    arrives, so the two never add up in the app's peak. The sign-in that follows still runs
    every rule (locks, failure counts, rehash) and skips only the repeated hash (a match is
    remembered once, ``desk.security.check_ahead``). Anything unusual (a server, a store
    without the table, no such staff) leaves the whole check to that sign-in."""
    if not (db and staff_no and pin) or ("://" in db and not db.startswith("sqlite:///")):
        return
    import sqlite3   # here, on the loader's thread: the window's start does not wait for it
    path = Path(db.removeprefix("sqlite:///")).expanduser().resolve()
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        try:
            row = connection.execute("SELECT pin_hash FROM staff WHERE staff_no = ?",
                                     (staff_no.strip(),)).fetchone()
        finally:
            connection.close()
    except (sqlite3.Error, ValueError, OSError):
        return
    if row and isinstance(row[0], str):
        from desk.security import check_ahead
        check_ahead(row[0], pin)


def open_store(db: str | None, staff_no: str | None, pin: str | None) -> OpenedStore:
    """Everything slow about opening the store, in the order the rest needs it."""
    check_pin_first(db, staff_no, pin)
    try:
        # desk.services first: it is what the main thread would import first, so if it does
        # (validating a field early) it waits for this thread instead of racing it.
        from desk import queries, services  # noqa: F401
        from desk.health import open_checked
        from desk.services import settings as store_settings
        from desk.store import resolve_url
        from desk.store_policy import load_store_policy
    finally:
        store_modules.loaded()
    # Checked first, as on every surface: a damaged, locked or newer store is refused with
    # the health check's message (a StoreError the window shows) instead of half-opening.
    store = open_checked(resolve_url(db), create=True)
    try:
        # The store's own policy governs it; the bundled file only drew the first window.
        policy = load_store_policy(store)
        with store.read() as db_session:
            first = store_settings.needs_setup(db_session)
            saved = store_settings.get_settings(db_session)
        opened = OpenedStore(store, store_settings.apply_to_policy(policy, saved), first,
                             saved.desk, saved.mall_name or policy.mall_name)
        if staff_no and pin and not first:
            try:
                opened.actor = services.sign_in(store, opened.policy, staff_no.strip(), pin)
            except DomainError:   # a wrong PIN or a locked account: the dialog asks
                pass
        return opened
    except BaseException:
        store.close()
        raise


class StoreLoader(QObject):
    """Runs ``open_store`` on a Python thread; ``ready`` / ``failed`` arrive on the main
    thread (queued signals), exactly one of them."""

    ready = Signal(object)
    failed = Signal(object)

    def __init__(self, db: str | None, staff_no: str | None = None, pin: str | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._args = (db, staff_no, pin)
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        store_modules.loading()   # before the thread exists: no window for a race
        self._thread = threading.Thread(target=self._run, name="store-loader", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            opened = open_store(*self._args)
        except BaseException as exc:   # reported on the main thread, which says it plainly
            log.exception("cannot open the store")
            store_modules.loaded()
            self.failed.emit(exc)
            return
        self.ready.emit(opened)

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)
