"""Helpers for the money tests: two finance officers beside the conftest team, and a case
whose offer the customer accepted (a cost), made through the services."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from desk import services
from desk.enums import Step
from desk.services import Actor
from tests.helpers import T0, new_case, walk

FINANCE_PINS = {"F001": "4680", "F002": "5792"}


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
