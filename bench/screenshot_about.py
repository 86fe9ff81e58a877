"""Screenshot of Help → About on a demo store, in each language, into
docs/screenshots/LOCALE-about.png, at the size it opens with (it must fit a 1366x768 screen).

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python bench/screenshot_about.py
    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshot_about.py

Messages not yet merged into the catalogs (i18n/pending/*.json) show in English; run
``python i18n/catalogs.py extract && python i18n/catalogs.py merge`` first to see them
translated. The demo store lives in a temporary user data folder.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    os.environ.pop("DESK_DB", None)
    from screenshots import demo_desk
    # the store's own policy, as the app runs it
    shots = demo_desk("desk-about-", 30, store_policy=True)
    from ui.about import AboutDialog
    from ui.app import build_window

    app, store, desk, language = shots.app, shots.store, shots.desk, shots.language
    settings = shots.settings
    OUT.mkdir(parents=True, exist_ok=True)
    window = build_window(desk, language, settings)
    window.resize(1366, 738)
    window.show()
    for locale in ("zh_TW", "zh_CN", "en"):
        language.switch(locale)
        window.actions["about"].trigger()
        box = window.findChild(AboutDialog, "about_dialog")
        for _ in range(5):
            app.processEvents()
        box.grab().save(str(OUT / f"{locale}-about.png"))
        print(f"{locale}-about.png {box.width()}x{box.height()}", flush=True)
        box.close()
        box.deleteLater()
        app.processEvents()
    window.close()
    store.close()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit
