"""The finance queue: every accepted cost not yet signed for, oldest first, for finance to
review (approve or return with a reason) and pay, for the supervisor to answer what finance
returned, and for the desk to record the recipient's signature. Keyboard first: arrows
choose, Enter opens the case, A approves, R returns, P pays, S records the signature, B
sends a returned cost back; ``desk`` decides who may do which."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QDialog, QHBoxLayout, QLabel, QPushButton, QTableView,
                               QVBoxLayout, QWidget)

from desk.costs import PaidHow, state_label
from desk.enums import policy_label
from desk.i18n import N_, _, format_datetime, format_money
from ui.errors import reported
from ui.form_dialog import Field, FormDialog
from ui.table_model import ModelIndex, RowTableModel, TableColumn


class Column(TableColumn):
    CASE_NO = N_("Case no.")
    DESK = N_("Desk")
    CUSTOMER = N_("Customer")
    KIND = N_("Kind")
    AMOUNT = N_("Amount")
    STATE = N_("State")
    ACCEPTED = N_("Accepted at")
    OFFERED_BY = N_("Offered by")
    NOTE = N_("Last note")


class CostsModel(RowTableModel):
    """Rows of the queue (``desk.finance.CostRow``)."""

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
        state = state_label(row.state)
        if row.overcharge:
            state += " · " + (_("overcharge verified") if row.verified
                              else _("overcharge not verified yet"))
        values = {
            Column.CASE_NO: lambda: f"{row.case_no} #{row.seq}",
            Column.DESK: lambda: row.desk,
            Column.CUSTOMER: lambda: " ".join(filter(None, [row.customer_name,
                                                             row.customer_phone])),
            Column.KIND: lambda: policy_label(row.kind),
            Column.AMOUNT: lambda: format_money(row.amount, self.currency),
            Column.STATE: lambda: state,
            Column.ACCEPTED: lambda: format_datetime(row.accepted_at, self.tz)
            if row.accepted_at else "—",
            Column.OFFERED_BY: lambda: row.requested_by,
            Column.NOTE: lambda: row.last_note,
        }
        return values[column]()


def step_dialog(money, row, step: str, parent: QWidget | None) -> FormDialog:
    """The small form behind each step; ``desk`` refuses what this person may not do."""
    title = _("{case}, offer {seq}: {kind} {amount}").format(
        case=row.case_no, seq=row.seq, kind=policy_label(row.kind),
        amount=format_money(row.amount, money.policy.currency))
    hows = tuple((m.value, lambda m=m: m.label) for m in PaidHow)
    forms = {
        "approve": ([Field("note", N_("&Note (optional)"))],
                    lambda v: money.approve(row.case_no, row.seq, v["note"])),
        "return": ([Field("reason", N_("&Why it goes back to the supervisor"), "text", lines=3)],
                   lambda v: money.return_(row.case_no, row.seq, v["reason"])),
        "resubmit": ([Field("note", N_("&What was put right"), "text", lines=3)],
                     lambda v: money.resubmit(row.case_no, row.seq, v["note"])),
        "pay": ([Field("how", N_("Paid &how"), "choice", hows, PaidHow.CASH.value),
                 Field("refs", N_("&Voucher, serial or transfer numbers"),
                       default=" ".join(row.serials)),
                 Field("amount", N_("&Amount paid"), default=str(row.amount))],
                lambda v: money.pay(row.case_no, row.seq, v["how"], v["refs"],
                                    amount=v["amount"])),
        "sign": ([Field("recipient", N_("&Signed for by"), default=row.customer_name)],
                 lambda v: money.sign(row.case_no, row.seq, v["recipient"])),
    }
    fields, submit = forms[step]
    return FormDialog(title, fields, submit, parent)


class QueueTable(QTableView):
    """Single keys act on the chosen row, as at a counter keyboard."""

    key_action = Signal(str)
    KEYS = {Qt.Key.Key_A: "approve", Qt.Key.Key_R: "return", Qt.Key.Key_P: "pay",
            Qt.Key.Key_S: "sign", Qt.Key.Key_B: "resubmit", Qt.Key.Key_F5: "refresh"}

    def keyPressEvent(self, event: QKeyEvent) -> None:
        action = self.KEYS.get(Qt.Key(event.key()))
        if action and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.key_action.emit(action)
            return
        super().keyPressEvent(event)


class FinanceQueue(QWidget):
    """A window of its own; ``open_case(case_no)`` asks the main window to show a case,
    ``changed(case_no)`` tells it a case's money moved."""

    open_case = Signal(str)
    changed = Signal(str)
    STEPS = ("approve", "return", "pay", "sign", "resubmit")

    def __init__(self, desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from desk.app.money import Money
        self.setObjectName("finance_queue")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.desk = desk
        self.money = Money.of_desk(desk)
        self.model = CostsModel(currency=desk.policy.currency, tz=desk.policy.tz, parent=self)
        self.table = QueueTable(objectName="finance_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda _index: self.open_selected())
        self.count_label = QLabel(objectName="finance_count")
        self.buttons = {key: QPushButton(objectName=f"finance_{key}")
                        for key in ("open", *self.STEPS, "refresh")}
        slots = {"open": self.open_selected, "refresh": self.reload,
                 **{step: (lambda s=step: self.act(s)) for step in self.STEPS}}
        row = QHBoxLayout()
        row.addWidget(self.count_label, 1)
        for key, button in self.buttons.items():
            button.clicked.connect(lambda _c=False, k=key: slots[k]())
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        self.table.key_action.connect(lambda key: slots[key]())
        self.retranslate()
        self.reload()
        self.resize(1260, 600)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Finance: costs to review, pay and sign for"))
        texts = {"open": N_("&Open the case"), "approve": N_("&Approve (A)"),
                 "return": N_("&Return (R)"), "pay": N_("&Pay (P)"),
                 "sign": N_("&Signed for (S)"), "resubmit": N_("Send &back (B)"),
                 "refresh": N_("Re&fresh (F5)")}
        for key, button in self.buttons.items():
            button.setText(_(texts[key]))
        self.model.retranslate()
        self._show_count()

    def _show_count(self) -> None:
        rows = self.model.rows
        owed = sum((r.amount for r in rows if r.state in ("awaiting_finance", "returned",
                                                          "approved")), start=0)
        self.count_label.setText(
            _("{count} costs open; {owed} not paid yet").format(
                count=len(rows), owed=format_money(owed, self.desk.policy.currency))
            if rows else _("No cost is waiting."))

    def reload(self) -> None:
        with reported(self) as failed:
            rows = self.money.queue()
        if failed:
            return
        chosen = self.selected()
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self._show_count()
        keys = [(r.case_no, r.seq) for r in rows]
        at = keys.index((chosen.case_no, chosen.seq)) if chosen and \
            (chosen.case_no, chosen.seq) in keys else 0
        if rows:
            self.table.selectRow(at)
        for key in ("open", *self.STEPS):
            self.buttons[key].setEnabled(bool(rows))
        self.table.setFocus()

    def selected(self):
        index = self.table.currentIndex()
        return self.model.shown(index) if index.isValid() else None

    def open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_case.emit(row.case_no)

    def act(self, step: str) -> FormDialog | None:
        """Open the step's form for the chosen cost (modal); reload once it is recorded."""
        row = self.selected()
        if row is None:
            return None
        dialog = step_dialog(self.money, row, step, self)
        with reported(self):
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.reload()
                self.changed.emit(row.case_no)
        return dialog


__all__ = ["CostsModel", "FinanceQueue", "step_dialog"]
