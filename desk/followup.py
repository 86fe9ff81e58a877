"""After resolution: the follow-up call queue and its attempt rule, and pausing the resolution
clock while the desk waits on the customer or a tenant.

Follow-up rule (policy ``[follow_up]``): a resolved case needs a call by ``follow_up_due``.
It is done when the customer was reached (their satisfaction 1-5 and a comment are kept on
the call), or when they could not be reached after ``attempts`` calls at least
``hours_apart`` hours apart, all within ``window_hours`` of the first, with a text message
sent. A call made sooner, or after the window, is kept but does not count. Once the attempts
are made the follow-up shows "text message due" (``text_due``) until one is sent. A reached
customer's satisfaction at or below ``low_score`` reopens the case for a revisit
(``desk.services.revisit``); only the calls since the case's latest resolution count. A follow-up more than ``LAPSE_DAYS`` overdue leaves the queue and is reported as
missed: calling back a month later helps nobody.

Clock rule: while a case waits, only the statutory limit runs; ``resolution_due`` is set to
it and, on resume, to the time that was left when the clock stopped (never past the
statutory limit).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case as sql_case
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from desk.enums import Status
from desk.errors import N_, TransitionError, ValidationError
from desk.i18n import _, babel_locale, format_datetime
from desk.model import Case, FollowUp, Staff, utcnow
from desk.policy import Policy
from desk.review_model import Pause
from desk.services import handling, validate
from desk.services.auth import Actor
from desk.uow import bind_actor

LAPSE_DAYS = 30
AFTER_RESOLUTION = (Status.RESOLVED.value, Status.CLOSED.value)
WAITING_ON = {"customer": N_("Waiting on the customer"), "tenant": N_("Waiting on the tenant")}
STATE_LABELS = {"pending": N_("To call"), "reached": N_("Reached"),
                "unreachable": N_("Could not be reached")}


def state_label(state: str) -> str:
    return _(STATE_LABELS.get(state, state))


@dataclass(frozen=True)
class Call:
    at: datetime
    reached: bool
    satisfaction: int | None
    text_sent: bool


@dataclass(frozen=True)
class FollowUpState:
    state: str                       # pending, reached or unreachable
    calls: int
    counted: int                     # unanswered calls far enough apart to count
    text_sent: bool
    satisfaction: int | None
    next_attempt_after: datetime | None
    text_due: bool = False           # the attempts are made: a text message is the next step
    window_ends: datetime | None = None   # attempts after this do not count

    @property
    def done(self) -> bool:
        return self.state != "pending"


def follow_up_state(policy: Policy, calls: list[Call]) -> FollowUpState:
    """Where a case's follow-up stands, from its calls (any order)."""
    calls = sorted(calls, key=lambda c: c.at)
    reached = [c for c in calls if c.reached]
    text = any(c.text_sent for c in calls)
    if reached:
        return FollowUpState("reached", len(calls), 0, text, reached[-1].satisfaction, None)
    gap = timedelta(hours=policy.follow_up_hours_apart)
    window = timedelta(hours=policy.follow_up_window_hours)
    last = ends = None
    counted = 0
    for call in calls:
        if ends is not None and call.at > ends:
            continue                        # past the window: kept, not counted
        if last is None or call.at - last >= gap:
            counted += 1
            last = call.at
            ends = ends or call.at + window
    enough = counted >= policy.follow_up_attempts
    state = "unreachable" if enough and text else "pending"
    following = None if state != "pending" or last is None or enough else last + gap
    if following is not None and following > ends:
        following = None                    # no attempt fits in the window any more
    return FollowUpState(state, len(calls), counted, text, None, following,
                         text_due=enough and not text, window_ends=ends)


@dataclass(frozen=True)
class FollowUpRow:
    case_no: str
    desk: str
    customer_name: str
    customer_phone: str | None
    handler: str
    severity: int
    resolved_at: datetime | None
    due: datetime
    overdue: bool
    state: FollowUpState

    def needs(self, tz) -> str:
        """What the caller should do next, in words."""
        s = self.state
        if s.done:
            return state_label(s.state)
        if s.next_attempt_after is not None:
            return _("call again after {time}").format(
                time=format_datetime(s.next_attempt_after, tz))
        if s.text_due:
            return _("text message due: send the customer a text message")
        if s.calls:
            return _("the call window has passed: send the customer a text message and "
                     "note it")
        return _("call the customer")


def _candidates(session: Session, since: datetime, until: datetime | None):
    """Resolved cases whose follow-up falls due in the window, with their calls summed up."""
    calls = (select(FollowUp.case_id, func.count(FollowUp.id).label("n"),
                    func.max(sql_case((FollowUp.reached.is_(True), 1), else_=0)).label("reached"))
             .group_by(FollowUp.case_id).subquery())
    stmt = (select(Case.id, Case.case_no, Case.desk, Case.customer_name, Case.customer_phone,
                   Staff.name, Case.severity, Case.resolved_at, Case.follow_up_due,
                   func.coalesce(calls.c.n, 0), func.coalesce(calls.c.reached, 0))
            .join(Staff, Staff.id == Case.handler_id)
            .outerjoin(calls, calls.c.case_id == Case.id)
            .where(Case.follow_up_due >= since, Case.status.in_(AFTER_RESOLUTION)))
    if until is not None:
        stmt = stmt.where(Case.follow_up_due < until)
    return session.execute(stmt.order_by(Case.follow_up_due)).all()


def _calls_of(session: Session, ids: list[int]) -> dict[int, list[Call]]:
    out: dict[int, list[Call]] = {}
    for i in range(0, len(ids), 500):
        for row in session.execute(select(FollowUp.case_id, FollowUp.at, FollowUp.reached,
                                          FollowUp.satisfaction, FollowUp.text_sent)
                                   .where(FollowUp.case_id.in_(ids[i:i + 500]))):
            out.setdefault(row[0], []).append(Call(row[1], row[2], row[3], row[4]))
    return out


def follow_up_queue(session: Session, policy: Policy, now: datetime | None = None, *,
                    include_done: bool = False) -> list[FollowUpRow]:
    """Every follow-up still to do (overdue first, then by due time)."""
    now = now or utcnow()
    rows = _candidates(session, now - timedelta(days=LAPSE_DAYS), None)
    need_calls = [r[0] for r in rows if r[9]]
    calls = _calls_of(session, need_calls)
    out = []
    for r in rows:
        state = follow_up_state(policy, since_resolution(calls.get(r[0], []), r[7]))
        if state.done and not include_done:
            continue
        out.append(FollowUpRow(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8],
                               r[8] < now and not state.done, state))
    return out


def overdue_follow_ups(session: Session, policy: Policy, now: datetime | None = None) -> int:
    """For the status bar: follow-ups past due and not done (within the lapse window).
    Counted by the store where no call reached the customer and fewer than the policy's
    attempts were made (the status bar asked for every such case after each save: thousands
    of rows on a busy store); only cases with all their attempts made are weighed here."""
    now = now or utcnow()
    calls = (select(func.count(FollowUp.id)).where(FollowUp.case_id == Case.id)
             .correlate(Case).scalar_subquery())
    nobody_reached = ~exists().where(FollowUp.case_id == Case.id, FollowUp.reached.is_(True))
    due = (Case.follow_up_due >= now - timedelta(days=LAPSE_DAYS), Case.follow_up_due < now,
           Case.status.in_(AFTER_RESOLUTION), nobody_reached)
    attempts = policy.follow_up_attempts
    still_calling = session.scalar(select(func.count()).select_from(Case)
                                   .join(Staff, Staff.id == Case.handler_id)
                                   .where(*due, calls < attempts))
    tried = session.execute(select(Case.id, Case.resolved_at)
                            .join(Staff, Staff.id == Case.handler_id)
                            .where(*due, calls >= attempts)).all()
    made = _calls_of(session, [r[0] for r in tried])
    return still_calling + sum(
        1 for r in tried
        if not follow_up_state(policy, since_resolution(made.get(r[0], []), r[1])).done)


def record_call(session: Session, policy: Policy, case_no: str, actor: Actor, *, reached: bool,
                satisfaction: int | None = None, comment: str = "", text_sent: bool = False,
                now: datetime | None = None) -> FollowUpState:
    """Record one follow-up call (or attempt) and return where the follow-up now stands."""
    bind_actor(session, actor)
    now = now or utcnow()
    handling.add_follow_up(session, policy, case_no, actor, reached=reached,
                           satisfaction=satisfaction, comment=comment, text_sent=text_sent,
                           now=now)
    case = handling.load_case(session, case_no)
    return follow_up_state(policy, since_resolution(
        [Call(c.at, c.reached, c.satisfaction, c.text_sent) for c in case.follow_ups],
        case.resolved_at))


def since_resolution(calls: list[Call], resolved_at: datetime | None) -> list[Call]:
    """The calls about the case's latest resolution (a revisit resolves it again)."""
    if resolved_at is None:
        return calls
    return [c for c in calls if c.at >= resolved_at]


def low_score_reopens(session: Session, policy: Policy, since: datetime, until: datetime,
                      *, where: tuple = ()) -> int:
    """Follow-up calls in ``[since, until)`` whose poor score reopened their case; ``where``:
    conditions on the case (a report's desk or mall)."""
    stmt = (select(func.count(FollowUp.id)).join(Case, Case.id == FollowUp.case_id)
            .where(FollowUp.reached.is_(True), FollowUp.satisfaction <= policy.low_score,
                   FollowUp.at >= since, FollowUp.at < until, *where))
    return int(session.scalar(stmt) or 0)


# --- the paused resolution clock -------------------------------------------------------------

@dataclass(frozen=True)
class PauseRow:
    waiting_on: str
    reason: str
    started_at: datetime
    ended_at: datetime | None
    remaining: timedelta            # of the resolution time, when the clock stopped
    started_by: str = ""
    ended_by: str | None = None

    @property
    def waiting_label(self) -> str:
        return _(WAITING_ON.get(self.waiting_on, self.waiting_on))

    @property
    def remaining_label(self) -> str:
        return duration_label(self.remaining)


def duration_label(span: timedelta) -> str:
    """A stopped clock's time left in the reader's language: "1 day 4 hr 30 min"."""
    from babel.units import format_unit
    locale = babel_locale()
    minutes = max(0, int(span.total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [format_unit(n, unit, length="short", locale=locale)
             for n, unit in ((days, "duration-day"), (hours, "duration-hour"),
                             (minutes, "duration-minute")) if n]
    return " ".join(parts) or format_unit(0, "duration-minute", length="short", locale=locale)


def pause(session: Session, policy: Policy, case_no: str, actor: Actor, waiting_on: str,
          reason: str, *, now: datetime | None = None) -> Pause:
    """Stop the resolution clock while the desk waits on the customer or a tenant."""
    bind_actor(session, actor)
    now = now or utcnow()
    case = handling.open_case(session, case_no, actor)
    if waiting_on not in WAITING_ON:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="reason",
                              value=str(waiting_on)[:20], allowed=", ".join(WAITING_ON))
    reason = validate.text(reason, "reason", max_len=1000)
    handling.move(case, Status.WAITING, actor, now, reason)
    left = max(0, int((case.resolution_due - now).total_seconds()))
    row = Pause(case_id=case.id, waiting_on=waiting_on, reason=reason, started_at=now,
                started_by_id=actor.id, remaining_s=left)
    session.add(row)
    case.resolution_due = case.statutory_due
    session.flush()
    return row


def resume(session: Session, policy: Policy, case_no: str, actor: Actor, note: str = "", *,
           now: datetime | None = None) -> Case:
    """Start the clock again with the time that was left when it stopped."""
    bind_actor(session, actor)
    now = now or utcnow()
    case = handling.open_case(session, case_no, actor)
    if case.status != Status.WAITING:
        raise TransitionError(N_("case {value} is not waiting on anyone"), value=case.case_no)
    row = session.scalar(select(Pause).where(Pause.case_id == case.id, Pause.ended_at.is_(None))
                         .order_by(Pause.id.desc()).limit(1))
    handling.move(case, Status.IN_PROGRESS, actor, now,
                  validate.text(note, "reason", required=False, max_len=1000))
    if row is not None:
        row.ended_at = now
        row.ended_by_id = actor.id
        case.resolution_due = min(now + timedelta(seconds=row.remaining_s), case.statutory_due)
    session.flush()
    return case


def pauses(session: Session, case_no: str) -> list[PauseRow]:
    """A case's pauses, oldest first; the last is still running when it has no end."""
    stmt = (select(Pause).join(Case, Case.id == Pause.case_id).where(Case.case_no == case_no)
            .order_by(Pause.id))
    rows = list(session.scalars(stmt))
    ids = {p.started_by_id for p in rows} | {p.ended_by_id for p in rows if p.ended_by_id}
    names = dict(session.execute(select(Staff.id, Staff.name).where(Staff.id.in_(ids))).all()) \
        if ids else {}
    return [PauseRow(p.waiting_on, p.reason, p.started_at, p.ended_at,
                     timedelta(seconds=p.remaining_s), names.get(p.started_by_id, ""),
                     names.get(p.ended_by_id) if p.ended_by_id else None) for p in rows]


__all__ = ["Call", "FollowUpRow", "FollowUpState", "PauseRow", "duration_label",
           "follow_up_queue", "follow_up_state", "low_score_reopens", "overdue_follow_ups",
           "pause", "pauses", "record_call", "resume", "since_resolution"]
