"""A case's level and severity changing: the history entry that records a new level, and the
deadlines that move with a new severity."""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import rules
from desk.enums import Level, Status
from desk.model import Case, StatusChange
from desk.policy import Policy
from desk.review_model import Pause
from desk.services.auth import Actor

# The history's reason when an offer beyond the handler makes a case level 1. Like the other
# reasons the services write themselves ("offer 2" for a pending approval), a fixed text: it
# tells a case document's export which level changes its offers bring back on import.
_OFFER_RAISE = "offer {seq}: beyond the handler's authority"
_OFFER_RAISE_PATTERN = re.compile(r"offer \d+: beyond the handler's authority")


# The history's reason when the batch radar raises a case: the store that saves the cases
# finds its batches, so an export leaves these out of the escalations it replays.
_BATCH_RAISE = "batch {batch_no}"
_BATCH_RAISE_PATTERN = re.compile(r"batch B-\d{8}-\d{2,}")


def batch_raise_reason(batch_no: str) -> str:
    return _BATCH_RAISE.format(batch_no=batch_no)


def is_batch_raise(reason: str | None) -> bool:
    return bool(reason) and _BATCH_RAISE_PATTERN.fullmatch(reason) is not None


def offer_raise_reason(seq: int) -> str:
    return _OFFER_RAISE.format(seq=seq)


def is_offer_raise(reason: str | None) -> bool:
    """Whether a level change was made by an offer (replayed with it), not by a person."""
    return bool(reason) and _OFFER_RAISE_PATTERN.fullmatch(reason) is not None


def change_level(case: Case, target: Level, actor: Actor, now: datetime, reason: str) -> None:
    """Raise a case's level, recorded in its history (the case's status stays)."""
    case.history.append(StatusChange(at=now, staff_id=actor.id, from_status=case.status,
                                     to_status=case.status, from_level=case.level,
                                     to_level=target.value, reason=reason))
    case.level = target.value
    case.updated_at = now


def recompute_deadlines(session: Session, policy: Policy, case: Case, severity: int) -> None:
    """A new severity brings its own time limits, counted from when the complaint came in.
    Time the clock stood still (a pause) stays added: the resolution deadline moves by the
    difference between the two severities' limits, or, while the clock is stopped, the time
    left when it stopped does."""
    old = rules.deadlines(policy, case.received_at, case.severity, case.channel,
                          case.customer_tier)
    new = rules.deadlines(policy, case.received_at, severity, case.channel, case.customer_tier)
    shift = new.resolution_due - old.resolution_due
    case.first_contact_due = new.first_contact_due
    if case.status == Status.WAITING:
        paused = session.scalar(select(Pause).where(Pause.case_id == case.id,
                                                    Pause.ended_at.is_(None)))
        if paused is not None:
            paused.remaining_s = max(0, paused.remaining_s + int(shift.total_seconds()))
    else:
        case.resolution_due = min(case.resolution_due + shift, case.statutory_due)
    if case.resolved_at is not None:
        case.follow_up_due = rules.follow_up_due(policy, case.resolved_at, severity)
