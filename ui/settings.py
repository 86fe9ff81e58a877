"""Per-PC settings (QSettings): language, desk letter, database location, paper size. The
language switches at once; a new database location takes effect at the next start."""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget)

from desk.errors import DomainError
from desk.i18n import LOCALES, N_, _
from desk.machine import configured_store
from ui.language import Language, language_label
from ui.widgets import ChoiceCombo, ErrorLabel, set_hint

PAPERS = {"a4": N_("A4 sheets"), "continuous": N_("Continuous (9.5 × 11 in) carbonless sets")}


class PcSettings:
    """Typed access to this PC's QSettings; defaults come from the store and the policy."""

    def __init__(self, qsettings: QSettings) -> None:
        self.q = qsettings

    def _get(self, key: str, default: str | None) -> str | None:
        value = self.q.value(key, default)
        return str(value) if value not in (None, "") else default

    def locale(self, default: str) -> str:
        value = self._get("locale", default)
        return value if value in LOCALES else default

    def desk(self, default: str) -> str:
        return self._get("desk", default) or default

    def db(self) -> str | None:
        return self._get("db", None)

    def paper(self, default: str) -> str:
        value = self._get("paper", default)
        return value if value in PAPERS else default

    def receipt_printer(self) -> str | None:
        """The ESC/POS receipt printer for the slip (usb:…, network:…, file:…), or None."""
        return self._get("receipt_printer", None)

    def slip_paper(self) -> str:
        value = self._get("slip_paper", "receipt")
        return value if value in ("receipt", "a4") else "receipt"

    def set(self, key: str, value: str | None) -> None:
        if value in (None, ""):
            self.q.remove(key)
        else:
            self.q.setValue(key, value)
        self.q.sync()


class SettingsDialog(QDialog):
    def __init__(self, settings: PcSettings, language: Language, *, desk: str, paper: str,
                 db: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.settings = settings
        self.language = language
        self.locale = ChoiceCombo("settings_locale")
        self.locale.set_choices((lc, lambda lc=lc: language_label(lc)) for lc in LOCALES)
        self.locale.set_key(language.locale)
        self.locale.activated.connect(self._switch_language)
        self.desk = QLineEdit(desk, objectName="settings_desk")
        self.paper = ChoiceCombo("settings_paper")
        self.paper.set_choices((k, lambda t=t: _(t)) for k, t in PAPERS.items())
        self.paper.set_key(paper)
        self.db = QLineEdit(db, objectName="settings_db")
        self.receipt = QLineEdit(settings.receipt_printer() or "",
                                 objectName="settings_receipt_printer")
        browse = QPushButton()
        browse.clicked.connect(self._browse)
        db_line = QHBoxLayout()
        db_line.addWidget(self.db, 1)
        db_line.addWidget(browse)
        self.labels = [QLabel() for _i in range(5)]
        form = QFormLayout()
        for label, widget in zip(self.labels, (self.locale, self.desk, self.paper, self.db,
                                               self.receipt)):
            label.setBuddy(widget)
        form.addRow(self.labels[0], self.locale)
        form.addRow(self.labels[1], self.desk)
        form.addRow(self.labels[2], self.paper)
        form.addRow(self.labels[3], db_line)
        form.addRow(self.labels[4], self.receipt)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.error = ErrorLabel("settings")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.browse = browse
        self.retranslate()
        language.changed.connect(lambda _l: self.retranslate())

    def retranslate(self) -> None:
        self.setWindowTitle(_("Settings for this PC"))
        for label, text in zip(self.labels, (N_("&Language"), N_("&Desk letter"),
                                             N_("&Paper"), N_("Data&base"),
                                             N_("&Receipt printer for slips"))):
            label.setText(_(text))
        self.locale.retranslate()
        self.paper.retranslate()
        self.browse.setText(_("Browse…"))
        shared, _origin = configured_store(None)    # DESK_DB, or what the installer set
        set_hint(self.db, 
            _("(this PC's store: {location})").format(location=shared) if shared
            else _("(the default store in the user data folder)"))
        set_hint(self.receipt, _("(none: slips go to the system printer) or "
                                 "usb:04b8:0202, network:HOST:9100, file:PATH"))
        self.note.setText(_("The language changes at once. A new database location is used "
                            "from the next start."))

    def _switch_language(self, *_args: object) -> None:
        locale = self.locale.key()
        self.settings.set("locale", locale)
        self.language.switch(locale)

    def _browse(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, _("Database file"), self.db.text(), _("Store (*.sqlite3);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite)
        if name:
            self.db.setText(name)

    def save(self) -> None:
        self.error.show_message("")
        try:
            from desk.services.numbering import check_desk   # loads with the store
            desk = check_desk(self.desk.text().strip().upper())
        except DomainError as exc:
            self.error.show_message(str(exc))
            self.desk.setFocus()
            return
        receipt = self.receipt.text().strip()
        if receipt:
            try:
                from desk.forms.slip_escpos import parse_target
                receipt = str(parse_target(receipt))
            except DomainError as exc:
                self.error.show_message(str(exc))
                self.receipt.setFocus()
                return
        self.settings.set("receipt_printer", receipt or None)
        self.settings.set("desk", desk)
        self.settings.set("paper", self.paper.key())
        self.settings.set("db", self.db.text().strip() or None)
        self.accept()
