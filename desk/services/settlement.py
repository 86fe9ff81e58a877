"""Settlements the customer signs, and the staff member found at fault.

A settlement is needed (policy ``[settlement]``) on a case of the listed levels or whose
accepted costs reach the amount; the customer signs the printed agreement on paper (the scan
is kept) or on the screen (the strokes kept as a PNG), both as attachments of the case. A
later complaint by the same customer about the same subject finds it (``prior_settlements``)
and is proposed "not accepted: already settled".
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desk import attachments, money
from desk.enums import NotAcceptedReason, Privilege, Status
from desk.errors import N_, RecusalError, TransitionError, ValidationError
from desk.i18n import _, format_date
from desk.model import Attachment, Case, utcnow
from desk.money_model import Settlement, StaffFinding
from desk.policy import Policy
from desk.privileges import require
from desk.services import validate
from desk.services.auth import Actor, staff_by_no
from desk.services.handling import open_case

PAPER, SCREEN = "paper", "screen"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def accepted_total(case: Case) -> Decimal:
    return sum((o.amount for o in case.offers if money.is_paid(o)), Decimal(0))


def settlement_needed(policy: Policy, case: Case) -> bool:
    """Whether the customer signs a settlement: a level the policy lists, or accepted costs
    at or above its amount."""
    if not any(money.is_paid(o) for o in case.offers):
        return False
    if case.level in policy.settlement_levels:
        return True
    return (policy.settlement_amount is not None
            and accepted_total(case) >= policy.settlement_amount)


def sign_settlement(session: Session, policy: Policy, case_no: str, actor: Actor, signer: str,
                    method: str, signature: bytes | None, *, name: str = "", terms: str = "",
                    locale: str | None = None, signature_sha256: str | None = None,
                    now: datetime | None = None) -> Settlement:
    """Record the customer's signed agreement: ``signature`` is the scan of the signed paper
    (``method="paper"``) or the PNG drawn on the screen (``"screen"``). A case document
    names it by ``signature_sha256`` instead: one of its attachments, already in the store."""
    now = now or utcnow()
    case = open_case(session, case_no, actor)
    if case.status in (Status.VOIDED, Status.NOT_ACCEPTED):
        raise TransitionError(N_("the case is {status}; there is nothing to settle"),
                              field="case_no", status=Status(case.status).label)
    if not any(money.is_paid(o) for o in case.offers):
        raise TransitionError(N_("a settlement records what the customer accepted; no offer "
                                 "was accepted yet"), field="offer")
    if session.scalar(select(Settlement.id).where(Settlement.case_id == case.id)):
        raise TransitionError(N_("the customer already signed a settlement on this case"),
                              field="settlement")
    if method not in (PAPER, SCREEN):
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="method",
                              value=str(method)[:20], allowed="paper, screen")
    if signature is None and signature_sha256 is not None:
        digest = attachments.check_digest(signature_sha256, "signature_sha256")
        signature = attachments.read_bytes(session, digest)
        if signature is None:
            raise ValidationError(N_("the signature {value} is not among the case's "
                                     "attachments"), field="signature_sha256",
                                  value=digest[:12])
        label = None
    else:
        label = name or ("signature.png" if method == SCREEN else "settlement-scan")
    if method == SCREEN and not bytes(signature or b"").startswith(PNG_MAGIC):
        raise ValidationError(N_("a signature drawn on the screen is kept as a PNG image"),
                              field="signature")
    if label is not None:
        digest = attachments.store_bytes(session, signature, label, field="signature")
        case.attachments.append(Attachment(
            path=attachments.safe_name(label, "signature"), sha256=digest, added_at=now,
            added_by_id=actor.id, description=_("Signed settlement")))
    row = Settlement(case_id=case.id, at=now, staff_id=actor.id,
                     signer=validate.text(signer, "signer", max_len=100), method=method,
                     signature_sha256=digest, locale=locale or case.text_locale,
                     terms=validate.text(terms, "terms", required=False, max_len=2000))
    session.add(row)
    case.updated_at = now
    session.flush()
    return row


@dataclass(frozen=True)
class SettledBefore:
    """An executed settlement of the same customer about the same subject."""

    case_no: str
    signed_at: datetime
    signer: str
    subject: str
    amount: Decimal
    terms: str


def prior_settlements(session: Session, case: Case) -> list[SettledBefore]:
    """Settlements signed on the customer's earlier cases (same phone or member number)
    about the same subject (the subject's name; without one, the category)."""
    same_customer = [c for c in (
        Case.customer_phone == case.customer_phone if case.customer_phone else None,
        Case.customer_member_no == case.customer_member_no if case.customer_member_no else None)
        if c is not None]
    if not same_customer:
        return []
    if case.subject_name:
        same_subject = func.lower(Case.subject_name) == case.subject_name.strip().lower()
    else:
        same_subject = (Case.subject_name.is_(None)) & (Case.category == case.category)
    stmt = (select(Settlement, Case).join(Case, Settlement.case_id == Case.id)
            .where(or_(*same_customer), same_subject, Case.id != case.id)
            .order_by(Settlement.at))
    return [SettledBefore(c.case_no, s.at, s.signer, c.subject_name or c.category,
                          accepted_total(c), s.terms) for s, c in session.execute(stmt)]


def not_accept_proposal(policy: Policy, settled: list[SettledBefore]) -> tuple[str, str] | None:
    """The reason and note proposed for a complaint already settled (None: nothing is)."""
    if not settled:
        return None
    last = settled[-1]
    note = _("Already settled: case {case}, agreement signed by {signer} on {day}").format(
        case=last.case_no, signer=last.signer, day=format_date(last.signed_at.astimezone(policy.tz).date()))
    return NotAcceptedReason.SETTLED.value, note


def record_finding(session: Session, policy: Policy, case_no: str, actor: Actor,
                   staff_no: str, finding: str, now: datetime | None = None) -> StaffFinding:
    """A supervisor names the staff member found at fault, with the finding. A later
    finding on the same case replaces it as the current one (both stay on record)."""
    now = now or utcnow()
    require(policy, actor, Privilege.REVIEW,
            N_("naming the staff member at fault needs a supervisor or higher"))
    case = open_case(session, case_no, actor, after_care=True)
    staff = staff_by_no(session, staff_no, "staff")
    if staff.id == actor.id:
        raise RecusalError(N_("nobody records a finding about themselves"), field="staff")
    row = StaffFinding(case_id=case.id, staff_id=staff.id, at=now, by_id=actor.id,
                       finding=validate.text(finding, "finding", max_len=2000))
    session.add(row)
    session.flush()
    return row


def current_finding(session: Session, case: Case) -> StaffFinding | None:
    return session.scalar(select(StaffFinding).where(StaffFinding.case_id == case.id)
                          .order_by(StaffFinding.id.desc()).limit(1))


__all__ = ["PAPER", "SCREEN", "SettledBefore", "current_finding", "not_accept_proposal",
           "prior_settlements", "record_finding", "settlement_needed", "sign_settlement"]
