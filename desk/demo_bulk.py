"""The demo's bulk writer: a million cases' rows inserted in batches without the services
(SQLite without per-value type processing), then indexed for search and numbered."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timezone
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite

from desk import search_index
from desk.model import Case, CaseSequence, Offer, StatusChange, StepRecord
from desk.store import sync_id_sequences


class Batch:
    """Rows of many demo cases, written in one unit of work of the system ("demo")."""

    def __init__(self) -> None:
        self.rows: dict[type, list[dict]] = defaultdict(list)

    @property
    def size(self) -> int:
        return sum(len(v) for v in self.rows.values())

    def flush(self, store, seq_dirty: dict) -> None:
        """Write the rows and the case numbers used (``seq_dirty``: (desk, day) -> last),
        then start empty."""
        with store.write(system="demo") as session:
            conn = session.connection()
            dialect = conn.dialect.name
            for table in (Case, StepRecord, Offer, StatusChange):
                rows = self.rows[table]
                if not rows:
                    continue
                if dialect == "sqlite":
                    _sqlite_bulk(conn, table.__table__, rows)
                else:
                    conn.execute(insert(table.__table__), rows)
            sync_id_sequences(conn, [t.__table__ for t in (Case, StepRecord, Offer, StatusChange)])
            # Bulk rows bypass the session's flush, so they are indexed here.
            search_index.refresh(conn, [row["id"] for row in self.rows[Case]])
            ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(CaseSequence)
            for (desk, day), last in seq_dirty.items():
                stmt = ins.values(desk=desk, day=day, last=last).on_conflict_do_update(
                    index_elements=[CaseSequence.desk, CaseSequence.day], set_={"last": last})
                conn.execute(stmt)
        seq_dirty.clear()
        self.rows.clear()


def _sqlite_bulk(conn, table, rows: list[dict]) -> None:
    """Bulk insert on SQLite without per-value type processing (10x faster for a million
    cases); values are stored exactly as SQLAlchemy's SQLite types store them."""
    # A column the generator does not fill and the store defaults (a row's provenance) is
    # left to the store.
    columns = [c.name for c in table.columns
               if c.server_default is None or any(c.name in row for row in rows)]
    sql = (f"INSERT INTO {table.name} ({', '.join(columns)}) "
           f"VALUES ({', '.join('?' * len(columns))})")
    conn.exec_driver_sql(sql, [tuple(_sqlite_value(row.get(c)) for c in columns) for row in rows])


def _sqlite_value(value):
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list):
        return json.dumps(value)
    if isinstance(value, bool):
        return int(value)
    return value


__all__ = ["Batch"]
