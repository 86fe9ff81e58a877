"""The mall's letter paper for documents that leave the desk (a reply letter, a tenant's
result notice): logo and mall name at the top, the document's reference and page at the
foot; ``letter_pdf`` turns a story into PDF bytes on it."""
from __future__ import annotations

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate

from desk.forms.fonts import policy_font, visible
from desk.forms.furniture import load_logo
from desk.i18n import _
from desk.policy import Policy

INK = colors.HexColor("#1F3A5F")
MARGIN = 20 * mm


@dataclass(frozen=True)
class Letterhead:
    mall_name: str
    title: str
    reference: str       # printed at the foot of every page (the case number)


def letter_styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontSize=16, leading=22, textColor=INK,
                                alignment=1, spaceAfter=8),
        "label": ParagraphStyle("label", base, fontSize=9.5, leading=13, textColor=INK),
        "small": ParagraphStyle("small", base, fontSize=9, leading=13),
        "right": ParagraphStyle("right", base, alignment=2),
    }


def para(font: str, text: str, style: ParagraphStyle) -> Paragraph:
    """Plain text as a paragraph: escaped (a customer's "<" is not markup), line breaks kept,
    characters the font lacks shown as 〓 rather than as empty boxes."""
    return Paragraph(escape(visible(font, text)).replace("\n", "<br/>"), style)


def letter_pdf(policy: Policy, head: Letterhead, build_story) -> bytes:
    """``build_story(font, styles)`` returns the flowables; the page furniture is drawn here."""
    font = policy_font(policy)
    logo = load_logo(policy.logo)
    out = io.BytesIO()

    def furniture(canvas, doc) -> None:
        width, height = A4
        canvas.saveState()
        x = MARGIN
        if logo is not None:
            w, h = logo.getSize()
            draw_h = 14 * mm
            draw_w = draw_h * w / h if h else draw_h
            canvas.drawImage(logo, x, height - MARGIN + 2 * mm - draw_h, draw_w, draw_h,
                             mask="auto")
            x += draw_w + 4 * mm
        canvas.setFillColor(INK)
        canvas.setFont(font, 15)
        canvas.drawString(x, height - MARGIN - 5 * mm, visible(font, head.mall_name))
        canvas.setFont(font, 9)
        canvas.drawString(x, height - MARGIN - 10 * mm, visible(font, _("Customer service desk")))
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN, height - MARGIN - 14 * mm, width - MARGIN, height - MARGIN - 14 * mm)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, 14 * mm, width - MARGIN, 14 * mm)
        canvas.setFont(font, 8)
        canvas.drawString(MARGIN, 10 * mm, visible(font, head.reference))
        canvas.drawRightString(width - MARGIN, 10 * mm,
                               _("Page {page}").format(page=doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN + 20 * mm, bottomMargin=22 * mm,
                            title=head.title, author=head.mall_name, initialFontName=font)
    doc.build(build_story(font, letter_styles(font)), onFirstPage=furniture,
              onLaterPages=furniture)
    return out.getvalue()
