"""The review screen's table model: one day's ``ReviewRow`` (a few hundred at most) with
status, level, severity, deadline state, compensation, approvals and the review decision."""
from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from desk.enums import Level, Status
from desk.i18n import N_, _, format_money, format_time
from desk.review import ReviewRow, review_label, sla_label

ModelIndex = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    CASE_NO = 0
    RECEIVED = 1
    STATUS = 2
    LEVEL = 3
    SEVERITY = 4
    SLA = 5
    COMPENSATION = 6
    APPROVALS = 7
    REVIEW = 8
    COMMENT = 9


HEADERS = {Column.CASE_NO: N_("Case no."), Column.RECEIVED: N_("Received"),
           Column.STATUS: N_("Status"), Column.LEVEL: N_("Level"),
           Column.SEVERITY: N_("Severity"), Column.SLA: N_("Time limit"),
           Column.COMPENSATION: N_("Compensation"), Column.APPROVALS: N_("Approvals"),
           Column.REVIEW: N_("Review"), Column.COMMENT: N_("Review comment")}
SLA_COLOURS = {"overdue": "#C62828", "missed": "#C62828", "due_soon": "#F9A825",
               "ok": "#2E7D32", "met": "#2E7D32"}
REVIEW_COLOURS = {"unreviewed": "#8D6E00", "returned": "#C62828", "approved": "#2E7D32",
                  "signed_off": "#1B5E20"}


class ReviewTableModel(QAbstractTableModel):
    """Rows of the review day; ``set_rows`` replaces them all."""

    def __init__(self, *, currency: str, tz, parent=None) -> None:
        super().__init__(parent)
        self.currency, self.tz = currency, tz
        self.rows: list[ReviewRow] = []

    def set_rows(self, rows: list[ReviewRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ReviewRow:
        return self.rows[row]

    def index_of(self, case_no: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.case_no == case_no), -1)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[Column(section)])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row, column = self.rows[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column is Column.SLA and row.sla in SLA_COLOURS:
                return QColor(SLA_COLOURS[row.sla])
            if column is Column.REVIEW:
                return QColor(REVIEW_COLOURS.get(row.review, "#000000"))
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.COMPENSATION:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column is Column.COMMENT and row.review_comment:
                return row.review_comment
            return row.summary or None
        return None

    def _display(self, row: ReviewRow, column: Column) -> str:
        if column is Column.CASE_NO:
            return row.case_no
        if column is Column.RECEIVED:
            return format_time(row.received_at, self.tz)
        if column is Column.STATUS:
            return Status(row.status).label
        if column is Column.LEVEL:
            return Level(row.level).label
        if column is Column.SEVERITY:
            return "★" * row.severity
        if column is Column.SLA:
            return sla_label(row.sla)
        if column is Column.COMPENSATION:
            return format_money(row.compensation, self.currency) if row.compensation else ""
        if column is Column.APPROVALS:
            parts = []
            if row.approvals_given:
                parts.append(_("{count} approved").format(count=row.approvals_given))
            if row.approvals_pending:
                parts.append(_("{count} waiting").format(count=row.approvals_pending))
            return ", ".join(parts)
        if column is Column.REVIEW:
            return review_label(row.review)
        return row.review_comment.replace("\n", " ")

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.rows) - 1, len(Column) - 1))
