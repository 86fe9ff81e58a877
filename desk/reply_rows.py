"""Written replies as screens and commands read them: frozen rows (the recipient is masked at
the door, ``desk.app.replies``, for roles without the personal-data privilege)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.model import Case
from desk.queries import load_case
from desk.replies_model import Reply, ReplyState


@dataclass(frozen=True)
class ReplyRow:
    """A reply as screens and commands show it (personal data masked at the door)."""

    case_no: str
    seq: int
    channel: str
    locale: str
    template: str | None
    recipient: str
    subject: str
    body: str
    state: str
    drafted_by: str
    drafted_by_no: str
    drafted_at: datetime
    approved_by: str | None
    approved_at: datetime | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    decision_note: str | None
    prints: int
    migrated: bool


def row_of(case_no: str, r: Reply) -> ReplyRow:
    return ReplyRow(case_no, r.seq, r.channel, r.locale, r.template, r.recipient, r.subject,
                    r.body, r.state, r.drafted_by.name, r.drafted_by.staff_no, r.drafted_at,
                    r.approved_by.name if r.approved_by else None, r.approved_at,
                    r.reviewed_by.name if r.reviewed_by else None, r.reviewed_at,
                    r.decision_note, r.prints, bool(r.migrated))


def replies_of(session: Session, case_no: str) -> list[ReplyRow]:
    case = load_case(session, case_no)
    return [row_of(case.case_no, r) for r in session.scalars(
        select(Reply).where(Reply.case_id == case.id).order_by(Reply.seq))]


def waiting_replies(session: Session, limit: int = 500) -> list[ReplyRow]:
    """Replies awaiting an approval or the second review, oldest draft first."""
    stmt = (select(Reply, Case.case_no).join(Case, Case.id == Reply.case_id)
            .where(Reply.state.in_((ReplyState.DRAFT.value, ReplyState.AWAITING_SECOND.value)))
            .order_by(Reply.drafted_at, Reply.id).limit(limit))
    return [row_of(no, r) for r, no in session.execute(stmt)]
