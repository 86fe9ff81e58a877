"""The compensation picker: the kinds the policy allows, lowest value first, each within the
clerk's authority or naming the role it needs; approval on the spot. The offers made and the
customer's answer are ``ui.picker_offers``; the overcharge line ``ui.overcharge_inputs``."""
from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QCheckBox, QDialog, QFormLayout, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from desk import rules
from desk.enums import Motive, Status, policy_label
from desk.errors import AuthorityError, DomainError
from desk.i18n import _
from desk.queries import CaseDetail
from ui.approval import ApprovalDialog
from ui.errors import reported
from ui.overcharge_inputs import OverchargeInputs
from ui.picker_offers import OffersMade
from ui.session import Desk, Offered
from ui.widgets import ErrorLabel, money, set_hint


class PickerPanel(OffersMade, QWidget):
    """Works on one case; ``changed`` carries the case after each offer or answer."""

    changed = Signal(object)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("picker")
        self.desk = desk
        self.case: CaseDetail | None = None
        self.options: list[rules.Option] = []
        self.remaining: Decimal | None = None
        self.last_dialog: ApprovalDialog | None = None
        layout = QVBoxLayout(self)
        self.authority = QLabel(objectName="remaining_authority")
        self.authority.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.authority)
        self.advice = QLabel(objectName="picker_advice")
        self.advice.setWordWrap(True)
        self.advice.setStyleSheet("color: #37474F;")
        layout.addWidget(self.advice)
        form = QFormLayout()
        self.amount = QLineEdit(objectName="offer_amount")
        self.amount.textEdited.connect(lambda _t: self._refresh_timer.start())
        self.amount.returnPressed.connect(self._amount_entered)
        over = self.overcharge = OverchargeInputs(rules.parse_amount, rules.overcharge_refund)
        self.charged, self.due, self.calc = over.charged, over.due, over.calc
        self.charged.textEdited.connect(self._calculate)
        self.due.textEdited.connect(self._calculate)
        self.amount_label = QLabel()
        self.amount_label.setBuddy(self.amount)
        form.addRow(self.amount_label, self.amount)
        form.addRow(over.title, over.line)
        form.addRow(self.calc)
        layout.addLayout(form)
        self.list = QListWidget(objectName="options_list")
        self.list.currentItemChanged.connect(lambda *_a: self._explain())
        self.list.itemActivated.connect(lambda _i: self.offer())
        layout.addWidget(self.list, 2)
        self.rules_note = QLabel(objectName="rules_note")
        self.rules_note.setWordWrap(True)
        self.rules_note.setStyleSheet("color: #8D6E00;")
        layout.addWidget(self.rules_note)
        details = QFormLayout()
        self.description = QLineEdit(objectName="offer_description")
        self.serials = QLineEdit(objectName="offer_serials")
        self.final = QCheckBox(objectName="offer_final")
        self.description_label, self.serials_label = QLabel(), QLabel()
        self.description_label.setBuddy(self.description)
        self.serials_label.setBuddy(self.serials)
        details.addRow(self.description_label, self.description)
        details.addRow(self.serials_label, self.serials)
        details.addRow(self.final)
        layout.addLayout(details)
        self.error = ErrorLabel("offer")
        layout.addWidget(self.error)
        self.offer_button = QPushButton(objectName="offer_button")
        self.offer_button.clicked.connect(self.offer)
        layout.addWidget(self.offer_button)
        self._build_offers(layout)
        self._refresh_timer = QTimer(self, singleShot=True, interval=250)
        self._refresh_timer.timeout.connect(self.refresh)
        self.retranslate()

    def retranslate(self) -> None:
        self.amount_label.setText(_("Amount"))
        self.overcharge.retranslate()
        self.description_label.setText(_("What exactly"))
        self.serials_label.setText(_("Serial nos."))
        set_hint(self.serials, _("voucher or ticket numbers, separated by spaces"))
        self.final.setText(_("This is our final offer (bottom line)"))
        self.offer_button.setText(_("Offer this (Enter in the list)"))
        self.list.setAccessibleName(_("Compensation options"))
        self.list.setAccessibleDescription(_("Options are listed lowest value first; Enter "
                                             "offers the chosen one."))
        self.serials.setAccessibleDescription(self.serials.placeholderText())
        self._retranslate_offers()
        self._calculate()
        self.set_case(self.case)

    # --- showing -------------------------------------------------------------------------
    def set_case(self, case: CaseDetail | None) -> None:
        if self.confirm.pending and (case is None or self.case is None
                                     or case.case_no != self.case.case_no):
            self.confirm.commit()      # moving to another case records what was confirmed
        self.case = case
        self.setEnabled(case is not None)
        self.refresh()
        self._show_offers()

    def _amount(self) -> Decimal | None:
        text = self.amount.text().strip()
        if not text:
            return None
        try:
            return rules.parse_amount(text)
        except DomainError:
            return None

    def refresh(self) -> None:
        currency = self.desk.policy.currency
        kept = self.selected_kind()      # the clerk's choice survives a new amount (by key)
        self.list.clear()
        self.error.show_message("")
        if self.case is None:
            self.authority.setText(_("Save the complaint to see what you may offer."))
            self.advice.setText("")
            return
        amount = self._amount()
        if self.amount.text().strip() and amount is None:
            try:
                rules.parse_amount(self.amount.text())
            except DomainError as exc:
                self.error.show_message(str(exc))
        with reported(self):
            try:
                self.options, self.remaining = self.desk.options(self.case.case_no, amount)
            except DomainError as exc:
                self.error.show_message(str(exc))
                self.options = []
        self.authority.setText(_("Your authority left on this case: {amount}").format(
            amount=money(self.remaining, currency)))
        motive = Motive.parse(self.case.motive)
        self.advice.setText(
            _("This customer mainly wants to be heard or respected: listening and an apology "
              "usually settle it. Compensate only if needed, and then the lowest-value option "
              "that works.") if motive in (Motive.VENT, Motive.RESPECT) else
            _("Offer the lowest-value option that settles it; options are listed lowest first."))
        for option in self.options:
            if option.within_authority:
                status = _("within your authority")
            elif option.needs_role:
                status = _("needs {role}").format(role=policy_label(option.needs_role))
            else:
                status = _("nobody may grant this now")
            item = QListWidgetItem(f"{policy_label(option.kind)} — {status}")
            item.setData(Qt.ItemDataRole.UserRole, option.kind)
            if not option.within_authority:
                item.setForeground(QBrush(QColor("#8D6E00" if option.needs_role else "#9E9E9E")))
            self.list.addItem(item)
        if self.list.count() and not (kept and self.select_kind(kept)):
            self.list.setCurrentRow(0)
        self._explain()

    def selected_kind(self) -> str | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def select_kind(self, kind: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == kind:
                self.list.setCurrentRow(row)
                return True
        return False

    def _option(self, kind: str | None) -> rules.Option | None:
        return next((o for o in self.options if o.kind == kind), None)

    def _explain(self) -> None:
        """The cash-threshold and bottom-line rules as ``desk`` explains them, when they
        apply."""
        option = self._option(self.selected_kind())
        pending = self._answerable_offer()
        self.serials.setEnabled(bool(option is not None and option.serials)
                                or self._needs_serials(pending))
        notes = (self.desk.offer_notes(self.case, option, self._amount())
                 if self.case is not None else [])
        self.rules_note.setText("\n".join(notes))
        self.rules_note.setVisible(bool(notes))

    def _calculate(self, *_args: object) -> None:
        value = self.overcharge.refund(self.desk.policy.currency)
        if value is None:
            return
        self.amount.setText(str(value))
        if self.select_kind("overcharge_refund"):
            self._refresh_timer.start()

    # --- acting --------------------------------------------------------------------------
    def _offer_args(self, kind: str) -> dict:
        option = self._option(kind)
        args = dict(description=self.description.text(), final=self.final.isChecked(),
                    serials=tuple(self.serials.text().replace(",", " ").split()))
        if option is not None and option.overcharge:
            args.update(charged=self.charged.text(), due=self.due.text())
            return {"amount": None, **args}
        return {"amount": self.amount.text(), **args}

    def offer(self) -> Offered | None:
        """Offer the chosen kind; beyond authority, ask a supervisor at this PC."""
        kind = self.selected_kind()
        if self.case is None or kind is None:
            return None
        if self.confirm.pending:
            self.confirm.commit()
        self.error.show_message("")
        args = self._offer_args(kind)
        case_no = self.case.case_no
        result = None
        with reported(self):
            try:
                result = self.desk.make_offer(case_no, kind, **args)
            except AuthorityError as exc:
                if exc.needs_role is None:
                    self.error.show_message(str(exc))
                    return None
                result = self._ask_approval(case_no, kind, args, str(exc))
            except DomainError as exc:
                self.error.show_message(str(exc))
                return None
        if result is not None:
            self.amount.clear()
            self.description.clear()
            self.serials.clear()
            self.final.setChecked(False)
            self._update(result.detail)
            if self._needs_serials(self._answerable_offer()):
                self.serials.setFocus()   # the numbers of what is handed over, next
        return result

    def _amount_entered(self) -> None:
        """Enter after the amount: the options for it, and the list to choose from."""
        self._refresh_timer.stop()
        self.refresh()
        self.list.setFocus()

    def _ask_approval(self, case_no: str, kind: str, args: dict, reason: str) -> Offered | None:
        amount = args.get("amount") or self.calc.text()
        summary = _("Offer: {kind}, {amount}").format(kind=policy_label(kind), amount=amount)

        def submit(approver, refuses, note):
            return self.desk.make_offer(case_no, kind, approver=approver,
                                        approver_refuses=refuses, approval_note=note, **args)

        dialog = ApprovalDialog(summary, reason, self.desk.verify, submit, self)
        self.last_dialog = dialog
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.result_value
        return None

    def _update(self, case: CaseDetail) -> None:
        self.set_case(case)
        self.changed.emit(case)

    def case_status(self) -> str | None:
        return Status(self.case.status).label if self.case else None
