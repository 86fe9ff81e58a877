"""The approvals queue from the command line: ``desk approval list`` and ``desk approval
decide``, both for a signed-in person (``--as`` and ``--pin``)."""
from __future__ import annotations

from desk.commands.common import case_number, print_json
from desk.enums import policy_label
from desk.i18n import _, format_datetime, format_money


def register(sub) -> None:
    approval = sub.add_parser("approval", help=_("offers waiting for a supervisor's approval"))
    actions = approval.add_subparsers(dest="approval_command", required=True,
                                      metavar="ACTION")
    lst = actions.add_parser("list", help=_("the offers you could approve or refuse"))
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    lst.set_defaults(handler=list_approvals)
    dec = actions.add_parser("decide", help=_("approve or refuse one pending offer"))
    dec.add_argument("case_no", type=case_number)
    dec.add_argument("seq", metavar="OFFER", help=_("the offer's number on the case"))
    # Checked by desk (not by argparse) so a wrong word is one line naming the field.
    dec.add_argument("decision", metavar="approve|refuse")
    dec.add_argument("--note", default="", help=_("needed when refusing"))
    dec.set_defaults(handler=decide_approval)


def list_approvals(ctx) -> int:
    from desk.approvals import pending_approvals, waiting_text
    actor = ctx.actor()
    with ctx.store.read() as session:
        rows = pending_approvals(session, ctx.policy, actor)
    if ctx.args.json:
        print_json([{"case_no": r.case_no, "offer": r.seq, "desk": r.desk,
                     "received_at": r.received_at, "customer_name": r.customer_name,
                     "customer_phone": r.customer_phone, "kind": r.kind,
                     "amount": str(r.amount), "requested_by": r.requested_by_no,
                     "requested_at": r.requested_at,
                     "waiting_minutes": int(r.waiting.total_seconds() // 60),
                     "role_needed": r.role_needed} for r in rows])
        return 0
    tz, cur = ctx.policy.tz, ctx.policy.currency
    for r in rows:
        print("\t".join([r.case_no, str(r.seq), r.desk, format_datetime(r.received_at, tz),
                         r.customer_name, r.customer_phone or "", policy_label(r.kind),
                         format_money(r.amount, cur),
                         f"{r.requested_by} ({r.requested_by_no})",
                         format_datetime(r.requested_at, tz), waiting_text(r.waiting),
                         policy_label(r.role_needed) if r.role_needed else "—"]))
    print(_("{count} offers waiting for your decision").format(count=len(rows)))
    return 0


def decide_approval(ctx) -> int:
    from desk.approvals import APPROVE, decide
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        offer = decide(session, ctx.policy, ctx.args.case_no, ctx.args.seq, actor,
                       ctx.args.decision, ctx.args.note)
        case_no, seq = offer.case.case_no, offer.seq
    text = (_("{case} offer {seq}: approved by {name}") if ctx.args.decision == APPROVE
            else _("{case} offer {seq}: refused by {name}"))
    print(text.format(case=case_no, seq=seq, name=actor.name))
    return 0
