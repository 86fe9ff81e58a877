"""The ``desk`` command: parses arguments, calls services and queries, prints results.

Every failure a person can cause prints one line naming the field and the reason and exits
with status 2; the store is left as it was (each command is one unit of work).
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from desk import __version__
from desk.commands.common import CliError
from desk.errors import DomainError
from desk.i18n import DEFAULT_LOCALE, LOCALES, N_, _, set_locale, set_roc_years
from desk.policy import Policy, load_policy

EXIT_ERROR = 2
EXIT_CRASH = 1     # a fault of the program, not something a person did


class Context:
    """What every sub-command gets: the parsed arguments, the store, and the policy that
    governs it, which is the store's own (read from the store as it opens)."""

    def __init__(self, args: argparse.Namespace, *, locale_chosen: bool) -> None:
        self.args = args
        self.locale_chosen = locale_chosen
        self._policy: Policy | None = None
        self._store = None

    @property
    def store(self):
        if self._store is None:
            # Checked first (missing, locked, read-only, damaged: one line, exit 2); a new
            # store gets the bundled policy as its own, logged as set by the system.
            from desk.health import StoreError, open_checked
            from desk.store import resolve_url
            try:
                self._store = open_checked(resolve_url(self.args.db, demo=self.args.demo),
                                           create=self.args.command == "init")
            except StoreError as exc:
                raise CliError(exc.problem.cli_message()) from exc
            if self._policy is None:
                from desk.store_policy import load_store_policy
                self.use_policy(load_store_policy(self._store))
        return self._store

    @property
    def policy(self) -> Policy:
        """The store's policy; opens the store if it is not open yet."""
        if self._policy is None:
            self.store   # noqa: B018  (opening it reads its policy)
        return self._policy

    def use_policy(self, policy: Policy) -> None:
        """Govern this command by ``policy``: the store's own, or a day pack's when it is
        reviewed on a PC without the store."""
        self._policy = policy
        if not self.locale_chosen:
            set_locale(policy.locale)
        set_roc_years(policy.roc_years)

    def actor(self, required: bool = True):
        """The signed-in actor from ``--as`` and ``--pin`` (or DESK_AS / DESK_PIN)."""
        from desk.services.auth import sign_in
        staff_no = self.args.as_staff or os.environ.get("DESK_AS")
        pin = self.args.pin or os.environ.get("DESK_PIN")
        if not staff_no or not pin:
            if not required:
                return None
            raise CliError(_("this command needs --as STAFF_ID and --pin PIN "
                             "(or DESK_AS and DESK_PIN)"))
        actor = sign_in(self.store, self.policy, staff_no, pin)
        if actor.pin_change_due:   # signed in, but asked once per command to change it
            print(_("{staff_id}: your PIN no longer meets the PIN policy; choose a new one "
                    "with: desk staff pin {staff_id} --new-pin NEW").format(
                        staff_id=actor.staff_no), file=sys.stderr)
        return actor

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


def build_parser() -> argparse.ArgumentParser:
    from desk import commands

    parser = argparse.ArgumentParser(prog="desk", description=_("Complaint Desk, headless."))
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    parser.add_argument("--verbose", action="store_true",
                        help=_("with --version: also the store in use, the policy in force "
                               "and the licences of what the program bundles"))
    parser.add_argument("--db", help=_("store path or database URL (default: DESK_DB, the "
                                       "store the installer set for this PC, or the user "
                                       "data folder)"))
    parser.add_argument("--demo", action="store_true", help=_("use the separate demo store"))
    # Kept only to refuse it with a useful message: a store runs its own policy.
    parser.add_argument("--policy", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--locale", choices=LOCALES, help=_("language of messages and output"))
    parser.add_argument("--as", dest="as_staff", metavar="STAFF_ID", help=_("act as this staff member"))
    parser.add_argument("--pin", help=_("the acting staff member's PIN"))
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for register in commands.REGISTRY:
        register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    _write_utf8()
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("--locale", choices=LOCALES)
    pre.add_argument("--policy", type=Path)
    known, _rest = pre.parse_known_args(argv)
    chosen = known.locale or os.environ.get("DESK_LOCALE")
    if chosen and chosen not in LOCALES:   # only the variable can bring one in
        set_locale(DEFAULT_LOCALE)
        return _fail(_("DESK_LOCALE: {value} is not a language of Complaint Desk; use one of "
                       "{choices}").format(value=repr(chosen)[:40], choices=", ".join(LOCALES)))
    try:
        # Until a store is open, messages follow the bundled policy's language. A damaged
        # bundled file stops nothing here: a store runs its own (`desk policy show` says so).
        bundled = load_policy()
        set_locale(chosen or bundled.locale)
        set_roc_years(bundled.roc_years)
    except DomainError:
        set_locale(chosen or DEFAULT_LOCALE)
    if known.policy is not None:
        return _fail(_("--policy no longer chooses the policy: a store runs its own. Compare "
                       "a file with it by: desk policy check FILE; replace it (a role with the "
                       "policy privilege) by: desk policy apply FILE --reason TEXT"))
    _log_to_file()
    if _wants_about(argv):
        try:
            return _print_about(argv)
        except DomainError as exc:     # a store whose policy cannot be read says why
            return _fail(str(exc))
        except Exception as exc:
            return _crashed(exc)
    args = build_parser().parse_args(argv)
    ctx = Context(args, locale_chosen=bool(chosen))
    try:
        status = args.handler(ctx) or 0
        sys.stdout.flush()      # a closed pipe shows here, not at exit
        return status
    except BrokenPipeError:
        return _reader_went_away()
    except (DomainError, CliError) as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(_("cannot use {path}: {reason}").format(
            path=getattr(exc, "filename", None) or "", reason=os_reason(exc)))
    except Exception as exc:  # a fault of the program: a report, not a traceback on screen
        return _crashed(exc)
    finally:
        ctx.close()


def _wants_about(argv: list[str]) -> bool:
    """``desk --version --verbose``: argparse's own --version would print and exit first."""
    top = argv[:argv.index("--")] if "--" in argv else argv
    return "--version" in top and "--verbose" in top


def _print_about(argv: list[str]) -> int:
    from desk.about import about, about_lines
    pre = argparse.ArgumentParser(add_help=False, allow_abbrev=False)
    pre.add_argument("--db")
    pre.add_argument("--demo", action="store_true")
    known, _rest = pre.parse_known_args(argv)
    sys.stdout.write("\n".join(about_lines(about(known.db, demo=known.demo))) + "\n")
    return 0


def _crashed(exc: BaseException) -> int:
    from desk.crash import write_report
    report = write_report(exc, "desk")
    if report is None:
        sys.stderr.write(_("error: an unexpected problem, and no report could be written "
                           "(is the disk full?)") + "\n")
    else:
        sys.stderr.write(_("error: an unexpected problem; a report for your IT support was "
                           "written to {path} (nothing was sent anywhere)").format(path=report)
                         + "\n")
    return EXIT_CRASH


def _write_utf8() -> None:
    """Windows writes output sent to a file or a pipe in its ANSI code page (cp1252 on an
    English Windows), which has no Chinese: the first name would end the command with an
    error. Write UTF-8 there, as the packaged program does; a console shows Unicode anyway."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")


def _log_to_file() -> None:
    """Warnings (refused PINs in imported files, store problems) go to the user log folder."""
    import logging
    from desk.paths import user_log_dir
    try:
        handler = logging.FileHandler(user_log_dir() / "desk.log", encoding="utf-8")
    except OSError:
        return
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("desk").addHandler(handler)
    logging.getLogger("desk").setLevel(logging.INFO)


def os_reason(exc: OSError) -> str:
    """The operating system's complaint in the user's language, for the common cases."""
    import errno
    reasons = {errno.ENOENT: N_("no such file or folder"), errno.EACCES: N_("permission denied"),
               errno.EPERM: N_("permission denied"), errno.ENOSPC: N_("the disk is full"),
               errno.EISDIR: N_("it is a folder, not a file"),
               errno.EROFS: N_("the drive is read-only")}
    msgid = reasons.get(exc.errno)
    return _(msgid) if msgid else (exc.strerror or str(exc))


def _reader_went_away() -> int:
    """`desk day ... | head` closed the pipe early: that is the reader's choice, not an error.
    Point stdout at the null device so the interpreter's last flush stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return 0


def _fail(message: str) -> int:
    sys.stderr.write(_("error: {message}").format(message=message.replace("\n", " ")) + "\n")
    return EXIT_ERROR


if __name__ == "__main__":
    # Run the copy that sub-commands import, so `python -m desk.cli` and the `desk` script
    # share one CliError class.
    from desk.cli import main as _main
    sys.exit(_main())
