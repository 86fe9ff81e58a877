"""``desk finance queue|approve|return|resubmit|pay|signed|verify``: a cost's life from the
command line, and ``desk settlement check|sign|agreement`` and ``desk finding`` beside it.
Every action is done by the person signed in with ``--as`` and ``--pin``."""
from __future__ import annotations

from pathlib import Path

from desk.commands.common import CliError, print_json
from desk.enums import policy_label
from desk.i18n import _, format_datetime, format_money


def register(sub) -> None:
    fin = sub.add_parser("finance", help=_("costs waiting for finance: review, pay, signed for"))
    act = fin.add_subparsers(dest="finance_command", required=True, metavar="ACTION")
    queue = act.add_parser("queue", help=_("costs not yet signed for, oldest first"))
    queue.add_argument("--state", action="append", default=None,
                       help=_("only costs in this state (may be repeated)"))
    queue.add_argument("--json", action="store_true", help=_("print JSON"))
    queue.set_defaults(handler=show_queue)
    for name, helptext in (("approve", _("finance approves a cost for payment")),
                           ("return", _("finance returns a cost to the supervisor")),
                           ("resubmit", _("the supervisor sends a returned cost back")),
                           ("pay", _("finance pays an approved cost")),
                           ("signed", _("the recipient signed for a paid cost")),
                           ("verify", _("verify the overcharge of a double refund"))):
        cmd = act.add_parser(name, help=helptext)
        cmd.add_argument("case_no")
        cmd.add_argument("seq", metavar="OFFER", help=_("the offer's number on the case"))
        cmd.set_defaults(handler=do_step, step=name)
        if name in ("approve", "pay"):
            cmd.add_argument("--note", default="")
        if name in ("return", "resubmit"):
            cmd.add_argument("--note", "--reason", dest="note", default="",
                             help=_("why (required)"))
        if name == "pay":
            cmd.add_argument("--how", default="", metavar="cash|transfer|voucher|"
                             "account_credit|goods")
            cmd.add_argument("--refs", default="", help=_("voucher, serial or transfer "
                                                          "numbers, separated by commas"))
            cmd.add_argument("--amount", default=None, help=_("the amount paid (checked)"))
        if name == "signed":
            cmd.add_argument("--recipient", default="", help=_("who signed for it"))
        if name == "verify":
            cmd.add_argument("--evidence", default="", help=_("receipt or transaction number"))
            cmd.add_argument("--scan", type=Path, default=None, help=_("a scan of it"))

    settle = sub.add_parser("settlement", help=_("settlements the customer signs"))
    sact = settle.add_subparsers(dest="settlement_command", required=True, metavar="ACTION")
    check = sact.add_parser("check", help=_("whether the customer settled this matter before"))
    check.add_argument("case_no")
    check.set_defaults(handler=check_settled)
    agree = sact.add_parser("agreement", help=_("print the settlement agreement as PDF"))
    agree.add_argument("case_no")
    agree.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")
    agree.set_defaults(handler=print_agreement)
    sign = sact.add_parser("sign", help=_("record the signed agreement (a scan of the paper)"))
    sign.add_argument("case_no")
    sign.add_argument("--signer", required=True, help=_("the customer's name as signed"))
    sign.add_argument("--scan", type=Path, required=True, help=_("the scanned agreement"))
    sign.add_argument("--terms", default="")
    sign.set_defaults(handler=sign_settlement)

    finding = sub.add_parser("finding", help=_("name the staff member found at fault"))
    finding.add_argument("case_no")
    finding.add_argument("staff_id")
    finding.add_argument("--finding", required=True, help=_("what the supervisor found"))
    finding.set_defaults(handler=record_finding)


def _money(ctx):
    from desk.app.money import Money
    actor = ctx.actor()
    return Money(ctx.store, ctx.policy, lambda: actor)


def show_queue(ctx) -> int:
    from desk.costs import state_label
    rows = _money(ctx).queue(tuple(ctx.args.state) if ctx.args.state else None)
    if ctx.args.json:
        print_json([{"case_no": r.case_no, "offer": r.seq, "desk": r.desk,
                     "customer_name": r.customer_name, "customer_phone": r.customer_phone,
                     "kind": r.kind, "amount": str(r.amount), "state": r.state,
                     "requested_by": r.requested_by, "approved_by": r.approved_by,
                     "accepted_at": r.accepted_at, "overcharge": r.overcharge,
                     "verified": r.verified, "note": r.last_note} for r in rows])
        return 0
    tz, cur = ctx.policy.tz, ctx.policy.currency
    for r in rows:
        print("\t".join([r.case_no, str(r.seq), r.desk, r.customer_name,
                         r.customer_phone or "", policy_label(r.kind),
                         format_money(r.amount, cur), state_label(r.state),
                         format_datetime(r.accepted_at, tz) if r.accepted_at else "",
                         r.last_note]))
    print(_("{count} costs not yet signed for").format(count=len(rows)))
    return 0


def _read(path: Path | None) -> bytes | None:
    if path is None:
        return None
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CliError(_("cannot read {path}: {reason}").format(
            path=path, reason=exc.strerror or exc)) from None


def do_step(ctx) -> int:
    from desk.costs import state_label
    a, door = ctx.args, _money(ctx)
    if a.step == "approve":
        rows = door.approve(a.case_no, a.seq, a.note)
    elif a.step == "return":
        rows = door.return_(a.case_no, a.seq, a.note)
    elif a.step == "resubmit":
        rows = door.resubmit(a.case_no, a.seq, a.note)
    elif a.step == "pay":
        rows = door.pay(a.case_no, a.seq, a.how, a.refs, amount=a.amount, note=a.note)
    elif a.step == "signed":
        rows = door.sign(a.case_no, a.seq, a.recipient)
    else:
        rows = door.verify_overcharge(a.case_no, a.seq, a.evidence, scan=_read(a.scan),
                                      scan_name=a.scan.name if a.scan else "")
    row = next(r for r in rows if str(r.seq) == str(a.seq).strip())
    print(_("{case} offer {seq}: {state}").format(case=row.case_no, seq=row.seq,
                                                  state=state_label(row.state)))
    return 0


def check_settled(ctx) -> int:
    door = _money(ctx)
    settled = door.prior_settlements(ctx.args.case_no)
    for s in settled:
        print("\t".join([s.case_no, format_datetime(s.signed_at, ctx.policy.tz), s.signer,
                         s.subject, format_money(s.amount, ctx.policy.currency)]))
    proposal = door.not_accept_proposal(ctx.args.case_no)
    if proposal is None:
        print(_("no settlement of this customer on this subject"))
    else:
        print(_("proposed: not accepted ({reason}): {note}").format(
            reason=proposal[0], note=proposal[1]))
    return 0


def print_agreement(ctx) -> int:
    from desk.commands.printing import _write_atomically
    pdf = _money(ctx).agreement_pdf(ctx.args.case_no)
    _write_atomically(ctx.args.out, pdf)
    print(_("wrote {path} ({size} KB)").format(path=ctx.args.out, size=max(1, len(pdf) // 1024)))
    return 0


def sign_settlement(ctx) -> int:
    a = ctx.args
    _money(ctx).sign_settlement(a.case_no, a.signer, "paper", _read(a.scan),
                                name=a.scan.name, terms=a.terms)
    print(_("{case}: settlement signed by {name}").format(case=a.case_no.upper(), name=a.signer))
    return 0


def record_finding(ctx) -> int:
    a = ctx.args
    _money(ctx).record_finding(a.case_no, a.staff_id, a.finding)
    print(_("{case}: {staff} named as the staff member at fault").format(
        case=a.case_no.upper(), staff=a.staff_id))
    return 0
