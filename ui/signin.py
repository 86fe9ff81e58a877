"""Sign-in, switch user and the idle lock: staff ID and PIN, checked by ``desk`` (wrong PINs
are counted there and lock the account). A PIN that no longer meets the PIN policy signs in
and is then asked to be replaced, in the same dialog ("Later" keeps it for now)."""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (QApplication, QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from desk.enums import policy_label
from desk.errors import DomainError
from desk.i18n import _
from ui.errors import reported
from ui.session import Desk
from ui.widgets import EnterFormDialog, ErrorLabel


class SignInDialog(EnterFormDialog):
    """Accepts once ``desk`` has signed someone in; shows the demo staff on a demo store."""

    def __init__(self, desk: Desk, parent: QWidget | None = None, *, locked: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("signin_dialog")
        self.setMinimumWidth(380)   # the note asking for a new PIN wraps, not the fields
        self.desk = desk
        title = _("Complaint Desk — sign in")
        if desk.demo:
            title += " — DEMO"
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        intro = QLabel(_("The screen was locked. Sign in to continue; nothing was lost.")
                       if locked else _("Sign in with your staff ID and PIN."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.staff_no = QLineEdit(objectName="signin_staff_id")
        self.pin = QLineEdit(objectName="signin_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        label_id, label_pin = QLabel(_("Staff &ID")), QLabel(_("&PIN"))
        label_id.setBuddy(self.staff_no)
        label_pin.setBuddy(self.pin)
        form.addRow(label_id, self.staff_no)
        form.addRow(label_pin, self.pin)
        layout.addLayout(form)
        self.change_note = QLabel(_("Your PIN no longer meets the PIN policy. Choose a new "
                                    "one now, or later."), objectName="signin_change_note")
        self.change_note.setWordWrap(True)
        self.new_pin = QLineEdit(objectName="signin_new_pin")
        self.new_pin2 = QLineEdit(objectName="signin_new_pin2")
        self.change_form = QWidget()
        change_form = QFormLayout(self.change_form)
        change_form.setContentsMargins(0, 0, 0, 0)
        for widget, label in ((self.new_pin, _("&New PIN")), (self.new_pin2, _("&Repeat"))):
            widget.setEchoMode(QLineEdit.EchoMode.Password)
            buddy = QLabel(label)
            buddy.setBuddy(widget)
            change_form.addRow(buddy, widget)
        for widget in (self.change_note, self.change_form):
            widget.setVisible(False)
            layout.addWidget(widget)
        self.error = ErrorLabel("signin")
        layout.addWidget(self.error)
        if desk.demo and desk.demo_staff:
            note = QLabel(_("Demo store: these demo staff may sign in (double-click one)."))
            note.setWordWrap(True)
            layout.addWidget(note)
            table = QTreeWidget(objectName="demo_staff")
            table.setRootIsDecorated(False)
            table.setHeaderLabels([_("Staff ID"), _("PIN"), _("Name"), _("Role")])
            for staff_no, name, role, pin in desk.demo_staff:
                table.addTopLevelItem(QTreeWidgetItem([staff_no, pin, name, policy_label(role)]))
            table.itemDoubleClicked.connect(
                lambda item, _c: self.sign_in_with(item.text(0), item.text(1)))
            table.setMinimumHeight(200)
            for column in range(4):
                table.resizeColumnToContents(column)
            layout.addWidget(table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Sign in"))
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self._cancel)
        layout.addWidget(buttons)
        self.buttons = buttons
        self.staff_no.setFocus()

    def submit_fields(self) -> tuple[QWidget, ...]:
        return (self.pin, self.new_pin2)

    def submit_by_enter(self) -> None:
        self.try_sign_in()

    def sign_in_with(self, staff_no: str, pin: str) -> bool:
        self.staff_no.setText(staff_no)
        self.pin.setText(pin)
        return self.try_sign_in()

    @property
    def changing_pin(self) -> bool:
        return self.change_form.isVisibleTo(self)

    def try_sign_in(self) -> bool:
        self.error.show_message("")
        if self.changing_pin:
            return self.try_change_pin()
        with reported(self):
            try:
                actor = self.desk.sign_in(self.staff_no.text(), self.pin.text())
            except DomainError as exc:
                self.pin.clear()
                self.pin.setFocus()
                self.error.show_message(str(exc))
                return False
            if actor.pin_change_due:
                self._ask_for_new_pin()
                return False
            self.accept()
            return True
        return False

    def _ask_for_new_pin(self) -> None:
        for widget in (self.staff_no, self.pin):
            widget.setEnabled(False)
        self.change_note.setVisible(True)
        self.change_form.setVisible(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Change PIN"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Later"))
        self.new_pin.setFocus()

    def try_change_pin(self) -> bool:
        """The new PIN, checked by ``desk`` against the role's PIN policy."""
        if self.new_pin.text() != self.new_pin2.text():
            self.error.show_message(_("the two PINs differ"))
            return False
        with reported(self):
            try:
                self.desk.change_pin(self.new_pin.text())
            except DomainError as exc:
                self.new_pin.clear()
                self.new_pin2.clear()
                self.new_pin.setFocus()
                self.error.show_message(str(exc))
                return False
            self.accept()
            return True
        return False

    def _cancel(self) -> None:
        """Before sign-in: cancel. Asked for a new PIN: signed in already, so "Later"."""
        if self.changing_pin:
            self.accept()
        else:
            self.reject()


class IdleWatcher(QObject):
    """Fires ``idle`` after ``minutes`` without activity. Activity is a focus change, a
    mouse move (polled), or ``touch()`` from the panels' edit signals; no event filter, so
    nothing is added to every event the app handles."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=max(1, int(minutes * 60_000)))
        self.timer.timeout.connect(self.idle.emit)
        self._cursor = QCursor.pos()
        self._poll = QTimer(self, interval=5000)
        self._poll.timeout.connect(self._check_cursor)
        app = QApplication.instance()
        if app is not None:
            app.focusChanged.connect(self.touch)

    def start(self) -> None:
        self.timer.start()
        self._poll.start()

    def stop(self) -> None:
        self.timer.stop()
        self._poll.stop()

    def touch(self, *_args: object) -> None:
        if self.timer.isActive():
            self.timer.start()

    def _check_cursor(self) -> None:
        position = QCursor.pos()
        if position != self._cursor:
            self._cursor = position
            self.touch()
