"""The store's lexicon is audited like its policy: each change names who made it (a staff
number, or the system when the store was seeded) and keeps the row before and after (text,
SHA-256 and version), so ``desk audit verify`` also catches a lexicon edited behind the
program's back."""
from __future__ import annotations

from desk.audit.log import ENTITY_LABELS, Audited, register
from desk.i18n import N_
from desk.model import StoreLexicon

ENTITY = "store_lexicon"

register(Audited(ENTITY, StoreLexicon, "key"))
ENTITY_LABELS[ENTITY] = N_("store lexicon")
