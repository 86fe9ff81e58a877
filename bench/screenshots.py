"""Screenshots of the counter app in each language, on a demo store, into docs/screenshots/.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python bench/screenshots.py

Starts the real window on a real (virtual) X display, fills in a standard counter complaint,
works the six steps, opens the compensation picker and the case list, and saves one PNG per
screen and language: intake, checklist, picker, case_list. The demo store lives in a
temporary user data folder, so nothing of this PC's real store is touched.
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="desk-shots-"))
    os.environ["DESK_DATA_DIR"] = str(data)
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desk.demo import fill_demo
    from desk.enums import Step
    from desk.policy import load_policy
    from desk.store import open_store
    from ui.app import build_window, load_fonts, make_app
    from ui.language import Language
    from ui.session import Desk
    from ui.settings import PcSettings

    app = make_app()
    load_fonts()
    policy = load_policy()
    store = open_store(None, demo=True)
    report = fill_demo(store, policy, 300)
    desk = Desk(store, policy, demo=True, desk_letter="A", demo_staff=report.staff)
    desk.sign_in("C001", "1357")
    language = Language(app)
    settings = PcSettings(QSettings(str(data / "pc.ini"), QSettings.Format.IniFormat))
    OUT.mkdir(parents=True, exist_ok=True)
    samples = {
        "zh_TW": ("林淑華", "0912-345-678", "3F 好鞋坊 運動鞋", "上週在好鞋坊買的運動鞋，穿三天鞋底就開膠，"
                  "店員說要送回原廠不能直接換。", "換一雙新的"),
        "zh_CN": ("王丽华", "0912-345-678", "3F 好鞋坊 运动鞋", "上周在好鞋坊买的运动鞋，穿三天鞋底就开胶，"
                  "店员说要寄回原厂不能直接换。", "换一双新的"),
        "en": ("Grace Lin", "0912-345-678", "3F Good Shoes, trainers", "Bought trainers at Good "
               "Shoes last week; the sole came off after three days and the shop will only "
               "send them back to the maker.", "A new pair"),
    }
    for locale in ("zh_TW", "zh_CN", "en"):
        language.switch(locale)
        window = build_window(desk, language, settings)
        window.resize(1440, 900)
        window.show()
        app.processEvents()
        form = window.intake
        name, phone, subject, text, ask = samples[locale]
        form.fields["customer.name"].setText(name)
        form.fields["customer.phone"].setText(phone)
        form.fields["subject.name"].setText(subject)
        form.fields["complaint"].setPlainText(text)
        form.fields["request"].setPlainText(ask)
        form.fields["motive"].set_key("compensation")
        form.refresh_history()
        form.fields["customer.name"].setFocus()
        shoot(app, window, f"{locale}-intake.png")
        form.save()
        checklist = window.checklist
        checklist.rows[Step.LISTEN].note.setText(text[:24] + "…")
        for step in (Step.LISTEN, Step.THANK, Step.APOLOGISE, Step.COMMIT):
            checklist.mark_done(step)
        shoot(app, window, f"{locale}-checklist.png")
        window.work.setCurrentIndex(1)
        picker = window.picker
        picker.amount.setText("1500")
        picker.refresh()
        picker.select_kind("cash")
        shoot(app, window, f"{locale}-picker.png")
        window.show_tab(1)
        window.case_list.apply_filter()
        shoot(app, window, f"{locale}-case_list.png")
        window.close()
        window.deleteLater()
        app.processEvents()
    store.close()
    print(f"screenshots in {OUT.relative_to(ROOT)}")
    QApplication.processEvents()
    return 0


def shoot(app, window, name: str) -> None:
    for _ in range(3):
        app.processEvents()
    window.grab().save(str(OUT / name))
    print(name, flush=True)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit
