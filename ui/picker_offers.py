"""The picker's lower half: the offers made on the case, and the customer's answer to the
last one (accepted or refused, confirmed with an Undo, the serial numbers of what is handed
over). A mixin of ``ui.picker.PickerPanel``, which holds the case, the desk and the error."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTreeWidget, QTreeWidgetItem

from desk.enums import Answer, Approval, policy_label
from desk.errors import DomainError
from desk.i18n import _
from ui.answer_confirm import AnswerConfirm
from ui.errors import reported
from ui.widgets import money


class OffersMade:
    """``offers`` (the list), ``accepted_button``/``refused_button`` and ``confirm``."""

    def _build_offers(self, layout) -> None:
        self.offers = QTreeWidget(objectName="offers_list")
        self.offers.setRootIsDecorated(False)
        self.offers.currentItemChanged.connect(lambda *_a: self._explain())
        layout.addWidget(self.offers, 1)
        answers = QHBoxLayout()
        self.accepted_button = QPushButton(objectName="answer_accepted")
        self.refused_button = QPushButton(objectName="answer_refused")
        self.confirm = AnswerConfirm(self.answer, self)
        for button, answer, keys in ((self.accepted_button, Answer.ACCEPTED, "Ctrl+Shift+Y"),
                                     (self.refused_button, Answer.REFUSED, "Ctrl+Shift+N")):
            button.clicked.connect(lambda _c=False, a=answer.value: self.stage_answer(a))
            QShortcut(QKeySequence(keys), self, lambda a=answer.value: self.stage_answer(a))
            answers.addWidget(button)
        layout.addLayout(answers)
        layout.addWidget(self.confirm)

    def _retranslate_offers(self) -> None:
        self.accepted_button.setText(_("Customer accepted (Ctrl+Shift+Y)"))
        self.refused_button.setText(_("Customer refused (Ctrl+Shift+N)"))
        self.confirm.retranslate()
        self.offers.setAccessibleName(_("Offers made"))
        self.offers.setHeaderLabels([_("No."), _("Kind"), _("Amount"), _("Approval"),
                                     _("Answer")])

    def _show_offers(self) -> None:
        self.offers.clear()
        currency = self.desk.policy.currency
        for offer in (self.case.offers if self.case else ()):
            item = QTreeWidgetItem([str(offer.seq), policy_label(offer.kind),
                                    money(offer.amount, currency),
                                    Approval(offer.approval).label + (
                                        f" ({offer.approver})" if offer.approver else ""),
                                    Answer(offer.answer).label + (
                                        " · " + _("final") if offer.is_final else "")])
            item.setData(0, Qt.ItemDataRole.UserRole, offer.seq)
            self.offers.addTopLevelItem(item)
        answer = self.desk.actions_for(self.case)["answer"] if self.case else None
        if answer is not None and answer.allowed:
            last = self.offers.topLevelItem(self.offers.topLevelItemCount() - 1)
            self.offers.setCurrentItem(last)
        for button in (self.accepted_button, self.refused_button):
            button.setEnabled(bool(answer and answer.allowed))
            button.setToolTip(answer.reason if answer else "")
        self._explain()

    def _answerable_offer(self):
        """The offer the answer buttons act on: the current row of the offers list."""
        item = self.offers.currentItem()
        if self.case is None or item is None:
            return None
        seq = item.data(0, Qt.ItemDataRole.UserRole)
        return next((o for o in self.case.offers if o.seq == seq), None)

    def _needs_serials(self, offer) -> bool:
        """A voucher, ticket or card handed over is recorded by its numbers when accepted."""
        if offer is None or offer.serials or offer.answer != Answer.PENDING.value:
            return False
        kind = self.desk.policy.kinds.get(offer.kind)
        return bool(kind and kind.serials)

    def stage_answer(self, answer: str) -> None:
        """The buttons and their keys: shown with an Undo, written a moment later."""
        if self._answerable_offer() is not None and self.accepted_button.isEnabled():
            self.confirm.stage(answer)

    def answer(self, answer: str) -> bool:
        offer = self._answerable_offer()
        if offer is None:
            return False
        seq = offer.seq
        serials = (tuple(self.serials.text().replace(",", " ").split())
                   if answer == Answer.ACCEPTED.value else ())
        case = None
        with reported(self):
            try:
                case = self.desk.record_answer(self.case.case_no, seq, answer, serials)
            except DomainError as exc:
                self.error.show_message(str(exc))
        if case is None:
            if self._needs_serials(offer) and not serials:
                self.serials.setEnabled(True)
                self.serials.setFocus()
            return False
        self.serials.clear()
        self._update(case)
        return True


__all__ = ["OffersMade"]
