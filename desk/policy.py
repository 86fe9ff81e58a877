"""Loads and validates ``resources/policy.toml`` into frozen objects.

A bad policy stops the program at start with a message naming the key and the problem, so a
typo never turns into a silently wrong authority limit at the counter.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import is_currency

from desk.enums import Privilege
from desk.errors import N_, PolicyError, ValidationError
from desk.input_limits import POLICY_FILE, read_capped
from desk.i18n import LOCALES
from desk.paths import resources_dir

LEVELS = ("preliminary", "level1", "level2")
HOURS_CAP = 24 * 366   # time limits up to a year
PRIVILEGES = tuple(p.value for p in Privilege)   # the names a policy may use
MONEY_PIN_DIGITS = 6   # a role that may approve another's offer: a million PINs to guess
LOWEST_PIN_DIGITS = 4  # a role approving no money (the clerks) may be allowed 4


@dataclass(frozen=True)
class Kind:
    key: str
    rank: int
    cash: bool = False
    serials: bool = False
    overcharge: bool = False


@dataclass(frozen=True)
class Role:
    key: str
    rank: int
    per_case: Decimal | None
    per_day: Decimal | None
    kinds: frozenset[str]
    privileges: frozenset[str]
    pin_digits: int = MONEY_PIN_DIGITS   # the shortest PIN this role may set

    def may_grant(self, kind: str) -> bool:
        return kind in self.kinds

    def has(self, privilege: str) -> bool:
        return privilege in self.privileges


@dataclass(frozen=True)
class Category:
    key: str
    level: str
    unit: str
    police_report: bool = False


@dataclass(frozen=True)
class LevelRoles:
    """The lowest role that may resolve (or decline) and the lowest that may close a case of
    one level (policy ``[levels.<level>]``)."""

    resolve: str
    close: str


@dataclass(frozen=True)
class Sla:
    first_contact_h: int
    resolution_h: int
    follow_up_h: int


@dataclass(frozen=True)
class Tier:
    """A customer's member tier (``[tiers.<key>]``): how much of each time limit applies,
    in percent (100 = the usual limit; 50 = half). A tier only ever shortens deadlines; it
    has no part in anyone's authority."""

    key: str
    rank: int
    first_contact_percent: int = 100
    resolution_percent: int = 100


@dataclass(frozen=True)
class RadarRules:
    """The batch radar (``[radar]``): ``count`` different customers within ``window_days``
    about the same thing make a batch; ``match`` says what "the same" is ("subject": the same
    tenant, facility, product, campaign, charge or staff member; "keywords": key words shared,
    at least ``min_shared`` of them and ``overlap`` of the shorter text's, same category)."""

    window_days: int = 7
    count: int = 3
    match: frozenset[str] = frozenset({"subject", "keywords"})
    min_shared: int = 3
    overlap: float = 0.5


RADAR_MATCHES = ("subject", "keywords")


@dataclass(frozen=True)
class Policy:
    mall_name: str
    currency: str
    timezone: str
    locale: str
    roc_years: bool
    cash_threshold: Decimal
    retention_years: int
    statutory_days: int
    pin_attempts: int
    pin_lock_minutes: int
    idle_lock_minutes: int
    backups_kept: int
    paper: str
    tints: tuple[str, str, str]
    font: Path
    font_index: int
    logo: Path | None
    kinds: dict[str, Kind]
    roles: dict[str, Role]
    categories: dict[str, Category]
    sla: dict[int, Sla]
    follow_up_attempts: int
    follow_up_hours_apart: int
    due_soon_hours: int
    levels: dict[str, LevelRoles]
    handlers: dict[int, str]     # severity -> the lowest role that may handle it
    clock_skew_minutes: int = 5   # how far ahead of this PC's clock a recorded time may be
    pin_window_minutes: int = 15  # wrong PINs within this window count toward a lock-out
    # A settlement the customer signs: at or above this amount accepted (None: never by
    # amount), or on a case of one of these levels.
    settlement_amount: Decimal | None = None
    settlement_levels: tuple[str, ...] = ("level2",)
    attitude_weekly: int = 3      # a desk with more attitude complaints in a week is flagged
    tiers: dict[str, Tier] = field(default_factory=lambda: dict(DEFAULT_TIERS))
    # Written replies: the lowest role that approves one, and the levels whose replies also
    # need a second reviewer holding the "legal_review" privilege (policy [replies]).
    reply_approver: str = "supervisor"
    reply_second_review: frozenset[str] = frozenset({"level2"})
    # Follow-up and promises (``[follow_up]``, ``[promises]``): the attempts must fit in a
    # window; a score at or below ``low_score`` reopens the case for a revisit within
    # ``revisit_days``; a promise is "due" this many minutes before it passes.
    follow_up_window_hours: int = 48
    low_score: int = 2
    revisit_days: int = 7
    promise_warning_minutes: int = 60
    radar: RadarRules = RadarRules()
    anchor_folder: str = ""       # the second place for audit anchors and backups ("": none)
    source: Path = field(default=Path("policy.toml"), compare=False)

    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def top_role(self) -> Role:
        return max(self.roles.values(), key=lambda r: r.rank)

    def roles_by_rank(self) -> list[Role]:
        return sorted(self.roles.values(), key=lambda r: r.rank)

    def kinds_by_value(self) -> list[Kind]:
        return sorted(self.kinds.values(), key=lambda k: k.rank)

    def tiers_by_rank(self) -> list[Tier]:
        return sorted(self.tiers.values(), key=lambda t: t.rank)

    def role(self, key: str) -> Role:
        return self.roles[key]

    def handler_role(self, severity: int) -> Role:
        """The lowest role that may handle (and decide) a case of this severity."""
        return self.roles[self.handlers[severity]]


def default_policy_path() -> Path:
    return resources_dir() / "policy.toml"


def load_policy(path: Path | None = None) -> Policy:
    path = Path(path) if path else default_policy_path()
    return policy_from_text(read_policy_text(path), source=path)


def read_policy_text(path: Path | None = None) -> str:
    """The text of a policy file (the bundled one by default); file problems name the file."""
    path = Path(path) if path else default_policy_path()
    try:
        raw = read_capped(path, POLICY_FILE, "policy")
    except ValidationError as exc:   # not a regular file, too large, unreadable
        if exc.msgid == "there is no file {path}":
            raise PolicyError(N_("policy file {path} not found"), path=str(path)) from None
        raise PolicyError(N_("cannot read policy file {path}: {detail}"), path=str(path),
                          detail=exc.message()) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise PolicyError(N_("policy file {path} is not UTF-8 text"), path=str(path)) from None


def policy_from_text(text: str, source: Path = Path("policy.toml")) -> Policy:
    """A policy from its TOML text (a file's, or the one a store keeps), validated exactly
    as a file is: every problem names its key."""
    try:
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError, RecursionError) as exc:
        # ValueError: an integer past Python's digit limit; RecursionError: arrays nested
        # hundreds deep (the file is at most input_limits.POLICY_FILE bytes)
        raise PolicyError(N_("policy file {path} is not valid TOML: {detail}"),
                          path=str(source), detail=str(exc)[:200]) from None
    return parse_policy(raw, source=source)


def parse_policy(raw: dict, source: Path = Path("policy.toml")) -> Policy:
    r = _Reader(raw)
    kinds = {key: Kind(key=key, rank=r.int(f"kinds.{key}.rank", minimum=0),
                       cash=r.bool(f"kinds.{key}.cash", False),
                       serials=r.bool(f"kinds.{key}.serials", False),
                       overcharge=r.bool(f"kinds.{key}.overcharge", False))
             for key in r.table("kinds")}
    if not kinds:
        r.fail("kinds", N_("at least one compensation kind is needed"))
    roles = {key: _role(r, key, kinds) for key in r.table("roles")}
    if not roles:
        r.fail("roles", N_("at least one role is needed"))
    ranks = [role.rank for role in roles.values()]
    if len(set(ranks)) != len(ranks):
        r.fail("roles", N_("every role needs a different rank"))
    _check_pin_digits(r, roles)
    categories = {key: Category(key=key, level=r.choice(f"categories.{key}.level", LEVELS),
                                unit=r.str(f"categories.{key}.unit"),
                                police_report=r.bool(f"categories.{key}.police_report", False))
                  for key in r.table("categories")}
    if not categories:
        r.fail("categories", N_("at least one category is needed"))
    sla = {}
    for severity in (1, 2, 3):
        key = f"sla.{severity}"
        sla[severity] = Sla(first_contact_h=r.int(f"{key}.first_contact", 1, HOURS_CAP),
                            resolution_h=r.int(f"{key}.resolution", 1, HOURS_CAP),
                            follow_up_h=r.int(f"{key}.follow_up", 1, HOURS_CAP))
    currency = r.str("site.currency")
    if not is_currency(currency):
        r.fail("site.currency", N_("unknown currency code {value}"), value=currency)
    timezone = r.str("site.timezone")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        r.fail("site.timezone", N_("unknown time zone {value}"), value=timezone)
    tints = r.list("form.tints")
    if len(tints) != 3 or not all(isinstance(t, str) and _is_colour(t) for t in tints):
        r.fail("form.tints", N_("needs three colours like \"#FBE3EA\""))
    logo = r.get("form.logo", None)
    if logo is not None and (not isinstance(logo, str) or not logo.strip()):
        r.fail("form.logo", N_("must be a non-empty text"))
    return Policy(
        mall_name=r.str("site.mall_name"), currency=currency, timezone=timezone,
        locale=r.choice("site.locale", LOCALES), roc_years=r.bool("site.roc_years", False),
        cash_threshold=r.money("site.cash_threshold"),
        retention_years=r.int("site.retention_years", 1, 100),
        statutory_days=r.int("site.statutory_days", 1, 3660),
        pin_attempts=r.int("site.pin_attempts", 1, 100),
        pin_lock_minutes=r.int("site.pin_lock_minutes", 1, 60 * HOURS_CAP),
        idle_lock_minutes=r.int("site.idle_lock_minutes", 1, 60 * HOURS_CAP),
        backups_kept=r.int("site.backups_kept", 1, 3660),
        paper=r.choice("form.paper", ("a4", "continuous")), tints=tuple(tints),
        font=resources_dir() / r.str("form.font"), font_index=r.int("form.font_index", minimum=0),
        logo=(resources_dir() / logo) if logo else None,
        kinds=kinds, roles=roles, categories=categories, sla=sla,
        follow_up_attempts=r.int("follow_up.attempts", 1, 100),
        follow_up_hours_apart=r.int("follow_up.hours_apart", 0, HOURS_CAP),
        due_soon_hours=r.int("follow_up.due_soon_hours", 0, HOURS_CAP),
        levels=(levels := _levels(r, roles)), handlers=_handlers(r, roles),
        **_replies(r, roles, levels),
        clock_skew_minutes=(r.int("site.clock_skew_minutes", 0, 24 * 60)
                            if r.has("site.clock_skew_minutes") else 5),
        pin_window_minutes=(r.int("site.pin_window_minutes", 1, 60 * HOURS_CAP)
                            if r.has("site.pin_window_minutes") else 15),
        settlement_amount=(r.money("settlement.amount") if r.has("settlement.amount")
                           else None),
        settlement_levels=_settlement_levels(r),
        attitude_weekly=(r.int("staff.attitude_weekly", 0, 10**6)
                         if r.has("staff.attitude_weekly") else 3),
        tiers=_tiers(r),
        follow_up_window_hours=r.optional_int("follow_up.window_hours", 48, 1, HOURS_CAP),
        low_score=r.optional_int("follow_up.low_score", 2, 0, 5),
        revisit_days=r.optional_int("follow_up.revisit_days", 7, 1, 366),
        promise_warning_minutes=r.optional_int("promises.warning_minutes", 60, 0,
                                               60 * HOURS_CAP),
        radar=_radar(r),
        anchor_folder=r.str("anchors.folder") if r.has("anchors.folder") else "",
        source=source,
    )


def _settlement_levels(r: "_Reader") -> tuple[str, ...]:
    if not r.has("settlement.levels"):
        return ("level2",)
    levels = r.list("settlement.levels")
    for level in levels:
        if level not in LEVELS:
            r.fail("settlement.levels", N_("unknown level {value}"), value=str(level)[:20])
    return tuple(levels)


def _role(r: "_Reader", key: str, kinds: dict[str, Kind]) -> Role:
    prefix = f"roles.{key}"
    granted = r.get(f"{prefix}.kinds")
    if granted == "all":
        granted = list(kinds)
    if not isinstance(granted, list):
        r.fail(f"{prefix}.kinds", N_("must be a list of kinds or \"all\""))
    for kind in granted:
        if not isinstance(kind, str) or kind not in kinds:
            r.fail(f"{prefix}.kinds", N_("unknown compensation kind {value}"), value=kind)
    privileges = r.get(f"{prefix}.privileges", [])
    if not isinstance(privileges, list):
        r.fail(f"{prefix}.privileges", N_("must be a list"))
    for privilege in privileges:
        if not isinstance(privilege, str) or privilege not in PRIVILEGES:
            r.fail(f"{prefix}.privileges", N_("unknown privilege {value}"), value=privilege)
    per_case = r.money(f"{prefix}.per_case") if r.has(f"{prefix}.per_case") else None
    per_day = r.money(f"{prefix}.per_day") if r.has(f"{prefix}.per_day") else None
    pin_digits = (r.int(f"{prefix}.pin_digits", LOWEST_PIN_DIGITS, 12)
                  if r.has(f"{prefix}.pin_digits") else MONEY_PIN_DIGITS)
    return Role(key=key, rank=r.int(f"{prefix}.rank", minimum=0), per_case=per_case,
                per_day=per_day, kinds=frozenset(granted), privileges=frozenset(privileges),
                pin_digits=pin_digits)


def _check_pin_digits(r: "_Reader", roles: dict[str, Role]) -> None:
    """Only a role that approves no money may keep PINs shorter than six digits: every role
    above the lowest that grants compensation may approve an offer beyond another's
    authority, and finance approves and pays costs (docs/reliability.md, PINs)."""
    granting = [role for role in roles.values() if role.kinds]
    lowest = min(granting, key=lambda role: role.rank) if granting else None
    for role in roles.values():
        approves = "finance" in role.privileges or (bool(role.kinds) and role is not lowest)
        if approves and role.pin_digits < MONEY_PIN_DIGITS:
            r.fail(f"roles.{role.key}.pin_digits",
                   N_("a role that may approve money needs PINs of at least {limit} digits"),
                   limit=MONEY_PIN_DIGITS)


# Used when a policy has no [levels] / [severity] table at all (one written before they
# existed): the domain brief's rules. A table that is present is checked key by key.
DEFAULT_LEVELS = {"preliminary": {"resolve": "clerk", "close": "supervisor"},
                  "level1": {"resolve": "clerk", "close": "supervisor"},
                  "level2": {"resolve": "operations_manager", "close": "operations_manager"}}
DEFAULT_HANDLERS = {"1": {"handler": "clerk"}, "2": {"handler": "operations_manager"},
                    "3": {"handler": "operations_manager"}}


def _levels(r: "_Reader", roles: dict[str, Role]) -> dict[str, LevelRoles]:
    if not r.has("levels"):
        r = _Reader({"levels": DEFAULT_LEVELS})
    unknown = sorted(set(r.table("levels")) - set(LEVELS))
    if unknown:
        r.fail(f"levels.{unknown[0]}", N_("must be one of {value}"), value=", ".join(LEVELS))
    return {level: LevelRoles(resolve=r.choice(f"levels.{level}.resolve", tuple(roles)),
                              close=r.choice(f"levels.{level}.close", tuple(roles)))
            for level in LEVELS}


def _handlers(r: "_Reader", roles: dict[str, Role]) -> dict[int, str]:
    if not r.has("severity"):
        r = _Reader({"severity": DEFAULT_HANDLERS})
    unknown = sorted(set(r.table("severity")) - {"1", "2", "3"})
    if unknown:
        r.fail(f"severity.{unknown[0]}", N_("must be one of {value}"), value="1, 2, 3")
    return {n: r.choice(f"severity.{n}.handler", tuple(roles)) for n in (1, 2, 3)}


# A policy without [tiers] (one written before them) knows the three usual tiers and shortens
# nothing: a store's deadlines change only when someone applies a policy that says so.
DEFAULT_TIERS = {key: Tier(key, rank) for rank, key in enumerate(("none", "member", "vip"))}
NO_TIER = "none"   # the tier of a customer who is not a member: every policy has it


def _tiers(r: "_Reader") -> dict[str, Tier]:
    if not r.has("tiers"):
        return dict(DEFAULT_TIERS)
    tiers = {key: Tier(key, rank=r.int(f"tiers.{key}.rank", minimum=0),
                       first_contact_percent=(r.int(f"tiers.{key}.first_contact_percent", 1, 100)
                                              if r.has(f"tiers.{key}.first_contact_percent")
                                              else 100),
                       resolution_percent=(r.int(f"tiers.{key}.resolution_percent", 1, 100)
                                           if r.has(f"tiers.{key}.resolution_percent") else 100))
             for key in r.table("tiers")}
    if NO_TIER not in tiers:
        r.fail(f"tiers.{NO_TIER}", N_("is missing"))
    for key in tiers:
        if len(key) > 20:
            r.fail(f"tiers.{key}", N_("must be at most {value}"), value=20)
    return tiers


def _replies(r: "_Reader", roles: dict[str, Role], levels: dict[str, LevelRoles]) -> dict:
    """``[replies]``: absent, a supervisor-level approval (the role that closes a
    preliminary case) and a second review for level 2, as the procedures ask."""
    approver = (r.choice("replies.approver", tuple(roles)) if r.has("replies.approver")
                else levels["preliminary"].close)
    second = r.get("replies.second_review_levels", ["level2"])
    if not isinstance(second, list) or any(level not in LEVELS for level in second):
        r.fail("replies.second_review_levels", N_("must be a list of levels from {value}"),
               value=", ".join(LEVELS))
    return {"reply_approver": approver, "reply_second_review": frozenset(second)}


def _radar(r: "_Reader") -> RadarRules:
    # A policy written before the radar existed gets the domain brief's rule (3 in 7 days).
    if not r.has("radar"):
        return RadarRules()
    match = r.list("radar.match")
    if not match or any(m not in RADAR_MATCHES for m in match):
        r.fail("radar.match", N_("must be a list of {value}"), value=", ".join(RADAR_MATCHES))
    overlap = r.get("radar.overlap")
    if isinstance(overlap, bool) or not isinstance(overlap, (int, float)) or not 0 < overlap <= 1:
        r.fail("radar.overlap", N_("must be a number above 0 and at most 1"))
    return RadarRules(window_days=r.int("radar.window_days", 1, 366),
                      count=r.int("radar.count", 2, 1000), match=frozenset(match),
                      min_shared=r.int("radar.min_shared", 1, 1000), overlap=float(overlap))


def _is_colour(text: str) -> bool:
    return len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:])


class _Reader:
    """Typed access to nested TOML keys by dotted path; every failure names its key."""

    _missing = object()

    def __init__(self, raw: dict) -> None:
        self.raw = raw

    def fail(self, key: str, message: str, **values: object) -> None:
        values = {k: v if len(str(v)) <= 60 else str(v)[:57] + "..." for k, v in values.items()}
        raise PolicyError(N_("policy key {key}: {problem}"), key=key[:80],
                          problem=_Deferred(message, values))

    def has(self, key: str) -> bool:
        absent = object()
        return self.get(key, absent) is not absent

    def get(self, key: str, default: object = _missing) -> object:
        node: object = self.raw
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is self._missing:
                    self.fail(key, N_("is missing"))
                return default
            node = node[part]
        return node

    def table(self, key: str) -> list[str]:
        node = self.get(key)
        if not isinstance(node, dict):
            self.fail(key, N_("must be a table"))
        return list(node)

    def str(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, N_("must be a non-empty text"))
        return value

    def bool(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, N_("must be true or false"))
        return value

    def int(self, key: str, minimum: int = 0, maximum: int = 10**9) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, N_("must be a whole number"))
        if value < minimum:
            self.fail(key, N_("must be at least {value}"), value=minimum)
        if value > maximum:   # past this, date arithmetic overflows somewhere later
            self.fail(key, N_("must be at most {value}"), value=maximum)
        return value

    def optional_int(self, key: str, default: int, minimum: int = 0,
                     maximum: int = 10**9) -> int:
        """A whole number a policy written before the key existed may leave out."""
        return self.int(key, minimum, maximum) if self.has(key) else default

    def money(self, key: str) -> Decimal:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(key, N_("must be an amount"))
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.fail(key, N_("must be an amount"))
        if not amount.is_finite() or amount < 0:
            self.fail(key, N_("must be zero or more"))
        return amount

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.get(key)
        if value not in allowed:
            self.fail(key, N_("must be one of {value}"), value=", ".join(allowed))
        return value

    def list(self, key: str) -> list:
        value = self.get(key)
        if not isinstance(value, list):
            self.fail(key, N_("must be a list"))
        return value


class _Deferred:
    """A nested message translated only when the outer one is shown."""

    def __init__(self, msgid: str, values: dict) -> None:
        self.msgid, self.values = msgid, values

    def __format__(self, spec: str) -> str:
        from desk.i18n import _
        return _(self.msgid).format(**self.values)
