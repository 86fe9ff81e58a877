"""The one-page batch (major) complaint notice for the general manager: what the batch is
about, its state, and every case in it. Data in, PDF bytes out, in the form's font."""
from __future__ import annotations

import io
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from desk.batch_model import BASIS_LABELS, STATUS_LABELS
from desk.enums import Level, Status, policy_label
from desk.forms.fonts import policy_font, visible
from desk.i18n import _, format_datetime, using_locale
from desk.policy import Policy
from desk.radar import BatchDetail

INK = colors.HexColor("#1F2A44")
ALERT = colors.HexColor("#B3261E")
RULE = colors.HexColor("#C8CDD6")
SHADE = colors.HexColor("#EEF1F6")
WIDTH = A4[0] - 30 * mm
SUMMARY_CHARS = 60   # a complaint's first words: the notice stays on one page


def render_notice(detail: BatchDetail, policy: Policy, *, printed_by: str, now: datetime,
                  locale: str | None = None, mall_name: str | None = None) -> bytes:
    """The notice as PDF bytes, in ``locale`` (default: the current language)."""
    with using_locale(locale):
        return _Notice(detail, policy, mall_name or policy.mall_name, printed_by, now).build()


class _Notice:
    def __init__(self, detail: BatchDetail, policy: Policy, mall: str, printed_by: str,
                 now: datetime) -> None:
        self.detail, self.policy, self.mall = detail, policy, mall
        self.printed_by, self.now = printed_by, now
        self.font = policy_font(policy)
        base = dict(fontName=self.font, textColor=INK, wordWrap="CJK")
        self.h1 = ParagraphStyle("h1", fontSize=17, leading=22, textColor=ALERT,
                                 fontName=self.font)
        self.body = ParagraphStyle("body", fontSize=9.5, leading=13, **base)
        self.cell = ParagraphStyle("cell", fontSize=8, leading=10, **base)

    def p(self, value: object, style=None) -> Paragraph:
        return Paragraph(escape(visible(self.font, str(value))), style or self.cell)

    def build(self) -> bytes:
        buffer = io.BytesIO()
        title = _("Batch complaint notice {batch}").format(batch=self.detail.batch.batch_no)
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                                topMargin=18 * mm, bottomMargin=15 * mm, title=title,
                                author=self.mall, creator="Complaint Desk")
        doc.build(self.story(title), onFirstPage=self._furniture)
        return buffer.getvalue()

    def _furniture(self, canvas, doc) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 8)
        canvas.setFillColor(colors.HexColor("#5A6275"))
        made = _("Printed {time} by {name}").format(
            time=format_datetime(self.now, self.policy.tz), name=self.printed_by)
        canvas.drawString(15 * mm, 8 * mm, visible(self.font, f"{self.mall} · {made}"))
        canvas.restoreState()

    def story(self, title: str) -> list:
        b, tz = self.detail.batch, self.policy.tz
        facts = [
            (_("About"), b.topic),
            (_("Found by"), _(BASIS_LABELS.get(b.basis, b.basis))),
            (_("Customers"), str(b.customers)),
            (_("Cases"), str(b.cases)),
            (_("Received"), f"{format_datetime(b.first_received, tz)} – "
                            f"{format_datetime(b.last_received, tz)}"),
            (_("Found"), format_datetime(b.found_at, tz)),
            (_("State"), _(STATUS_LABELS.get(b.status, b.status))),
        ]
        if b.decided_by:
            facts.append((_("Decision"), f"{b.decided_by} {format_datetime(b.decided_at, tz)}: "
                                         f"{b.decision_reason or ''}"))
        facts_table = Table([[self.p(k, self.body), self.p(v, self.body)] for k, v in facts],
                            colWidths=[32 * mm, WIDTH - 32 * mm])
        facts_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                         ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE)]))
        rule = _("A fault reported by {count} or more different customers within {days} days is "
                 "a major complaint: every case below is handled as ★★★, level 2, and "
                 "reported to the general manager at once.").format(
            count=self.policy.radar.count, days=self.policy.radar.window_days)
        return [self.p(self.mall, self.body), self.p(title, self.h1), Spacer(1, 3 * mm),
                self.p(rule, self.body), Spacer(1, 3 * mm), facts_table, Spacer(1, 5 * mm),
                self.cases_table()]

    def cases_table(self) -> Table:
        tz = self.policy.tz
        head = [_("Case"), _("Received"), _("Customer"), _("Subject"), _("Complaint"),
                _("Status"), _("Level")]
        rows = [[self.p(h) for h in head]]
        for m in self.detail.members:
            summary = m.complaint if len(m.complaint) <= SUMMARY_CHARS \
                else m.complaint[:SUMMARY_CHARS] + "…"
            rows.append([self.p(m.case_no), self.p(format_datetime(m.received_at, tz)),
                         self.p(m.customer_name), self.p(m.subject or policy_label(m.category)),
                         self.p(summary), self.p(Status(m.status).label),
                         self.p(f"{Level(m.level).label} {'★' * m.severity}")])
        widths = [30 * mm, 27 * mm, 18 * mm, 24 * mm, WIDTH - 141 * mm, 18 * mm, 24 * mm]
        table = Table(rows, colWidths=widths, repeatRows=1)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("GRID", (0, 0), (-1, -1), 0.3, RULE)]))
        return table
