"""``desk policy show|check|apply``: the policy that governs the store, comparing a file with
it, and replacing it (a role with the ``policy`` privilege, signed in, with a reason)."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from desk.i18n import N_, _, format_datetime

SYSTEM_LABELS = {"store_created": N_("system: store created"),
                 "store_upgraded": N_("system: store upgraded to keep its own policy")}
SHOWN_DIFFERENCES = 40


def register(sub) -> None:
    policy = sub.add_parser("policy", help=_("the policy that governs the store"),
                            description=_("A store runs its own policy, kept in the store. "
                                          "A policy file changes it only through "
                                          "'desk policy apply'."))
    actions = policy.add_subparsers(dest="policy_command", required=True, metavar="ACTION")
    show = actions.add_parser("show", help=_("the policy in force: hash, who set it, when, why"))
    show.add_argument("--text", action="store_true", help=_("print the policy's TOML text"))
    show.set_defaults(handler=show_policy)
    check = actions.add_parser("check", help=_("validate a policy file and show how it "
                                               "differs from the store's"))
    check.add_argument("file", type=Path, metavar="FILE")
    check.set_defaults(handler=check_policy)
    apply = actions.add_parser("apply", help=_("replace the store's policy with a file"),
                               description=_("Needs --as and --pin of a role with the policy "
                                             "privilege. The audit log keeps who, why, and the "
                                             "policy before and after."))
    apply.add_argument("file", type=Path, metavar="FILE")
    apply.add_argument("--reason", required=True, help=_("why the policy changes"))
    apply.set_defaults(handler=apply_policy)


def _who(set_by: str | None, name: str | None, system: str | None) -> str:
    if set_by:
        return f"{name} ({set_by})" if name else set_by
    label = SYSTEM_LABELS.get(system or "")
    return _(label) if label else _("system: {reason}").format(reason=system or "?")


def _shown(value: object) -> str:
    if value is None:
        return _("(not set)")
    return json.dumps(value, ensure_ascii=False, default=str)


def _print_differences(found, before: str, after: str) -> None:
    for diff in found[:SHOWN_DIFFERENCES]:
        print(f"  {diff.key}: {before} {_shown(diff.before)} -> {after} {_shown(diff.after)}")
    if len(found) > SHOWN_DIFFERENCES:
        print(_("  ... and {count} more").format(count=len(found) - SHOWN_DIFFERENCES))


def show_policy(ctx) -> int:
    from desk.store_policy import policy_status
    with ctx.store.read() as session:
        status = policy_status(session)
    record = status.record
    if ctx.args.text:
        sys.stdout.write(record.text if record.text.endswith("\n") else record.text + "\n")
        return 0
    print(_("policy in force: the store's own"))
    print(_("SHA-256: {digest}").format(digest=record.sha256))
    print(_("set by: {who}").format(who=_who(record.set_by, status.set_by_name, record.system)))
    print(_("set at: {when}").format(when=format_datetime(record.set_at, ctx.policy.tz)))
    print(_("reason: {reason}").format(reason=record.reason))
    if status.bundled_sha256 is None:
        print(_("the bundled policy file cannot be read; the store's policy stays in force"))
    elif status.bundled_differs:
        print(_("the bundled policy file differs (SHA-256 {digest}); the store's policy stays "
                "in force until someone applies a file:").format(digest=status.bundled_sha256))
        _print_differences(status.bundled_differences, _("store"), _("bundled"))
    else:
        print(_("the bundled policy file is the same"))
    return 0


def _read(path: Path) -> str:
    from desk.policy import read_policy_text
    return read_policy_text(path)


def check_policy(ctx) -> int:
    from desk.store_policy import check_policy_text, differences, policy_record, sha256_of
    text = _read(ctx.args.file)
    with ctx.store.read() as session:
        check_policy_text(session, text, ctx.args.file)
        record = policy_record(session)
    found = differences(record.text, text)
    print(_("{path} is a valid policy for this store (SHA-256 {digest})").format(
        path=ctx.args.file, digest=sha256_of(text)))
    if not found:
        print(_("it says the same as the store's policy"))
        return 0
    print(_("it differs from the store's policy in {count} keys:").format(count=len(found)))
    _print_differences(found, _("store"), _("file"))
    return 0


def apply_policy(ctx) -> int:
    from desk.store_policy import apply_policy as apply, differences, policy_record
    text = _read(ctx.args.file)
    actor = ctx.actor()
    with ctx.store.write(actor) as session:
        before = policy_record(session)
        record = apply(session, actor, text, ctx.args.reason, source=ctx.args.file)
    print(_("the store's policy is now {path} (SHA-256 {digest}), set by {who}").format(
        path=ctx.args.file, digest=record.sha256, who=actor.staff_no))
    _print_differences(differences(before.text, record.text), _("before"), _("now"))
    return 0
