"""The day or week report as PDF bytes: ReportLab's own charts and the tables of
``desk.reports.tables``, in the form's embedded TrueType font so Chinese always renders."""
from __future__ import annotations

import io
from functools import partial
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from desk.enums import Level, policy_label
from desk.forms.fonts import policy_font, visible
from desk.i18n import _, format_datetime, format_money, format_number, using_locale
from desk.policy import Policy
from desk.reports import tables as tb
from desk.reports.pattern_pdf import pattern_story
from desk.reports.stats import Stats

INK = colors.HexColor("#1F2A44")
BAR = colors.HexColor("#3A6EA5")
BAR2 = colors.HexColor("#E07A5F")
BAR3 = colors.HexColor("#81B29A")
RULE = colors.HexColor("#C8CDD6")
SHADE = colors.HexColor("#EEF1F6")
WIDTH = A4[0] - 36 * mm


def render_report(stats: Stats, policy: Policy, *, locale: str | None = None,
                  mall_name: str | None = None) -> bytes:
    """The report as PDF bytes, in ``locale`` (default: the current language)."""
    with using_locale(locale):
        return _Builder(stats, policy, mall_name or policy.mall_name).build()


class _Builder:
    def __init__(self, stats: Stats, policy: Policy, mall_name: str) -> None:
        self.stats, self.policy, self.mall = stats, policy, mall_name
        self.width = WIDTH
        self.font = policy_font(policy)
        base = dict(fontName=self.font, textColor=INK, wordWrap="CJK")
        self.h1 = ParagraphStyle("h1", fontSize=16, leading=20, spaceAfter=2, **base)
        self.h2 = ParagraphStyle("h2", fontSize=11.5, leading=15, spaceBefore=8, spaceAfter=4,
                                 **base)
        self.body = ParagraphStyle("body", fontSize=9, leading=12, **base)
        self.cell = ParagraphStyle("cell", fontSize=8, leading=10, **base)
        self.note = ParagraphStyle("note", fontSize=7.5, leading=10,
                                   **{**base, "textColor": colors.HexColor("#5A6275")})

    def text(self, value: object) -> str:
        return escape(visible(self.font, str(value)))

    def build(self) -> bytes:
        s = self.stats
        buffer = io.BytesIO()
        title = tb.title_of(s)
        doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm,
                                topMargin=20 * mm, bottomMargin=16 * mm, title=title,
                                author=self.mall, creator="Complaint Desk",
                                subject=tb.period_of(s))
        made = _("Made {time}").format(time=format_datetime(s.made_at, self.policy.tz))
        if s.audit_head:
            made += " · " + _("audit head {head}").format(head=s.audit_head)
        on_page = partial(self._furniture, title=title, made=made)
        doc.build(self.story(), onFirstPage=on_page, onLaterPages=on_page)
        return buffer.getvalue()

    def _furniture(self, canvas, doc, *, title: str, made: str) -> None:
        canvas.saveState()
        canvas.setFont(self.font, 8)
        canvas.setFillColor(colors.HexColor("#5A6275"))
        top = A4[1] - 12 * mm
        canvas.drawString(18 * mm, top, visible(self.font, f"{self.mall} · {title}"))
        canvas.drawRightString(A4[0] - 18 * mm, top, visible(self.font, tb.period_of(self.stats)))
        canvas.setStrokeColor(RULE)
        canvas.line(18 * mm, top - 2 * mm, A4[0] - 18 * mm, top - 2 * mm)
        canvas.drawString(18 * mm, 9 * mm, visible(self.font, made))
        canvas.drawRightString(A4[0] - 18 * mm, 9 * mm,
                               _("Page {page}").format(page=doc.page))
        canvas.restoreState()

    # --- the story ---------------------------------------------------------------------------

    def story(self) -> list:
        s = self.stats
        tables = {t.key: t for t in tb.build_tables(s, self.policy)}
        out: list = [Paragraph(self.text(tb.title_of(s)), self.h1),
                     Paragraph(self.text(f"{self.mall} · {tb.period_of(s)}"), self.body),
                     Spacer(1, 4 * mm)]
        out.append(self._table(tables["summary"], widths=(0.6, 0.4)))
        if not s.total:
            out.append(Spacer(1, 6 * mm))
            out.append(Paragraph(self.text(_("No cases were received in this period.")),
                                 self.body))
        charts = [
            (_("Cases by category"), [(policy_label(c.key), c.count) for c in s.by_category]),
            (_("Cases by subject (tenant or shop), top 10"),
             [(tb.subject_label(c.key), c.count) for c in s.by_subject[:10]]),
            (_("Cases by handler"), [(c.key, c.count) for c in s.by_staff[:12]]),
        ]
        for title, data in charts:
            if data:
                out.append(KeepTogether([Paragraph(self.text(title), self.h2),
                                         self._hbar(data)]))
        small = [(_("Level"), [(Level(c.key).label, c.count) for c in s.by_level]),
                 (_("Severity"), [(tb.severity_label(c.key), c.count) for c in s.by_severity]),
                 (_("Desk"), [(c.key, c.count) for c in s.by_desk])]
        if s.total:
            out.append(KeepTogether([
                Paragraph(self.text(_("Cases by level, severity and desk")), self.h2),
                self._vbars(small)]))
        if s.compensation:
            out.append(KeepTogether([
                Paragraph(self.text(_("Compensation handed over, by kind")), self.h2),
                self._hbar([(policy_label(c.key), float(c.amount)) for c in s.compensation],
                           money=True)]))
        f = s.follow_ups
        if sum(f.satisfaction):
            out.append(KeepTogether([
                Paragraph(self.text(_("Satisfaction at the follow-up call")), self.h2),
                self._vbars([(_("Customers"), [(str(i + 1), n)
                                               for i, n in enumerate(f.satisfaction)])])]))
        if s.total:
            out.append(KeepTogether([
                Paragraph(self.text(_("Cases by content, degree and member tier")), self.h2),
                self._vbars([(_("Content"), [(tb.class_label(c.key), c.count)
                                             for c in s.by_content]),
                             (_("Degree"), [(tb.class_label(c.key), c.count)
                                            for c in s.by_degree]),
                             (_("Member tier"), [(policy_label(c.key), c.count)
                                                 for c in s.by_tier])])]))
        for key in ("category", "content", "degree", "tier", "level", "severity", "subject",
                    "mall", "desk", "staff", "status", "compensation", "cost_states",
                    "attitude", "time_limits", "follow_ups", "repeat_complainants",
                    "recurring_subjects", "vouchers", "root_causes", "root_cause_candidates",
                    "chargebacks"):
            table = tables.get(key)
            if table is None:          # "mall": only in a group's store
                continue
            head = [Paragraph(self.text(table.title), self.h2)]
            if table.note:
                head.append(Paragraph(self.text(table.note), self.note))
            if key == "root_cause_candidates" and table.rows:
                numbers = ", ".join(row[0] for row in table.rows)
                out.append(KeepTogether(head + [Paragraph(self.text(numbers), self.cell)]))
                continue
            if not table.rows or (key == "chargebacks" and not s.chargebacks):
                out.append(KeepTogether(head + [Paragraph(self.text(_("None.")), self.body)]))
                continue
            if len(table.rows) < 25:
                out.append(KeepTogether(head + [self._table(table)]))
            else:
                out.extend(head + [self._table(table)])
        out.extend(pattern_story(self, s))   # batches, hot topics, surge, against staff
        return out

    def _table(self, table: tb.Table, widths=None) -> Table:
        header = [self._cell(c.title) for c in table.columns]
        body = [[self._cell(tb.cell_text(v, c.kind, self.policy))
                 for v, c in zip(row, table.columns)] for row in table.rows]
        n = len(table.columns)
        if widths is None:
            text_cols = sum(1 for c in table.columns if c.kind == tb.TEXT) or 1
            numeric = WIDTH * 0.16
            rest = (WIDTH - numeric * (n - text_cols)) / text_cols
            widths = [rest if c.kind == tb.TEXT else numeric for c in table.columns]
        else:
            widths = [WIDTH * w for w in widths]
        t = Table([header] + body, colWidths=widths, repeatRows=1, hAlign="LEFT")
        style = [("FONT", (0, 0), (-1, -1), self.font, 8),
                 ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                 ("LINEBELOW", (0, 0), (-1, 0), 0.6, INK),
                 ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
                 ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
        for i, c in enumerate(table.columns):
            if c.kind in (tb.INT, tb.MONEY, tb.SHARE, tb.DURATION):
                style.append(("ALIGN", (i, 0), (i, -1), "RIGHT"))
        t.setStyle(TableStyle(style))
        return t

    def _cell(self, text: str):
        """Short text as a plain cell (fast); long text as a paragraph that wraps."""
        if len(text) <= 24:
            return visible(self.font, text)
        return Paragraph(self.text(text), self.cell)

    # --- charts ------------------------------------------------------------------------------

    def _hbar(self, data: list[tuple[str, float]], *, money: bool = False) -> Drawing:
        labels = [visible(self.font, _clip(label, 26)) for label, _v in data]
        values = [v for _l, v in data]
        row = 13
        height = max(40, row * len(data) + 24)
        d = Drawing(WIDTH, height)
        chart = HorizontalBarChart()
        chart.x, chart.y = 150, 14
        chart.width, chart.height = WIDTH - 215, height - 24
        chart.data = [list(reversed(values))]
        chart.categoryAxis.categoryNames = list(reversed(labels))
        chart.categoryAxis.labels.fontName = self.font
        chart.categoryAxis.labels.fontSize = 7.5
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.labels.dx = -4
        chart.valueAxis.valueMin = 0
        chart.valueAxis.labels.fontName = self.font
        chart.valueAxis.labels.fontSize = 7
        chart.valueAxis.visibleGrid = True
        chart.valueAxis.labelTextFormat = lambda v: format_number(int(v))
        chart.valueAxis.gridStrokeColor = RULE
        if not money:
            chart.valueAxis.valueStep = _step(max(values or [1]))
        chart.bars[0].fillColor = BAR2 if money else BAR
        chart.bars.strokeColor = None
        chart.barLabelFormat = (lambda v: format_money(v, self.policy.currency)) if money else "%d"
        chart.barLabels.fontName = self.font
        chart.barLabels.fontSize = 7
        chart.barLabels.boxAnchor = "w"
        chart.barLabels.dx = 3
        d.add(chart)
        return d

    def _vbars(self, groups: list[tuple[str, list[tuple[str, int]]]]) -> Drawing:
        height = 120
        d = Drawing(WIDTH, height)
        slot = WIDTH / len(groups)
        palette = [BAR, BAR2, BAR3]
        for i, (title, data) in enumerate(groups):
            chart = VerticalBarChart()
            chart.x, chart.y = i * slot + 28, 22
            # room above the tallest bar for its label, below the group's title
            chart.width, chart.height = slot - 44, height - 52
            chart.data = [[v for _l, v in data] or [0]]
            chart.categoryAxis.categoryNames = [visible(self.font, _clip(l, 12))
                                                for l, _v in data] or [""]
            chart.categoryAxis.labels.fontName = self.font
            chart.categoryAxis.labels.fontSize = 7
            chart.valueAxis.valueMin = 0
            chart.valueAxis.valueStep = _step(max([v for _l, v in data] or [1]))
            chart.valueAxis.labels.fontName = self.font
            chart.valueAxis.labels.fontSize = 7
            chart.bars[0].fillColor = palette[i % 3]
            chart.bars.strokeColor = None
            chart.barLabelFormat = "%d"
            chart.barLabels.fontName = self.font
            chart.barLabels.fontSize = 7
            chart.barLabels.nudge = 6
            d.add(chart)
            d.add(String(i * slot + slot / 2, height - 10, visible(self.font, title),
                         fontName=self.font, fontSize=8.5, textAnchor="middle", fillColor=INK))
        return d


def _clip(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1] + "…"


def _step(top: float) -> float:
    """A round axis step giving at most about six ticks."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if top / step <= 6:
            return step
    return max(1, round(top / 6))


__all__ = ["render_report"]
