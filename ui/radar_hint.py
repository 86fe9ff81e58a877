"""The intake's batch hint: while a complaint is typed, what the radar would say of it
("this looks like batch B-...: 4 customers since Monday"), before anything is saved."""
from __future__ import annotations

from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit

from desk.errors import DomainError
from desk.i18n import _, format_date
from ui.workers import Job

# The fields whose change may change the answer; the rest (address, handler) cannot.
WATCHED = ("customer.name", "customer.phone", "customer.member_no", "category", "subject.kind",
           "subject.name", "subject.staff", "complaint", "received_at")
ALERT = "background:#FDECEA;color:#8E1B10;border:1px solid #E8A39C;border-radius:4px;padding:4px;"
NOTE = "background:#FFF6D6;color:#5A4300;border:1px solid #E8D28A;border-radius:4px;padding:4px;"


def _preview(door, draft):
    try:
        return door.preview(draft)
    except DomainError:   # a half-typed form: nothing to say yet
        return None


class RadarHint(QLabel):
    """Placed in the intake form; asks ``desk.app.batches.Batches.preview`` a moment after
    the clerk stops typing, on a pool thread (a busy week of a busy store is a few hundred
    cases to compare: a fifth of a second the typing must not wait for), shows the answer
    to the latest draft only, and hides itself when there is nothing to say or the case
    is saved."""

    def __init__(self, form, delay_ms: int = 400) -> None:
        super().__init__(objectName="radar_hint")
        self.form = form
        self.setWordWrap(True)
        self.hint = None
        self._asked = 0          # drafts sent to the radar; an older answer is dropped
        self._jobs: set = set()
        self.hide()
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.refresh)
        for name in WATCHED:
            field = form.fields[name]
            if isinstance(field, QLineEdit):
                field.textEdited.connect(self._timer.start)
            elif isinstance(field, QPlainTextEdit):
                field.textChanged.connect(self._timer.start)
            elif hasattr(field, "currentIndexChanged"):
                field.currentIndexChanged.connect(self._timer.start)
            else:
                field.dateTimeChanged.connect(self._timer.start)
        form.saved.connect(lambda _case: self._show(None))

    def refresh(self) -> None:
        """Ask about the form as it is now, off this thread."""
        asked = self._draft()
        if asked is None:
            return
        door, draft = asked
        self._asked += 1
        number = self._asked
        job = Job([draft], lambda d: _preview(door, d))
        self._jobs.add(job)
        job.signals.finished.connect(lambda results: self._answered(job, number, results))
        job.signals.failed.connect(lambda _message: self._answered(job, number, [None]))
        QThreadPool.globalInstance().start(job)

    def show_now(self) -> None:
        """Ask and show at once, on this thread (screenshots)."""
        asked = self._draft()
        if asked is not None:
            self._show(_preview(*asked))

    def _draft(self):
        desk = self.form.desk
        if self.form.case is not None or not desk.ready or desk.actor is None:
            self._show(None)
            return None
        return desk.batches(), self.form.case_input()

    def _answered(self, job, number: int, results: list) -> None:
        self._jobs.discard(job)
        if number == self._asked and self.form.case is None:
            self._show(results[0] if results else None)

    def _show(self, hint) -> None:
        self.hint = hint
        if hint is None:
            self.hide()
            return
        since = format_date(hint.since)
        if hint.batch_no:
            text = _("This looks like batch {batch}: {count} customers since {day}. Saving "
                     "adds it to the batch (★★★, level 2).").format(
                batch=hint.batch_no, count=hint.others, day=since)
        elif hint.makes_batch:
            text = _("Other customers about {topic} since {day}: {count}. Saving this makes "
                     "a batch complaint (★★★, level 2).").format(
                topic=hint.topic, day=since, count=hint.others)
        else:
            text = _("Other customers about {topic} since {day}: {count}.").format(
                topic=hint.topic, day=since, count=hint.others)
        self.setText(text)
        self.setStyleSheet(ALERT if hint.batch_no or hint.makes_batch else NOTE)
        self.show()
