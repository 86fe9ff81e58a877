"""The one clock: the current time as an aware UTC datetime (screens and the store share it;
importing it loads nothing else)."""
from __future__ import annotations

from datetime import datetime, timezone


def utcnow() -> datetime:
    return datetime.now(timezone.utc)
