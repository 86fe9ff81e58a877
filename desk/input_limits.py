"""The one home of input limits: every file the program reads from outside (case documents,
day packs, policy files, backups, attachments) is checked here before it is read, so no file
can make it read forever, fill the memory or crash the parser.

What is checked, in this order: the path names a regular file (``/dev/zero``, a FIFO, a
device, a directory are refused by name, never opened for reading); its size on disk; the
bytes are read in chunks with a cap (a file that grows while read stops at the cap); a zip's
member count, sizes and compression ratio come from its central directory before anything is
inflated, and each member is inflated in chunks with the same cap; JSON nesting depth is
counted on the raw text before the parser runs, and integers longer than a few dozen digits
are refused (Python's own 4,300-digit limit would raise a bare ValueError).
"""
from __future__ import annotations

import json
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path

from desk.errors import N_, ValidationError

MB = 1024 * 1024
CHUNK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    """The bounds one kind of input is held to."""

    max_bytes: int                 # the file on disk (and, for a zip, all members inflated)
    max_depth: int = 32            # JSON nesting: a case document needs 4
    max_int_digits: int = 40       # the longest integer a JSON value may hold
    max_members: int = 0           # zip members (0: not a zip)
    max_member_bytes: int = 0      # one member, inflated
    max_ratio: int = 200           # inflated / compressed for one member (PDFs are stored)


CASE_DOCUMENT = Limits(max_bytes=64 * MB)
# A day's pack: a case document and a form per case (2,500 cases a day is far beyond a mall).
DAY_PACK = Limits(max_bytes=256 * MB, max_members=5_000, max_member_bytes=32 * MB)
POLICY_FILE = Limits(max_bytes=MB)
ATTACHMENT = Limits(max_bytes=20 * MB)


def regular_file(path: os.PathLike | str, field: str) -> int:
    """The size of ``path`` if it is an ordinary file within reach; otherwise a refusal
    naming ``field``. Only ``stat`` is called: a device or a pipe is never opened."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise ValidationError(N_("there is no file {path}"), field=field,
                              path=path.name[:80]) from None
    except (OSError, ValueError) as exc:   # ValueError: a NUL byte in the name
        raise ValidationError(N_("{path} cannot be read: {detail}"), field=field,
                              path=path.name[:80], detail=_reason(exc)) from None
    if not stat.S_ISREG(info.st_mode):
        kind = N_("a folder") if stat.S_ISDIR(info.st_mode) else N_("a device or a pipe")
        raise ValidationError(N_("{path} is {kind}, not a file"), field=field,
                              path=path.name[:80] or str(path)[:80], kind=_lazy(kind))
    return info.st_size


def read_capped(path: os.PathLike | str, limits: Limits, field: str) -> bytes:
    """The whole file, read in chunks, refused once it passes ``limits.max_bytes``."""
    size = regular_file(path, field)
    too_big = ValidationError(N_("the file is larger than {limit} MB"), field=field,
                              limit=_mb(limits.max_bytes))
    if size > limits.max_bytes:
        raise too_big
    parts, total = [], 0
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                total += len(chunk)
                if total > limits.max_bytes:
                    raise too_big
                parts.append(chunk)
    except OSError as exc:
        raise ValidationError(N_("{path} cannot be read: {detail}"), field=field,
                              path=Path(path).name[:80], detail=_reason(exc)) from None
    return b"".join(parts)


def parse_json(raw: bytes, limits: Limits, field: str) -> object:
    """JSON from bytes (UTF-8, a BOM allowed), its depth and integers bounded first."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(N_("the file is not UTF-8 text"), field=field) from None
    depth = json_depth(text)
    if depth > limits.max_depth:
        raise ValidationError(N_("nested {depth} levels deep; at most {limit} are read"),
                              field=field, depth=depth, limit=limits.max_depth)

    def bounded_int(digits: str) -> int:
        if len(digits.lstrip("-")) > limits.max_int_digits:
            raise ValidationError(N_("holds a number of more than {limit} digits"),
                                  field=field, limit=limits.max_int_digits)
        return int(digits)

    try:
        return json.loads(text, parse_int=bounded_int)
    except json.JSONDecodeError as exc:
        raise ValidationError(N_("not valid JSON (line {line}, column {column}: {detail})"),
                              field=field, line=exc.lineno, column=exc.colno,
                              detail=exc.msg) from None
    except (ValueError, RecursionError):   # a float the parser cannot hold
        raise ValidationError(N_("not valid JSON"), field=field) from None


def json_depth(text: str) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings, counted without parsing
    (strings are skipped by the regular expression engine, not character by character)."""
    depth = deepest = 0
    for token in _JSON_TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


_JSON_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)


def read_json_file(path: os.PathLike | str, limits: Limits, field: str) -> object:
    return parse_json(read_capped(path, limits, field), limits, field)


def read_zip(path: os.PathLike | str, limits: Limits, field: str) -> dict[str, bytes]:
    """Every member of a zip, after its central directory passed the limits: member count,
    names, each member's size and ratio, the total; then each member inflated in chunks
    (a directory that lies about sizes is caught while inflating)."""
    size = regular_file(path, field)
    if size > limits.max_bytes:
        raise ValidationError(N_("the file is larger than {limit} MB"), field=field,
                              limit=_mb(limits.max_bytes))
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        check_zip_directory(infos, limits, field)
        return {info.filename: _inflate(zf, info, limits, field) for info in infos}


def check_zip_directory(infos: list[zipfile.ZipInfo], limits: Limits, field: str) -> None:
    if len(infos) > limits.max_members:
        raise ValidationError(N_("holds {count} files; at most {limit} are read"),
                              field=field, count=len(infos), limit=limits.max_members)
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise ValidationError(N_("holds a file twice; it was altered"), field=field)
    total = 0
    for info in infos:
        name = info.filename
        if info.is_dir() or name.startswith(("/", "\\")) or ".." in name.replace("\\", "/") \
                .split("/") or ":" in name or len(name) > 200:
            raise ValidationError(N_("{name} is not a member name this program writes"),
                                  field=field, name=name[:80])
        if info.file_size > limits.max_member_bytes:
            raise ValidationError(N_("{name} is larger than {limit} MB"), field=field,
                                  name=name[:80], limit=_mb(limits.max_member_bytes))
        if info.file_size > MB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ValidationError(N_("{name} inflates {ratio} times; a zip bomb is refused"),
                                  field=field, name=name[:80],
                                  ratio=info.file_size // max(info.compress_size, 1))
        total += info.file_size
    if total > limits.max_bytes:
        raise ValidationError(N_("the file is larger than {limit} MB"), field=field,
                              limit=_mb(limits.max_bytes))


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits, field: str) -> bytes:
    parts, total = [], 0
    with zf.open(info) as member:
        while chunk := member.read(CHUNK):
            total += len(chunk)
            if total > info.file_size or total > limits.max_member_bytes:
                raise ValidationError(N_("{name} is larger than its zip directory says"),
                                      field=field, name=info.filename[:80])
            parts.append(chunk)
    return b"".join(parts)


def _mb(limit: int) -> int:
    return max(limit // MB, 1)


def _reason(exc: BaseException) -> str:
    return (getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)[:200]


def _lazy(msgid: str):
    from desk.errors import LazyText
    return LazyText(msgid)
