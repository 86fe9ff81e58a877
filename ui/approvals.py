"""The supervisor's approvals queue: offers a clerk left pending, oldest first. Keyboard
first: arrows choose, Enter opens the case, A approves, R refuses with a note; the decider
types their own staff ID and PIN for every decision, and ``desk`` checks the rest."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QTableView, QVBoxLayout, QWidget)

from desk.enums import policy_label
from desk.errors import DomainError
from desk.i18n import N_, _, format_datetime, format_money
from ui.errors import reported
from ui.session import Desk
from ui.table_model import ModelIndex, RowTableModel, TableColumn
from ui.widgets import EnterFormDialog, ErrorLabel, fit_case_numbers


class Column(TableColumn):
    CASE_NO = N_("Case no.")
    DESK = N_("Desk")
    RECEIVED = N_("Received")
    CUSTOMER = N_("Customer")
    KIND = N_("Kind")
    AMOUNT = N_("Amount")
    REQUESTED_BY = N_("Requested by")
    REQUESTED_AT = N_("Requested at")
    WAITING = N_("Waiting")
    ROLE_NEEDED = N_("Role needed")


class ApprovalsModel(RowTableModel):
    """Rows of the queue (``desk.approvals.PendingApproval``)."""

    columns = Column

    def __init__(self, *, currency: str, tz, parent=None) -> None:
        super().__init__(parent)
        self.currency, self.tz = currency, tz

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.shown(index)
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.KIND and row.description:
            return row.description
        return None

    def _display(self, row, column: Column) -> str:
        from desk.approvals import waiting_text
        values = {
            Column.CASE_NO: lambda: f"{row.case_no} #{row.seq}",
            Column.DESK: lambda: row.desk,
            Column.RECEIVED: lambda: format_datetime(row.received_at, self.tz),
            Column.CUSTOMER: lambda: " ".join(filter(None, [row.customer_name,
                                                             row.customer_phone])),
            Column.KIND: lambda: policy_label(row.kind),
            Column.AMOUNT: lambda: format_money(row.amount, self.currency),
            Column.REQUESTED_BY: lambda: f"{row.requested_by} ({row.requested_by_no})",
            Column.REQUESTED_AT: lambda: format_datetime(row.requested_at, self.tz),
            Column.WAITING: lambda: waiting_text(row.waiting),
            Column.ROLE_NEEDED: lambda: policy_label(row.role_needed) if row.role_needed
            else "—",
        }
        return values[column]()


class DecisionDialog(EnterFormDialog):
    """Approve or refuse one offer: the decider's staff ID and PIN, and a note (needed to
    refuse). ``desk``'s refusal is shown here and the dialog stays open to correct it."""

    def __init__(self, desk: Desk, row, decision: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("decision_dialog")
        self.desk, self.row, self.decision = desk, row, decision
        self.result_detail = None
        policy = desk.policy
        self.setWindowTitle(_("Approve the offer") if decision == "approve"
                            else _("Refuse the offer"))
        layout = QVBoxLayout(self)
        summary = QLabel(_("{case}, offer {seq}: {kind} {amount}, asked for by {name}").format(
            case=row.case_no, seq=row.seq, kind=policy_label(row.kind),
            amount=format_money(row.amount, policy.currency), name=row.requested_by))
        summary.setObjectName("decision_summary")
        summary.setWordWrap(True)
        layout.addWidget(summary)
        form = QFormLayout()
        me = desk.actor
        self.staff_no = QLineEdit(me.staff_no if me and desk.may_approve() else "",
                                  objectName="decider_id")
        self.pin = QLineEdit(objectName="decider_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.note = QLineEdit(objectName="decision_note")
        self.note.setPlaceholderText(_("Needed when refusing") if decision == "refuse"
                                     else _("Optional"))
        for text, field in ((_("Decided by (staff &ID)"), self.staff_no),
                            (_("&PIN"), self.pin), (_("&Note"), self.note)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        layout.addLayout(form)
        self.error = ErrorLabel("decision")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            _("Approve") if decision == "approve" else _("Refuse"))
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        (self.pin if self.staff_no.text() else self.staff_no).setFocus()

    def submit_fields(self) -> tuple[QWidget, ...]:
        return (self.note,)

    def submit_by_enter(self) -> None:
        self.run()

    def run(self) -> None:
        self.error.show_message("")
        with reported(self):
            try:
                self.result_detail = self.desk.decide_approval(
                    self.row.case_no, self.row.seq, self.staff_no.text(), self.pin.text(),
                    self.decision, self.note.text())
            except DomainError as exc:
                self.pin.clear()
                self.error.show_message(str(exc))
                return
        if self.result_detail is not None:
            self.accept()


class QueueTable(QTableView):
    """The queue's table: A, R and F5 act on the chosen row (single keys, as at a counter
    keyboard; the table has nothing to type into, so they are free)."""

    key_action = Signal(str)
    KEYS = {Qt.Key.Key_A: "approve", Qt.Key.Key_R: "refuse", Qt.Key.Key_F5: "refresh"}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.KEYS.get(Qt.Key(event.key()))
        if action and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.key_action.emit(action)
            return
        super().keyPressEvent(event)


class ApprovalsQueue(QWidget):
    """A window of its own. ``open_case(case_no)`` asks the main window to show a case;
    ``decided(case_no)`` tells it a case changed."""

    open_case = Signal(str)
    decided = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvals_queue")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.desk = desk
        self.model = ApprovalsModel(currency=desk.policy.currency, tz=desk.policy.tz,
                                    parent=self)
        self.table = QueueTable(objectName="approvals_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.count_label = QLabel(objectName="approvals_count")
        self.buttons = {key: QPushButton(objectName=f"approvals_{key}")
                        for key in ("open", "approve", "refuse", "refresh")}
        slots = {"open": self.open_selected, "approve": lambda: self.decide("approve"),
                 "refuse": lambda: self.decide("refuse"), "refresh": self.reload}
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        for key, button in self.buttons.items():
            button.clicked.connect(slots[key])
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.table.key_action.connect(lambda key: slots[key]())
        self.retranslate()
        self.reload()
        self.resize(1200, 600)      # fits a 1366x768 screen with the taskbar

    def retranslate(self) -> None:
        self.setWindowTitle(_("Approvals waiting"))
        self.table.setAccessibleName(_("Approvals waiting"))
        texts = {"open": N_("&Open the case"), "approve": N_("&Approve (A)"),
                 "refuse": N_("&Refuse (R)"), "refresh": N_("Re&fresh (F5)")}
        for key, button in self.buttons.items():
            button.setText(_(texts[key]))
        self.model.retranslate()
        self._show_count()

    def _show_count(self) -> None:
        count = len(self.model.rows)
        self.count_label.setText(_("{count} offers waiting for a decision").format(count=count)
                                 if count else _("No offer is waiting for your decision."))

    def reload(self) -> None:
        with reported(self) as failed:
            rows = self.desk.pending_approvals()
        if failed:
            return
        chosen = self.selected()
        self.model.set_rows(rows)
        # Case numbers and amounts are read whole, never cut to "A-2026…".
        self.table.resizeColumnsToContents()
        fit_case_numbers(self.table, Column.CASE_NO)   # whole even before the first row
        self._show_count()
        keys = [(r.case_no, r.seq) for r in rows]
        at = keys.index((chosen.case_no, chosen.seq)) if chosen and \
            (chosen.case_no, chosen.seq) in keys else 0
        if rows:
            self.table.selectRow(at)
        for key in ("open", "approve", "refuse"):
            self.buttons[key].setEnabled(bool(rows))
        self.table.setFocus()

    def selected(self):
        index = self.table.currentIndex()
        return self.model.shown(index) if index.isValid() else None

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_case.emit(row.case_no)

    def decide(self, decision: str) -> DecisionDialog | None:
        """Open the decision form for the chosen offer (modal); reload when recorded."""
        row = self.selected()
        if row is None:
            return None
        dialog = DecisionDialog(self.desk, row, decision, self)
        if dialog.exec() == DecisionDialog.DialogCode.Accepted:
            self.reload()
            self.decided.emit(row.case_no)
        return dialog


__all__ = ["ApprovalsModel", "ApprovalsQueue", "Column", "DecisionDialog"]
