"""Crash reports: an unexpected error written to the user's log folder as the program's
version and the shape of the traceback, with every value left out; nothing is sent anywhere.

What is left out, and why: an exception's message can quote whatever the program was handling
(a customer's name, phone or complaint, a database URL with its password), so only the
exception's type is kept: never its text or arguments, no local variable, no line of code.
File names are shortened to their place inside the program or a library
(``desk/services/intake.py``), so the Windows user name in ``C:\\Users\\…`` does not travel
with the report either. What stays is enough to find the fault: which program and version,
on which Python and Windows, and where in the code each exception of the chain was raised.
"""
from __future__ import annotations

import os
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path
from types import TracebackType

from desk import __version__
from desk.paths import install_root, user_log_dir

REPORT_PREFIX = "crash-"
# Folders after which a file's name says where it is in the program or a library.
ANCHORS = ("site-packages", "dist-packages", "_internal", "lib")


def short_path(filename: str) -> str:
    """``desk/services/intake.py`` for the program's files, ``sqlalchemy/orm/session.py`` for a
    library's; the name alone for anything else (never a folder naming the user)."""
    path = Path(filename)
    try:
        return path.resolve().relative_to(install_root()).as_posix()
    except (ValueError, OSError):
        pass
    parts = path.parts
    for index in range(len(parts) - 2, -1, -1):
        if parts[index].lower() in ANCHORS:
            return "/".join(parts[index + 1:])
    if not path.is_absolute() and ".." not in parts:
        return path.as_posix()        # already relative: a frozen bundle's module name
    return path.name


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and those it was raised from or while handling, the first cause first."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not s for s in seen):
        seen.append(current)
        current = current.__cause__ or (None if current.__suppress_context__
                                        else current.__context__)
    return list(reversed(seen))


def frames(tb: TracebackType | None) -> list[str]:
    """One line per frame: where and in which function. Not the code on that line: a literal
    in it may be a value too, and the packaged program carries no source anyway."""
    return [f'  File "{short_path(frame.filename)}", line {frame.lineno}, in {frame.name}'
            for frame in traceback.extract_tb(tb, limit=None)]


def exception_name(exc: BaseException) -> str:
    kind = type(exc)
    module = kind.__module__
    return kind.__qualname__ if module in ("builtins", "__main__") else \
        f"{module}.{kind.__qualname__}"


def report_text(exc: BaseException, program: str, now: datetime | None = None) -> str:
    """The report: program, version, platform, then each exception of the chain with its
    frames and its type only (its message, which may quote personal data, is left out)."""
    import platform   # here: a report is rare, and the module costs every start
    now = now or datetime.now(timezone.utc)
    head = [
        f"Complaint Desk crash report ({program})",
        f"version: {__version__}",
        f"time (UTC): {now.astimezone(timezone.utc).strftime('%Y-%m-%d %H:%M:%S')}",
        f"python: {platform.python_version()} ({platform.architecture()[0]}), "
        f"{'packaged' if getattr(sys, 'frozen', False) else 'from source'}",
        f"system: {platform.system()} {platform.release()} {platform.version()} "
        f"({platform.machine()})",
        "",
        "Values (messages, arguments, variables) are left out: they may hold personal data.",
        "",
    ]
    body: list[str] = []
    for index, link in enumerate(chain(exc)):
        if index:
            body += ["", "The above exception was the direct cause of the following exception:"
                     if link.__cause__ is not None else
                     "During handling of the above exception, another exception occurred:", ""]
        body.append("Traceback (most recent call last):")
        body += frames(link.__traceback__)
        body.append(f"{exception_name(link)}: (message left out)")
    return "\n".join(head + body) + "\n"


def write_report(exc: BaseException, program: str, folder: Path | None = None) -> Path | None:
    """Write the report into the user log folder; its path, or None if it could not be
    written (a full disk must not turn one error into two)."""
    now = datetime.now(timezone.utc)
    try:
        folder = folder or user_log_dir()
        name = f"{REPORT_PREFIX}{program}-{now.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.txt"
        path = folder / name
        path.write_text(report_text(exc, program, now), encoding="utf-8")
    except OSError:
        return None
    return path
