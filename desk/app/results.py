"""What the application layer's use cases hand back beyond frozen rows (kept free of the store's
modules, so a screen can name them before the store has opened)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from desk.views import CaseDetail


@dataclass(frozen=True)
class Offered:
    """What ``make_offer`` recorded, as the picker reports it."""

    seq: int
    approval: str
    detail: CaseDetail
