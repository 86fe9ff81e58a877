"""The supervisor's approvals queue: offers a clerk left pending, oldest first. Keyboard
first: arrows choose, Enter opens the case, A approves, R refuses with a note; the decider
types their own staff ID and PIN for every decision, and ``desk`` checks the rest."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from desk.enums import policy_label
from desk.errors import DomainError
from desk.i18n import N_, _, format_datetime, format_money
from ui.errors import reported
from ui.session import Desk
from ui.queue_window import QueueModel, QueueWindow
from ui.table_model import TableColumn
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


class ApprovalsModel(QueueModel):
    """Rows of the queue (``desk.approvals.PendingApproval``)."""

    columns = Column

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


class ApprovalsQueue(QueueWindow):
    """Arrows choose, Enter opens the case, A approves, R refuses, F5 reloads;
    ``decided(case_no)`` tells the main window a case changed."""

    decided = Signal(str)
    ACTIONS = ("approve", "refuse")
    KEYS = {Qt.Key.Key_A: "approve", Qt.Key.Key_R: "refuse", Qt.Key.Key_F5: "refresh"}

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        model = ApprovalsModel(currency=desk.policy.currency, tz=desk.policy.tz)
        super().__init__(desk, model, "approvals", self.decide, parent)
        model.setParent(self)
        self.retranslate()
        self.reload()
        self.resize(1200, 600)      # fits a 1366x768 screen with the taskbar

    def title(self) -> str:
        return _("Approvals waiting")

    def button_texts(self) -> dict[str, str]:
        return {"open": N_("&Open the case"), "approve": N_("&Approve (A)"),
                "refuse": N_("&Refuse (R)"), "refresh": N_("Re&fresh (F5)")}

    def count_text(self, rows: list) -> str:
        return _("{count} offers waiting for a decision").format(count=len(rows)) if rows \
            else _("No offer is waiting for your decision.")

    def fetch_rows(self) -> list:
        return self.desk.pending_approvals()

    def fit_columns(self) -> None:
        # Case numbers and amounts are read whole, never cut to "A-2026…".
        super().fit_columns()
        fit_case_numbers(self.table, Column.CASE_NO)   # whole even before the first row

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
