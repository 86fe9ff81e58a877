"""Screenshots of the intake's suggestions in each language, into docs/screenshots/:
a complaint that names the media and a lawyer (the suggestion and the red escalation-risk
warning), after "Use suggestion" filled in what the clerk had not chosen.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python bench/screenshots_suggestions.py

Runs on a demo store in a temporary user data folder, as bench/screenshots.py does.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"

from screenshots import demo_desk, shoot  # noqa: E402  (bench/ is the script's folder)

SAMPLES = {   # name, phone, member no., tier, shop, complaint, request
    "zh_TW": ("陳志明", "0933-456-789", "M1234567", "vip", "2F 悅容美妝",
              "悅容美妝的店員結帳時態度很差,還對我大吼,太過分了。我已經跟記者聯絡,"
              "也會請律師處理。", "店家正式道歉"),
    "zh_CN": ("王丽华", "0933-456-789", "M1234567", "vip", "2F 悦容美妆",
              "悦容美妆的店员结账时态度很差,还对我大吼,太过分了。我已经联系了记者,"
              "也会请律师处理,还要投诉到12315。", "商家正式道歉"),
    "en": ("Grace Lin", "0933-456-789", "M1234567", "vip", "2F Beauty Corner",
           "The cashier at Beauty Corner was rude and shouted at me in front of everyone. "
           "I have already called a reporter and my lawyer.", "A formal apology"),
}


def main() -> int:
    shots = demo_desk("desk-shots-", 300)
    from PySide6.QtWidgets import QApplication

    app, store = shots.app, shots.store
    OUT.mkdir(parents=True, exist_ok=True)
    for locale, (name, phone, member, tier, shop, text, ask) in SAMPLES.items():
        window = shots.counter_window(locale, 1440, 1000)
        form = window.intake
        form.fields["customer.name"].setText(name)
        form.fields["customer.phone"].setText(phone)
        form.fields["customer.member_no"].setText(member)
        form.fields["customer.tier"].set_key(tier)
        form.fields["subject.name"].setText(shop)
        form.fields["complaint"].setPlainText(text)
        form.fields["request"].setPlainText(ask)
        form.fields["motive"].set_key("respect")
        panel = form.suggestions
        while not (panel.ready and panel.suggestion is not None):
            # Never a tight loop: each processEvents() call here costs None a reference
            # (PySide6 6.12 on Python 3.11), and a million of them abort the interpreter.
            app.processEvents()
            time.sleep(0.01)
        panel.use_button.click()
        form.refresh_history()
        form.fields["complaint"].setFocus()
        shoot(app, window, f"{locale}-intake_suggestions.png")
        window.close()
        window.deleteLater()
        app.processEvents()
    store.close()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit
