"""The outbox window (File → Outbox…): every e-mail and text message, queued, sent or
failed, with the error of the last attempt and when the next try is due; "Send now" works
on a pool thread, so the window never waits on a mail server.

The main window makes its sender before the store is open, so the store's modules (SQLAlchemy
and the replies' door) are imported here only once a window or a send needs them."""
from __future__ import annotations

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QHBoxLayout, QLabel, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from desk.i18n import N_, _, format_datetime
from ui.errors import reported
from ui.workers import Job

HEADERS = (N_("No."), N_("Case"), N_("Channel"), N_("To"), N_("State"), N_("Attempts"),
           N_("Next try"), N_("Error"))


class OutboxWindow(QDialog):
    """``finished_sending`` carries the report (or a message) of a send that ended."""

    finished_sending = Signal(object)

    def __init__(self, desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outbox_window")
        from desk.app.replies import Replies
        self.desk = desk
        self.app = Replies.of_desk(desk)
        self.rows = []
        self.sending: Job | None = None
        self.pool = QThreadPool(self)
        self.failed_only = QCheckBox(objectName="outbox_failed_only")
        self.failed_only.toggled.connect(self.refresh)
        self.summary = QLabel(objectName="outbox_summary")
        self.tree = QTreeWidget(objectName="outbox_list")
        self.tree.setRootIsDecorated(False)
        self.tree.setWordWrap(True)
        self.send_button = QPushButton(objectName="outbox_send")
        self.send_button.clicked.connect(self.send_now)
        self.retry_button = QPushButton(objectName="outbox_retry")
        self.retry_button.clicked.connect(self.retry)
        top = QHBoxLayout()
        top.addWidget(self.failed_only)
        top.addStretch(1)
        top.addWidget(self.retry_button)
        top.addWidget(self.send_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.summary)
        self.resize(980, 420)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Outbox"))
        self.failed_only.setText(_("Only &failed messages"))
        self.send_button.setText(_("&Send what is due now"))
        self.retry_button.setText(_("&Retry the selected message"))
        self.tree.setHeaderLabels([_(h) for h in HEADERS])
        self.refresh()

    def refresh(self) -> None:
        from desk.replies_model import OutboxState, ReplyChannel
        with reported(self):
            self.rows = self.app.outbox(
                state=OutboxState.FAILED.value if self.failed_only.isChecked() else None)
        tz = self.desk.policy.tz
        self.tree.clear()
        for r in self.rows:
            next_try = (format_datetime(r.next_attempt_at, tz)
                        if r.next_attempt_at and r.state == OutboxState.FAILED else "")
            self.tree.addTopLevelItem(QTreeWidgetItem([
                str(r.id), f"{r.case_no} / {r.reply_seq}", ReplyChannel(r.channel).label,
                r.recipient, OutboxState(r.state).label, str(r.attempts), next_try,
                r.last_error or ""]))
        for i in range(len(HEADERS) - 1):
            self.tree.resizeColumnToContents(i)
        failed = sum(1 for r in self.rows if r.state == OutboxState.FAILED)
        waiting = sum(1 for r in self.rows if r.state in (OutboxState.QUEUED,
                                                          OutboxState.SENDING))
        self.summary.setText(_("{failed} failed, {waiting} waiting").format(
            failed=failed, waiting=waiting))
        self.summary.setStyleSheet("color: #b00020; font-weight: bold;" if failed else "")

    def selected(self):
        item = self.tree.currentItem()
        index = self.tree.indexOfTopLevelItem(item) if item else -1
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def retry(self) -> bool:
        row = self.selected()
        if row is None:
            return False
        with reported(self):
            self.app.retry(row.id)
            self.refresh()
            return True
        return False

    def send_now(self) -> Job | None:
        if self.sending is not None:
            return self.sending
        self.send_button.setEnabled(False)
        self.summary.setText(_("Sending…"))
        job = self.sending = Job([None], lambda _item: self.app.send_due())
        job.signals.finished.connect(lambda results: self._done(results[0]))
        job.signals.failed.connect(self._done)
        Job.alive.add(job)
        self.pool.start(job)
        return job

    def _done(self, outcome) -> None:
        Job.alive.discard(self.sending)
        self.sending = None
        self.send_button.setEnabled(True)
        self.refresh()
        self.finished_sending.emit(outcome)


class OutboxSender(QObject):
    """Sends what is due every few minutes on a pool thread while someone is signed in, so a
    message queued before a restart, or waiting for its next try, goes out without anyone
    opening the outbox. A failure stays in the outbox (and a demo store refuses quietly)."""

    INTERVAL_MS = 5 * 60_000

    def __init__(self, desk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.desk = desk
        self.running: Job | None = None
        self.pool = QThreadPool(self)
        self.timer = QTimer(self, interval=self.INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> Job | None:
        if self.running is not None or not self.desk.ready or self.desk.actor is None:
            return None
        from desk.app.replies import Replies
        app = Replies.of_desk(self.desk)
        job = self.running = Job([None], lambda _item: app.send_due())
        job.signals.finished.connect(self._done)
        job.signals.failed.connect(self._done)
        Job.alive.add(job)
        self.pool.start(job)
        return job

    def _done(self, _outcome) -> None:
        Job.alive.discard(self.running)
        self.running = None

