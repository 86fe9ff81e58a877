"""On PostgreSQL the audit log only grows: a trigger refuses DELETE, TRUNCATE and any UPDATE
but a purge's (``before``/``after`` only, which the entry hash still checks), and
``grant_app_role`` gives the program's own database role nothing more than reading, adding
and purging entries, so a stolen desk password cannot rewrite or cut the chain."""
from __future__ import annotations

import re

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

_FUNCTION = """
CREATE OR REPLACE FUNCTION desk_audit_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.at = OLD.at
     AND NEW.staff_no IS NOT DISTINCT FROM OLD.staff_no AND NEW.entity = OLD.entity
     AND NEW.entity_key = OLD.entity_key AND NEW.case_no IS NOT DISTINCT FROM OLD.case_no
     AND NEW.action = OLD.action AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit log only grows: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END $$ LANGUAGE plpgsql
"""
_TRIGGERS = (
    "CREATE TRIGGER desk_audit_append_only BEFORE UPDATE OR DELETE ON audit_log "
    "FOR EACH ROW EXECUTE FUNCTION desk_audit_append_only()",
    "CREATE TRIGGER desk_audit_no_truncate BEFORE TRUNCATE ON audit_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION desk_audit_append_only()",
)
_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def install_guard(conn: Connection) -> None:
    """The trigger (PostgreSQL only; a SQLite file is guarded by anchors kept elsewhere)."""
    if conn.dialect.name != "postgresql":
        return
    remove_guard(conn)
    conn.execute(text(_FUNCTION))
    for statement in _TRIGGERS:
        conn.execute(text(statement))


def remove_guard(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text("DROP TRIGGER IF EXISTS desk_audit_append_only ON audit_log"))
    conn.execute(text("DROP TRIGGER IF EXISTS desk_audit_no_truncate ON audit_log"))
    conn.execute(text("DROP FUNCTION IF EXISTS desk_audit_append_only()"))


def valid_role(role: str) -> bool:
    return bool(_ROLE.match(role or ""))


def grant_app_role(conn: Connection, role: str) -> list[str]:
    """Grant ``role`` (an existing login role that is not the tables' owner) what the desks
    need: every table read and written, except the audit log (read, add, purge personal
    values) and the schema version (read). Returns the statements run. Run by the owner."""
    if conn.dialect.name != "postgresql":
        raise ValueError("database roles exist on PostgreSQL only")
    if not valid_role(role):
        raise ValueError(f"not a plain role name: {role!r}")
    statements = [f"GRANT USAGE ON SCHEMA public TO {role}"]
    for table in sorted(inspect(conn).get_table_names()):
        if table == "audit_log":
            statements += [f"REVOKE ALL ON audit_log FROM {role}",
                           f"GRANT SELECT, INSERT ON audit_log TO {role}",
                           f'GRANT UPDATE ("before", "after") ON audit_log TO {role}']
        elif table == "alembic_version":
            statements.append(f"GRANT SELECT ON alembic_version TO {role}")
        else:
            statements.append(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {role}")
    statements.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}")
    for statement in statements:
        conn.execute(text(statement))
    return statements
