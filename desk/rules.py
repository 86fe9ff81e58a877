"""The rules of the complaint desk as pure functions: lifecycle, step order, authority,
bottom line, cash threshold, overcharge and time limits. No session, no I/O."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from babel.lists import format_list

from desk.enums import Level, Status, Step
from desk.errors import N_, AuthorityError, LazyText, PolicyKey, TransitionError, ValidationError
from desk.i18n import _, get_locale
from desk.policy import Policy, Role

# --- lifecycle ------------------------------------------------------------------------------

ACTIVE = frozenset({Status.OPEN, Status.IN_PROGRESS, Status.AWAITING_APPROVAL, Status.WAITING})
FINAL = frozenset({Status.CLOSED, Status.NOT_ACCEPTED, Status.VOIDED})

TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.OPEN: frozenset({Status.IN_PROGRESS, Status.NOT_ACCEPTED, Status.VOIDED}),
    Status.IN_PROGRESS: frozenset({Status.AWAITING_APPROVAL, Status.WAITING, Status.RESOLVED,
                                   Status.NOT_ACCEPTED, Status.VOIDED}),
    Status.AWAITING_APPROVAL: frozenset({Status.IN_PROGRESS, Status.VOIDED}),
    Status.WAITING: frozenset({Status.IN_PROGRESS, Status.VOIDED}),
    Status.RESOLVED: frozenset({Status.CLOSED, Status.IN_PROGRESS, Status.VOIDED}),
    Status.CLOSED: frozenset(),
    Status.NOT_ACCEPTED: frozenset(),
    Status.VOIDED: frozenset(),
}


def check_transition(current: str, target: Status) -> None:
    allowed = TRANSITIONS[Status(current)]
    if target in allowed:
        return
    if not allowed:
        raise TransitionError(N_("the case is {status}; nothing more can change it"),
                              status=LazyText(Status.LABELS[current]))
    raise TransitionError(
        N_("a case that is {status} cannot become {target}; it can become: {allowed}"),
        status=LazyText(Status.LABELS[current]), target=LazyText(Status.LABELS[target]),
        allowed=_LabelList(sorted(allowed, key=list(Status).index)))


def allowed_moves(current: str) -> list[Status]:
    return sorted(TRANSITIONS[Status(current)], key=list(Status).index)


class _LabelList:
    def __init__(self, statuses: list[Status]) -> None:
        self.statuses = statuses

    def __format__(self, spec: str) -> str:
        return format_list([s.label for s in self.statuses], style="or", locale=get_locale())


# --- the six steps ---------------------------------------------------------------------------

def check_step_order(completed: set[str], step: Step) -> None:
    """A step may be done (or skipped) only after every earlier one."""
    if step.value in completed:
        raise ValidationError(N_("step {step} is already recorded"), field="step",
                              step=LazyText(Step.LABELS[step]))
    for earlier in Step:
        if earlier is step:
            return
        if earlier.value not in completed:
            raise ValidationError(N_("step {step} comes first; record it or skip it with a reason"),
                                  field="step", step=LazyText(Step.LABELS[earlier]))


def next_step(completed: set[str]) -> Step | None:
    return next((s for s in Step if s.value not in completed), None)


def resolve_blockers(completed: set[str]) -> list[str]:
    """Why the case cannot be resolved yet, as messages; empty when it can."""
    missing = [s for s in (Step.PROPOSE, Step.CONFIRM) if s.value not in completed]
    return [_("step {step} is not done or skipped yet").format(step=s.label) for s in missing]


# --- money -----------------------------------------------------------------------------------

MAX_AMOUNT = Decimal("100000000")


def parse_amount(value: object, field: str = "amount", *, allow_zero: bool = False) -> Decimal:
    """A positive amount with at most two decimals; text like "1,200" is accepted."""
    if isinstance(value, bool) or value is None:
        raise ValidationError(N_("must be an amount"), field=field)
    if isinstance(value, float):
        value = repr(value)
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(N_("{value} is not an amount"), field=field,
                              value=str(value)[:40]) from None
    if not amount.is_finite():
        raise ValidationError(N_("must be a finite amount"), field=field)
    if amount < 0 or (amount == 0 and not allow_zero):
        raise ValidationError(N_("must be more than zero"), field=field)
    if amount > MAX_AMOUNT:
        raise ValidationError(N_("is larger than any compensation the desk can record"), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(N_("has more than two decimal places"), field=field)
    return amount.quantize(Decimal("0.01"))


def overcharge_refund(charged: Decimal, due: Decimal) -> Decimal:
    """Double refund of a verified overcharge: 2 × (charged − due)."""
    if charged <= due:
        raise ValidationError(N_("the amount charged must be more than the amount due"),
                              field="charged")
    return (charged - due) * 2


# --- authority -------------------------------------------------------------------------------

@dataclass(frozen=True)
class OfferContext:
    """What authority depends on, besides the role: the case so far and the day so far."""

    case_total: Decimal          # granted, not refused, on this case
    day_total: Decimal           # granted today under the authority holder
    bottom_line: Decimal | None  # a refused final offer's amount, if any


def authority_problems(policy: Policy, role: Role, kind: str, amount: Decimal,
                       ctx: OfferContext) -> list[str]:
    """Every reason ``role`` may not grant this offer on its own (msgids), empty when it may."""
    problems = []
    spec = policy.kinds[kind]
    if not role.may_grant(kind):
        problems.append(N_("the role may not grant this kind"))
    if role.per_case is not None and ctx.case_total + amount > role.per_case:
        problems.append(N_("the case total would pass the role's per-case limit"))
    if role.per_day is not None and ctx.day_total + amount > role.per_day:
        problems.append(N_("the day's total would pass the role's per-day limit"))
    is_top = role.key == policy.top_role.key
    if spec.cash and amount >= policy.cash_threshold and not is_top:
        problems.append(N_("cash at or above the cash threshold needs the top role"))
    if ctx.bottom_line is not None and amount > ctx.bottom_line and not is_top:
        problems.append(N_("the customer refused a final offer; only the top role may offer more"))
    return problems


def role_needed(policy: Policy, kind: str, amount: Decimal, ctx: OfferContext,
                above: Role | None = None) -> Role | None:
    """The lowest role that could approve this offer (its day total taken as empty): it must
    outrank ``above``, the requester's role, since nobody approves a peer's offer."""
    fresh = OfferContext(ctx.case_total, Decimal(0), ctx.bottom_line)
    for role in policy.roles_by_rank():
        if above is not None and role.rank <= above.rank:
            continue
        if not authority_problems(policy, role, kind, amount, fresh):
            return role
    return None


def refuse_for_authority(policy: Policy, role: Role, kind: str, amount: Decimal,
                         ctx: OfferContext) -> None:
    problems = authority_problems(policy, role, kind, amount, ctx)
    if not problems:
        return
    needed = role_needed(policy, kind, amount, ctx, above=role)
    if policy.kinds[kind].cash and amount >= policy.cash_threshold:
        problems.append(N_("offer a voucher or card of the same value instead"))
    if needed is None:
        raise AuthorityError(N_("beyond the authority of {role}: {problems}; no role may grant it"),
                             field="amount", role=PolicyKey(role.key), problems=_Joined(problems))
    raise AuthorityError(
        N_("beyond the authority of {role}: {problems}; needs approval by {needed}"),
        field="amount", needs_role=needed.key, role=PolicyKey(role.key),
        problems=_Joined(problems), needed=PolicyKey(needed.key))


# An approver's own day is theirs: said so, so nobody reads it as the requester's limit.
_APPROVER_WORDING = {
    N_("the day's total would pass the role's per-day limit"):
        N_("approving it would take the approver's own day total past the role's per-day limit"),
}


def refuse_approver(policy: Policy, requester: Role, approver: Role, approver_name: str,
                    kind: str, amount: Decimal, ctx: OfferContext) -> None:
    """An approver must outrank the requester and their role must cover the offer: its kind,
    the case total, the cash threshold, the bottom line and the approver's own day total
    (``ctx.day_total``; pass zero for a refusal, which grants nothing)."""
    needed = role_needed(policy, kind, amount, ctx, above=requester)
    if approver.rank <= requester.rank:
        problems = [N_("an approver must hold a higher role than the one who made the offer")]
    else:
        problems = [_APPROVER_WORDING.get(p, p)
                    for p in authority_problems(policy, approver, kind, amount, ctx)]
    if not problems:
        return
    values = dict(field="approver", approver=approver_name, approver_role=PolicyKey(approver.key),
                  problems=_Joined(problems))
    if needed is not None and approver.rank >= needed.rank:
        # Their role covers it but their own day is spent: naming their role would go in a
        # circle, so name another holder of it or the next role up.
        higher = role_needed(policy, kind, amount, ctx, above=approver)
        if higher is None:
            raise AuthorityError(N_("{approver} ({approver_role}) cannot approve it: {problems}; "
                                    "another {approver_role} with authority left today can"),
                                 needs_role=approver.key, **values)
        raise AuthorityError(N_("{approver} ({approver_role}) cannot approve it: {problems}; "
                                "another {approver_role} with authority left today, or "
                                "{higher}, can"),
                             needs_role=approver.key, higher=PolicyKey(higher.key), **values)
    if needed is None:
        raise AuthorityError(N_("{approver} ({approver_role}) cannot approve it: {problems}; "
                                "no role may grant it"), **values)
    raise AuthorityError(N_("{approver} ({approver_role}) cannot approve it: {problems}; "
                            "it needs approval by {needed} or higher"),
                         needs_role=needed.key, needed=PolicyKey(needed.key), **values)


class _Joined:
    def __init__(self, msgids: list[str]) -> None:
        self.msgids = msgids

    def __format__(self, spec: str) -> str:
        return "; ".join(_(m) for m in self.msgids)


@dataclass(frozen=True)
class Option:
    """One compensation kind as the picker shows it, lowest value first."""

    kind: str
    rank: int
    within_authority: bool
    needs_role: str | None   # None and not within authority: nobody may grant it now
    serials: bool
    cash: bool
    overcharge: bool


def compensation_options(policy: Policy, role: Role, ctx: OfferContext,
                         amount: Decimal | None = None) -> list[Option]:
    """Each kind, lowest value first, marked within authority or with the role it needs.
    Without an amount, the smallest step (one unit) is assumed."""
    probe = amount if amount is not None else Decimal(1)
    options = []
    for spec in policy.kinds_by_value():
        within = not authority_problems(policy, role, spec.key, probe, ctx)
        needed = None if within else role_needed(policy, spec.key, probe, ctx, above=role)
        options.append(Option(kind=spec.key, rank=spec.rank, within_authority=within,
                              needs_role=needed.key if needed else None, serials=spec.serials,
                              cash=spec.cash, overcharge=spec.overcharge))
    return options


def remaining_authority(role: Role, ctx: OfferContext) -> Decimal | None:
    """How much more this role could grant on this case today; None is unlimited."""
    room = [limit - used for limit, used in ((role.per_case, ctx.case_total),
                                             (role.per_day, ctx.day_total)) if limit is not None]
    return max(Decimal(0), min(room)) if room else None


# --- who decides a case: its level and its severity -----------------------------------------

DECISIONS = {"resolve": N_("resolve"), "not_accept": N_("record as not accepted"),
             "close": N_("close"), "handle": N_("handle")}


def decision_role(policy: Policy, action: str, level: str, severity: int) -> Role:
    """The lowest role that may take ``action`` (resolve, not_accept, close, handle) on a
    case of this level and severity: the higher of the level's and the severity's roles."""
    roles = [policy.handler_role(severity)]
    if action in ("resolve", "not_accept"):
        roles.append(policy.roles[policy.levels[level].resolve])
    elif action == "close":
        roles.append(policy.roles[policy.levels[level].close])
    return max(roles, key=lambda r: r.rank)


def refuse_below(policy: Policy, role: Role, who: str, action: str, level: str, severity: int,
                 field: str = "status") -> None:
    """Refuse ``action`` by ``role`` on a case of this level and severity when the policy
    names a higher role for it; the message names the level, the severity and the role."""
    needed = decision_role(policy, action, level, severity)
    if role.rank >= needed.rank:
        return
    raise AuthorityError(N_("{who} ({role}) may not {action} a {level} case of severity "
                            "{severity}: it needs {needed} or higher"), field=field,
                         needs_role=needed.key, who=who,
                         role=PolicyKey(role.key), action=LazyText(DECISIONS[action]),
                         level=LazyText(Level.LABELS[level]), severity="★" * severity,
                         needed=PolicyKey(needed.key))


# --- time limits -----------------------------------------------------------------------------

IMMEDIATE_CHANNELS = frozenset({"counter", "phone"})


@dataclass(frozen=True)
class Deadlines:
    first_contact_due: datetime | None
    resolution_due: datetime
    statutory_due: datetime


def deadlines(policy: Policy, received_at: datetime, severity: int, channel: str,
              tier: str | None = None) -> Deadlines:
    """The time limits of a case; a member tier's percent shortens them (never lengthens:
    the policy keeps percents at 100 or below, and the statutory limit caps them all)."""
    sla = policy.sla[severity]
    shape = policy.tiers.get(tier or "none")
    first_pct = shape.first_contact_percent if shape else 100
    resolution_pct = shape.resolution_percent if shape else 100
    first = None if channel in IMMEDIATE_CHANNELS else \
        received_at + timedelta(hours=sla.first_contact_h) * first_pct / 100
    resolution = received_at + timedelta(hours=sla.resolution_h) * resolution_pct / 100
    statutory = received_at + timedelta(days=policy.statutory_days)
    return Deadlines(first, min(resolution, statutory), statutory)


def follow_up_due(policy: Policy, resolved_at: datetime, severity: int) -> datetime:
    return resolved_at + timedelta(hours=policy.sla[severity].follow_up_h)

