"""The audit log's table, and which tables it audits: the registry that names each audited
row, its case, and its personal and secret columns."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from desk.batch_model import Batch
from desk.i18n import N_, _
from desk.model import (AssistingUnit, Attachment, AttachmentBlob, Base, Case, FollowUp,
                        InterimContact, Mall, MallDesk, Offer, PrintRecord, Setting, Staff,
                        StatusChange, StepRecord)
from desk.pack_keys_model import PackSigningKey, TrustedPackKey
from desk.review_model import DayClose, PackExport, RootCause, RootCauseCase
from desk.uow import ACTOR  # noqa: F401  (re-exported: the session.info key naming the actor)

GENESIS = "0" * 64
REDACT = "audit_redact"    # session.info key: log personal "before" values as digests only


class AuditEntry(Base):
    """One change. ``before``/``after`` hold canonical JSON of the row (None for insert and
    delete); ``case_no`` ties an entry about any part of a case to that case."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_entity_key", "entity", "entity_key"),
                      Index("ix_audit_case_no", "case_no"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    staff_no: Mapped[str | None] = mapped_column(String(20))
    entity: Mapped[str] = mapped_column(String(30))
    # 80 for a stored photo's SHA-256; SQLite does not enforce a length and keeps its 60.
    entity_key: Mapped[str] = mapped_column(String(60).with_variant(String(80), "postgresql"))
    case_no: Mapped[str | None] = mapped_column(String(24))
    action: Mapped[str] = mapped_column(String(20))
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


LOG = AuditEntry.__table__


@dataclass(frozen=True)
class Audited:
    """A table whose every change is logged. ``key`` is the column naming a row in messages
    and in ``entity_key``; ``case_id`` the column pointing at the case (for ``case_no``);
    ``personal`` columns are salted (purgeable); ``secret`` columns are logged only as a
    fingerprint."""

    entity: str
    model: type
    key: str
    case_id: str | None = None
    personal: frozenset[str] = frozenset()
    secret: frozenset[str] = frozenset()

    @property
    def keys(self) -> tuple[str, ...]:
        """The columns naming a row: one, or several joined by commas in ``key``."""
        return tuple(self.key.split(","))

    def key_of(self, state: dict) -> str:
        """The row's ``entity_key``: its key column, or its key columns joined by "/"."""
        return "/".join(str(state.get(name)) for name in self.keys)


AUDITED: dict[type, Audited] = {}


def register(spec: Audited) -> None:
    """Audit another table (a module adding a model may call this to name its personal
    columns; any other table with a ``case_id`` column is audited as part of its case)."""
    AUDITED[spec.model] = spec


_NOT_AUDITED: set[type] = set()


def spec_for(cls: type) -> Audited | None:
    """How a mapped class is audited: registered, or found as a part of a case."""
    spec = AUDITED.get(cls)
    if spec is not None or cls in _NOT_AUDITED:
        return spec
    table = getattr(cls, "__table__", None)
    if (table is not None and "case_id" in table.c and len(table.primary_key.columns) == 1
            and table.name != "audit_log"):
        spec = Audited(table.name, cls, table.primary_key.columns[0].name, "case_id")
        register(spec)
        return spec
    _NOT_AUDITED.add(cls)
    return None


def _discover() -> None:
    for mapper in list(Base.registry.mappers):
        spec_for(mapper.class_)


CASE_PERSONAL = frozenset({"customer_name", "customer_phone", "customer_member_no",
                           "customer_address", "complaint", "request", "handling_result",
                           "status_note", "recipient_name", "customer_email"})

for _spec in (
        Audited("case", Case, "case_no", "id", CASE_PERSONAL),
        Audited("step", StepRecord, "id", "case_id", frozenset({"note", "skipped_reason"})),
        Audited("offer", Offer, "id", "case_id", frozenset({"description", "approval_note"})),
        Audited("assisting_unit", AssistingUnit, "id", "case_id", frozenset({"task"})),
        Audited("status_change", StatusChange, "id", "case_id", frozenset({"reason"})),
        Audited("follow_up", FollowUp, "id", "case_id", frozenset({"comment"})),
        Audited("attachment", Attachment, "id", "case_id", frozenset({"description"})),
        Audited("print", PrintRecord, "id", "case_id"),
        Audited("interim_contact", InterimContact, "id", "case_id", frozenset({"said"})),
        Audited("staff", Staff, "staff_no", secret=frozenset({"pin_hash"})),
        Audited("setting", Setting, "key"),
        Audited("batch", Batch, "batch_no"),
        Audited("mall", Mall, "code"),
        Audited("mall_desk", MallDesk, "desk"),
        # The supervisor's decisions that are not part of one case (desk.review_model).
        Audited("day_close", DayClose, "id"),
        Audited("pack_export", PackExport, "id"),
        Audited("root_cause", RootCause, "id"),
        Audited("root_cause_case", RootCauseCase, "root_cause_id,case_id", "case_id"),
        # A photo's bytes enter the log as their digest only.
        Audited("attachment_blob", AttachmentBlob, "sha256", secret=frozenset({"data"})),
        Audited("pack_signing_key", PackSigningKey, "id", secret=frozenset({"private_key"})),
        Audited("pack_trusted_key", TrustedPackKey, "fingerprint")):
    register(_spec)

ENTITY_LABELS = {
    "case": N_("case"), "step": N_("step"), "offer": N_("offer"),
    "assisting_unit": N_("assisting unit"), "status_change": N_("status change"),
    "follow_up": N_("follow-up call"), "attachment": N_("attachment"), "print": N_("printout"),
    "interim_contact": N_("contact with the customer"),
    "staff": N_("staff member"), "setting": N_("setting"), "policy": N_("policy"),
    "store": N_("store"), "purge": N_("purge"), "import": N_("migrated history import"),
    "batch": N_("batch complaint"), "batch_member": N_("batch complaint member"),
    "mall": N_("mall"), "mall_desk": N_("desk of a mall"),
    "day_close": N_("day close"), "pack_export": N_("exported day pack"),
    "root_cause": N_("root-cause record"), "root_cause_case": N_("root-cause link"),
    "review": N_("review decision"), "pause": N_("paused clock"),
    "chargeback": N_("chargeback"), "attachment_blob": N_("stored photo"),
    "pack_signing_key": N_("day-pack signing key"), "pack_trusted_key": N_("trusted pack key"),
}


def entity_label(entity: str) -> str:
    label = ENTITY_LABELS.get(entity)
    return _(label) if label else entity


def _spec_by_entity(entity: str) -> Audited | None:
    for spec in AUDITED.values():
        if spec.entity == entity:
            return spec
    return None
