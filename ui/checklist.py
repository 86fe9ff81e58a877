"""The six steps of the counter conversation beside the form: a prompt for each, a note,
Done or Skip with a reason, the time it was done, and Resolve once the steps allow it."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (QDateTimeEdit, QFrame, QGridLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from desk.actions import CaseActions
from desk.enums import Status, Step
from desk.errors import DomainError
from desk.i18n import N_, _, format_datetime, format_time
from desk.queries import CaseDetail
from ui.errors import reported
from ui.session import Desk
from ui.widgets import ErrorLabel, desk_time_edit, from_qdatetime, to_qdatetime

PROMPTS = {
    Step.LISTEN: N_("Let the customer finish without interrupting, then say it back: \"So you "
                    "are unhappy because …, is that right?\" Ask open questions; never argue."),
    Step.THANK: N_("\"Thank you for taking the time to tell us. It gives us the chance to put "
                   "it right.\""),
    Step.APOLOGISE: N_("If we got it wrong, apologise for the mistake; if not, for how it made "
                       "them feel: \"I'm sorry this spoilt your visit.\""),
    Step.COMMIT: N_("Promise to act now. If it cannot be settled today, promise a reply time "
                    "and keep it, even if there is no news yet."),
    Step.PROPOSE: N_("Offer a solution and when it will happen, and let them choose: \"Would "
                     "this work for you?\" Have a second option ready."),
    Step.CONFIRM: N_("Check they are satisfied, and tell them we will call back in a day or "
                     "two to make sure."),
}


def countdown_text(due: datetime, now: datetime) -> str:
    minutes = int((due - now).total_seconds() // 60)
    span = abs(minutes)
    text = (_("{hours} h {minutes} min").format(hours=span // 60, minutes=span % 60)
            if span >= 60 else _("{minutes} min").format(minutes=span))
    if minutes < 0:
        return _("Reply overdue by {span}").format(span=text)
    return _("Reply due in {span}").format(span=text)


class StepRow(QFrame):
    """One step: title, prompt, note (Enter marks it done), Done / Skip, and when."""

    def __init__(self, step: Step, zone: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self.setObjectName(f"step_{step.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        self.title = QLabel(objectName=f"title_{step.value}")
        self.title.setStyleSheet("font-weight: bold;")
        self.when = QLabel(objectName=f"when_{step.value}")
        self.when.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.prompt = QLabel(objectName=f"prompt_{step.value}")
        self.prompt.setWordWrap(True)
        self.prompt.setStyleSheet("color: #37474F;")
        self.note = QLineEdit(objectName=f"note_{step.value}")
        self.done = QPushButton(objectName=f"done_{step.value}")
        self.skip = QPushButton(objectName=f"skip_{step.value}")
        for button in (self.done, self.skip):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        grid.addWidget(self.title, 0, 0)
        grid.addWidget(self.when, 0, 1, 1, 2)
        grid.addWidget(self.prompt, 1, 0, 1, 3)
        row = 2
        self.promised: QDateTimeEdit | None = None
        self.countdown: QLabel | None = None
        if step is Step.COMMIT:
            self.promised_label = QLabel(objectName="promised_label")
            self.promised = QDateTimeEdit(objectName="promised_reply_at")
            desk_time_edit(self.promised, zone)
            self.promised.setCalendarPopup(True)
            self.promised_label.setBuddy(self.promised)
            self.countdown = QLabel(objectName="countdown")
            line = QHBoxLayout()
            line.addWidget(self.promised_label)
            line.addWidget(self.promised, 1)
            line.addWidget(self.countdown)
            grid.addLayout(line, row, 0, 1, 3)
            row += 1
        grid.addWidget(self.note, row, 0)
        grid.addWidget(self.done, row, 1)
        grid.addWidget(self.skip, row, 2)
        self.error = ErrorLabel(f"step_{step.value}")
        grid.addWidget(self.error, row + 1, 0, 1, 3)
        grid.setColumnStretch(0, 1)

    def retranslate(self) -> None:
        self.title.setText(f"{self.step.number}. {self.step.label}")
        self.prompt.setText(_(PROMPTS[self.step]))
        self.note.setPlaceholderText(_("Note, or the reason for skipping"))
        self.note.setAccessibleName(f"{self.step.label}: {_('Note, or the reason for skipping')}")
        self.note.setAccessibleDescription(_(PROMPTS[self.step]))
        self.done.setText(_("Done"))
        self.skip.setText(_("Skip"))
        if self.promised is not None:
            self.promised_label.setText(_("Reply promised &by"))


class ChecklistPanel(QWidget):
    """Works on one saved case; ``changed`` carries the case after each recorded step and
    ``resolve_requested`` asks the window to open the resolve dialog."""

    changed = Signal(object)
    resolve_requested = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("checklist")
        self.desk = desk
        self.case: CaseDetail | None = None
        self.actions: CaseActions | None = None
        layout = QVBoxLayout(self)
        self.heading = QLabel(objectName="checklist_heading")
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.rows: dict[Step, StepRow] = {}
        for step in Step:
            row = StepRow(step, desk.policy.timezone, self)
            row.done.clicked.connect(lambda _c=False, s=step: self.mark_done(s))
            row.skip.clicked.connect(lambda _c=False, s=step: self.mark_skipped(s))
            row.note.returnPressed.connect(lambda s=step: self.mark_done(s))
            self.rows[step] = row
            layout.addWidget(row)
        bottom = QHBoxLayout()
        self.blockers = QLabel(objectName="resolve_blockers")
        self.blockers.setWordWrap(True)
        self.blockers.setStyleSheet("color: #6D4C41;")
        self.resolve_button = QPushButton(objectName="resolve_button")
        self.resolve_button.clicked.connect(
            lambda: self.case and self.resolve_requested.emit(self.case.case_no))
        QShortcut(QKeySequence("Ctrl+R"), self, self.resolve_button.click,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        bottom.addWidget(self.blockers, 1)
        bottom.addWidget(self.resolve_button)
        layout.addLayout(bottom)
        layout.addStretch(1)
        self._tick = QTimer(self, interval=1000)
        self._tick.timeout.connect(self._update_countdown)
        self._tick.start()
        self.retranslate()
        self.set_case(None)

    def retranslate(self) -> None:
        for row in self.rows.values():
            row.retranslate()
        self.resolve_button.setText(_("Resolve… (Ctrl+R)"))
        self.set_case(self.case)

    def set_case(self, case: CaseDetail | None) -> None:
        self.case = case
        self.actions = self.desk.actions_for(case) if case else None
        steps = {s.step: s for s in case.steps} if case else {}
        current = self.current_step()
        recording = self.actions["record_step"] if self.actions else None
        for step, row in self.rows.items():
            record = steps.get(step.value)
            is_next = step is current
            row.done.setEnabled(is_next)
            row.skip.setEnabled(is_next)
            row.note.setEnabled(is_next)
            why = recording.reason if recording and step.value == recording.step else ""
            row.done.setToolTip(why)
            row.skip.setToolTip(why)
            if row.promised is not None:
                row.promised.setEnabled(is_next)
                if (is_next or case is None) and not row.promised.hasFocus():
                    row.promised.setDateTime(to_qdatetime(self._default_promise(),
                                                          self.desk.policy.timezone))
            row.setStyleSheet("StepRow { border: 2px solid #1565C0; }" if is_next else "")
            if record is None:
                row.when.setText("")
                if not is_next:
                    row.note.clear()
            else:
                tz = self.desk.policy.tz
                if record.skipped_reason:
                    row.when.setText(_("Skipped {time}: {reason}").format(
                        time=format_time(record.done_at, tz), reason=record.skipped_reason))
                else:
                    row.when.setText(_("Done {time} by {name}").format(
                        time=format_time(record.done_at, tz), name=record.staff))
                row.note.setText(record.note)
        if case is None:
            self.heading.setText(_("Save the complaint first; then record the six steps here."))
        else:
            self.heading.setText(_("Case {case_no}: {status}").format(
                case_no=case.case_no, status=Status(case.status).label))
        self._update_resolve()
        self._update_countdown()

    def _default_promise(self) -> datetime:
        """Two hours from now on the quarter hour, never past the statutory limit."""
        now = datetime.now(self.desk.policy.tz)
        base = now + timedelta(hours=2)
        base = base.replace(minute=(base.minute // 15) * 15, second=0, microsecond=0)
        if self.case is not None:
            base = min(base, self.case.statutory_due.astimezone(self.desk.policy.tz))
        return base

    def _update_resolve(self) -> None:
        if self.actions is None:
            self.resolve_button.setEnabled(False)
            self.blockers.setText("")
            return
        resolve = self.actions["resolve"]
        self.resolve_button.setEnabled(resolve.allowed)
        self.blockers.setText(resolve.reason if not resolve.allowed else _("Ready to resolve."))

    def _update_countdown(self) -> None:
        label = self.rows[Step.COMMIT].countdown
        promised = self.case.promised_reply_at if self.case else None
        if promised is None or label is None:
            if label is not None:
                label.setText("")
            return
        now = datetime.now(timezone.utc)
        label.setText(countdown_text(promised, now))
        label.setToolTip(format_datetime(promised, self.desk.policy.tz))
        label.setStyleSheet("color: #C62828; font-weight: bold;" if promised < now else
                            "color: #1565C0; font-weight: bold;")

    def current_step(self) -> Step | None:
        """The step to record now, when this person may record it (``desk`` decides)."""
        recording = self.actions["record_step"] if self.actions else None
        return Step(recording.step) if recording and recording.allowed else None

    def focus_current(self) -> None:
        step = self.current_step()
        if step is not None:
            self.rows[step].note.setFocus()

    def mark_done(self, step: Step) -> bool:
        return self._record(step, skip=False)

    def mark_skipped(self, step: Step) -> bool:
        return self._record(step, skip=True)

    def _record(self, step: Step, *, skip: bool) -> bool:
        if self.case is None:
            return False
        row = self.rows[step]
        row.error.show_message("")
        note = row.note.text()
        promised = None
        if row.promised is not None and not skip:
            promised = from_qdatetime(row.promised.dateTime())
        if skip and not note.strip():
            row.error.show_message(_("Write the reason for skipping in the note field."))
            row.note.setFocus()
            return False
        case = None
        with reported(self):
            try:
                case = self.desk.record_step(self.case.case_no, step.value,
                                             note="" if skip else note,
                                             skip_reason=note if skip else None,
                                             promised_reply_at=promised)
            except DomainError as exc:
                row.error.show_message(str(exc))
        if case is None:
            return False
        self.set_case(case)
        self.changed.emit(case)
        self.focus_current()
        return True
