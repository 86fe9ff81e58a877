"""A poor follow-up score is not a closed case: a satisfaction at or below the policy's
``low_score`` reopens the case (resolved or closed) for a revisit within ``revisit_days``.

Only this rule takes a closed case back to work; every other change to a closed case is
refused by ``desk.rules.check_transition``. The revisit time becomes the case's resolution
limit and its promised reply time (what the caller tells the customer), and the next
resolution queues a new follow-up call.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from desk.enums import Status
from desk.model import Case, StatusChange
from desk.policy import Policy
from desk.services.auth import Actor

REASON = "follow-up satisfaction {score}: revisit by {due}"


def needs_revisit(policy: Policy, satisfaction: int | None) -> bool:
    return satisfaction is not None and satisfaction <= policy.low_score


def reopen_for_revisit(policy: Policy, case: Case, actor: Actor, satisfaction: int,
                       now: datetime) -> datetime:
    """Reopen ``case`` after a poor score; returns the revisit's due time."""
    due = now + timedelta(days=policy.revisit_days)
    case.history.append(StatusChange(
        at=now, staff_id=actor.id, from_status=case.status, to_status=Status.IN_PROGRESS.value,
        reason=REASON.format(score=satisfaction, due=due.isoformat(timespec="minutes"))))
    case.status = Status.IN_PROGRESS.value
    case.revisit_due = due
    case.resolution_due = due
    case.promised_reply_at = due
    case.follow_up_due = None
    case.closed_at = None
    case.updated_at = now
    return due


def latest_promise(case: Case) -> datetime:
    """How far a promised reply time may reach: the statutory limit, or the revisit's due
    time on a case a poor score reopened after that limit."""
    if case.revisit_due is not None and case.revisit_due > case.statutory_due:
        return case.revisit_due
    return case.statutory_due
