"""Which values of an audited row to believe: the row as stored, or, where it was edited
behind the program's back, its last audit entry (the store's policy and lexicon)."""
from __future__ import annotations

import logging

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
