"""The supervisor's review window: a day's cases, each opened to approve, return with a
comment or sign off; the day closed once all are reviewed and finished. It works on the main
store (``desk.app.review.StoreReview``) or straight from a day pack file
(``desk.pack_review.PackReview``) on a PC with no link to the counter, where the reviewer
signs in with their staff ID and PIN and every decision is saved into the pack at once."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit,
                               QMainWindow, QPlainTextEdit, QPushButton, QSplitter, QTableView,
                               QTabWidget, QTextBrowser, QVBoxLayout, QWidget)

from desk.app.review import StoreReview
from desk.clock import utcnow
from desk.i18n import N_, _, format_datetime
from desk.pack_review import PackReview
from desk.policy import Policy
from desk.review import ReviewDay, ReviewRow, review_label
from ui.errors import reported
from ui.patterns_panel import PatternsPanel
from ui.review_case import FormViewer, case_html
from ui.review_files import ReviewFiles
from ui.review_model import ReviewTableModel
from ui.widgets import fit_case_numbers, fit_to_screen

class ReviewWindow(ReviewFiles, QMainWindow):
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

    def open_other_pack(self) -> None:
        from ui.review_open import open_pack_dialog
        window = open_pack_dialog(self.parentWidget(), self.policy, self.trusted)
        if window is not None:
            self.close()


# The opening functions live in ui.review_open (they build this window); the names callers
# import from here keep working.
_OPENERS = ("open_pack", "open_pack_dialog", "open_store_review", "run_pack_review")


def __getattr__(name: str):
    if name in _OPENERS:
        from ui import review_open
        return getattr(review_open, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["FormViewer", "ReviewWindow", "case_html", *_OPENERS]
