"""The administrator's use cases, one unit of work each: staff (add, edit, disable, reset a
PIN) and the store's policy (its roles, kinds, categories, units and time limits) checked and
applied with a reason. Every write names the administrator; the services check privileges."""
from __future__ import annotations

import re
from dataclasses import dataclass

from desk import queries, store_policy
from desk.enums import Privilege
from desk.errors import N_, AuthenticationError, ValidationError
from desk.policy import Policy
from desk.privileges import holds, require
from desk.queries import StaffRow
from desk.services import staff as staff_services
from desk.services.auth import Actor


@dataclass(frozen=True)
class PolicyEntry:
    """One category or unit as the policy screen lists it: its key and its label."""

    key: str
    label: str


class Admin:
    """The store, the policy in force and the administrator acting."""

    def __init__(self, store, policy: Policy, actor: Actor | None) -> None:
        self.store, self.policy, self.actor = store, policy, actor

    def _who(self) -> Actor:
        if self.actor is None:
            raise AuthenticationError(N_("sign in first"), field="staff_id")
        return self.actor

    def may(self, privilege: Privilege) -> bool:
        return holds(self.policy, self.actor, privilege)

    # --- staff ---------------------------------------------------------------------------
    def staff(self) -> list[StaffRow]:
        require(self.policy, self._who(), Privilege.ADMIN, field="staff_id")
        with self.store.read() as session:
            return queries.staff_rows(session)

    def add_staff(self, staff_no: str, name: str, role: str, pin: str) -> StaffRow:
        actor = self._who()
        with self.store.write(actor) as session:
            staff = staff_services.add_staff(session, self.policy, staff_no, name, role, pin,
                                             actor=actor)
            return StaffRow(staff.staff_no, staff.name, staff.role, staff.active,
                            staff.locked_until)

    def edit_staff(self, staff_no: str, *, name: str | None = None, role: str | None = None,
                   active: bool | None = None) -> StaffRow:
        actor = self._who()
        with self.store.write(actor) as session:
            staff = staff_services.update_staff(session, self.policy, staff_no, actor,
                                                name=name, role=role, active=active)
            return StaffRow(staff.staff_no, staff.name, staff.role, staff.active,
                            staff.locked_until)

    def reset_pin(self, staff_no: str, new_pin: str) -> None:
        actor = self._who()
        with self.store.write(actor) as session:
            staff_services.reset_pin(session, self.policy, staff_no, new_pin, actor)

    # --- the store's policy --------------------------------------------------------------
    def policy_text(self) -> str:
        with self.store.read() as session:
            record = store_policy.policy_record(session)
        return record.text if record else ""

    def check_policy(self, text: str) -> Policy:
        """The policy as applying it would check it (every problem names its key); nothing
        is written."""
        with self.store.read() as session:
            return store_policy.check_policy_text(session, text, store_policy.Path("policy"))

    def apply_policy(self, text: str, reason: str) -> Policy:
        """Replace the store's policy (the "policy" privilege and a reason); the new policy."""
        actor = self._who()
        with self.store.write(actor) as session:
            store_policy.apply_policy(session, actor, text, reason)
            return store_policy.store_policy(session)

    @staticmethod
    def entries(policy: Policy) -> dict[str, list[PolicyEntry]]:
        """The categories and units a policy defines, for the screen that lists them."""
        from desk.enums import policy_label
        return {"categories": [PolicyEntry(k, policy_label(k)) for k in policy.categories],
                "units": [PolicyEntry(k, policy_label(k)) for k in policy.units]}


def with_category(text: str, key: str, *, level: str, unit: str,
                  police_report: bool = False) -> str:
    """The policy text with category ``key`` set to this level and unit: its table replaced
    where it stands (comments elsewhere kept), or added after the last category. The result
    is checked like any policy text before it is applied."""
    key = _policy_key(key, "category")
    unit = _policy_key(unit, "unit")
    header = f"[categories.{key}]"
    block = [header, f'level = "{level}"', f'unit = "{unit}"']
    if police_report:
        block.append("police_report = true")
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == header), None)
    if start is None:
        last = max((i for i, line in enumerate(lines)
                    if line.strip().startswith("[categories.")), default=None)
        if last is None:
            return text.rstrip("\n") + "\n\n" + "\n".join(block) + "\n"
        start = end = _table_end(lines, last)
    else:
        end = _table_end(lines, start)
    return "\n".join(lines[:start] + block + lines[end:]) + "\n"


def _policy_key(value: str, field: str) -> str:
    """A key as the policy's tables name them (lower-case letters, digits, underscores)."""
    value = str(value).strip()
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", value):
        raise ValidationError(N_("{value} is not a key: use lower-case letters, digits and "
                                 "underscores, starting with a letter"), field=field,
                              value=value[:40])
    return value


def _table_end(lines: list[str], start: int) -> int:
    """The line after a TOML table's last key (before the next table, blank or comment)."""
    end = start + 1
    while end < len(lines) and lines[end].strip() and not lines[end].lstrip().startswith(
            ("[", "#")):
        end += 1
    return end
