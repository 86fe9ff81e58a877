"""After the case, from the command line: ``desk report day|week``, ``desk followup
list|call``, ``desk pause`` / ``desk resume``, ``desk rootcause`` and ``desk chargeback``."""
from __future__ import annotations

from pathlib import Path

from desk.commands.common import case_number, parse_day, print_json
from desk.errors import N_, ValidationError
from desk.i18n import _, format_datetime, format_money


def register(sub) -> None:
    report = sub.add_parser("report", help=_("day and week statistics as PDF, XLSX or CSV"))
    kinds = report.add_subparsers(dest="report_command", required=True, metavar="PERIOD")
    for name, text in (("day", _("one business day")),
                       ("week", _("the Monday-to-Sunday week holding the date"))):
        p = kinds.add_parser(name, help=text)
        p.add_argument("date", type=parse_day)
        p.add_argument("--desk")
        p.add_argument("--mall", help=_("one mall of a group (without it: every mall)"))
        p.add_argument("--out", type=Path, required=True,
                       help=_("a .pdf, .xlsx or .csv file (CSV: one file per table)"))
        p.set_defaults(handler=write_report, period=name)

    follow = sub.add_parser("followup", help=_("follow-up calls after resolution"))
    fa = follow.add_subparsers(dest="followup_command", required=True, metavar="ACTION")
    lst = fa.add_parser("list", help=_("the follow-up queue"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    lst.set_defaults(handler=list_follow_ups)
    call = fa.add_parser("call", help=_("record a follow-up call or attempt"))
    call.add_argument("case_no", type=case_number)
    got = call.add_mutually_exclusive_group(required=True)
    got.add_argument("--reached", action="store_true")
    got.add_argument("--not-reached", action="store_true")
    call.add_argument("--satisfaction", type=int, choices=range(1, 6))
    call.add_argument("--comment", default="")
    call.add_argument("--text-sent", action="store_true")
    call.set_defaults(handler=record_call)

    pause = sub.add_parser("pause", help=_("wait on the customer or a tenant (stops the clock)"))
    pause.add_argument("case_no", type=case_number)
    pause.add_argument("--on", dest="waiting_on", choices=("customer", "tenant"), required=True)
    pause.add_argument("--reason", required=True)
    pause.set_defaults(handler=pause_case)
    resume = sub.add_parser("resume", help=_("carry on with a waiting case (restarts the clock)"))
    resume.add_argument("case_no", type=case_number)
    resume.add_argument("--note", default="")
    resume.set_defaults(handler=resume_case)

    rc = sub.add_parser("rootcause", help=_("root-cause records for recurring or ★★★ cases"))
    ra = rc.add_subparsers(dest="rootcause_command", required=True, metavar="ACTION")
    op = ra.add_parser("open", help=_("open a record for one or more cases"))
    op.add_argument("case_no", nargs="+", type=case_number)
    op.add_argument("--title", required=True)
    op.add_argument("--problem", required=True)
    op.add_argument("--team", default="")
    op.set_defaults(handler=open_root_cause)
    up = ra.add_parser("update", help=_("write containment, root cause, fix, verification, "
                                        "prevention"))
    up.add_argument("id", type=int)
    for field in ("title", "team", "problem", "containment", "root_cause", "permanent_fix",
                  "verification", "prevention"):
        up.add_argument("--" + field.replace("_", "-"), dest=field)
    up.set_defaults(handler=update_root_cause)
    ver = ra.add_parser("verify", help=_("mark a complete record verified"))
    ver.add_argument("id", type=int)
    ver.set_defaults(handler=verify_root_cause)
    rl = ra.add_parser("list", help=_("list records"))
    rl.add_argument("--open", action="store_true", help=_("only those not verified"))
    rl.set_defaults(handler=list_root_causes)

    cb = sub.add_parser("chargeback", help=_("amounts to recover from tenants"))
    ca = cb.add_subparsers(dest="chargeback_command", required=True, metavar="ACTION")
    add = ca.add_parser("add", help=_("record an amount to recover for a case"))
    add.add_argument("case_no", type=case_number)
    add.add_argument("amount")
    add.add_argument("--reason", default="")
    add.set_defaults(handler=add_chargeback)
    settle = ca.add_parser("settle", help=_("mark a chargeback recovered"))
    settle.add_argument("id", type=int)
    settle.add_argument("--note", default="")
    settle.set_defaults(handler=settle_chargeback)
    cl = ca.add_parser("list", help=_("list chargebacks"))
    cl.add_argument("--open", action="store_true", help=_("only those not settled"))
    cl.set_defaults(handler=list_chargebacks)


def _reporter(ctx):
    from desk.privileges import Privilege, require
    actor = ctx.actor()
    require(ctx.policy, actor, Privilege.REPORTS)
    return actor


def write_report(ctx) -> int:
    from desk.app.review import StoreReview
    review = StoreReview(ctx.store, ctx.policy, _reporter(ctx))
    for path in review.write_report(ctx.args.period, ctx.args.date, ctx.args.desk,
                                    ctx.args.out, mall=ctx.args.mall):
        print(_("wrote {path}").format(path=path))
    return 0


def list_follow_ups(ctx) -> int:
    from desk.followup import follow_up_queue
    from desk.privacy import rows_for_viewer
    viewer = ctx.actor(required=False)   # no --as: phone numbers masked
    with ctx.store.read() as session:
        rows = rows_for_viewer(follow_up_queue(session, ctx.policy), ctx.policy, viewer)
    tz = ctx.policy.tz
    if ctx.args.json:
        print_json([{"case_no": r.case_no, "customer": r.customer_name, "phone": r.customer_phone,
                     "due": r.due.isoformat(), "overdue": r.overdue, "calls": r.state.calls,
                     "counted": r.state.counted, "text_due": r.state.text_due,
                     "next": r.needs(tz)} for r in rows])
        return 0
    for r in rows:
        mark = "!" if r.overdue else " "
        print("\t".join([mark + r.case_no, format_datetime(r.due, tz), r.customer_name,
                         r.customer_phone or "", r.handler, r.needs(tz)]))
    print(_("{count} follow-ups to do, {overdue} overdue").format(
        count=len(rows), overdue=sum(1 for r in rows if r.overdue)))
    return 0


def record_call(ctx) -> int:
    from desk.followup import record_call as record, state_label
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        state = record(session, ctx.policy, ctx.args.case_no, actor,
                       reached=bool(ctx.args.reached), satisfaction=ctx.args.satisfaction,
                       comment=ctx.args.comment, text_sent=ctx.args.text_sent)
    print(_("{case}: {state} ({calls} calls)").format(
        case=ctx.args.case_no.upper(), state=state_label(state.state), calls=state.calls))
    return 0


def pause_case(ctx) -> int:
    from desk.followup import pause
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        pause(session, ctx.policy, ctx.args.case_no, actor, ctx.args.waiting_on, ctx.args.reason)
    print(_("{case}: the resolution clock is stopped").format(case=ctx.args.case_no.upper()))
    return 0


def resume_case(ctx) -> int:
    from desk.followup import resume
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        case = resume(session, ctx.policy, ctx.args.case_no, actor, ctx.args.note)
        due = case.resolution_due
    print(_("{case}: to be resolved by {time}").format(
        case=ctx.args.case_no.upper(), time=format_datetime(due, ctx.policy.tz)))
    return 0


def open_root_cause(ctx) -> int:
    from desk.corrective import open_root_cause as open_rc
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        record = open_rc(session, ctx.policy, actor, ctx.args.case_no, ctx.args.title,
                         ctx.args.problem, team=ctx.args.team)
        number = record.id
    print(_("root-cause record {id} opened").format(id=number))
    return 0


def update_root_cause(ctx) -> int:
    from desk.corrective import FIELD_LABELS, update_root_cause as update
    values = {k: getattr(ctx.args, k) for k in FIELD_LABELS if getattr(ctx.args, k) is not None}
    if not values:
        raise ValidationError(N_("give at least one field to write"), field="name")
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        update(session, ctx.policy, actor, ctx.args.id, **values)
    print(_("root-cause record {id} updated").format(id=ctx.args.id))
    return 0


def verify_root_cause(ctx) -> int:
    from desk.corrective import verify_root_cause as verify
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        verify(session, ctx.policy, actor, ctx.args.id)
    print(_("root-cause record {id} verified").format(id=ctx.args.id))
    return 0


def list_root_causes(ctx) -> int:
    from desk.corrective import FIELD_LABELS, root_causes
    with ctx.store.read() as session:
        rows = root_causes(session, open_only=ctx.args.open)
    for r in rows:
        state = (_("verified {time}").format(time=format_datetime(r.verified_at, ctx.policy.tz))
                 if r.verified_at else _("still to write: {fields}").format(
                     fields=", ".join(_(FIELD_LABELS[m]) for m in r.missing) or "-"))
        print(f"{r.id}\t{r.title}\t{', '.join(r.cases)}\t{state}")
    return 0


def add_chargeback(ctx) -> int:
    from desk.corrective import record_chargeback
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        row = record_chargeback(session, ctx.policy, actor, ctx.args.case_no, ctx.args.amount,
                                ctx.args.reason)
        text = _("chargeback {id}: {amount} to recover from {tenant}").format(
            id=row.id, amount=format_money(row.amount, ctx.policy.currency), tenant=row.tenant)
    print(text)
    return 0


def settle_chargeback(ctx) -> int:
    from desk.corrective import settle_chargeback as settle
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        settle(session, ctx.policy, actor, ctx.args.id, ctx.args.note)
    print(_("chargeback {id} settled").format(id=ctx.args.id))
    return 0


def list_chargebacks(ctx) -> int:
    from desk.corrective import chargebacks
    with ctx.store.read() as session:
        rows = chargebacks(session, open_only=ctx.args.open)
    for r in rows:
        state = (_("settled {time}").format(time=format_datetime(r.settled_at, ctx.policy.tz))
                 if r.settled_at else _("outstanding"))
        print("\t".join([str(r.id), r.tenant, r.case_no,
                         format_money(r.amount, ctx.policy.currency), state]))
    return 0
