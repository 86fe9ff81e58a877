"""Promises on screen: the queue of promised reply times due within the hour or broken (on
the counter and in review), and the form that logs a contact with the customer and
promises the next reply time. Every rule is ``desk.promises``'; this only shows its answers."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from desk.app.promises import Promises
from desk.enums import ContactChannel
from desk.i18n import N_, _, format_datetime
from desk.clock import utcnow
from desk.promises import BROKEN, PromiseRow
from ui.errors import reported
from ui.form_dialog import Field, FormDialog
from ui.table_model import ModelIndex, RowTableModel, TableColumn


class Column(TableColumn):
    CASE_NO = N_("Case no.")
    STATE = N_("Promise")
    PROMISED = N_("Promised for")
    CUSTOMER = N_("Customer")
    PHONE = N_("Phone")
    CHANNEL = N_("Preferred channel")
    HANDLER = N_("Handler")
    CONTACTS = N_("Contacts so far")


class PromiseTableModel(RowTableModel):
    columns = Column

    def __init__(self, tz, parent=None) -> None:
        super().__init__(parent)
        self.tz = tz

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row: PromiseRow | None = self.shown(index)
        if row is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.ForegroundRole and column in (Column.STATE, Column.PROMISED):
            return QColor("#C62828" if row.state == BROKEN else "#8D6E00")
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {Column.CASE_NO: row.case_no, Column.STATE: row.state_label,
                Column.PROMISED: format_datetime(row.promised_reply_at, self.tz),
                Column.CUSTOMER: row.customer_name, Column.PHONE: row.customer_phone or "",
                Column.CHANNEL: row.channel_label, Column.HANDLER: row.handler,
                Column.CONTACTS: str(row.contacts)}[column]


def contact_dialog(door: Promises, case_no: str, zone: str, parent: QWidget | None,
                   channel: str | None = None) -> FormDialog:
    """Log a contact on ``case_no``: reached or not, how, what was said, the next time."""
    channels = tuple((c.value, lambda c=c: c.label) for c in ContactChannel)
    fields = [Field("reached", N_("Customer &reached"), "check", default=True),
              Field("channel", N_("&How"), "choice", channels,
                    channel or ContactChannel.PHONE.value),
              Field("said", N_("&What was said (even with no news)"), "text", lines=3),
              Field("next", N_("&Next promised reply time"), "datetime",
                    default=utcnow() + timedelta(hours=4), zone=zone)]
    return FormDialog(
        _("Contact the customer: {case_no}").format(case_no=case_no), fields,
        lambda v: door.log_contact(case_no, reached=v["reached"], channel=v["channel"],
                                   said=v["said"], promised_reply_at=v["next"]), parent,
        intro=_("Keep the promised reply time even when there is no progress: tell the "
                "customer where things stand and promise the next time."))


class PromisesPanel(QWidget):
    """The queue, refreshed on demand; Ctrl+K (or the button) logs a contact for the
    selected case. ``changed`` carries the updated case."""

    changed = Signal(object)

    def __init__(self, door: Promises, policy, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("promises_panel")
        self.door, self.policy = door, policy
        self.model = PromiseTableModel(policy.tz, self)
        self.table = QTableView(objectName="promises_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.log_contact())
        self.summary = QLabel(objectName="promises_summary")
        self.summary.setWordWrap(True)
        self.contact_button = QPushButton(objectName="log_contact")
        self.contact_button.clicked.connect(self.log_contact)
        self.refresh_button = QPushButton(objectName="promises_refresh")
        self.refresh_button.clicked.connect(self.refresh)
        buttons = QHBoxLayout()
        buttons.addWidget(self.contact_button)
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        QShortcut(QKeySequence("Ctrl+K"), self, self.log_contact,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.broken_week = 0
        self._read = False   # the queue is read when the panel is first shown (or refreshed)
        self.retranslate()

    def showEvent(self, event) -> None:
        # A counter starts on the six steps: the queue's query (about 90 ms on a store of
        # 20,000 cases) waits until a clerk looks at it instead of delaying saving.
        # Deferred: a tab that refreshes it as it becomes current has done so by then.
        super().showEvent(event)
        if not self._read:
            QTimer.singleShot(0, lambda: self._read or self.refresh())

    def retranslate(self) -> None:
        self.contact_button.setText(_("Log a contact… (Ctrl+K)"))
        self.refresh_button.setText(_("Refresh"))
        self.table.setAccessibleName(_("Promises due"))
        self.model.retranslate()
        self._summarise()

    def refresh(self) -> None:
        self._read = True
        with reported(self):
            self.model.set_rows(self.door.queue())
            self.broken_week = self.door.broken_this_week()
        if self.model.rows:
            self.table.selectRow(0)
            self.table.resizeColumnsToContents()
        self._summarise()

    def _summarise(self) -> None:
        rows = self.model.rows
        broken = sum(1 for r in rows if r.state == BROKEN)
        self.summary.setText(_("{due} promised reply times due within the hour, {broken} "
                               "broken and still open; {week} broken this week.").format(
            due=len(rows) - broken, broken=broken, week=self.broken_week))

    def selected(self) -> PromiseRow | None:
        index = self.table.currentIndex()
        return self.model.shown(index) if index.isValid() else None

    def log_contact(self) -> FormDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = contact_dialog(self.door, row.case_no, self.policy.timezone, self,
                                channel=row.contact_channel)
        dialog.accepted.connect(lambda: (self.changed.emit(dialog.result_value),
                                         self.refresh()))
        dialog.open()
        return dialog


__all__ = ["PromiseTableModel", "PromisesPanel", "contact_dialog"]
