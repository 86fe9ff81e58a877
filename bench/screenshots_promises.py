"""Screenshots of the promises' screens, in each language, into docs/screenshots/: the
intake's contact preference and the saved banner with the slip key, the counter's queue of
promises due or broken, the contact form, the review's promises tab, and the receipt
printer in Settings.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots_promises.py

Runs on a demo store in a temporary user data folder: nothing of this PC's store is touched.
Messages not yet in the catalogs come from i18n/pending, as the merged catalogs will read.
"""
from __future__ import annotations

import gettext
import json
import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
OUT = ROOT / "docs" / "screenshots"
LOCALES = ("zh_TW", "zh_CN", "en")
CUSTOMERS = {"zh_TW": ("林淑華", "鞋底開膠，專櫃說要送原廠。"),
             "zh_CN": ("王丽华", "鞋底开胶，专柜说要寄回原厂。"),
             "en": ("Grace Lin", "The sole came off; the shop will only send them back.")}
SAID = {"zh_TW": "專櫃仍在等原廠回覆，已告知顧客明天下午再回電。",
        "zh_CN": "专柜仍在等原厂回复，已告知顾客明天下午再回电。",
        "en": "The shop is still waiting for the maker; told her we call again tomorrow."}


def _with_pending() -> None:
    from desk import i18n
    pending: dict[str, dict[str, str]] = {}
    for path in sorted((ROOT / "i18n" / "pending").glob("*.json")):
        for msgid, by_locale in json.loads(path.read_text(encoding="utf-8")).items():
            for locale, text in by_locale.items():
                pending.setdefault(locale, {})[msgid] = text

    class Pending(gettext.NullTranslations):
        def __init__(self, catalog, extra) -> None:
            super().__init__()
            self.catalog, self.extra = catalog, extra

        def gettext(self, message: str) -> str:
            found = self.catalog.gettext(message)
            return found if found != message else self.extra.get(message, message)

    catalogs = i18n.translations
    i18n.translations = lambda locale: Pending(catalogs(locale), pending.get(locale, {}))


def main() -> int:
    _with_pending()
    from PySide6.QtWidgets import QScrollArea

    from desk.clock import utcnow
    from screenshots import demo_desk, shoot, shoot_dialog

    def prepare(store, policy) -> None:
        for minutes in (30, 100, 150, 400):    # promises due soon, and some already broken
            _promised_case(store, policy, utcnow() - timedelta(minutes=minutes))

    shots = demo_desk("desk-promise-shots-", 60, store_policy=True, prepare=prepare)
    from ui.promises import contact_dialog
    from ui.review import open_store_review
    from ui.settings import SettingsDialog

    app, store, policy, desk, language = (shots.app, shots.store, shots.policy, shots.desk,
                                          shots.language)
    settings = shots.settings
    OUT.mkdir(parents=True, exist_ok=True)
    for locale in LOCALES:
        window = shots.counter_window(locale)
        form = window.intake
        name, text = CUSTOMERS[locale]
        form.fields["customer.name"].setText(name)
        form.fields["customer.phone"].setText("0912-345-678")
        form.fields["subject.name"].setText("3F Good Shoes")
        form.fields["complaint"].setPlainText(text)
        form.fields["motive"].set_key("compensation")
        form.fields["contact.channel"].set_key("sms")
        form.fields["contact.consent"].set_key(True)
        form.save()
        form.findChild(QScrollArea).ensureWidgetVisible(form.fields["contact.email"], 50, 120)
        window.work.setCurrentWidget(window.promises)
        window.promises.refresh()
        shoot(app, window, f"{locale}-promises_counter.png")
        row = window.promises.model.rows[0]
        dialog = contact_dialog(window.promises.door, row.case_no, policy.timezone, window,
                                channel="phone")
        dialog.set_values(said=SAID[locale])
        shoot_dialog(app, dialog, f"{locale}-contact_dialog.png")
        dialog.run()                                    # logged: late, a broken promise
        window.open_case(row.case_no)
        detail = window.detail
        detail.tabs.setCurrentWidget(detail.trees["contacts"])
        shoot(app, window, f"{locale}-case_contacts.png")
        window.show_tab(0)
        dialog.deleteLater()
        chooser = SettingsDialog(settings, language, desk="A", paper="a4", db="", parent=window)
        chooser.receipt.setText("network:192.168.1.50:9100")
        shoot_dialog(app, chooser, f"{locale}-settings_receipt.png")
        chooser.deleteLater()
        desk.sign_in("S001", "907316")
        review = open_store_review(window, store, policy, desk.actor)
        review.tabs.setCurrentWidget(review.promises)
        review.promises.refresh()
        shoot(app, review, f"{locale}-review_promises.png")
        review.close()
        review.deleteLater()
        desk.sign_in("C001", "4821")
        window.close()
        window.deleteLater()
        app.processEvents()
    store.close()
    return 0


def _promised_case(store, policy, received) -> str:
    """A phone complaint at the commit step: a reply promised two hours on."""
    from desk import services
    from desk.enums import Step
    from desk.services.auth import actor_for
    with store.write(system="demo") as session:
        clerk = actor_for(session, "C002")
    with store.write(clerk) as session:
        case = services.take_complaint(session, policy, clerk, services.CaseInput(
            desk="A", channel="phone", customer_name="黃志明", customer_phone="0933-222-111",
            subject_kind="tenant", subject_name="2F 晨光咖啡", category="goods_rights",
            complaint="外帶咖啡漏出來弄髒衣服。", request="送洗費", motive="compensation",
            severity=1, contact_channel="phone", contact_consent=True,
            received_at=received), now=received)
        at = received
        for step in (Step.LISTEN, Step.THANK, Step.APOLOGISE, Step.COMMIT):
            at += timedelta(minutes=2)
            services.record_step(session, policy, case.case_no, clerk, step.value,
                                 promised_reply_at=at + timedelta(hours=2)
                                 if step is Step.COMMIT else None, now=at)
        return case.case_no


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit
