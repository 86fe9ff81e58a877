"""The case list: today's and open cases, filters, a search box, SLA chips; a page of rows
at a time so it stays instant on a store of a million cases."""
from __future__ import annotations

from datetime import datetime, timedelta

from PySide6.QtCore import QModelIndex, QRectF, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QPushButton, QStyle, QStyledItemDelegate, QStyleOptionViewItem,
                               QTableView, QVBoxLayout, QWidget)

from desk import rules
from desk.enums import Level, Status
from desk.i18n import N_, _
from desk.queries import CaseFilter, CaseRow
from ui.case_table_model import SLA_COLOURS, SLA_ROLE, CaseTableModel, Column
from ui.errors import explain, reported
from ui.session import Desk
from ui.widgets import ChoiceCombo

SCOPES = {"today_open": N_("Today's and open cases"), "open": N_("Open cases"),
          "today": N_("Today's cases"), "follow_up": N_("Resolved, awaiting follow-up"),
          "all": N_("All cases")}


class ChipDelegate(QStyledItemDelegate):
    """Paints the deadline column as a coloured, rounded chip."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        state = index.data(SLA_ROLE)
        if state is None:
            super().paint(painter, option, index)
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.fillRect(option.rect, option.palette.color(QPalette.ColorRole.Highlight))
        rect = QRectF(option.rect).adjusted(4, 3, -4, -3)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(SLA_COLOURS[state]))
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(QColor("#000000" if state == "due_soon" else "#FFFFFF"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(index.data()))
        painter.restore()


class CaseListPanel(QWidget):
    """Emits ``case_activated(case_no)`` on double-click or Enter."""

    case_activated = Signal(str)
    loaded = Signal()
    _page_ready = Signal(int, object, object)
    _page_failed = Signal(int, str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_list")
        self.desk = desk
        policy = desk.policy
        self.model = CaseTableModel(desk.search, currency=policy.currency, tz=policy.tz,
                                    due_soon=timedelta(hours=policy.due_soon_hours), parent=self)
        bar = QHBoxLayout()
        self.search = QLineEdit(objectName="case_search")
        self.search.setClearButtonEnabled(True)
        self.scope = ChoiceCombo("filter_scope")
        self.status = ChoiceCombo("filter_status")
        self.level = ChoiceCombo("filter_level")
        self.severity = ChoiceCombo("filter_severity")
        self.desk_filter = QLineEdit(objectName="filter_desk")
        self.desk_filter.setMaximumWidth(60)
        self.refresh_button = QPushButton(objectName="refresh_button")
        for widget in (self.search, self.scope, self.status, self.level, self.severity,
                       self.desk_filter, self.refresh_button):
            bar.addWidget(widget, 3 if widget is self.search else 0)
        self.view = QTableView(objectName="case_table")
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.horizontalHeader().setSortIndicator(Column.RECEIVED, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setItemDelegateForColumn(Column.SLA, ChipDelegate(self.view))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in ((Column.CASE_NO, 150), (Column.RECEIVED, 130), (Column.SLA, 90),
                              (Column.STATUS, 100), (Column.LEVEL, 80), (Column.SEVERITY, 60),
                              (Column.CUSTOMER, 110), (Column.PHONE, 110),
                              (Column.CATEGORY, 130), (Column.HANDLER, 80), (Column.TOTAL, 80)):
            self.view.setColumnWidth(column, width)
        self.view.doubleClicked.connect(self._activated)
        self.view.activated.connect(self._activated)
        self.count = QLabel(objectName="case_count")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.count)
        self._search_timer = QTimer(self, singleShot=True, interval=250)
        self._search_timer.timeout.connect(self.request_filter)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self.open_first)
        self.desk_filter.textChanged.connect(lambda _t: self._search_timer.start())
        for combo in (self.scope, self.status, self.level, self.severity):
            combo.currentIndexChanged.connect(lambda _i: self.request_filter())
        self.refresh_button.clicked.connect(self.request_filter)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._generation = 0
        self._page_ready.connect(self._page_arrived)
        self._page_failed.connect(self._page_error)
        self.scope.set_choices((k, lambda t=t: _(t)) for k, t in SCOPES.items())
        self.status.set_choices([(None, lambda: _("Any status"))] +
                                [(s.value, lambda s=s: s.label) for s in Status])
        self.level.set_choices([(None, lambda: _("Any level"))] +
                               [(lv.value, lambda lv=lv: lv.label) for lv in Level])
        self.severity.set_choices([(None, lambda: _("Any severity"))] +
                                  [(n, lambda n=n: "★" * n) for n in (1, 2, 3)])
        self.retranslate()

    def retranslate(self) -> None:
        self.search.setPlaceholderText(_("Search: case no., customer, phone, text (Ctrl+F)"))
        self.desk_filter.setPlaceholderText(_("Desk"))
        self.desk_filter.setToolTip(_("Only this desk's cases (e.g. A)"))
        self.refresh_button.setText(_("&Refresh"))
        for combo in (self.scope, self.status, self.level, self.severity):
            combo.retranslate()
        self.model.retranslate()
        self._show_count()

    def current_filter(self) -> CaseFilter:
        today = datetime.now(self.desk.policy.tz).date()
        scope = self.scope.key()
        statuses: tuple[str, ...] = ()
        kw: dict = {}
        if scope == "today_open":
            kw["open_or_day"] = today
        elif scope == "open":
            statuses = tuple(s.value for s in rules.ACTIVE)
        elif scope == "today":
            kw.update(day_from=today, day_to=today)
        elif scope == "follow_up":
            statuses = (Status.RESOLVED.value,)
        if self.status.key():
            statuses = (self.status.key(),)
        desk_text = self.desk_filter.text().strip().upper()
        return CaseFilter(statuses=statuses,
                          levels=(self.level.key(),) if self.level.key() else (),
                          severities=(self.severity.key(),) if self.severity.key() else (),
                          desks=(desk_text,) if desk_text else (), text=self.search.text(),
                          **kw)

    def apply_filter(self) -> None:
        """Filter now, on this thread (start-up, after a change made here, scripts)."""
        self._generation += 1
        with reported(self):
            self.model.set_filter(self.current_filter())
        self._show_count()

    def request_filter(self) -> None:
        """What the clerk changes: the first page is fetched on a worker thread, so a slow
        filter never freezes the window; a newer request makes an older answer void."""
        self._generation += 1
        generation, flt = self._generation, self.current_filter()
        sort, descending = self.model.sort_key()
        page = self.model.PAGE

        def fetch() -> None:
            try:
                rows = self.desk.search(flt, 0, page, sort, descending)
            except Exception as exc:  # shown as a plain message on the UI thread
                self._page_failed.emit(generation, explain(exc))
                return
            self._page_ready.emit(generation, flt, rows)
        self.count.setText(_("Searching…"))
        self._pool.start(fetch)

    def _page_arrived(self, generation: int, flt: CaseFilter, rows: list) -> None:
        if generation != self._generation:
            return
        self.model.show_page(flt, rows)
        self._show_count()
        self.loaded.emit()

    def _page_error(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.count.setText(message)

    def _show_count(self) -> None:
        shown = self.model.rowCount()
        more = self.model.canFetchMore()
        self.count.setText((_("{count}+ cases (scroll for more)") if more else
                            _("{count} cases")).format(count=shown))

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.case_activated.emit(self.model.row_at(index.row()).case_no)

    def selected_rows(self) -> list[CaseRow]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.row_at(r) for r in rows]

    def open_first(self) -> str | None:
        """Enter in the search field: the case found (the selected one, else the first) opens
        at once, so a search reaches its case in one key."""
        self._search_timer.stop()
        self.apply_filter()          # what was typed, searched now (not in 250 ms, not stale)
        if self.model.rowCount() == 0:
            return None
        index = self.view.currentIndex()
        row = index.row() if index.isValid() else 0
        case_no = self.model.row_at(row).case_no
        self.case_activated.emit(case_no)
        return case_no

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
