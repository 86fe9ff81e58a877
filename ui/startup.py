"""The usual start: the counter window first, the store opening beside it.

A clerk can type a complaint as soon as the window shows; the store (SQLAlchemy, the schema
check, the PIN) opens on the loader's thread meanwhile, and saving is refused with a visible
note until it is open. Then the rest is built, sign-in asked for if DESK_AS/DESK_PIN did not
sign anyone in, and a crash draft offered back. A brand-new store, the demo store and a day
pack start the old way (``ui.app.open_desk``): they need the store before any window.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThreadPool, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog

from desk.i18n import set_roc_years
from desk.machine import configured_store
from desk.paths import default_store_path
from desk.policy import Policy
from ui.draft import DraftStore
from ui.errors import explain, setup_logging
from ui.language import Language
from ui.session import Desk
from ui.settings import PcSettings
from ui.store_loader import OpenedStore, StoreLoader

# What --exit-when-ready types into the form before the store is open, to prove the typing
# is kept (a benchmark that only showed a window would prove nothing).
PROBE_TEXT = "Wang"


def store_location(db: str | None) -> str | None:
    """``--db`` / the PC's setting / DESK_DB / the installer's PC-wide setting, as
    ``desk.store.resolve_url`` reads them."""
    return configured_store(db or None)[0]


def opens_beside(db: str | None, demo: bool) -> bool:
    """Whether the store is known to exist, so the window can come first. A URL (a
    PostgreSQL server) is taken as existing; an empty one still gets its set-up."""
    if demo:
        return False
    location = store_location(db)
    if location and "://" in location:
        return not location.startswith("sqlite:")
    path = Path(location).expanduser() if location else default_store_path()
    return path.is_file() and path.stat().st_size > 0


class Startup(QObject):
    """Shows the window, starts the loader and finishes the start when the store is open."""

    def __init__(self, app: QApplication, db: str | None, policy: Policy, pc: PcSettings,
                 language: Language, *, follow_store_locale: bool, review: bool,
                 exit_when_ready: bool, started: float) -> None:
        super().__init__()
        from ui.main_window import MainWindow
        self.app, self.pc, self.language = app, pc, language
        self.follow_store_locale, self.exit_when_ready = follow_store_locale, exit_when_ready
        self.started, self.review = started, review
        self.code = 0
        self.desk = Desk(None, policy, desk_letter=pc.desk("A"))
        location = store_location(db)
        label = "" if location and "://" in location else \
            Path(location).name if location else default_store_path().name
        self.window = MainWindow(self.desk, language, pc, DraftStore(),
                                 paper=pc.paper(policy.paper), mall_name=policy.mall_name,
                                 db_label=label)
        self.loader = StoreLoader(location, os.environ.get("DESK_AS"),
                                  os.environ.get("DESK_PIN"), self,
                                  mark=self._mark if exit_when_ready else None)
        self.loader.ready.connect(self._opened, Qt.ConnectionType.QueuedConnection)
        self.loader.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)

    def run(self) -> int:
        self.window.show()
        if self.exit_when_ready:
            self._mark("ready")
            self._type_probe()
        setup_logging()   # after the first frame: logging.handlers is not needed for it
        self.loader.start()
        code = self.app.exec()
        self.loader.wait(5)
        QThreadPool.globalInstance().waitForDone(5000)   # the status bar's figures
        if self.desk.store is not None:
            self.desk.store.close()
        return self.code or code

    def _mark(self, what: str, own_ms: float | None = None) -> None:
        # Wall time from the process's start, and its CPU time (all threads) so far; for a
        # step on one thread (the PIN check) also that step's own CPU time.
        own = "" if own_ms is None else f" own {own_ms:.1f} ms"
        print(f"{what} {(time.perf_counter() - self.started) * 1000:.1f} ms "
              f"cpu {time.process_time() * 1000:.1f} ms{own}", flush=True)

    def _type_probe(self) -> None:
        """Queue keystrokes as a keyboard would: they are handled once the loop runs."""
        name = self.window.intake.fields["customer.name"]
        name.setFocus()
        for char in PROBE_TEXT:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QCoreApplication.postEvent(name, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier,
                                                           char))

    def _failed(self, exc: BaseException) -> None:
        from ui.app import fatal
        self.window.hide()
        self.code = fatal(explain(exc))
        self.app.quit()

    def _opened(self, opened: OpenedStore) -> None:
        if opened.needs_setup and not self._set_up(opened):
            return self._give_up(opened)
        previous = self.desk.desk_letter
        self.desk.opened(opened.store, opened.policy, self.pc.desk(opened.saved_desk or "A"),
                         opened.actor)
        set_roc_years(opened.policy.roc_years)   # the store's policy, not this PC's file
        if self.follow_store_locale and opened.policy.locale != self.language.locale:
            self.language.switch(opened.policy.locale)   # retranslates every panel
        if self.desk.actor is None:
            from ui.signin import SignInDialog
            if SignInDialog(self.desk, self.window).exec() != QDialog.DialogCode.Accepted:
                return self._give_up(None)
        self.window.store_opened(opened.mall_name, previous)
        if self.review:
            self.window.show_tab(1)
        if self.exit_when_ready:
            self._finish_probe()
        else:
            QTimer.singleShot(0, self.window.offer_draft)

    def _set_up(self, opened: OpenedStore) -> bool:
        """An empty store (a new database on a server): first-time set-up, as at a first
        start, then the store's settings as saved."""
        from desk.app import setup
        from ui.setup_dialog import SetupDialog

        def submit(values: dict) -> object:
            return setup.set_up(opened.store, opened.policy, **values)
        dialog = SetupDialog(opened.policy, submit, on_language=self.language.switch)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.pc.set("desk", dialog.values()["desk"])
        saved, opened.policy = setup.settings_of(opened.store, opened.policy)
        opened.saved_desk, opened.mall_name = saved.desk, saved.mall_name or opened.mall_name
        return True

    def _give_up(self, opened: OpenedStore | None) -> None:
        if opened is not None:
            opened.store.close()
        self.window.close()
        self.app.quit()

    def _finish_probe(self) -> None:
        typed = self.window.intake.fields["customer.name"].text()
        if typed != PROBE_TEXT:
            print(f"lost keystrokes: typed {PROBE_TEXT!r}, the form holds {typed!r}",
                  file=sys.stderr, flush=True)
            self.code = 3
        elif not self.window.intake.save_button.isEnabled():
            print("saving still disabled", file=sys.stderr, flush=True)
            self.code = 3
        else:
            self._mark("saveable")
        self.window.intake.clear()   # nothing left for the draft at exit
        QTimer.singleShot(0, self.app.quit)
