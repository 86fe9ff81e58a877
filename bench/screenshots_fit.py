"""Screenshots at the two screens a mall's counter PC has: 1366×768 at 100% and 1920×1080 at
150%, in each language, into docs/screenshots/fit/. Each window is opened at the size the
app gives it on that screen (no larger than what the screen leaves), so what is cut off or
cramped shows.

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python bench/screenshots_fit.py 1366x768
    QT_SCALE_FACTOR=1.5 xvfb-run -a -s "-screen 0 1920x1080x24" \\
        .venv/bin/python bench/screenshots_fit.py 1920x1080@150

Screens: the counter (intake, picker), the print preview, the review, the staff and policy
screens. The demo store lives in a temporary user data folder.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
OUT = ROOT / "docs" / "screenshots" / "fit"
SAMPLE = {"zh_TW": ("林淑華", "上週買的運動鞋鞋底開膠，店員說不能換。", "換一雙新的"),
          "zh_CN": ("王丽华", "上周买的运动鞋鞋底开胶，店员说不能换。", "换一双新的"),
          "en": ("Grace Lin", "The trainers' soles came off after three days; the shop "
                 "refused to exchange them.", "A new pair")}


def main(screen: str) -> int:
    from screenshots import demo_desk
    shots = demo_desk("desk-fit-", 300, staff=None)
    from desk.app.review import StoreReview
    from desk.enums import Step
    from ui.admin_policy import PolicyAdminDialog
    from ui.admin_staff import StaffAdminDialog
    from ui.app import build_window
    from ui.print_preview import PrintPreviewDialog
    from ui.review import ReviewWindow
    from ui.widgets import fit_to_screen

    app, store, desk, language = shots.app, shots.store, shots.desk, shots.language
    settings = shots.settings
    OUT.mkdir(parents=True, exist_ok=True)
    for locale in ("zh_TW", "zh_CN", "en"):
        language.switch(locale)
        desk.sign_in("C001", "4821")
        window = build_window(desk, language, settings)
        window.show()
        window.showMaximized()
        settle(app)
        name, text, ask = SAMPLE[locale]
        form = window.intake
        form.fields["customer.name"].setText(name)
        form.fields["complaint"].setPlainText(text)
        form.fields["request"].setPlainText(ask)
        form.fields["motive"].set_key("compensation")
        shoot(app, window, f"{locale}-{screen}-intake.png")
        case = form.save()
        for step in (Step.LISTEN, Step.THANK, Step.APOLOGISE, Step.COMMIT):
            window.checklist.mark_done(step)
        window.work.setCurrentIndex(1)
        window.picker.amount.setText("300")
        window.picker.refresh()
        window.picker.select_kind("voucher")
        shoot(app, window, f"{locale}-{screen}-picker.png")
        preview = PrintPreviewDialog(desk, case.case_no, locale=locale, paper="a4")
        shoot(app, preview, f"{locale}-{screen}-print_preview.png")
        desk.sign_in("A001", "730519")
        review = ReviewWindow(StoreReview(desk.store, desk.policy, desk.actor), desk.policy)
        review.table.selectRow(0)
        shoot(app, review, f"{locale}-{screen}-review.png")
        for dialog, key in ((StaffAdminDialog(desk.admin()), "staff"),
                            (PolicyAdminDialog(desk.admin()), "policy")):
            fit_to_screen(dialog, 900, 640)
            shoot(app, dialog, f"{locale}-{screen}-{key}.png")
        for top in (preview, review, window):
            top.close()
            top.deleteLater()
        settle(app)
    store.close()
    return 0


def settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def shoot(app, window, name: str) -> None:
    window.show()
    settle(app)
    window.grab().save(str(OUT / name))
    print(name, window.width(), window.height(), flush=True)
    if window.isWindow() and window.objectName() not in ("main_window",):
        window.hide()


if __name__ == "__main__":
    code = main(sys.argv[1] if len(sys.argv) > 1 else "1366x768")
    sys.stdout.flush()
    os._exit(code)
