"""The policy in force, logged whenever it differs from the last one logged."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.audit.canonical import _stored, plain
from desk.audit.chain import log_event
from desk.audit.log import LOG


def policy_state(policy) -> dict:
    """The policy as plain values; file locations relative to the resources folder, so PCs
    with different install folders agree."""
    from dataclasses import fields as dc_fields

    from desk.paths import resources_dir

    def rel(path):
        if path is None:
            return None
        try:
            return path.relative_to(resources_dir()).as_posix()
        except ValueError:
            return path.name

    out = {}
    for f in dc_fields(policy):
        if f.name == "source":
            continue
        value = getattr(policy, f.name)
        if f.name in ("font", "logo"):
            value = rel(value)
        elif isinstance(value, dict):
            value = {str(k): _dataclass_plain(v) for k, v in value.items()}
        out[f.name] = plain(value)
    return out


def _dataclass_plain(value: Any) -> Any:
    from dataclasses import asdict, is_dataclass
    if is_dataclass(value):
        return {k: (sorted(v) if isinstance(v, (set, frozenset)) else plain(v))
                for k, v in asdict(value).items()}
    return plain(value)


def record_policy(session: Session, policy, staff_no: str | None = None) -> bool:
    """Log the policy when it differs from the last one logged (an edited policy file takes
    effect at the next start). Returns True when an entry was written."""
    state = policy_state(policy)
    last = session.connection().execute(
        select(LOG.c.after).where(LOG.c.entity == "policy", LOG.c.entity_key == "policy")
        .order_by(LOG.c.id.desc()).limit(1)).scalar()
    before = json.loads(last) if last else None
    if before == json.loads(_stored(state)):
        return False
    log_event(session, "policy", "policy", "update" if before else "insert", before=before,
              after=state, staff_no=staff_no)
    return True
