"""``desk backup``, ``desk restore``, ``desk audit verify|history`` and ``desk purge``."""
from __future__ import annotations

import sys
from pathlib import Path

from desk.commands.common import case_number
from desk.i18n import FIELD_LABELS, N_, _, format_datetime, format_number

FIELD_LABELS.setdefault("db", N_("store location"))


def register(sub) -> None:
    backup = sub.add_parser("backup", help=_("copy the store into a backup file"),
                            description=_("Copy the store with SQLite's online backup (desks may "
                                          "keep working) and verify the copy. Without --out, "
                                          "make today's backup in the user data folder."))
    backup.add_argument("action", nargs="?", choices=("drill",),
                        help=_("drill: restore the latest backup into a scratch store and "
                               "verify it (the live store is not touched)"))
    backup.add_argument("--out", type=Path, metavar="FILE", help=_("the backup file to write"))
    backup.add_argument("--from", dest="drill_from", type=Path, metavar="FILE",
                        help=_("with drill: the backup to drill with (default: the latest)"))
    backup.set_defaults(handler=backup_store)

    restore = sub.add_parser("restore", help=_("replace the store with a verified backup"),
                             description=_("Verify the backup, put the current store aside "
                                           "(renamed, never deleted) and put the backup in its "
                                           "place. Close Complaint Desk on every PC first."))
    restore.add_argument("file", type=Path, metavar="FILE", help=_("the backup file"))
    restore.set_defaults(handler=restore_store)

    audit = sub.add_parser("audit", help=_("the audit log of every change"))
    actions = audit.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help=_("check the audit log's chain and every record "
                                                 "against it"))
    verify.add_argument("--anchor", type=Path, action="append", default=[], metavar="BACKUP",
                        help=_("also check that the log still holds what this backup held"))
    verify.add_argument("--head", action="append", default=[], metavar="N:HASH",
                        help=_("also check that entry N still has this hash (a head printed on "
                               "a day close, a report or a day pack)"))
    verify.set_defaults(handler=verify_audit)
    head = actions.add_parser("head", help=_("print the audit log's head (entry number and "
                                             "hash) to write down or keep elsewhere"))
    head.set_defaults(handler=print_head)
    history = actions.add_parser("history", help=_("every change to one case"))
    history.add_argument("case_no", type=case_number)
    history.set_defaults(handler=case_history)

    purge = sub.add_parser("purge", help=_("anonymise cases past the retention period"),
                           description=_("Clear customer data and free text from finished cases "
                                         "received before DATE (default: the retention period "
                                         "from policy). Statistics stay."))
    from desk.commands.common import parse_day
    purge.add_argument("--before", type=parse_day, metavar="DATE",
                       help=_("a date like 2024-11-22"))
    purge.add_argument("--dry-run", action="store_true",
                       help=_("only count the cases that would be anonymised"))
    purge.set_defaults(handler=purge_cases)


def _admin(ctx):
    from desk.privileges import Privilege, require
    actor = ctx.actor()
    require(ctx.policy, actor, Privilege.ADMIN, field="staff_id")
    return actor


def backup_store(ctx) -> int:
    from desk.backup import backup_to, daily_backup, daily_name
    _admin(ctx)
    if ctx.args.action == "drill":
        return drill_backup(ctx)
    store = ctx.store
    if ctx.args.out:
        info = backup_to(store, ctx.args.out)
    else:
        path = daily_backup(store, ctx.policy)
        if path is None:
            from desk.backup import backup_folder
            print(_("today's backup already exists: {path}").format(
                path=backup_folder() / daily_name(store, _today(ctx))))
            return 0
        from desk.backup import verify_backup
        info = verify_backup(path)
    print(_("backup written and verified: {path} ({cases} cases, {entries} audit entries)")
          .format(path=info.path, cases=format_number(info.cases),
                  entries=format_number(info.audit_entries)))
    return 0


def drill_backup(ctx) -> int:
    from desk.backup_drill import drill
    report = drill(ctx.store, ctx.args.drill_from)
    print(_("drill with {path}: restored into a scratch store, {tables} tables, {cases} cases, "
            "{entries} audit entries").format(
                path=report.backup, tables=format_number(len(report.counts)),
                cases=format_number(report.counts.get("complaint_case", 0)),
                entries=format_number(report.audit_entries)))
    if report.differing:
        sys.stderr.write(_("drill failed: the restored store's counts differ from the backup's "
                           "in {tables}").format(tables=", ".join(report.differing)) + "\n")
    if report.audit_problem:
        sys.stderr.write(_("drill failed: {problem}").format(problem=report.audit_problem)
                         + "\n")
    if not report.ok:
        return 1
    print(_("drill passed: the backup restores and its audit log verifies"))
    return 0


def _today(ctx):
    from desk.model import utcnow
    return utcnow().astimezone(ctx.policy.tz).date()


def restore_store(ctx) -> int:
    from desk.backup import restore, verify_backup
    from desk.health import check_store, location_of
    from desk.store import resolve_url

    url = resolve_url(ctx.args.db, demo=ctx.args.demo)
    if not url.startswith("sqlite"):
        from desk.backup_files import BackupError
        from desk.errors import N_
        raise BackupError(N_("a store on a database server is restored on the server: stop "
                             "every desk, then run pg_restore --clean --if-exists --dbname "
                             "with the server's dump (see the reliability notes); desk "
                             "restore replaces SQLite stores only"), field="db")
    info = verify_backup(ctx.args.file)
    staff_no = folder = None
    if check_store(url) is None:
        # A working store may only be replaced by an administrator of that store; a missing
        # or damaged one can be restored by whoever is at the PC.
        staff_no = _admin(ctx).staff_no
        folder = ctx.policy.anchor_folder or None   # the restore is journalled there too
        ctx.close()
    from desk.backup import store_file
    aside = restore(store_file(url), ctx.args.file, staff_no=staff_no, anchor_folder=folder)
    print(_("restored {path} from {backup} ({cases} cases)").format(
        path=location_of(url), backup=info.path, cases=format_number(info.cases)))
    if aside:
        print(_("the previous store was kept as {path}").format(path=aside))
    return 0


def verify_audit(ctx) -> int:
    from desk import audit
    from desk.backup import verify_backup

    from desk.audit.anchor_check import check_folder, check_head
    from desk.audit.anchors import parse_head
    heads = [parse_head(text) for text in ctx.args.head]
    with ctx.store.read() as session:
        report = audit.verify(session)
        findings = list(report.findings)
        conn = session.connection()
        for head in heads:
            found = check_head(conn, head, _("the head {head}").format(head=head))
            if found:
                findings.append(found)
        if ctx.policy.anchor_folder:
            findings += check_folder(conn, ctx.policy.anchor_folder,
                                     _("the anchor folder {path}").format(
                                         path=ctx.policy.anchor_folder))
        for path in ctx.args.anchor:
            info = verify_backup(path)
            if info.audit_entries:
                found = audit.check_anchor(session, info.audit_entries, info.audit_head,
                                           str(path))
                if found:
                    findings.append(found)
    if findings:
        sys.stderr.write(_("audit log broken: {problem}").format(
            problem=findings[0].message) + "\n")
        if len(findings) > 1:
            sys.stderr.write(_("{count} problems in all; the first is shown").format(
                count=format_number(len(findings))) + "\n")
        return 1
    print(_("audit log intact: {entries} entries, {rows} records checked, last hash {head}")
          .format(entries=format_number(report.entries), rows=format_number(report.rows),
                  head=report.head[:16]))
    return 0


def print_head(ctx) -> int:
    from desk.audit.anchors import head_of
    with ctx.store.read() as session:
        head = head_of(session.connection())
    print(_("audit head: {head}").format(head=head.short if head else "0:" + "0" * 16))
    return 0


def case_history(ctx) -> int:
    from desk import audit
    from desk.privacy import can_see_personal

    actor = ctx.actor()
    see = can_see_personal(ctx.policy, actor)
    with ctx.store.read() as session:
        entries = audit.audit_history(session, ctx.args.case_no, see_personal=see)
    if not entries:
        from desk.errors import N_, NotFound
        raise NotFound(N_("no case numbered {value}"), field="case_no",
                       value=str(ctx.args.case_no)[:40])
    for entry in entries:
        who = f"{entry.staff_name} ({entry.staff_no})" if entry.staff_no else "-"
        print(f"#{entry.id}  {format_datetime(entry.at, ctx.policy.tz)}  {who}  "
              f"{audit.entity_label(entry.entity)} {entry.entity_key}  {entry.action}")
        for change in entry.changes:
            if change.removed:
                print("    " + _("{field}: (removed after the retention period)").format(
                    field=change.field))
            else:
                print(f"    {change.field}: {_show(change.before)} -> {_show(change.after)}")
    return 0


def _show(value) -> str:
    if value is None:
        return "-"
    text = str(value).replace("\n", " ")
    return text if len(text) <= 60 else text[:57] + "..."


def purge_cases(ctx) -> int:
    from desk.retention import purge

    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        report = purge(session, ctx.policy, actor, ctx.args.before, dry_run=ctx.args.dry_run)
    if report.dry_run:
        print(_("{count} finished cases received before {day} would be anonymised").format(
            count=format_number(report.cases), day=report.before.isoformat()))
    else:
        print(_("anonymised {count} cases received before {day}; the audit log records it")
              .format(count=format_number(report.cases), day=report.before.isoformat()))
    if report.still_open:
        print(_("{count} older cases are still being handled and were kept").format(
            count=format_number(report.still_open)))
    return 0
