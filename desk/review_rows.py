"""The read side of the supervisor's review: each case of a desk's day as a review row
(deadlines, offers, the newest decision), the day's closes, a case's review history, and
what keeps a day from closing; the decisions' names and labels."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from desk import deadlines, money, rules
from desk.enums import Approval, Labelled, Status
from desk.errors import N_
from desk.i18n import _
from desk.model import Case, Offer, Staff, utcnow
from desk.policy import Policy
from desk.review_model import DayClose, Review


class Decision(Labelled):
    APPROVED = "approved"
    RETURNED = "returned"
    SIGNED_OFF = "signed_off"


Decision.LABELS = {"approved": N_("Approved"), "returned": N_("Returned to the desk"),
                   "signed_off": N_("Signed off")}

REVIEWED = frozenset({Decision.APPROVED.value, Decision.SIGNED_OFF.value})
UNREVIEWED = "unreviewed"
REVIEW_LABELS = {UNREVIEWED: N_("Not reviewed"), **Decision.LABELS}


def review_label(state: str) -> str:
    return _(REVIEW_LABELS.get(state, state))


def sla_label(state: str) -> str:
    """A deadline state in words (``desk.deadlines`` decides the state)."""
    return deadlines.label(state)


@dataclass(frozen=True)
class ReviewRow:
    """One case on the review screen."""

    case_no: str
    desk: str
    received_at: datetime
    status: str
    level: str
    severity: int
    category: str
    customer_name: str
    subject_name: str | None
    handler: str
    summary: str
    sla: str
    compensation: Decimal
    approvals_pending: int
    approvals_given: int
    version: int
    review: str                  # 'unreviewed' or a Decision value
    reviewer: str | None
    review_comment: str
    reviewed_at: datetime | None

    @property
    def reviewed(self) -> bool:
        return self.review in REVIEWED

    @property
    def final(self) -> bool:
        return Status(self.status) in rules.FINAL


@dataclass(frozen=True)
class DayCloseRow:
    desk: str
    day: date
    closed_at: datetime
    closed_by: str
    cases: int
    reopened_at: datetime | None
    reopened_by: str | None
    reopen_reason: str | None

    @property
    def in_force(self) -> bool:
        return self.reopened_at is None


@dataclass(frozen=True)
class ReviewDay:
    """A day (one desk or all) as the supervisor sees it."""

    day: date
    desk: str | None
    rows: tuple[ReviewRow, ...]
    closes: tuple[DayCloseRow, ...]   # every close and reopen, oldest first

    @property
    def unreviewed(self) -> int:
        return sum(1 for r in self.rows if not r.reviewed)

    @property
    def desks(self) -> tuple[str, ...]:
        return tuple(sorted({r.desk for r in self.rows}))

    def closed(self, desk: str) -> DayCloseRow | None:
        current = [c for c in self.closes if c.desk == desk and c.in_force]
        return current[-1] if current else None

    def close_blockers(self, desk: str) -> list[str]:
        return close_blockers([r for r in self.rows if r.desk == desk])


def close_blockers(rows: list[ReviewRow]) -> list[str]:
    """Why a day cannot close yet, in words; empty when it can."""
    problems = []
    unreviewed = [r.case_no for r in rows if not r.reviewed]
    if unreviewed:
        problems.append(_("{count} not reviewed ({cases})").format(
            count=len(unreviewed), cases=_first(unreviewed)))
    unfinished = [r.case_no for r in rows if not r.final]
    if unfinished:
        problems.append(_("{count} not finished yet ({cases})").format(
            count=len(unfinished), cases=_first(unfinished)))
    return problems


def _first(numbers: list[str], n: int = 3) -> str:
    return ", ".join(numbers[:n]) + (", …" if len(numbers) > n else "")


def review_rows(session: Session, policy: Policy, day: date, desk: str | None = None, *,
                case_nos: list[str] | None = None, now: datetime | None = None
                ) -> list[ReviewRow]:
    """The day's cases with their review state, in number order."""
    now = now or utcnow()
    soon = timedelta(hours=policy.due_soon_hours)
    stmt = (select(Case.id, Case.case_no, Case.desk, Case.received_at, Case.status, Case.level,
                   Case.severity, Case.category, Case.customer_name, Case.subject_name,
                   Staff.name, func.substr(Case.complaint, 1, 80), Case.resolution_due,
                   Case.resolved_at, Case.first_contact_due, Case.first_contact_at,
                   Case.promised_reply_at, Case.version)
            .join(Staff, Staff.id == Case.handler_id).where(Case.day == day))
    if desk:
        stmt = stmt.where(Case.desk == desk)
    if case_nos is not None:
        stmt = stmt.where(Case.case_no.in_(case_nos))
    cases = session.execute(stmt.order_by(Case.desk, Case.seq)).all()
    ids = [c.id for c in cases]
    offers = _offer_summary(session, ids)
    latest = _latest_reviews(session, ids)
    rows = []
    for c in cases:
        total, pending, given = offers.get(c.id, (Decimal(0), 0, 0))
        review = latest.get(c.id)
        rows.append(ReviewRow(
            case_no=c.case_no, desk=c.desk, received_at=c.received_at, status=c.status,
            level=c.level, severity=c.severity, category=c.category,
            customer_name=c.customer_name, subject_name=c.subject_name, handler=c.name,
            summary=c[11] or "",
            sla=deadlines.sla_state(c, now, soon).state,
            compensation=total, approvals_pending=pending, approvals_given=given,
            version=c.version, review=review.decision if review else UNREVIEWED,
            reviewer=review.reviewer.name if review else None,
            review_comment=review.comment if review else "",
            reviewed_at=review.at if review else None))
    return rows


def _chunks(ids: list[int], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def _offer_summary(session: Session, ids: list[int]) -> dict[int, tuple[Decimal, int, int]]:
    out: dict[int, tuple[Decimal, int, int]] = {}
    for chunk in _chunks(ids):
        for offer in session.execute(
                select(Offer.case_id, Offer.approval, Offer.answer, Offer.amount)
                .where(Offer.case_id.in_(chunk))):
            total, pending, given = out.get(offer.case_id, (Decimal(0), 0, 0))
            if money.counts(offer):
                total += Decimal(offer.amount)
            out[offer.case_id] = (total, pending + (offer.approval == Approval.PENDING),
                                  given + (offer.approval == Approval.APPROVED))
    return out


def _latest_reviews(session: Session, ids: list[int]) -> dict[int, Review]:
    latest: dict[int, Review] = {}
    for chunk in _chunks(ids):
        for review in session.scalars(select(Review).where(Review.case_id.in_(chunk))
                                      .order_by(Review.at, Review.id)):
            latest[review.case_id] = review
    return latest


def day_closes(session: Session, day: date, desk: str | None = None) -> list[DayCloseRow]:
    stmt = select(DayClose).where(DayClose.day == day)
    if desk:
        stmt = stmt.where(DayClose.desk == desk)
    return [DayCloseRow(c.desk, c.day, c.closed_at, c.closed_by.name, c.cases, c.reopened_at,
                        c.reopened_by.name if c.reopened_by else None, c.reopen_reason)
            for c in session.scalars(stmt.order_by(DayClose.id))]


def review_day(session: Session, policy: Policy, day: date, desk: str | None = None,
               now: datetime | None = None) -> ReviewDay:
    return ReviewDay(day, desk, tuple(review_rows(session, policy, day, desk, now=now)),
                     tuple(day_closes(session, day, desk)))


@dataclass(frozen=True)
class ReviewHistoryRow:
    at: datetime
    reviewer: str
    decision: str
    comment: str
    from_pack: bool


def review_history(session: Session, case_no: str) -> list[ReviewHistoryRow]:
    stmt = (select(Review).join(Case, Case.id == Review.case_id)
            .where(Case.case_no == case_no).order_by(Review.at, Review.id))
    return [ReviewHistoryRow(r.at, r.reviewer.name, r.decision, r.comment, r.pack_id is not None)
            for r in session.scalars(stmt)]


def returned_cases(session: Session, desk: str | None = None) -> list[str]:
    """Cases whose newest review sent them back to the desk (the desk's to-do list)."""
    newest = (select(Review.case_id, func.max(Review.id).label("last"))
              .group_by(Review.case_id).subquery())
    last = aliased(Review)
    stmt = (select(Case.case_no).join(newest, newest.c.case_id == Case.id)
            .join(last, last.id == newest.c.last)
            .where(last.decision == Decision.RETURNED.value))
    if desk:
        stmt = stmt.where(Case.desk == desk)
    return list(session.scalars(stmt.order_by(Case.case_no)))
