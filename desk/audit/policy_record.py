"""The store's own policy is audited like any row: each change names who made it (a staff
number, or the system when the store was created) and keeps the text before and after, so
``desk audit verify`` also catches a policy edited behind the program's back."""
from __future__ import annotations

from desk.audit.log import ENTITY_LABELS, Audited, register
from desk.i18n import N_
from desk.model import StorePolicy

ENTITY = "store_policy"

register(Audited(ENTITY, StorePolicy, "key"))
ENTITY_LABELS[ENTITY] = N_("store policy")
