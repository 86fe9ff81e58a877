"""``desk print CASE_NO --out FILE.pdf``: the three-part form, recorded on the case."""
from __future__ import annotations

import os
from pathlib import Path

from desk.commands.common import case_number
from desk.i18n import LOCALES, _
from desk.private_files import open_private


def register(sub) -> None:
    cmd = sub.add_parser("print", help=_("print the three-part complaint form as PDF"))
    cmd.add_argument("case_no", type=case_number)
    cmd.add_argument("--out", type=Path, required=True, metavar="FILE.pdf",
                     help=_("PDF file to write"))
    cmd.add_argument("--copies", default="1,2,3",
                     help=_("which copies, in order (default: 1,2,3)"))
    cmd.add_argument("--locale", dest="form_locale", choices=LOCALES,
                     help=_("language of the form (default: the current language)"))
    cmd.add_argument("--paper", choices=("a4", "continuous"),
                     help=_("a4, or continuous 9.5 x 11 in carbon sets (default: the policy's)"))
    cmd.set_defaults(handler=print_form)


def print_form(ctx) -> int:
    from desk.commands.common import counter
    from desk.i18n import get_locale

    out: Path = ctx.args.out
    # Written before the print record commits: a file that cannot be written leaves no
    # record of a print that never happened.
    pdf = counter(ctx, ctx.actor()).print_case(
        ctx.args.case_no, locale=ctx.args.form_locale or get_locale(), paper=ctx.args.paper,
        copies=ctx.args.copies, deliver=lambda data: _write_atomically(out, data))
    print(_("wrote {path} ({size} KB)").format(path=out, size=max(1, len(pdf) // 1024)))
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target and rename, so a failed write never leaves half a PDF; any
    failure names the target, not the temporary file."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        with open_private(temp) as fh:
            fh.write(data)
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise OSError(exc.errno, exc.strerror, str(path)) from None
