"""The one template every table model follows: columns declared once with their headers,
rows replaced as a whole, headers translated when asked, ``None`` for roles not handled."""
from __future__ import annotations

from enum import IntEnum

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desk.i18n import _

ModelIndex = QModelIndex | QPersistentModelIndex


class TableColumn(IntEnum):
    """A column numbered in the order it is declared, carrying its header's msgid:

        class Column(TableColumn):
            CASE_NO = N_("Case no.")
            RECEIVED = N_("Received")
    """

    header: str

    def __new__(cls, header: str) -> "TableColumn":
        number = len(cls._member_names_)
        member = int.__new__(cls, number)
        member._value_ = number
        member.header = header
        return member


class RowTableModel(QAbstractTableModel):
    """A flat table of frozen rows. Subclasses set ``columns`` and answer ``data``."""

    columns: type[TableColumn]

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.rows: list = []

    def set_rows(self, rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int):
        return self.rows[row]

    def shown(self, index: ModelIndex):
        """The row under ``index``; None for an index this table does not (or no longer)
        hold, which a view may still ask about while rows are being replaced."""
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        return self.rows[index.row()]

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(self.columns):
            return _(self.columns(section).header)
        return None

    def retranslate(self) -> None:
        """Headers and texts come from the active language: repaint them all."""
        last = len(self.columns) - 1
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, last)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, last))


__all__ = ["ModelIndex", "RowTableModel", "TableColumn"]
