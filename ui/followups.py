"""The follow-up queue: resolved cases whose customer is to be called back, with the next
thing to do, and a form to record each call (reached with satisfaction, or an attempt)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (QCheckBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox,
                               QTableView, QVBoxLayout, QWidget)

from desk.followup import FollowUpRow
from desk.i18n import N_, _, format_datetime
from desk.policy import Policy
from ui.errors import reported
from ui.widgets import fit_case_numbers, set_hint
from ui.table_model import ModelIndex, RowTableModel, TableColumn


class Column(TableColumn):
    CASE_NO = N_("Case no.")
    DUE = N_("Call by")
    CUSTOMER = N_("Customer")
    PHONE = N_("Phone")
    HANDLER = N_("Handler")
    CALLS = N_("Calls")
    NEXT = N_("Next")


class FollowUpTableModel(RowTableModel):
    columns = Column

    def __init__(self, tz, parent=None) -> None:
        super().__init__(parent)
        self.tz = tz

    def set_rows(self, rows: list[FollowUpRow]) -> None:
        super().set_rows(sorted(rows, key=lambda r: (not r.overdue, r.due)))

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.shown(index)
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.ForegroundRole and row.overdue and column is Column.DUE:
            return QColor("#C62828")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {Column.CASE_NO: row.case_no, Column.DUE: format_datetime(row.due, self.tz),
                Column.CUSTOMER: row.customer_name, Column.PHONE: row.customer_phone or "",
                Column.HANDLER: row.handler,
                Column.CALLS: f"{row.state.counted}/{row.state.calls}",
                Column.NEXT: row.needs(self.tz)}[column]


class FollowUpPanel(QWidget):
    """``source`` has ``follow_ups()`` and ``record_call(...)`` (``desk.app.review.StoreReview``)."""

    changed = Signal()

    def __init__(self, source, policy: Policy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("follow_up_panel")
        self.source, self.policy = source, policy
        self.model = FollowUpTableModel(policy.tz, self)
        self.table = QTableView(objectName="follow_up_table")
        self.table.setModel(self.model)
        fit_case_numbers(self.table, Column.CASE_NO)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.count = QLabel(objectName="follow_up_count")
        self.reached = QCheckBox(objectName="call_reached")
        self.satisfaction = QSpinBox(objectName="call_satisfaction", minimum=1, maximum=5)
        self.satisfaction.setValue(4)
        self.satisfaction_label = QLabel()
        self.comment = QLineEdit(objectName="call_comment")
        self.text_sent = QCheckBox(objectName="call_text_sent")
        self.record = QPushButton(objectName="record_call")
        self.refresh = QPushButton(objectName="follow_up_refresh")
        form = QHBoxLayout()
        for w in (self.reached, self.satisfaction_label, self.satisfaction, self.comment,
                  self.text_sent, self.record):
            form.addWidget(w)
        head = QHBoxLayout()
        head.addWidget(self.count, 1)
        head.addWidget(self.refresh)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        self.reached.toggled.connect(self.satisfaction.setEnabled)
        self.satisfaction.setEnabled(False)
        self.record.clicked.connect(self.record_call)
        self.refresh.clicked.connect(self.reload)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.reached.setText(_("Customer reached"))
        self.satisfaction_label.setText(_("Satisfaction (1-5):"))
        self.satisfaction_label.setBuddy(self.satisfaction)
        self.comment.setAccessibleName(_("What the customer said"))
        self.table.setAccessibleName(_("Follow-ups"))
        set_hint(self.comment, _("What the customer said"))
        self.text_sent.setText(_("Text message sent"))
        self.record.setText(_("&Record the call"))
        self.refresh.setText(_("Refresh"))
        self.model.retranslate()
        self._count()

    def reload(self) -> None:
        with reported(self):
            self.model.set_rows(self.source.follow_ups())
        self._count()

    def _count(self) -> None:
        rows = self.model.rows
        self.count.setText(_("{count} follow-ups to do, {overdue} overdue").format(
            count=len(rows), overdue=sum(1 for r in rows if r.overdue)))

    def selected(self) -> FollowUpRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def record_call(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        reached = self.reached.isChecked()
        with reported(self) as failed:
            self.source.record_call(row.case_no, reached=reached,
                                    satisfaction=self.satisfaction.value() if reached else None,
                                    comment=self.comment.text(),
                                    text_sent=self.text_sent.isChecked())
        if failed:
            return False
        self.comment.clear()
        self.reached.setChecked(False)
        self.text_sent.setChecked(False)
        self.reload()
        self.changed.emit()
        return True
