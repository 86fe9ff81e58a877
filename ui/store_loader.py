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
import time
from collections.abc import Callable
from dataclasses import dataclass

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


# Told "pin_check_from" before the PIN is checked and "pin_check" with the check's own CPU
# milliseconds (this thread's) after: --exit-when-ready prints them, so a benchmark can tell
# the deliberate argon2 check apart from the rest of the start.
Mark = Callable[[str, float | None], None]


def check_pin_first(db: str | None, staff_no: str | None, pin: str | None,
                    mark: Mark | None = None) -> None:
    """Check DESK_AS/DESK_PIN against a SQLite store's hash before SQLAlchemy loads
    (``desk.pin_ahead``): the sign-in that follows still runs every rule and skips only the
    repeated hash."""
    if not pin:
        return
    from desk.pin_ahead import stored_pin_hash
    pin_hash = stored_pin_hash(db, staff_no)
    if pin_hash is None:
        return
    from desk.security import check_ahead
    if mark is not None:
        mark("pin_check_from", None)
    own = time.thread_time()
    check_ahead(pin_hash, pin)
    if mark is not None:
        mark("pin_check", (time.thread_time() - own) * 1000)


def open_store(db: str | None, staff_no: str | None, pin: str | None,
               mark: Mark | None = None) -> OpenedStore:
    """Everything slow about opening the store, in the order the rest needs it."""
    check_pin_first(db, staff_no, pin, mark)
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
                 parent: QObject | None = None, mark: Mark | None = None) -> None:
        super().__init__(parent)
        self._args = (db, staff_no, pin, mark)
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
