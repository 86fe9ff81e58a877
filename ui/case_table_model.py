"""The case list's table model: one page of ``CaseRow`` at a time from
``desk.queries.search_cases``, fetched as the view scrolls, sorted by the store."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import QModelIndex, Qt

from desk import deadlines
from desk.enums import Level, Status, policy_label
from desk.i18n import N_, _, format_datetime, format_money
from desk.queries import CaseFilter, CaseRow
from ui.table_model import ModelIndex, RowTableModel, TableColumn

Fetcher = Callable[[CaseFilter, int, int, str, bool], list[CaseRow]]


class Column(TableColumn):
    CASE_NO = N_("Case no.")
    RECEIVED = N_("Received")
    SLA = N_("Deadline")
    STATUS = N_("Status")
    LEVEL = N_("Level")
    SEVERITY = N_("Severity")
    CUSTOMER = N_("Customer")
    PHONE = N_("Phone")
    CATEGORY = N_("Category")
    HANDLER = N_("Handler")
    TOTAL = N_("Granted")
    SUMMARY = N_("Complaint")

# Columns the store can sort by (an index each); the others keep the current order.
SORT_KEYS = {Column.CASE_NO: "case_no", Column.RECEIVED: "received_at",
             Column.SLA: "resolution_due", Column.STATUS: "status", Column.LEVEL: "level",
             Column.SEVERITY: "severity", Column.CUSTOMER: "customer_name"}
SLA_COLOURS = {"overdue": "#C62828", "due_soon": "#F9A825", "ok": "#2E7D32", "met": "#9E9E9E",
               "missed": "#8D6E63", "done": "#9E9E9E"}
SLA_ROLE = Qt.ItemDataRole.UserRole + 1
DISPLAY = Qt.ItemDataRole.DisplayRole
HANDLED = frozenset({SLA_ROLE, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.TextAlignmentRole})


def sla_of(row: CaseRow, now: datetime, soon: timedelta) -> str:
    """The row's deadline state, as every screen and command answers it."""
    return deadlines.sla_state(row, now, soon).state


class CaseTableModel(RowTableModel):
    """Rows arrive a page at a time (``canFetchMore``/``fetchMore``), so a store of a
    million cases costs one page query to show."""

    PAGE = 200
    columns = Column

    def __init__(self, fetch: Fetcher, *, currency: str, tz, due_soon: timedelta,
                 parent=None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._currency = currency
        self._tz = tz
        self._soon = due_soon
        self._more = False
        self._filter = CaseFilter()
        self._sort = "received_at"   # newest first across desks (a number sorts by desk)
        self._descending = True
        self._now = datetime.now(timezone.utc)
        self._loaded = False
        self._texts: dict[int, tuple] = {}   # row -> display texts, made once per row

    # --- loading -------------------------------------------------------------------------
    def set_rows(self, rows: list[CaseRow], more: bool = False) -> None:
        self._more = more
        self._now = datetime.now(timezone.utc)
        self._texts.clear()
        super().set_rows(rows)

    def set_filter(self, flt: CaseFilter) -> None:
        self._filter = flt
        self._loaded = True
        self.reload()

    def show_page(self, flt: CaseFilter, rows: list[CaseRow]) -> None:
        """The first page for ``flt``, fetched elsewhere (on a worker thread)."""
        self._filter = flt
        self._loaded = True
        self.set_rows(rows, more=len(rows) == self.PAGE)

    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._descending

    def reload(self) -> None:
        rows = self._fetch(self._filter, 0, self.PAGE, self._sort, self._descending)
        self.set_rows(rows, more=len(rows) == self.PAGE)

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and self._more

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:
        if parent.isValid() or not self._more:
            return
        rows = self._fetch(self._filter, len(self.rows), self.PAGE, self._sort,
                           self._descending)
        self._more = len(rows) == self.PAGE
        if not rows:
            return
        first = len(self.rows)
        self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
        self.rows.extend(rows)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(Column(column))
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        if self._loaded:   # the view sorts once when it is built: no query before it is shown
            self.reload()

    # --- reading -------------------------------------------------------------------------
    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        # Called for every role of every visible cell on each paint: the common roles are
        # answered first, with no work for the roles this model does not handle.
        if role == DISPLAY:
            return self._row_texts(index.row())[index.column()] if index.isValid() else None
        if role not in HANDLED or not index.isValid():
            return None
        column = index.column()
        row = self.rows[index.row()]
        if role == SLA_ROLE:
            return sla_of(row, self._now, self._soon) if column == Column.SLA else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == Column.SLA:
                state = deadlines.sla_state(row, self._now, self._soon)
                if state.clock is None:
                    return None
                return _("{clock}: {time}").format(clock=_(deadlines.CLOCK_LABELS[state.clock]),
                                                   time=format_datetime(state.due, self._tz))
            if column == Column.SUMMARY:
                return row.summary
            return None
        if column == Column.TOTAL:   # TextAlignmentRole
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _row_texts(self, number: int) -> tuple:
        texts = self._texts.get(number)
        if texts is None:
            row = self.rows[number]
            texts = self._texts[number] = tuple(self._display(row, c) for c in Column)
        return texts

    def _display(self, row: CaseRow, column: Column) -> str:
        if column == Column.CASE_NO:
            return row.case_no
        if column == Column.RECEIVED:
            return format_datetime(row.received_at, self._tz)
        if column == Column.SLA:
            return deadlines.label(sla_of(row, self._now, self._soon))
        if column == Column.STATUS:
            return Status(row.status).label
        if column == Column.LEVEL:
            return Level(row.level).label
        if column == Column.SEVERITY:
            return "★" * row.severity
        if column == Column.CUSTOMER:
            return row.customer_name
        if column == Column.PHONE:
            return row.customer_phone or ""
        if column == Column.CATEGORY:
            return policy_label(row.category)
        if column == Column.HANDLER:
            return row.handler
        if column == Column.TOTAL:
            return format_money(row.total, self._currency) if row.total else ""
        return row.summary

    def retranslate(self) -> None:
        """Labels come from the active language: forget the made texts, then repaint."""
        self._texts.clear()
        super().retranslate()
