"""The supervisor's review window: a day's cases, each opened to approve, return with a
comment or sign off; the day closed once all are reviewed and finished. It works on the main
store (``desk.app.review.StoreReview``) or straight from a day pack file
(``desk.pack_review.PackReview``) on a PC with no link to the counter, where the reviewer
signs in with their staff ID and PIN and every decision is saved into the pack at once."""
from __future__ import annotations

from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QPixmap
from PySide6.QtWidgets import (QComboBox, QDateEdit, QDialog, QFileDialog, QHBoxLayout,
                               QLabel, QLineEdit, QMainWindow, QMessageBox,
                               QPlainTextEdit, QPushButton, QScrollArea, QSplitter, QTableView,
                               QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from desk.app.review import StoreReview
from desk.clock import utcnow
from desk.enums import Answer, Approval, Channel, Level, Privilege, Status, policy_label
from desk.errors import AuthorityError
from desk.i18n import N_, _, format_datetime, format_money
from desk.pack_review import PackReview
from desk.packs import SUFFIX
from desk.policy import Policy
from desk.privileges import holds
from desk.review import ReviewDay, ReviewRow, review_label
from ui.errors import reported
from ui.patterns_panel import PatternsPanel
from ui.review_model import ReviewTableModel
from ui.widgets import fit_case_numbers, fit_to_screen

PACK_FILTER = N_("Day packs (*{suffix})")


class ReviewWindow(QMainWindow):
    """Review a day. ``source`` is a ``StoreReview`` (the main store, signed in) or a
    ``PackReview`` (a pack file, no store)."""

    decided = Signal(str)          # case number

    def __init__(self, source: StoreReview | PackReview, policy: Policy, *,
                 day: date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_window")
        self.source, self.policy = source, policy
        self.pack_mode = isinstance(source, PackReview)
        self.trusted: dict[str, str] = {}   # a pack window's: the keys it was opened with
        self.current: ReviewRow | None = None
        self.day_data: ReviewDay | None = None

        self.day_edit = QDateEdit(objectName="review_day", calendarPopup=True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        start = source.day if self.pack_mode else (day or utcnow().astimezone(policy.tz).date())
        self.day_edit.setDate(QDate(start.year, start.month, start.day))
        self.day_edit.setEnabled(not self.pack_mode)
        self.desk_combo = QComboBox(objectName="review_desk")
        self.refresh_button = QPushButton(objectName="review_refresh")
        self.count_label = QLabel(objectName="unreviewed_label")
        self.state_label = QLabel(objectName="day_state_label")
        self.close_button = QPushButton(objectName="close_day_button")
        self.day_label = QLabel(objectName="review_day_label")
        top = QHBoxLayout()
        for w in (self.day_label, self.day_edit, self.desk_combo, self.refresh_button,
                  self.count_label, self.state_label):
            top.addWidget(w)
        top.addStretch(1)
        top.addWidget(self.close_button)

        self.reviewer_edit = QLineEdit(objectName="reviewer_no")
        self.reviewer_pin = QLineEdit(objectName="reviewer_pin")
        self.reviewer_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.reviewer_button = QPushButton(objectName="reviewer_button")
        self.reviewer_label = QLabel(objectName="reviewer_label")
        self.reviewer_pin_label = QLabel(objectName="reviewer_pin_label")
        self.reviewer_pin_label.setBuddy(self.reviewer_pin)
        reviewer_row = QHBoxLayout()
        reviewer_row.addWidget(self.reviewer_label)
        reviewer_row.addWidget(self.reviewer_edit)
        reviewer_row.addWidget(self.reviewer_pin_label)
        reviewer_row.addWidget(self.reviewer_pin)
        reviewer_row.addWidget(self.reviewer_button)
        reviewer_row.addStretch(1)
        self.reviewer_box = QWidget()
        self.reviewer_box.setLayout(reviewer_row)
        self.reviewer_box.setVisible(self.pack_mode)

        self.model = ReviewTableModel(currency=policy.currency, tz=policy.tz, parent=self)
        self.table = QTableView(objectName="review_table")
        self.table.setModel(self.model)
        fit_case_numbers(self.table, 0)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.case_view = QTextBrowser(objectName="review_case")
        self.comment = QPlainTextEdit(objectName="review_comment")
        self.comment.setMaximumHeight(80)
        self.approve_button = QPushButton(objectName="approve_button")
        self.return_button = QPushButton(objectName="return_button")
        self.sign_off_button = QPushButton(objectName="sign_off_button")
        self.form_button = QPushButton(objectName="form_button")
        buttons = QHBoxLayout()
        for b in (self.approve_button, self.return_button, self.sign_off_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.form_button)
        self.comment_label = QLabel(objectName="comment_label")
        self.comment_label.setBuddy(self.comment)   # also the comment's spoken name
        right = QVBoxLayout()
        right.addWidget(self.case_view, 1)
        right.addWidget(self.comment_label)
        right.addWidget(self.comment)
        right.addLayout(buttons)
        detail = QWidget()
        detail.setLayout(right)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(top)
        layout.addWidget(self.reviewer_box)
        layout.addWidget(split, 1)
        self.tabs = QTabWidget(objectName="review_tabs")
        self.tabs.addTab(page, "")
        self.follow_ups = self.corrective = self.promises = self.patterns = None
        if not self.pack_mode:
            from ui.followups import FollowUpPanel
            self.follow_ups = FollowUpPanel(source, policy)
            self.tabs.addTab(self.follow_ups, "")
            self.follow_ups.changed.connect(self.refresh_status)
            self._add_corrective(source, policy)
            self._add_promises(source, policy)
            self.patterns = PatternsPanel.add_to(self.tabs, source, policy,
                                                 lambda: (self.day, self.desk))
        self.setCentralWidget(self.tabs)
        self.status = QLabel(objectName="review_status")
        self.statusBar().addPermanentWidget(self.status)

        self.refresh_button.clicked.connect(self.reload)
        self.day_edit.dateChanged.connect(lambda _d: self.reload())
        self.desk_combo.activated.connect(lambda _i: self.reload(keep_desks=True))
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _prev: self.show_case(current.row()))
        self.approve_button.clicked.connect(lambda: self.decide("approved"))
        self.return_button.clicked.connect(lambda: self.decide("returned"))
        self.sign_off_button.clicked.connect(lambda: self.decide("signed_off"))
        self.close_button.clicked.connect(self.close_day)
        self.form_button.clicked.connect(self.show_form)
        self.reviewer_button.clicked.connect(self.set_reviewer)
        self.reviewer_edit.returnPressed.connect(self.reviewer_pin.setFocus)
        self.reviewer_pin.returnPressed.connect(self.set_reviewer)
        self._menus()
        if self.pack_mode and source.reviewer_no:
            self.reviewer_edit.setText(source.reviewer_no)
        self.retranslate()
        self.reload()
        fit_to_screen(self, 1280, 800)

    def _add_corrective(self, source: StoreReview, policy: Policy) -> None:
        """Root causes and chargebacks, for whoever may record them (desk checks again)."""
        from ui.aftercare import Aftercare
        from ui.corrective import CorrectivePanel
        care = Aftercare(source.store, policy, lambda: source.actor)
        if care.may_correct():
            self.corrective = CorrectivePanel(care)
            self.tabs.addTab(self.corrective, "")

    def _add_promises(self, source: StoreReview, policy: Policy) -> None:
        """Promised reply times due within the hour or broken, across the store's desks."""
        from ui.promises import Promises, PromisesPanel
        self.promises = PromisesPanel(Promises(source.store, policy, lambda: source.actor),
                                      policy)
        self.tabs.addTab(self.promises, "")

    # --- menus ---------------------------------------------------------------------------
    def _menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.actions: dict[str, QAction] = {}
        keys = ["open_pack"] if self.pack_mode else [
            "export_pack", "import_pack", "day_report", "week_report"]
        slots = {"open_pack": self.open_other_pack, "export_pack": self.export_pack_dialog,
                 "import_pack": self.import_pack_dialog,
                 "day_report": lambda: self.report_dialog("day"),
                 "week_report": lambda: self.report_dialog("week"), "close": self.close}
        for key in keys + ["close"]:
            action = QAction(self, objectName=f"action_{key}")
            action.triggered.connect(slots[key])
            if key == "close":
                action.setShortcut(QKeySequence(QKeySequence.StandardKey.Close))
            self.file_menu.addAction(action)
            self.actions[key] = action

    def retranslate(self) -> None:
        self.file_menu.setTitle(_("&File"))
        texts = {"open_pack": N_("&Open another day pack…"),
                 "export_pack": N_("&Export the day pack…"),
                 "import_pack": N_("&Import a reviewed day pack…"),
                 "day_report": N_("&Day report…"), "week_report": N_("&Week report…"),
                 "close": N_("&Close")}
        for key, action in self.actions.items():
            action.setText(_(texts[key]))
        self.tabs.setTabText(0, _("Review"))
        if self.follow_ups is not None:
            self.tabs.setTabText(1, _("Follow-ups"))
            self.follow_ups.retranslate()
        if self.corrective is not None:
            self.tabs.setTabText(2, _("Corrective actions"))
            self.corrective.retranslate()
        if self.promises is not None:
            self.tabs.setTabText(self.tabs.indexOf(self.promises), _("Promises"))
            self.promises.retranslate()
        if self.patterns is not None:
            self.patterns.retranslate()
        self.day_label.setText(_("Day:"))
        self.day_label.setBuddy(self.day_edit)
        self.reviewer_label.setBuddy(self.reviewer_edit)
        self.table.setAccessibleName(_("Review"))
        self.case_view.setAccessibleName(_("The case under review"))
        self.refresh_button.setText(_("Refresh"))
        self.close_button.setText(_("Close the day") if not self.pack_mode
                                  else _("Close the day on import"))
        self.reviewer_label.setText(_("Reviewer's staff ID:"))
        self.reviewer_pin_label.setText(_("&PIN"))
        self.reviewer_button.setText(_("Sign in to review"))
        self.comment_label.setText(_("Comment (needed to return a case):"))
        self.approve_button.setText(_("&Approve"))
        self.return_button.setText(_("&Return to the desk"))
        self.sign_off_button.setText(_("&Sign off"))
        self.form_button.setText(_("Show the for&m"))
        if self.pack_mode:
            self.setWindowTitle(_("Review from a day pack — {name}").format(
                name=self.source.path.name))
        else:
            self.setWindowTitle(_("Supervisor review"))
        self.model.retranslate()
        self._fill_desks(keep=True)
        self._show_counts()
        if self.current is not None:
            self.show_case(self.model.index_of(self.current.case_no))
        self.refresh_status()

    # --- loading -------------------------------------------------------------------------
    @property
    def day(self) -> date:
        return self.day_edit.date().toPython()

    @property
    def desk(self) -> str | None:
        return self.desk_combo.currentData()

    def _fill_desks(self, keep: bool) -> None:
        chosen = self.desk_combo.currentData() if keep else None
        desks: list[str] = []
        if self.pack_mode:
            desks = list(self.source.desks)
        else:
            with reported(self):
                desks = self.source.desks()
        self.desk_combo.blockSignals(True)
        self.desk_combo.clear()
        self.desk_combo.addItem(_("All desks"), None)
        for d in desks:
            self.desk_combo.addItem(_("Desk {desk}").format(desk=d), d)
        at = self.desk_combo.findData(chosen) if chosen else -1
        if at < 0 and len(desks) == 1:
            at = 1
        self.desk_combo.setCurrentIndex(max(0, at))
        self.desk_combo.blockSignals(False)

    def reload(self, keep_desks: bool = False) -> None:
        keep = self.current.case_no if self.current else None
        with reported(self) as failed:
            if self.pack_mode:
                data = self.source.review_day()
                if self.desk:
                    data = ReviewDay(data.day, self.desk,
                                     tuple(r for r in data.rows if r.desk == self.desk),
                                     tuple(c for c in data.closes if c.desk == self.desk))
            else:
                data = self.source.review_day(self.day, self.desk)
        if failed:
            return
        self.day_data = data
        self.model.set_rows(list(data.rows))
        self._show_counts()
        row = self.model.index_of(keep) if keep else -1
        if row < 0 and self.model.rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
            self.show_case(row)
        else:
            self.current = None
            self.case_view.clear()
            self._enable(False)

    def _show_counts(self) -> None:
        data = self.day_data
        if data is None:
            return
        self.count_label.setText(_("{unreviewed} of {count} cases not reviewed").format(
            unreviewed=data.unreviewed, count=len(data.rows)))
        self.count_label.setStyleSheet("color: #8D6E00; font-weight: bold;"
                                       if data.unreviewed else "color: #2E7D32;")
        desk = self.desk
        if desk is None:
            closed = [d for d in data.desks if data.closed(d)]
            self.state_label.setText(_("Closed: {desks}").format(desks=", ".join(closed))
                                     if closed else "")
            self.close_button.setEnabled(False)
            return
        closed = data.closed(desk)
        requested = self.pack_mode and desk in self.source.close_requests
        if closed:
            self.state_label.setText(_("Day closed by {name}, {time}").format(
                name=closed.closed_by, time=format_datetime(closed.closed_at, self.policy.tz)))
        elif requested:
            self.state_label.setText(_("The day closes when the pack is imported"))
        else:
            blockers = data.close_blockers(desk) if not self.pack_mode \
                else self.source.close_blockers(desk)
            self.state_label.setText(_("Day open") if not blockers
                                     else _("Day open: {why}").format(why="; ".join(blockers)))
        self.close_button.setEnabled(not closed and not requested)

    def refresh_status(self) -> None:
        if self.pack_mode:
            who = self.source.signed_in
            self.status.setText(_("Reviewing as {name}").format(
                name=self.source.staff_name(who)) if who else _("Nobody is reviewing yet"))
            return
        with reported(self):
            count = self.source.overdue_follow_ups()
            self.status.setText(_("Overdue follow-ups: {count}").format(count=count))
            self.status.setStyleSheet("color: #C62828; font-weight: bold;" if count else "")

    # --- one case ------------------------------------------------------------------------
    def show_case(self, row: int) -> None:
        if row < 0 or row >= len(self.model.rows):
            return
        self.current = self.model.row_at(row)
        with reported(self) as failed:
            doc = self.source.document(self.current.case_no)
            history = [] if self.pack_mode else self.source.history(self.current.case_no)
        if failed:
            return
        self.case_view.setHtml(case_html(doc, self.current, history, self.source.staff_name,
                                         self.policy))
        self._enable(True)

    def _enable(self, on: bool) -> None:
        row = self.current
        closed = bool(row and self.day_data and self.day_data.closed(row.desk))
        requested = bool(row and self.pack_mode and row.desk in self.source.close_requests)
        can = on and row is not None and not closed and not requested
        for b in (self.approve_button, self.return_button, self.sign_off_button):
            b.setEnabled(can)
        self.comment.setEnabled(can)
        self.form_button.setEnabled(on and row is not None)

    def decide(self, decision: str) -> bool:
        row = self.current
        if row is None:
            return False
        comment = self.comment.toPlainText()
        with reported(self) as failed:
            if self.pack_mode:
                self.source.decide(row.case_no, decision, comment)
                self.source.save()
            else:
                self.source.decide(row.case_no, decision, comment,
                                   expected_version=row.version)
        if failed:
            return False
        self.comment.clear()
        self.statusBar().showMessage(_("{case}: {decision}").format(
            case=row.case_no, decision=review_label(decision)), 5000)
        self.reload()
        self._next_unreviewed(row.case_no)
        self.decided.emit(row.case_no)
        return True

    def _next_unreviewed(self, after: str) -> None:
        rows = self.model.rows
        start = self.model.index_of(after)
        for i in list(range(start + 1, len(rows))) + list(range(0, start + 1)):
            if not rows[i].reviewed:
                self.table.selectRow(i)
                self.show_case(i)
                return

    def close_day(self) -> bool:
        desk = self.desk
        if desk is None:
            return False
        with reported(self) as failed:
            if self.pack_mode:
                self.source.request_close(desk)
                self.source.save()
            else:
                self.source.close_day(desk, self.day)
        if failed:
            return False
        self.reload()
        return True

    def set_reviewer(self) -> bool:
        """Sign in against the pack (a wrong PIN is counted in the pack file)."""
        pin = self.reviewer_pin.text()
        self.reviewer_pin.clear()
        with reported(self) as failed:
            self.source.sign_in(self.reviewer_edit.text(), pin)
            self.source.save()
        if failed:
            return False
        self.refresh_status()
        self.table.setFocus()
        return True

    def show_form(self) -> None:
        if self.current is None:
            return
        with reported(self) as failed:
            data = self.source.form_pdf(self.current.case_no)
        if not failed:
            FormViewer(data, self.current.case_no, self).exec()

    # --- files ---------------------------------------------------------------------------
    def export_pack_dialog(self) -> None:
        name = f"{self.desk or 'all'}-{self.day.isoformat()}{SUFFIX}"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the day pack"), name, _(PACK_FILTER).format(suffix=SUFFIX))
        if path:
            self.export_pack(Path(path))

    def export_pack(self, path: Path) -> bool:
        with reported(self) as failed:
            summary = self.source.export_pack(self.day, self.desk, path)
        if failed:
            return False
        self.statusBar().showMessage(_("Wrote {path}: {count} cases").format(
            path=summary.path.name, count=summary.cases), 8000)
        return True

    def import_pack_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import a reviewed day pack"), "", _(PACK_FILTER).format(suffix=SUFFIX))
        if path:
            self.import_pack(Path(path))

    def import_pack(self, path: Path, *, quiet: bool = False):
        with reported(self) as failed:
            report = self.source.import_pack(path)
        if failed:
            return None
        self.reload()
        if not quiet:
            QMessageBox.information(self, _("Day pack imported"), "\n".join(report.lines()))
        return report

    def report_dialog(self, kind: str) -> None:
        stem = f"{kind}-{self.day.isoformat()}"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the report"), stem + ".pdf",
            _("PDF (*.pdf);;Excel workbook (*.xlsx);;CSV (*.csv)"))
        if path:
            self.write_report(kind, Path(path))

    def write_report(self, kind: str, path: Path) -> list[Path]:
        with reported(self) as failed:
            files = self.source.write_report(kind, self.day, self.desk, path)
        if failed:
            return []
        self.statusBar().showMessage(_("Wrote {path}").format(path=files[0].name), 8000)
        return files

    def open_other_pack(self) -> None:
        window = open_pack_dialog(self.parentWidget(), self.policy, self.trusted)
        if window is not None:
            self.close()


class FormViewer(QDialog):
    """The printed form, page by page (rendered from the PDF bytes)."""

    def __init__(self, data: bytes, case_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("form_viewer")
        self.setWindowTitle(_("Form {case}").format(case=case_no))
        from ui.print_preview import render_pages
        pages = QWidget()
        column = QVBoxLayout(pages)
        for image in render_pages(data, 760):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            column.addWidget(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        fit_to_screen(self, 820, 900)


# --- the case as the reviewer reads it --------------------------------------------------------

def case_html(doc: dict, row: ReviewRow, history: list, staff_name, policy: Policy) -> str:
    """A compact page from the case document: who, what, the six steps, offers, outcome."""
    tz, cur = policy.tz, policy.currency

    def t(value) -> str:
        return escape(str(value)) if value not in (None, "") else "—"

    def when(iso) -> str:
        from datetime import datetime
        return format_datetime(datetime.fromisoformat(iso), tz) if iso else "—"

    customer = doc.get("customer") or {}
    subject = doc.get("subject") or {}
    channel = Channel.parse(doc.get("channel"))
    parts = [f"<h3>{t(doc.get('case_no'))} · {t(Status(row.status).label)} · "
             f"{t(Level(row.level).label)} · {'★' * row.severity}</h3>",
             "<table cellspacing='2'>"]
    for label, value in (
            (_("Received"), f"{when(doc.get('received_at'))} · "
                            f"{channel.label if channel else t(doc.get('channel'))}"),
            (_("Customer"), " · ".join(filter(None, [customer.get("name"), customer.get("phone"),
                                                      customer.get("member_no")]))),
            (_("Subject"), subject.get("name") or staff_name(subject.get("staff"))),
            (_("Category"), policy_label(doc.get("category") or "")),
            (_("Handler"), staff_name(doc.get("handler"))),
            (_("Complaint"), doc.get("complaint")), (_("Request"), doc.get("request")),
    ):
        parts.append(f"<tr><td><b>{escape(label)}</b></td><td>{t(value)}</td></tr>")
    parts.append("</table>")
    steps = doc.get("steps") or []
    if steps:
        from desk.enums import Step
        parts.append(f"<p><b>{escape(_('Six steps'))}</b></p><ul>")
        for s in steps:
            step = Step.parse(s.get("step"))
            note = s.get("skipped_reason") and _("skipped: {reason}").format(
                reason=s["skipped_reason"]) or s.get("note") or ""
            parts.append(f"<li>{when(s.get('at'))} {t(step.label if step else s.get('step'))}"
                         f" — {t(staff_name(s.get('by')))} {escape(note)}</li>")
        parts.append("</ul>")
    offers = doc.get("offers") or []
    if offers:
        parts.append(f"<p><b>{escape(_('Compensation'))}</b></p><ul>")
        for o in offers:
            approval = o.get("approval") or {}
            approved = (_("approved by {name}").format(name=staff_name(approval.get("by")))
                        if approval.get("decision") == "approved" else
                        t(_label(Approval, approval.get("decision"))) if approval
                        else _("within authority"))
            serials = ", ".join(o.get("serials") or [])
            parts.append(f"<li>{t(policy_label(o.get('kind') or ''))} "
                         f"{escape(format_money(o.get('amount') or 0, cur))} · {approved} · "
                         f"{t(_label(Answer, o.get('answer')))} {escape(serials)}</li>")
        parts.append("</ul>")
    resolution = doc.get("resolution")
    if resolution:
        title = _("Result")
        parts.append(f"<p><b>{escape(title)}</b> ({when(resolution.get('at'))}): "
                     f"{t(resolution.get('handling_result'))}</p>")
    for call in doc.get("follow_ups") or []:
        text = (_("reached, satisfaction {n}/5").format(n=call.get("satisfaction"))
                if call.get("reached") else _("not reached"))
        title = _("Follow-up call")
        parts.append(f"<p>{escape(title)} {when(call.get('at'))}: {escape(text)} "
                     f"{t(call.get('comment') or '')}</p>")
    if row.review != "unreviewed":
        parts.append(f"<p><b>{escape(_('Review'))}</b>: {escape(review_label(row.review))}"
                     f" — {t(row.reviewer)} {t(row.review_comment or '')}</p>")
    for h in history[:-1] if history else []:
        parts.append(f"<p style='color:#666'>{escape(format_datetime(h.at, tz))} "
                     f"{escape(h.reviewer)}: {escape(review_label(h.decision))} "
                     f"{escape(h.comment)}</p>")
    return "".join(parts)


# --- opening ---------------------------------------------------------------------------------

def open_store_review(parent: QWidget | None, store, policy: Policy, actor) -> ReviewWindow:
    """The review window on the main store for the signed-in supervisor."""
    if not holds(policy, actor, Privilege.REVIEW):
        raise AuthorityError(N_("reviewing cases needs a supervisor or higher"), field="role")
    window = ReviewWindow(StoreReview(store, policy, actor), policy, parent=parent)
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.setWindowFlag(Qt.WindowType.Window, True)
    window.show()
    return window


def open_pack(path: Path, policy: Policy, trusted: dict[str, str],
              parent: QWidget | None = None) -> ReviewWindow:
    """A review window straight on a pack file, governed by the policy of the store that
    exported it. ``trusted``: the pack keys this PC's store trusts; a pack altered, unsigned
    or signed by any other key raises ``PackError``, as ``desk pack show`` refuses it."""
    review = PackReview(Path(path), policy, trusted=trusted)
    window = ReviewWindow(review, review.policy, parent=parent)
    window.trusted = trusted
    window.setWindowFlag(Qt.WindowType.Window, True)
    return window


def open_pack_dialog(parent: QWidget | None, policy: Policy,
                     trusted: dict[str, str]) -> ReviewWindow | None:
    path, _filter = QFileDialog.getOpenFileName(
        parent, _("Open a day pack"), "", _(PACK_FILTER).format(suffix=SUFFIX))
    if not path:
        return None
    with reported(parent) as failed:
        window = open_pack(Path(path), policy, trusted, parent)
    if failed:
        return None
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    window.show()
    return window


__all__ = ["FormViewer", "ReviewWindow", "case_html", "open_pack", "open_pack_dialog",
           "open_store_review", "run_pack_review"]


def run_pack_review(app, path: Path, policy: Policy, trusted: dict[str, str]) -> int:
    """``complaint-desk --review FILE``: the review window on a pack, and nothing else;
    ``trusted`` are the pack keys this PC's store trusts."""
    from ui.errors import explain
    try:
        window = open_pack(path, policy, trusted)
    except Exception as exc:   # an altered, unsigned or unknown pack: say why and stop
        QMessageBox.critical(None, _("Complaint Desk"), explain(exc))
        return 2
    window.show()
    return app.exec()


def _label(kind, value):
    """A stored answer or decision ("accepted") in the reader's language; an unknown value
    (a newer program's) as it was stored."""
    try:
        return kind(value).label
    except ValueError:
        return value
