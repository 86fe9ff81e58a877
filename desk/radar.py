"""The batch radar's read side: the watch-list, one batch's cases, the week's batches, and
the intake's preview of a draft ("this looks like batch B-...") before it is saved.

Every function only reads; the rows are frozen. Who may see the watch-list is the door's
question (``desk.app.batches``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import radar_match
from desk.batch_model import ACTIVE, Batch, BatchMember
from desk.errors import DomainError
from desk.model import Case, Staff, utcnow
from desk.policy import Policy
from desk.services.batches import load_batch, neighbours
from desk.services.intake import CaseInput
from desk.services.malls import mall_of_desk


@dataclass(frozen=True)
class MemberRow:
    case_no: str
    received_at: datetime
    customer_name: str
    subject: str
    category: str
    complaint: str
    status: str
    severity: int
    level: str


@dataclass(frozen=True)
class BatchRow:
    batch_no: str
    status: str
    found_at: datetime
    basis: str
    topic: str
    customers: int
    cases: int
    first_received: datetime
    last_received: datetime
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


@dataclass(frozen=True)
class BatchDetail:
    batch: BatchRow
    members: tuple[MemberRow, ...]


@dataclass(frozen=True)
class RadarHint:
    """What the intake shows while a complaint is typed: the active batch the draft would
    join, or how many other customers complained about the same thing in the window and
    whether saving it would make a batch."""

    batch_no: str | None
    customers: int          # different customers, the draft's own included
    others: int             # different customers besides the draft's
    since: date
    topic: str
    case_nos: tuple[str, ...]
    makes_batch: bool


def _members_of(session: Session, batch_ids: list[int]) -> dict[int, list]:
    """Per batch, its cases as (received_at, case_no, who complained): columns only."""
    out: dict[int, list] = {i: [] for i in batch_ids}
    for i in range(0, len(batch_ids), 500):
        for r in session.execute(
                select(BatchMember.batch_id, Case.received_at, Case.case_no,
                       Case.customer_phone, Case.customer_member_no, Case.customer_name)
                .join(Case, Case.id == BatchMember.case_id)
                .where(BatchMember.batch_id.in_(batch_ids[i:i + 500]))):
            who = radar_match.complaint_of(
                id=None, case_no=r.case_no, subject_kind=None, subject_name=None,
                subject_staff_id=None, category="", complaint=None, phone=r.customer_phone,
                member_no=r.customer_member_no, name=r.customer_name)
            out[r.batch_id].append((r.received_at, r.case_no, who))
    return out


def _rows(session: Session, batches: list[Batch]) -> list[BatchRow]:
    members = _members_of(session, [b.id for b in batches])
    return [_row(b, members[b.id]) for b in batches]


def _row(batch: Batch, members: list) -> BatchRow:
    received = sorted(at for at, _no, _who in members)
    return BatchRow(
        batch_no=batch.batch_no, status=batch.status, found_at=batch.found_at,
        basis=batch.basis, topic=batch.topic,
        customers=radar_match.customers(who for _at, _no, who in members), cases=len(members),
        first_received=received[0], last_received=received[-1],
        decided_by=batch.decided_by.name if batch.decided_by else None,
        decided_at=batch.decided_at, decision_reason=batch.decision_reason)


def _member(case: Case) -> MemberRow:
    subject = case.subject_name or (case.subject_staff.name if case.subject_staff else "")
    return MemberRow(case.case_no, case.received_at, case.customer_name, subject or "",
                     case.category, case.complaint, case.status, case.severity, case.level)


def watch_list(session: Session, policy: Policy, *, include_decided: bool = False
               ) -> list[BatchRow]:
    """The batches the general manager watches: open and confirmed, newest first (with
    ``include_decided`` the dismissed ones too)."""
    query = select(Batch).order_by(Batch.found_at.desc(), Batch.id.desc())
    if not include_decided:
        query = query.where(Batch.status.in_(ACTIVE))
    return _rows(session, list(session.scalars(query).unique()))


def batch_detail(session: Session, policy: Policy, batch_no: str) -> BatchDetail:
    batch = load_batch(session, batch_no)
    members = sorted((m.case for m in batch.members), key=lambda c: (c.received_at, c.id))
    return BatchDetail(_rows(session, [batch])[0], tuple(_member(c) for c in members))


def batches_between(session: Session, policy: Policy, start: date, end: date,
                    scope: list | None = None) -> list[BatchRow]:
    """Batches with a case received on a day from ``start`` to ``end`` among the cases
    ``scope`` (filters on ``Case``: a desk, a mall) lets through, oldest found first."""
    ids = (select(BatchMember.batch_id).join(Case, Case.id == BatchMember.case_id)
           .where(Case.day >= start, Case.day <= end, *(scope or [])))
    return _rows(session, list(session.scalars(
        select(Batch).where(Batch.id.in_(ids)).order_by(Batch.found_at, Batch.id)).unique()))


def case_batch(session: Session, case_no: str) -> str | None:
    """The batch a case is in (None: none)."""
    return session.scalar(select(Batch.batch_no).join(BatchMember)
                          .join(Case, Case.id == BatchMember.case_id)
                          .where(Case.case_no == case_no))


def preview(session: Session, policy: Policy, draft: CaseInput,
            now: datetime | None = None) -> RadarHint | None:
    """The radar for a complaint not saved yet (None: nothing like it in the window)."""
    now = now or utcnow()
    staff_id = None
    if draft.subject_kind == "staff" and draft.subject_staff:
        staff_id = session.scalar(select(Staff.id).where(
            Staff.staff_no == str(draft.subject_staff).strip()))
    new = radar_match.complaint_of(
        id=None, case_no="", subject_kind=draft.subject_kind, subject_name=draft.subject_name,
        subject_staff_id=staff_id, category=draft.category, complaint=draft.complaint,
        phone=draft.customer_phone, member_no=draft.customer_member_no,
        name=draft.customer_name)
    if new.subject is None and not new.terms:
        return None
    try:
        mall = mall_of_desk(session, str(draft.desk or "").strip().upper())
    except DomainError:   # a desk no mall of a group's store lists: the save will say so
        return None
    near = neighbours(session, policy, new, draft.received_at or now, draft.subject_kind,
                      draft.subject_name, mall)
    active = [n.batch for n in near if n.batch is not None and n.batch.status in ACTIVE]
    if active:
        batch = min(active, key=lambda b: b.found_at)
        members = _members_of(session, [batch.id])[batch.id]
        group = [who for _at, _no, who in members] + [new]
        received = min(at for at, _no, _who in members)
        return RadarHint(batch.batch_no, radar_match.customers(group),
                         radar_match.customers(group[:-1]), received.astimezone(policy.tz).date(),
                         batch.topic, tuple(no for _at, no, _who in members), True)
    free = [n for n in near if n.batch is None]
    others = [n.complaint for n in free if not radar_match.same_customer(n.complaint, new)]
    if not others:
        return None
    group = [new] + [n.complaint for n in free]
    customers = radar_match.customers(group)
    since = min(n.received_at for n in free).astimezone(policy.tz).date()
    subject = draft.subject_name if new.subject is not None and any(
        n.complaint.subject == new.subject for n in free) else None
    topic = radar_match.topic_of(group, subject, [draft.complaint or ""]
                                 + [n.text for n in free])
    return RadarHint(None, customers, radar_match.customers(others), since,
                     topic or draft.category,
                     tuple(n.case_no for n in free), customers >= policy.radar.count)
