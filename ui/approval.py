"""A supervisor approves (or refuses) an offer beyond the clerk's authority at the same PC:
they type their own staff ID and PIN; ``desk`` checks both and their authority."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (QButtonGroup, QDialogButtonBox, QFormLayout, QLabel,
                               QLineEdit, QRadioButton, QVBoxLayout, QWidget)

from desk.errors import DomainError
from desk.i18n import _
from desk.services.auth import Actor
from ui.errors import reported
from ui.widgets import EnterFormDialog, ErrorLabel, set_hint


class ApprovalDialog(EnterFormDialog):
    """``submit(approver, refuses, note)`` makes the offer; its result is kept in ``result``.

    ``verify(staff_no, pin)`` checks the approver's PIN (counted like any sign-in)."""

    def __init__(self, summary: str, reason: str, verify: Callable[[str, str], Actor],
                 submit: Callable[[Actor, bool, str], object],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approval_dialog")
        self.setWindowTitle(_("Approval needed"))
        self.verify = verify
        self.submit = submit
        self.result_value: object = None
        self.refused = False
        layout = QVBoxLayout(self)
        intro = QLabel(_("{summary}\n\n{reason}\n\nSomeone in a higher role whose authority "
                         "covers it signs in here to approve or refuse.").format(
            summary=summary, reason=reason))
        intro.setObjectName("approval_reason")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.staff_no = QLineEdit(objectName="approver_id")
        self.pin = QLineEdit(objectName="approver_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.approve = QRadioButton(_("&Approve"), objectName="approve_radio")
        self.refuse = QRadioButton(_("Re&fuse"), objectName="refuse_radio")
        self.approve.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.approve)
        group.addButton(self.refuse)
        self.note = QLineEdit(objectName="approval_note")
        set_hint(self.note, _("Reason (needed when refusing)"))
        label_id = QLabel(_("Supervisor's staff &ID"))
        label_id.setBuddy(self.staff_no)
        label_pin = QLabel(_("&PIN"))
        label_pin.setBuddy(self.pin)
        label_note = QLabel(_("&Note"))
        label_note.setBuddy(self.note)
        form.addRow(label_id, self.staff_no)
        form.addRow(label_pin, self.pin)
        form.addRow(self.approve, self.refuse)
        form.addRow(label_note, self.note)
        layout.addLayout(form)
        self.error = ErrorLabel("approval")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.setObjectName("approval_buttons")
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Record decision"))
        buttons.accepted.connect(self.decide)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.staff_no.setFocus()

    def submit_fields(self) -> tuple[QWidget, ...]:
        return (self.note,)

    def submit_by_enter(self) -> None:
        self.decide()

    def decide(self) -> None:
        self.error.show_message("")
        refuses = self.refuse.isChecked()
        with reported(self):
            try:
                approver = self.verify(self.staff_no.text(), self.pin.text())
                self.result_value = self.submit(approver, refuses, self.note.text())
            except DomainError as exc:
                self.pin.clear()
                self.error.show_message(str(exc))
                return
        if self.result_value is not None:
            self.refused = refuses
            self.accept()
