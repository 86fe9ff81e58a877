"""Builds cases through the services, with explicit times, for the review, pack, follow-up
and report tests: every fixture case obeys the same rules as one taken at the counter."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from desk import services
from desk.services import handling, offers

TZ = ZoneInfo("Asia/Taipei")


def at(day: str, hhmm: str) -> datetime:
    """A local time at the desk, e.g. at("2026-11-16", "10:30")."""
    return datetime.fromisoformat(f"{day}T{hhmm}:00").replace(tzinfo=TZ)


def make_case(store, policy, actor, received: datetime, *, desk: str = "A",
              stage: str = "resolved", severity: int = 1, category: str = "goods_rights",
              channel: str = "counter", subject_kind: str = "tenant",
              subject_name: str | None = "Shop 1F-01", phone: str = "0912345678",
              name: str = "Customer", offer: tuple | None = None,
              resolve_after: timedelta = timedelta(minutes=30), closer=None,
              level: str | None = None, approver=None, resolver=None) -> str:
    """Take a complaint and carry it to ``stage``: open, in_progress, resolved or closed.
    ``offer`` is (kind, amount, serials) made at the propose step and accepted."""
    inp = services.CaseInput(
        desk=desk, channel=channel, customer_name=name, category=category,
        complaint="The complaint in the customer's words.", motive="compensation",
        severity=severity, subject_kind=subject_kind,
        subject_name=subject_name if subject_kind in ("tenant", "charge") else None,
        customer_phone=phone, received_at=received, level=level)
    with store.write(system="test") as s:
        case_no = services.take_complaint(s, policy, actor, inp, now=received).case_no
    if stage == "open":
        return case_no
    t = received + timedelta(minutes=1)
    with store.write(system="test") as s:
        for step in ("listen", "thank", "apologise"):
            handling.record_step(s, policy, case_no, actor, step, now=t)
        handling.record_step(s, policy, case_no, actor, "commit", now=t,
                             promised_reply_at=t + timedelta(hours=2))
        handling.record_step(s, policy, case_no, actor, "propose", now=t)
        if offer:
            kind, amount, serials = offer
            offers.make_offer(s, policy, case_no, actor, kind, amount, serials=serials,
                              approver=approver, now=t)
            offers.record_answer(s, policy, case_no, 1, actor, "accepted", now=t)
    if stage == "in_progress":
        return case_no
    done = received + resolve_after
    with store.write(system="test") as s:
        handling.record_step(s, policy, case_no, actor, "confirm", now=done)
        handling.resolve(s, policy, case_no, resolver or actor, "Settled at the counter.",
                         "founded", now=done)
    if stage == "resolved":
        return case_no
    with store.write(system="test") as s:
        handling.close(s, policy, case_no, closer, recipient_name=name if offer else None,
                       now=done + timedelta(minutes=5))
    return case_no
