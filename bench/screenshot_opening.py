"""Screenshot of the counter window while the store is still opening (the usual start:
window first, store beside it), in each language, into docs/screenshots/LOCALE-opening.png.

    QT_QPA_PLATFORM=offscreen python bench/screenshot_opening.py

Each language runs in its own process, because the window is grabbed a moment after it
shows and the process then ends without waiting for the store.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
LOCALES = ("zh_TW", "zh_CN", "en")


def grab(locale: str, store: Path, out: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings, QTimer

    from desk.policy import load_policy
    from ui.app import load_fonts, make_app
    from ui.language import Language
    from ui.settings import PcSettings
    from ui.startup import Startup

    app = make_app()
    load_fonts()
    language = Language(app)
    language.switch(locale)
    startup = Startup(app, str(store), load_policy(), PcSettings(QSettings()), language,
                      review=False, follow_store_locale=False, exit_when_ready=False,
                      started=time.perf_counter())

    def shoot() -> None:
        startup.window.resize(1280, 800)
        app.processEvents()
        startup.window.grab().save(str(out))
        opened = startup.desk.store is not None
        print(f"{out.name}: store {'already open' if opened else 'still opening'}", flush=True)
        os._exit(0 if not opened else 1)    # a grab after the store opened shows nothing new

    QTimer.singleShot(30, shoot)
    startup.run()


def main() -> int:
    if len(sys.argv) == 4:                  # the child: LOCALE STORE OUT
        grab(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]))
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "desk.sqlite3"
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_DATA_DIR=folder)
        subprocess.run([sys.executable, "-m", "desk.cli", "--db", str(store), "init",
                        "--demo", "200"], cwd=ROOT, env=env, check=True, capture_output=True)
        for locale in LOCALES:
            subprocess.run([sys.executable, __file__, locale, str(store),
                            str(OUT / f"{locale}-opening.png")], cwd=ROOT, env=env, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
