"""Written replies, their outbox and how the store sends: the tables and their vocabularies
(how the audit log records them is in ``desk.audit.replies_record``)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from desk.enums import Labelled
from desk.i18n import N_
from desk.model import Base, Staff, migrated_flag


class ReplyChannel(Labelled):
    LETTER = "letter"
    EMAIL = "email"
    SMS = "sms"


ReplyChannel.LABELS = {"letter": N_("Letter"), "email": N_("E-mail"),
                       "sms": N_("Text message")}


class ReplyState(Labelled):
    DRAFT = "draft"                   # waits for the supervisor's approval
    AWAITING_SECOND = "awaiting_second"   # approved once; a level-2 reply waits for legal
    APPROVED = "approved"             # frozen: may be printed or sent
    REJECTED = "rejected"             # sent back; a new draft replaces it


ReplyState.LABELS = {"draft": N_("Draft, awaiting approval"),
                     "awaiting_second": N_("Awaiting the second review"),
                     "approved": N_("Approved"), "rejected": N_("Rejected")}


class OutboxState(Labelled):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


OutboxState.LABELS = {"queued": N_("Queued"), "sending": N_("Sending"), "sent": N_("Sent"),
                      "failed": N_("Failed")}


class Reply(Base):
    """A written reply to the customer. Once approved its text is frozen (``body_sha256``
    names what was approved); printing or sending takes exactly that text."""

    __tablename__ = "reply"
    __table_args__ = (UniqueConstraint("case_id", "seq", name="uq_reply_case_seq"),
                      Index("ix_reply_state", "state"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    channel: Mapped[str] = mapped_column(String(10))
    locale: Mapped[str] = mapped_column(String(8))
    template: Mapped[str | None] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(300), default="")
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=ReplyState.DRAFT.value)
    drafted_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    drafted_at: Mapped[datetime]
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    approved_at: Mapped[datetime | None]
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    reviewed_at: Mapped[datetime | None]
    rejected_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    rejected_at: Mapped[datetime | None]
    decision_note: Mapped[str | None] = mapped_column(Text)
    body_sha256: Mapped[str | None] = mapped_column(String(64))
    printed_at: Mapped[datetime | None]
    prints: Mapped[int] = mapped_column(Integer, default=0)
    migrated: Mapped[bool] = migrated_flag()

    drafted_by: Mapped[Staff] = relationship(foreign_keys=[drafted_by_id], lazy="joined")
    approved_by: Mapped[Staff | None] = relationship(foreign_keys=[approved_by_id],
                                                     lazy="joined")
    reviewed_by: Mapped[Staff | None] = relationship(foreign_keys=[reviewed_by_id],
                                                     lazy="joined")


class OutboxItem(Base):
    """One message to send: kept across restarts, tried until sent, each failure recorded
    (its error, how many attempts, when the next one is due)."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_state_next", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("complaint_case.id"), index=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    recipient: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(20), default=OutboxState.QUEUED.value)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None]
    queued_at: Mapped[datetime]
    queued_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class SendSettings(Base):
    """How this store sends: its SMTP server and its text-message route (one row). The
    password and the gateway's address and body are sealed with this PC's key
    (``desk.secret_box``); the audit log keeps only a fingerprint of the sealed text."""

    __tablename__ = "send_settings"

    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    smtp_host: Mapped[str] = mapped_column(String(200), default="")
    smtp_port: Mapped[int] = mapped_column(Integer, default=587)
    smtp_security: Mapped[str] = mapped_column(String(10), default="starttls")
    smtp_user: Mapped[str] = mapped_column(String(200), default="")
    # Sealed values are longer than plain ones: text on PostgreSQL; SQLite does not enforce
    # a length, so its columns keep their declared ones (no copy of the table).
    smtp_password: Mapped[str] = mapped_column(String(200).with_variant(Text, "postgresql"),
                                               default="")
    sender: Mapped[str] = mapped_column(String(200), default="")
    sms_route: Mapped[str] = mapped_column(String(10), default="none")
    sms_url: Mapped[str] = mapped_column(String(500).with_variant(Text, "postgresql"),
                                         default="")
    sms_content_type: Mapped[str] = mapped_column(String(60), default="application/json")
    sms_body: Mapped[str] = mapped_column(Text, default="")
    sms_email_domain: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime | None]


class ReplyTemplateSet(Base):
    """The store's own reply templates in one language, as TOML text (seeded from
    ``resources/replies/<locale>.toml``; changed only through ``desk reply templates
    apply``, by whom and why kept here and on the audit log)."""

    __tablename__ = "reply_templates"

    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    set_at: Mapped[datetime]
    set_by: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
