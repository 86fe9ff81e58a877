"""The review screen's "Patterns" tab: the week of the day under review seen as a pattern
(the weekly report's figures): cases per category per day drawn as lines, the batches, hot
key words and subjects against the week before, and complaints against staff members."""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import (QGridLayout, QLabel, QTableWidget, QTableWidgetItem, QTabWidget,
                               QWidget)

from desk.enums import policy_label
from desk.i18n import _, format_date
from ui.errors import reported

COLOURS = ["#3A6EA5", "#E07A5F", "#81B29A", "#D4A017", "#6D597A", "#B56576", "#355070",
           "#9A8C98"]


class SurgeChart(QWidget):
    """Cases per category per day, one line per category, with its legend."""

    def __init__(self) -> None:
        super().__init__(objectName="surge_chart")
        self.days: tuple = ()
        self.surge: tuple = ()
        self.setMinimumHeight(190)

    def set_data(self, days, surge) -> None:
        self.days, self.surge = tuple(days), tuple(surge)[:len(COLOURS)]
        self.update()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(40, 12, max(10, self.width() - 230), max(10, self.height() - 40))
        painter.setPen(QPen(QColor("#C8CDD6")))
        painter.drawRect(area)
        if not self.days or not self.surge:
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, _("None."))
            return
        top = max(1, max(max(c) for _k, c in self.surge))
        step = area.width() / max(1, len(self.days) - 1)
        for i, day in enumerate(self.days):
            painter.setPen(QColor("#5A6275"))
            painter.drawText(QPointF(area.left() + i * step - 14, area.bottom() + 16),
                             f"{day.month}/{day.day}")
        painter.drawText(QPointF(8, area.top() + 10), str(top))
        painter.drawText(QPointF(18, area.bottom()), "0")
        for n, (category, counts) in enumerate(self.surge):
            colour = QColor(COLOURS[n])
            painter.setPen(QPen(colour, 2))
            points = [QPointF(area.left() + i * step, area.bottom() - v / top * area.height())
                      for i, v in enumerate(counts)]
            for a, b in zip(points, points[1:]):
                painter.drawLine(a, b)
            legend_y = area.top() + 8 + n * 18
            painter.drawLine(QPointF(area.right() + 14, legend_y - 4),
                             QPointF(area.right() + 34, legend_y - 4))
            painter.setPen(QColor("#1F2A44"))
            painter.drawText(QPointF(area.right() + 40, legend_y), policy_label(category))
        painter.end()


def _table(name: str) -> QTableWidget:
    table = QTableWidget(objectName=name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, headers: list[str], rows: list[tuple]) -> None:
    table.clear()
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(str(value)))
    table.resizeColumnsToContents()


class PatternsPanel(QWidget):
    """Reads through ``StoreReview.patterns`` when shown or when the day changes."""

    def __init__(self, source, when) -> None:
        super().__init__(objectName="patterns_panel")
        self.source, self.when = source, when
        self.patterns = None
        self.heading = QLabel(objectName="patterns_heading")
        self.chart = SurgeChart()
        self.batches, self.words = _table("pattern_batches"), _table("hot_words")
        self.subjects, self.staff = _table("hot_subjects"), _table("against_staff")
        self.titles = [QLabel() for _i in range(5)]
        grid = QGridLayout(self)
        grid.addWidget(self.heading, 0, 0, 1, 2)
        grid.addWidget(self.titles[0], 1, 0, 1, 2)
        grid.addWidget(self.chart, 2, 0, 1, 2)
        for i, (widget, row, col) in enumerate([(self.batches, 3, 0), (self.staff, 3, 1),
                                                (self.words, 5, 0), (self.subjects, 5, 1)]):
            grid.addWidget(self.titles[i + 1], row, col)
            grid.addWidget(widget, row + 1, col)

    @classmethod
    def add_to(cls, tabs: QTabWidget, source, policy, when) -> "PatternsPanel | None":
        """A tab for whoever may see reports (None for others; desk checks again)."""
        from desk.enums import Privilege
        from desk.privileges import holds
        if not holds(policy, source.actor, Privilege.REPORTS):
            return None
        panel = cls(source, when)
        tabs.addTab(panel, "")
        tabs.currentChanged.connect(lambda _i: panel.isVisible() and panel.reload())
        return panel

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.reload()

    def reload(self) -> None:
        day, desk = self.when()
        with reported(self):
            self.patterns = self.source.patterns(day, desk)
        self.retranslate()

    def retranslate(self) -> None:
        tabs = self.parent().parent() if self.parent() is not None else None
        if isinstance(tabs, QTabWidget):
            tabs.setTabText(tabs.indexOf(self), _("Patterns"))
        titles = [_("Surge: cases per category per day"), _("Batch complaints found"),
                  _("Complaints against staff members"), _("Hot topics: key words"),
                  _("Hot topics: subjects")]
        for label, text in zip(self.titles, titles):
            label.setText(f"<b>{text}</b>")
        for widget, text in zip((self.chart, self.batches, self.staff, self.words,
                                 self.subjects), titles):
            widget.setAccessibleName(text)   # a screen reader says what each table is
        p = self.patterns
        if p is None:
            return
        self.heading.setText(_("{start} to {end}").format(start=format_date(p.days[0]),
                                                          end=format_date(p.days[-1]))
                             + " · " + _("Batches: {count}; cases of the period in a batch: "
                                         "{cases}.").format(count=len(p.batches),
                                                            cases=p.cases_in_batches))
        self.chart.set_data(p.days, p.surge)
        change = [_("This period"), _("Period before"), _("Change")]
        _fill(self.batches, [_("Batch"), _("About"), _("Customers"), _("Cases")],
              [(b.batch_no, b.topic, b.customers, b.cases) for b in p.batches])
        _fill(self.staff, [_("Staff member"), _("Cases"), _("Case numbers")],
              [(s.name, s.count, ", ".join(s.cases)) for s in p.against_staff])
        _fill(self.words, [_("Key word")] + change,
              [(h.key, h.this, h.last, f"{h.change:+d}") for h in p.hot_words])
        _fill(self.subjects, [_("Subject")] + change,
              [(h.key, h.this, h.last, f"{h.change:+d}") for h in p.hot_subjects])
