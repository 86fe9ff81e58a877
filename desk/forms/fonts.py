"""The form's font: one embeddable TrueType font per process, checked before it is used.

ReportLab embeds a subset of a TrueType font (a ``FontFile2`` stream) but cannot embed
PostScript (CFF) outlines, and it draws a character the font lacks as a blank without a
word. So the font is vetted once here, and text headed for the page goes through
``visible()``, which turns a missing character into the geta mark 〓 that typesetters use
for "a character that could not be set", so a reader sees that something is missing.
"""
from __future__ import annotations

import struct
import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from desk.errors import N_, DomainError

POSTSCRIPT_TABLES = {b"CFF ", b"CFF2"}
MISSING_MARK = "\u3013"  # 〓
# Characters never drawn as glyphs: line breaks and other controls.
_NOT_DRAWN = {c for c in range(32)} | {0x7F}

_lock = threading.Lock()
_registered: dict[tuple[str, int], str] = {}
_drawable: dict[str, set[str]] = {}   # per font: characters already found in its glyph map


class FontError(DomainError):
    """The form font cannot be used: missing, PostScript outlines, or embedding refused."""


def _sfnt_tables(path: Path, index: int) -> tuple[bytes, set[bytes]]:
    """The sfnt version and table tags of face ``index``, read from the file's header."""
    with path.open("rb") as fh:
        head = fh.read(12)
        offset = 0
        if head[:4] == b"ttcf":
            count = struct.unpack(">I", head[8:12])[0]
            if index >= count:
                raise FontError(N_("the form font {path} has {count} faces; face {index} "
                                   "does not exist"), path=path.name, count=count, index=index)
            fh.seek(12 + 4 * index)
            offset = struct.unpack(">I", fh.read(4))[0]
            fh.seek(offset)
            head = fh.read(12)
        if len(head) < 12:
            raise FontError(N_("the form font {path} is not a font file"), path=path.name)
        version, tables = head[:4], struct.unpack(">H", head[4:6])[0]
        records = fh.read(16 * tables)
    return version, {records[i:i + 4] for i in range(0, len(records), 16)}


def check_font(path: Path, index: int = 0) -> None:
    """Refuse a font the form cannot embed, with a message a site administrator can act on."""
    if not path.is_file():
        raise FontError(N_("the form font {path} was not found; check form.font in the policy"),
                        path=str(path))
    version, tables = _sfnt_tables(path, index)
    if version == b"OTTO" or tables & POSTSCRIPT_TABLES:
        raise FontError(N_("the form font {path} has PostScript (CFF) outlines, which cannot "
                           "be embedded in the PDF; choose a TrueType font (.ttf or .ttc)"),
                        path=path.name)
    if version not in (b"\x00\x01\x00\x00", b"true") or b"glyf" not in tables:
        raise FontError(N_("the form font {path} is not a TrueType font"), path=path.name)


def register_font(path: Path, index: int = 0) -> str:
    """Register the font with ReportLab once per process; returns its ReportLab name."""
    key = (str(Path(path).resolve()), int(index))
    with _lock:
        name = _registered.get(key)
        if name is not None:
            return name
        check_font(Path(path), index)
        name = f"DeskForm{len(_registered)}"
        try:
            font = TTFont(name, key[0], subfontIndex=index)
        except TTFError as exc:
            raise FontError(N_("the form font {path} cannot be embedded: {detail}"),
                            path=Path(path).name, detail=str(exc).split(": ")[-1]) from None
        pdfmetrics.registerFont(font)
        pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name,
                                      boldItalic=name)
        _registered[key] = name
        return name


def policy_font(policy) -> str:
    return register_font(policy.font, policy.font_index)


def glyph_map(font_name: str) -> dict[int, int]:
    return pdfmetrics.getFont(font_name).face.charToGlyph


def missing_glyphs(font_name: str, text: str) -> set[str]:
    """The characters of ``text`` the font has no glyph for (controls ignored)."""
    known = _drawable.setdefault(font_name, set())
    if known.issuperset(text):   # the usual case, without a look-up per character
        return set()
    cmap = glyph_map(font_name)
    new = set(text) - known
    missing = {c for c in new if ord(c) not in cmap and ord(c) not in _NOT_DRAWN}
    known.update(new - missing)
    return missing


def visible(font_name: str, text: str) -> str:
    """``text`` with every character the font lacks replaced by 〓."""
    missing = missing_glyphs(font_name, text)
    if not missing:
        return text
    return "".join(MISSING_MARK if c in missing else c for c in text)
