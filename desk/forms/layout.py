"""Paper sizes, ink and type of the printed form, and the small drawn flowables (tick boxes,
severity stars) that must never depend on a font having a glyph."""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.platypus import Flowable, Paragraph

from desk.errors import N_, ValidationError
from desk.forms.fonts import visible

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
                        top=0.3 * inch, bottom=0.3 * inch),
}


def paper_for(key: str) -> Paper:
    paper = PAPERS.get(str(key).lower())
    if paper is None:
        raise ValidationError(N_("paper must be one of {allowed}, not {value}"),
                              allowed=", ".join(PAPERS), value=str(key)[:20])
    return paper


def _has_cjk(text: str) -> bool:
    return any(ord(c) >= 0x2E80 for c in text)


@lru_cache(maxsize=None)
def styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("value", fontName=font, fontSize=8.3, leading=10.3, textColor=colors.black)
    return {
        "value": base,
        "small": ParagraphStyle("small", base, fontSize=7.4, leading=9.2),
        "label": ParagraphStyle("label", base, fontSize=7.4, leading=9.2, textColor=INK),
        "heading": ParagraphStyle("heading", base, fontSize=9.2, leading=11.4, textColor=INK),
        # The border sits flush under the section heading and with the tables' edges.
        "text": ParagraphStyle("text", base, fontSize=9, leading=12.2, borderColor=INK,
                               borderWidth=0.8, borderPadding=(2.5, 5, 3.5, 5), spaceBefore=2.5,
                               spaceAfter=6, leftIndent=5, rightIndent=6.5),
        "sign": ParagraphStyle("sign", base, fontSize=7.4, leading=9.2, textColor=INK,
                               alignment=1),
        "right": ParagraphStyle("right", base, alignment=2),
    }


class Text:
    """Makes paragraphs in one font: escapes markup, keeps line breaks, marks missing glyphs,
    and wraps Chinese between any two characters (English between words)."""

    def __init__(self, font: str) -> None:
        self.font = font
        self.styles = styles(font)
        self._cjk = {name: ParagraphStyle(name + "-cjk", style, wordWrap="CJK")
                     for name, style in self.styles.items()}

    def __call__(self, text: object, style: str = "value") -> Paragraph:
        raw = visible(self.font, str(text if text is not None else ""))
        markup = escape(raw).replace("\r\n", "\n").replace("\n", "<br/>")
        chosen = self._cjk[style] if _has_cjk(raw) else self.styles[style]
        return Paragraph(markup, chosen)


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
