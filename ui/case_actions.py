"""The lifecycle actions on one case (resolve, escalate, not accepted, close, void, follow-up
call, duplicate link): each is a small form, one ``Desk`` call, and the domain's message
shown inline when it says no."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QVBoxLayout, QWidget)

from desk.enums import Level, NotAcceptedReason, Validity
from desk.errors import DomainError
from desk.i18n import N_, _
from desk.queries import CaseDetail
from ui.errors import reported
from ui.session import Desk
from ui.widgets import ChoiceCombo, ErrorLabel


@dataclass(frozen=True)
class Field:
    name: str
    label: str           # msgid
    kind: str = "line"   # line, text, choice, check, number
    choices: tuple = ()  # (key, label-callable)
    default: object = None


class FormDialog(QDialog):
    """A titled form whose OK runs ``submit(values)``; a domain error keeps it open."""

    def __init__(self, title: str, fields: list[Field], submit: Callable[[dict], object],
                 parent: QWidget | None = None, intro: str = "") -> None:
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
        self.error = ErrorLabel("action")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.run)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(480, self.sizeHint().height())
        if fields:
            self.widgets[fields[0].name].setFocus()

    def _widget(self, field: Field) -> QWidget:
        if field.kind == "text":
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setPlainText(field.default or "")
            return widget
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


def _choices(enum) -> tuple:
    return tuple((m.value, lambda m=m: m.label) for m in enum)


def resolve_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("result", N_("&Handling result"), "text"),
              Field("validity", N_("Is the complaint &founded?"), "choice",
                    _choices(Validity), Validity.FOUNDED.value),
              Field("police", N_("&Police report no. (lost property)"))]
    return FormDialog(_("Resolve {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.resolve(case.case_no, v["result"], v["validity"],
                                             v["police"] or None), parent)


def escalate_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    higher = [lv for lv in Level if lv.order > Level(case.level).order] or list(Level)
    fields = [Field("level", N_("&To level"), "choice", _choices(higher), higher[0].value),
              Field("reason", N_("&Reason"), "text"),
              Field("severity", N_("&Severity (optional)"), "number", default=0),
              Field("handler", N_("New &handler's staff ID (optional)"))]
    return FormDialog(_("Escalate {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.escalate(case.case_no, v["level"], v["reason"],
                                              v["severity"], v["handler"] or None), parent,
                      intro=_("Escalate at once when you cannot resolve it: nobody may stall "
                              "a case as outside their authority."))


def not_accept_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("reason", N_("&Reason"), "choice", _choices(NotAcceptedReason)),
              Field("note", N_("&Details"), "text")]
    return FormDialog(_("Not accepted: {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.not_accept(case.case_no, v["reason"], v["note"]), parent)


def close_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("recipient", N_("&Received and signed by"),
                    default=case.recipient_name or "")]
    intro = (_("A cost was paid: record who received it and signed for it.")
             if case.cost_claimed else "")
    return FormDialog(_("Close {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.close(case.case_no, v["recipient"] or None), parent,
                      intro=intro)


def void_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    return FormDialog(_("Void {case_no}").format(case_no=case.case_no),
                      [Field("reason", N_("&Why it was entered by mistake"), "text")],
                      lambda v: desk.void(case.case_no, v["reason"]), parent,
                      intro=_("The case is kept and its number stays used, like a spoilt "
                              "sheet in a numbered pad."))


def follow_up_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("reached", N_("Customer &reached"), "check", default=True),
              Field("satisfaction", N_("&Satisfaction, 1 (very unhappy) to 5"), "number",
                    default=0),
              Field("comment", N_("&Comment"), "text"),
              Field("text_sent", N_("Text &message sent"), "check")]
    return FormDialog(_("Follow-up call: {case_no}").format(case_no=case.case_no), fields,
                      lambda v: desk.add_follow_up(case.case_no, reached=v["reached"],
                                                   satisfaction=v["satisfaction"],
                                                   comment=v["comment"],
                                                   text_sent=v["text_sent"]), parent)


def duplicate_dialog(desk: Desk, case: CaseDetail, parent: QWidget | None) -> FormDialog:
    fields = [Field("primary", N_("&Case that handles this matter")),
              Field("reason", N_("&Reason"))]
    return FormDialog(_("Link {case_no} as a duplicate").format(case_no=case.case_no), fields,
                      lambda v: desk.link_duplicate(case.case_no, v["primary"].strip().upper(),
                                                    v["reason"]), parent)


ACTIONS: dict[str, tuple[str, Callable]] = {
    "resolve": (N_("Resol&ve…"), resolve_dialog),
    "escalate": (N_("&Escalate…"), escalate_dialog),
    "not_accept": (N_("&Not accepted…"), not_accept_dialog),
    "close": (N_("C&lose…"), close_dialog),
    "follow_up": (N_("&Follow-up call…"), follow_up_dialog),
    "void": (N_("Voi&d…"), void_dialog),
    "duplicate": (N_("Lin&k duplicate…"), duplicate_dialog),
}


def run_action(key: str, desk: Desk, case: CaseDetail, parent: QWidget | None
               ) -> CaseDetail | None:
    """Open the action's dialog; the updated case when it was carried out."""
    dialog = ACTIONS[key][1](desk, case, parent)
    with reported(parent):
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.result_value
    return None
