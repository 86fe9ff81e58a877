"""Screenshots of the screens behind the one door, in each language, into docs/screenshots/:
the supervisor's approvals queue with offers waiting, the decision dialog, and the case
detail of a case brought in as migrated history.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots_door.py

Runs on a demo store in a temporary user data folder: nothing of this PC's store is touched.
"""
from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SHOTS = Path(__file__).resolve().parent
sys.path.insert(0, str(SHOTS))

LOCALES = ("zh_TW", "zh_CN", "en")


def main() -> int:
    from screenshots import demo_desk, shoot, shoot_dialog
    migrated = []

    def prepare(store, policy) -> None:
        for amount, kind in (("800", "voucher"), ("1500", "free_tickets"),
                             ("1200", "discount")):
            _pending_offer(store, policy, amount, kind)
        migrated.append(_migrated_case(store, policy))

    shots = demo_desk("desk-door-shots-", 60, staff=("S001", "907316"), store_policy=True,
                      prepare=prepare)
    from PySide6.QtWidgets import QApplication

    from ui.approvals import ApprovalsQueue, DecisionDialog
    from ui.case_detail import CaseDetailPanel

    app, store, desk, language = shots.app, shots.store, shots.desk, shots.language
    migrated = migrated[0]
    OUT.mkdir(parents=True, exist_ok=True)
    for locale in LOCALES:
        language.switch(locale)
        queue = ApprovalsQueue(desk)
        queue.resize(1200, 520)
        queue.show()
        queue.reload()
        queue.table.selectRow(0)
        shoot(app, queue, f"{locale}-approvals_queue.png")
        row = queue.model.rows[0]
        shoot_dialog(app, DecisionDialog(desk, row, "refuse", parent=queue),
                     f"{locale}-approval_decision.png")
        queue.close()
        queue.deleteLater()
        panel = CaseDetailPanel(desk)
        panel.resize(1200, 760)
        panel.open_case(migrated)
        panel.show()
        shoot(app, panel, f"{locale}-case_migrated.png")
        panel.close()
        panel.deleteLater()
        app.processEvents()
    store.close()
    QApplication.processEvents()
    return 0


def _migrated_case(store, policy) -> str:
    """The documented closed-case example, brought in as history from an older system by
    the operations manager."""
    import json

    from desk.casedoc_import import import_file
    from desk.services import sign_in
    ops = sign_in(store, policy, "O001", "461803")
    doc = json.loads((ROOT / "docs" / "examples" / "closed-case.json").read_text("utf-8"))
    doc.pop("case_no", None)
    return import_file(store, policy, ops, [doc], migrated=True)[0].case_no


def _pending_offer(store, policy, amount: str, kind: str) -> str:
    """A counter complaint walked to the propose step by a clerk, whose offer waits for a
    supervisor who is not at the counter."""
    from desk import services
    from desk.clock import utcnow
    from desk.enums import Step
    from desk.services.auth import actor_for

    now = utcnow() - timedelta(minutes=40)
    with store.write(system="demo") as session:
        clerk = actor_for(session, "C002")
    with store.write(clerk) as session:
        case = services.take_complaint(session, policy, clerk, services.CaseInput(
            desk="A", channel="counter", customer_name="黃志明", customer_phone="0933-222-111",
            subject_kind="tenant", subject_name="2F 晨光咖啡", category="goods_rights",
            complaint="咖啡杯裂開燙到手，店員只說換一杯。", request="賠償醫藥費", motive="compensation",
            severity=1), now=now)
        case_no = case.case_no
        at = now
        for step in (Step.LISTEN, Step.THANK, Step.APOLOGISE, Step.COMMIT, Step.PROPOSE):
            at += timedelta(minutes=2)
            services.record_step(session, policy, case_no, clerk, step.value, note="",
                                 promised_reply_at=at + timedelta(hours=2)
                                 if step is Step.COMMIT else None, now=at)
        services.make_offer(session, policy, case_no, clerk, kind, amount,
                            request_approval=True, now=at + timedelta(minutes=1))
    return case_no


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit
