"""The supervisor's tables: review decisions, closed days, paused clocks, root-cause records,
tenant chargebacks and exported day packs; and the closed-day guard every case write passes.

They share ``desk.model.Base`` so one metadata describes the whole store; the schema comes
from migration ``0003_review``.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, select)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from desk.errors import N_, TransitionError
from desk.i18n import format_date
from desk.model import Base, Case, Offer, Staff, utcnow

# Follow-up queue and finance lists look these up by time; declared here (beside the
# migration that creates them) so the metadata matches the schema.
Index("ix_case_follow_up_due", Case.follow_up_due)
Index("ix_offer_answered_at", Offer.answered_at)


class Review(Base):
    """One supervisor decision on a case: approved, returned (with a comment) or signed off.
    The newest decision is the case's review state. ``uid`` makes a pack import idempotent."""

    __tablename__ = "review"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(36), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    decision: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime]
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    case_version: Mapped[int] = mapped_column(Integer)
    pack_id: Mapped[str | None] = mapped_column(String(36))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))

    reviewer: Mapped[Staff] = relationship(foreign_keys=[reviewer_id], lazy="joined")


class DayClose(Base):
    """A desk's day closed after review; a reopen by a higher role is kept on the same row."""

    __tablename__ = "day_close"
    __table_args__ = (Index("ix_day_close_desk_day", "desk", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    desk: Mapped[str] = mapped_column(String(4))
    day: Mapped[date] = mapped_column(Date)
    closed_at: Mapped[datetime]
    closed_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    cases: Mapped[int] = mapped_column(Integer)
    reopened_at: Mapped[datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    closed_by: Mapped[Staff] = relationship(foreign_keys=[closed_by_id], lazy="joined")
    reopened_by: Mapped[Staff | None] = relationship(foreign_keys=[reopened_by_id], lazy="joined")


class Pause(Base):
    """The resolution clock stopped while waiting on the customer or a tenant.
    ``remaining_s`` is the resolution time that was left when the clock stopped."""

    __tablename__ = "pause"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    waiting_on: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime]
    started_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    remaining_s: Mapped[int] = mapped_column(Integer)
    ended_at: Mapped[datetime | None]
    ended_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class RootCause(Base):
    """A root-cause record (problem, containment, root cause, permanent fix, verification,
    prevention) for recurring or ★★★ complaints; listed weekly until verified."""

    __tablename__ = "root_cause"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    team: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text)
    containment: Mapped[str] = mapped_column(Text, default="")
    root_cause: Mapped[str] = mapped_column(Text, default="")
    permanent_fix: Mapped[str] = mapped_column(Text, default="")
    verification: Mapped[str] = mapped_column(Text, default="")
    prevention: Mapped[str] = mapped_column(Text, default="")
    # The eighth step: the team and what it did recognised (migration 0009_money); written
    # after verification too, since recognition comes once the fix has held.
    recognition: Mapped[str] = mapped_column(Text, default="", server_default="")
    opened_at: Mapped[datetime]
    opened_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    updated_at: Mapped[datetime]
    verified_at: Mapped[datetime | None]
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))

    links: Mapped[list["RootCauseCase"]] = relationship(cascade="all, delete-orphan",
                                                        order_by="RootCauseCase.case_id")


class RootCauseCase(Base):
    __tablename__ = "root_cause_case"

    root_cause_id: Mapped[int] = mapped_column(ForeignKey("root_cause.id"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), primary_key=True,
                                         index=True)


class Chargeback(Base):
    """What the mall paid for a tenant's fault, to be recovered from that tenant."""

    __tablename__ = "chargeback"
    __table_args__ = (Index("ix_chargeback_open", "settled_at", "tenant"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    tenant: Mapped[str] = mapped_column(String(200))
    amount: Mapped[Decimal]
    reason: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime]
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    settled_at: Mapped[datetime | None]
    settled_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    settlement_note: Mapped[str | None] = mapped_column(Text)


class PackExport(Base):
    """A day pack this store wrote: a pack is only imported where it was exported, and its
    cases and forms must still hash to what was written."""

    __tablename__ = "pack_export"
    __table_args__ = (UniqueConstraint("pack_id", name="uq_pack_export_pack_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack_id: Mapped[str] = mapped_column(String(36))
    desk: Mapped[str | None] = mapped_column(String(4))
    day: Mapped[date] = mapped_column(Date)
    exported_at: Mapped[datetime]
    exported_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    cases: Mapped[int] = mapped_column(Integer)
    content_sha256: Mapped[str] = mapped_column(String(64))
    last_import_at: Mapped[datetime | None]


# --- the closed-day guard --------------------------------------------------------------------

def closed_day(session: Session, desk: str, day: date) -> DayClose | None:
    """The close in force for a desk's day, or None while the day is open."""
    return session.scalar(select(DayClose).where(
        DayClose.desk == desk, DayClose.day == day, DayClose.reopened_at.is_(None))
        .order_by(DayClose.id.desc()).limit(1))


def ensure_day_open(session: Session, desk: str, day: date, case_no: str | None = None) -> None:
    """Refuse any write to a case of a closed day: the day was reviewed and filed; a role with
    the ``reopen_day`` privilege must reopen it (recorded) first."""
    if closed_day(session, desk, day) is None:
        return
    if case_no:
        raise TransitionError(N_("case {value} belongs to desk {desk}'s day {day}, which is "
                                 "closed after review; a higher role must reopen the day "
                                 "before the case can change"),
                              field="case_no", value=case_no, desk=desk, day=LocalDay(day))
    raise TransitionError(N_("desk {desk}'s day {day} is closed after review; a higher role "
                             "must reopen the day before cases can be added to it"),
                          field="received_at", desk=desk, day=LocalDay(day))


class LocalDay:
    """A date shown in the reader's language when the message is shown."""

    def __init__(self, day: date) -> None:
        self.day = day

    def __format__(self, spec: str) -> str:
        return format_date(self.day)
