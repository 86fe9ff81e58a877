"""A case's history for the screen: every logged change to a case and its parts, with the
fields that changed, purged values marked and personal ones masked on request."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.audit.canonical import _is_purged, _is_salted
from desk.audit.log import LOG
from desk.model import Staff


@dataclass(frozen=True)
class Change:
    field: str
    before: Any
    after: Any
    removed: bool = False     # a purged value: it existed but is no longer kept


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    staff_no: str | None
    staff_name: str | None
    entity: str
    entity_key: str
    action: str
    changes: tuple[Change, ...]


NOISE = frozenset({"version", "updated_at", "id", "case_id"})
MASKED = {"customer_phone": "phone", "customer_member_no": "member",
          "customer_address": "address", "customer_email": "email"}
RECIPIENT = frozenset({"reply", "outbox"})   # where a written reply went: the customer's contact


def audit_history(session: Session, case_no: str, *, see_personal: bool = True
                  ) -> list[HistoryEntry]:
    """Every logged change to a case and its parts, oldest first. Without ``see_personal``
    phone, member number, address and e-mail (a reply's recipient too) are masked (see
    ``desk.privacy``)."""
    from desk import privacy

    names = dict(session.execute(select(Staff.staff_no, Staff.name)).all())
    rows = session.execute(select(LOG).where(LOG.c.case_no == str(case_no).strip().upper())
                           .order_by(LOG.c.id)).all()
    result = []
    for row in rows:
        before = json.loads(row.before) if row.before else {}
        after = json.loads(row.after) if row.after else {}
        changes = []
        for name in sorted(set(before) | set(after)):
            if name in NOISE:
                continue
            old, new = before.get(name), after.get(name)
            removed = _is_purged(old) or _is_purged(new)
            old = None if _is_purged(old) else (old["$v"] if _is_salted(old) else old)
            new = None if _is_purged(new) else (new["$v"] if _is_salted(new) else new)
            if row.action == "update" and old == new and not removed:
                continue
            if row.action != "update" and old is None and new is None and not removed:
                continue
            if not see_personal and name in MASKED:
                old, new = privacy.mask(MASKED[name], old), privacy.mask(MASKED[name], new)
            elif not see_personal and name == "recipient" and row.entity in RECIPIENT:
                channel = _plain(after.get("channel", before.get("channel")))
                old, new = (privacy.mask_recipient(channel, old),
                            privacy.mask_recipient(channel, new))
            changes.append(Change(name, old, new, removed))
        result.append(HistoryEntry(row.id, row.at, row.staff_no, names.get(row.staff_no),
                                   row.entity, row.entity_key, row.action, tuple(changes)))
    return result


def _plain(value: Any) -> Any:
    return value["$v"] if _is_salted(value) else value
