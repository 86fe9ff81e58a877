"""The base table model every table of the app uses, without a view."""
from __future__ import annotations

from PySide6.QtCore import Qt

from desk.i18n import N_, using_locale
from ui.followups import Column as FollowUpColumn
from ui.review_model import Column as ReviewColumn
from ui.table_model import RowTableModel, TableColumn


class Column(TableColumn):
    CASE_NO = N_("Case no.")
    CUSTOMER = N_("Customer")


class Names(RowTableModel):
    columns = Column

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        return self.rows[index.row()][index.column()]


def test_columns_are_numbered_as_declared_and_carry_their_header():
    assert [int(c) for c in Column] == [0, 1]
    assert Column(1) is Column.CUSTOMER and Column.CUSTOMER.header == "Customer"
    assert ReviewColumn.COMMENT == len(ReviewColumn) - 1
    assert FollowUpColumn.NEXT.header == "Next"


def test_rows_headers_and_translation(qtbot):
    model = Names()
    with qtbot.waitSignal(model.modelReset):
        model.set_rows([("A-1", "陳先生"), ("A-2", "林小姐")])
    assert model.rowCount() == 2 and model.columnCount() == 2
    assert model.rowCount(model.index(0, 0)) == 0          # a flat table
    assert model.row_at(1) == ("A-2", "林小姐")
    with using_locale("en"):
        assert model.headerData(1, Qt.Orientation.Horizontal) == "Customer"
    with using_locale("zh_TW"):
        assert model.headerData(0, Qt.Orientation.Horizontal) == "案件編號"
    assert model.headerData(0, Qt.Orientation.Vertical) is None
    assert model.headerData(5, Qt.Orientation.Horizontal) is None
    with qtbot.waitSignal(model.headerDataChanged):
        model.retranslate()
