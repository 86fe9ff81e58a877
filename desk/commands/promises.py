"""Promises from the command line: ``desk case contact`` (an interim contact), ``desk case
slip`` (the customer's acknowledgement slip as PDF or on a receipt printer) and ``desk
promises`` (the queue of promised reply times due within the hour or broken)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from desk.commands.common import CliError, case_number, print_json
from desk.enums import ContactChannel
from desk.i18n import LOCALES, _, format_datetime


def register_case(actions) -> None:
    """``desk case contact`` and ``desk case slip`` (``actions``: the ``case`` sub-parsers)."""
    contact = actions.add_parser("contact", help=_("log a contact with the customer before the "
                                                   "reply, and promise the next reply time"))
    contact.add_argument("case_no", type=case_number)
    got = contact.add_mutually_exclusive_group(required=True)
    got.add_argument("--reached", action="store_true")
    got.add_argument("--not-reached", action="store_true")
    contact.add_argument("--channel", required=True, choices=[c.value for c in ContactChannel])
    contact.add_argument("--said", required=True, help=_("what was said or left as a message"))
    contact.add_argument("--next", dest="next_reply", required=True, metavar="TIME",
                         help=_("the next promised reply time, like 2026-11-22T16:00 (the "
                                "desk's time zone unless an offset is given)"))
    contact.set_defaults(handler=log_contact)
    slip = actions.add_parser("slip", help=_("the customer's acknowledgement slip"))
    slip.add_argument("case_no", type=case_number)
    target = slip.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--out", type=Path, metavar="FILE.pdf", help=_("PDF file to write"))
    target.add_argument("--escpos", metavar="PRINTER",
                        help=_("print on a receipt printer: usb:VID:PID, network:HOST[:PORT] or "
                               "file:PATH"))
    slip.add_argument("--paper", choices=("receipt", "a4"), default="receipt",
                      help=_("PDF page: 80 mm receipt paper or A4 (default: receipt)"))
    slip.add_argument("--locale", dest="slip_locale", choices=LOCALES,
                      help=_("language of the slip (default: the current language)"))
    slip.set_defaults(handler=print_slip)


def register(sub) -> None:
    cmd = sub.add_parser("promises", help=_("promised reply times due within the hour or "
                                            "broken, on open cases"))
    cmd.add_argument("--desk")
    cmd.add_argument("--json", action="store_true", help=_("print JSON"))
    cmd.set_defaults(handler=list_promises)


def _door(ctx, actor):
    from desk.app.promises import Promises
    return Promises(ctx.store, ctx.policy, lambda: actor)


def _instant(text: str, tz) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(_("{value} is not a time like 2026-11-22T16:00").format(
            value=text[:40])) from None
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def log_contact(ctx) -> int:
    args = ctx.args
    promised = _instant(args.next_reply, ctx.policy.tz)
    detail = _door(ctx, ctx.actor()).log_contact(
        args.case_no, reached=bool(args.reached), channel=args.channel, said=args.said,
        promised_reply_at=promised)
    last = detail.contacts[-1]
    print(_("contact logged on {case}; next reply promised for {time}").format(
        case=detail.case_no, time=format_datetime(last.promised_reply_at, ctx.policy.tz)))
    if not last.kept:
        print(_("the promised time {time} had already passed: counted as a broken promise")
              .format(time=format_datetime(last.answered_promise, ctx.policy.tz)))
    return 0


def print_slip(ctx) -> int:
    from desk.i18n import get_locale
    args = ctx.args
    door = _door(ctx, ctx.actor())
    locale = args.slip_locale or get_locale()
    if args.escpos:
        door.slip_escpos(args.case_no, args.escpos, locale=locale)
        print(_("slip for {case} sent to {printer}").format(case=args.case_no,
                                                             printer=args.escpos))
        return 0
    from desk.commands.printing import _write_atomically
    pdf = door.slip_pdf(args.case_no, locale=locale, paper=args.paper)
    _write_atomically(args.out, pdf)
    print(_("wrote {path} ({size} KB)").format(path=args.out, size=max(1, len(pdf) // 1024)))
    return 0


def list_promises(ctx) -> int:
    rows = _door(ctx, ctx.actor(required=False)).queue(desk=ctx.args.desk)
    tz = ctx.policy.tz
    if ctx.args.json:
        print_json([{"case_no": r.case_no, "desk": r.desk, "customer": r.customer_name,
                     "phone": r.customer_phone, "channel": r.contact_channel,
                     "handler": r.handler, "promised_reply_at": r.promised_reply_at.isoformat(),
                     "state": r.state, "contacts": r.contacts} for r in rows])
        return 0
    for r in rows:
        print("\t".join([r.case_no, r.state_label, format_datetime(r.promised_reply_at, tz),
                         r.customer_name, r.customer_phone or "", r.channel_label, r.handler]))
    print(_("{count} promises due or broken").format(count=len(rows)))
    return 0
