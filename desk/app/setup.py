"""A store's first-time set-up and the settings every surface applies on opening it (the
unit of work no signed-in person can do yet: there is nobody to sign in), and a person's
own new PIN."""
from __future__ import annotations

from desk.policy import Policy
from desk.services import settings as store_settings
from desk.services.settings import StoreSettings


def needs_setup(store) -> bool:
    with store.read() as session:
        return store_settings.needs_setup(session)


def set_up(store, policy: Policy, **values: object) -> StoreSettings:
    """Settings and the first administrator, in one unit of work named "setup"."""
    with store.write(system="setup") as session:
        return store_settings.first_run(session, policy, **values)


def settings_of(store, policy: Policy) -> tuple[StoreSettings, Policy]:
    """The store's saved settings and the policy with them applied (name, currency, language)."""
    with store.read() as session:
        saved = store_settings.get_settings(session)
    return saved, store_settings.apply_to_policy(policy, saved)


def change_pin(store, policy: Policy, actor, staff_no: str, new_pin: str) -> None:
    """A new PIN for ``staff_no`` (their own, or anyone's by an administrator), checked
    against the PIN policy of their role, in one unit of work of ``actor``."""
    from desk.services.staff import change_pin as change
    with store.write(actor) as session:
        change(session, policy, actor, staff_no, new_pin)
