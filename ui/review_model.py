"""The review screen's table model: one day's ``ReviewRow`` (a few hundred at most) with
status, level, severity, deadline state, compensation, approvals and the review decision."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desk.enums import Level, Status
from desk.i18n import N_, _, format_money, format_time
from desk.review import ReviewRow, review_label, sla_label
from ui.table_model import ModelIndex, RowTableModel, TableColumn


class Column(TableColumn):
    CASE_NO = N_("Case no.")
    RECEIVED = N_("Received")
    STATUS = N_("Status")
    LEVEL = N_("Level")
    SEVERITY = N_("Severity")
    SLA = N_("Time limit")
    COMPENSATION = N_("Compensation")
    APPROVALS = N_("Approvals")
    REVIEW = N_("Review")
    COMMENT = N_("Review comment")

SLA_COLOURS = {"overdue": "#C62828", "missed": "#C62828", "due_soon": "#F9A825",
               "ok": "#2E7D32", "met": "#2E7D32"}
REVIEW_COLOURS = {"unreviewed": "#8D6E00", "returned": "#C62828", "approved": "#2E7D32",
                  "signed_off": "#1B5E20"}


class ReviewTableModel(RowTableModel):
    """Rows of the review day (``ReviewRow``); ``set_rows`` replaces them all."""

    columns = Column

    def __init__(self, *, currency: str, tz, parent=None) -> None:
        super().__init__(parent)
        self.currency, self.tz = currency, tz

    def index_of(self, case_no: str) -> int:
        return next((i for i, r in enumerate(self.rows) if r.case_no == case_no), -1)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.shown(index)
        if row is None:
            return None
        column = Column(index.column())
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
