"""Customer data on screens and paper: masking for roles without the ``personal_data``
privilege, and anonymising cases kept past the retention period (statistics stay)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk import audit
from desk.enums import Privilege
from desk.errors import N_, ValidationError
from desk.model import Case, utcnow
from desk.policy import Policy
from desk.privileges import holds, require

PRIVILEGE = Privilege.PERSONAL_DATA
MASK = "*"


def can_see_personal(policy: Policy, actor) -> bool:
    """Whether ``actor`` (an ``Actor``, or None for nobody signed in) sees phone numbers,
    member numbers and addresses in full."""
    return holds(policy, actor, PRIVILEGE)


def mask_phone(phone: str | None) -> str | None:
    """``0912-345-678`` -> ``0912-***-678``: the first four and last three digits stay (fewer
    for short numbers, always at least three hidden); separators stay where they were."""
    if not phone:
        return phone
    digits = sum(ch.isdigit() for ch in phone)
    tail = 3 if digits >= 9 else max(0, min(3, digits - 4))
    head = max(0, min(4, digits - tail - 3))
    out, seen = [], 0
    for ch in phone:
        if ch.isdigit():
            seen += 1
            out.append(ch if seen <= head or seen > digits - tail else MASK)
        else:
            out.append(ch)
    return "".join(out)


def mask_member(member: str | None) -> str | None:
    """``M12345678`` -> ``M1*****78``; short numbers are hidden entirely."""
    if not member:
        return member
    if len(member) <= 4:
        return MASK * len(member)
    keep = 2 if len(member) >= 7 else 1
    return member[:keep] + MASK * (len(member) - 2 * keep) + member[-keep:]


def mask_address(address: str | None) -> str | None:
    """Only the first six characters (city and district) stay."""
    if not address:
        return address
    return address[:6] + MASK * 3 if len(address) > 6 else MASK * 3


def mask(kind: str, value):
    if not isinstance(value, str):
        return value
    return {"phone": mask_phone, "member": mask_member, "address": mask_address}[kind](value)


_ROW_FIELDS = {"customer_phone": mask_phone, "customer_member_no": mask_member,
               "customer_address": mask_address}


def for_viewer(row, policy: Policy, actor):
    """A frozen row (``CaseRow``, ``CaseDetail``, ...) as ``actor`` may see it: unchanged with
    the privilege, otherwise with phone, member number and address masked."""
    if can_see_personal(policy, actor):
        return row
    names = {f.name for f in dataclasses.fields(row)}
    changes = {name: fn(getattr(row, name)) for name, fn in _ROW_FIELDS.items() if name in names}
    return dataclasses.replace(row, **changes) if changes else row


def rows_for_viewer(rows, policy: Policy, actor) -> list:
    if can_see_personal(policy, actor):
        return list(rows)
    return [for_viewer(r, policy, actor) for r in rows]


_DOC_FIELDS = {"phone": mask_phone, "member_no": mask_member, "address": mask_address}


def mask_document(doc: dict) -> None:
    """Mask the customer block of a case document (``desk.casedoc``) in place."""
    customer = doc.get("customer")
    if isinstance(customer, dict):
        for key, fn in _DOC_FIELDS.items():
            if key in customer:
                customer[key] = mask(key.removesuffix("_no"), customer[key])


def document_mask(policy: Policy, actor):
    """The ``mask`` argument of ``casedoc.export_case`` for ``actor``: None with the
    privilege (the document goes out whole), else ``mask_document``."""
    return None if can_see_personal(policy, actor) else mask_document


# --- retention -------------------------------------------------------------------------------

def retention_cutoff(policy: Policy, today: date) -> date:
    """The first business day still kept: the same date ``retention_years`` ago."""
    try:
        return today.replace(year=today.year - policy.retention_years)
    except ValueError:   # 29 February
        return today.replace(year=today.year - policy.retention_years, day=28)


@dataclass(frozen=True)
class PurgeReport:
    before: date
    cases: int                   # anonymised now (or that would be, on a dry run)
    still_open: int              # older than ``before`` but still being handled: kept
    entries_purged: int          # audit entries whose personal values were dropped
    case_nos: tuple[str, ...]
    dry_run: bool = False


ANONYMOUS = ""
_FINISHED = ("resolved", "closed", "not_accepted", "voided")


def purge(session: Session, policy: Policy, actor, before: date | None = None, *,
          dry_run: bool = False, now: datetime | None = None) -> PurgeReport:
    """Anonymise every finished case received before ``before`` (default: the retention
    cutoff): customer name, phone, member number, address and every free text are cleared;
    category, level, severity, units, offers, amounts and times stay for the statistics.
    Earlier audit entries about these cases lose their personal values too, and the purge
    itself is logged. Only an administrator may purge."""
    now = now or utcnow()
    require(policy, actor, Privilege.ADMIN, N_("only an administrator may anonymise old cases"),
            field="date")
    cutoff = retention_cutoff(policy, now.astimezone(policy.tz).date())
    before = before or cutoff
    if not isinstance(before, date) or isinstance(before, datetime):
        raise ValidationError(N_("must be a date"), field="date")
    if before > cutoff:
        raise ValidationError(N_("cases are kept for {years} years: choose a date on or before "
                                 "{cutoff}"), field="date", years=policy.retention_years,
                              cutoff=cutoff.isoformat())
    old = (Case.day < before) & (Case.customer_name != ANONYMOUS)
    still_open = len(session.scalars(select(Case.id).where(
        old, Case.status.not_in(_FINISHED))).all())
    cases = list(session.scalars(
        select(Case).where(old, Case.status.in_(_FINISHED)).order_by(Case.day, Case.desk, Case.seq)
        .options(selectinload(Case.steps), selectinload(Case.offers), selectinload(Case.assists),
                 selectinload(Case.history), selectinload(Case.follow_ups),
                 selectinload(Case.attachments))))
    numbers = tuple(c.case_no for c in cases)
    if dry_run or not cases:
        return PurgeReport(before, len(cases), still_open, 0, numbers, dry_run)
    session.info[audit.ACTOR] = actor.staff_no
    entries = audit.purge_entries(session, numbers)
    session.info[audit.REDACT] = True
    try:
        for case in cases:
            _anonymise(case)
        session.flush()
    finally:
        session.info.pop(audit.REDACT, None)
    audit.log_event(session, "purge", before.isoformat(), "purge",
                    after={"before": before, "cases": len(cases), "case_nos": list(numbers),
                           "entries": entries})
    return PurgeReport(before, len(cases), still_open, entries, numbers)


def _anonymise(case: Case) -> None:
    case.customer_name = ANONYMOUS
    case.customer_phone = case.customer_member_no = case.customer_address = None
    case.complaint = case.request = case.handling_result = ""
    case.status_note = case.recipient_name = None
    for step in case.steps:
        step.note = ""
        if step.skipped_reason is not None:
            step.skipped_reason = ""
    for offer in case.offers:
        offer.description = ""
        if offer.approval_note is not None:
            offer.approval_note = ""
    for unit in case.assists:
        unit.task = ""
    for change in case.history:
        change.reason = ""
    for call in case.follow_ups:
        call.comment = ""
    for item in case.attachments:
        item.description = ""
