"""``desk lexicon show|check|apply|suggest``: the lexicon behind the intake's suggestions,
kept in the store (version, who set it, when, why), a file checked against it, the store's
replaced by a file (a role with the ``policy`` privilege, signed in, with a reason), and the
suggestion for a text."""
from __future__ import annotations

import sys
from pathlib import Path

from desk.commands.policy import SYSTEM_LABELS
from desk.i18n import N_, _, format_datetime

LEXICON_SYSTEM = {"store_seeded": N_("system: store seeded with the bundled lexicon")}


def register(sub) -> None:
    lexicon = sub.add_parser("lexicon", help=_("the words behind the intake's suggestions"),
                             description=_("A store keeps its own lexicon. A lexicon file "
                                           "changes it only through 'desk lexicon apply'."))
    actions = lexicon.add_subparsers(dest="lexicon_command", required=True, metavar="ACTION")
    show = actions.add_parser("show", help=_("the lexicon in use: version, hash, who set it"))
    show.add_argument("--text", action="store_true", help=_("print the lexicon's TOML text"))
    show.set_defaults(handler=show_lexicon)
    check = actions.add_parser("check", help=_("validate a lexicon file for this store"))
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=check_lexicon)
    apply = actions.add_parser("apply", help=_("replace the store's lexicon with a file"),
                               description=_("Needs --as and --pin of a role with the policy "
                                             "privilege. The audit log keeps who, why, and the "
                                             "lexicon before and after."))
    apply.add_argument("file", type=Path, metavar="FILE")
    apply.add_argument("--reason", required=True, help=_("why the lexicon changes"))
    apply.set_defaults(handler=apply_lexicon)
    suggest = actions.add_parser("suggest", help=_("what the store's lexicon suggests for a "
                                                   "complaint text"))
    suggest.add_argument("text", metavar="TEXT")
    suggest.set_defaults(handler=suggest_text)


def _who(record, name: str | None) -> str:
    if record.set_by:
        return f"{name} ({record.set_by})" if name else record.set_by
    label = LEXICON_SYSTEM.get(record.system or "") or SYSTEM_LABELS.get(record.system or "")
    return _(label) if label else _("system: {reason}").format(reason=record.system or "?")


def _record(ctx):
    from desk.store_lexicon import ensure_store_lexicon, lexicon_record
    ensure_store_lexicon(ctx.store)
    with ctx.store.read() as session:
        return lexicon_record(session)


def show_lexicon(ctx) -> int:
    from sqlalchemy import select

    from desk.model import Staff
    from desk.store_lexicon import bundled_differs
    record = _record(ctx)
    if ctx.args.text:
        sys.stdout.write(record.text if record.text.endswith("\n") else record.text + "\n")
        return 0
    with ctx.store.read() as session:
        name = session.scalar(select(Staff.name).where(Staff.staff_no == record.set_by)) \
            if record.set_by else None
    print(_("lexicon in use: the store's own, version {version}").format(version=record.version))
    print(_("SHA-256: {digest}").format(digest=record.sha256))
    print(_("set by: {who}").format(who=_who(record, name)))
    print(_("set at: {when}").format(when=format_datetime(record.set_at, ctx.policy.tz)))
    print(_("reason: {reason}").format(reason=record.reason))
    other = bundled_differs(record)
    if other:
        print(_("the bundled lexicon file differs (SHA-256 {digest}); the store's stays in use "
                "until someone applies a file").format(digest=other))
    return 0


def _read(path: Path) -> str:
    from desk.lexicon import read_lexicon_text
    return read_lexicon_text(path)


def check_lexicon(ctx) -> int:
    from desk.lexicon import sha256_of
    from desk.store_lexicon import check_lexicon_text
    text = _read(ctx.args.file)
    record = _record(ctx)
    with ctx.store.read() as session:
        lexicon = check_lexicon_text(session, text)
    print(_("{path} is a valid lexicon for this store (SHA-256 {digest}, {count} words)").format(
        path=ctx.args.file, digest=sha256_of(text), count=len(lexicon.all_words())))
    if record.sha256 == sha256_of(text):
        print(_("it is the lexicon the store uses"))
        return 0
    from desk.lexicon import parse_lexicon
    now, new = parse_lexicon(record.text).all_words(), lexicon.all_words()
    print(_("compared with the store's lexicon (version {version}): {added} words added, "
            "{removed} removed").format(version=record.version, added=len(new - now),
                                        removed=len(now - new)))
    return 0


def apply_lexicon(ctx) -> int:
    from desk.store_lexicon import apply_lexicon as apply
    text = _read(ctx.args.file)
    before = _record(ctx)
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        record = apply(session, actor, text, ctx.args.reason)
    print(_("the store's lexicon is now {path}, version {version} (was {before}; SHA-256 "
            "{digest}), set by {who}").format(path=ctx.args.file, version=record.version,
                                             before=before.version, digest=record.sha256,
                                             who=actor.staff_no))
    return 0


def suggest_text(ctx) -> int:
    from desk.classify import suggest
    from desk.enums import ContentClass, Degree, Level, policy_label
    from desk.store_lexicon import load_store_lexicon
    found = suggest(load_store_lexicon(ctx.store), ctx.args.text)
    none = "—"
    print(_("category: {value}").format(
        value=policy_label(found.category) if found.category else none))
    print(_("content: {value}").format(
        value=ContentClass(found.content_class).label if found.content_class else none))
    print(_("degree: {value}").format(value=Degree(found.degree).label if found.degree else none))
    print(_("severity: {value}").format(value="★" * found.severity if found.severity else none))
    if found.escalation_risk:
        print(_("escalation risk: {words}; suggested {level}").format(
            words=", ".join(found.risk_words), level=Level(found.level).label))
    return 0
