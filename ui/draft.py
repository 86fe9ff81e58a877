"""The intake draft on disk: written every few seconds, offered back after a crash."""
from __future__ import annotations

import json
import logging
import os
from datetime import datetime, timezone
from pathlib import Path

from desk.paths import user_data_dir

log = logging.getLogger(__name__)


def default_draft_path() -> Path:
    return user_data_dir() / "drafts" / "intake-draft.json"


class DraftStore:
    """One JSON file; written atomically (temp file, then replace) so a power cut mid-write
    leaves the previous draft intact."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_draft_path()

    def save(self, values: dict) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"saved_at": datetime.now(timezone.utc).isoformat(), "values": values}
        temp = self.path.with_suffix(".tmp")
        with temp.open("w", encoding="utf-8") as fh:
            json.dump(payload, fh, ensure_ascii=False, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        temp.replace(self.path)

    def load(self) -> dict | None:
        """The saved values, or None when there is no usable draft."""
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log.warning("draft %s unreadable: %s", self.path, exc)
            return None
        values = payload.get("values") if isinstance(payload, dict) else None
        return values if isinstance(values, dict) and any(values.values()) else None

    def saved_at(self) -> datetime | None:
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
            return datetime.fromisoformat(payload["saved_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def clear(self) -> None:
        try:
            self.path.unlink()
        except FileNotFoundError:
            pass
