"""The one answer to "is this case overdue?": the state of a case's time limits for every
screen and command, and the same question as SQL for the status bar's count.

A case's clocks (the deadlines themselves are set by ``desk.rules.deadlines``):
- first contact, for channels that are not answered on the spot, until it is made;
- the reply time promised at the commit step;
- resolution, never later than the statutory limit. While the case waits on the customer or
  a tenant (``desk.followup.pause``) the resolution clock is stopped: ``resolution_due`` is
  the statutory limit until the case resumes.
An active case is ``overdue`` once ``now`` is past the nearest of them, ``due_soon`` within
the policy's warning window of it, else ``ok``. A finished case ``met`` or ``missed`` its
resolution limit; one that ended without a resolution (not accepted, voided) is ``done``.
Follow-up calls after resolution have their own queue and rule (``desk.followup``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_

from desk.enums import Status
from desk.i18n import N_, _
from desk.rules import ACTIVE

OK, DUE_SOON, OVERDUE, MET, MISSED, DONE = "ok", "due_soon", "overdue", "met", "missed", "done"

LABELS = {OK: N_("On time"), DUE_SOON: N_("Due soon"), OVERDUE: N_("Overdue"), MET: N_("Met"),
          MISSED: N_("Missed"), DONE: N_("Done")}
CLOCK_LABELS = {"first_contact": N_("First contact"), "promised_reply": N_("Promised reply"),
                "resolution": N_("Resolution")}


def label(state: str) -> str:
    return _(LABELS[state]) if state in LABELS else "—"


@dataclass(frozen=True)
class SlaState:
    """Where a case stands against its time limits, and which deadline decides it."""

    state: str                  # ok, due_soon, overdue, met, missed or done
    due: datetime | None        # the deciding deadline (None when done)
    clock: str | None           # first_contact, promised_reply or resolution
    paused: bool = False        # waiting on someone: resolution runs to the statutory limit

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE

    @property
    def label(self) -> str:
        return label(self.state)


def open_deadlines(case) -> list[tuple[datetime, str]]:
    """The deadlines still running on an active case, nearest first. ``case`` is anything
    with the case's time columns: the ORM ``Case``, a ``CaseRow`` or a ``CaseDetail``."""
    found = [(case.resolution_due, "resolution")]
    if case.first_contact_at is None and case.first_contact_due is not None:
        found.append((case.first_contact_due, "first_contact"))
    if case.promised_reply_at is not None:
        found.append((case.promised_reply_at, "promised_reply"))
    return sorted(found, key=lambda item: item[0])


def sla_state(case, now: datetime, soon: timedelta = timedelta(0)) -> SlaState:
    """The one answer for every list, detail, review, status bar and command."""
    status = case.status
    if status in ACTIVE:
        due, clock = open_deadlines(case)[0]
        paused = status == Status.WAITING.value
        if now > due:
            return SlaState(OVERDUE, due, clock, paused)
        return SlaState(DUE_SOON if now + soon >= due else OK, due, clock, paused)
    if case.resolved_at is not None:
        met = case.resolved_at <= case.resolution_due
        return SlaState(MET if met else MISSED, case.resolution_due, "resolution")
    return SlaState(DONE, None, None)


def overdue_clause(case_table, now: datetime, within: timedelta = timedelta(0)):
    """SQL for ``sla_state(case, now, within).state`` being ``overdue`` (or ``due_soon``
    when ``within`` is given), on the table or ORM class ``case_table``: the same
    comparisons as ``sla_state``, so the count and the list never disagree."""
    c = case_table

    def past(column):
        return column < now if not within else column <= now + within

    return and_(c.status.in_(sorted(s.value for s in ACTIVE)), or_(
        past(c.resolution_due),
        and_(c.first_contact_at.is_(None), c.first_contact_due.is_not(None),
             past(c.first_contact_due)),
        and_(c.promised_reply_at.is_not(None), past(c.promised_reply_at))))


__all__ = ["CLOCK_LABELS", "DONE", "DUE_SOON", "LABELS", "MET", "MISSED", "OK",
           "OVERDUE", "SlaState", "label", "open_deadlines", "overdue_clause", "sla_state"]
