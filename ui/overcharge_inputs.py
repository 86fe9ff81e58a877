"""The picker's overcharge line: what the customer was charged and what was due, and the
refund ``desk``'s rule gives for it (2 × the difference)."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit

from desk.errors import DomainError
from desk.i18n import _
from ui.widgets import money, set_hint


class OverchargeInputs:
    """``charged`` and ``due`` with their labels in ``line`` (one form row titled
    ``title``), and ``calc``, the result shown under them. The picker hands in desk's
    ``rules.parse_amount`` and ``rules.overcharge_refund`` (the one place that reads them)."""

    def __init__(self, parse: Callable[..., Decimal],
                 refund_rule: Callable[[Decimal, Decimal], Decimal]) -> None:
        self.parse, self.refund_rule = parse, refund_rule
        self.charged = QLineEdit(objectName="overcharge_charged")
        self.due = QLineEdit(objectName="overcharge_due")
        self.calc = QLabel(objectName="overcharge_result")
        self.title = QLabel()
        self.line = QHBoxLayout()
        self.charged_label, self.due_label = QLabel(), QLabel()
        self.charged_label.setBuddy(self.charged)
        self.due_label.setBuddy(self.due)
        for widget in (self.charged_label, self.charged, self.due_label, self.due):
            self.line.addWidget(widget)

    def retranslate(self) -> None:
        self.title.setText(_("Overcharge"))
        self.charged_label.setText(_("Charged"))
        self.due_label.setText(_("Due"))

    def refund(self, currency: str) -> Decimal | None:
        """The refund for what is typed (shown in ``calc``); None while a side is empty or
        wrong (the reason shown instead)."""
        set_hint(self.charged, _("charged"))
        set_hint(self.due, _("should have been"))
        if not self.charged.text().strip() or not self.due.text().strip():
            self.calc.setText("")
            return None
        try:
            value = self.refund_rule(self.parse(self.charged.text(), "charged"),
                                     self.parse(self.due.text(), "due", allow_zero=True))
        except DomainError as exc:
            self.calc.setText(str(exc))
            return None
        self.calc.setText(_("Refund 2 × (charged − due) = {amount}").format(
            amount=money(value, currency)))
        return value


__all__ = ["OverchargeInputs"]
