"""Which values of an audited row to believe: the row as stored, or, where it was edited
behind the program's back, its last audit entry (the store's policy and lexicon)."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from desk.audit.row_check import changed_outside, logged_state
from desk.errors import PolicyError

log = logging.getLogger("desk.security")


def logged_if_edited(session: Session, row: object, *, never_logged: str,
                     warning: str) -> dict | None:
    """None when ``row`` is as the program last wrote it; otherwise the values its last
    audit entry recorded, which the caller uses instead (``warning`` goes to the security
    log). A row the log never recorded has nothing to believe: ``never_logged`` (a msgid)
    is raised as a PolicyError."""
    if not changed_outside(session, row):
        return None
    logged = logged_state(session, row)
    if logged is None:
        raise PolicyError(never_logged)
    log.warning(warning)
    return logged


def believed_values(session: Session, row: object, names: Iterable[str], *,
                    never_logged: str, warning: str) -> dict[str, object]:
    """The columns ``names`` of ``row`` as the program last wrote them: the row's own, or
    those of its last audit entry when the row was edited outside (see ``logged_if_edited``);
    the entry's instants (ISO text) and numbers come back as the row's column reads them."""
    logged = logged_if_edited(session, row, never_logged=never_logged, warning=warning)
    if logged is None:
        return {name: getattr(row, name) for name in names}
    return {name: _like(getattr(row, name), logged.get(name)) for name in names}


def _like(stored: object, value: object) -> object:
    """``value`` (as the audit entry's JSON holds it) in the type the row's column reads as."""
    if value is None or stored is None or isinstance(value, type(stored)):
        return value
    if isinstance(stored, datetime):
        return datetime.fromisoformat(str(value))
    return type(stored)(value)
