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

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from desk.app.results import Offered
from desk.errors import N_, DomainError
from desk.input_limits import ATTACHMENT, read_capped
from desk.paths import user_data_dir
from desk.policy import Policy
from ui import store_modules

if TYPE_CHECKING:
    from desk.actions import CaseActions
    from desk.app.admin import Admin
    from desk.app.counter import Counter, Option
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


class Desk:
    """The open store, the policy in force and the signed-in actor (None when locked).

    Each use case is ``desk.app.counter.Counter``'s: this class adds only what is about the
    app starting (the store opening on another thread) and who sits at this PC."""

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

    def counter(self) -> Counter:
        """The application layer for the person signed in now (waits for the store's
        modules, refuses until the store is open)."""
        store_modules.wait()
        from desk.app.counter import Counter
        return Counter(self._open_store(), self.policy, self.actor)

    # --- who is at the keyboard ---------------------------------------------------------
    def sign_in(self, staff_no: str, pin: str) -> Actor:
        _queries, services = store_modules.services_and_queries()
        self.actor = services.sign_in(self._open_store(), self.policy, staff_no.strip(), pin)
        return self.actor

    def change_pin(self, new_pin: str) -> None:
        """The signed-in person's new PIN (asked when theirs no longer meets the policy)."""
        from desk.app.setup import change_pin
        change_pin(self._open_store(), self.policy, self.actor, self.actor.staff_no, new_pin)
        self.actor = replace(self.actor, pin_change_due=False)

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
        return self.counter().remaining_today()

    def staff(self) -> list[StaffRow]:
        return self.counter().staff() if self.ready else []

    def lexicon(self):
        """The store's lexicon (``desk.lexicon.Lexicon``) for the intake's suggestions."""
        return self.counter().lexicon()

    # --- store-wide settings -------------------------------------------------------------
    def store_settings(self) -> StoreSettings:
        return self.counter().store_settings()

    # --- intake --------------------------------------------------------------------------
    def check_input(self, inp: CaseInput) -> None:
        store_modules.wait()
        from desk.services.intake import check_input
        check_input(self.policy, inp)

    def dry_run(self, inp: CaseInput) -> None:
        """Run the whole intake (recusal, staff IDs) and roll it back: nothing is kept."""
        self.counter().dry_run(inp)

    def take_complaint(self, inp: CaseInput) -> CaseDetail:
        return self.counter().take_complaint(inp)

    def customer_history(self, phone: str | None, member_no: str | None,
                         exclude: str | None = None) -> list[CaseRow]:
        if not self.ready:
            return []
        return self.counter().customer_history(phone, member_no, exclude)

    # --- reading cases -------------------------------------------------------------------
    def detail(self, case_no: str) -> CaseDetail:
        return self.counter().detail(case_no)

    def search(self, flt: CaseFilter, offset: int, limit: int, sort: str = "case_no",
               descending: bool = True) -> list[CaseRow]:
        return self.counter().search(flt, offset, limit, sort, descending)

    def overdue(self) -> list[CaseRow]:
        return self.counter().overdue() if self.ready else []

    def overdue_count(self) -> int:
        """The status bar's figure: cases past a deadline and follow-up calls past due."""
        return self.counter().overdue_count() if self.ready else 0

    def actions_for(self, case: CaseDetail) -> CaseActions:
        """What the signed-in person may do with ``case`` now, and why not (``desk``'s
        answer; the widgets only show it)."""
        return self.counter().actions_for(case)

    def offer_notes(self, case: CaseDetail, option: Option | None,
                    amount: Decimal | None) -> list[str]:
        """The compensation rules that apply to this choice, in words (``desk``'s)."""
        return self.counter().offer_notes(case, option, amount)

    def attachment_bytes(self, sha256: str) -> bytes | None:
        return self.counter().attachment_bytes(sha256)

    # --- working a case ------------------------------------------------------------------
    def record_step(self, case_no: str, step: str, *, note: str = "",
                    skip_reason: str | None = None,
                    promised_reply_at: datetime | None = None) -> CaseDetail:
        return self.counter().record_step(case_no, step, note=note, skip_reason=skip_reason,
                                          promised_reply_at=promised_reply_at)

    def options(self, case_no: str, amount: Decimal | None = None
                ) -> tuple[list[Option], Decimal | None]:
        return self.counter().options(case_no, amount)

    def make_offer(self, case_no: str, kind: str, amount: object = None, *,
                   approver: Actor | None = None, **kw) -> Offered:
        return self.counter().make_offer(case_no, kind, amount, approver=approver, **kw)

    def record_answer(self, case_no: str, seq: int, answer: str,
                      serials: tuple[str, ...] = ()) -> CaseDetail:
        return self.counter().record_answer(case_no, seq, answer, serials)

    def resolve(self, case_no: str, handling_result: str, validity: str,
                police_report_no: str | None = None) -> CaseDetail:
        return self.counter().resolve(case_no, handling_result, validity, police_report_no)

    def escalate(self, case_no: str, to_level: str, reason: str,
                 severity: int | None = None, handler: str | None = None) -> CaseDetail:
        return self.counter().escalate(case_no, to_level, reason, severity, handler)

    def not_accept(self, case_no: str, reason: str, note: str) -> CaseDetail:
        return self.counter().not_accept(case_no, reason, note)

    def close(self, case_no: str, recipient_name: str | None = None) -> CaseDetail:
        return self.counter().close(case_no, recipient_name)

    def void(self, case_no: str, reason: str) -> CaseDetail:
        return self.counter().void(case_no, reason)

    def add_follow_up(self, case_no: str, *, reached: bool, satisfaction: int | None,
                      comment: str, text_sent: bool) -> CaseDetail:
        return self.counter().add_follow_up(case_no, reached=reached, satisfaction=satisfaction,
                                            comment=comment, text_sent=text_sent)

    def link_duplicate(self, case_no: str, primary_no: str, reason: str = "") -> CaseDetail:
        return self.counter().link_duplicate(case_no, primary_no, reason)

    def add_attachment(self, case_no: str, source: Path, description: str = "") -> CaseDetail:
        """Attach the photo the clerk picked: its bytes go into the store, not this PC."""
        # A regular file of at most 20 MB, read with a cap: never a device or a pipe.
        data = read_capped(Path(source), ATTACHMENT, "attachment")
        return self.counter().add_attachment(case_no, data, Path(source).name, description)

    # --- administration ------------------------------------------------------------------
    def admin(self) -> Admin:
        """Staff and policy work for the signed-in administrator (``desk`` checks who may)."""
        store_modules.wait()
        from desk.app.admin import Admin
        return Admin(self._open_store(), self.policy, self.actor)

    def may(self, privilege: str) -> bool:
        """Whether the signed-in person holds ``privilege`` (which menus to show)."""
        from desk.privileges import holds
        return self.actor is not None and holds(self.policy, self.actor, privilege)

    def policy_applied(self, policy: Policy) -> None:
        """The store's policy was replaced at this PC: it governs from now on."""
        self.policy = policy

    # --- the approvals queue -------------------------------------------------------------
    def may_approve(self) -> bool:
        """Whether the signed-in person's role is one others wait for (the queue's menu)."""
        if not self.ready or self.actor is None:
            return False
        return self.counter().may_approve()

    def pending_approvals(self) -> list[PendingApproval]:
        """The offers the signed-in person could decide, oldest request first."""
        if not self.ready or self.actor is None:
            return []
        return self.counter().pending_approvals()

    def decide_approval(self, case_no: str, seq: int, staff_no: str, pin: str,
                        decision: str, note: str = "") -> CaseDetail:
        """The decider gives their own staff ID and PIN (counted like any sign-in); the
        decision is theirs, whoever is signed in at this PC."""
        decider = self.verify(staff_no, pin)
        store_modules.wait()
        from desk.app.counter import Counter
        return Counter(self._open_store(), self.policy, decider).decide_approval(
            case_no, seq, decision, note)

    # --- money after the counter --------------------------------------------------------
    def may_see_costs(self) -> bool:
        """Whether the signed-in person works the finance queue (finance, supervisors)."""
        if not self.ready or self.actor is None:
            return False
        store_modules.wait()
        from desk.app.money import Money
        return Money.of_desk(self).may_see_costs()

    # --- batch complaints ----------------------------------------------------------------
    def may_watch_batches(self) -> bool:
        """Whether the signed-in person sees the watch-list (its menu)."""
        if not self.ready or self.actor is None:
            return False
        return self.batches().may_watch()

    def batches(self):
        """The door to the batch radar (``desk.app.batches.Batches``) for the person signed
        in now: the intake's preview, the watch-list and its decisions, the notice."""
        store_modules.wait()
        from desk.app.batches import Batches
        return Batches(self._open_store(), self.policy, self.actor)

    # --- printing ------------------------------------------------------------------------
    def print_case(self, case_no: str, *, locale: str, paper: str,
                   copies: tuple[int, ...] = (1, 2, 3), deliver=None) -> bytes:
        """Render and record one print; ``deliver(pdf)`` runs inside its unit of work."""
        return self.counter().print_case(case_no, locale=locale, paper=paper, copies=copies,
                                         deliver=deliver)

    def preview_pdf(self, case_no: str, *, locale: str, paper: str,
                    copies: tuple[int, ...] = (1, 2, 3)) -> bytes:
        """The form as it would print now (marked as the next reprint), without recording."""
        return self.counter().preview_pdf(case_no, locale=locale, paper=paper, copies=copies)


def attachment_path(relative: str) -> Path | None:
    """Where an attachment recorded before photos lived in the store was copied on this PC;
    None when the recorded name is not a plain relative path (a share, a drive, a device)."""
    from desk.attachments import path_problem
    if path_problem(str(relative)) is not None:
        return None
    return user_data_dir() / relative


__all__ = ["Desk", "Offered", "StoreNotReady", "attachment_path"]
