"""The policy's tables that need more than one key's check: the roles (their kinds,
privileges and PIN lengths), levels, severity handlers, member tiers, replies and the radar.
Each reads through ``Reader``, so every problem names its key; a table a policy written
before it existed leaves out takes the domain brief's rule."""
from __future__ import annotations

from desk.errors import N_
from desk.policy_model import (DEFAULT_TIERS, LEVELS, LOWEST_PIN_DIGITS, MONEY_PIN_DIGITS,
                               NO_TIER, PRIVILEGES, RADAR_MATCHES, Kind, LevelRoles,
                               RadarRules, Role, Tier)
from desk.policy_reader import Reader


def settlement_levels(r: Reader) -> tuple[str, ...]:
    if not r.has("settlement.levels"):
        return ("level2",)
    levels = r.list("settlement.levels")
    for level in levels:
        if level not in LEVELS:
            r.fail("settlement.levels", N_("unknown level {value}"), value=str(level)[:20])
    return tuple(levels)


def role(r: Reader, key: str, kinds: dict[str, Kind]) -> Role:
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


def check_pin_digits(r: Reader, roles: dict[str, Role]) -> None:
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


def levels(r: Reader, roles: dict[str, Role]) -> dict[str, LevelRoles]:
    if not r.has("levels"):
        r = Reader({"levels": DEFAULT_LEVELS})
    unknown = sorted(set(r.table("levels")) - set(LEVELS))
    if unknown:
        r.fail(f"levels.{unknown[0]}", N_("must be one of {value}"), value=", ".join(LEVELS))
    return {level: LevelRoles(resolve=r.choice(f"levels.{level}.resolve", tuple(roles)),
                              close=r.choice(f"levels.{level}.close", tuple(roles)))
            for level in LEVELS}


def handlers(r: Reader, roles: dict[str, Role]) -> dict[int, str]:
    if not r.has("severity"):
        r = Reader({"severity": DEFAULT_HANDLERS})
    unknown = sorted(set(r.table("severity")) - {"1", "2", "3"})
    if unknown:
        r.fail(f"severity.{unknown[0]}", N_("must be one of {value}"), value="1, 2, 3")
    return {n: r.choice(f"severity.{n}.handler", tuple(roles)) for n in (1, 2, 3)}


def tiers(r: Reader) -> dict[str, Tier]:
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


def replies(r: Reader, roles: dict[str, Role], levels: dict[str, LevelRoles]) -> dict:
    """``[replies]``: absent, a supervisor-level approval (the role that closes a
    preliminary case) and a second review for level 2, as the procedures ask."""
    approver = (r.choice("replies.approver", tuple(roles)) if r.has("replies.approver")
                else levels["preliminary"].close)
    second = r.get("replies.second_review_levels", ["level2"])
    if not isinstance(second, list) or any(level not in LEVELS for level in second):
        r.fail("replies.second_review_levels", N_("must be a list of levels from {value}"),
               value=", ".join(LEVELS))
    return {"reply_approver": approver, "reply_second_review": frozenset(second)}


def radar(r: Reader) -> RadarRules:
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


def is_colour(text: str) -> bool:
    return len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:])
