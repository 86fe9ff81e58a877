"""The counter's one door into ``desk``: the open store, the policy and who is signed in.

Every method is one use case: open a unit of work, call one service or query, return frozen
rows. Widgets get a ``Desk`` in their constructor and never see a Session or SQL; every rule
(authority, recusal, step order, lifecycle) stays in ``desk``.

The store's modules (SQLAlchemy, the services, the queries) are not imported here: at start
they load on the store loader's thread while the intake form is already on screen
(``ui/store_loader.py``); every method waits for that (``ui/store_modules.py``). Until the
store is open a ``Desk`` has none (``ready`` is false): it lists no staff and no history,
and refuses to save.
"""
from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from desk.errors import N_, DomainError
from desk.paths import user_data_dir
from desk.policy import Policy
from desk.rules import OfferContext, Option, remaining_authority
from ui import store_modules

if TYPE_CHECKING:
    from desk.actions import CaseActions
    from desk.approvals import PendingApproval
    from desk.queries import CaseDetail, CaseFilter, CaseRow, StaffRow
    from desk.services.auth import Actor
    from desk.services.intake import CaseInput
    from desk.services.settings import StoreSettings

def __getattr__(name: str):
    """``CaseInput`` and ``CaseFilter`` for the widgets, once the store's modules loaded."""
    if name in ("CaseInput", "CaseFilter"):
        store_modules.wait()
        from desk.queries import CaseFilter
        from desk.services.intake import CaseInput
        return {"CaseInput": CaseInput, "CaseFilter": CaseFilter}[name]
    raise AttributeError(name)


class StoreNotReady(DomainError):
    """Saving before the store finished opening (the form already takes typing by then)."""


class _DryRun(Exception):
    """Raised inside a unit of work to roll it back on purpose."""


@dataclass(frozen=True)
class Offered:
    """What ``make_offer`` recorded, as the picker reports it."""

    seq: int
    approval: str
    detail: CaseDetail


class Desk:
    """The open store, the policy in force and the signed-in actor (None when locked)."""

    def __init__(self, store, policy: Policy, *, demo: bool = False, desk_letter: str = "A",
                 demo_staff: list[tuple[str, str, str, str]] | None = None) -> None:
        self.store = store
        self.policy = policy
        self.demo = demo
        self.desk_letter = desk_letter
        self.demo_staff = list(demo_staff or [])
        self.actor: Actor | None = None

    @property
    def ready(self) -> bool:
        """False while the store is still opening in the background."""
        return self.store is not None

    def opened(self, store, policy: Policy, desk_letter: str, actor: Actor | None) -> None:
        """The store finished opening: its policy (name, currency, language) and desk letter
        apply from now on; ``actor`` is who signed in from DESK_AS/DESK_PIN, if anyone."""
        self.store, self.policy, self.desk_letter = store, policy, desk_letter
        self.actor = actor or self.actor

    def _open_store(self):
        if self.store is None:
            raise StoreNotReady(N_("The store is still opening; try again in a moment."))
        return self.store

    # --- who is at the keyboard ---------------------------------------------------------
    def sign_in(self, staff_no: str, pin: str) -> Actor:
        _queries, services = store_modules.services_and_queries()
        self.actor = services.sign_in(self._open_store(), self.policy, staff_no.strip(), pin)
        return self.actor

    def verify(self, staff_no: str, pin: str) -> Actor:
        """Check another person's PIN (an approver at the same PC) without switching user."""
        _queries, services = store_modules.services_and_queries()
        return services.sign_in(self._open_store(), self.policy, staff_no.strip(), pin,
                                field="approver")

    def sign_out(self) -> None:
        self.actor = None

    def remaining_today(self) -> Decimal | None:
        """The signed-in person's authority left today on a fresh case (None: unlimited)."""
        if self.actor is None or not self.ready:
            return Decimal(0)
        store_modules.wait()
        from desk.model import utcnow
        from desk.services.offers import day_total
        with self.store.read() as session:
            used = day_total(session, self.policy, self.actor.id, utcnow())
        role = self.policy.roles[self.actor.role]
        return remaining_authority(role, OfferContext(Decimal(0), used, None))

    def staff(self) -> list[StaffRow]:
        if not self.ready:
            return []
        queries, _services = store_modules.services_and_queries()
        with self.store.read() as session:
            return queries.staff_rows(session)

    # --- store-wide settings -------------------------------------------------------------
    def store_settings(self) -> StoreSettings:
        store_modules.wait()
        from desk.services.settings import get_settings
        with self._open_store().read() as session:
            return get_settings(session)

    # --- intake --------------------------------------------------------------------------
    def check_input(self, inp: CaseInput) -> None:
        store_modules.wait()
        from desk.services.intake import check_input
        check_input(self.policy, inp)

    def dry_run(self, inp: CaseInput) -> None:
        """Run the whole intake (recusal, staff IDs) and roll it back: nothing is kept."""
        _queries, services = store_modules.services_and_queries()
        try:
            with self._open_store().write() as session:
                services.take_complaint(session, self.policy, self._actor(), inp)
                raise _DryRun
        except _DryRun:
            pass

    def take_complaint(self, inp: CaseInput) -> CaseDetail:
        queries, services = store_modules.services_and_queries()
        with self._open_store().write() as session:
            case = services.take_complaint(session, self.policy, self._actor(), inp)
            return self._seen(queries.detail_of(case, session))

    def customer_history(self, phone: str | None, member_no: str | None,
                         exclude: str | None = None) -> list[CaseRow]:
        if not self.ready:
            return []
        queries, _services = store_modules.services_and_queries()
        with self.store.read() as session:
            rows = queries.customer_history(session, phone or None, member_no or None,
                                            exclude=exclude)
        return self._seen_rows(rows)

    # --- reading cases -------------------------------------------------------------------
    def detail(self, case_no: str) -> CaseDetail:
        queries, _services = store_modules.services_and_queries()
        with self._open_store().read() as session:
            return self._seen(queries.case_detail(session, case_no))

    def search(self, flt: CaseFilter, offset: int, limit: int, sort: str = "case_no",
               descending: bool = True) -> list[CaseRow]:
        queries, _services = store_modules.services_and_queries()
        with self._open_store().read() as session:
            rows = queries.search_cases(session, flt, offset=offset, limit=limit, sort=sort,
                                        descending=descending)
        return self._seen_rows(rows)

    def overdue(self) -> list[CaseRow]:
        if not self.ready:
            return []
        queries, _services = store_modules.services_and_queries()
        with self.store.read() as session:
            rows = queries.overdue(session, self.policy)
        return self._seen_rows(rows)

    def overdue_count(self) -> int:
        """The status bar's figure: cases past a deadline and follow-up calls past due."""
        if not self.ready:
            return 0
        queries, _services = store_modules.services_and_queries()
        from desk.followup import overdue_follow_ups
        with self.store.read() as session:
            return (len(queries.overdue(session, self.policy))
                    + overdue_follow_ups(session, self.policy))

    def _seen(self, detail):
        """A row or detail as the signed-in person may see it (personal data masked for
        roles without the privilege)."""
        from desk.privacy import for_viewer
        return for_viewer(detail, self.policy, self.actor)

    def _seen_rows(self, rows: list) -> list:
        from desk.privacy import rows_for_viewer
        return rows_for_viewer(rows, self.policy, self.actor)

    def actions_for(self, case: CaseDetail) -> CaseActions:
        """What the signed-in person may do with ``case`` now, and why not (``desk``'s
        answer; the widgets only show it)."""
        from desk.actions import actions_for
        return actions_for(case, self.actor, self.policy)

    def offer_notes(self, case: CaseDetail, option: Option | None,
                    amount: Decimal | None) -> list[str]:
        """The compensation rules that apply to this choice, in words (``desk``'s)."""
        from desk.actions import offer_notes
        return offer_notes(self.policy, case, option, amount)

    # --- working a case ------------------------------------------------------------------
    def _write(self, case_no: str, call, *args, **kw) -> CaseDetail:
        with self._open_store().write() as session:
            call(session, self.policy, case_no, self._actor(), *args, **kw)
        return self.detail(case_no)

    def record_step(self, case_no: str, step: str, *, note: str = "",
                    skip_reason: str | None = None,
                    promised_reply_at: datetime | None = None) -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        return self._write(case_no, services.record_step, step, note=note,
                           skip_reason=skip_reason, promised_reply_at=promised_reply_at)

    def options(self, case_no: str, amount: Decimal | None = None
                ) -> tuple[list[Option], Decimal | None]:
        _queries, services = store_modules.services_and_queries()
        with self._open_store().read() as session:
            return services.options(session, self.policy, case_no, self._actor(), amount)

    def make_offer(self, case_no: str, kind: str, amount: object = None, *,
                   approver: Actor | None = None, **kw) -> Offered:
        _queries, services = store_modules.services_and_queries()
        with self._open_store().write() as session:
            offer = services.make_offer(session, self.policy, case_no, self._actor(), kind,
                                        amount, approver=approver, **kw)
            seq, approval = offer.seq, offer.approval
        return Offered(seq, approval, self.detail(case_no))

    def record_answer(self, case_no: str, seq: int, answer: str,
                      serials: tuple[str, ...] = ()) -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        with self._open_store().write() as session:
            services.record_answer(session, self.policy, case_no, seq, self._actor(), answer,
                                   serials=serials)
        return self.detail(case_no)

    def resolve(self, case_no: str, handling_result: str, validity: str,
                police_report_no: str | None = None) -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        return self._write(case_no, services.resolve, handling_result, validity,
                           police_report_no=police_report_no)

    def escalate(self, case_no: str, to_level: str, reason: str,
                 severity: int | None = None, handler: str | None = None) -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        return self._write(case_no, services.escalate, to_level, reason, severity=severity,
                           handler=handler)

    def not_accept(self, case_no: str, reason: str, note: str) -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        return self._write(case_no, services.not_accept, reason, note)

    def close(self, case_no: str, recipient_name: str | None = None) -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        return self._write(case_no, services.close, recipient_name=recipient_name)

    def void(self, case_no: str, reason: str) -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        return self._write(case_no, services.void, reason)

    def add_follow_up(self, case_no: str, *, reached: bool, satisfaction: int | None,
                      comment: str, text_sent: bool) -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        return self._write(case_no, services.add_follow_up, reached=reached,
                           satisfaction=satisfaction, comment=comment, text_sent=text_sent)

    def link_duplicate(self, case_no: str, primary_no: str, reason: str = "") -> CaseDetail:
        _queries, services = store_modules.services_and_queries()
        with self._open_store().write() as session:
            services.link_duplicate(session, case_no, primary_no, self._actor(), reason)
        return self.detail(case_no)

    def add_attachment(self, case_no: str, source: Path, description: str = "") -> CaseDetail:
        """Copy a photo into the user data folder under its digest, then record it."""
        data = Path(source).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        folder = attachments_dir() / case_no
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{digest[:16]}{Path(source).suffix.lower()}"
        if not target.exists():
            partial = target.with_suffix(target.suffix + ".part")
            shutil.copyfile(source, partial)
            partial.replace(target)
        _queries, services = store_modules.services_and_queries()
        with self._open_store().write() as session:
            services.add_attachment(session, case_no, self._actor(),
                                    str(target.relative_to(user_data_dir())), digest,
                                    description)
        return self.detail(case_no)

    # --- the approvals queue -------------------------------------------------------------
    def may_approve(self) -> bool:
        """Whether the signed-in person's role is one others wait for (the queue's menu)."""
        if not self.ready or self.actor is None:
            return False
        store_modules.wait()
        from desk.approvals import may_approve
        return may_approve(self.policy, self.actor)

    def pending_approvals(self) -> list[PendingApproval]:
        """The offers the signed-in person could decide, oldest request first."""
        if not self.ready or self.actor is None:
            return []
        store_modules.wait()
        from desk.approvals import pending_approvals
        with self.store.read() as session:
            return pending_approvals(session, self.policy, self.actor)

    def decide_approval(self, case_no: str, seq: int, staff_no: str, pin: str,
                        decision: str, note: str = "") -> CaseDetail:
        """The decider gives their own staff ID and PIN (counted like any sign-in); the
        decision is theirs, whoever is signed in at this PC."""
        decider = self.verify(staff_no, pin)
        store_modules.wait()
        from desk.approvals import decide
        with self._open_store().write(decider) as session:
            decide(session, self.policy, case_no, seq, decider, decision, note)
        return self.detail(case_no)

    # --- printing ------------------------------------------------------------------------
    def print_case(self, case_no: str, *, locale: str, paper: str,
                   copies: tuple[int, ...] = (1, 2, 3), deliver=None) -> bytes:
        """Render and record one print. ``deliver(pdf)`` (saving the file) runs inside the
        same unit of work, so a print that could not be delivered is not recorded."""
        store_modules.wait()
        from desk.services import printing  # the PDF engine loads only when first used
        with self._open_store().write() as session:
            pdf = printing.print_case(session, self.policy, case_no, self._actor(),
                                      locale=locale, paper=paper, copies=copies)
            if deliver is not None:
                deliver(pdf)
            return pdf

    def preview_pdf(self, case_no: str, *, locale: str, paper: str,
                    copies: tuple[int, ...] = (1, 2, 3)) -> bytes:
        """The form as it would print now (marked as the next reprint), without recording."""
        queries, _services = store_modules.services_and_queries()
        from desk.forms import render_triplicate
        from desk.services.settings import get_settings
        actor = self._actor()
        with self._open_store().read() as session:
            detail = queries.case_detail(session, case_no)
            mall = get_settings(session).mall_name
        return render_triplicate(detail, self.policy, printed_by=f"{actor.name} ({actor.staff_no})",
                                 locale=locale, paper=paper, copies=copies,
                                 reprint_no=len(detail.prints), mall_name=mall)

    def _actor(self) -> Actor:
        if self.actor is None:
            from desk.errors import AuthenticationError
            raise AuthenticationError(N_("sign in first"), field="staff_id")
        return self.actor


def attachments_dir() -> Path:
    return user_data_dir() / "attachments"


def attachment_path(relative: str) -> Path:
    return user_data_dir() / relative


__all__ = ["Desk", "Offered", "StoreNotReady", "attachments_dir", "attachment_path"]
