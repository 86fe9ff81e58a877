"""The window comes before the store: typing is kept, saving waits with a note until the
store is open, and the loader opens it (and signs in from DESK_AS/DESK_PIN) on its own thread."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from desk.services.settings import get_settings
from tests.conftest import PINS
from tests.ui.test_ui_counter_flow import take_standard_complaint, type_text
from ui.main_window import MainWindow
from ui.session import Desk, StoreNotReady
from ui.startup import PROBE_TEXT, opens_beside
from ui.store_loader import StoreLoader

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def opening(qtbot, policy, language, pc_settings, drafts):
    """A window over a desk whose store is still opening."""
    desk = Desk(None, policy, desk_letter="A")
    win = MainWindow(desk, language, pc_settings, drafts, paper="a4", mall_name="Test Mall")
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_the_form_takes_typing_but_not_saving_while_the_store_opens(opening, qtbot):
    form = opening.intake
    assert opening.opening_note.isVisible() and "Opening the store" in opening.opening_note.text()
    assert not form.save_button.isEnabled() and not form.print_button.isEnabled()
    form.fields["customer.name"].setFocus()
    qtbot.waitUntil(lambda: form.fields["customer.name"].hasFocus())
    type_text(form.fields["customer.name"], "林淑華")
    QTest.keyClick(form.fields["customer.name"], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert form.case is None and form.fields["customer.name"].text() == "林淑華"
    assert not opening.actions["cases"].isEnabled() and opening.tabs.count() == 1
    with pytest.raises(StoreNotReady):
        opening.desk.take_complaint(form.case_input())


def test_once_open_everything_typed_stays_and_saving_works(opening, qtbot, store, policy,
                                                           team):
    form = opening.intake
    type_text(form.fields["customer.name"], "林")
    form.fields["desk"].setText("A")
    with store.read() as session:
        mall = get_settings(session).mall_name or "Test Mall"
    actor = Desk(store, policy).sign_in("C001", PINS["C001"])
    opening.desk.opened(store, policy, "B", actor)
    opening.store_opened(mall, previous_letter="A")
    assert not opening.opening_note.isVisible() and form.save_button.isEnabled()
    assert form.fields["customer.name"].text() == "林", "what was typed is kept"
    assert form.fields["handler"].key() == "C001", "the signed-in clerk handles it"
    assert form.fields["desk"].text() == "B", "an untouched desk letter follows the store"
    assert opening.tabs.count() == 3 and opening.actions["cases"].isEnabled()
    qtbot.waitUntil(lambda: "NT$500" in opening.who.text())   # read on a pool thread
    form.clear()
    take_standard_complaint(opening, qtbot)
    assert form.case.handler_no == "C001"


def test_a_desk_letter_typed_before_the_store_opened_is_kept(opening, store, policy, team):
    opening.intake.fields["desk"].setText("C")
    opening.desk.opened(store, policy, "B", None)
    opening.store_opened("M", previous_letter="A")
    assert opening.intake.fields["desk"].text() == "C"


def test_the_case_list_and_detail_are_built_when_first_shown(opening, qtbot, store, policy,
                                                            team):
    opening.desk.opened(store, policy, "A", Desk(store, policy).sign_in("C001", PINS["C001"]))
    opening.store_opened("M", previous_letter="A")
    list_page = opening.tabs.widget(1)
    assert list_page.built is None and opening.tabs.widget(2).built is None
    opening.show_tab(1)
    assert list_page.built is opening.case_list
    assert opening.case_list.isVisible() and opening.tabs.widget(2).built is None


def test_the_loader_opens_the_store_and_signs_in(qtbot, store, policy, team):
    url = str(store.engine.url)
    loader = StoreLoader(url, "C001", PINS["C001"])
    with qtbot.waitSignal(loader.ready, timeout=20_000) as got:
        loader.start()
    opened = got.args[0]
    try:
        assert opened.actor.staff_no == "C001" and not opened.needs_setup
    finally:
        opened.store.close()
    wrong = StoreLoader(url, "C001", "0000")
    with qtbot.waitSignal(wrong.ready, timeout=20_000) as got:
        wrong.start()
    assert got.args[0].actor is None, "a wrong PIN leaves the sign-in to the dialog"
    got.args[0].store.close()


def test_the_pin_checked_before_sqlalchemy_still_meets_every_sign_in_rule(store, policy, team):
    """The loader checks DESK_PIN with the bare driver before the ORM loads (a SQLite store;
    a server leaves it all to the sign-in); the sign-in after it still refuses a locked
    account, skips only the repeated hash, and a wrong PIN is never remembered."""
    from datetime import timedelta

    from sqlalchemy import update

    from desk import security, services
    from desk.errors import AuthenticationError
    from desk.model import Staff, utcnow
    from ui.store_loader import check_pin_first
    location = str(store.path) if store.path else str(store.engine.url)
    security._checked_ahead.clear()
    check_pin_first(location, "C001", "0000")
    assert not security._checked_ahead
    check_pin_first(location, " C001 ", PINS["C001"])
    assert len(security._checked_ahead) == (1 if store.path else 0)
    with store.write(system="test") as session:
        session.execute(update(Staff).where(Staff.staff_no == "C001")
                        .values(locked_until=utcnow() + timedelta(minutes=10)))
    with pytest.raises(AuthenticationError):
        services.sign_in(store, policy, "C001", PINS["C001"])
    with store.write(system="test") as session:
        session.execute(update(Staff).where(Staff.staff_no == "C001").values(locked_until=None))
    assert services.sign_in(store, policy, "C001", PINS["C001"]).staff_no == "C001"
    assert not security._checked_ahead, "a remembered match is good for one sign-in"
    with pytest.raises(AuthenticationError):
        services.sign_in(store, policy, "C001", "0000")


def test_a_store_that_cannot_open_is_reported(qtbot, policy, tmp_path):
    loader = StoreLoader("nosuchdriver://x/y")
    with qtbot.waitSignal(loader.failed, timeout=20_000):
        loader.start()


def test_which_stores_open_beside_the_window(tmp_path, monkeypatch):
    existing = tmp_path / "desk.sqlite3"
    existing.write_bytes(b"SQLite format 3\0")
    assert opens_beside(str(existing), demo=False)
    assert not opens_beside(str(existing), demo=True)
    assert not opens_beside(str(tmp_path / "new.sqlite3"), demo=False), "first run: set-up"
    assert opens_beside("postgresql+psycopg://desk@server/desk", demo=False)
    monkeypatch.setenv("DESK_DB", str(existing))
    assert opens_beside(None, demo=False)


def test_cold_start_keeps_keystrokes_typed_before_the_store_opened(store, team, tmp_path):
    """The real program, as the benchmark runs it: it types into the form as soon as the
    window shows and checks the text is still there once saving is possible."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_DATA_DIR=str(tmp_path / "data"),
               DESK_AS="C001", DESK_PIN=PINS["C001"], XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    out = subprocess.run([sys.executable, "-m", "ui.app", "--db", str(store.path),
                          "--exit-when-ready"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    marks = [line.split()[0] for line in out.stdout.splitlines()]
    assert marks == ["ready", "saveable"], out.stdout
    assert PROBE_TEXT


# The window as ui.startup shows it, before its loader starts: what the UI thread imported.
WINDOW_FIRST = """
import sys
from PySide6.QtCore import QSettings
from desk.policy import load_policy
from ui.app import make_app
from ui.language import Language
from ui.settings import PcSettings
from ui.startup import Startup
app = make_app()
pc = PcSettings(QSettings(sys.argv[2], QSettings.Format.IniFormat))
start = Startup(app, sys.argv[1], load_policy(), pc, Language(app), follow_store_locale=False,
                review=False, exit_when_ready=False, started=0)
start.window.show()
app.processEvents()
print(sorted({name.split(".")[0] for name in sys.modules}))
"""


def test_the_window_shows_before_sqlalchemy_is_imported(store, tmp_path):
    """The window's own panels (the outbox's sender, the doors they keep) import neither
    SQLAlchemy nor the services: those load on the loader's thread, after the window shows."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_DATA_DIR=str(tmp_path / "data"),
               XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    out = subprocess.run([sys.executable, "-c", WINDOW_FIRST, str(store.path),
                          str(tmp_path / "pc.ini")], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    imported = out.stdout.splitlines()[-1]
    assert "'PySide6'" in imported and "'desk'" in imported   # the list was printed
    assert "'sqlalchemy'" not in imported and "'argon2'" not in imported


def test_the_ui_thread_waits_for_the_loaders_imports():
    """While the loader imports the store's modules the UI thread does not import them
    alongside (Python's import locks can deadlock on modules that import each other)."""
    import threading
    import time

    from ui import store_modules
    store_modules.loading()
    threading.Timer(0.3, store_modules.loaded).start()
    started = time.perf_counter()
    queries, services = store_modules.services_and_queries()
    assert time.perf_counter() - started >= 0.25
    assert hasattr(services, "take_complaint") and hasattr(queries, "case_detail")


def test_the_app_has_its_own_icon(qapp):
    from ui.app import make_app
    app = make_app()
    assert not app.windowIcon().isNull()
    assert app.windowIcon().availableSizes()      # the bundled PNG was read, not a blank icon


# Loaded when first used (a form printed, a report written, a document signed, a slip sent to
# the receipt printer, Chinese text segmented), never while the counter starts.
NOT_AT_START = {"reportlab", "openpyxl", "pypdf", "PIL", "opencc", "jieba", "escpos", "qrcode",
                "cryptography", "aiosmtpd", "smtplib", "alembic", "psycopg", "hypothesis"}


def test_nothing_heavy_is_imported_while_the_counter_starts(policy, tmp_path):
    """Start-up stays within its goal as features are added: the program started on a store
    at the newest schema, signed in and ready to save, has imported none of the modules that
    only some actions need (read from Python's own import log, -X importtime)."""
    from desk.store import Store
    from tests.conftest import make_team
    db = tmp_path / "desk.sqlite3"
    store = Store("sqlite:///" + db.as_posix())
    make_team(store, policy)
    store.close()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_DATA_DIR=str(tmp_path / "data"),
               DESK_AS="C001", DESK_PIN=PINS["C001"], XDG_CONFIG_HOME=str(tmp_path / "cfg"))
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "ui.app", "--db", str(db),
                          "--exit-when-ready"], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert "saveable" in out.stdout
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0]
                for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert "sqlalchemy" in imported and "PySide6" in imported   # the log was read
    assert imported & NOT_AT_START == set()
