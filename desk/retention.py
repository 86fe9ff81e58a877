"""Keeping cases no longer than the policy says: the retention cutoff, and anonymising
finished cases past it (statistics stay; earlier audit entries lose their personal values)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from desk import audit
from desk.enums import Privilege
from desk.errors import N_, ValidationError
from desk.model import Case, utcnow
from desk.policy import Policy
from desk.privileges import require
from desk.uow import bind_actor


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
                 selectinload(Case.attachments), selectinload(Case.contacts))))
    numbers = tuple(c.case_no for c in cases)
    if dry_run or not cases:
        return PurgeReport(before, len(cases), still_open, 0, numbers, dry_run)
    bind_actor(session, actor)
    entries = audit.purge_entries(session, numbers)
    session.info[audit.REDACT] = True
    try:
        for case in cases:
            _anonymise(case)
        _anonymise_replies(session, [case.id for case in cases])
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
    case.customer_email = None
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
    for contact in case.contacts:
        contact.said = ""
    for item in case.attachments:
        item.description = ""


def _anonymise_replies(session: Session, case_ids: list[int]) -> None:
    """Written replies and their outbox copies name and address the customer: cleared too
    (the times, channels and who approved them stay)."""
    from desk.replies_model import OutboxItem, Reply
    for start in range(0, len(case_ids), 500):
        chunk = case_ids[start:start + 500]
        for reply in session.scalars(select(Reply).where(Reply.case_id.in_(chunk))):
            reply.recipient = reply.subject = reply.body = ""
            if reply.decision_note is not None:
                reply.decision_note = ""
        for item in session.scalars(select(OutboxItem).where(OutboxItem.case_id.in_(chunk))):
            item.recipient = item.subject = item.body = ""
            if item.last_error is not None:
                item.last_error = ""
