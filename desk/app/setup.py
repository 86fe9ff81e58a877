"""A store's first-time set-up and the settings every surface applies on opening it: the
unit of work no signed-in person can do yet (there is nobody to sign in)."""
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
