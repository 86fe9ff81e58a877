"""Store-wide settings chosen at first run (mall name, desk letter, currency, language), kept
in the ``setting`` table, and the first-run set-up that creates the first administrator."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from babel.numbers import UnknownCurrencyError, get_currency_name
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from desk.enums import Privilege
from desk.errors import N_, AuthorityError, ValidationError
from desk.i18n import LOCALES
from desk.model import Setting, Staff
from desk.policy import Policy
from desk.services import numbering, validate
from desk.services.auth import Actor
from desk.services.staff import add_staff
from desk.uow import bind_actor

KEYS = ("mall_name", "desk", "currency", "locale")
CURRENCIES = ("TWD", "HKD", "CNY", "MOP", "USD")


@dataclass(frozen=True)
class StoreSettings:
    """What the store says about itself; ``None`` means "as the policy file says"."""

    mall_name: str | None = None
    desk: str | None = None
    currency: str | None = None
    locale: str | None = None


def needs_setup(session: Session) -> bool:
    """A store with no staff at all has not been set up yet."""
    return not session.scalar(select(exists().where(Staff.id.is_not(None))))


def get_settings(session: Session) -> StoreSettings:
    values = {row.key: row.value for row in session.scalars(select(Setting))}
    return StoreSettings(**{k: values.get(k) or None for k in KEYS})


def _check(values: dict) -> dict:
    checked = {}
    for key, value in values.items():
        if key not in KEYS:
            raise ValidationError(N_("{value} is not one of: {allowed}"), field="name",
                                  value=str(key)[:40], allowed=", ".join(KEYS))
        if value is None:
            continue
        if key == "mall_name":
            checked[key] = validate.text(value, "name", max_len=100)
        elif key == "desk":
            checked[key] = numbering.check_desk(str(value).strip().upper())
        elif key == "currency":
            code = str(value).strip().upper()
            try:
                get_currency_name(code, locale="en")
            except UnknownCurrencyError:
                raise ValidationError(N_("unknown currency code {value}"), field="amount",
                                      value=code[:10]) from None
            checked[key] = code
        elif key == "locale":
            if value not in LOCALES:
                raise ValidationError(N_("{value} is not one of: {allowed}"), field="name",
                                      value=str(value)[:10], allowed=", ".join(LOCALES))
            checked[key] = value
    return checked


def save_settings(session: Session, policy: Policy, actor: Actor | None, **values: object
                  ) -> StoreSettings:
    """Change store-wide settings; once set up, only an administrator may."""
    if actor is not None:
        bind_actor(session, actor)
    if not needs_setup(session):
        if actor is None or not policy.roles[actor.role].has(Privilege.ADMIN):
            raise AuthorityError(N_("only an administrator may change the store's settings"),
                                 field="name")
    for key, value in _check(values).items():
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    session.flush()
    return get_settings(session)


def admin_roles(policy: Policy) -> list[str]:
    """Roles that may administer the store, lowest first (the set-up dialog's choices)."""
    return [r.key for r in policy.roles_by_rank() if r.has(Privilege.ADMIN)]


def first_run(session: Session, policy: Policy, *, mall_name: str, desk: str, currency: str,
              locale: str, admin_no: str, admin_name: str, pin: str,
              admin_role: str | None = None) -> StoreSettings:
    """Set up a new store: its settings and the first administrator, in one unit of work."""
    if not needs_setup(session):
        raise ValidationError(N_("this store is already set up"), field="staff_id")
    roles = admin_roles(policy)
    role = admin_role or (roles[0] if roles else policy.top_role.key)
    if role not in roles:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="role",
                              value=str(role)[:40], allowed=", ".join(roles))
    checked = _check(dict(mall_name=mall_name, desk=desk, currency=currency, locale=locale))
    for key in KEYS:
        if key not in checked:
            raise ValidationError(N_("is required"), field="name" if key == "mall_name" else key)
    add_staff(session, policy, admin_no, admin_name, role, pin)
    for key, value in checked.items():
        session.add(Setting(key=key, value=value))
    session.flush()
    return get_settings(session)


def apply_to_policy(policy: Policy, settings: StoreSettings) -> Policy:
    """The policy as this store runs it: the store's name, currency and language win."""
    changes = {k: v for k, v in (("mall_name", settings.mall_name),
                                 ("currency", settings.currency),
                                 ("locale", settings.locale)) if v}
    return dataclasses.replace(policy, **changes) if changes else policy
