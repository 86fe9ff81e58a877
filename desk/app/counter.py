"""The counter's use cases, one unit of work each, done by one signed-in person: the door the
Qt app (``ui.session.Desk``), the ``desk`` command and a future web surface share.

A ``Counter`` is cheap: a surface makes one per request (or whenever who is signed in
changes). Reads need no actor; every write is ``store.write(actor)``, so the audit log names
who did it, and the services check authority, recusal and the lifecycle.
"""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from desk import actions, approvals, attachments, queries, services
from desk.actions import CaseActions
from desk.app.results import Offered
from desk.approvals import PendingApproval
from desk.errors import N_, AuthenticationError
from desk.followup import overdue_follow_ups
from desk.model import utcnow
from desk.policy import Policy
from desk.privacy import for_viewer, rows_for_viewer
from desk.queries import CaseDetail, CaseFilter, CaseRow, StaffRow
from desk.rules import OfferContext, Option, remaining_authority
from desk.services.auth import Actor
from desk.services import batches, malls
from desk.services.intake import CaseInput
from desk.services.offers import day_total
from desk.services.settings import StoreSettings, get_settings


class _DryRun(Exception):
    """Raised inside a unit of work to roll it back on purpose."""


class Counter:
    """The store, the policy in force and who is acting (None: reads only)."""

    def __init__(self, store, policy: Policy, actor: Actor | None = None) -> None:
        self.store, self.policy, self.actor = store, policy, actor

    def _who(self) -> Actor:
        if self.actor is None:
            raise AuthenticationError(N_("sign in first"), field="staff_id")
        return self.actor

    # --- reading -------------------------------------------------------------------------
    def staff(self) -> list[StaffRow]:
        with self.store.read() as session:
            return queries.staff_rows(session)

    def store_settings(self) -> StoreSettings:
        with self.store.read() as session:
            return get_settings(session)

    def lexicon(self):
        """The store's lexicon for the intake's suggestions (the bundled one seeds a store
        that has none yet, as the system)."""
        from desk.store_lexicon import load_store_lexicon
        return load_store_lexicon(self.store)

    def remaining_today(self) -> Decimal | None:
        """The actor's authority left today on a fresh case (None: unlimited)."""
        actor = self._who()
        with self.store.read() as session:
            used = day_total(session, self.policy, actor.id, utcnow())
        return remaining_authority(self.policy.roles[actor.role],
                                   OfferContext(Decimal(0), used, None))

    def _seen(self, row):
        """A row or detail as the actor may see it: personal data masked for roles without
        the privilege (and for nobody signed in). Every read below passes through here."""
        return for_viewer(row, self.policy, self.actor)

    def _seen_rows(self, rows: list) -> list:
        return rows_for_viewer(rows, self.policy, self.actor)

    def detail(self, case_no: str) -> CaseDetail:
        with self.store.read() as session:
            return self._seen(queries.case_detail(session, case_no))

    def search(self, flt: CaseFilter, offset: int, limit: int, sort: str = "case_no",
               descending: bool = True) -> list[CaseRow]:
        with self.store.read() as session:
            return self._seen_rows(queries.search_cases(
                session, flt, offset=offset, limit=limit, sort=sort, descending=descending))

    def day_cases(self, day: date, desk: str | None = None) -> list[CaseRow]:
        with self.store.read() as session:
            return self._seen_rows(queries.day_cases(session, day, desk))

    def customer_history(self, phone: str | None, member_no: str | None,
                         exclude: str | None = None) -> list[CaseRow]:
        with self.store.read() as session:
            return self._seen_rows(queries.customer_history(
                session, phone or None, member_no or None, exclude=exclude))

    def overdue(self) -> list[CaseRow]:
        with self.store.read() as session:
            return self._seen_rows(queries.overdue(session, self.policy))

    def overdue_count(self) -> int:
        """The status bar's figure: cases past a deadline and follow-up calls past due."""
        with self.store.read() as session:
            return (queries.overdue_count(session)
                    + overdue_follow_ups(session, self.policy))

    def actions_for(self, case: CaseDetail) -> CaseActions:
        """What the actor may do with ``case`` now, and why not (widgets only show it)."""
        return actions.actions_for(case, self.actor, self.policy)

    def offer_notes(self, case: CaseDetail, option: Option | None,
                    amount: Decimal | None) -> list[str]:
        """The compensation rules that apply to this choice, in words."""
        return actions.offer_notes(self.policy, case, option, amount)

    def options(self, case_no: str, amount: Decimal | None = None
                ) -> tuple[list[Option], Decimal | None]:
        with self.store.read() as session:
            return services.options(session, self.policy, case_no, self._who(), amount)

    def attachment_bytes(self, sha256: str) -> bytes | None:
        """A photo's bytes from the store (None when this store does not hold them)."""
        with self.store.read() as session:
            return attachments.read_bytes(session, sha256)

    # --- intake --------------------------------------------------------------------------
    def dry_run(self, inp: CaseInput) -> None:
        """Run the whole intake (recusal, staff IDs) and roll it back: nothing is kept."""
        try:
            with self.store.write(self._who()) as session:
                services.take_complaint(session, self.policy, self._who(), inp)
                raise _DryRun
        except _DryRun:
            pass

    def take_complaint(self, inp: CaseInput) -> CaseDetail:
        with self.store.write(self._who()) as session:
            case = services.take_complaint(session, self.policy, self._who(), inp)
            batches.sweep(session)   # a batch it makes shows at once (else done at commit)
            return self._seen(queries.detail_of(case, session))

    # --- working a case ------------------------------------------------------------------
    def _change(self, case_no: str, call, *args, **kw) -> CaseDetail:
        with self.store.write(self._who()) as session:
            call(session, self.policy, case_no, self._who(), *args, **kw)
        return self.detail(case_no)

    def record_step(self, case_no: str, step: str, *, note: str = "",
                    skip_reason: str | None = None,
                    promised_reply_at: datetime | None = None) -> CaseDetail:
        return self._change(case_no, services.record_step, step, note=note,
                            skip_reason=skip_reason, promised_reply_at=promised_reply_at)

    def make_offer(self, case_no: str, kind: str, amount: object = None, *,
                   approver: Actor | None = None, **kw) -> Offered:
        with self.store.write(self._who()) as session:
            offer = services.make_offer(session, self.policy, case_no, self._who(), kind,
                                        amount, approver=approver, **kw)
            seq, approval = offer.seq, offer.approval
        return Offered(seq, approval, self.detail(case_no))

    def record_answer(self, case_no: str, seq: int, answer: str,
                      serials: tuple[str, ...] = ()) -> CaseDetail:
        with self.store.write(self._who()) as session:
            services.record_answer(session, self.policy, case_no, seq, self._who(), answer,
                                   serials=serials)
        return self.detail(case_no)

    def resolve(self, case_no: str, handling_result: str, validity: str,
                police_report_no: str | None = None) -> CaseDetail:
        return self._change(case_no, services.resolve, handling_result, validity,
                            police_report_no=police_report_no)

    def escalate(self, case_no: str, to_level: str, reason: str,
                 severity: int | None = None, handler: str | None = None) -> CaseDetail:
        return self._change(case_no, services.escalate, to_level, reason, severity=severity,
                            handler=handler)

    def not_accept(self, case_no: str, reason: str, note: str) -> CaseDetail:
        return self._change(case_no, services.not_accept, reason, note)

    def close(self, case_no: str, recipient_name: str | None = None) -> CaseDetail:
        return self._change(case_no, services.close, recipient_name=recipient_name)

    def void(self, case_no: str, reason: str) -> CaseDetail:
        return self._change(case_no, services.void, reason)

    def add_follow_up(self, case_no: str, *, reached: bool, satisfaction: int | None,
                      comment: str, text_sent: bool) -> CaseDetail:
        return self._change(case_no, services.add_follow_up, reached=reached,
                            satisfaction=satisfaction, comment=comment, text_sent=text_sent)

    def link_duplicate(self, case_no: str, primary_no: str, reason: str = "") -> CaseDetail:
        with self.store.write(self._who()) as session:
            services.link_duplicate(session, case_no, primary_no, self._who(), reason)
        return self.detail(case_no)

    def add_attachment(self, case_no: str, data: bytes, name: str,
                       description: str = "") -> CaseDetail:
        """Attach a photo: its bytes go into the store, where every PC of it can read them."""
        with self.store.write(self._who()) as session:
            services.add_attachment(session, case_no, self._who(), data, name, description)
        return self.detail(case_no)

    # --- the approvals queue -------------------------------------------------------------
    def may_approve(self) -> bool:
        """Whether the actor's role is one others wait for (the queue's menu)."""
        return approvals.may_approve(self.policy, self.actor)

    def pending_approvals(self) -> list[PendingApproval]:
        """The offers the actor could decide, oldest request first."""
        with self.store.read() as session:
            return approvals.pending_approvals(session, self.policy, self._who())

    def decide_approval(self, case_no: str, seq: int, decision: str,
                        note: str = "") -> CaseDetail:
        """The actor approves or refuses a pending offer (a PIN checked just before)."""
        with self.store.write(self._who()) as session:
            approvals.decide(session, self.policy, case_no, seq, self._who(), decision, note)
        return self.detail(case_no)

    # --- printing ------------------------------------------------------------------------
    def print_case(self, case_no: str, *, locale: str | None = None, paper: str | None = None,
                   copies: tuple[int, ...] = (1, 2, 3), deliver=None) -> bytes:
        """Render and record one print. ``deliver(pdf)`` (saving the file) runs inside the
        same unit of work, so a print that could not be delivered is not recorded."""
        from desk.services import printing  # the PDF engine loads only when first used
        with self.store.write(self._who()) as session:
            pdf = printing.print_case(session, self.policy, case_no, self._who(),
                                      locale=locale, paper=paper, copies=copies)
            if deliver is not None:
                deliver(pdf)
            return pdf

    def preview_pdf(self, case_no: str, *, locale: str, paper: str,
                    copies: tuple[int, ...] = (1, 2, 3)) -> bytes:
        """The form as it would print now (marked as the next reprint), without recording."""
        from desk.cost_views import settlement_signature
        from desk.forms import render_triplicate
        actor = self._who()
        with self.store.read() as session:
            detail = queries.case_detail(session, case_no)
            mall = malls.name_on_paper(session, malls.mall_of_case(session, case_no))
            signature = settlement_signature(session, detail)
        return render_triplicate(detail, self.policy, printed_by=f"{actor.name} ({actor.staff_no})",
                                 locale=locale, paper=paper, copies=copies,
                                 reprint_no=len(detail.prints), mall_name=mall,
                                 signature=signature)
