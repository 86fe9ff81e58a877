"""The acknowledgement slip handed to the customer instead of the form (which stays with the
desk): case number, desk, one line of what was recorded, the promised reply time, how they
will be contacted, and a QR code of the case number. Data in, PDF bytes out, for an 80 mm
receipt roll or an ordinary A4 printer; ``desk.forms.slip_escpos`` prints the same lines on
an ESC/POS receipt printer.

The caller hands in the case as the slip should show it: ``desk.app.promises`` masks the
contact details, whoever prints it, as a slip is easily lost.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from desk.enums import ContactChannel, channel_label, policy_label
from desk.errors import N_, ValidationError
from desk.forms.fonts import policy_font, visible
from desk.i18n import LOCALES, _, format_datetime, using_locale
from desk.model import utcnow
from desk.policy import Policy
from desk.views import CaseDetail

PAPERS = ("receipt", "a4")
SUMMARY_CHARS = 40
RECEIPT_WIDTH = 80 * mm
RECEIPT_MARGIN = 4 * mm
_TOKENS = re.compile(r"[\x21-\x7e\u00c0-\u024f\u2026]+\s*|\s+|.")   # a Latin word, or one character


@dataclass(frozen=True)
class SlipContent:
    """The slip's words, already in the customer's language."""

    mall: str
    title: str
    case_no: str
    lines: tuple[tuple[str, str], ...]     # (label, value)
    note: str
    footer: str


def _summary(detail: CaseDetail, locale: str) -> str:
    subject = detail.subject_name or detail.subject_staff or ""
    text = " ".join(detail.complaint.split())
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS - 1] + "…"
    head = policy_label(detail.category) + (f" · {subject}" if subject else "")
    return f"{head}{'：' if locale.startswith('zh') else ': '}{text}"


def _how(detail: CaseDetail) -> str:
    channel = ContactChannel.parse(detail.contact_channel)
    if detail.contact_consent is False or channel is ContactChannel.IN_PERSON:
        return _("at the desk, when you come back")
    if channel is None:   # no preference given: the desk calls the number it was given
        channel = ContactChannel.PHONE if detail.customer_phone else ContactChannel.IN_PERSON
        if channel is ContactChannel.IN_PERSON:
            return _("at the desk, when you come back")
    detail_text = {ContactChannel.PHONE: detail.customer_phone,
                   ContactChannel.SMS: detail.customer_phone,
                   ContactChannel.EMAIL: detail.customer_email,
                   ContactChannel.LETTER: detail.customer_address}.get(channel)
    return f"{channel_label(channel.value)} {detail_text or ''}".strip()


def slip_content(detail: CaseDetail, policy: Policy, *, locale: str,
                 mall_name: str | None = None, printed_at: datetime | None = None
                 ) -> SlipContent:
    """What the slip says, in ``locale``."""
    if locale not in LOCALES:
        raise ValidationError(N_("locale must be one of {allowed}, not {value}"),
                              allowed=", ".join(LOCALES), value=str(locale)[:20])
    tz = policy.tz
    with using_locale(locale):
        if detail.promised_reply_at is not None:
            reply = format_datetime(detail.promised_reply_at, tz)
        else:
            reply = _("by {time} at the latest").format(
                time=format_datetime(detail.resolution_due, tz))
        lines = (
            (_("Case number"), detail.case_no),
            (_("Desk"), detail.desk),
            (_("Received"), format_datetime(detail.received_at, tz)),
            (_("What we recorded"), _summary(detail, locale)),
            (_("We will reply"), reply),
            (_("How we will contact you"), _how(detail)),
            (_("Taken by"), detail.recorder),
        )
        return SlipContent(
            mall=mall_name or policy.mall_name,
            title=_("Complaint acknowledgement"),
            case_no=detail.case_no, lines=lines,
            note=_("Please keep this slip and quote the case number when you contact us. "
                   "We will contact you at the time above even if there is no news yet."),
            footer=_("Printed {time}. This slip is not the complaint form.").format(
                time=format_datetime(printed_at or utcnow(), tz)))


def render_slip(detail: CaseDetail, policy: Policy, *, locale: str, paper: str = "receipt",
                mall_name: str | None = None, printed_at: datetime | None = None) -> bytes:
    """The slip as PDF: one 80 mm wide page as long as it needs (``receipt``), or the slip
    in a box at the top of an A4 page (``a4``)."""
    if paper not in PAPERS:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="paper",
                              value=str(paper)[:20], allowed=", ".join(PAPERS))
    content = slip_content(detail, policy, locale=locale, mall_name=mall_name,
                           printed_at=printed_at)
    font = policy_font(policy)
    if paper == "receipt":
        layout = _Layout(font, RECEIPT_WIDTH - 2 * RECEIPT_MARGIN, size=9, qr=34 * mm)
        height = layout.height(content) + 2 * RECEIPT_MARGIN
        page, left, top = (RECEIPT_WIDTH, height), RECEIPT_MARGIN, height - RECEIPT_MARGIN
    else:
        layout = _Layout(font, 120 * mm, size=11, qr=40 * mm)
        page, left, top = A4, (A4[0] - 120 * mm) / 2, A4[1] - 25 * mm
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=page, initialFontName=font, lang=locale.replace("_", "-"))
    canvas.setTitle(f"{content.title} {content.case_no}")
    canvas.setAuthor(content.mall)
    canvas.setCreator("Complaint Desk")
    bottom = layout.draw(canvas, content, left, top)
    if paper == "a4":   # a cut line around it: the customer takes the slip, not the page
        canvas.setDash(3, 3)
        canvas.rect(left - 8 * mm, bottom - 6 * mm, layout.width + 16 * mm,
                    top - bottom + 14 * mm)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Layout:
    """Lines drawn top-down in one column; ``height`` measures what ``draw`` uses."""

    def __init__(self, font: str, width: float, *, size: float, qr: float) -> None:
        self.font, self.width, self.size, self.qr = font, width, size, qr
        self.lead = size * 1.35

    def _wrap(self, text: str, size: float) -> list[str]:
        """Lines that fit the column: Latin words kept whole, Chinese broken anywhere
        (ReportLab's own splitter breaks only at spaces, which Chinese text has none of)."""
        lines, line = [], ""
        for token in _TOKENS.findall(visible(self.font, text)):
            if stringWidth(line + token, self.font, size) <= self.width:
                line += token
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = token.lstrip()
            while stringWidth(line, self.font, size) > self.width:   # a very long word
                cut = max(1, len(line) - 1)
                while cut > 1 and stringWidth(line[:cut], self.font, size) > self.width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        return lines + [line.rstrip()] if line.strip() or not lines else lines

    def _blocks(self, content: SlipContent):
        yield "centre", content.mall, self.size
        yield "centre", content.title, self.size * 1.4
        yield "gap", "", self.size * 0.5
        for label, value in content.lines:
            yield "label", label, self.size * 0.85
            yield "text", value, self.size * (1.5 if value == content.case_no else 1)
        yield "qr", content.case_no, self.size
        yield "text", content.note, self.size * 0.85
        yield "gap", "", self.size * 0.3
        yield "text", content.footer, self.size * 0.75

    def height(self, content: SlipContent) -> float:
        total = 0.0
        for kind, text, size in self._blocks(content):
            if kind == "qr":
                total += self.qr + self.lead
            elif kind == "gap":
                total += size
            else:
                total += len(self._wrap(text, size)) * size * 1.35
        return total

    def draw(self, c: Canvas, content: SlipContent, left: float, top: float) -> float:
        y = top
        for kind, text, size in self._blocks(content):
            if kind == "gap":
                y -= size
                continue
            if kind == "qr":
                widget = QrCodeWidget(text, barLevel="M")
                x0, y0, x1, y1 = widget.getBounds()
                drawing = Drawing(self.qr, self.qr,
                                  transform=[self.qr / (x1 - x0), 0, 0, self.qr / (y1 - y0), 0, 0])
                drawing.add(widget)
                y -= self.qr
                renderPDF.draw(drawing, c, left + (self.width - self.qr) / 2, y)
                y -= self.lead
                continue
            c.setFillGray(0.35 if kind == "label" else 0)
            c.setFont(self.font, size)
            for line in self._wrap(text, size):
                y -= size * 1.35
                if kind == "centre":
                    c.drawCentredString(left + self.width / 2, y + size * 0.3, line)
                else:
                    c.drawString(left, y + size * 0.3, line)
        c.setFillGray(0)
        return y


__all__ = ["PAPERS", "SlipContent", "render_slip", "slip_content"]
