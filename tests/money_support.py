"""Helpers for the money tests: two finance officers beside the conftest team, a case whose
offer the customer accepted (a cost), made through the services, and a case settled all the
way as its exported document (for the import tests)."""
from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import timedelta

from desk import services
from desk.app.money import Money
from desk.casedoc import export_case
from desk.enums import Step
from desk.services import Actor
from tests.conftest import PINS
from tests.helpers import T0, new_case, walk

FINANCE_PINS = {"F001": "468035", "F002": "579214"}
ALL_PINS = {**PINS, **FINANCE_PINS}


@dataclass
class Finance:
    one: Actor
    two: Actor


def add_finance(store, policy, admin) -> Finance:
    """F001 and F002, both in the finance role, added by the administrator ``admin``."""
    with store.write(admin) as session:
        for staff_no, name in (("F001", "鄭會計"), ("F002", "蘇出納")):
            services.add_staff(session, policy, staff_no, name, "finance",
                               FINANCE_PINS[staff_no], actor=admin)
    with store.read() as session:
        return Finance(services.actor_for(session, "F001"), services.actor_for(session, "F002"))


def accepted_cost(store, policy, clerk, *, kind: str = "refund", amount: str | None = "300",
                  charged: str | None = None, due: str | None = None, now=T0,
                  **changes) -> str:
    """A case whose offer 1 (within the clerk's authority) the customer accepted."""
    case_no = new_case(store, policy, clerk, now=now, **changes)
    at = walk(store, policy, case_no, clerk, Step.PROPOSE, now=now)
    with store.write(clerk) as session:
        services.make_offer(session, policy, case_no, clerk, kind, amount, charged=charged,
                            due=due, now=at + timedelta(minutes=1))
        services.record_answer(session, policy, case_no, 1, clerk, "accepted",
                               now=at + timedelta(minutes=2))
    return case_no


def settled_case(store, policy, team) -> dict:
    """A level-2 case whose cost went all the way, signed settlement and finding included,
    as its exported document."""
    fin = add_finance(store, policy, team.gm)
    case_no = accepted_cost(store, policy, team.clerk, category="safety_legal")
    Money(store, policy, lambda: fin.one).approve(case_no, 1, "ok")
    Money(store, policy, lambda: fin.two).pay(case_no, 1, "cash")
    clerk = Money(store, policy, lambda: team.clerk)
    clerk.sign(case_no, 1, "李大華")
    clerk.sign_settlement(case_no, "李大華", "paper", b"%PDF-1.4 signed paper", name="s.pdf")
    Money(store, policy, lambda: team.supervisor).record_finding(case_no, "C002", "late")
    with store.read() as session:
        return export_case(session, case_no)


def as_new(doc: dict, *, pins: bool) -> dict:
    """The exported case as a new document (its number dropped), PINs beside others' acts."""
    doc = copy.deepcopy(doc)
    for key in ("case_no", "status", "history"):
        doc.pop(key, None)
    if pins:
        for block in [*doc["steps"], *doc["offers"], *doc["offers"][0]["costs"],
                      doc["settlement"], doc["finding"]]:
            if block.get("by") not in (None, doc["recorder"]):
                block["pin"] = ALL_PINS[block["by"]]
    return doc
