"""Paper sizes, ink and type of the printed form, and the small drawn flowables (tick boxes,
severity stars) that must never depend on a font having a glyph."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache, partial

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus import paragraph as _paragraph

from desk.errors import N_, ValidationError
from desk.forms.fonts import visible
from desk.forms.plain import fragments, markup

# ReportLab hangs a character that may not start a line into the margin, but its list lacks
# the full-width comma, colon, semicolon, question and exclamation marks of Chinese text.
_paragraph.ALL_CANNOT_START += "".join(c for c in "，；：！？" if c not in _paragraph.ALL_CANNOT_START)

INK = colors.HexColor("#1B2B4B")          # the pre-printed ink of the sheets
FILL = colors.Color(INK.red, INK.green, INK.blue, alpha=0.07)   # label cells
BAND = colors.Color(INK.red, INK.green, INK.blue, alpha=0.16)   # section headings
STAMP = colors.HexColor("#B3261E")        # reprint and void stamps


@dataclass(frozen=True)
class Paper:
    """A sheet and the margins that stay clear on it."""

    key: str
    width: float
    height: float
    side: float
    top: float
    bottom: float

    @property
    def frame_width(self) -> float:
        return self.width - 2 * self.side


# Continuous carbon sets are 9.5 in wide including the two 0.5 in sprocket strips that are
# torn off, so nothing is printed there.
PAPERS = {
    "a4": Paper("a4", A4[0], A4[1], side=12 * mm, top=8 * mm, bottom=7 * mm),
    "continuous": Paper("continuous", 9.5 * inch, 11 * inch, side=0.5 * inch + 8 * mm,
                        top=0.25 * inch, bottom=0.25 * inch),
}


def paper_for(key: str) -> Paper:
    paper = PAPERS.get(str(key).lower())
    if paper is None:
        raise ValidationError(N_("paper must be one of {allowed}, not {value}"),
                              allowed=", ".join(PAPERS), value=str(key)[:20])
    return paper


_CJK = re.compile("[\u2e80-\U0010ffff]")   # from the CJK radicals on


def _has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


@lru_cache(maxsize=None)
def styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("value", fontName=font, fontSize=8.3, leading=10, textColor=colors.black)
    return {
        "value": base,
        "small": ParagraphStyle("small", base, fontSize=7.4, leading=9.2),
        "label": ParagraphStyle("label", base, fontSize=7.4, leading=9.2, textColor=INK),
        "heading": ParagraphStyle("heading", base, fontSize=8.9, leading=10.6, textColor=INK),
        # The border sits flush under the section heading and with the tables' edges.
        "text": ParagraphStyle("text", base, fontSize=9, leading=12.2, borderColor=INK,
                               borderWidth=0.8, borderPadding=(2.5, 6.5, 3.5, 5), spaceBefore=2.5,
                               spaceAfter=4.5, leftIndent=5, rightIndent=6.5),
        "sign": ParagraphStyle("sign", base, fontSize=7.4, leading=9.2, textColor=INK,
                               alignment=1),
        "right": ParagraphStyle("right", base, alignment=2),
    }


@lru_cache(maxsize=None)
def cjk_styles(font: str) -> dict[str, ParagraphStyle]:
    """The same styles wrapping Chinese between any two characters."""
    return {name: ParagraphStyle(name + "-cjk", style, wordWrap="CJK")
            for name, style in styles(font).items()}


class _Paragraph(Paragraph):
    """A paragraph that remembers its line breaks for the last width: tables and keep-together
    groups wrap each cell many times at the same width, and the copies of a print share their
    flowables, so breaking lines once instead of ten times is most of the form's speed."""

    _memo: tuple | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self._memo
        if memo is not None and abs(memo[0] - availWidth) < 1e-6:
            _width, self._wrapWidths, self.blPara, self.width, self.height = memo
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        self._memo = (availWidth, self._wrapWidths, self.blPara, self.width, self.height)
        return result


def _plain_paragraph(text: str, style: ParagraphStyle) -> _Paragraph:
    marked = markup(text)
    return _Paragraph(marked, style, frags=fragments(marked, style))


class Cell(Flowable):
    """Text for a table cell: one ``drawString`` when it fits on one line, which most cells
    do; otherwise (or when a line break is asked for) a wrapping paragraph takes over."""

    def __init__(self, text: str, make_paragraph) -> None:
        super().__init__()
        self.text, self._make, self._para = text, make_paragraph, None
        self._fits_at: float | None = None   # the width it was found to fit on one line
        self.style = make_paragraph.keywords["style"]

    def _paragraph(self) -> Paragraph:
        if self._para is None:
            self._para = self._make()
        return self._para

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        st = self.style
        if self._para is None and (self._fits_at is None or abs(self._fits_at - availWidth) > 1e-6):
            if "\n" in self.text or stringWidth(self.text, st.fontName, st.fontSize) \
                    > availWidth - st.leftIndent - st.rightIndent:
                self._paragraph()
            else:
                self._fits_at = availWidth
        if self._para is not None:
            self.width, self.height = self._para.wrap(availWidth, availHeight)
        else:
            self.width, self.height = availWidth, st.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list:
        return self._para.split(availWidth, availHeight) if self._para is not None else []

    @property
    def one_line(self) -> bool:
        return self._para is None

    @property
    def paragraph(self) -> Paragraph | None:
        """The wrapping paragraph, once the text was found not to fit on one line."""
        return self._para

    def write(self, text, x: float, y: float) -> None:
        """Put the one line into ``text`` (a text object in this cell's font and colour) as
        ``draw`` would at ``x``, ``y``: a grid writes all its one-line cells in one object."""
        st = self.style
        baseline = y + self.height - st.fontSize   # where Paragraph puts its first baseline
        if st.alignment == 2:
            x += self.width - st.rightIndent - stringWidth(self.text, st.fontName, st.fontSize)
        elif st.alignment == 1:
            x += (self.width + st.leftIndent - st.rightIndent
                  - stringWidth(self.text, st.fontName, st.fontSize)) / 2
        else:
            x += st.leftIndent
        text.setTextOrigin(x, baseline)
        text.textOut(self.text)

    def draw(self) -> None:
        if self._para is not None:
            self._para.drawOn(self.canv, 0, 0)
            return
        st, c = self.style, self.canv
        c.setFont(st.fontName, st.fontSize)
        c.setFillColor(st.textColor)
        y = self.height - st.fontSize          # where Paragraph puts its first baseline
        if st.alignment == 2:
            c.drawRightString(self.width - st.rightIndent, y, self.text)
        elif st.alignment == 1:
            c.drawCentredString((self.width + st.leftIndent - st.rightIndent) / 2, y, self.text)
        else:
            c.drawString(st.leftIndent, y, self.text)


class Text:
    """Makes text flowables in one font: escapes markup, keeps line breaks, marks missing
    glyphs, and wraps Chinese between any two characters (English between words)."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.styles = styles(font)
        self._cjk = cjk_styles(font)

    def __call__(self, text: object, style: str = "value") -> Flowable:
        raw = visible(self.font, str(text if text is not None else "")).replace("\r\n", "\n")
        chosen = self._cjk[style] if _has_cjk(raw) else self.styles[style]
        make = partial(_plain_paragraph, raw, style=chosen)
        if chosen.borderWidth:
            return make()
        return Cell(raw, make)


class TickBox(Flowable):
    """A check box drawn as lines: empty, ticked, or struck through (skipped)."""

    def __init__(self, state: str, size: float = 8.5) -> None:
        super().__init__()
        self.state, self.size = state, size
        self.width = self.height = size

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        c, s = self.canv, self.size
        c.setStrokeColor(INK)
        c.setLineWidth(0.7)
        c.rect(0, 0, s, s, stroke=1, fill=0)
        c.setStrokeColor(colors.black)
        c.setLineWidth(1.1)
        if self.state == "done":
            path = c.beginPath()
            path.moveTo(s * 0.18, s * 0.52)
            path.lineTo(s * 0.42, s * 0.22)
            path.lineTo(s * 0.85, s * 0.86)
            c.drawPath(path, stroke=1, fill=0)
        elif self.state == "skipped":
            c.line(s * 0.2, s * 0.5, s * 0.8, s * 0.5)


class Stars(Flowable):
    """``count`` filled stars out of ``of``, then a label: the severity."""

    def __init__(self, count: int, label: str, font: str, of: int = 3, size: float = 9.0) -> None:
        super().__init__()
        self.count, self.label, self.font, self.of, self.size = count, label, font, of, size
        self.height = size + 1

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.height

    def _star(self, cx: float, cy: float, filled: bool) -> None:
        c, outer = self.canv, self.size / 2
        path = c.beginPath()
        for i in range(10):
            radius = outer if i % 2 == 0 else outer * 0.42
            angle = math.pi / 2 + i * math.pi / 5
            x, y = cx + radius * math.cos(angle), cy + radius * math.sin(angle)
            path.moveTo(x, y) if i == 0 else path.lineTo(x, y)
        path.close()
        c.drawPath(path, stroke=1, fill=1 if filled else 0)

    def draw(self) -> None:
        c = self.canv
        c.setStrokeColor(colors.black)
        c.setFillColor(colors.black)
        c.setLineWidth(0.6)
        for i in range(self.of):
            self._star(self.size * (i + 0.5) + i * 1.5, self.size / 2, i < self.count)
        c.setFont(self.font, 8.3)
        c.drawString(self.of * (self.size + 1.5) + 4, 1.2, visible(self.font, self.label))
