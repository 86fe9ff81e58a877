"""The frozen rows the read side hands out: a line of a case list, one case in full with its
steps, offers, history, follow-up calls, attachments and prints, a staff member. Screens
and forms hold these, never live ORM objects."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import money
from desk.model import Case


@dataclass(frozen=True)
class CaseRow:
    """One line of a case list."""

    case_no: str
    received_at: datetime
    desk: str
    status: str
    level: str
    severity: int
    category: str
    customer_name: str
    customer_phone: str | None
    subject_name: str | None
    handler: str
    resolution_due: datetime
    promised_reply_at: datetime | None
    follow_up_due: datetime | None
    total: Decimal
    summary: str
    # The rest of the time columns, so the list answers "overdue?" as every screen does.
    first_contact_due: datetime | None = None
    first_contact_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class StepView:
    step: str
    done_at: datetime
    staff: str
    skipped_reason: str | None
    note: str
    promised_reply_at: datetime | None
    migrated: bool = False


@dataclass(frozen=True)
class OfferView:
    seq: int
    kind: str
    amount: Decimal
    description: str
    serials: tuple[str, ...]
    charged: Decimal | None
    due: Decimal | None
    is_final: bool
    requested_by: str
    requested_at: datetime
    approval: str
    approver: str | None
    decided_at: datetime | None
    approval_note: str | None
    answer: str
    answered_at: datetime | None
    at_fault_staff: str | None
    migrated: bool = False   # history: nobody's authority decision in this store
    cost: "CostSummary | None" = None   # accepted and granted: where it is in its life

    @property
    def granted(self) -> bool:
        return money.is_granted(self)

    @property
    def paid(self) -> bool:
        return money.is_paid(self)


@dataclass(frozen=True)
class CostSummary:
    """Where an accepted offer is after the counter (``desk.costs`` states): who reviewed it
    in finance, how and by whom it was paid, who signed for it, the overcharge's evidence."""

    state: str
    reviewed_by: str | None = None
    paid_how: str | None = None
    paid_refs: tuple[str, ...] = ()
    paid_by: str | None = None
    paid_at: datetime | None = None
    recipient: str | None = None
    signed_at: datetime | None = None
    evidence: str | None = None
    verified_by: str | None = None
    returned_reason: str | None = None


@dataclass(frozen=True)
class SettlementView:
    signed_at: datetime
    signer: str
    method: str
    signature_sha256: str
    locale: str
    terms: str
    recorded_by: str


@dataclass(frozen=True)
class FindingView:
    staff: str
    staff_no: str
    finding: str
    by: str
    at: datetime


@dataclass(frozen=True)
class HistoryView:
    at: datetime
    staff: str
    from_status: str | None
    to_status: str
    from_level: str | None
    to_level: str | None
    reason: str
    migrated: bool = False


@dataclass(frozen=True)
class FollowUpView:
    at: datetime
    staff: str
    reached: bool
    satisfaction: int | None
    comment: str
    text_sent: bool
    migrated: bool = False


@dataclass(frozen=True)
class ContactView:
    """An interim contact: made to keep ``answered_promise`` (``kept``: in time)."""

    at: datetime
    staff: str
    reached: bool
    channel: str
    said: str
    answered_promise: datetime | None
    kept: bool
    promised_reply_at: datetime | None
    migrated: bool = False


@dataclass(frozen=True)
class AttachmentView:
    path: str
    sha256: str
    description: str
    added_at: datetime
    migrated: bool = False


@dataclass(frozen=True)
class PrintView:
    printed_at: datetime
    staff: str
    copies: str
    locale: str
    paper: str
    reprint_no: int


@dataclass(frozen=True)
class CaseDetail:
    """Everything on one case, as the detail screen and the printed form show it."""

    case_no: str
    desk: str
    day: date
    received_at: datetime
    channel: str
    recorder: str
    recorder_no: str
    handler: str
    handler_no: str
    customer_name: str
    customer_phone: str | None
    customer_member_no: str | None
    customer_address: str | None
    subject_kind: str
    subject_name: str | None
    subject_staff: str | None
    subject_staff_no: str | None
    category: str
    complaint: str
    request: str
    motive: str
    severity: int
    level: str
    validity: str
    responsible_unit: str
    status: str
    handling_result: str
    promised_reply_at: datetime | None
    first_contact_at: datetime | None
    first_contact_due: datetime | None
    resolution_due: datetime
    statutory_due: datetime
    follow_up_due: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    recipient_name: str | None
    recipient_signed_at: datetime | None
    police_report_no: str | None
    not_accepted_reason: str | None
    status_note: str | None
    duplicate_of: str | None
    text_locale: str
    version: int
    assisting: tuple[tuple[str, str], ...]
    steps: tuple[StepView, ...]
    offers: tuple[OfferView, ...]
    history: tuple[HistoryView, ...]
    follow_ups: tuple[FollowUpView, ...]
    attachments: tuple[AttachmentView, ...]
    prints: tuple[PrintView, ...]
    # Migrated history: who brought the case in and when (None: taken in this store).
    migrated_by: str | None = None
    migrated_at: datetime | None = None
    settlement: SettlementView | None = None   # the agreement the customer signed
    finding: FindingView | None = None         # the staff member found at fault
    # The two classifications (None: not classified) and the customer's member tier.
    content_class: str | None = None
    degree: str | None = None
    customer_tier: str = "none"
    # How the customer wants to hear from us, and the contacts that kept our promises.
    customer_email: str | None = None
    contact_channel: str | None = None
    contact_consent: bool | None = None
    revisit_due: datetime | None = None
    contacts: tuple[ContactView, ...] = ()

    @property
    def migrated(self) -> bool:
        return self.migrated_by is not None

    @property
    def granted_total(self) -> Decimal:
        return sum((o.amount for o in self.offers if money.counts(o)), Decimal(0))

    @property
    def paid_total(self) -> Decimal:
        return sum((o.amount for o in self.offers if o.paid), Decimal(0))

    @property
    def cost_claimed(self) -> bool:
        return self.paid_total > 0

    @property
    def completed_steps(self) -> set[str]:
        return {s.step for s in self.steps}


def detail_of(case: Case, session: Session | None = None) -> CaseDetail:
    duplicate = None
    if case.duplicate_of_id and session is not None:
        duplicate = session.scalar(select(Case.case_no).where(Case.id == case.duplicate_of_id))
    staff = case.subject_staff
    return CaseDetail(
        case_no=case.case_no, desk=case.desk, day=case.day, received_at=case.received_at,
        channel=case.channel, recorder=case.recorder.name, recorder_no=case.recorder.staff_no,
        handler=case.handler.name, handler_no=case.handler.staff_no,
        customer_name=case.customer_name, customer_phone=case.customer_phone,
        customer_member_no=case.customer_member_no, customer_address=case.customer_address,
        subject_kind=case.subject_kind, subject_name=case.subject_name,
        subject_staff=staff.name if staff else None,
        subject_staff_no=staff.staff_no if staff else None, category=case.category,
        complaint=case.complaint, request=case.request, motive=case.motive,
        severity=case.severity, level=case.level, validity=case.validity,
        responsible_unit=case.responsible_unit, status=case.status,
        handling_result=case.handling_result, promised_reply_at=case.promised_reply_at,
        first_contact_at=case.first_contact_at, first_contact_due=case.first_contact_due,
        resolution_due=case.resolution_due, statutory_due=case.statutory_due,
        follow_up_due=case.follow_up_due, resolved_at=case.resolved_at,
        closed_at=case.closed_at, recipient_name=case.recipient_name,
        recipient_signed_at=case.recipient_signed_at, police_report_no=case.police_report_no,
        not_accepted_reason=case.not_accepted_reason, status_note=case.status_note,
        duplicate_of=duplicate, text_locale=case.text_locale, version=case.version,
        assisting=tuple((a.unit, a.task) for a in case.assists),
        steps=tuple(StepView(s.step, s.done_at, s.staff.name, s.skipped_reason, s.note,
                             s.promised_reply_at, s.migrated) for s in case.steps),
        offers=tuple(OfferView(
            seq=o.seq, kind=o.kind, amount=o.amount, description=o.description,
            serials=tuple(o.serials or ()), charged=o.charged, due=o.due, is_final=o.is_final,
            requested_by=o.requested_by.name, requested_at=o.requested_at, approval=o.approval,
            approver=o.approver.name if o.approver else None, decided_at=o.decided_at,
            approval_note=o.approval_note, answer=o.answer, answered_at=o.answered_at,
            at_fault_staff=o.at_fault_staff, migrated=o.migrated) for o in case.offers),
        history=tuple(HistoryView(h.at, h.staff.name, h.from_status, h.to_status, h.from_level,
                                  h.to_level, h.reason, h.migrated) for h in case.history),
        follow_ups=tuple(FollowUpView(f.at, f.staff.name, f.reached, f.satisfaction, f.comment,
                                      f.text_sent, f.migrated) for f in case.follow_ups),
        attachments=tuple(AttachmentView(a.path, a.sha256, a.description, a.added_at,
                                         a.migrated) for a in case.attachments),
        prints=tuple(PrintView(p.printed_at, p.staff.name, p.copies, p.locale, p.paper,
                               p.reprint_no) for p in case.prints),
        migrated_by=case.migrated_by.name if case.migrated_by_id else None,
        migrated_at=case.migrated_at,
        customer_email=case.customer_email, contact_channel=case.contact_channel,
        contact_consent=case.contact_consent, revisit_due=case.revisit_due,
        contacts=tuple(ContactView(c.at, c.staff.name, c.reached, c.channel, c.said,
                                   c.answered_promise, c.kept, c.promised_reply_at, c.migrated)
                       for c in case.contacts),
        content_class=case.content_class, degree=case.degree,
        customer_tier=case.customer_tier or "none",
    )


@dataclass(frozen=True)
class StaffRow:
    staff_no: str
    name: str
    role: str
    active: bool
    locked_until: datetime | None
