"""The watch-list of batch complaints (roles with the "watch_list" privilege): the batches,
the cases of the one chosen, confirm or dismiss with a reason ("decide_batches"), and the
one-page notice printed or saved as PDF. ``desk`` checks every privilege again."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QFileDialog, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSplitter, QTableView, QVBoxLayout,
                               QWidget)

from desk.batch_model import STATUS_LABELS
from desk.enums import Level, Status, policy_label
from desk.i18n import N_, _, format_datetime, get_locale
from ui.errors import reported
from ui.session import Desk
from ui.table_model import ModelIndex, RowTableModel, TableColumn
from ui.widgets import ErrorLabel


class BatchColumn(TableColumn):
    BATCH_NO = N_("Batch")
    STATE = N_("State")
    TOPIC = N_("About")
    CUSTOMERS = N_("Customers")
    CASES = N_("Cases")
    FIRST = N_("First received")
    FOUND = N_("Found")


class MemberColumn(TableColumn):
    CASE_NO = N_("Case no.")
    RECEIVED = N_("Received")
    CUSTOMER = N_("Customer")
    SUBJECT = N_("Subject")
    COMPLAINT = N_("Complaint")
    STATUS = N_("Status")
    LEVEL = N_("Level")


class _ZonedModel(RowTableModel):
    """A read-only table whose times show in the desk's zone; ``cells(row)`` gives each
    column's text (as a function, so only the asked cell is formatted)."""

    def __init__(self, tz, parent=None) -> None:
        super().__init__(parent)
        self.tz = tz

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.shown(index)
        if row is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.cells(row)[self.columns(index.column())]()


class BatchModel(_ZonedModel):
    """Rows of ``desk.radar.BatchRow``."""

    columns = BatchColumn

    def cells(self, row) -> dict:
        return {
            BatchColumn.BATCH_NO: lambda: row.batch_no,
            BatchColumn.STATE: lambda: _(STATUS_LABELS.get(row.status, row.status)),
            BatchColumn.TOPIC: lambda: row.topic,
            BatchColumn.CUSTOMERS: lambda: str(row.customers),
            BatchColumn.CASES: lambda: str(row.cases),
            BatchColumn.FIRST: lambda: format_datetime(row.first_received, self.tz),
            BatchColumn.FOUND: lambda: format_datetime(row.found_at, self.tz),
        }


class MemberModel(_ZonedModel):
    """Rows of ``desk.radar.MemberRow``."""

    columns = MemberColumn

    def cells(self, row) -> dict:
        return {
            MemberColumn.CASE_NO: lambda: row.case_no,
            MemberColumn.RECEIVED: lambda: format_datetime(row.received_at, self.tz),
            MemberColumn.CUSTOMER: lambda: row.customer_name,
            MemberColumn.SUBJECT: lambda: row.subject or policy_label(row.category),
            MemberColumn.COMPLAINT: lambda: row.complaint,
            MemberColumn.STATUS: lambda: Status(row.status).label,
            MemberColumn.LEVEL: lambda: f"{Level(row.level).label} {'★' * row.severity}",
        }


def _table(model: RowTableModel, name: str) -> QTableView:
    view = QTableView(objectName=name)
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().hide()
    return view


class WatchList(QWidget):
    """A window of its own; ``open_case`` asks the main window to show a member case."""

    open_case = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("watch_list")
        self.desk = desk
        tz = desk.policy.tz
        self.batches, self.members = BatchModel(tz, self), MemberModel(tz, self)
        self.batch_view = _table(self.batches, "batch_table")
        self.member_view = _table(self.members, "member_table")
        self.member_view.doubleClicked.connect(
            lambda index: self.open_case.emit(self.members.row_at(index.row()).case_no))
        self.batch_view.selectionModel().currentRowChanged.connect(self._chosen)
        self.show_all = QCheckBox(objectName="show_dismissed")
        self.show_all.toggled.connect(self.refresh)
        self.heading = QLabel(objectName="batch_heading")
        self.heading.setWordWrap(True)
        self.reason = QLineEdit(objectName="decision_reason")
        self.confirm_button = QPushButton(objectName="confirm_batch")
        self.dismiss_button = QPushButton(objectName="dismiss_batch")
        self.notice_button = QPushButton(objectName="save_notice")
        self.confirm_button.clicked.connect(lambda: self.decide("confirmed"))
        self.dismiss_button.clicked.connect(lambda: self.decide("dismissed"))
        self.notice_button.clicked.connect(self.save_notice)
        self.error = ErrorLabel("reason")
        decide = QHBoxLayout()
        self.reason_label = QLabel()
        for widget in (self.reason_label, self.reason, self.confirm_button,
                       self.dismiss_button, self.notice_button):
            decide.addWidget(widget)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.batch_view)
        lower = QWidget()
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.heading)
        column.addWidget(self.member_view)
        column.addLayout(decide)
        column.addWidget(self.error)
        split.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(self.show_all)
        layout.addWidget(split)
        self.resize(980, 620)
        self.retranslate()
        self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Batch complaints: the watch-list"))
        self.show_all.setText(_("Show dismissed batches too"))
        self.reason_label.setText(_("Reason:"))
        self.confirm_button.setText(_("&Confirm batch"))
        self.dismiss_button.setText(_("&Dismiss batch"))
        self.notice_button.setText(_("&Print notice to PDF…"))
        self.batch_view.setAccessibleName(_("Batch complaints: the watch-list"))
        self.member_view.setAccessibleName(_("Cases"))
        self.reason.setAccessibleName(_("Reason:"))
        self.batches.retranslate()
        self.members.retranslate()
        self._chosen()

    def refresh(self) -> None:
        chosen = self.chosen()
        rows = None
        with reported(self):
            rows = self.desk.batches().watch_list(include_decided=self.show_all.isChecked())
        self.batches.set_rows(rows or [])
        self.batch_view.resizeColumnsToContents()
        numbers = [r.batch_no for r in self.batches.rows]
        if numbers:
            at = numbers.index(chosen.batch_no) if chosen and chosen.batch_no in numbers else 0
            self.batch_view.selectRow(at)
        self._chosen()

    def chosen(self):
        index = self.batch_view.currentIndex()
        return self.batches.shown(index) if index.isValid() else None

    def _chosen(self, *_args) -> None:
        row = self.chosen()
        door = self.desk.batches() if self.desk.ready and self.desk.actor else None
        may_decide = bool(door and door.may_decide() and row and row.status == "open")
        for widget in (self.reason, self.confirm_button, self.dismiss_button):
            widget.setEnabled(may_decide)
        self.notice_button.setEnabled(row is not None)
        if row is None:
            self.heading.setText(_("No batch complaints on the watch-list."))
            self.members.set_rows([])
            return
        text = _("{batch}: {customers} customers, {cases} cases about {topic}").format(
            batch=row.batch_no, customers=row.customers, cases=row.cases, topic=row.topic)
        if row.decided_by:
            text += "\n" + _("Decided by {name} on {time}: {reason}").format(
                name=row.decided_by, time=format_datetime(row.decided_at, self.desk.policy.tz),
                reason=row.decision_reason)
        self.heading.setText(text)
        with reported(self):
            self.members.set_rows(door.detail(row.batch_no).members)
        self.member_view.resizeColumnsToContents()

    def decide(self, decision: str) -> None:
        row = self.chosen()
        if row is None:
            return
        from desk.errors import DomainError
        door = self.desk.batches()
        call = door.confirm if decision == "confirmed" else door.dismiss
        try:
            call(row.batch_no, self.reason.text())
        except DomainError as exc:
            self.error.show_message(str(exc))
            return
        self.error.show_message("")
        self.reason.clear()
        self.refresh()

    def save_notice(self, path: str | None = None) -> Path | None:
        row = self.chosen()
        if row is None:
            return None
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(
                self, _("Save the batch notice"), f"{row.batch_no}.pdf", "PDF (*.pdf)")
            if not path:
                return None
        with reported(self):
            pdf = self.desk.batches().notice_pdf(row.batch_no, locale=get_locale())
            Path(path).write_bytes(pdf)
            return Path(path)
        return None
