"""Staff records: adding staff, changing roles and PINs."""
from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desk.enums import Privilege
from desk.errors import N_, AuthorityError, ValidationError
from desk.model import Staff
from desk.policy import Policy
from desk.security import hash_pin
from desk.services import validate
from desk.services.auth import Actor, pin_digits, staff_by_no
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
    staff = Staff(staff_no=staff_no, name=name, role=role,
                  pin_hash=hash_pin(pin, pin_digits(policy, role)))
    session.add(staff)
    session.flush()
    return staff


def change_pin(session: Session, policy: Policy, actor: Actor, staff_no: str,
               new_pin: str) -> Staff:
    """A new PIN for ``staff_no``, meeting their role's policy: set by themselves (signed
    in with the PIN it replaces) or by an administrator, whose reset also lifts a
    lock-out."""
    bind_actor(session, actor)
    staff = staff_by_no(session, staff_no)
    own = staff.staff_no == actor.staff_no
    if not own and not policy.roles[actor.role].has(Privilege.ADMIN):
        raise AuthorityError(N_("only the staff member or an administrator may change a PIN"),
                             field="staff_id")
    staff.pin_hash = hash_pin(new_pin, pin_digits(policy, staff.role))
    if not own:
        staff.locked_until = None
        staff.failed_pins = 0
        staff.first_failed_at = None
    session.flush()
    return staff


def list_staff(session: Session) -> list[Staff]:
    return list(session.scalars(select(Staff).order_by(Staff.staff_no)))
