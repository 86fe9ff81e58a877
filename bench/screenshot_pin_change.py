"""Screenshot of the sign-in dialog asking for a new PIN (the old one is below the PIN
policy), after a run was refused, into docs/screenshots/LOCALE-pin_change.png.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshot_pin_change.py [en zh_TW ...]

Messages not yet merged into the catalogs (i18n/pending/*.json) show in English; run
``python i18n/catalogs.py extract && python i18n/catalogs.py merge`` first to see them
translated. The store lives in a temporary folder.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main(locales: list[str]) -> int:
    data = Path(tempfile.mkdtemp(prefix="desk-pin-"))
    os.environ["DESK_DATA_DIR"] = str(data)
    from argon2 import PasswordHasher

    from desk import services
    from desk.services.auth import staff_by_no
    from desk.store import Store
    from desk.store_policy import load_store_policy
    from ui.app import load_fonts, make_app
    from ui.language import Language
    from ui.session import Desk
    from ui.signin import SignInDialog

    app = make_app()
    load_fonts()
    store = Store("sqlite:///" + (data / "desk.sqlite3").as_posix())
    policy = load_store_policy(store)
    with store.write(system="demo") as session:
        services.add_staff(session, policy, "S001", "林志明", "supervisor", "907316")
    with store.write(system="demo") as session:   # a PIN set before the policy grew stricter
        staff_by_no(session, "S001").pin_hash = PasswordHasher().hash("8642")
    language = Language(app)
    OUT.mkdir(parents=True, exist_ok=True)
    for locale in locales:
        language.switch(locale)
        dialog = SignInDialog(Desk(store, policy, desk_letter="A"))
        dialog.show()
        dialog.sign_in_with("S001", "8642")
        dialog.new_pin.setText("654321")
        dialog.new_pin2.setText("654321")
        dialog.try_sign_in()
        for _ in range(5):
            app.processEvents()
        dialog.grab().save(str(OUT / f"{locale}-pin_change.png"))
        print(f"{locale}-pin_change.png {dialog.width()}x{dialog.height()}", flush=True)
        dialog.close()
    store.close()
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:] or ["en"])
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit
