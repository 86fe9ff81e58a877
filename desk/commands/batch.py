"""``desk batch list|show|confirm|dismiss|notice``: the watch-list of batch complaints."""
from __future__ import annotations

import argparse
from pathlib import Path

from desk.commands.common import print_json
from desk.i18n import LOCALES, _, format_datetime


def register(sub) -> None:
    batch = sub.add_parser("batch", help=_("batch complaints: the watch-list, decisions, "
                                           "the notice"))
    actions = batch.add_subparsers(dest="batch_command", required=True, metavar="ACTION")
    lst = actions.add_parser("list", help=_("the watch-list: open and confirmed batches"))
    lst.add_argument("--all", action="store_true", help=_("dismissed batches too"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    lst.set_defaults(handler=list_batches)
    show = actions.add_parser("show", help=_("one batch and its cases"))
    show.add_argument("batch_no")
    show.set_defaults(handler=show_batch)
    for name, helptext in (("confirm", _("confirm a batch complaint, with a reason")),
                           ("dismiss", _("dismiss a batch complaint, with a reason"))):
        cmd = actions.add_parser(name, help=helptext)
        cmd.add_argument("batch_no")
        cmd.add_argument("--reason", required=True)
        cmd.set_defaults(handler=decide_batch, decision=name)
    notice = actions.add_parser("notice", help=_("the one-page batch notice as PDF"))
    notice.add_argument("batch_no")
    notice.add_argument("-o", "--out", type=Path, required=True, metavar="FILE.pdf",
                        help=_("PDF file to write"))
    notice.add_argument("--locale", dest="form_locale", choices=LOCALES,
                        help=_("language of the notice (default: the current language)"))
    notice.set_defaults(handler=write_notice)
    for cmd in (lst, show, notice, *[actions.choices[n] for n in ("confirm", "dismiss")]):
        # also after the action, as the rest of the line reads; SUPPRESS keeps the global one
        cmd.add_argument("--as", dest="as_staff", metavar="STAFF_ID", default=argparse.SUPPRESS,
                         help=_("act as this staff member"))
        cmd.add_argument("--pin", default=argparse.SUPPRESS, help=_("the acting staff member's PIN"))


def _door(ctx):
    from desk.app.batches import Batches
    return Batches(ctx.store, ctx.policy, ctx.actor())


def _state(status: str) -> str:
    from desk.batch_model import STATUS_LABELS
    return _(STATUS_LABELS.get(status, status))


def list_batches(ctx) -> int:
    rows = _door(ctx).watch_list(include_decided=ctx.args.all)
    tz = ctx.policy.tz
    if ctx.args.json:
        print_json([{"batch_no": r.batch_no, "status": r.status, "topic": r.topic,
                     "customers": r.customers, "cases": r.cases,
                     "found_at": r.found_at.isoformat()} for r in rows])
        return 0
    for r in rows:
        print("\t".join([r.batch_no, _state(r.status), format_datetime(r.found_at, tz),
                         _("{count} customers").format(count=r.customers), r.topic]))
    print(_("{count} batches").format(count=len(rows)))
    return 0


def show_batch(ctx) -> int:
    from desk.enums import Level, Status
    d = _door(ctx).detail(ctx.args.batch_no)
    b, tz = d.batch, ctx.policy.tz
    print(f"{b.batch_no}  {_state(b.status)}  {b.topic}")
    print(_("{customers} customers, {cases} cases, received {first} – {last}").format(
        customers=b.customers, cases=b.cases, first=format_datetime(b.first_received, tz),
        last=format_datetime(b.last_received, tz)))
    if b.decided_by:
        print(_("Decided by {name} on {time}: {reason}").format(
            name=b.decided_by, time=format_datetime(b.decided_at, tz), reason=b.decision_reason))
    for m in d.members:
        print("\t".join([m.case_no, format_datetime(m.received_at, tz), m.customer_name,
                         Status(m.status).label, Level(m.level).label, "★" * m.severity,
                         m.complaint[:40]]))
    return 0


def decide_batch(ctx) -> int:
    door = _door(ctx)
    call = door.confirm if ctx.args.decision == "confirm" else door.dismiss
    d = call(ctx.args.batch_no, ctx.args.reason)
    print(f"{d.batch.batch_no}  {_state(d.batch.status)}")
    return 0


def write_notice(ctx) -> int:
    from desk.commands.printing import _write_atomically
    from desk.i18n import get_locale
    pdf = _door(ctx).notice_pdf(ctx.args.batch_no, locale=ctx.args.form_locale or get_locale())
    _write_atomically(ctx.args.out, pdf)
    print(_("wrote {path} ({size} KB)").format(path=ctx.args.out, size=max(1, len(pdf) // 1024)))
    return 0
