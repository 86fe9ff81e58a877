"""``desk reply`` (templates, drafts, approval, printing, sending), ``desk outbox`` (what is
waiting or failed, sending now, retrying, the store's sending settings) and ``desk case
tenant-notice``. Every rule is in ``desk.app.replies``'s services; the approver of a reply
signs in with ``--as``/``--pin`` like any other decision."""
from __future__ import annotations

import dataclasses
from pathlib import Path

from desk.commands.common import print_json
from desk.i18n import LOCALES, _, format_datetime


def _app(ctx, actor=None):
    from desk.app.replies import Replies
    return Replies(ctx.store, ctx.policy, lambda: actor)


def register(sub) -> None:
    reply = sub.add_parser("reply", help=_("written replies: templates, drafts, approval, "
                                           "printing and sending"))
    ra = reply.add_subparsers(dest="reply_command", required=True, metavar="ACTION")
    tpl = ra.add_parser("templates", help=_("the store's reply templates"))
    ta = tpl.add_subparsers(dest="templates_command", required=True, metavar="ACTION")
    show = ta.add_parser("show", help=_("print the templates in one language (TOML)"))
    show.add_argument("--locale", choices=LOCALES, default=None)
    show.set_defaults(handler=show_templates)
    apply = ta.add_parser("apply", help=_("replace the store's templates in one language"))
    apply.add_argument("file", type=Path)
    apply.add_argument("--locale", choices=LOCALES, required=True)
    apply.add_argument("--reason", required=True)
    apply.set_defaults(handler=apply_templates)

    lst = ra.add_parser("list", help=_("a case's written replies (without a case: those "
                                       "awaiting approval)"))
    lst.add_argument("case_no", nargs="?")
    lst.add_argument("--json", action="store_true", help=_("print JSON"))
    lst.set_defaults(handler=list_replies)
    draft = ra.add_parser("draft", help=_("draft a reply from a template or a text"))
    draft.add_argument("case_no")
    draft.add_argument("--channel", choices=("letter", "email", "sms"), required=True)
    draft.add_argument("--template")
    draft.add_argument("--locale", choices=LOCALES)
    draft.add_argument("--to", dest="recipient",
                       help=_("e-mail address, mobile number or postal address (default: the "
                              "case's phone or address)"))
    draft.add_argument("--subject")
    draft.add_argument("--body-file", type=Path, help=_("the text of the reply (UTF-8)"))
    draft.set_defaults(handler=draft_reply)
    rev = ra.add_parser("revise", help=_("change a draft before it is approved"))
    rev.add_argument("case_no")
    rev.add_argument("seq", type=int)
    rev.add_argument("--to", dest="recipient")
    rev.add_argument("--subject")
    rev.add_argument("--body-file", type=Path, help=_("the text of the reply (UTF-8)"))
    rev.set_defaults(handler=revise_reply)
    for name, text in (("approve", _("approve a drafted reply (the approver signs in)")),
                       ("reject", _("send a drafted reply back, saying why"))):
        p = ra.add_parser(name, help=text)
        p.add_argument("case_no")
        p.add_argument("seq", type=int)
        p.add_argument("--note", required=name == "reject", default="")
        p.set_defaults(handler=decide_reply, decision=name)
    prt = ra.add_parser("print", help=_("the approved reply as a letter (PDF)"))
    prt.add_argument("case_no")
    prt.add_argument("seq", type=int)
    prt.add_argument("-o", "--out", type=Path, required=True)
    prt.set_defaults(handler=print_reply)
    send = ra.add_parser("send", help=_("put an approved e-mail or text message in the outbox"))
    send.add_argument("case_no")
    send.add_argument("seq", type=int)
    send.add_argument("--now", action="store_true", help=_("and send what is due at once"))
    send.set_defaults(handler=send_reply)

    box = sub.add_parser("outbox", help=_("messages waiting to be sent, sent and failed"))
    ba = box.add_subparsers(dest="outbox_command", required=True, metavar="ACTION")
    bl = ba.add_parser("list", help=_("the outbox, newest first"))
    bl.add_argument("--failed", action="store_true", help=_("only those that failed"))
    bl.add_argument("--json", action="store_true", help=_("print JSON"))
    bl.set_defaults(handler=list_outbox)
    ba.add_parser("send", help=_("send every message that is due")).set_defaults(
        handler=send_outbox)
    retry = ba.add_parser("retry", help=_("try a failed message again now"))
    retry.add_argument("id", type=int)
    retry.set_defaults(handler=retry_outbox)
    st = ba.add_parser("settings", help=_("show or change how the store sends (SMTP, text "
                                          "messages)"))
    for field in ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_password",
                  "sender", "sms_route", "sms_url", "sms_content_type", "sms_body",
                  "sms_email_domain"):
        st.add_argument("--" + field.replace("_", "-"), dest=field)
    st.set_defaults(handler=outbox_settings)


def register_case_actions(actions) -> None:
    """``desk case tenant-notice``, beside the other case actions."""
    notice = actions.add_parser("tenant-notice", help=_("the result notice to the tenant "
                                                        "(PDF)"))
    notice.add_argument("case_no")
    notice.add_argument("-o", "--out", type=Path, required=True)
    notice.add_argument("--locale", choices=LOCALES)
    notice.set_defaults(handler=tenant_notice)


# --- templates -----------------------------------------------------------------------------

def show_templates(ctx) -> int:
    from desk.reply_templates import store_text
    with ctx.store.read() as session:
        print(store_text(session, ctx.args.locale or ctx.policy.locale).rstrip("\n"))
    return 0


def apply_templates(ctx) -> int:
    text = ctx.args.file.read_text(encoding="utf-8")
    _app(ctx, ctx.actor()).apply_templates(ctx.args.locale, text, ctx.args.reason)
    print(_("the store's reply templates ({locale}) are replaced").format(
        locale=ctx.args.locale))
    return 0


# --- replies -------------------------------------------------------------------------------

def _reply_line(ctx, row) -> str:
    from desk.replies_model import ReplyChannel, ReplyState
    return _("{case} reply {seq}: {channel} to {recipient}, {state}").format(
        case=row.case_no, seq=row.seq, channel=ReplyChannel(row.channel).label,
        recipient=row.recipient, state=ReplyState(row.state).label)


def list_replies(ctx) -> int:
    app = _app(ctx, ctx.actor(required=False))
    rows = app.replies_of(ctx.args.case_no) if ctx.args.case_no else app.waiting()
    if ctx.args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    for row in rows:
        print(_reply_line(ctx, row))
    return 0


def draft_reply(ctx) -> int:
    body = ctx.args.body_file.read_text(encoding="utf-8") if ctx.args.body_file else None
    row = _app(ctx, ctx.actor()).draft(ctx.args.case_no, ctx.args.channel,
                                       template=ctx.args.template, locale=ctx.args.locale,
                                       body=body, subject=ctx.args.subject,
                                       recipient=ctx.args.recipient)
    print(_reply_line(ctx, row))
    print(row.body)
    return 0


def revise_reply(ctx) -> int:
    body = ctx.args.body_file.read_text(encoding="utf-8") if ctx.args.body_file else None
    row = _app(ctx, ctx.actor()).revise(ctx.args.case_no, ctx.args.seq, body=body,
                                        subject=ctx.args.subject, recipient=ctx.args.recipient)
    print(_reply_line(ctx, row))
    return 0


def decide_reply(ctx) -> int:
    approver = ctx.actor()
    app = _app(ctx, approver)
    if ctx.args.decision == "approve":
        row = app.approve(ctx.args.case_no, ctx.args.seq, approver, ctx.args.note)
    else:
        row = app.reject(ctx.args.case_no, ctx.args.seq, approver, ctx.args.note)
    print(_reply_line(ctx, row))
    return 0


def print_reply(ctx) -> int:
    out: Path = ctx.args.out
    _app(ctx, ctx.actor()).print_letter(ctx.args.case_no, ctx.args.seq,
                                        deliver=out.write_bytes)
    print(_("wrote {path}").format(path=out))
    return 0


def send_reply(ctx) -> int:
    actor = ctx.actor()
    app = _app(ctx, actor)
    item = app.queue(ctx.args.case_no, ctx.args.seq)
    print(_("message {id} is in the outbox").format(id=item))
    if ctx.args.now:
        return _send(app)
    return 0


# --- the outbox ----------------------------------------------------------------------------

def list_outbox(ctx) -> int:
    from desk.replies_model import OutboxState
    rows = _app(ctx, ctx.actor(required=False)).outbox(
        state=OutboxState.FAILED.value if ctx.args.failed else None)
    if ctx.args.json:
        print_json([dataclasses.asdict(r) for r in rows])
        return 0
    tz = ctx.policy.tz
    for r in rows:
        line = _("{id}  {case} reply {seq}  {recipient}  {state}, {attempts} attempts").format(
            id=r.id, case=r.case_no, seq=r.reply_seq, recipient=r.recipient,
            state=OutboxState(r.state).label, attempts=r.attempts)
        if r.last_error:
            line += "  " + _("error: {error}").format(error=r.last_error)
        if r.next_attempt_at and r.state == OutboxState.FAILED:
            line += "  " + _("next try {time}").format(
                time=format_datetime(r.next_attempt_at, tz))
        print(line)
    return 0


def _send(app) -> int:
    report = app.send_due()
    print(_("sent {sent}, failed {failed}").format(sent=report.sent, failed=report.failed))
    return 0


def send_outbox(ctx) -> int:
    return _send(_app(ctx, ctx.actor()))


def retry_outbox(ctx) -> int:
    _app(ctx, ctx.actor()).retry(ctx.args.id)
    print(_("message {id} will be sent again").format(id=ctx.args.id))
    return 0


def outbox_settings(ctx) -> int:
    fields = ("smtp_host", "smtp_port", "smtp_security", "smtp_user", "smtp_password",
              "sender", "sms_route", "sms_url", "sms_content_type", "sms_body",
              "sms_email_domain")
    values = {f: getattr(ctx.args, f) for f in fields if getattr(ctx.args, f) is not None}
    if values:
        shown = _app(ctx, ctx.actor()).save_send_settings(**values)
    else:
        shown = _app(ctx, ctx.actor()).send_settings()
    for key, value in shown.items():
        print(f"{key} = {value}")
    return 0


def tenant_notice(ctx) -> int:
    pdf = _app(ctx, ctx.actor()).tenant_notice(ctx.args.case_no, ctx.args.locale)
    ctx.args.out.write_bytes(pdf)
    print(_("wrote {path}").format(path=ctx.args.out))
    return 0
