"""Screenshots of the counter app in each language, on a demo store, into docs/screenshots/.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python bench/screenshots.py

Starts the real window on a real (virtual) X display, fills in a standard counter complaint,
works the six steps, opens the compensation picker and the case list, and saves one PNG per
screen and language: intake, checklist, picker, case_list. Then the after-care screens: the
clock paused on that complaint (pause_dialog, case_clock, case_pauses), a supervisor's
chargeback on a paid tenant case (chargeback_dialog, case_corrective) and the review
window's corrective actions (corrective). The demo store lives in a temporary user data
folder, so nothing of this PC's real store is touched.
"""
from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


@dataclass
class DemoDesk:
    """What every screenshot script starts from: the app, a demo store in a temporary user
    data folder (nothing of this PC's real store is touched), a desk and the PC settings."""

    app: object
    data: Path
    store: object
    policy: object
    report: object
    desk: object
    language: object
    settings: object

    def counter_window(self, locale: str, width: int = 1440, height: int = 900):
        """The counter window in ``locale``, shown at ``width`` x ``height``."""
        from ui.app import build_window
        self.language.switch(locale)
        window = build_window(self.desk, self.language, self.settings)
        window.resize(width, height)
        window.show()
        self.app.processEvents()
        return window


def demo_desk(prefix: str, cases: int, *, staff: tuple[str, str] | None = ("C001", "4821"),
              store_policy: bool = False, prepare=None) -> DemoDesk:
    """Start the app on a demo store of ``cases`` cases, signed in as ``staff`` (None: no
    one). ``store_policy``: the desk runs the store's own policy, as the app does, instead
    of the bundled file's; ``prepare(store, policy)`` adds data before the desk opens."""
    data = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ["DESK_DATA_DIR"] = str(data)
    from PySide6.QtCore import QSettings

    from desk.demo import fill_demo
    from desk.policy import load_policy
    from desk.store import open_store
    from desk.store_policy import load_store_policy
    from ui.app import load_fonts, make_app
    from ui.language import Language
    from ui.session import Desk
    from ui.settings import PcSettings

    app = make_app()
    load_fonts()
    store = open_store(None, demo=True)
    report = fill_demo(store, load_policy(), cases)
    policy = load_store_policy(store) if store_policy else load_policy()
    if prepare is not None:
        prepare(store, policy)
    desk = Desk(store, policy, demo=True, desk_letter="A", demo_staff=report.staff)
    if staff is not None:
        desk.sign_in(*staff)
    settings = PcSettings(QSettings(str(data / "pc.ini"), QSettings.Format.IniFormat))
    return DemoDesk(app, data, store, policy, report, desk, Language(app), settings)


def main() -> int:
    shots = demo_desk("desk-shots-", 300)
    from PySide6.QtWidgets import QApplication

    from desk.enums import Step

    app, store = shots.app, shots.store
    OUT.mkdir(parents=True, exist_ok=True)
    samples = {
        "zh_TW": ("林淑華", "0912-345-678", "3F 好鞋坊 運動鞋", "上週在好鞋坊買的運動鞋，穿三天鞋底就開膠，"
                  "店員說要送回原廠不能直接換。", "換一雙新的"),
        "zh_CN": ("王丽华", "0913-246-801", "3F 好鞋坊 运动鞋", "上周在好鞋坊买的运动鞋，穿三天鞋底就开胶，"
                  "店员说要寄回原厂不能直接换。", "换一双新的"),
        "en": ("Grace Lin", "0935-678-123", "3F Good Shoes, trainers", "Bought trainers at Good "
               "Shoes last week; the sole came off after three days and the shop will only "
               "send them back to the maker.", "A new pair"),
    }
    for locale in ("zh_TW", "zh_CN", "en"):
        window = shots.counter_window(locale)
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
        shoot_aftercare(app, window, locale)
        window.close()
        window.deleteLater()
        app.processEvents()
    store.close()
    print(f"screenshots in {OUT.relative_to(ROOT)}")
    QApplication.processEvents()
    return 0


AFTERCARE = {   # pause reason, chargeback reason, two root-cause records (title, problem, parts)
    "zh_TW": ("專櫃確認是否有同尺寸的新鞋，明天中午前回覆。", "鞋底開膠屬商品瑕疵，由專櫃負擔。",
              ("好鞋坊運動鞋鞋底開膠", "一週內兩位顧客反映同款運動鞋穿數天即開膠。", None),
              ("停車場繳費機找零錯誤", "繳費機連續三天少找零錢。",
               ("暫停該台繳費機", "找零模組感測器老化", "更換找零模組",
                "連續兩週無找零錯誤", "每月巡檢找零模組"))),
    "zh_CN": ("专柜确认是否有同尺码的新鞋，明天中午前回复。", "鞋底开胶属商品瑕疵，由专柜承担。",
              ("好鞋坊运动鞋鞋底开胶", "一周内两位顾客反映同款运动鞋穿几天就开胶。", None),
              ("停车场缴费机找零错误", "缴费机连续三天少找零钱。",
               ("暂停该台缴费机", "找零模块传感器老化", "更换找零模块",
                "连续两周无找零错误", "每月巡检找零模块"))),
    "en": ("The shop checks whether it has a new pair in this size; it answers by noon tomorrow.",
           "The sole coming loose is a product fault: the shop pays.",
           ("Trainers from Good Shoes come apart", "Two customers in a week: soles came loose "
            "after a few days.", None),
           ("Car park pay station gives wrong change", "Short change three days running.",
            ("Pay station taken out of use", "Worn coin sensor", "Change module replaced",
             "No wrong change for two weeks", "Monthly check of the change module"))),
}


def shoot_aftercare(app, window, locale: str) -> None:
    """Pause the counter's complaint, charge a paid tenant case back, open root-cause
    records; shoot each screen; then verify and settle it all so the next language starts
    from an empty corrective list."""
    from desk.corrective import FIELDS
    from desk.queries import CaseFilter
    from ui.aftercare import Aftercare
    from ui.case_actions import chargeback_dialog, pause_dialog
    from ui.review import open_store_review
    desk = window.desk
    care = Aftercare.of_desk(desk)
    pause_text, charge_text, *records = AFTERCARE[locale]
    case = window.checklist.case
    dialog = pause_dialog(desk, case, window)
    dialog.set_values(waiting_on="tenant", reason=pause_text)
    shoot_dialog(app, dialog, f"{locale}-pause_dialog.png")
    dialog.run()
    window.open_case(case.case_no)
    detail = window.detail
    detail.tabs.setCurrentIndex(0)
    detail.tabs.currentWidget().ensureWidgetVisible(detail.values["clock"], 50, 200)
    shoot(app, window, f"{locale}-case_clock.png")
    detail.tabs.setCurrentIndex(detail.tabs.indexOf(detail.aftercare.pause_page))
    shoot(app, window, f"{locale}-case_pauses.png")

    desk.sign_in("S001", "907316")                      # a supervisor from here on
    window.refresh_status()
    rows = desk.search(CaseFilter(), 0, 300)
    paid = next(r.case_no for r in rows if r.subject_name and r.total
                and care.chargeback_room(r.case_no) > 0)
    shops = [r.case_no for r in rows if r.subject_name and r.case_no != paid][:2]
    others = [r.case_no for r in rows if not r.subject_name][:3]
    for (title, problem, parts), cases in zip(records, (shops, others)):
        number = care.open_root_cause([paid] + cases if parts is None else cases, title,
                                      problem, team="3F")
        if parts:
            care.update_root_cause(number, **dict(zip(FIELDS[1:], parts)))
    window.open_case(paid)
    dialog = chargeback_dialog(desk, detail.case, window)
    dialog.set_values(amount=str(int(care.chargeback_room(paid))), reason=charge_text)
    shoot_dialog(app, dialog, f"{locale}-chargeback_dialog.png")
    detail.show_case(dialog.submit(dialog.values()))
    detail.tabs.setCurrentIndex(detail.tabs.indexOf(detail.aftercare.corrective_page))
    shoot(app, window, f"{locale}-case_corrective.png")

    review = open_store_review(window, desk.store, desk.policy, desk.actor)
    review.resize(1440, 900)
    review.tabs.setCurrentIndex(2)
    review.corrective.reload()
    shoot(app, review, f"{locale}-corrective.png")
    review.close()
    for row in care.root_causes(open_only=True):
        care.update_root_cause(row.id, **{f: getattr(row, f) or "—" for f in FIELDS})
        care.verify_root_cause(row.id)
    for row in care.chargebacks(open_only=True):
        care.settle_chargeback(row.id, "—")
    desk.sign_in("C001", "4821")
    window.refresh_status()


def shoot_dialog(app, dialog, name: str) -> None:
    dialog.show()
    shoot(app, dialog, name)
    dialog.hide()


def shoot(app, window, name: str, out: Path = OUT) -> None:
    for _ in range(3):
        app.processEvents()
    window.grab().save(str(out / name))
    print(name, flush=True)


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit
