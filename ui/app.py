"""``complaint-desk``: the only place that wires the counter app together: arguments, Qt,
fonts, translators, the error hook, the store, first run, sign-in, the main window.

Usually the window comes first and the store opens beside it (``ui.startup``); a first run,
the demo store and a day pack need the store before any window and start here in order."""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

START = time.perf_counter()

# The desk modules the first window needs load before PySide6: once it is imported, its
# import hook reads the source of every module imported after it (looking for PySide6),
# which made them cost twice as much. Nothing here imports SQLAlchemy or the services: they
# load on the store loader's thread while the window is already up (ui/store_loader.py).
from desk.errors import DomainError  # noqa: E402
from desk.i18n import LOCALES, _, set_roc_years  # noqa: E402
from desk.paths import APP_AUTHOR, APP_NAME, resources_dir  # noqa: E402
from desk.policy import load_policy  # noqa: E402

from PySide6.QtCore import QSettings, Qt, QTimer  # noqa: E402
from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox  # noqa: E402
from ui.errors import explain, install_excepthook, setup_logging  # noqa: E402
from ui.language import Language  # noqa: E402
from ui.settings import PcSettings  # noqa: E402

DEMO_CASES = 300
CJK_FONT = "fonts/wqy-microhei.ttc"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="complaint-desk",
                                     description=_("Complaint Desk: the service counter app."))
    parser.add_argument("--demo", action="store_true",
                        help=_("open the separate demo store, filled with demo cases and staff"))
    parser.add_argument("--db", help=_("store path or database URL (default: this PC's setting, "
                                       "DESK_DB or the user data folder)"))
    parser.add_argument("--locale", choices=LOCALES, help=_("language for this run"))
    parser.add_argument("--review", nargs="?", const=True, metavar="FILE",
                        help=_("start on the case list (a supervisor reviewing the day); with "
                               "a day pack FILE, review that pack on this PC without the store"))
    # For benchmarks and scripted screenshots: quit once the intake form is ready.
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def load_fonts() -> str | None:
    """Make CJK text render on a PC without Chinese fonts: load the bundled font if no
    installed family covers Traditional Chinese. Skipped quietly if the font is absent."""
    if QFontDatabase.families(QFontDatabase.WritingSystem.TraditionalChinese):
        return None
    path = resources_dir() / CJK_FONT
    if not path.exists():
        return None
    font_id = QFontDatabase.addApplicationFont(str(path))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QGuiApplication.font()
        font.setFamilies([font.family(), *families])
        QGuiApplication.setFont(font)
        return families[0]
    return None


def make_app(argv0: str = "complaint-desk") -> QApplication:
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication([argv0])
    app.setOrganizationName(APP_AUTHOR)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(_("Complaint Desk"))
    icon = resources_dir() / "icons" / "complaint-desk.png"
    if icon.exists():                  # every window and the taskbar show it
        app.setWindowIcon(QIcon(str(icon)))
    return app


def fatal(message: str) -> int:
    QMessageBox.critical(None, _("Complaint Desk"), message)
    return 2


def open_desk(args: argparse.Namespace, pc: PcSettings, language: Language):
    """Open the store (demo or real), run first-time set-up, apply the store's settings.
    The store's own policy governs from here on (a new store takes the bundled one).
    Returns the Desk, or None when the clerk cancelled the set-up."""
    from desk.app import setup
    from desk.health import open_checked
    from desk.store import resolve_url
    from desk.store_policy import load_store_policy
    from ui.session import Desk
    from ui.setup_dialog import SetupDialog

    # Checked first, as the ``desk`` command does: a damaged, locked or newer store is
    # refused with the health check's message instead of failing half-way.
    store = open_checked(resolve_url(args.db or (None if args.demo else pc.db()),
                                     demo=args.demo), create=True)
    try:
        policy = load_store_policy(store)
    except BaseException:
        store.close()
        raise
    demo_staff: list = []
    if args.demo:
        from desk import demo
        report = demo.fill_demo(store, policy, DEMO_CASES) if demo.needs_filling(store) else None
        demo_staff = report.staff if report and report.staff else list(demo.DEMO_STAFF)
    elif setup.needs_setup(store):
        def submit(values: dict) -> object:
            return setup.set_up(store, policy, **values)
        dialog = SetupDialog(policy, submit, on_language=language.switch)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            store.close()
            return None
        pc.set("desk", dialog.values()["desk"])
    saved, policy = setup.settings_of(store, policy)
    desk = Desk(store, policy, demo=args.demo, desk_letter=pc.desk(saved.desk or "A"),
                demo_staff=demo_staff)
    return desk


def _trusted_pack_keys(args, pc) -> dict[str, str]:
    """The pack keys this PC's store trusts, read without upgrading it. No store on this PC
    ): none, so every pack is refused, saying whose key is
    missing, until the exporting store's key is registered (``desk pack trust add``)."""
    from desk.app.review import trusted_pack_keys
    from desk.store import Store, resolve_url
    from ui.startup import opens_beside
    db = args.db or pc.db()
    if not opens_beside(db, demo=False):
        return {}
    store = Store(resolve_url(db), migrate=False)
    try:
        return trusted_pack_keys(store)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    from ui.qt_libraries import check_before_qt
    missing = check_before_qt()          # Qt would abort naming only one of them
    if missing:
        print(missing, file=sys.stderr)
        return 1
    app = make_app()
    install_excepthook()
    load_fonts()
    try:
        policy = load_policy()
    except DomainError as exc:
        return fatal(str(exc))
    pc = PcSettings(QSettings())
    language = Language(app)
    language.switch(args.locale or pc.locale(policy.locale))
    set_roc_years(policy.roc_years)
    from ui.startup import Startup, opens_beside
    db = args.db or pc.db()
    if isinstance(args.review, str) or not opens_beside(db, args.demo):
        setup_logging()   # the store opens first; beside the window, once it shows
    if isinstance(args.review, str):   # a day pack, reviewed without opening the store
        from ui.review import run_pack_review
        return run_pack_review(app, Path(args.review), policy, _trusted_pack_keys(args, pc))
    if opens_beside(db, args.demo):
        return Startup(app, db, policy, pc, language, review=bool(args.review),
                       follow_store_locale=not args.locale and not pc.q.contains("locale"),
                       exit_when_ready=args.exit_when_ready, started=START).run()
    try:
        desk = open_desk(args, pc, language)
    except Exception as exc:  # a store that cannot open (drive gone, disk full): say why
        return fatal(explain(exc))
    if desk is None:
        return 0
    set_roc_years(desk.policy.roc_years)
    if not args.locale and not pc.q.contains("locale"):
        language.switch(desk.policy.locale)
    if not sign_in(desk):
        desk.store.close()
        return 0
    window = build_window(desk, language, pc)
    if args.review:
        window.show_tab(1)
    window.show()
    if args.exit_when_ready:
        elapsed = time.perf_counter() - START
        print(f"ready {elapsed * 1000:.1f} ms", flush=True)
        QTimer.singleShot(0, app.quit)
    else:
        QTimer.singleShot(0, window.offer_draft)
    code = app.exec()
    desk.store.close()
    return code


def sign_in(desk) -> bool:
    """DESK_AS and DESK_PIN (as for the ``desk`` command) sign in without the dialog."""
    from ui.signin import SignInDialog
    staff_no, pin = os.environ.get("DESK_AS"), os.environ.get("DESK_PIN")
    if staff_no and pin:
        try:
            desk.sign_in(staff_no, pin)
            return True
        except DomainError:
            pass
    return SignInDialog(desk).exec() == QDialog.DialogCode.Accepted


def build_window(desk, language: Language, pc: PcSettings):
    from ui.draft import DraftStore
    from ui.main_window import MainWindow
    mall = desk.store_settings().mall_name or desk.policy.mall_name
    db_label = "" if desk.store.path is None else Path(desk.store.path).name
    return MainWindow(desk, language, pc, DraftStore(), paper=pc.paper(desk.policy.paper),
                      mall_name=mall, db_label=db_label)


if __name__ == "__main__":
    sys.exit(main())
