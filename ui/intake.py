"""The intake form: every field of a complaint, keyboard-first, checked inline by ``desk``
before anything is saved, with the customer's earlier cases and a crash-safe draft."""
from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QDateTimeEdit, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QListWidget, QPlainTextEdit, QPushButton, QScrollArea,
                               QVBoxLayout, QWidget)

from desk import intake_help
from desk.enums import (Channel, ContactChannel, ContentClass, Degree, Level, Motive, SubjectKind,
                        policy_label)
from desk.errors import DomainError
from desk.i18n import N_, _, get_locale
from ui.draft import DraftStore
from ui.errors import plain_message, reported
from ui.radar_hint import RadarHint
from ui.session import Desk
from ui.suggestions import SuggestionPanel
from ui.widgets import (ChoiceCombo, ErrorLabel, desk_time_edit, enter_moves_on, from_qdatetime,
                        set_hint, to_qdatetime)

if TYPE_CHECKING:   # the store's modules load after the form is on screen (ui/store_loader.py)
    from desk.queries import CaseDetail
    from desk.services.intake import CaseInput

log = logging.getLogger(__name__)
SEVERITY_LABELS = {1: N_("★ General"), 2: N_("★★ Fairly serious"), 3: N_("★★★ Serious")}
TEXT_FIELDS = ("customer.name", "customer.phone", "customer.member_no", "customer.address",
               "subject.name", "desk", "contact.email")
CHOICE_FIELDS = ("category", "subject.kind", "subject.staff", "motive", "severity", "level",
                 "responsible_unit", "handler", "channel", "contact.channel", "contact.consent",
                 "customer.tier", "content_class", "degree")
CONSENT = ((None, N_("(not asked)")), (True, N_("Agrees to be contacted")),
           (False, N_("Does not want to be contacted")))
# What "Use suggestion" may fill in, each only while the clerk has not chosen it.
SUGGESTED = (("category", "category"), ("content_class", "content_class"),
             ("degree", "degree"), ("severity", "severity"))
TEXTAREA_FIELDS = ("complaint", "request")


def _label(text_id: str):
    return lambda: _(text_id)


class IntakeForm(QWidget):
    """Emits ``saved`` with the new case; ``values()``/``load_values()`` round-trip a draft."""

    saved = Signal(object)
    print_requested = Signal(str)
    slip_requested = Signal(str)

    def __init__(self, desk: Desk, drafts: DraftStore, parent: QWidget | None = None,
                 autosave_ms: int = 4000) -> None:
        super().__init__(parent)
        self.setObjectName("intake_form")
        self.desk = desk
        self.drafts = drafts
        self.case: CaseDetail | None = None
        self._touched: set[str] = set()
        self._dirty = False
        self._loading = False
        self._received_set = False
        self._build()
        self._autosave = QTimer(self, interval=autosave_ms)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        self._history_timer = QTimer(self, singleShot=True, interval=300)
        self._history_timer.timeout.connect(self.refresh_history)
        self.reload_choices()
        self.retranslate()
        self.clear()

    # --- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}
        self.labels: dict[str, QLabel] = {}
        for name in TEXT_FIELDS:
            edit = QLineEdit(objectName=name)
            edit.textEdited.connect(lambda _t, n=name: self._changed(n))
            edit.editingFinished.connect(lambda n=name: self._touch(n))
            self.fields[name] = edit
        for name in CHOICE_FIELDS:
            combo = ChoiceCombo(name)
            combo.activated.connect(lambda _i, n=name: self._changed(n, touch=True))
            self.fields[name] = combo
        for name in TEXTAREA_FIELDS:
            area = QPlainTextEdit(objectName=name)
            area.setTabChangesFocus(True)
            area.setFixedHeight(72 if name == "complaint" else 48)
            area.textChanged.connect(lambda n=name: self._changed(n))
            self.fields[name] = area
        received = QDateTimeEdit(objectName="received_at")
        received.setCalendarPopup(True)
        desk_time_edit(received, self.desk.policy.timezone)
        received.dateTimeChanged.connect(lambda _v: self._changed("received_at"))
        self.fields["received_at"] = received
        self.fields["customer.phone"].textEdited.connect(lambda _t: self._history_timer.start())
        self.fields["customer.member_no"].textEdited.connect(lambda _t: self._history_timer.start())
        self.fields["category"].currentIndexChanged.connect(self._category_chosen)
        self.fields["subject.staff"].currentIndexChanged.connect(self._recusal)
        self.fields["handler"].currentIndexChanged.connect(self._recusal)

        groups = [("customer", N_("The customer"), ["customer.name", "customer.phone",
                                                 "customer.member_no"]),
                  ("matter", N_("The complaint"), ["category", "subject.kind", "subject.name",
                                                    "subject.staff", "complaint", "request",
                                                    "motive", "severity", "content_class",
                                                    "degree"]),
                  ("handling", N_("Handling"), ["level", "responsible_unit", "handler",
                                                 "channel", "received_at", "customer.address",
                                                 "customer.tier", "contact.channel",
                                                 "contact.consent", "contact.email", "desk"])]
        self.groups: dict[str, tuple[QGroupBox, str]] = {}
        column = QVBoxLayout()
        self.status = QLabel(objectName="intake_status")
        self.status.setWordWrap(True)
        column.addWidget(self.status)
        column.addWidget(RadarHint(self))   # the batch radar's word while typing
        for key, title, names in groups:
            box = QGroupBox(objectName=f"group_{key}")
            form = QFormLayout(box)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            for name in names:
                label = QLabel(objectName=f"label_{name}")
                label.setBuddy(self.fields[name])
                self.labels[name] = label
                error = ErrorLabel(name)
                self.errors[name] = error
                cell = QVBoxLayout()
                cell.setSpacing(1)
                cell.addWidget(self.fields[name])
                cell.addWidget(error)
                if name == "customer.phone":
                    self.badge = QLabel(objectName="repeat_badge")
                    self.badge.setStyleSheet("background:#C62828;color:white;border-radius:8px;"
                                             "padding:1px 8px;")
                    self.badge.hide()
                    cell.addWidget(self.badge)
                form.addRow(label, cell)
                if name == "customer.member_no":
                    self.history = QListWidget(objectName="history_list")
                    self.history.setMaximumHeight(90)
                    self.history.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                    self.history.hide()
                    form.addRow(self.history)
                if name == "category":
                    self.suggestion = QLabel(objectName="category_suggestion")
                    self.suggestion.setStyleSheet("color:#555;")
                    self.suggestion.setWordWrap(True)
                    form.addRow(self.suggestion)
                if name == "complaint":
                    self.suggestions = SuggestionPanel(self.desk.lexicon, self,
                                                       may_start=lambda: self.desk.ready)
                    self.suggestions.use_requested.connect(self.use_suggestion)
                    self.fields["complaint"].textChanged.connect(
                        lambda: self.suggestions.set_text(self.fields["complaint"].toPlainText()))
                    form.addRow(self.suggestions)
                    self.fields["customer.name"].textEdited.connect(
                        lambda _t: self.suggestions.warm_up())
                if name == "handler":
                    self.recusal_note = QLabel(objectName="recusal_note")
                    self.recusal_note.setStyleSheet("color:#B00020;")
                    self.recusal_note.setWordWrap(True)
                    self.recusal_note.hide()
                    form.addRow(self.recusal_note)
            self.groups[key] = (box, title)
            column.addWidget(box)
        self._tab_order = [n for _k, _t, names in groups for n in names]
        self.general_error = ErrorLabel("general")
        column.addWidget(self.general_error)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(objectName="save_button")
        self.save_button.clicked.connect(self.save)
        self.print_button = QPushButton(objectName="print_button")
        self.print_button.clicked.connect(self._print)
        self.new_button = QPushButton(objectName="new_button")
        self.new_button.clicked.connect(self.new_complaint)
        self.slip_button = QPushButton(objectName="slip_button")
        self.slip_button.clicked.connect(self._slip)
        for button in (self.save_button, self.print_button, self.slip_button, self.new_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            buttons.addWidget(button)
        column.addLayout(buttons)
        column.addStretch(1)
        inner = QWidget()
        inner.setLayout(column)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        chain = [self.fields[n] for n in self._tab_order] + [
            self.save_button, self.print_button, self.slip_button, self.new_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)
        enter_moves_on(*self.fields.values())
        QShortcut(QKeySequence.StandardKey.Save, self, self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Print, self, self._print,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+N"), self, self.new_complaint,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence("Ctrl+Shift+P"), self, self._slip,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)

    def reload_choices(self) -> None:
        """Choices from the policy and the staff list (after sign-in or a staff change)."""
        policy = self.desk.policy
        f = self.fields
        f["category"].set_choices((k, lambda k=k: policy_label(k)) for k in policy.categories)
        f["subject.kind"].set_choices((k.value, lambda k=k: k.label) for k in SubjectKind)
        f["motive"].set_choices((m.value, lambda m=m: m.label) for m in Motive)
        unset = [(None, lambda: _("(not classified yet)"))]
        f["content_class"].set_choices(unset + [(c.value, lambda c=c: c.label)
                                                for c in ContentClass])
        f["degree"].set_choices(unset + [(d.value, lambda d=d: d.label) for d in Degree])
        f["customer.tier"].set_choices((t.key, lambda t=t: policy_label(t.key))
                                       for t in policy.tiers_by_rank())
        f["severity"].set_choices((n, _label(t)) for n, t in SEVERITY_LABELS.items())
        f["level"].set_choices((lv.value, lambda lv=lv: lv.label) for lv in Level)
        f["responsible_unit"].set_choices((u, lambda u=u: policy_label(u))
                                          for u in intake_help.units(policy))
        f["channel"].set_choices((c.value, lambda c=c: c.label) for c in Channel)
        f["contact.channel"].set_choices([(None, lambda: _("(no preference)"))] + [
            (c.value, lambda c=c: c.label) for c in ContactChannel])
        f["contact.consent"].set_choices((key, _label(text)) for key, text in CONSENT)
        staff = [s for s in self.desk.staff() if s.active]
        people = [(s.staff_no, lambda s=s: f"{s.staff_no} {s.name}") for s in staff]
        f["subject.staff"].set_choices([(None, lambda: _("(nobody named)"))] + people)
        f["handler"].set_choices(people)

    def retranslate(self) -> None:
        titles = {
            "customer.name": N_("Customer &name"), "customer.phone": N_("&Phone"),
            "customer.member_no": N_("&Member no."), "customer.address": N_("Address (for a letter)"),
            "category": N_("Ca&tegory"), "subject.kind": N_("About &what"),
            "subject.name": N_("Shop, &item or place"), "subject.staff": N_("Staff named"),
            "complaint": N_("&Complaint (customer's words)"), "request": N_("Customer &asks for"),
            "motive": N_("M&otive"), "severity": N_("Severit&y"), "level": N_("&Level"),
            "responsible_unit": N_("Responsible &unit"), "handler": N_("Handle&r"),
            "channel": N_("Channel"), "received_at": N_("Rec&eived"), "desk": N_("&Desk"),
            "customer.tier": N_("Member tier"), "content_class": N_("Content (class)"),
            "degree": N_("Degree"),
            "contact.channel": N_("Contact by"), "contact.consent": N_("Consent"),
            "contact.email": N_("E-mail"),
        }
        for name, label in self.labels.items():
            label.setText(_(titles[name]))
        for box, title in self.groups.values():
            box.setTitle(_(title))
        for field in self.fields.values():
            if isinstance(field, ChoiceCombo):
                field.retranslate()
        set_hint(self.fields["customer.phone"], _("e.g. 0912-345-678"))
        set_hint(self.fields["complaint"], _("In the customer's own terms: what "
                                                      "happened, where, when"))
        self.save_button.setText(_("Save (Ctrl+S)"))
        self.print_button.setText(_("Print (Ctrl+P)"))
        self.new_button.setText(_("New complaint (Ctrl+N)"))
        self.suggestions.retranslate()
        self.slip_button.setText(_("Customer slip (Ctrl+Shift+P)"))
        self._show_suggestion()    # words only: a new language never changes what was chosen
        self._recusal()
        self.refresh_history()
        self._show_status()

    # --- values --------------------------------------------------------------------------
    def values(self) -> dict:
        out: dict = {}
        for name, field in self.fields.items():
            if isinstance(field, QLineEdit):
                out[name] = field.text()
            elif isinstance(field, QPlainTextEdit):
                out[name] = field.toPlainText()
            elif isinstance(field, ChoiceCombo):
                out[name] = field.key()
        out["received_at"] = self._received_at().isoformat() if self._received_set else None
        return out

    def load_values(self, values: dict) -> None:
        self._loading = True
        try:
            for name, value in values.items():
                field = self.fields.get(name)
                if isinstance(field, QLineEdit):
                    field.setText(value or "")
                elif isinstance(field, QPlainTextEdit):
                    field.setPlainText(value or "")
                elif isinstance(field, ChoiceCombo):
                    field.set_key(value)
                elif name == "received_at" and value:
                    self.fields["received_at"].setDateTime(to_qdatetime(
                        datetime.fromisoformat(value), self.desk.policy.timezone))
                    self._received_set = True
        finally:
            self._loading = False
        self._dirty = True
        self.refresh_history()
        self._recusal()

    def show_case(self, case: CaseDetail) -> None:
        """Show a saved case, read-only (taken to the counter from the case list)."""
        self.load_values({
            "customer.name": case.customer_name, "customer.phone": case.customer_phone,
            "customer.member_no": case.customer_member_no,
            "customer.address": case.customer_address, "subject.name": case.subject_name,
            "desk": case.desk, "category": case.category, "subject.kind": case.subject_kind,
            "subject.staff": case.subject_staff_no, "motive": case.motive,
            "severity": case.severity, "level": case.level,
            "responsible_unit": case.responsible_unit, "handler": case.handler_no,
            "channel": case.channel, "complaint": case.complaint, "request": case.request,
            "received_at": case.received_at.isoformat(),
            "contact.channel": case.contact_channel, "contact.consent": case.contact_consent,
            "contact.email": case.customer_email, "customer.tier": case.customer_tier,
            "content_class": case.content_class, "degree": case.degree})
        self.case = case
        self._dirty = False
        for field in self.fields.values():
            field.setEnabled(False)
        for error in self.errors.values():
            error.show_message("")
        self._show_status()

    def case_input(self) -> CaseInput:
        from ui.session import CaseInput   # waits if the store's modules are still loading
        v = self.values()
        return CaseInput(
            desk=(v["desk"] or "").strip().upper(), channel=v["channel"],
            customer_name=v["customer.name"], category=v["category"],
            complaint=v["complaint"], motive=v["motive"], severity=v["severity"],
            subject_kind=v["subject.kind"], subject_name=v["subject.name"] or None,
            subject_staff=v["subject.staff"], customer_phone=v["customer.phone"] or None,
            customer_member_no=v["customer.member_no"] or None,
            customer_address=v["customer.address"] or None, request=v["request"],
            level=v["level"], responsible_unit=v["responsible_unit"], handler=v["handler"],
            received_at=self._received_at() if self._received_set else None,
            text_locale=get_locale(), customer_email=v["contact.email"] or None,
            contact_channel=v["contact.channel"], contact_consent=v["contact.consent"],
            content_class=v["content_class"], degree=v["degree"],
            customer_tier=v["customer.tier"])

    def _received_at(self) -> datetime:
        return from_qdatetime(self.fields["received_at"].dateTime()).astimezone(self.desk.policy.tz)

    # --- behaviour -----------------------------------------------------------------------
    def clear(self) -> None:
        self._loading = True
        for field in self.fields.values():
            if isinstance(field, (QLineEdit, QPlainTextEdit)):
                field.clear()
            elif isinstance(field, ChoiceCombo):
                field.setCurrentIndex(0)
            field.setEnabled(True)
        self.fields["desk"].setText(self.desk.desk_letter)
        self.fields["channel"].set_key(Channel.COUNTER.value)
        if self.desk.actor is not None:
            self.fields["handler"].set_key(self.desk.actor.staff_no)
        self.fields["received_at"].setDateTime(to_qdatetime(datetime.now(timezone.utc),
                                                            self.desk.policy.timezone))
        self._received_set = False
        self._loading = False
        self.case = None
        self._dirty = False
        self._touched.clear()
        for error in self.errors.values():
            error.show_message("")
        self.general_error.show_message("")
        self._category_chosen()
        self.refresh_history()
        self._show_status()
        self.fields["customer.name"].setFocus()

    def handed_over(self, previous: str | None) -> None:
        """Another person signed in at this PC: an unsaved form's handler becomes them
        unless it was set to someone other than the one who left."""
        actor = self.desk.actor
        handler = self.fields["handler"]
        if self.case is None and actor is not None and handler.key() in (previous, None):
            handler.set_key(actor.staff_no)
            self._recusal()

    def focus_first(self) -> None:
        self.fields["customer.name"].setFocus(Qt.FocusReason.OtherFocusReason)

    def new_complaint(self) -> None:
        if self.case is None and self._dirty:
            self.autosave()
        self.clear()
        self.drafts.clear()

    def _changed(self, name: str, touch: bool = False) -> None:
        if self._loading:
            return
        if name == "received_at":
            self._received_set = True
        self._dirty = True
        if touch:
            self._touch(name)
        elif name in self._touched:
            self.validate()

    def _touch(self, name: str) -> None:
        if self._loading or self.case is not None:
            return
        self._touched.add(name)
        self.validate()

    def validate(self) -> bool:
        """Check with ``desk``; show the problem next to its field if the clerk was there."""
        for error in self.errors.values():
            error.show_message("")
        self.general_error.show_message("")
        try:
            self.desk.check_input(self.case_input())
        except DomainError as exc:
            if self._field_of(exc) in self._touched:
                self.show_error(exc)
            return False
        return True

    def _field_of(self, exc: DomainError) -> str:
        field = (exc.field or "").split("[")[0]
        return {"assisting_units": "responsible_unit", "recorder": "handler"}.get(field, field)

    def show_error(self, exc: DomainError) -> None:
        name = self._field_of(exc)
        label = self.errors.get(name)
        if label is None:
            self.general_error.show_message(str(exc))
            return
        label.show_message(str(exc))
        self.fields[name].setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> CaseDetail | None:
        if self.case is not None:
            return self.case
        self._touched.update(self.fields)
        if not self.validate():
            return None
        case = None
        with reported(self):
            try:
                case = self.desk.take_complaint(self.case_input())
            except DomainError as exc:
                self.show_error(exc)
        if case is None:
            return None
        self.case = case
        self._dirty = False
        self.drafts.clear()
        for field in self.fields.values():
            field.setEnabled(False)
        self._show_status()
        self.saved.emit(case)
        return case

    def _print(self) -> None:
        if self.case is None and self.save() is None:
            return
        self.print_requested.emit(self.case.case_no)

    def _slip(self) -> None:
        """The customer's acknowledgement slip (saving first, as printing does)."""
        if self.case is None and self.save() is None:
            return
        self.slip_requested.emit(self.case.case_no)

    def _show_status(self) -> None:
        if self.case is None:
            self.status.setText(_("New complaint: fill in the form, then save with Ctrl+S."))
            self.status.setStyleSheet("")
        else:
            self.status.setText(_("Saved as {case_no}. Ctrl+Shift+P prints the customer's slip. "
                                  "Work through the six steps on the right; Ctrl+N starts "
                                  "the next complaint.").format(case_no=self.case.case_no))
            self.status.setStyleSheet("font-weight: bold; color: #1B5E20;")

    def autosave(self) -> None:
        """Every few seconds while typing. A failure (disk full, folder gone) is said once in
        the status line, not in a dialog every few seconds; the form keeps what was typed."""
        if not (self._dirty and self.case is None):
            return
        try:
            self.drafts.save(self.values())
        except OSError as exc:
            log.warning("draft not saved: %s", exc)
            self.status.setText(plain_message(exc))
            self.status.setStyleSheet("color: #B00020;")

    def _category_chosen(self, *_args: object) -> None:
        """A category chosen: its usual level, unit and subject filled in (each can be
        changed after)."""
        usual = intake_help.suggestion(self.desk.policy, self.fields["category"].key())
        if usual is not None and not self._loading:
            self.fields["level"].set_key(usual.level)
            self.fields["responsible_unit"].set_key(usual.unit)
            self.fields["subject.kind"].set_key(usual.subject_kind)
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        usual = intake_help.suggestion(self.desk.policy, self.fields["category"].key())
        if usual is None:
            self.suggestion.setText("")
            return
        self.suggestion.setText(_("Suggested for this category: {level}, {unit}").format(
            level=Level(usual.level).label, unit=policy_label(usual.unit)))

    def use_suggestion(self, found) -> None:
        """Fill in what the text suggests, but never a field the clerk has chosen; a risk
        word raises the level (never lowers it)."""
        if self.case is not None:
            return
        values = {"category": found.category, "content_class": found.content_class,
                  "degree": found.degree, "severity": found.severity}
        for name, key in SUGGESTED:
            if name not in self._touched and values[key] is not None:
                self.fields[name].set_key(values[key])   # a category brings its level, unit
        level = self.fields["level"]
        if found.level and "level" not in self._touched and \
                Level(found.level).order > Level(level.key() or "preliminary").order:
            level.set_key(found.level)
        self._dirty = True

    def _recusal(self, *_args: object) -> None:
        """Someone named in the complaint may not handle it: say so before the save does."""
        actor = self.desk.actor
        if intake_help.handler_is_named(self.fields["subject.staff"].key(),
                                        self.fields["handler"].key(),
                                        actor.staff_no if actor else None):
            name = self.fields["handler"].currentText()
            self.recusal_note.setText(_("{name} is named in this complaint and may not handle "
                                        "it: choose another handler.").format(name=name))
            self.recusal_note.show()
        else:
            self.recusal_note.hide()

    def refresh_history(self) -> None:
        phone = self.fields["customer.phone"].text().strip()
        member = self.fields["customer.member_no"].text().strip()
        rows = []
        if len(phone) >= 6 or len(member) >= 3:
            with reported(self):
                rows = self.desk.customer_history(phone or None, member or None,
                                                  exclude=self.case.case_no if self.case else None)
        self.history.clear()
        from desk.enums import Status
        for row in rows:
            self.history.addItem(f"{row.case_no}  {Status(row.status).label}  {row.summary}")
        self.history.setVisible(bool(rows))
        self.badge.setText(_("Repeat complainant: {count} earlier cases").format(count=len(rows)))
        self.badge.setVisible(bool(rows))

    def history_count(self) -> int:
        return self.history.count()
