"""Screenshots of money after the counter, in each language, into docs/screenshots/: the
finance queue with costs in each state and the settlement dialog with a signature drawn on
its pad; and the settlement agreement, signed, as PDF and pictures into docs/forms/.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots_money.py

Runs on a demo store in a temporary user data folder: nothing of this PC's store is touched.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
SHOTS = ROOT / "docs" / "screenshots"
FORMS = ROOT / "docs" / "forms"
LOCALES = ("zh_TW", "zh_CN", "en")
FINANCE = (("F001", "鄭會計", "468013"), ("F002", "蘇出納", "579241"))   # money: 6 digits
# The customer's own words, in the language their case was taken in.
PHONES = {"zh_TW": "0933-222-111", "zh_CN": "0933-222-112", "en": "0933-222-113"}
CUSTOMERS = {"zh_TW": ("林雅琪", "電扶梯突然停止，扭傷腳踝，就醫花費兩千元。", "退還醫藥費"),
             "zh_CN": ("王丽华", "扶梯突然停下，扭伤了脚踝，看病花了两千元。", "报销医药费"),
             "en": ("Mary Chan", "The escalator stopped suddenly; I twisted my ankle and paid "
                    "2,000 for the doctor.", "Pay back the doctor's bill")}


def main() -> int:
    from screenshots import demo_desk, shoot, shoot_dialog
    made: dict = {}

    def prepare(store, policy) -> None:
        from desk.app.money import Money
        from desk.services import sign_in
        _finance_staff(store, policy)
        clerk = sign_in(store, policy, "C002", "5938")
        f1, f2 = (sign_in(store, policy, no, pin) for no, _n, pin in FINANCE)
        made["sup"] = sign_in(store, policy, "S001", "907316")
        costs = [_accepted(store, policy, clerk, amount, kind) for amount, kind in
                 (("300", "refund"), ("450", "voucher"), ("200", "small_gift"),
                  ("120", "refund"))]
        Money(store, policy, lambda: f1).approve(costs[1], 1, "")
        Money(store, policy, lambda: f1).return_(costs[2], 1,
                                                 "收據影本未附 / receipt copy missing")
        Money(store, policy, lambda: f1).approve(costs[3], 1, "")
        Money(store, policy, lambda: f2).pay(costs[3], 1, "cash")
        made["legal"] = {loc: _accepted(store, policy, clerk, "2000", "refund", locale=loc)
                         for loc in LOCALES}

    shots = demo_desk("desk-money-shots-", 40, staff=None, store_policy=True,
                      prepare=prepare)
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from desk.app.money import Money
    from ui.finance import FinanceQueue
    from ui.signature import SettlementDialog

    app, store, policy, desk, language = (shots.app, shots.store, shots.policy, shots.desk,
                                          shots.language)
    sup, legal = made["sup"], made["legal"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    for locale in LOCALES:
        language.switch(locale)
        desk.sign_in(FINANCE[0][0], FINANCE[0][2])
        queue = FinanceQueue(desk)
        queue.resize(1260, 420)
        queue.show()
        queue.reload()
        queue.table.selectRow(0)
        shoot(app, queue, f"{locale}-finance_queue.png")
        queue.close()
        queue.deleteLater()
        desk.sign_in("C002", "5938")
        dialog = SettlementDialog(desk, desk.detail(legal[locale]))
        dialog.show()
        app.processEvents()
        _sign(QTest, QPoint, Qt, dialog.pad)
        shoot_dialog(app, dialog, f"{locale}-settlement_dialog.png")
        dialog.save_drawn()
        pdf = Money(store, policy, lambda: sup).agreement_pdf(legal[locale])
        target = FORMS / f"settlement-{locale}.pdf"
        target.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-singlefile", str(target),
                        str(FORMS / f"settlement-{locale}")], check=True)
        print(target.name, flush=True)
        dialog.deleteLater()
        app.processEvents()
    store.close()
    return 0


def _sign(QTest, QPoint, Qt, pad) -> None:
    """A name-like scrawl with the mouse, as a customer would sign with a pen."""
    strokes = [[(40, 110), (60, 60), (80, 115), (100, 62), (118, 112)],
               [(140, 95), (170, 70), (200, 98), (230, 66), (262, 100), (300, 72)],
               [(320, 108), (360, 64), (400, 104), (440, 80)]]
    for stroke in strokes:
        QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(*stroke[0]))
        for x, y in stroke[1:]:
            QTest.mouseMove(pad, QPoint(x, y))
        QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                           QPoint(*stroke[-1]))


def _finance_staff(store, policy) -> None:
    from desk import services
    admin = services.sign_in(store, policy, "A001", "730519")
    with store.write(admin) as session:
        for staff_no, name, pin in FINANCE:
            services.add_staff(session, policy, staff_no, name, "finance", pin, actor=admin)


def _accepted(store, policy, clerk, amount: str, kind: str, locale: str | None = None) -> str:
    """A counter complaint whose offer the customer accepted. With ``locale``: a level-2
    (safety) case taken in that language, for the agreement."""
    from desk import services
    from desk.clock import utcnow
    from desk.enums import Step
    now = utcnow() - timedelta(hours=3)
    name, text, ask = CUSTOMERS[locale or "zh_TW"]
    with store.write(clerk) as session:
        case = services.take_complaint(session, policy, clerk, services.CaseInput(
            desk="A", channel="counter", customer_name=name,
            customer_phone=PHONES[locale or "zh_TW"],
            subject_kind="facility" if locale else "tenant",
            subject_name="B1 電扶梯" if locale else "2F 晨光咖啡",
            category="safety_legal" if locale else "goods_rights", complaint=text,
            request=ask, motive="compensation", severity=1,
            text_locale=locale or "zh_TW"), now=now)
        at = now
        for step in (Step.LISTEN, Step.THANK, Step.APOLOGISE, Step.COMMIT, Step.PROPOSE):
            at += timedelta(minutes=2)
            services.record_step(session, policy, case.case_no, clerk, step.value, note="",
                                 promised_reply_at=at + timedelta(hours=2)
                                 if step is Step.COMMIT else None, now=at)
    serials = ("V-2026-0417", "V-2026-0418") if kind == "voucher" else ()
    # Beyond a clerk's authority the operations manager, handling a safety case, offers it.
    offerer = services.sign_in(store, policy, "O001", "461803") if locale else clerk
    with store.write(offerer) as session:
        services.make_offer(session, policy, case.case_no, offerer, kind, amount,
                            description="醫藥費收據 / medical receipt" if locale else "",
                            serials=serials, now=at + timedelta(minutes=1))
        services.record_answer(session, policy, case.case_no, 1, offerer, "accepted",
                               now=at + timedelta(minutes=3))
    return case.case_no


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit
