"""Supervisor review from the command line: ``desk review``, ``desk decide``,
``desk close-day``, ``desk reopen-day`` and ``desk pack export|import|show|decide|close``."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from desk.commands.common import CliError, case_number, parse_day, print_json
from desk.errors import N_, ValidationError
from desk.enums import Level, Status
from desk.i18n import _, format_datetime, format_money


def register(sub) -> None:
    review = sub.add_parser("review", help=_("list a day's cases with their review state"))
    review.add_argument("date", type=parse_day)
    review.add_argument("--desk")
    review.add_argument("--json", action="store_true", help=_("print JSON"))
    review.set_defaults(handler=list_review)

    decide = sub.add_parser("decide", help=_("approve, return or sign off a case"))
    decide.add_argument("case_no", type=case_number)
    decide.add_argument("decision", choices=("approve", "return", "sign-off"))
    decide.add_argument("--comment", default="", help=_("needed when returning a case"))
    decide.set_defaults(handler=decide_case)

    close = sub.add_parser("close-day", help=_("close a desk's day after review"))
    close.add_argument("date", type=parse_day)
    close.add_argument("--desk", required=True)
    close.set_defaults(handler=close_day)

    reopen = sub.add_parser("reopen-day", help=_("reopen a closed day (a higher role, with a "
                                                 "reason)"))
    reopen.add_argument("date", type=parse_day)
    reopen.add_argument("--desk", required=True)
    reopen.add_argument("--reason", required=True)
    reopen.set_defaults(handler=reopen_day)

    pack = sub.add_parser("pack", help=_("day packs for review away from the counter"))
    actions = pack.add_subparsers(dest="pack_command", required=True, metavar="ACTION")
    exp = actions.add_parser("export", help=_("write a day's cases, forms and manifest"))
    exp.add_argument("date", type=parse_day)
    exp.add_argument("--desk")
    exp.add_argument("--out", type=Path, required=True)
    exp.add_argument("--reviewer", action="append", metavar="STAFF_ID",
                     help=_("only this person may review from the pack (repeatable; default: "
                            "everyone who may review)"))
    exp.set_defaults(handler=export_pack)
    imp = actions.add_parser("import", help=_("merge a reviewed pack's decisions"))
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=import_pack)
    show = actions.add_parser("show", help=_("list a pack's cases and decisions (no store)"))
    show.add_argument("file", type=Path)
    show.set_defaults(handler=show_pack)
    dec = actions.add_parser("decide", help=_("record a decision in a pack (no store; "
                                              "--as and --pin checked against the pack)"))
    dec.add_argument("file", type=Path)
    dec.add_argument("case_no", type=case_number)
    dec.add_argument("decision", choices=("approve", "return", "sign-off"))
    dec.add_argument("--comment", default="")
    dec.add_argument("--reviewer", metavar="STAFF_ID",
                     help=_("if given, must be the person signed in with --as"))
    dec.set_defaults(handler=decide_in_pack)
    cls = actions.add_parser("close", help=_("ask for a desk's day to close on import"))
    cls.add_argument("file", type=Path)
    cls.add_argument("desk")
    cls.add_argument("--reviewer", metavar="STAFF_ID",
                     help=_("if given, must be the person signed in with --as"))
    cls.set_defaults(handler=close_in_pack)
    key = actions.add_parser("key", help=_("write this store's public pack key, to register "
                                           "once where its packs are reviewed"))
    key.add_argument("--out", type=Path, required=True, metavar="FILE")
    key.set_defaults(handler=write_pack_key)
    trust = actions.add_parser("trust", help=_("trust another store's day packs"))
    trust_actions = trust.add_subparsers(dest="trust_command", required=True, metavar="ACTION")
    add = trust_actions.add_parser("add", help=_("register a store's public pack key (once)"))
    add.add_argument("key_file", type=Path, metavar="KEYFILE")
    add.add_argument("--name", required=True, help=_("the store it belongs to, as people say it"))
    add.set_defaults(handler=trust_pack_key)


DECISIONS = {"approve": "approved", "return": "returned", "sign-off": "signed_off"}


def _print_rows(ctx, day) -> None:
    from desk.review import review_label, sla_label
    tz, cur = ctx.policy.tz, ctx.policy.currency
    for r in day.rows:
        print("\t".join([r.case_no, format_datetime(r.received_at, tz), Status(r.status).label,
                         Level(r.level).label, "★" * r.severity, sla_label(r.sla),
                         format_money(r.compensation, cur), review_label(r.review),
                         r.review_comment]))
    for desk in day.desks:
        closed = day.closed(desk)
        state = (_("closed by {name} at {time}").format(
            name=closed.closed_by, time=format_datetime(closed.closed_at, tz))
            if closed else _("open"))
        print(_("desk {desk}: {count} cases, {unreviewed} not reviewed; day {state}").format(
            desk=desk, count=sum(1 for r in day.rows if r.desk == desk),
            unreviewed=sum(1 for r in day.rows if r.desk == desk and not r.reviewed),
            state=state))


def list_review(ctx) -> int:
    from desk.review import review_day
    with ctx.store.read() as session:
        day = review_day(session, ctx.policy, ctx.args.date, ctx.args.desk)
    if ctx.args.json:
        print_json({"day": day.day.isoformat(), "unreviewed": day.unreviewed,
                    "cases": [{"case_no": r.case_no, "status": r.status, "level": r.level,
                               "severity": r.severity, "sla": r.sla,
                               "compensation": str(r.compensation),
                               "approvals_pending": r.approvals_pending,
                               "review": r.review, "comment": r.review_comment}
                              for r in day.rows],
                    "closed": [d for d in day.desks if day.closed(d)]})
        return 0
    _print_rows(ctx, day)
    return 0


def decide_case(ctx) -> int:
    from desk.review import decide, review_label
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        review = decide(session, ctx.policy, ctx.args.case_no, actor,
                        DECISIONS[ctx.args.decision], ctx.args.comment)
        label = review_label(review.decision)
    print(_("{case}: {decision}").format(case=ctx.args.case_no.upper(), decision=label))
    return 0


def close_day(ctx) -> int:
    from desk.review import close_day as close
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        row = close(session, ctx.policy, actor, ctx.args.desk, ctx.args.date)
        count = row.cases
    print(_("desk {desk}'s day {day} is closed ({count} cases)").format(
        desk=ctx.args.desk, day=ctx.args.date.isoformat(), count=count))
    from desk.audit.anchors import head_of
    with ctx.store.read() as session:
        head = head_of(session.connection())
    print(_("audit head {head}: write it on the day's sign-off sheet; `desk audit verify "
            "--head {head}` shows any change made to the history before it").format(
                head=head.short))
    return 0


def reopen_day(ctx) -> int:
    from desk.review import reopen_day as reopen
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        reopen(session, ctx.policy, actor, ctx.args.desk, ctx.args.date, ctx.args.reason)
    print(_("desk {desk}'s day {day} is open again").format(
        desk=ctx.args.desk, day=ctx.args.date.isoformat()))
    return 0


def progress_line(what: str):
    """``progress(done, total)`` for long work: one updating line on a terminal, else a
    line at each tenth (a log or a pipe), all on stderr so stdout stays the result."""
    tty = sys.stderr.isatty()
    shown = {"tenth": -1}

    def progress(done: int, total: int) -> None:
        if tty:
            end = "\n" if done == total else ""
            print(f"\r{what}: {done}/{total}", end=end, file=sys.stderr, flush=True)
            return
        tenth = done * 10 // max(total, 1)
        if tenth != shown["tenth"]:
            shown["tenth"] = tenth
            print(f"{what}: {done}/{total}", file=sys.stderr, flush=True)
    return progress


def export_pack(ctx) -> int:
    from desk.packs import prepare_pack, save_pack
    actor = ctx.actor()
    with ctx.store.read() as session:   # forms render in a read: the counter never waits
        pack = prepare_pack(session, ctx.policy, actor, ctx.args.date, ctx.args.desk,
                            reviewers=tuple(ctx.args.reviewer) if ctx.args.reviewer else None,
                            progress=progress_line(_("forms rendered")))
    with ctx.store.write(actor) as session:
        summary = save_pack(session, actor, pack, ctx.args.out)
    print(_("wrote {path}: {count} cases ({size} KB)").format(
        path=summary.path, count=summary.cases, size=max(1, summary.size // 1024)))
    return 0


def import_pack(ctx) -> int:
    from desk.packs import import_pack as do_import
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        report = do_import(session, ctx.policy, actor, ctx.args.file)
    for line in report.lines():
        print(line)
    return 0


def _pack(ctx):
    """A pack reviewed without the store: the policy it carries governs the review."""
    from desk.pack_review import PackReview
    from desk.pack_signing import trusted_keys
    with ctx.store.read() as session:   # this PC's store holds the keys it trusts
        trusted = trusted_keys(session)
    review = PackReview(ctx.args.file, trusted=trusted)
    ctx.use_policy(review.policy)
    return review


def write_pack_key(ctx) -> int:
    from desk.pack_signing import fingerprint, key_file_text, own_key
    from desk.privileges import Privilege, require
    actor = ctx.actor()
    require(ctx.policy, actor, Privilege.ADMIN, field="staff_id")
    with ctx.store.write(actor) as session:
        text = key_file_text(session)
        mark = fingerprint(own_key(session).public_key)
    ctx.args.out.write_text(text, encoding="ascii")
    print(_("public pack key {key} written to {path}").format(key=mark, path=ctx.args.out))
    return 0


def trust_pack_key(ctx) -> int:
    from desk.pack_signing import add_trusted
    actor = ctx.actor()
    try:
        text = ctx.args.key_file.read_text(encoding="ascii", errors="replace")[:1000]
    except OSError as exc:
        raise ValidationError(N_("cannot read {value}: {detail}"), field="key_file",
                              value=str(ctx.args.key_file)[:80],
                              detail=exc.strerror or str(exc)) from None
    with ctx.store.write(actor) as session:
        row = add_trusted(session, ctx.policy, actor, text, ctx.args.name)
        mark, name = row.fingerprint, row.name
    print(_("day packs signed with key {key} ({name}) are trusted here").format(
        key=mark, name=name))
    return 0


def show_pack(ctx) -> int:
    review = _pack(ctx)
    _print_rows(ctx, review.review_day())
    if review.close_requests:
        print(_("to close on import: {desks}").format(desks=", ".join(review.close_requests)))
    return 0


def _as_reviewer(ctx, review) -> None:
    """Sign in against the pack's own PIN hashes (there is no store here): the reviewer is
    whoever gave ``--as`` and ``--pin``; ``--reviewer`` may only name that same person."""
    staff_no = ctx.args.as_staff or os.environ.get("DESK_AS")
    pin = ctx.args.pin or os.environ.get("DESK_PIN")
    if not staff_no or not pin:
        raise CliError(_("this command needs --as STAFF_ID and --pin PIN "
                         "(or DESK_AS and DESK_PIN)"))
    if ctx.args.reviewer and ctx.args.reviewer.strip() != staff_no.strip():
        raise ValidationError(N_("decisions are taken by the person signed in ({value}); "
                                 "nobody decides for another"), field="reviewer",
                              value=staff_no.strip()[:40])
    review.sign_in(staff_no, pin)


def decide_in_pack(ctx) -> int:
    review = _pack(ctx)
    _as_reviewer(ctx, review)
    review.decide(ctx.args.case_no.upper(), DECISIONS[ctx.args.decision], ctx.args.comment)
    review.save()
    print(_("decision saved in {path}").format(path=ctx.args.file))
    return 0


def close_in_pack(ctx) -> int:
    review = _pack(ctx)
    _as_reviewer(ctx, review)
    review.request_close(ctx.args.desk)
    review.save()
    print(_("desk {desk}'s day will close when the pack is imported").format(desk=ctx.args.desk))
    return 0
