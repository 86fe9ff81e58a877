"""The money tables of issue 13: each step of a cost's life after the customer accepted it,
the settlements customers sign, and the staff member a supervisor found at fault.

They share ``desk.model.Base`` (one metadata for the whole store); the schema comes from
migration ``0009_money``. A cost's state is never stored: ``desk.costs`` derives it from its
events, so the history and the state cannot disagree.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.model import Base, Offer, Staff, migrated_flag


class CostEvent(Base):
    """One step of an accepted offer's life: finance approves or returns it, the supervisor
    sends a returned one back, it is paid, the recipient signs; an overcharge is verified."""

    __tablename__ = "cost_event"
    __table_args__ = (Index("ix_cost_event_offer", "offer_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offer.id"))
    action: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    # Payment: how it was paid and the voucher, serial or transfer numbers handed over.
    how: Mapped[str | None] = mapped_column(String(20))
    refs: Mapped[list] = mapped_column(JSON, default=list)
    # Overcharge verification: the receipt or transaction number, and a scan of it.
    evidence: Mapped[str | None] = mapped_column(String(100))
    evidence_sha256: Mapped[str | None] = mapped_column(String(64))
    # Signed for: the recipient's name as they signed.
    recipient: Mapped[str | None] = mapped_column(String(100))
    migrated: Mapped[bool] = migrated_flag()

    offer: Mapped[Offer] = relationship()
    staff: Mapped[Staff] = relationship(lazy="joined")


class Settlement(Base):
    """An agreement the customer signed: on paper (a scan kept as an attachment) or on the
    screen (the strokes kept as a PNG attachment). ``subject`` is what a later complaint is
    matched on (the subject's name, else the category)."""

    __tablename__ = "settlement"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    at: Mapped[datetime]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    signer: Mapped[str] = mapped_column(String(100))
    method: Mapped[str] = mapped_column(String(10))
    signature_sha256: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    terms: Mapped[str] = mapped_column(Text, default="")
    migrated: Mapped[bool] = migrated_flag()

    staff: Mapped[Staff] = relationship(lazy="joined")


class StaffFinding(Base):
    """The staff member a supervisor found at fault on a case, and the finding in words."""

    __tablename__ = "staff_finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    finding: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime]
    by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    migrated: Mapped[bool] = migrated_flag()

    staff: Mapped[Staff] = relationship(foreign_keys=[staff_id], lazy="joined")
    by: Mapped[Staff] = relationship(foreign_keys=[by_id], lazy="joined")
