"""The frozen records a store's policy is made of (compensation kinds, roles, categories,
levels, time limits, member tiers, the radar's rule) and the names a policy may use."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from desk.enums import Privilege

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


# A policy without [tiers] (one written before them) knows the three usual tiers and shortens
# nothing: a store's deadlines change only when someone applies a policy that says so.
DEFAULT_TIERS = {key: Tier(key, rank) for rank, key in enumerate(("none", "member", "vip"))}
NO_TIER = "none"   # the tier of a customer who is not a member: every policy has it


__all__ = ["Category", "DEFAULT_TIERS", "HOURS_CAP", "Kind", "LEVELS", "LOWEST_PIN_DIGITS",
           "LevelRoles", "MONEY_PIN_DIGITS", "NO_TIER", "PRIVILEGES", "RADAR_MATCHES",
           "RadarRules", "Role", "Sla", "Tier"]
