"""A small titled form for one action: labelled fields with mnemonics, OK runs one ``desk``
call, and a domain error keeps the form open with the message under it, so nothing is
half-written and nothing typed is lost."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDateTimeEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QSpinBox,
                               QVBoxLayout, QWidget)

from desk.errors import DomainError
from desk.i18n import _
from ui.errors import reported
from ui.widgets import (ChoiceCombo, ErrorLabel, desk_time_edit, from_qdatetime,
                        to_qdatetime)


@dataclass(frozen=True)
class Field:
    name: str
    label: str           # msgid
    kind: str = "line"   # line, text, choice, check, number, datetime, fixed (shown, not typed)
    choices: tuple = ()  # (key, label-callable)
    default: object = None
    lines: int = 0       # a text field's height in lines (0: as tall as the form allows)
    zone: str = ""       # a datetime field's time zone (the desk's), its default an instant


class FormDialog(QDialog):
    """A titled form whose OK runs ``submit(values)``; a domain error keeps it open.
    Enter in a one-line field or Ctrl+Enter anywhere submits; Escape cancels."""

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict], object],
                 parent: QWidget | None = None, intro: str = "",
                 canned: Callable[[], list[tuple[str, str]]] | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("action_dialog")
        self.setWindowTitle(title)
        self.submit = submit
        self.result_value: object = None
        self.widgets: dict[str, QWidget] = {}
        layout = QVBoxLayout(self)
        if intro:
            text = QLabel(intro)
            text.setWordWrap(True)
            layout.addWidget(text)
        form = QFormLayout()
        for field in fields:
            widget = self._widget(field)
            widget.setObjectName(f"action_{field.name}")
            self.widgets[field.name] = widget
            if field.kind == "check":
                form.addRow(widget)
            else:
                label = QLabel(_(field.label))
                label.setBuddy(widget)
                form.addRow(label, widget)
        layout.addLayout(form)
        if canned is not None:   # the reply templates, inserted into the first text field
            layout.addWidget(canned_picker(canned, next(
                (w for w in self.widgets.values() if isinstance(w, QPlainTextEdit)), None)))
        self.error = ErrorLabel("action")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):   # a text field takes a plain Enter
            QShortcut(QKeySequence(keys), self, self.run)
        self.resize(480, self.sizeHint().height())
        typed = [f for f in fields if f.kind != "fixed"]
        if typed:
            self.widgets[typed[0].name].setFocus()

    def _widget(self, field: Field) -> QWidget:
        if field.kind == "text":
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setPlainText(field.default or "")
            if field.lines:
                height = widget.fontMetrics().lineSpacing() * field.lines
                widget.setFixedHeight(height + 2 * widget.frameWidth() + 8)
            return widget
        if field.kind == "fixed":
            shown = QLineEdit(str(field.default or ""))
            shown.setReadOnly(True)
            shown.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Tab skips what cannot be typed
            return shown
        if field.kind == "choice":
            combo = ChoiceCombo(field.name)
            combo.set_choices(field.choices)
            if field.default is not None:
                combo.set_key(field.default)
            return combo
        if field.kind == "check":
            box = QCheckBox(_(field.label))
            box.setChecked(bool(field.default))
            return box
        if field.kind == "datetime":
            edit = QDateTimeEdit()
            edit.setCalendarPopup(True)
            desk_time_edit(edit, field.zone)
            if field.default is not None:
                edit.setDateTime(to_qdatetime(field.default, field.zone))
            return edit
        if field.kind == "number":
            spin = QSpinBox()
            spin.setRange(0, 5)
            spin.setSpecialValueText("—")
            spin.setValue(int(field.default or 0))
            return spin
        line = QLineEdit()
        line.setText(field.default or "")
        return line

    def values(self) -> dict:
        out = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QPlainTextEdit):
                out[name] = widget.toPlainText()
            elif isinstance(widget, ChoiceCombo):
                out[name] = widget.key()
            elif isinstance(widget, QCheckBox):
                out[name] = widget.isChecked()
            elif isinstance(widget, QSpinBox):
                out[name] = widget.value() or None
            elif isinstance(widget, QDateTimeEdit):
                out[name] = from_qdatetime(widget.dateTime())
            elif isinstance(widget, QComboBox):
                out[name] = widget.currentText()
            else:
                out[name] = widget.text()
        return out

    def set_values(self, **values: object) -> None:
        """Fill fields programmatically (tests and keyboard macros)."""
        for name, value in values.items():
            widget = self.widgets[name]
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(str(value))
            elif isinstance(widget, ChoiceCombo):
                widget.set_key(value)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QSpinBox):
                widget.setValue(int(value or 0))
            elif isinstance(widget, QDateTimeEdit):
                widget.setDateTime(to_qdatetime(value, widget.timeZone().id().data().decode()))
            else:
                widget.setText(str(value))

    def run(self) -> None:
        self.error.show_message("")
        with reported(self):
            try:
                self.result_value = self.submit(self.values())
            except DomainError as exc:
                self.error.show_message(str(exc))
                return
        if self.result_value is not None:
            self.accept()


def canned_picker(canned: Callable[[], list[tuple[str, str]]],
                  target: QPlainTextEdit | None) -> QComboBox:
    """A combo of canned replies (the store's reply templates with the case's fields in);
    choosing one inserts its text at the cursor of ``target``."""
    combo = QComboBox(objectName="canned_replies")
    combo.addItem(_("Insert a canned reply…"), None)
    with reported(combo):
        for title, text in canned():
            combo.addItem(title, text)

    def insert(index: int) -> None:
        text = combo.itemData(index)
        if text and target is not None:
            target.insertPlainText(text)
            target.setFocus()
        combo.setCurrentIndex(0)

    combo.activated.connect(insert)
    return combo


__all__ = ["Field", "FormDialog", "canned_picker"]
