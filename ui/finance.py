"""The finance queue: every accepted cost not yet signed for, oldest first, for finance to
review (approve or return with a reason) and pay, for the supervisor to answer what finance
returned, and for the desk to record the recipient's signature. Keyboard first: arrows
choose, Enter opens the case, A approves, R returns, P pays, S records the signature, B
sends a returned cost back; ``desk`` decides who may do which."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QWidget

from desk.costs import PaidHow, state_label
from desk.enums import policy_label
from desk.i18n import N_, _, format_datetime, format_money
from ui.errors import reported
from ui.form_dialog import Field, FormDialog
from ui.queue_window import QueueModel, QueueWindow
from ui.table_model import TableColumn


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


class CostsModel(QueueModel):
    """Rows of the queue (``desk.finance.CostRow``)."""

    columns = Column

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


class FinanceQueue(QueueWindow):
    """Arrows choose, Enter opens the case, A approves, R returns, P pays, S records the
    signature, B sends back, F5 reloads; ``changed(case_no)`` tells the main window a
    case's money moved."""

    changed = Signal(str)
    ACTIONS = STEPS = ("approve", "return", "pay", "sign", "resubmit")
    KEYS = {Qt.Key.Key_A: "approve", Qt.Key.Key_R: "return", Qt.Key.Key_P: "pay",
            Qt.Key.Key_S: "sign", Qt.Key.Key_B: "resubmit", Qt.Key.Key_F5: "refresh"}

    def __init__(self, desk, parent: QWidget | None = None) -> None:
        from desk.app.money import Money
        model = CostsModel(currency=desk.policy.currency, tz=desk.policy.tz)
        super().__init__(desk, model, "finance", self.act, parent)
        model.setParent(self)
        self.money = Money.of_desk(desk)
        self.retranslate()
        self.reload()
        self.resize(1260, 600)

    def title(self) -> str:
        return _("Finance: costs to review, pay and sign for")

    def button_texts(self) -> dict[str, str]:
        return {"open": N_("&Open the case"), "approve": N_("&Approve (A)"),
                "return": N_("&Return (R)"), "pay": N_("&Pay (P)"),
                "sign": N_("&Signed for (S)"), "resubmit": N_("Send &back (B)"),
                "refresh": N_("Re&fresh (F5)")}

    def count_text(self, rows: list) -> str:
        owed = sum((r.amount for r in rows if r.state in ("awaiting_finance", "returned",
                                                          "approved")), start=0)
        return _("{count} costs open; {owed} not paid yet").format(
            count=len(rows), owed=format_money(owed, self.desk.policy.currency)) if rows \
            else _("No cost is waiting.")

    def fetch_rows(self) -> list:
        return self.money.queue()

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
