"""The supervisor's review of a desk's day: decisions on each case (approve, return with a
comment, sign off), closing the day once every case is reviewed and finished, and a recorded
reopen by a higher role. The read side (the day's rows, closes, history) is
``desk.review_rows``.

Rules:
- Reviewing needs the ``review`` privilege; the subject of a complaint may not review it.
- Signing off a resolved case closes it (``handling.close``: the ``close`` privilege, and the
  recipient's signature when a cost was paid); a final case is signed off as it is; a case
  still being handled can only be approved or returned.
- A day closes when every case on it is reviewed (newest decision approved or signed off)
  and final (closed, not accepted or voided). From then on no case of that day changes (the
  guard in ``desk.review_model``) except follow-up calls; ``reopen_day`` lifts the close.
"""
from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.orm import Session

from desk import rules
from desk.enums import Privilege, Status
from desk.errors import N_, AuthorityError, PolicyKey, TransitionError, ValidationError
from desk.model import utcnow
from desk.policy import Policy
from desk.privileges import require
from desk.review_model import DayClose, LocalDay, Review, closed_day
from desk.review_rows import (REVIEW_LABELS, REVIEWED, UNREVIEWED, DayCloseRow, Decision,
                              ReviewDay, ReviewHistoryRow, ReviewRow, close_blockers,
                              day_closes, returned_cases, review_day, review_history,
                              review_label, review_rows, sla_label)
from desk.services import handling, validate
from desk.services.auth import Actor
from desk.uow import bind_actor


def decide(session: Session, policy: Policy, case_no: str, actor: Actor, decision: str,
           comment: str = "", *, now: datetime | None = None, at: datetime | None = None,
           expected_version: int | None = None, uid: str | None = None,
           pack_id: str | None = None, recorded_by: Actor | None = None) -> Review:
    """Record a supervisor's decision on a case. ``at`` is when it was decided (a pack's
    reviewer decided earlier, offline); ``recorded_by`` who brought it into the store."""
    bind_actor(session, actor, recorded_by)
    now = now or utcnow()
    require(policy, actor, Privilege.REVIEW, N_("reviewing cases needs a supervisor or higher"))
    choice = Decision(validate.choice(Decision, decision, "status"))
    comment = validate.text(comment, "reason", required=choice is Decision.RETURNED,
                            max_len=2000)
    case = handling.open_case(session, case_no, actor, expected_version=expected_version)
    if choice is Decision.SIGNED_OFF:
        if case.status == Status.RESOLVED:
            handling.close(session, policy, case.case_no, actor, now=now)
        elif Status(case.status) in rules.ACTIVE:
            raise TransitionError(N_("case {value} is still being handled ({status}); approve "
                                     "it or return it to the desk, and sign it off once it "
                                     "is resolved"), value=case.case_no,
                                  status=Status(case.status).label)
    review = Review(uid=uid or str(uuid.uuid4()), case_id=case.id, decision=choice.value,
                    comment=comment, at=at or now, reviewer_id=actor.id,
                    case_version=case.version, pack_id=pack_id, recorded_at=now,
                    recorded_by_id=(recorded_by or actor).id)
    session.add(review)
    session.flush()
    return review


def close_day(session: Session, policy: Policy, actor: Actor, desk: str, day: date, *,
              now: datetime | None = None) -> DayClose:
    """Close a desk's day once every case on it is reviewed and finished."""
    bind_actor(session, actor)
    now = now or utcnow()
    require(policy, actor, Privilege.REVIEW, N_("closing a day needs a supervisor or higher"))
    if closed_day(session, desk, day) is not None:
        raise TransitionError(N_("desk {desk}'s day {day} is already closed"), field="date",
                              desk=desk, day=LocalDay(day))
    if day > now.astimezone(policy.tz).date():
        raise ValidationError(N_("a day in the future cannot be closed"), field="date")
    rows = review_rows(session, policy, day, desk, now=now)
    problems = close_blockers(rows)
    if problems:
        raise TransitionError(N_("desk {desk}'s day {day} cannot close yet: {problems}"),
                              field="date", desk=desk, day=LocalDay(day),
                              problems="; ".join(problems))
    row = DayClose(desk=desk, day=day, closed_at=now, closed_by_id=actor.id, cases=len(rows))
    session.add(row)
    session.flush()
    return row


def reopen_day(session: Session, policy: Policy, actor: Actor, desk: str, day: date,
               reason: str, *, now: datetime | None = None) -> DayClose:
    """Lift a day's close, with the reason kept; needs ``reopen_day`` and a role above the
    one that closed it (the top role may reopen its own close)."""
    bind_actor(session, actor)
    now = now or utcnow()
    require(policy, actor, Privilege.REOPEN_DAY, N_("reopening a closed day needs a store manager "
                                             "or higher"))
    row = closed_day(session, desk, day)
    if row is None:
        raise TransitionError(N_("desk {desk}'s day {day} is not closed"), field="date",
                              desk=desk, day=LocalDay(day))
    mine = policy.roles[actor.role]
    closer = policy.roles.get(row.closed_by.role)
    if closer is not None and mine.rank <= closer.rank and mine.key != policy.top_role.key:
        raise AuthorityError(N_("the day was closed by a {role}; only a higher role may reopen "
                                "it"), field="role", role=PolicyKey(closer.key))
    row.reopen_reason = validate.text(reason, "reason", max_len=1000)
    row.reopened_at = now
    row.reopened_by_id = actor.id
    session.flush()
    return row


# The read side lives in desk.review_rows; importing it from here keeps working.
__all__ = ["REVIEWED", "REVIEW_LABELS", "UNREVIEWED", "DayCloseRow", "Decision", "ReviewDay",
           "ReviewHistoryRow", "ReviewRow", "close_blockers", "close_day", "day_closes",
           "decide", "reopen_day", "returned_cases", "review_day", "review_history",
           "review_label", "review_rows", "sla_label"]
