"""Loads and validates ``resources/policy.toml`` into frozen objects (the records are
``desk.policy_model``, the tables' checks ``desk.policy_sections``).

A bad policy stops the program at start with a message naming the key and the problem, so a
typo never turns into a silently wrong authority limit at the counter.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.numbers import is_currency

from desk import policy_sections as sections
from desk.errors import N_, PolicyError, ValidationError
from desk.input_limits import POLICY_FILE, read_capped
from desk.i18n import LOCALES
from desk.paths import resources_dir
from desk.policy_model import (DEFAULT_TIERS, HOURS_CAP, LEVELS, LOWEST_PIN_DIGITS,
                               MONEY_PIN_DIGITS, NO_TIER, PRIVILEGES, RADAR_MATCHES, Category,
                               Kind, LevelRoles, RadarRules, Role, Sla, Tier)
from desk.policy_reader import Reader

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
    r = Reader(raw)
    kinds = {key: Kind(key=key, rank=r.int(f"kinds.{key}.rank", minimum=0),
                       cash=r.bool(f"kinds.{key}.cash", False),
                       serials=r.bool(f"kinds.{key}.serials", False),
                       overcharge=r.bool(f"kinds.{key}.overcharge", False))
             for key in r.table("kinds")}
    if not kinds:
        r.fail("kinds", N_("at least one compensation kind is needed"))
    roles = {key: sections.role(r, key, kinds) for key in r.table("roles")}
    if not roles:
        r.fail("roles", N_("at least one role is needed"))
    ranks = [role.rank for role in roles.values()]
    if len(set(ranks)) != len(ranks):
        r.fail("roles", N_("every role needs a different rank"))
    sections.check_pin_digits(r, roles)
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
    if len(tints) != 3 or not all(isinstance(t, str) and sections.is_colour(t) for t in tints):
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
        levels=(levels := sections.levels(r, roles)), handlers=sections.handlers(r, roles),
        **sections.replies(r, roles, levels),
        clock_skew_minutes=(r.int("site.clock_skew_minutes", 0, 24 * 60)
                            if r.has("site.clock_skew_minutes") else 5),
        pin_window_minutes=(r.int("site.pin_window_minutes", 1, 60 * HOURS_CAP)
                            if r.has("site.pin_window_minutes") else 15),
        settlement_amount=(r.money("settlement.amount") if r.has("settlement.amount")
                           else None),
        settlement_levels=sections.settlement_levels(r),
        attitude_weekly=(r.int("staff.attitude_weekly", 0, 10**6)
                         if r.has("staff.attitude_weekly") else 3),
        tiers=sections.tiers(r),
        follow_up_window_hours=r.optional_int("follow_up.window_hours", 48, 1, HOURS_CAP),
        low_score=r.optional_int("follow_up.low_score", 2, 0, 5),
        revisit_days=r.optional_int("follow_up.revisit_days", 7, 1, 366),
        promise_warning_minutes=r.optional_int("promises.warning_minutes", 60, 0,
                                               60 * HOURS_CAP),
        radar=sections.radar(r),
        anchor_folder=r.str("anchors.folder") if r.has("anchors.folder") else "",
        source=source,
    )


# The records and names live in desk.policy_model; importing them from here keeps working.
__all__ = ["Category", "DEFAULT_TIERS", "HOURS_CAP", "Kind", "LEVELS", "LOWEST_PIN_DIGITS",
           "LevelRoles", "MONEY_PIN_DIGITS", "NO_TIER", "PRIVILEGES", "Policy", "RADAR_MATCHES",
           "RadarRules", "Role", "Sla", "Tier", "default_policy_path", "load_policy",
           "parse_policy", "policy_from_text", "read_policy_text"]
