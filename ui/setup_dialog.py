"""First run on a new store: the mall's name, the desk letter, currency and language, and the
first administrator with their PIN, saved in one unit of work by ``desk``."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (QDialogButtonBox, QFormLayout, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from desk.enums import policy_label
from desk.errors import N_, DomainError, ValidationError
from desk.i18n import LOCALES, _
from desk.policy import Policy
from desk.services.settings import CURRENCIES, admin_roles
from ui.errors import reported
from ui.language import language_label
from ui.widgets import ChoiceCombo, EnterFormDialog, ErrorLabel, enter_moves_on


class SetupDialog(EnterFormDialog):
    """``submit(values)`` runs ``desk.services.settings.first_run``; errors stay inline."""

    def __init__(self, policy: Policy, submit: Callable[[dict], object],
                 parent: QWidget | None = None, on_language: Callable[[str], None] | None = None
                 ) -> None:
        super().__init__(parent)
        self.setObjectName("setup_dialog")
        self.setWindowTitle(_("Complaint Desk — first set-up"))
        self.submit = submit
        layout = QVBoxLayout(self)
        intro = QLabel(_("This store is new. Tell it where it is and who looks after it; the "
                         "administrator then adds the other staff."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.fields = {
            "mall_name": QLineEdit(policy.mall_name, objectName="setup_mall_name"),
            "desk": QLineEdit("A", objectName="setup_desk"),
            "currency": ChoiceCombo("setup_currency"),
            "locale": ChoiceCombo("setup_locale"),
            "admin_no": QLineEdit(objectName="setup_admin_no"),
            "admin_name": QLineEdit(objectName="setup_admin_name"),
            "admin_role": ChoiceCombo("setup_admin_role"),
            "pin": QLineEdit(objectName="setup_pin"),
            "pin2": QLineEdit(objectName="setup_pin2"),
        }
        currencies = list(dict.fromkeys([policy.currency, *CURRENCIES]))
        self.fields["currency"].set_choices((c, lambda c=c: c) for c in currencies)
        self.fields["locale"].set_choices((lc, lambda lc=lc: language_label(lc)) for lc in LOCALES)
        self.fields["locale"].set_key(policy.locale)
        self.fields["admin_role"].set_choices(
            (r, lambda r=r: policy_label(r)) for r in admin_roles(policy))
        for key in ("pin", "pin2"):
            self.fields[key].setEchoMode(QLineEdit.EchoMode.Password)
        titles = {"mall_name": N_("&Mall name"), "desk": N_("&Desk letter"),
                  "currency": N_("&Currency"), "locale": N_("&Language"),
                  "admin_no": N_("Administrator's staff &ID"),
                  "admin_name": N_("Administrator's &name"), "admin_role": N_("&Role"),
                  "pin": N_("&PIN (4 to 12 digits)"), "pin2": N_("PIN &again")}
        self.errors: dict[str, ErrorLabel] = {}
        for key, widget in self.fields.items():
            label = QLabel(_(titles[key]))
            label.setBuddy(widget)
            self.errors[key] = ErrorLabel(f"setup_{key}")
            box = QVBoxLayout()
            box.addWidget(widget)
            box.addWidget(self.errors[key])
            form.addRow(label, box)
        layout.addLayout(form)
        self.general = ErrorLabel("setup")
        layout.addWidget(self.general)
        enter_moves_on(*[w for k, w in self.fields.items() if isinstance(w, ChoiceCombo)])
        if on_language is not None:
            self.fields["locale"].activated.connect(
                lambda _i: on_language(self.fields["locale"].key()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fields["mall_name"].setFocus()

    def submit_fields(self) -> tuple[QWidget, ...]:
        return (self.fields["pin2"],)

    def submit_by_enter(self) -> None:
        self.run()

    def values(self) -> dict:
        out = {}
        for key, widget in self.fields.items():
            out[key] = widget.key() if isinstance(widget, ChoiceCombo) else widget.text()
        out["desk"] = out["desk"].strip().upper()
        return out

    def run(self) -> bool:
        for label in self.errors.values():
            label.show_message("")
        self.general.show_message("")
        values = self.values()
        with reported(self):
            try:
                if values["pin"] != values.pop("pin2"):
                    raise ValidationError(N_("the two PINs differ"), field="pin")
                self.submit(values)
            except DomainError as exc:
                key = {"staff_id": "admin_no", "role": "admin_role",
                       "amount": "currency"}.get(exc.field or "", exc.field or "")
                if key == "name":  # the store's settings are checked before the staff record
                    key = "mall_name" if not values["mall_name"].strip() else "admin_name"
                target = self.errors.get(key)
                (target or self.general).show_message(str(exc))
                if key in self.fields:
                    self.fields[key].setFocus()
                return False
            self.accept()
            return True
        return False
