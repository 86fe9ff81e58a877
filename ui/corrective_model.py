"""Table models of the corrective-actions panel: root-cause records (8D) and tenant
chargebacks, from ``desk.corrective``'s frozen rows."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from desk.corrective import ChargebackRow, RootCauseRow
from desk.i18n import N_, _, format_date, format_datetime, format_money
from ui.case_aftercare import state_text
from ui.table_model import ModelIndex, RowTableModel, TableColumn

DONE, OPEN = QColor("#2E7D32"), QColor("#8D6E00")


class RootCauseColumn(TableColumn):
    NUMBER = N_("No.")
    TITLE = N_("Title")
    STATE = N_("State")
    OPENED = N_("Opened")
    CASES = N_("Linked cases")


class RootCauseTableModel(RowTableModel):
    columns = RootCauseColumn

    def __init__(self, tz, parent=None) -> None:
        super().__init__(parent)
        self.tz = tz

    def index_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self.rows) if r.id == record_id), -1)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row: RootCauseRow | None = self.shown(index)
        if row is None:
            return None
        column = RootCauseColumn(index.column())
        if role == Qt.ItemDataRole.ForegroundRole and column is RootCauseColumn.STATE:
            return DONE if row.verified_at else OPEN
        if role == Qt.ItemDataRole.ToolTipRole and column is RootCauseColumn.TITLE:
            return row.problem
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column is RootCauseColumn.NUMBER:
            return str(row.id)
        if column is RootCauseColumn.TITLE:
            return row.title
        if column is RootCauseColumn.CASES:
            return " ".join(row.cases)
        if column is RootCauseColumn.OPENED:
            return _("{date}, {name}").format(
                date=format_date(row.opened_at.astimezone(self.tz).date()), name=row.opened_by)
        return state_text(row, self.tz)


class ChargebackColumn(TableColumn):
    NUMBER = N_("No.")
    TENANT = N_("Tenant")
    CASE_NO = N_("Case no.")
    AMOUNT = N_("Amount")
    RECORDED = N_("Recorded")
    SETTLED = N_("Settled")


class ChargebackTableModel(RowTableModel):
    columns = ChargebackColumn

    def __init__(self, *, currency: str, tz, parent=None) -> None:
        super().__init__(parent)
        self.currency, self.tz = currency, tz

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row: ChargebackRow | None = self.shown(index)
        if row is None:
            return None
        column = ChargebackColumn(index.column())
        if role == Qt.ItemDataRole.ForegroundRole and column is ChargebackColumn.SETTLED:
            return DONE if row.settled_at else OPEN
        if role == Qt.ItemDataRole.TextAlignmentRole and column is ChargebackColumn.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.reason or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if column is ChargebackColumn.NUMBER:
            return str(row.id)
        if column is ChargebackColumn.TENANT:
            return row.tenant
        if column is ChargebackColumn.CASE_NO:
            return row.case_no
        if column is ChargebackColumn.AMOUNT:
            return format_money(row.amount, self.currency)
        if column is ChargebackColumn.RECORDED:
            return format_datetime(row.recorded_at, self.tz)
        if row.settled_at is None:
            return _("not yet recovered")
        settled = format_datetime(row.settled_at, self.tz)
        return f"{settled} · {row.settlement_note}" if row.settlement_note else settled


__all__ = ["ChargebackColumn", "ChargebackTableModel", "RootCauseColumn",
           "RootCauseTableModel"]
