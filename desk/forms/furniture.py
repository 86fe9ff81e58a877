"""What every page of the form carries around its content: the sheet's tint, the header with
logo, title and case number (text and Code 128), the copy's label, reprint and void stamps,
and the footer with printed-at, printed-by, the retention note and "page x/y" per copy. On a
continuous carbonless set only what the sheets lack is printed, in one pass."""
from __future__ import annotations

import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib import colors
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase.pdfdoc import (PDFFormXObject, PDFPage, PDFResourceDictionary,
                                      PDFStream, PDFZCompress)
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desk.forms.fonts import visible
from desk.forms.layout import INK, STAMP, Paper
from desk.forms.logo import draw_logo

HEADER_HEIGHT = 71
CARBON_HEADER_HEIGHT = 42   # a carbon set's sheet: only the barcode and the number are printed
FOOTER_HEIGHT = 24
_COMMON = "deskFormCommon"


class _QuickFlate:
    """Flate compression at zlib's fastest level: the same /FlateDecode stream, decoded to
    the same bytes. The embedded font subsets are most of a form's bytes, and deflating them
    at the default level was a fifth of the form's time for a few KB less; the pages and
    their forms also skip the ASCII85 text encoding (a binary file needs none)."""

    pdfname = PDFZCompress.pdfname
    decode = staticmethod(PDFZCompress.decode)

    @staticmethod
    def encode(content: bytes | str) -> bytes:
        return zlib.compress(content.encode("utf8") if isinstance(content, str) else content, 1)


_QUICK_FLATE = _QuickFlate()


@lru_cache(maxsize=8)
def _logo(path: str, mtime: float) -> ImageReader:
    return ImageReader(path)


def load_logo(path: Path | None) -> ImageReader | None:
    """The mall's logo, read once per process; a missing or unreadable file is left out."""
    if path is None:
        return None
    try:
        return _logo(str(path), path.stat().st_mtime)
    except (OSError, ValueError):
        return None


@dataclass(frozen=True)
class Sheet:
    """Everything the page furniture draws, already translated and formatted."""

    font: str
    paper: Paper
    mall_name: str
    title: str
    subtitle: str
    case_no: str
    case_no_line: str
    printed_line: str
    retention_line: str
    page_pattern: str          # "Page {page}/{pages}"
    continued: str
    labels: dict[int, tuple[str, str]]   # copy -> (label, routing note)
    tints: dict[int, colors.Color]
    logo: ImageReader | None = None
    stamp: str = ""            # "Reprint 2", drawn on every page when set
    void_mark: str = ""        # "VOIDED", drawn across every page when set
    carbon_set: bool = False   # continuous carbonless sets: title, tints and labels pre-printed

    def text(self, value: str) -> str:
        return visible(self.font, value)


def _bold(c: Canvas, x: float, y: float, text: str, font: str, size: float,
          colour: colors.Color = INK) -> None:
    """Heavier type from a single-weight font: fill and a hairline stroke of the outline."""
    t = c.beginText(x, y)
    t.setFont(font, size)
    t.setTextRenderMode(2)
    c.setStrokeColor(colour)
    c.setFillColor(colour)
    c.setLineWidth(size * 0.028)
    t.textOut(text)
    t.setTextRenderMode(0)   # the mode outlives the text object: later text must not be bold
    c.drawText(t)


def _common(c: Canvas, s: Sheet) -> None:
    """Header and footer parts that are the same on every page, drawn once as a form XObject."""
    p = s.paper
    left, right, top = p.side, p.width - p.side, p.height - p.top
    if not s.carbon_set:   # a carbon set has the mall, logo and title printed already
        _masthead(c, s, left, top)
    barcode = Code128(s.case_no, barHeight=22, barWidth=0.9, quiet=False)
    barcode.drawOn(c, right - barcode.width, top - 21)
    c.setFillColor(colors.black)
    c.setFont(s.font, 10.5)
    c.drawRightString(right, top - 33, s.text(s.case_no_line))
    if s.stamp:
        _stamp(c, right - barcode.width - 14, top - 27, s)
    bottom = p.bottom
    c.setStrokeColor(INK)
    c.setLineWidth(0.6)
    c.line(left, bottom + 19, right, bottom + 19)
    c.setFillColor(INK)
    c.setFont(s.font, 7.4)
    c.drawString(left, bottom + 11, s.text(s.printed_line))
    c.drawString(left, bottom + 2, s.text(s.retention_line))


def _masthead(c: Canvas, s: Sheet, left: float, top: float) -> None:
    """The mall's name, its logo and the form's title, top left."""
    text_x = left
    if s.logo is not None:
        draw_logo(c, s.logo, left, top - 36, 36, 36)
        text_x = left + 44
    c.setFillColor(INK)
    c.setFont(s.font, 10)
    c.drawString(text_x, top - 10, s.text(s.mall_name))
    _bold(c, text_x, top - 31, s.text(s.title), s.font, 17)
    c.setFont(s.font, 9)
    c.setFillColor(INK)
    c.drawString(text_x + stringWidth(s.text(s.title), s.font, 17) + 8, top - 30,
                 s.text(s.subtitle))


def _stamp(c: Canvas, right: float, y: float, s: Sheet) -> None:
    """A red box like a rubber stamp, ending at ``right``."""
    size = 13
    width = stringWidth(s.text(s.stamp), s.font, size) + 14
    c.saveState()
    c.translate(right - width, y)
    c.rotate(4)
    c.setStrokeColor(STAMP)
    c.setLineWidth(1.4)
    c.roundRect(0, -5, width, size + 10, 3, stroke=1, fill=0)
    _bold(c, 7, 0, s.text(s.stamp), s.font, size, STAMP)
    c.restoreState()


def draw_page(c: Canvas, s: Sheet, copy: int, page: int, pages: int, body: str) -> None:
    """One sheet of one copy: tint, void mark, the body (a form XObject), header, label
    banner and footer with "page x/y"."""
    p = s.paper
    tint = s.tints[copy]
    if tint != colors.white and not s.carbon_set:
        c.setFillColor(tint)
        c.rect(0, 0, p.width, p.height, stroke=0, fill=1)
    if s.void_mark:
        _void(c, s)
    c.doForm(body)
    if not c.hasForm(_COMMON):
        c.beginForm(_COMMON)
        _common(c, s)
        c.endForm()
    c.doForm(_COMMON)
    if not s.carbon_set:   # each sheet of a carbon set carries its own printed label
        _banner(c, s, copy, page > 1)
    c.setFont(s.font, 7.4)
    c.setFillColor(INK)
    c.drawRightString(p.width - p.side, p.bottom + 11,
                      s.text(s.page_pattern.format(page=page, pages=pages)))


def _banner(c: Canvas, s: Sheet, copy: int, continued: bool) -> None:
    p = s.paper
    left, right = p.side, p.width - p.side
    top = p.height - p.top - 40
    height = 26
    c.setStrokeColor(INK)
    c.setLineWidth(1.2)
    c.setFillColor(colors.Color(INK.red, INK.green, INK.blue, alpha=0.05))
    c.rect(left, top - height, right - left, height, stroke=1, fill=1)
    label, note = s.labels[copy]
    label = s.text(label)
    _bold(c, left + 8, top - 18.5, label, s.font, 15)
    x = left + 8 + stringWidth(label, s.font, 15) + 10
    if continued:
        c.setFont(s.font, 9)
        c.setFillColor(colors.black)
        c.drawString(x, top - 17.5, s.text(s.continued))
        x += stringWidth(s.text(s.continued), s.font, 9) + 10
    if note:
        size = 7.6
        lines = simpleSplit(s.text(note), s.font, size, right - 8 - x)
        while len(lines) > 2 and size > 6:
            size -= 0.4
            lines = simpleSplit(s.text(note), s.font, size, right - 8 - x)
        c.setFont(s.font, size)
        c.setFillColor(INK)
        y = top - height / 2 + (len(lines) - 1) * (size + 1) / 2 - size / 3
        for line in lines[:3]:
            c.drawRightString(right - 8, y, line)
            y -= size + 1


def _void(c: Canvas, s: Sheet) -> None:
    p = s.paper
    c.saveState()
    c.setFillColor(colors.Color(STAMP.red, STAMP.green, STAMP.blue, alpha=0.18))
    c.translate(p.width / 2, p.height / 2)
    c.rotate(35)
    c.setFont(s.font, 96)
    c.drawCentredString(0, -30, s.text(s.void_mark))
    c.restoreState()


class CopiesCanvas(Canvas):
    """Lays the body out once and prints it on every copy, as the carbon does.

    While platypus builds, each body page is drawn into a form XObject (``begin_body`` and
    ``end_body`` are the page template's onPage and onPageEnd) instead of onto a page; at
    ``save`` the real pages are made, copy after copy, each showing its body form under the
    copy's own tint, label and "page x/y". The copies are therefore identical by
    construction, and the file carries the body only once."""

    def __init__(self, *args, sheet: Sheet, copies: tuple[int, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sheet, self.copies, self.body_pages = sheet, copies, 0

    def begin_body(self) -> None:
        self.beginForm(f"deskBody{self.body_pages}")

    def end_body(self) -> None:
        # ReportLab leaves a form's transparency states (ExtGState) out of its resources, so
        # the tinted label cells would lose their alpha; give the form complete resources.
        resources = PDFResourceDictionary()
        resources.basicFonts()
        resources.allProcs()
        states = self._extgstate.getState()
        if states:
            resources.ExtGState = states
        self.endForm(Resources=resources)
        self.body_pages += 1

    def showPage(self) -> None:
        self._startPage()   # the page's content lives on in its body form

    def save(self) -> None:
        # A carbonless set makes every copy from one pass of the printer.
        for copy in self.copies[:1] if self.sheet.carbon_set else self.copies:
            for page in range(1, self.body_pages + 1):
                draw_page(self, self.sheet, copy, page, self.body_pages, f"deskBody{page - 1}")
                super().showPage()
        self._deflate_quickly()
        super().save()

    def _deflate_quickly(self) -> None:
        """Make the font subsets now (as saving would); deflate them and the pages quickly."""
        doc = self._doc
        for font in doc.delayedFonts:
            font.addObjects(doc)
        doc.delayedFonts = []   # made: saving must not add them a second time
        for stream in doc.idToObject.values():
            if isinstance(stream, PDFStream) and stream.filters == [PDFZCompress]:
                stream.filters = [_QUICK_FLATE]
            elif isinstance(stream, (PDFFormXObject, PDFPage)) and stream.compression and stream.stream \
                    and not stream.Contents:
                stream.Contents = PDFStream(content=stream.stream, filters=[_QUICK_FLATE])
                stream.compression = 0   # else formatting puts ReportLab's filters back
