"""A baseline for stores made before the log existed, and for rows written in bulk past the
ORM: one entry per row not yet logged, so the row check has a start."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.engine import Connection

from desk.audit.canonical import _salt, row_state
from desk.audit.chain import _append, _Item
from desk.audit.log import AUDITED, LOG, _discover
from desk.model import Case


def baseline(conn: Connection, *, action: str = "baseline", staff_no: str | None = None,
             only_unlogged: bool = False, entities: frozenset[str] | None = None) -> int:
    """Log every existing row once (action ``baseline``), so the row check has a start.
    With ``only_unlogged`` (action e.g. ``bulk``), log just the rows that have no entry yet:
    for data written in bulk past the ORM, such as demo data. ``entities`` limits it to the
    tables that became audited (a migration starting to audit a table that had rows)."""
    from sqlalchemy import inspect as inspect_db
    present = set(inspect_db(conn).get_table_names())
    logged = set()
    if only_unlogged and LOG.name in present:
        logged = {tuple(r) for r in conn.execute(select(LOG.c.entity, LOG.c.entity_key).distinct())}
    items = []
    _discover()
    for spec in list(AUDITED.values()):
        table = spec.model.__table__
        if table.name not in present or (entities is not None and spec.entity not in entities):
            continue
        names = {c["name"] for c in inspect_db(conn).get_columns(table.name)}
        columns = [c for c in table.columns if c.name in names]
        case_nos = {}
        if spec.case_id and spec.model is not Case:
            case_nos = dict(conn.execute(select(Case.id, Case.case_no)).all())
        for row in conn.execute(select(*columns).order_by(*table.primary_key.columns)).mappings():
            state = row_state(spec, dict(row))
            case_no = (state.get("case_no") if spec.model is Case
                       else case_nos.get(state.get(spec.case_id)) if spec.case_id else None)
            key = spec.key_of(state)
            if (spec.entity, key) in logged:
                continue
            items.append(_Item(spec.entity, key, case_no, action, None, _salt(spec, state)))
    _append(conn, staff_no, items)
    return len(items)
