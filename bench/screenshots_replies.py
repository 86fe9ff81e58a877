"""Sample reply letters and tenant notices (docs/replies/) and screenshots of the written
replies' screens (docs/screenshots/<locale>-reply_*.png), in each language.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots_replies.py

Each language gets its own store in a temporary folder: a tenant complaint walked, a voucher
accepted, resolved, charged back, a reply drafted from the "result" template and approved by
a supervisor; an e-mail reply sent to a server that is down, so the outbox shows a failure.
Messages not yet in the catalogs come from i18n/pending/*.json, as the merged catalogs will.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "docs" / "forms"))
LETTERS = ROOT / "docs" / "replies"
SHOTS = ROOT / "docs" / "screenshots"
T0 = datetime(2026, 11, 22, 14, 0, tzinfo=timezone(timedelta(hours=8)))
STAFF = [("A001", "王大同", "general_manager", "2468"), ("C001", "陳美玲", "clerk", "1357"),
         ("S001", "林志明", "supervisor", "8642"), ("O001", "劉怡君", "operations_manager", "5791")]
CASES = {
    "zh_TW": dict(customer_name="林淑華", subject_name="好鞋坊",
                  complaint="上週在好鞋坊買的運動鞋，穿三天鞋底就開膠，店員說要送回原廠不能直接換。",
                  request="換一雙新的", address="台北市信義區松高路 11 號 5 樓",
                  result="經查屬實。好鞋坊已為您換一雙同款新鞋，並當面致歉；商場另致贈禮券 300 元。",
                  task="3 日內向顧客致歉並檢查同批鞋款", reason="鞋底開膠，專櫃負擔"),
    "zh_CN": dict(customer_name="王丽华", subject_name="好鞋坊",
                  complaint="上周在好鞋坊买的运动鞋，穿三天鞋底就开胶，店员说要寄回原厂不能直接换。",
                  request="换一双新的", address="上海市浦东新区世纪大道 100 号 5 楼",
                  result="经核实情况属实。好鞋坊已为您更换同款新鞋并当面致歉；商场另赠礼券 300 元。",
                  task="3 日内向顾客致歉并检查同批鞋款", reason="鞋底开胶，由专柜承担"),
    "en": dict(customer_name="Grace Lin", subject_name="Good Shoes",
               complaint="Bought trainers at Good Shoes last week; the sole came off after three "
                         "days and the shop would only send them back to the maker.",
               request="A new pair", address="5F, 11 Songgao Rd, Xinyi District, Taipei",
               result="We found the complaint justified. Good Shoes has replaced the trainers "
                      "with a new pair and apologised in person; the mall added a 300 voucher.",
               task="Apologise to the customer within 3 days and check the same batch",
               reason="Sole came off; the shop bears the cost"),
}


def build(locale: str, data: Path):
    """A store with the sample case of ``locale``; returns (store, policy, actors, case_no)."""
    from desk import corrective, services
    from desk.app.replies import Replies
    from desk.enums import Step
    from desk.policy import load_policy
    from desk.services import CaseInput
    from desk.store import Store
    store = Store("sqlite:///" + (data / f"{locale}.sqlite3").as_posix())
    policy = load_policy()
    with store.write(system="demo") as session:
        first = None
        for no, name, role, pin in STAFF:
            services.add_staff(session, policy, no, name, role, pin, actor=first)
            first = first or services.actor_for(session, no)
    with store.read() as session:
        who = {no: services.actor_for(session, no) for no, *_rest in STAFF}
    c = CASES[locale]
    clerk, sup = who["C001"], who["S001"]
    with store.write(clerk) as session:
        no = services.take_complaint(session, policy, clerk, CaseInput(
            desk="A", channel="counter", customer_name=c["customer_name"],
            customer_phone="0912-345-678", customer_address=c["address"], category="tenant",
            complaint=c["complaint"], request=c["request"], motive="compensation", severity=1,
            subject_kind="tenant", subject_name=c["subject_name"], text_locale=locale,
            assisting=(("floor_management", c["task"]),)), now=T0).case_no
        at = T0
        for step in Step:
            at += timedelta(minutes=2)
            services.record_step(session, policy, no, clerk, step.value, now=at,
                                 promised_reply_at=at + timedelta(hours=2)
                                 if step is Step.COMMIT else None)
            if step is Step.PROPOSE:
                services.make_offer(session, policy, no, clerk, "voucher", 300, now=at)
                services.record_answer(session, policy, no, 1, clerk, "accepted",
                                       serials=["V0001"], now=at)
        services.resolve(session, policy, no, clerk, c["result"], "founded", now=at)
    with store.write(sup) as session:
        corrective.record_chargeback(session, policy, sup, no, 300, c["reason"], now=at)
    app = Replies(store, policy, lambda: clerk)
    app.draft(no, "letter", template="result", locale=locale)
    app.approve(no, 1, sup)
    return store, policy, who, no


def samples(locale: str, data: Path) -> None:
    from desk.app.replies import Replies
    store, policy, who, no = build(locale, data)
    app = Replies(store, policy, lambda: who["S001"])
    for name, pdf in ((f"reply-letter-{locale}", app.print_letter(no, 1)),
                      (f"tenant-notice-{locale}", app.tenant_notice(no, locale))):
        target = LETTERS / f"{name}.pdf"
        target.write_bytes(pdf)
        for old in LETTERS.glob(f"{name}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(target), str(LETTERS / name)],
                       check=True)
    store.close()


def screens(locale: str, data: Path, app_qt) -> None:
    from PySide6.QtCore import QSettings
    from desk.app.replies import Replies
    from tests.replies_support import free_port
    from ui.draft import DraftStore
    from ui.language import Language
    from ui.main_window import MainWindow
    from ui.outbox import OutboxWindow
    from ui.session import Desk
    from ui.settings import PcSettings
    store, policy, who, no = build(locale, data / "screens")
    replies = Replies(store, policy, lambda: who["C001"])
    Replies(store, policy, lambda: who["O001"]).save_send_settings(
        smtp_host="127.0.0.1", smtp_port=free_port(), smtp_security="none",
        sender="service@sunrise.example.tw")
    replies.draft(no, "email", template="result", locale=locale,
                  recipient="grace.lin@example.tw")
    replies.approve(no, 2, who["S001"])
    replies.queue(no, 2)
    replies.send_due()
    replies.draft(no, "sms", body=CASES[locale]["result"][:60])
    language = Language(app_qt)
    language.switch(locale)
    desk = Desk(store, policy, desk_letter="A")
    desk.sign_in("S001", "8642")    # a supervisor: the tenant notice is theirs to issue
    settings = PcSettings(QSettings(str(data / "pc.ini"), QSettings.Format.IniFormat))
    window = MainWindow(desk, language, settings, DraftStore(data / f"draft-{locale}.json"),
                        paper="a4", mall_name="Sunrise Plaza")
    window.resize(1280, 820)
    window.show()
    window.open_case(no)
    page = window.detail.replies_page
    window.detail.tabs.setCurrentWidget(page)
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    _settle(app_qt)
    window.grab().save(str(SHOTS / f"{locale}-reply_case.png"))
    dialog = page.draft()
    dialog.choose(channel="letter", template="acknowledgement")
    dialog.resize(700, 620)
    _settle(app_qt)
    dialog.grab().save(str(SHOTS / f"{locale}-reply_draft.png"))
    dialog.reject()
    page.tree.setCurrentItem(page.tree.topLevelItem(2))
    approval = page.approve()
    approval.staff_no.setText("S001")   # the clerk's draft: a supervisor approves it
    _settle(app_qt)
    approval.grab().save(str(SHOTS / f"{locale}-reply_approval.png"))
    approval.reject()
    outbox = OutboxWindow(desk)
    outbox.show()
    _settle(app_qt)
    outbox.grab().save(str(SHOTS / f"{locale}-outbox.png"))
    outbox.close()
    window.close()
    store.close()


def _settle(app) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="desk-replies-"))
    os.environ["DESK_DATA_DIR"] = str(data)
    (data / "screens").mkdir()
    from make_samples import _with_pending   # docs/forms: pending translations on top
    _with_pending()
    from ui.app import load_fonts, make_app
    app = make_app()
    load_fonts()
    LETTERS.mkdir(parents=True, exist_ok=True)
    for locale in ("zh_TW", "zh_CN", "en"):
        samples(locale, data)
        screens(locale, data, app)
    return 0


if __name__ == "__main__":
    sys.exit(main())
