"""The complaint record and everything hanging off it, as SQLAlchemy 2 typed ORM classes.

Money is ``Decimal`` in ``Numeric`` columns. Instants are timezone-aware and stored in UTC;
``Case.day`` is the business day at the desk (in the site's zone) so a day's list is one
index lookup. Enumerated values are stored as their string keys (see ``desk.enums``); the
rules that govern them live in ``desk.rules`` and ``desk.services``.
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import (JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary,
                        Numeric, String, Text, TypeDecorator, UniqueConstraint, false)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from desk.clock import utcnow  # noqa: F401  (its home is desk.clock; re-exported)

MONEY = Numeric(14, 2)


class UtcDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; every instant must carry its time zone")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def result_processor(self, dialect, coltype):
        # A list of a few hundred cases reads four instants a row, so their parsing is a
        # large part of a list's time. SQLite keeps them as UTC text without an offset:
        # appending one lets a single C call give the aware value, where the dialect's
        # parser followed by replace(tzinfo=...) takes three calls and about eight times
        # as long. PostgreSQL's driver already returns aware values (made UTC above).
        general = super().result_processor(dialect, coltype)
        if dialect.name != "sqlite":
            return general
        parse = datetime.fromisoformat

        def utc_from_text(value):
            if value is None:
                return None
            try:
                instant = parse(value + "+00:00")
                if instant.tzinfo is not None:   # a date alone reads "+" as "T": naive
                    return instant
            except (TypeError, ValueError):      # written with an offset, or not text
                pass
            return general(value)

        return utc_from_text


def code_point_string(length: int) -> String:
    """Text ordered by character code on both back ends, so that "starts with" is a range
    its index answers: SQLite orders text that way already; PostgreSQL gets the "C"
    collation (a language's collation skips punctuation and so sorts "0912-4" after
    "0912.", the end of the range for "0912-"). For the numbers a clerk types the start
    of: case, phone and member numbers."""
    return String(length).with_variant(String(length, collation="C"), "postgresql")


def migrated_flag() -> Mapped[bool]:
    """On a row that names a person: true when it came in as migrated history (imported by
    a role with the import privilege, not done by that person in this store), so it is shown
    as such and never counted as their authority decision."""
    return mapped_column(Boolean, default=False, server_default=false())


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, Decimal: MONEY}


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_no: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    pin_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_pins: Mapped[int] = mapped_column(Integer, default=0)   # within the window
    first_failed_at: Mapped[datetime | None]   # the window of wrong PINs began here
    locked_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseSequence(Base):
    """The next number on each desk's daily pad; bumped in the transaction that uses it."""

    __tablename__ = "case_sequence"

    desk: Mapped[str] = mapped_column(String(4), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    last: Mapped[int] = mapped_column(Integer)


class Case(Base):
    __tablename__ = "complaint_case"
    __table_args__ = (
        UniqueConstraint("desk", "day", "seq", name="uq_case_desk_day_seq"),
        Index("ix_case_list_order", "day", "desk", "seq", "id"),   # the list's order
        Index("ix_case_status", "status"),
        Index("ix_case_phone", "customer_phone"),
        Index("ix_case_member", "customer_member_no"),
        Index("ix_case_subject_name", "subject_name"),
        Index("ix_case_status_resolution_due", "status", "resolution_due"),
        Index("ix_case_status_list", "status", "day", "desk", "seq"),
        Index("ix_case_received_at", "received_at"),
        Index("ix_case_promised_reply_at", "status", "promised_reply_at"),
        Index("ix_case_mall_day", "mall", "day"),
        # the batch radar's neighbours at every save (desk.services.batches)
        Index("ix_case_radar_category", "mall", "category", "received_at"),
        Index("ix_case_radar_subject", "mall", "subject_kind", "subject_name", "received_at"),
        Index("ix_case_radar_staff", "mall", "subject_staff_id", "received_at"),
        # the status bar's follow-ups past due (desk.followup.overdue_follow_ups)
        Index("ix_case_status_follow_up_due", "status", "follow_up_due"),
        # the case list's own order (newest received first) within a status or a desk
        Index("ix_case_status_received_at", "status", "received_at"),
        Index("ix_case_desk_received_at", "desk", "received_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(code_point_string(24), unique=True)
    desk: Mapped[str] = mapped_column(String(4))
    day: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    # The mall whose desk took it, in a store a group of malls shares (None: one mall).
    mall: Mapped[str | None] = mapped_column(String(8), default=None)
    received_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(20))
    recorder_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    handler_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    customer_name: Mapped[str] = mapped_column(String(100))
    customer_phone: Mapped[str | None] = mapped_column(code_point_string(30))
    customer_member_no: Mapped[str | None] = mapped_column(code_point_string(30))
    customer_address: Mapped[str | None] = mapped_column(String(300))
    # The member tier (policy [tiers]): may shorten the deadlines, never lifts authority.
    customer_tier: Mapped[str] = mapped_column(String(20), default="none", server_default="none")
    customer_email: Mapped[str | None] = mapped_column(String(200))
    # How the customer wants to hear from us (desk.enums.ContactChannel) and whether they
    # agreed to be contacted at all (None: not asked, on cases taken before it was).
    contact_channel: Mapped[str | None] = mapped_column(String(20))
    contact_consent: Mapped[bool | None] = mapped_column(Boolean)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_name: Mapped[str | None] = mapped_column(String(200))
    subject_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    category: Mapped[str] = mapped_column(String(40))
    complaint: Mapped[str] = mapped_column(Text)
    request: Mapped[str] = mapped_column(Text, default="")
    motive: Mapped[str] = mapped_column(String(20))
    # The procedures' two classifications (desk.enums ContentClass, Degree); None on a case
    # taken before they were recorded, or imported without them.
    content_class: Mapped[str | None] = mapped_column(String(20))
    degree: Mapped[str | None] = mapped_column(String(20))
    severity: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(20))
    validity: Mapped[str] = mapped_column(String(20), default="undetermined")
    responsible_unit: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20), default="open")
    handling_result: Mapped[str] = mapped_column(Text, default="")
    promised_reply_at: Mapped[datetime | None]
    first_contact_at: Mapped[datetime | None]
    # Deadlines are fixed when the case is taken (policy at that moment) so a list of what
    # is overdue is one indexed comparison; pausing the clock moves resolution_due.
    first_contact_due: Mapped[datetime | None]
    resolution_due: Mapped[datetime]
    statutory_due: Mapped[datetime]
    follow_up_due: Mapped[datetime | None]
    revisit_due: Mapped[datetime | None]     # a poor follow-up score reopened the case
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    recipient_name: Mapped[str | None] = mapped_column(String(100))
    recipient_signed_at: Mapped[datetime | None]
    police_report_no: Mapped[str | None] = mapped_column(String(40))
    not_accepted_reason: Mapped[str | None] = mapped_column(String(30))
    status_note: Mapped[str | None] = mapped_column(Text)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("complaint_case.id"))
    text_locale: Mapped[str] = mapped_column(String(8), default="zh_TW")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when the case came in as migrated history: who imported it, when.
    migrated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    migrated_at: Mapped[datetime | None]

    __mapper_args__ = {"version_id_col": version}

    recorder: Mapped[Staff] = relationship(foreign_keys=[recorder_id], lazy="joined")
    handler: Mapped[Staff] = relationship(foreign_keys=[handler_id], lazy="joined")
    subject_staff: Mapped[Staff | None] = relationship(foreign_keys=[subject_staff_id])
    migrated_by: Mapped[Staff | None] = relationship(foreign_keys=[migrated_by_id])
    steps: Mapped[list["StepRecord"]] = relationship(
        back_populates="case", order_by="StepRecord.id", cascade="all, delete-orphan")
    offers: Mapped[list["Offer"]] = relationship(
        back_populates="case", order_by="Offer.seq", cascade="all, delete-orphan")
    assists: Mapped[list["AssistingUnit"]] = relationship(
        order_by="AssistingUnit.id", cascade="all, delete-orphan")
    history: Mapped[list["StatusChange"]] = relationship(
        order_by="StatusChange.id", cascade="all, delete-orphan")
    follow_ups: Mapped[list["FollowUp"]] = relationship(
        order_by="FollowUp.id", cascade="all, delete-orphan")
    attachments: Mapped[list["Attachment"]] = relationship(
        order_by="Attachment.id", cascade="all, delete-orphan")
    prints: Mapped[list["PrintRecord"]] = relationship(
        order_by="PrintRecord.id", cascade="all, delete-orphan")
    contacts: Mapped[list["InterimContact"]] = relationship(
        order_by="InterimContact.id", cascade="all, delete-orphan")


class StepRecord(Base):
    __tablename__ = "step_record"
    __table_args__ = (UniqueConstraint("case_id", "step", name="uq_step_case_step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    step: Mapped[str] = mapped_column(String(20))
    done_at: Mapped[datetime]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    skipped_reason: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str] = mapped_column(Text, default="")
    promised_reply_at: Mapped[datetime | None]
    migrated: Mapped[bool] = migrated_flag()

    case: Mapped[Case] = relationship(back_populates="steps")
    staff: Mapped[Staff] = relationship(lazy="joined")


class Offer(Base):
    __tablename__ = "offer"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_offer_case_seq"),
                      Index("ix_offer_requested_at", "requested_at"),   # today's authority
                      Index("ix_offer_decided_at", "decided_at"))   # today's approvals

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(40))
    amount: Mapped[Decimal]
    description: Mapped[str] = mapped_column(Text, default="")
    serials: Mapped[list] = mapped_column(JSON, default=list)
    charged: Mapped[Decimal | None]
    due: Mapped[Decimal | None]
    is_final: Mapped[bool] = mapped_column(Boolean, default=False)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    requested_at: Mapped[datetime]
    # An imported grant is made when it is imported (requested_at, the day its authority
    # counts on); the time its document gave is kept here, and export writes it back.
    stated_at: Mapped[datetime | None]
    approval: Mapped[str] = mapped_column(String(20), default="not_needed")
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None]
    approval_note: Mapped[str | None] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(String(20), default="pending")
    answered_at: Mapped[datetime | None]
    at_fault_staff: Mapped[str | None] = mapped_column(String(100))
    migrated: Mapped[bool] = migrated_flag()

    case: Mapped[Case] = relationship(back_populates="offers")
    requested_by: Mapped[Staff] = relationship(foreign_keys=[requested_by_id], lazy="joined")
    approver: Mapped[Staff | None] = relationship(foreign_keys=[approver_id], lazy="joined")


class AssistingUnit(Base):
    __tablename__ = "assisting_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    unit: Mapped[str] = mapped_column(String(60))
    task: Mapped[str] = mapped_column(Text)
    done_at: Mapped[datetime | None]


class StatusChange(Base):
    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    at: Mapped[datetime]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    from_level: Mapped[str | None] = mapped_column(String(20))
    to_level: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    migrated: Mapped[bool] = migrated_flag()

    staff: Mapped[Staff] = relationship(lazy="joined")


class FollowUp(Base):
    __tablename__ = "follow_up"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    at: Mapped[datetime]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    reached: Mapped[bool] = mapped_column(Boolean)
    satisfaction: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    text_sent: Mapped[bool] = mapped_column(Boolean, default=False)
    migrated: Mapped[bool] = migrated_flag()

    staff: Mapped[Staff] = relationship(lazy="joined")


class InterimContact(Base):
    """A contact with the customer while the case is open, made to keep a promised reply
    time: whether they were reached, how, what was said, and the new promised time.
    ``answered_promise`` is the promise in force when it was made; ``kept`` whether it was
    made before that promise passed."""

    __tablename__ = "interim_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    at: Mapped[datetime]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    reached: Mapped[bool] = mapped_column(Boolean)
    channel: Mapped[str] = mapped_column(String(20))
    said: Mapped[str] = mapped_column(Text)
    answered_promise: Mapped[datetime | None] = mapped_column(index=True)
    kept: Mapped[bool] = mapped_column(Boolean, default=True)
    promised_reply_at: Mapped[datetime | None]
    migrated: Mapped[bool] = migrated_flag()

    staff: Mapped[Staff] = relationship(lazy="joined")


class Attachment(Base):
    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime]
    added_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    migrated: Mapped[bool] = migrated_flag()


class AttachmentBlob(Base):
    """A photo's bytes, kept in the store itself so every PC of a shared store can show and
    print it; named by their SHA-256, so the same photo attached twice is stored once."""

    __tablename__ = "attachment_blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class PrintRecord(Base):
    __tablename__ = "print_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    printed_at: Mapped[datetime]
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    copies: Mapped[str] = mapped_column(String(20))
    locale: Mapped[str] = mapped_column(String(8))
    paper: Mapped[str] = mapped_column(String(20))
    reprint_no: Mapped[int] = mapped_column(Integer)

    staff: Mapped[Staff] = relationship(lazy="joined")


class Setting(Base):
    """Store-wide settings chosen at first run (mall name, desk letter, currency, locale)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Mall(Base):
    """A mall of a group whose desks share one store; a store without any is one mall's."""

    __tablename__ = "mall"

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))


class MallDesk(Base):
    """The mall a desk serves. Desk codes are unique across the group, so case numbers
    (desk, day, number) stay unique without naming the mall."""

    __tablename__ = "mall_desk"

    desk: Mapped[str] = mapped_column(String(4), primary_key=True)
    mall: Mapped[str] = mapped_column(String(8), ForeignKey("mall.code"))


class StorePolicy(Base):
    """The policy that governs this store: its TOML text, as the store keeps it, and who set
    it, when and why (``set_by`` a staff number, or ``system`` for the store's creation)."""

    __tablename__ = "store_policy"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime]
    set_by: Mapped[str | None] = mapped_column(String(20))
    system: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)


class StoreLexicon(Base):
    """The lexicon the store's suggestions use (desk.lexicon): its TOML text, a version
    counted up at every change, and who set it, when and why (as ``store_policy``)."""

    __tablename__ = "store_lexicon"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    set_at: Mapped[datetime]
    set_by: Mapped[str | None] = mapped_column(String(20))
    system: Mapped[str | None] = mapped_column(String(60))
    reason: Mapped[str] = mapped_column(Text)
