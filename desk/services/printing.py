"""Printing the three-part form: every print is recorded on the case, in the same transaction
that renders it, so a reprint is numbered (補印 n) and copies cannot silently multiply."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from desk.cost_views import settlement_signature, with_money
from desk.model import PrintRecord, utcnow
from desk.policy import Policy
from desk.queries import detail_of, load_case
from desk.services import malls
from desk.services.auth import Actor
from desk.uow import bind_actor


def print_case(session: Session, policy: Policy, case_no: str, actor: Actor, *,
               locale: str | None = None, paper: str | None = None, copies=(1, 2, 3),
               now: datetime | None = None) -> bytes:
    """Record the print and return the PDF. If rendering fails nothing is recorded (the
    caller's unit of work rolls back), and a caller that cannot deliver the bytes (a file
    it cannot write) should fail inside the same unit of work for the same reason."""
    # ReportLab takes a noticeable part of a second to import: only printing pays for it.
    from desk.forms import check_copies, render_triplicate
    from desk.forms.layout import paper_for
    from desk.forms.triplicate import copies_text

    now = now or utcnow()
    chosen = check_copies(copies)
    paper = paper_for(paper or policy.paper).key
    locale = locale or policy.locale
    bind_actor(session, actor)
    case = load_case(session, case_no)
    reprint_no = len(case.prints)
    case.prints.append(PrintRecord(printed_at=now, staff_id=actor.id, copies=copies_text(chosen),
                                   locale=locale, paper=paper, reprint_no=reprint_no))
    session.flush()
    detail = with_money(session, case, detail_of(case, session))
    return render_triplicate(detail, policy,
                             printed_by=f"{actor.name} ({actor.staff_no})", locale=locale,
                             paper=paper, copies=chosen, reprint_no=reprint_no, printed_at=now,
                             mall_name=malls.name_on_paper(session, case.mall),
                             signature=settlement_signature(session, detail))
