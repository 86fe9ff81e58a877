"""The store's own policy: kept in the store, read from it by every surface after opening,
and changed only by a role with the ``policy`` privilege (signed in, audited, with a reason).

No policy file on a PC governs a store by being there. The bundled ``resources/policy.toml``
seeds a new store (and an older store when it is upgraded to keep its policy); after that an
edited or updated bundled file is only reported as differing (``policy_status``), and
``apply_policy`` is the one way to change what governs the store.
"""
from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path

from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from desk import __version__
from desk.audit.believed import believed_values
from desk.enums import Privilege
from desk.errors import N_, PolicyError, ValidationError
from desk.model import Case, Offer, Staff, StorePolicy, utcnow
from desk.policy import Policy, parse_policy, policy_from_text, read_policy_text
from desk.privileges import require
from desk.services import validate
from desk.services.auth import Actor

KEY = "in_force"                 # the one row of store_policy
PRIVILEGE = Privilege.POLICY     # who may change the store's policy
STORE_CREATED = "store_created"  # ``system`` of the row the first start writes
STORE_UPGRADED = "store_upgraded"
SOURCE = Path("store")           # Policy.source of a policy read from a store
# Tables whose entries are the store's own choice: a key the program adds is never added as
# a whole new role, kind or category, only inside the entries the store already has.
COLLECTIONS = ("kinds", "roles", "categories")


@dataclass(frozen=True)
class PolicyRecord:
    """The policy a store keeps and who set it: ``set_by`` a staff number, or ``system``
    (``store_created`` / ``store_upgraded``) when the program seeded it."""

    text: str
    sha256: str
    set_at: datetime
    set_by: str | None
    system: str | None
    reason: str


@dataclass(frozen=True)
class Difference:
    """One dotted policy key whose value differs; ``None`` where a side does not set it."""

    key: str
    before: object | None
    after: object | None


def sha256_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def policy_record(session: Session) -> PolicyRecord | None:
    """The policy in force as the program last wrote it. A row edited in the file itself
    (``sqlite3`` behind the program's back) is not believed: its last audit entry is."""
    row = session.get(StorePolicy, KEY)
    if row is None:
        return None
    return PolicyRecord(**believed_values(
        session, row, (f.name for f in fields(PolicyRecord)),
        warning="the store's policy differs from its audit log; the logged one governs",
        never_logged=N_("the store's policy was written outside Complaint Desk and was "
                        "never recorded in its audit log; restore a backup")))


def store_policy(session: Session) -> Policy:
    """The policy that governs this store. Keys a newer program knows and the store's text
    does not set take the bundled file's values (as any unset key takes its default)."""
    record = policy_record(session)
    if record is None:
        raise PolicyError(N_("this store has no policy yet; open it once with Complaint Desk "
                             "to set it"))
    return policy_from_store_text(record.text)


def policy_from_store_text(text: str) -> Policy:
    """Parse a store's (or a pack's) policy text. A key this program requires that the text
    lacks (it was written for an older program) takes the bundled file's value; an optional
    key is never filled in, as its absence means something (no limit, no logo)."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return policy_from_text(text, source=SOURCE)   # the same message a file gets
    bundled: dict | None = None
    while True:   # each round fills one more key, or raises
        try:
            return parse_policy(raw, source=SOURCE)
        except PolicyError as exc:
            key = _missing_key(exc)
            if key is None:
                raise
            bundled = _bundled_raw() if bundled is None else bundled
            if not _fill(raw, bundled, key.split(".")):
                raise


def _missing_key(exc: PolicyError) -> str | None:
    problem = exc.values.get("problem")
    if exc.msgid == "policy key {key}: {problem}" and \
            getattr(problem, "msgid", None) == "is missing":
        return str(exc.values.get("key"))
    return None


def _bundled_raw() -> dict:
    try:
        return tomllib.loads(read_policy_text())
    except (PolicyError, tomllib.TOMLDecodeError):
        return {}


def _fill(raw: dict, bundled: dict, path: list[str]) -> bool:
    """Copy one missing key from the bundled policy into ``raw``; False when it has none.
    Never a whole new role, kind or category: those entries are the store's own choice."""
    node, source = raw, bundled
    for depth, part in enumerate(path[:-1]):
        if not isinstance(source, dict) or part not in source:
            return False
        if part not in node:
            if depth == 1 and path[0] in COLLECTIONS:
                return False
            node[part] = {}
        node, source = node[part], source[part]
        if not isinstance(node, dict):
            return False
    if not isinstance(source, dict) or path[-1] not in source or path[-1] in node:
        return False
    node[path[-1]] = source[path[-1]]
    return True


def ensure_store_policy(store) -> None:
    """Give a store without a policy the bundled one, as the system: a new store at its
    creation, an older store at its first start with this program."""
    with store.read() as session:
        if session.get(StorePolicy, KEY) is not None:
            return
    text = read_policy_text()
    policy_from_text(text)   # a damaged bundled file never becomes a store's policy
    try:
        with store.write(system="init") as session:
            if session.get(StorePolicy, KEY) is not None:
                return
            has_staff = session.scalar(select(exists().where(Staff.id.is_not(None))))
            session.add(StorePolicy(
                key=KEY, text=text, sha256=sha256_of(text), set_at=utcnow(), set_by=None,
                system=STORE_UPGRADED if has_staff else STORE_CREATED,
                reason=f"resources/policy.toml, Complaint Desk {__version__}"))
    except IntegrityError:   # another desk seeded it in the same moment: theirs stands
        pass


def load_store_policy(store) -> Policy:
    """What every surface calls after opening a store: the policy that governs it."""
    ensure_store_policy(store)
    with store.read() as session:
        policy = store_policy(session)
    store.use_anchor_folder(policy.anchor_folder or None)
    return policy


def differences(before_text: str, after_text: str) -> list[Difference]:
    """Every dotted key whose value differs between two policy texts, in key order."""
    before, after = _flat(tomllib.loads(before_text)), _flat(tomllib.loads(after_text))
    return [Difference(key, before.get(key), after.get(key))
            for key in sorted(before.keys() | after.keys()) if before.get(key) != after.get(key)]


def _flat(raw: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in raw.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, dotted + "."))
        else:
            out[dotted] = value
    return out


def check_policy_text(session: Session, text: str, source: Path) -> Policy:
    """Validate a policy for this store exactly as applying it would (every problem names
    its key): the file itself, then that the store stays governable under it."""
    new = policy_from_text(text, source=source)
    _keeps_store_governable(session, store_policy(session), new)
    return new


def _keeps_store_governable(session: Session, old: Policy, new: Policy) -> None:
    """Refuse a policy that strands what the store holds or locks everyone out of it."""
    for role in session.scalars(select(Staff.role).distinct()):
        if role not in new.roles:
            count = session.scalar(select(func.count()).where(Staff.role == role))
            raise PolicyError(N_("policy key {key}: {count} staff members hold this role; "
                                 "give them another role before removing it"),
                              key=f"roles.{role}"[:80], count=count)
    for key, column in (("categories", Case.category), ("kinds", Offer.kind)):
        gone = set(getattr(old, key)) - set(getattr(new, key))
        if gone:
            used = session.scalar(select(column).where(column.in_(sorted(gone))).limit(1))
            if used is not None:
                raise PolicyError(N_("policy key {key}: recorded cases use it; it cannot be "
                                     "removed"), key=f"{key}.{used}"[:80])
    governors = [key for key, role in new.roles.items() if role.has(PRIVILEGE)]
    held = governors and session.scalar(select(exists().where(
        Staff.role.in_(governors), Staff.active.is_(True))))
    if not held:
        raise PolicyError(N_("policy key {key}: no active staff member would hold the "
                             "\"policy\" privilege, so nobody could change the policy again"),
                          key="roles")


def apply_policy(session: Session, actor: Actor, text: str, reason: object, *,
                 source: Path = Path("policy.toml"), now: datetime | None = None
                 ) -> PolicyRecord:
    """Replace the store's policy. Only a role with the ``policy`` privilege under the
    policy in force may; the reason is required; the audit log keeps who, why, and the text
    before and after."""
    current = store_policy(session)
    require(current, actor, PRIVILEGE, field="staff_id")
    reason = validate.text(reason, "reason", max_len=500)
    check_policy_text(session, text, source)
    row = session.get(StorePolicy, KEY)
    digest = sha256_of(text)
    if row.sha256 == digest:
        raise ValidationError(N_("the store already runs this policy"), field="policy")
    row.text, row.sha256, row.set_at = text, digest, now or utcnow()
    row.set_by, row.system, row.reason = actor.staff_no, None, reason
    session.flush()
    return policy_record(session)


@dataclass(frozen=True)
class PolicyStatus:
    """What ``desk policy show`` says: the policy in force, who set it, and whether the
    bundled file (a program update, or an edit on this PC) now says something else."""

    record: PolicyRecord
    set_by_name: str | None
    bundled_sha256: str | None          # None when the bundled file cannot be read
    bundled_differences: tuple[Difference, ...]

    @property
    def bundled_differs(self) -> bool:
        return self.bundled_sha256 is not None and self.bundled_sha256 != self.record.sha256


def policy_status(session: Session) -> PolicyStatus:
    record = policy_record(session)
    if record is None:
        store_policy(session)   # raises the "no policy yet" refusal
    name = session.scalar(select(Staff.name).where(Staff.staff_no == record.set_by)) \
        if record.set_by else None
    try:
        bundled = read_policy_text()
    except PolicyError:
        bundled = None
    try:
        found = tuple(differences(record.text, bundled)) if bundled is not None else ()
    except tomllib.TOMLDecodeError:   # shown as differing; `desk policy check` says why
        found = ()
    return PolicyStatus(record, name, sha256_of(bundled) if bundled is not None else None,
                        found)
