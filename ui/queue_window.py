"""The one shape of a work queue window (approvals, finance): a table of rows oldest first,
single keys acting on the chosen row, a count and a button per action under it."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from desk.i18n import _
from ui.errors import reported
from ui.table_model import ModelIndex, RowTableModel


class QueueModel(RowTableModel):
    """Rows of a queue of offers: each subclass's ``columns`` has KIND and AMOUNT, and its
    ``_display(row, column)`` gives a cell's text."""

    def __init__(self, *, currency: str, tz, parent=None) -> None:
        super().__init__(parent)
        self.currency, self.tz = currency, tz

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.shown(index)
        if row is None:
            return None
        column = self.columns(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is self.columns.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column is self.columns.KIND \
                and row.description:
            return row.description
        return None


class QueueTable(QTableView):
    """A queue's table: the keys of ``keys`` act on the chosen row (single keys, as at a
    counter keyboard; the table has nothing to type into, so they are free)."""

    key_action = Signal(str)

    def __init__(self, keys: dict[Qt.Key, str], *, objectName: str) -> None:
        super().__init__(objectName=objectName)
        self.keys = keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.keys.get(Qt.Key(event.key()))
        if action and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.key_action.emit(action)
            return
        super().keyPressEvent(event)


class QueueWindow(QWidget):
    """A window of its own. ``open_case(case_no)`` asks the main window to show a case.
    Subclasses name themselves (``name``: object names ``<name>_queue``, ``<name>_table``,
    ``<name>_count``, ``<name>_<action>``), list the ``ACTIONS`` that need a chosen row,
    and answer ``fetch_rows()``, ``title()``, ``button_texts()`` (each button's msgid by its
    key) and ``count_text(rows)``."""

    open_case = Signal(str)
    ACTIONS: tuple[str, ...] = ()
    KEYS: dict[Qt.Key, str] = {}

    def __init__(self, desk, model: QueueModel, name: str, act: Callable[[str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"{name}_queue")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.desk, self.model = desk, model
        self.table = QueueTable(self.KEYS, objectName=f"{name}_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.count_label = QLabel(objectName=f"{name}_count")
        self.buttons = {key: QPushButton(objectName=f"{name}_{key}")
                        for key in ("open", *self.ACTIONS, "refresh")}
        slots = {"open": self.open_selected, "refresh": self.reload,
                 **{action: (lambda a=action: act(a)) for action in self.ACTIONS}}
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        for key, button in self.buttons.items():
            button.clicked.connect(lambda _c=False, k=key: slots[k]())
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.table.key_action.connect(lambda key: slots[key]())

    def retranslate(self) -> None:
        self.setWindowTitle(self.title())
        self.table.setAccessibleName(self.title())
        texts = self.button_texts()
        for key, button in self.buttons.items():
            button.setText(_(texts[key]))
        self.model.retranslate()
        self._show_count()

    def _show_count(self) -> None:
        self.count_label.setText(self.count_text(self.model.rows))

    def fit_columns(self) -> None:
        self.table.resizeColumnsToContents()

    def reload(self) -> None:
        with reported(self) as failed:
            rows = self.fetch_rows()
        if failed:
            return
        chosen = self.selected()
        self.model.set_rows(rows)
        self.fit_columns()
        self._show_count()
        keys = [(r.case_no, r.seq) for r in rows]
        at = keys.index((chosen.case_no, chosen.seq)) if chosen and \
            (chosen.case_no, chosen.seq) in keys else 0
        if rows:
            self.table.selectRow(at)
        for key in ("open", *self.ACTIONS):
            self.buttons[key].setEnabled(bool(rows))
        self.table.setFocus()

    def selected(self):
        index = self.table.currentIndex()
        return self.model.shown(index) if index.isValid() else None

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_case.emit(row.case_no)


__all__ = ["QueueModel", "QueueTable", "QueueWindow"]
