"""What one case allows one person to do now: each action with allowed or not and, when
not, the reason in words. Screens and commands render the answer (a button enabled or
greyed out with the reason as its tooltip); they never work it out themselves.

The answer is built from the same checks the services make (lifecycle, step order,
recusal, privileges), so a button is never enabled for a write the service refuses on the
rules it can see here. Checks that need the store (a closed day, the authority left
today, someone else's change) are made again by the service on use.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from desk import money, rules
from desk.enums import Answer, Approval, Level, Privilege, Status, policy_label
from desk.errors import (N_, AuthenticationError, AuthorityError, DomainError, RecusalError,
                         TransitionError)
from desk.i18n import _, format_money
from desk.policy import Policy
from desk.privileges import may_approve, require
from desk.views import CaseDetail

# Every action a case can offer, in the order screens show them.
KEYS = ("record_step", "offer", "answer", "approve", "resolve", "escalate", "not_accept",
        "close", "follow_up", "void", "duplicate", "pause", "resume", "attach", "print", "work",
        "contact", "slip")


@dataclass(frozen=True)
class Action:
    key: str
    allowed: bool
    reason: str = ""            # why not, translated; empty when allowed
    step: str | None = None     # record_step: the step that comes next
    offers: tuple[int, ...] = ()  # answer / approve: the offers it applies to


@dataclass(frozen=True)
class CaseActions:
    case_no: str
    actions: dict[str, Action]

    def __getitem__(self, key: str) -> Action:
        return self.actions[key]

    def allowed(self, key: str) -> bool:
        return self.actions[key].allowed

    def reason(self, key: str) -> str:
        return self.actions[key].reason


# --- who may close: the one place screens read the rule ---------------------------------------

def check_may_close(policy: Policy, actor, level: str, severity: int = 1) -> None:
    """Refuse unless ``actor``'s role may close a case of ``level`` and ``severity``: the
    close privilege, and the policy's close role for the level and the severity's handler
    role, as ``desk.services.handling.close`` requires."""
    require(policy, actor, Privilege.CLOSE, field="status")
    check_may_decide(policy, actor, "close", level, severity)


def check_may_decide(policy: Policy, actor, action: str, level: str, severity: int) -> None:
    """Refuse unless ``actor``'s role reaches the one the policy names for ``action``
    (resolve, not_accept, close) on a case of this level and severity."""
    rules.refuse_below(policy, policy.roles[actor.role], actor.name, action, level, severity)


# --- the answer ------------------------------------------------------------------------------

def actions_for(case: CaseDetail, actor, policy: Policy) -> CaseActions:
    """Every action of ``KEYS`` for ``actor`` (None: nobody signed in) on ``case``."""
    status = Status(case.status)
    subject = actor is not None and case.subject_staff_no == actor.staff_no
    found: dict[str, Action] = {}

    def add(key: str, *checks: Callable[[], None], **extra) -> None:
        for check in checks:
            try:
                check()
            except DomainError as exc:
                found[key] = Action(key, False, str(exc), **extra)
                return
        found[key] = Action(key, True, **extra)

    def signed_in() -> None:
        if actor is None:
            raise AuthenticationError(N_("sign in first"), field="staff_id")

    def not_subject() -> None:
        if subject:
            raise RecusalError(N_("{value} is the subject of this complaint and may not "
                                  "handle, approve or close it"), field="handler",
                               value=actor.name)

    def active() -> None:
        if status not in rules.ACTIVE:
            raise TransitionError(N_("the case is {status}; steps and offers are recorded "
                                     "only while it is open"), status=status.label)

    def can_become(target: Status) -> Callable[[], None]:
        return lambda: rules.check_transition(case.status, target)

    def not_final() -> None:
        if status in rules.FINAL:
            raise TransitionError(N_("the case is {status}; nothing more can change it"),
                                  status=status.label)

    completed = case.completed_steps
    following = rules.next_step(completed)

    def has_next_step() -> None:
        if following is None:
            raise TransitionError(N_("all six steps are recorded"))

    add("record_step", signed_in, not_subject, active, has_next_step,
        step=following.value if following else None)

    def in_progress() -> None:
        if status is not Status.IN_PROGRESS:
            raise TransitionError(N_("offers are made while the case is in progress (it is "
                                     "{status}); start with the listen step"),
                                  status=status.label)

    add("offer", signed_in, not_subject, in_progress)

    unanswered = tuple(o.seq for o in case.offers
                       if money.is_granted(o) and o.answer == Answer.PENDING.value)

    def something_to_answer() -> None:
        if not unanswered:
            raise TransitionError(N_("no granted offer is waiting for the customer's answer"))

    add("answer", signed_in, not_subject, active, something_to_answer, offers=unanswered)

    pending = tuple(o.seq for o in case.offers if o.approval == Approval.PENDING.value)

    def something_to_approve() -> None:
        if not pending:
            raise TransitionError(N_("no offer is awaiting approval"))

    def may_decide() -> None:
        if not may_approve(policy, actor):
            raise AuthorityError(N_("approvals are decided by a role above the counter's"),
                                 field="approver")

    add("approve", signed_in, not_subject, something_to_approve, may_decide, offers=pending)

    def steps_done() -> None:
        blockers = rules.resolve_blockers(completed)
        if blockers:
            raise TransitionError(N_("cannot resolve yet: {problems}"),
                                  problems="; ".join(blockers))

    def answers_recorded() -> None:
        if unanswered:
            raise TransitionError(N_("record the customer's answer to offer {value} first"),
                                  value=unanswered[0])

    add("resolve", signed_in, not_subject, can_become(Status.RESOLVED),
        lambda: check_may_decide(policy, actor, "resolve", case.level, case.severity),
        steps_done, answers_recorded)

    def below_top_level() -> None:
        not_final()
        if case.level == Level.LEVEL2.value:
            raise TransitionError(N_("the case is already at the highest level"))

    add("escalate", signed_in, below_top_level)
    add("not_accept", signed_in, not_subject, can_become(Status.NOT_ACCEPTED),
        lambda: check_may_decide(policy, actor, "not_accept", case.level, case.severity))
    add("close", signed_in, not_subject, can_become(Status.CLOSED),
        lambda: check_may_close(policy, actor, case.level, case.severity))

    def resolved() -> None:
        if status not in (Status.RESOLVED, Status.CLOSED):
            raise TransitionError(N_("follow-up calls are made after the case is resolved"))

    add("follow_up", signed_in, resolved)

    def recorder_or_closer() -> None:
        if case.recorder_no != actor.staff_no:
            require(policy, actor, Privilege.CLOSE,
                    N_("only the recorder or a supervisor may void a case"), field="status")

    add("void", signed_in, can_become(Status.VOIDED), recorder_or_closer)

    def not_linked() -> None:
        if case.duplicate_of:
            raise TransitionError(N_("the case is already linked to {value}"),
                                  value=case.duplicate_of)

    add("duplicate", signed_in, not_final, not_linked)
    add("pause", signed_in, not_subject, can_become(Status.WAITING))

    def waiting() -> None:
        if status is not Status.WAITING:
            raise TransitionError(N_("case {value} is not waiting on anyone"),
                                  value=case.case_no)

    add("resume", signed_in, not_subject, waiting)
    add("attach", signed_in)
    add("print", signed_in)
    add("work", signed_in, not_subject, active)

    def open_for_contacts() -> None:
        if status not in rules.ACTIVE:
            raise TransitionError(N_("the case is {status}; contacts before the reply are "
                                     "logged only while it is open"), status=status.label)

    add("contact", signed_in, open_for_contacts)
    add("slip", signed_in)
    return CaseActions(case.case_no, found)


# --- the picker's notes ----------------------------------------------------------------------

def offer_notes(policy: Policy, case: CaseDetail, option: rules.Option | None,
                amount: Decimal | None) -> list[str]:
    """The cash-threshold, overcharge and bottom-line rules as the picker explains them for
    the chosen kind and amount (translated). Whether the offer may be granted is the
    option's own answer (``rules.compensation_options``)."""
    notes = []
    currency, top = policy.currency, policy_label(policy.top_role.key)
    if option is not None and option.cash:
        note = _("Cash of {threshold} or more needs the {role}; offer a voucher or card of the "
                 "same value instead.").format(
            threshold=format_money(policy.cash_threshold, currency), role=top)
        over = amount is not None and amount >= policy.cash_threshold
        notes.append("⚠ " + note if over else note)
    if option is not None and option.overcharge:
        notes.append(_("Refund twice the overcharge, only after the overcharge is verified; "
                       "account credit is preferred."))
    refused = money.bottom_line(case.offers)
    if refused is not None:
        notes.append(_("The customer refused our final offer of {amount}. Complaining again "
                       "does not raise it: only the {role} may offer more.").format(
            amount=format_money(refused, currency), role=top))
    return notes


__all__ = ["KEYS", "Action", "CaseActions", "actions_for", "check_may_close", "check_may_decide",
           "offer_notes"]
