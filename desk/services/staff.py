"""Staff records: adding staff, changing names, roles and PINs, disabling a sign-in."""
from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desk.enums import Privilege
from desk.errors import N_, AuthorityError, NotFound, ValidationError
from desk.model import Staff
from desk.policy import Policy
from desk.privileges import require
from desk.security import hash_pin
from desk.services import validate
from desk.services.auth import Actor
from desk.uow import bind_actor


def _admins_exist(session: Session, policy: Policy) -> bool:
    admin_roles = [r.key for r in policy.roles.values() if r.has(Privilege.ADMIN)]
    return bool(session.scalar(select(exists().where(Staff.role.in_(admin_roles),
                                                     Staff.active.is_(True)))))


def add_staff(session: Session, policy: Policy, staff_no: str, name: str, role: str, pin: str,
              actor: Actor | None = None) -> Staff:
    """Add a staff member. Once an administrator exists, only an administrator may add staff;
    the very first staff member (set-up) needs no actor."""
    if actor is not None:
        bind_actor(session, actor)
    if _admins_exist(session, policy):
        if actor is None or not policy.roles[actor.role].has(Privilege.ADMIN):
            raise AuthorityError(N_("only an administrator may add staff"), field="staff_id")
    staff_no = validate.code(staff_no, "staff_id")
    name = validate.text(name, "name", max_len=100)
    role = validate.key(policy.roles, role, "role")
    if session.scalar(select(exists().where(Staff.staff_no == staff_no))):
        raise ValidationError(N_("{value} is already taken"), field="staff_id", value=staff_no)
    staff = Staff(staff_no=staff_no, name=name, role=role, pin_hash=hash_pin(pin))
    session.add(staff)
    session.flush()
    return staff


def list_staff(session: Session) -> list[Staff]:
    return list(session.scalars(select(Staff).order_by(Staff.staff_no)))


def _staff(session: Session, staff_no: str) -> Staff:
    staff = session.scalar(select(Staff).where(Staff.staff_no == str(staff_no).strip()))
    if staff is None:
        raise NotFound(N_("no staff member {value}"), field="staff_id", value=str(staff_no)[:20])
    return staff


def _keeps_someone_in_charge(session: Session, policy: Policy, changed: Staff) -> None:
    """After a change someone active still administers the store and someone may change its
    policy: nobody can lock the mall out of its own program from the staff screen."""
    session.flush()
    for privilege in (Privilege.ADMIN, Privilege.POLICY):
        roles = [r.key for r in policy.roles.values() if r.has(privilege)]
        if not session.scalar(select(exists().where(Staff.role.in_(roles),
                                                    Staff.active.is_(True)))):
            raise ValidationError(N_("{value} is the last active staff member who holds the "
                                     "\"{privilege}\" privilege; give another person that role "
                                     "first"), field="role", value=changed.staff_no,
                                  privilege=privilege.value)


def update_staff(session: Session, policy: Policy, staff_no: str, actor: Actor, *,
                 name: str | None = None, role: str | None = None,
                 active: bool | None = None) -> Staff:
    """An administrator changes a staff member's name, role or whether they may sign in.
    Nobody disables themselves, and the store always keeps an active administrator."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.ADMIN, N_("only an administrator may change staff"),
            field="staff_id")
    staff = _staff(session, staff_no)
    if name is not None:
        staff.name = validate.text(name, "name", max_len=100)
    if role is not None:
        staff.role = validate.key(policy.roles, role, "role")
    if active is not None:
        if not active and staff.staff_no == actor.staff_no:
            raise ValidationError(N_("you cannot disable yourself; another administrator can"),
                                  field="active")
        staff.active = bool(active)
    _keeps_someone_in_charge(session, policy, staff)
    return staff


def reset_pin(session: Session, policy: Policy, staff_no: str, new_pin: str,
              actor: Actor) -> Staff:
    """An administrator sets a new PIN (the person changes it at their next chance); the
    wrong-PIN count and any lock-out are lifted with it."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.ADMIN, N_("only an administrator may reset a PIN"),
            field="staff_id")
    staff = _staff(session, staff_no)
    staff.pin_hash = hash_pin(new_pin)
    staff.failed_pins = 0
    staff.locked_until = None
    session.flush()
    return staff
