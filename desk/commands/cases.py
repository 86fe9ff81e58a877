"""``desk case import|export|show`` and ``desk day``."""
from __future__ import annotations

import json
from pathlib import Path

from desk.commands.common import case_number, counter, parse_day, print_json
from desk.enums import ContentClass, Degree, Level, Status, channel_label, policy_label
from desk.i18n import _, format_datetime, format_money


def register(sub) -> None:
    case = sub.add_parser("case", help=_("import, export and show cases"))
    actions = case.add_subparsers(dest="case_command", required=True, metavar="ACTION")
    imp = actions.add_parser("import", help=_("import case documents (all or nothing)"))
    imp.add_argument("file", type=Path)
    imp.add_argument("--migrated", action="store_true",
                     help=_("bring the cases in as migrated history (needs the import "
                            "privilege); the people they name did not sign in for them"))
    imp.set_defaults(handler=import_cases)
    exp = actions.add_parser("export", help=_("write a case as a JSON document"))
    exp.add_argument("case_no", type=case_number)
    exp.add_argument("--out", type=Path, help=_("file to write (default: standard output)"))
    exp.set_defaults(handler=export_case)
    show = actions.add_parser("show", help=_("show one case"))
    show.add_argument("case_no", type=case_number)
    show.set_defaults(handler=show_case)
    from desk.commands.replies import register_case_actions
    register_case_actions(actions)   # tenant-notice
    from desk.commands.promises import register_case
    register_case(actions)
    day = sub.add_parser("day", help=_("list one day's cases"))
    day.add_argument("date", type=parse_day)
    day.add_argument("--desk")
    day.add_argument("--json", action="store_true", help=_("print JSON"))
    day.set_defaults(handler=list_day)


def import_cases(ctx) -> int:
    from desk.casedoc import read_documents
    from desk.casedoc_import import import_file
    docs = read_documents(ctx.args.file)
    importer = ctx.actor()   # others' actions in the file carry their own PINs
    done = import_file(ctx.store, ctx.policy, importer, docs, migrated=ctx.args.migrated)
    for item in done:
        print(item.case_no)
    print(_("imported {count} cases").format(count=len(done)))
    return 0


def export_case(ctx) -> int:
    from desk.casedoc import export_case as export
    from desk.privacy import document_mask
    mask = document_mask(ctx.policy, ctx.actor(required=False))   # no --as: masked
    with ctx.store.read() as session:
        doc = export(session, ctx.args.case_no, mask=mask)
    if ctx.args.out:
        ctx.args.out.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    else:
        print_json(doc)
    return 0


def show_case(ctx) -> int:
    # the door masks personal data for roles without the privilege (and with no --as)
    d = counter(ctx, ctx.actor(required=False)).detail(ctx.args.case_no)
    tz, cur = ctx.policy.tz, ctx.policy.currency
    lines = [
        f"{d.case_no}  {Status(d.status).label}  {Level(d.level).label}  {'★' * d.severity}",
        _("Received: {value}").format(value=format_datetime(d.received_at, tz)),
        _("Customer: {value}").format(value=" ".join(filter(None, [
            d.customer_name, d.customer_phone, d.customer_member_no, d.customer_address]))),
        _("Member tier: {value}").format(value=policy_label(d.customer_tier)),
        _("Category: {value}").format(value=policy_label(d.category)),
        _("Classification: {value}").format(value=" · ".join(
            e(v).label for e, v in ((ContentClass, d.content_class), (Degree, d.degree)) if v)
            or "-"),
        _("Subject: {value}").format(value=d.subject_name or d.subject_staff or "-"),
        _("Handler: {value}").format(value=d.handler),
        _("Complaint: {value}").format(value=d.complaint),
        _("Request: {value}").format(value=d.request or "-"),
    ]
    for step in d.steps:
        note = step.skipped_reason and _("skipped: {reason}").format(reason=step.skipped_reason)
        lines.append(f"  {format_datetime(step.done_at, tz)}  {step.step}  {note or step.note}")
    for o in d.offers:
        lines.append(f"  #{o.seq} {policy_label(o.kind)} {format_money(o.amount, cur)} "
                     f"[{o.approval}/{o.answer}]")
    for c in d.contacts:
        lines.append("  " + _("{time} contact by {channel} ({reached}): {said}; next reply "
                              "{promised}").format(
            time=format_datetime(c.at, tz), channel=channel_label(c.channel),
            reached=_("reached") if c.reached else _("not reached"), said=c.said,
            promised=format_datetime(c.promised_reply_at, tz) if c.promised_reply_at else "-"))
    if d.handling_result:
        lines.append(_("Result: {value}").format(value=d.handling_result))
    if d.migrated:
        lines.insert(1, _("Migrated history, imported by {name} on {date}: the people it names "
                          "did not sign for it in this store, and its offers count toward "
                          "nobody's authority.").format(name=d.migrated_by,
                                                        date=format_datetime(d.migrated_at, tz)))
    print("\n".join(lines))
    return 0


def list_day(ctx) -> int:
    from datetime import timedelta

    from desk.deadlines import label, sla_state
    from desk.model import utcnow
    rows = counter(ctx, ctx.actor(required=False)).day_cases(ctx.args.date, ctx.args.desk)
    now, soon = utcnow(), timedelta(hours=ctx.policy.due_soon_hours)
    states = [sla_state(r, now, soon).state for r in rows]
    if ctx.args.json:
        print_json([{"case_no": r.case_no, "received_at": r.received_at.isoformat(),
                     "status": r.status, "level": r.level, "severity": r.severity,
                     "category": r.category, "customer": r.customer_name,
                     "phone": r.customer_phone, "handler": r.handler, "total": str(r.total),
                     "sla": state} for r, state in zip(rows, states)])
        return 0
    tz, cur = ctx.policy.tz, ctx.policy.currency
    for r, state in zip(rows, states):
        print("\t".join([r.case_no, format_datetime(r.received_at, tz), Status(r.status).label,
                         label(state), "★" * r.severity, r.customer_name,
                         r.customer_phone or "", format_money(r.total, cur), r.summary]))
    print(_("{count} cases").format(count=len(rows)))
    return 0

