"""The batch (major) complaint's tables: a batch of cases from different customers about the
same thing, its members, and the supervisor's decision on it.

They share ``desk.model.Base``; the schema comes from migration ``0009_radar``. A member row
has a ``case_id``, so the audit log files each one under its case; the batch row is audited
by its number (``desk.audit.log``).
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.i18n import N_
from desk.model import Base, Case, Staff

OPEN, CONFIRMED, DISMISSED = "open", "confirmed", "dismissed"
# A dismissed batch is over: its cases are not counted again for the same fault.
ACTIVE = (OPEN, CONFIRMED)
STATUS_LABELS = {OPEN: N_("Awaiting decision"), CONFIRMED: N_("Confirmed"),
                 DISMISSED: N_("Dismissed")}
BASIS_LABELS = {"subject": N_("same subject"), "keywords": N_("same key words")}


class Batch(Base):
    """One batch: numbered B-YYYYMMDD-NN by the day it was found (at the desk's site)."""

    __tablename__ = "batch"
    __table_args__ = (Index("ix_batch_found_at", "found_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_no: Mapped[str] = mapped_column(String(20), unique=True)
    found_at: Mapped[datetime]
    basis: Mapped[str] = mapped_column(String(20))       # "subject" or "keywords"
    topic: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default=OPEN)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)

    decided_by: Mapped[Staff | None] = relationship(lazy="joined")
    members: Mapped[list["BatchMember"]] = relationship(
        back_populates="batch", order_by="BatchMember.id", cascade="all, delete-orphan")


class BatchMember(Base):
    """A case in a batch; a case is in at most one batch."""

    __tablename__ = "batch_member"
    __table_args__ = (UniqueConstraint("case_id", name="uq_batch_member_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"))
    added_at: Mapped[datetime]

    batch: Mapped[Batch] = relationship(back_populates="members")
    case: Mapped[Case] = relationship(lazy="joined")
