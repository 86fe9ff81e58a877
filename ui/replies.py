"""A case's written replies, as a page of its detail: the list (channel, recipient, state,
who drafted and approved), drafting from a template (the text editable before it is saved),
the supervisor's approval with their PIN at this PC, printing the letter, sending an e-mail
or text message (off the UI thread), and the tenant's result notice."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
                               QHBoxLayout, QLineEdit, QPlainTextEdit, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from desk.app.replies import Replies
from desk.errors import DomainError
from desk.i18n import LOCALES, N_, _, format_datetime
from desk.replies_model import ReplyChannel, ReplyState
from ui.approval import ApprovalDialog
from ui.errors import reported
from ui.widgets import ErrorLabel
from ui.workers import Job

HEADERS = (N_("No."), N_("Channel"), N_("To"), N_("State"), N_("Drafted by"),
           N_("Approved by"), N_("Printed"))
LANGUAGE_NAMES = {"zh_TW": "繁體中文", "zh_CN": "简体中文", "en": "English"}


class DraftDialog(QDialog):
    """Channel, template, language and recipient; the template's text with the case's fields
    in is put in the editor, which the clerk may change before saving the draft."""

    def __init__(self, app: Replies, case_no: str, locale: str, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("reply_draft_dialog")
        self.setWindowTitle(_("Draft a written reply for {case}").format(case=case_no))
        self.app, self.case_no = app, case_no
        self.result_value = None
        self.channel = QComboBox(objectName="reply_channel")
        for member in ReplyChannel:
            self.channel.addItem(member.label, member.value)
        self.locale = QComboBox(objectName="reply_locale")
        for code in LOCALES:
            self.locale.addItem(LANGUAGE_NAMES[code], code)
        self.locale.setCurrentIndex(LOCALES.index(locale) if locale in LOCALES else 0)
        self.template = QComboBox(objectName="reply_template")
        self.recipient = QLineEdit(objectName="reply_recipient")
        self.recipient.setPlaceholderText(_("E-mail address; a letter and a text message "
                                            "default to the case's address and phone"))
        self.subject = QLineEdit(objectName="reply_subject")
        self.body = QPlainTextEdit(objectName="reply_body")
        self.body.setMinimumHeight(260)
        form = QFormLayout()
        for label, widget in ((N_("&Channel"), self.channel), (N_("&Language"), self.locale),
                              (N_("&Template"), self.template), (N_("&To"), self.recipient),
                              (N_("&Subject"), self.subject), (N_("&Text"), self.body)):
            form.addRow(_(label), widget)
        self.error = ErrorLabel("reply")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save |
                                   QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(_("Save the draft"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.locale.currentIndexChanged.connect(self._load_templates)
        self.template.currentIndexChanged.connect(self._use_template)
        self.resize(640, 560)
        self._load_templates()

    def _load_templates(self) -> None:
        code = self.locale.currentData()
        self.template.blockSignals(True)
        self.template.clear()
        self.template.addItem(_("(none: type the text)"), None)
        self.filled = {}
        with reported(self):
            for key, title, subject, text in self.app.filled(self.case_no, code):
                self.template.addItem(title, key)
                self.filled[key] = (subject, text)
        self.template.blockSignals(False)

    def _use_template(self) -> None:
        key = self.template.currentData()
        if key in self.filled:
            subject, text = self.filled[key]
            self.subject.setText(subject)
            self.body.setPlainText(text)

    def choose(self, *, channel: str, template: str | None, recipient: str = "") -> None:
        """Fill the dialog programmatically (tests, keyboard macros)."""
        self.channel.setCurrentIndex(self.channel.findData(channel))
        self.template.setCurrentIndex(max(0, self.template.findData(template)))
        self.recipient.setText(recipient)

    def save(self) -> None:
        self.error.show_message("")
        with reported(self):
            try:
                self.result_value = self.app.draft(
                    self.case_no, self.channel.currentData(),
                    template=self.template.currentData(), locale=self.locale.currentData(),
                    body=self.body.toPlainText(), subject=self.subject.text(),
                    recipient=self.recipient.text() or None)
            except DomainError as exc:
                self.error.show_message(str(exc))
                return
        self.accept()


class RepliesPage(QWidget):
    """``changed`` carries the case number after a reply changed (to refresh the case)."""

    changed = Signal(str)
    sent = Signal(object)       # the SendReport of a send that finished

    def __init__(self, desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detail_replies")
        self.desk = desk
        self.app = Replies.of_desk(desk)
        self.case = None
        self.rows = []
        self.tree = QTreeWidget(objectName="detail_replies_list")
        self.tree.setRootIsDecorated(False)
        self.text = QPlainTextEdit(objectName="reply_text")
        self.text.setReadOnly(True)
        self.tree.currentItemChanged.connect(self._show_text)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, slot in (("draft", self.draft), ("approve", self.approve),
                          ("print", self.print_letter), ("send", self.send),
                          ("notice", self.tenant_notice)):
            button = QPushButton(objectName=f"reply_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.tree, 2)
        layout.addWidget(self.text, 3)
        self.pool = QThreadPool(self)
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([_(h) for h in HEADERS])
        for key, text in (("draft", N_("&Draft a reply…")), ("approve", N_("A&pprove…")),
                          ("print", N_("Print the &letter…")), ("send", N_("Se&nd")),
                          ("notice", N_("&Tenant notice…"))):
            self.buttons[key].setText(_(text))
        self.set_case(self.case)

    def set_case(self, case) -> None:
        self.case = case
        self.rows = []
        if case is not None:
            with reported(self):
                self.rows = self.app.replies_of(case.case_no)
        self.tree.clear()
        tz = self.desk.policy.tz
        for r in self.rows:
            approved = r.approved_by or ""
            if r.reviewed_by:
                approved += f" / {r.reviewed_by}"
            item = QTreeWidgetItem([str(r.seq), ReplyChannel(r.channel).label, r.recipient,
                                    ReplyState(r.state).label,
                                    f"{r.drafted_by} {format_datetime(r.drafted_at, tz)}",
                                    approved, str(r.prints or "")])
            self.tree.addTopLevelItem(item)
        if self.rows:
            self.tree.setCurrentItem(self.tree.topLevelItem(len(self.rows) - 1))
        for i in range(len(HEADERS)):
            self.tree.resizeColumnToContents(i)
        self.buttons["draft"].setEnabled(case is not None)
        self.buttons["notice"].setVisible(
            case is not None and case.subject_kind in ("tenant", "charge")
            and bool(case.subject_name) and self.app.may_issue_notice())
        self._show_text()

    def current(self):
        index = self.tree.indexOfTopLevelItem(self.tree.currentItem()) \
            if self.tree.currentItem() else -1
        return self.rows[index] if 0 <= index < len(self.rows) else None

    def _show_text(self, *_args) -> None:
        row = self.current()
        self.text.setPlainText("" if row is None else
                               (row.subject + "\n\n" if row.subject else "") + row.body)
        waiting = row is not None and row.state in (ReplyState.DRAFT, ReplyState.AWAITING_SECOND)
        approved = row is not None and row.state == ReplyState.APPROVED
        self.buttons["approve"].setEnabled(waiting)
        self.buttons["print"].setEnabled(approved)
        self.buttons["send"].setEnabled(approved and row.channel != ReplyChannel.LETTER)

    def _refresh(self) -> None:
        if self.case is not None:
            self.set_case(self.case)
            self.changed.emit(self.case.case_no)

    # --- acting --------------------------------------------------------------------------
    def draft(self) -> DraftDialog | None:
        if self.case is None:
            return None
        dialog = DraftDialog(self.app, self.case.case_no, self.case.text_locale, self)
        dialog.finished.connect(lambda code: code and self._refresh())
        dialog.open()
        return dialog

    def approve(self) -> ApprovalDialog | None:
        row = self.current()
        if row is None:
            return None
        second = row.state == ReplyState.AWAITING_SECOND
        reason = (_("A level-2 reply also needs a second reviewer with the legal review "
                    "privilege.") if second else
                  _("A written reply is approved before it is printed or sent, never by "
                    "the person who drafted it."))

        def submit(approver, refuses, note):
            if refuses:
                return self.app.reject(row.case_no, row.seq, approver, note)
            return self.app.approve(row.case_no, row.seq, approver, note)

        dialog = ApprovalDialog(_("Reply {seq} to {case}: {channel}").format(
            seq=row.seq, case=row.case_no, channel=ReplyChannel(row.channel).label), reason,
            self.desk.verify, submit, self)
        dialog.setObjectName("reply_approval_dialog")
        dialog.finished.connect(lambda code: code and self._refresh())
        dialog.open()
        return dialog

    def print_letter(self, path: Path | None = None) -> bool:
        row = self.current()
        if row is None:
            return False
        if not path:
            name, _f = QFileDialog.getSaveFileName(self, _("Save the letter"),
                                                   f"{row.case_no}-reply-{row.seq}.pdf",
                                                   _("PDF (*.pdf)"))
            if not name:
                return False
            path = Path(name)
        with reported(self):
            self.app.print_letter(row.case_no, row.seq, deliver=Path(path).write_bytes)
            self._refresh()
            return True
        return False

    def send(self) -> Job | None:
        """Queue the reply, then send what is due on a pool thread: the window never waits
        on a mail server."""
        row = self.current()
        if row is None:
            return None
        with reported(self):
            self.app.queue(row.case_no, row.seq)
            return self.start_sending()
        return None

    def start_sending(self) -> Job:
        job = Job([None], lambda _item: self.app.send_due())
        job.signals.finished.connect(lambda results: (self.sent.emit(results[0]),
                                                      self._refresh()))
        job.signals.failed.connect(lambda message: self.sent.emit(message))
        Job.alive.add(job)
        job.signals.finished.connect(lambda _r: Job.alive.discard(job))
        job.signals.failed.connect(lambda _m: Job.alive.discard(job))
        self.pool.start(job)
        return job

    def tenant_notice(self, path: Path | None = None) -> bool:
        if self.case is None:
            return False
        if not path:
            name, _f = QFileDialog.getSaveFileName(self, _("Save the tenant notice"),
                                                   f"{self.case.case_no}-tenant-notice.pdf",
                                                   _("PDF (*.pdf)"))
            if not name:
                return False
            path = Path(name)
        with reported(self):
            Path(path).write_bytes(self.app.tenant_notice(self.case.case_no))
            return True
        return False
