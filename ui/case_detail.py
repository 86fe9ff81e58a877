"""One case in full: every field, steps, offers and approvals, status history, follow-up
calls, attachments with thumbnails, prints, clock pauses and corrective work, and the
actions its lifecycle allows now."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (QFileDialog, QFormLayout, QGridLayout, QLabel,
                               QListView, QListWidget, QListWidgetItem, QPushButton, QScrollArea,
                               QTabWidget, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from desk import deadlines
from desk.costs import state_label as cost_state_label
from desk.enums import (Answer, Approval, Channel, ContentClass, Degree, Level, Motive,
                        NotAcceptedReason, Status, Step, SubjectKind, Validity, channel_label,
                        policy_label)
from desk.i18n import N_, _, format_datetime
from desk.queries import CaseDetail
from ui.aftercare import Aftercare
from ui.replies import RepliesPage
from ui.case_actions import ACTIONS, run_action
from ui.case_aftercare import CaseAftercare, clock_text
from ui.errors import reported
from ui.session import Desk, attachment_path
from ui.widgets import money

FIELDS = [("received_at", N_("Received")), ("channel", N_("Channel")), ("desk", N_("Desk")),
          ("recorder", N_("Recorded by")), ("handler", N_("Handler")),
          ("customer", N_("Customer")), ("phone", N_("Phone")), ("member", N_("Member no.")),
          ("tier", N_("Member tier")),
          ("address", N_("Address")), ("contact", N_("Contact by")),
          ("subject", N_("About")), ("category", N_("Category")),
          ("classes", N_("Classification")),
          ("complaint", N_("Complaint")), ("request", N_("Customer asks for")),
          ("motive", N_("Motive")), ("severity", N_("Severity")), ("level", N_("Level")),
          ("unit", N_("Responsible unit")), ("assisting", N_("Assisting units")),
          ("validity", N_("Founded?")), ("result", N_("Handling result")),
          ("deadlines", N_("Deadlines")), ("clock", N_("Resolution clock")),
          ("recipient", N_("Received and signed by")),
          ("notes", N_("Notes"))]
# Buttons whose state this panel works out itself rather than from desk.actions.actions_for;
# they come last, so hiding one leaves no gap.
SUPERVISED = ("chargeback", "settlement", "finding")
TABS = [("record", N_("Record")), ("steps", N_("Six steps")), ("offers", N_("Offers")),
        ("history", N_("History")), ("contacts", N_("Contacts before the reply")),
        ("follow_ups", N_("Follow-up calls")),
        ("attachments", N_("Attachments")), ("prints", N_("Prints")),
        ("pauses", N_("Clock pauses")), ("corrective", N_("Corrective actions")),
        ("replies", N_("Written replies"))]


class CaseDetailPanel(QWidget):
    """``changed`` carries the case after an action; ``work_requested`` and
    ``print_requested`` ask the window to take the case to the counter or the printer."""

    changed = Signal(object)
    work_requested = Signal(object)
    print_requested = Signal(str)

    def __init__(self, desk: Desk, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("case_detail")
        self.desk = desk
        self.case: CaseDetail | None = None
        self.header = QLabel(objectName="detail_header")
        self.header.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.migration = QLabel(objectName="detail_migrated")   # shown for migrated history
        self.migration.setWordWrap(True)
        self.migration.setStyleSheet("color: #8a4b00; font-weight: bold;")
        self.migration.setVisible(False)
        self.tabs = QTabWidget(objectName="detail_tabs")
        record = QWidget()
        self.form = QFormLayout(record)
        self.values: dict[str, QLabel] = {}
        self.field_labels: dict[str, QLabel] = {}
        for key, _title in FIELDS:
            value = QLabel(objectName=f"detail_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = QLabel()
            self.values[key], self.field_labels[key] = value, label
            self.form.addRow(label, value)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(record)
        self.trees = {key: QTreeWidget(objectName=f"detail_{key}_list")
                      for key in ("steps", "offers", "history", "contacts", "follow_ups",
                                  "prints")}
        for tree in self.trees.values():
            tree.setRootIsDecorated(False)
            tree.setWordWrap(True)
        self.attachments = QListWidget(objectName="attachments_list")
        self.attachments.setViewMode(QListView.ViewMode.IconMode)
        self.attachments.setIconSize(QSize(120, 120))
        self.attachments.setResizeMode(QListView.ResizeMode.Adjust)
        self.add_attachment_button = QPushButton(objectName="add_attachment")
        self.add_attachment_button.clicked.connect(self._choose_attachment)
        attach_page = QWidget()
        attach_layout = QVBoxLayout(attach_page)
        attach_layout.addWidget(self.attachments)
        attach_layout.addWidget(self.add_attachment_button)
        self.aftercare = CaseAftercare(Aftercare.of_desk(desk))
        self.replies_page = RepliesPage(desk)
        self.replies_page.changed.connect(lambda no: self.case and self.open_case(no))
        pages = {"record": scroll, "attachments": attach_page, **self.trees,
                 "pauses": self.aftercare.pause_page,
                 "corrective": self.aftercare.corrective_page,
                 "replies": self.replies_page}
        for key, _title in TABS:
            self.tabs.addTab(pages[key], "")
        self.buttons: dict[str, QPushButton] = {}
        actions = QGridLayout()
        # The supervisor's chargeback comes last: hidden for others, it leaves no gap.
        order = [k for k in ACTIONS if k not in SUPERVISED] + ["work", "print", *SUPERVISED]
        for i, key in enumerate(order):
            button = QPushButton(objectName=f"action_button_{key}")
            if key == "work":
                button.clicked.connect(lambda: self.case and self.work_requested.emit(self.case))
            elif key == "print":
                button.clicked.connect(lambda: self.case and
                                       self.print_requested.emit(self.case.case_no))
            else:
                button.clicked.connect(lambda _c=False, k=key: self.run(k))
            self.buttons[key] = button
            actions.addWidget(button, i // 6, i % 6)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.migration)
        layout.addLayout(actions)
        layout.addWidget(self.tabs, 1)
        self.retranslate()

    def retranslate(self) -> None:
        for key, title in FIELDS:
            self.field_labels[key].setText(_(title))
        for i, (_key, title) in enumerate(TABS):
            self.tabs.setTabText(i, _(title))
        for key, (title, _dialog) in ACTIONS.items():
            self.buttons[key].setText(_(title))
        self.buttons["work"].setText(_("Wor&k on it at the counter"))
        self.buttons["print"].setText(_("&Print form…"))
        self.add_attachment_button.setText(_("&Add photo or file…"))
        headers = {"steps": [N_("Step"), N_("When"), N_("By"), N_("Note")],
                   "offers": [N_("No."), N_("Kind"), N_("Amount"), N_("Approval"),
                              N_("Approver"), N_("Answer"), N_("Serial nos."), N_("Finance")],
                   "history": [N_("When"), N_("By"), N_("Change"), N_("Reason")],
                   "follow_ups": [N_("When"), N_("By"), N_("Reached"), N_("Satisfaction"),
                                  N_("Comment")],
                   "contacts": [N_("When"), N_("By"), N_("Reached"), N_("How"),
                                N_("What was said"), N_("Next promised reply")],
                   "prints": [N_("When"), N_("By"), N_("Copies"), N_("Language"), N_("Paper"),
                              N_("Reprint")]}
        for key, titles in headers.items():
            self.trees[key].setHeaderLabels([_(t) for t in titles])
        self.aftercare.retranslate()
        self.replies_page.retranslate()
        self.show_case(self.case)

    # --- showing -------------------------------------------------------------------------
    @staticmethod
    def _contact(case: CaseDetail) -> str:
        """The customer's preferred channel, their consent and e-mail, in one line."""
        consent = {True: _("agrees to be contacted"), False: _("does not want to be contacted"),
                   None: _("consent not asked")}[case.contact_consent]
        return " · ".join(filter(None, [channel_label(case.contact_channel), consent,
                                        case.customer_email]))

    def open_case(self, case_no: str) -> CaseDetail | None:
        with reported(self):
            self.show_case(self.desk.detail(case_no))
            return self.case
        return None

    def show_case(self, case: CaseDetail | None) -> None:
        self.case = case
        for button in self.buttons.values():
            button.setEnabled(False)
        self.buttons["chargeback"].setVisible(self.aftercare.care.may_correct())
        self.migration.setVisible(case is not None and case.migrated)
        if case is None:
            self.header.setText(_("Open a case from the list (double-click or Enter)."))
            for value in self.values.values():
                value.setText("")
            for tree in self.trees.values():
                tree.clear()
            self.attachments.clear()
            self.add_attachment_button.setEnabled(False)
            self.aftercare.show_case(None, self)
            self.replies_page.set_case(None)
            return
        tz, currency = self.desk.policy.tz, self.desk.policy.currency
        dt = lambda v: format_datetime(v, tz) if v else "—"  # noqa: E731
        self.header.setText(f"{case.case_no} · {Status(case.status).label} · "
                            f"{Level(case.level).label} · {'★' * case.severity}")
        if case.migrated:
            self.migration.setText(_(
                "Migrated history, imported by {name} on {date}: the people it names did not "
                "sign for it in this store, and its offers count toward nobody's authority."
            ).format(name=case.migrated_by, date=dt(case.migrated_at)))
        by = lambda name, migrated: (  # noqa: E731
            _("{name} (migrated)").format(name=name) if migrated else name)
        subject = SubjectKind(case.subject_kind).label
        if case.subject_name:
            subject += f": {case.subject_name}"
        if case.subject_staff:
            subject += f" ({case.subject_staff_no} {case.subject_staff})"
        notes = []
        if case.not_accepted_reason:
            notes.append(NotAcceptedReason(case.not_accepted_reason).label)
        if case.status_note:
            notes.append(case.status_note)
        if case.duplicate_of:
            notes.append(_("Duplicate of {case_no}").format(case_no=case.duplicate_of))
        if case.police_report_no:
            notes.append(_("Police report {number}").format(number=case.police_report_no))
        values = {
            "received_at": dt(case.received_at), "channel": Channel(case.channel).label,
            "desk": case.desk, "recorder": f"{case.recorder_no} {case.recorder}",
            "handler": f"{case.handler_no} {case.handler}", "customer": case.customer_name,
            "phone": case.customer_phone or "—", "member": case.customer_member_no or "—",
            "address": case.customer_address or "—", "subject": subject,
            "contact": self._contact(case),
            "category": policy_label(case.category), "complaint": case.complaint,
            "tier": policy_label(case.customer_tier),
            "classes": " · ".join(e(v).label for e, v in ((ContentClass, case.content_class),
                                                          (Degree, case.degree)) if v) or "—",
            "request": case.request or "—", "motive": Motive(case.motive).label,
            "severity": "★" * case.severity, "level": Level(case.level).label,
            "unit": policy_label(case.responsible_unit),
            "assisting": "; ".join(f"{policy_label(u)}: {t}" for u, t in case.assisting) or "—",
            "validity": Validity(case.validity).label, "result": case.handling_result or "—",
            "deadlines": self._sla(case) + " · " + _(
                "resolve by {resolve}; promised reply {promised}; follow-up call "
                "by {follow_up}").format(resolve=dt(case.resolution_due),
                                         promised=dt(case.promised_reply_at),
                                         follow_up=dt(case.follow_up_due)),
            "recipient": (f"{case.recipient_name} {dt(case.recipient_signed_at)}"
                          if case.recipient_name else "—"),
            "notes": "\n".join(notes) or "—",
        }
        self.aftercare.show_case(case, self)
        self.replies_page.set_case(case)
        values["clock"] = clock_text(case, self.aftercare.pauses, tz)
        for key, text in values.items():
            self.values[key].setText(text)
        self._fill("steps", [[f"{Step(s.step).number}. {Step(s.step).label}", dt(s.done_at),
                              by(s.staff, s.migrated),
                              (_("Skipped: {reason}").format(reason=s.skipped_reason)
                               if s.skipped_reason else s.note)] for s in case.steps])
        self._fill("offers", [[str(o.seq), policy_label(o.kind), money(o.amount, currency),
                               Approval(o.approval).label + (f" — {o.approval_note}"
                                                             if o.approval_note else "")
                               + (" · " + _("migrated history") if o.migrated else ""),
                               o.approver or "—", Answer(o.answer).label +
                               (" · " + _("final") if o.is_final else ""),
                               " ".join(o.serials),
                               cost_state_label(o.cost.state) if o.cost else ""]
                              for o in case.offers])
        self._fill("history", [[dt(h.at), by(h.staff, h.migrated), self._change(h), h.reason]
                               for h in case.history])
        self._fill("contacts", [[dt(c.at), by(c.staff, c.migrated),
                                 _("yes") if c.reached else _("no"), channel_label(c.channel),
                                 c.said, dt(c.promised_reply_at) + (
                                     "" if c.kept else " · " + _("late: the promise of {time} "
                                                                 "was broken").format(
                                         time=dt(c.answered_promise)))]
                                for c in case.contacts])
        self._fill("follow_ups", [[dt(f.at), by(f.staff, f.migrated),
                                   _("yes") if f.reached else _("no"),
                                   str(f.satisfaction or "—"), f.comment]
                                  for f in case.follow_ups])
        self._fill("prints", [[dt(p.printed_at), p.staff, p.copies, p.locale, p.paper,
                               _("reprint {n}").format(n=p.reprint_no) if p.reprint_no else "—"]
                              for p in case.prints])
        self.attachments.clear()
        for item in case.attachments:
            pixmap = QPixmap()
            data = self.desk.attachment_bytes(item.sha256)
            if data is not None:
                pixmap.loadFromData(data)
            else:   # recorded before photos lived in the store: this PC's copy, if any
                local = attachment_path(item.path)
                if local is not None:
                    pixmap.load(str(local))
            icon = QIcon(pixmap.scaled(120, 120, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)) \
                if not pixmap.isNull() else QIcon()
            entry = QListWidgetItem(icon, item.description or Path(item.path).name)
            entry.setToolTip(f"SHA-256 {item.sha256}\n{Path(item.path).name}")
            self.attachments.addItem(entry)
        self._enable(case)

    def _sla(self, case: CaseDetail) -> str:
        """The case's deadline state, as the list, the review and ``desk day`` say it."""
        soon = timedelta(hours=self.desk.policy.due_soon_hours)
        return deadlines.sla_state(case, datetime.now(timezone.utc), soon).label

    def _fill(self, key: str, rows: list[list[str]]) -> None:
        tree = self.trees[key]
        tree.clear()
        tree.addTopLevelItems([QTreeWidgetItem(row) for row in rows])

    def _change(self, h) -> str:
        parts = []
        if h.from_status != h.to_status:
            parts.append(f"{Status(h.from_status).label if h.from_status else '—'} → "
                         f"{Status(h.to_status).label}")
        if h.to_level and h.from_level != h.to_level:
            parts.append(f"{Level(h.from_level).label if h.from_level else '—'} → "
                         f"{Level(h.to_level).label}")
        return "; ".join(parts) or _("linked or noted")

    def _enable(self, case: CaseDetail) -> None:
        """Each button as ``desk`` answers for this person and case: enabled, or greyed
        out with the reason as its tooltip."""
        actions = self.desk.actions_for(case)
        for key, button in self.buttons.items():
            if key not in SUPERVISED:
                button.setEnabled(actions.allowed(key))
                button.setToolTip(actions.reason(key))
        # A settlement records what the customer accepted, once.
        settle = case.cost_claimed and case.settlement is None
        self.buttons["settlement"].setEnabled(settle)
        self.buttons["settlement"].setToolTip(
            "" if settle else _("For a case whose compensation the customer accepted, "
                                "before the customer has signed."))
        # Naming the staff member at fault is a supervisor's finding (desk checks it again).
        finding = self.aftercare.care.may_correct()
        self.buttons["finding"].setEnabled(finding)
        self.buttons["finding"].setToolTip("" if finding else _(
            "A supervisor or higher names the staff member found at fault."))
        chargeback = self._may_charge_back(case)
        self.buttons["chargeback"].setEnabled(chargeback)
        self.buttons["chargeback"].setToolTip(
            "" if chargeback else _("For a complaint about a tenant where the mall paid "
                                    "compensation not yet charged back."))
        self.add_attachment_button.setEnabled(actions.allowed("attach"))
        self.add_attachment_button.setToolTip(actions.reason("attach"))

    def _may_charge_back(self, case: CaseDetail) -> bool:
        """Asked of ``desk`` only for someone who may record it (a supervisor or higher)."""
        if not self.aftercare.care.may_correct():
            return False
        with reported(self):
            return self.aftercare.care.chargeback_room(case.case_no) > 0
        return False

    # --- acting --------------------------------------------------------------------------
    def run(self, key: str) -> CaseDetail | None:
        if self.case is None:
            return None
        case = run_action(key, self.desk, self.case, self)
        if case is not None:
            self.show_case(case)
            self.changed.emit(case)
        return case

    def _choose_attachment(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Add a photo of the receipt or the goods"), "",
            _("Images (*.png *.jpg *.jpeg *.bmp *.gif);;All files (*)"))
        if path:
            self.add_attachment(Path(path))

    def add_attachment(self, path: Path, description: str = "") -> bool:
        if self.case is None:
            return False
        with reported(self):
            case = self.desk.add_attachment(self.case.case_no, path, description)
            self.show_case(case)
            self.changed.emit(case)
            return True
        return False
