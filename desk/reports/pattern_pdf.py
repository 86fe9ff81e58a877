"""The report PDF's "seeing the pattern" pages: the batches, the surge chart (cases per
category per day, one line per category), hot topics and complaints against staff, laid out
by the report's builder (``desk.reports.pdf``) in its styles."""
from __future__ import annotations

from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.platypus import KeepTogether, PageBreak, Paragraph

from desk.enums import policy_label
from desk.forms.fonts import visible
from desk.i18n import _
from desk.reports.pattern_tables import day_label, pattern_tables

LINES = [colors.HexColor(c) for c in ("#3A6EA5", "#E07A5F", "#81B29A", "#F2CC8F", "#6D597A",
                                      "#B56576", "#355070", "#9A8C98")]
RULE = colors.HexColor("#C8CDD6")
MOST_LINES = 8   # the busiest categories; the table below has them all
WIDTHS = {"batches": (0.15, 0.15, 0.26, 0.13, 0.08, 0.06, 0.17)}


def pattern_story(builder, stats) -> list:
    """Flowables for the patterns of ``stats`` (none when it has none)."""
    p = stats.patterns
    if p is None:
        return []
    tables = {t.key: t for t in pattern_tables(stats, builder.policy)}
    out: list = [PageBreak(), Paragraph(builder.text(_("Seeing the pattern")), builder.h1)]
    if p.surge and len(p.days) > 1:
        out.append(KeepTogether([
            Paragraph(builder.text(_("Surge: cases per category per day")), builder.h2),
            surge_chart(builder.font, p.days, p.surge[:MOST_LINES], builder.width)]))
    for key in ("batches", "hot_words", "hot_subjects", "surge", "against_staff"):
        table = tables[key]
        head = [Paragraph(builder.text(table.title), builder.h2)]
        if table.note:
            head.append(Paragraph(builder.text(table.note), builder.note))
        n = len(table.columns)
        widths = WIDTHS.get(key) or ((0.23,) + (0.77 / (n - 1),) * (n - 1) if key == "surge"
                                     else None)
        body = builder._table(table, widths=widths) if table.rows else \
            Paragraph(builder.text(_("None.")), builder.body)
        out.append(KeepTogether(head + [body]))
    return out


def surge_chart(font: str, days, surge, width: float) -> Drawing:
    height = 170
    d = Drawing(width, height)
    chart = HorizontalLineChart()
    chart.x, chart.y = 30, 22
    chart.width, chart.height = width - 170, height - 34
    chart.data = [list(counts) for _c, counts in surge]
    chart.categoryAxis.categoryNames = [visible(font, day_label(day)) for day in days]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 6.5
    chart.valueAxis.valueMin = 0
    top = max((max(c) for _k, c in surge), default=1) or 1
    chart.valueAxis.valueStep = max(1, -(-top // 5))
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    for i in range(len(surge)):
        chart.lines[i].strokeColor = LINES[i % len(LINES)]
        chart.lines[i].strokeWidth = 1.6
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 130, height - 16
    legend.fontName, legend.fontSize = font, 7.5
    legend.alignment = "right"
    legend.columnMaximum = 10
    legend.colorNamePairs = [(LINES[i % len(LINES)], visible(font, policy_label(category)))
                             for i, (category, _c) in enumerate(surge)]
    d.add(legend)
    return d
