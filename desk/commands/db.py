"""``desk db copy``: move a desk's store to another database, verified by counts and hashes."""
from __future__ import annotations

import os

from desk.commands.common import CliError
from desk.i18n import FIELD_LABELS, N_, _, format_number

FIELD_LABELS.setdefault("db", N_("store location"))


def register(sub) -> None:
    db = sub.add_parser("db", help=_("store maintenance: copy a store to another database"))
    actions = db.add_subparsers(dest="db_command", required=True, metavar="ACTION")
    copy = actions.add_parser(
        "copy", help=_("copy a store into an empty database and verify every table"),
        description=_("Copy every table into an empty store (for example a desk's SQLite file "
                      "to the shared PostgreSQL server) and compare row counts and SHA-256 "
                      "hashes on both sides. Stop the desks using the source first."))
    copy.add_argument("--from", dest="source", metavar="DB",
                      help=_("source store path or URL (default: --db, DESK_DB or this "
                             "desk's store)"))
    copy.add_argument("--to", dest="target", metavar="URL", required=True,
                      help=_("target URL, e.g. postgresql+psycopg://user@server/complaints"))
    copy.set_defaults(handler=copy_store)
    grant = actions.add_parser(
        "grant", help=_("let the desks' own database role read and add audit entries, never "
                        "rewrite them (PostgreSQL)"),
        description=_("Run with the owner's connection (--db): grants ROLE every table the "
                      "desks use, but on the audit log only reading, adding, and purging "
                      "personal values; a trigger refuses any rewrite even by the owner. "
                      "Then give the desks a connection as ROLE."))
    grant.add_argument("role", metavar="ROLE", help=_("an existing login role, not the owner"))
    grant.set_defaults(handler=grant_role)


def grant_role(ctx) -> int:
    from desk.audit.append_only import grant_app_role, install_guard, valid_role
    from desk.errors import N_, ValidationError
    from desk.privileges import Privilege, require
    actor = ctx.actor()
    require(ctx.policy, actor, Privilege.ADMIN, field="staff_id")
    if ctx.store.backend != "postgresql":
        raise ValidationError(N_("database roles exist on a PostgreSQL server only; a SQLite "
                                 "store is guarded by the anchor folder"), field="db")
    if not valid_role(ctx.args.role):
        raise ValidationError(N_("{value} is not a plain role name (small letters, digits, _)"),
                              field="role", value=ctx.args.role[:64])
    with ctx.store.engine.begin() as conn:
        install_guard(conn)
        statements = grant_app_role(conn, ctx.args.role)
    print(_("granted {role}: {count} statements; the audit log only grows").format(
        role=ctx.args.role, count=len(statements)))
    return 0


def copy_store(ctx) -> int:
    from desk.dbcopy import copy_store as copy
    from desk.dbcopy import shown
    from desk.store import resolve_url

    source = resolve_url(ctx.args.source or ctx.args.db, demo=ctx.args.demo)
    target = resolve_url(ctx.args.target)
    print(_("copying {source} to {target}").format(source=shown(source), target=shown(target)))

    def progress(table: str, rows: int) -> None:
        print(_("  copied {table}: {rows} rows").format(table=table, rows=format_number(rows)),
              flush=True)

    staff_no = ctx.args.as_staff or os.environ.get("DESK_AS")
    pin = ctx.args.pin or os.environ.get("DESK_PIN")
    if not staff_no or not pin:
        raise CliError(_("this command needs --as STAFF_ID and --pin PIN "
                         "(or DESK_AS and DESK_PIN)"))
    report = copy(source, target, staff_no=staff_no, pin=pin, progress=progress)
    for check in report.tables:
        print(_("  verified {table}: {rows} rows, SHA-256 {digest} on both sides").format(
            table=check.table, rows=format_number(check.source_rows),
            digest=check.source_sha256[:16]))
    print(_("copy verified: {tables} tables, {rows} rows").format(
        tables=len(report.tables), rows=format_number(report.rows)))
    return 0
