"""The counter window: the intake form with the six steps and the picker beside it, the case
list, one case in full; who is signed in and what is overdue in the status bar."""
from __future__ import annotations

import csv
from pathlib import Path

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QFileDialog, QFrame, QLabel, QMainWindow, QMessageBox,
                               QScrollArea, QSplitter, QTabWidget, QVBoxLayout, QWidget)

from desk.enums import Status, policy_label
from desk.i18n import N_, _, format_datetime
from ui.draft import DraftStore
from ui.errors import reported
from ui.intake import IntakeForm
from ui.language import Language
from ui.lazy_page import LazyPage
from ui.session import Desk
from ui.settings import PcSettings, SettingsDialog
from ui.signin import IdleWatcher, SignInDialog
from ui.store_panels import StorePanels
from ui.widgets import fit_to_screen, money, without_mnemonic
from ui.workers import start_with_progress

if TYPE_CHECKING:
    from desk.queries import CaseDetail

TABS = (("counter", N_("&Counter")), ("cases", N_("Case &list")), ("case", N_("Case de&tail")))
WORK_TABS = (N_("Six steps"), N_("Compensation"), N_("Promises due"))


class MainWindow(StorePanels, QMainWindow):
    def __init__(self, desk: Desk, language: Language, settings: PcSettings, drafts: DraftStore,
                 *, paper: str, mall_name: str, db_label: str = "") -> None:
        super().__init__()
        self.setObjectName("main_window")
        self.desk, self.language, self.settings = desk, language, settings
        self.slips = None                   # ui.slip.SlipPrinter, made at the first slip
        self.drafts, self.paper, self.mall_name, self.db_label = drafts, paper, mall_name, db_label
        self.intake = IntakeForm(desk, drafts)
        self.work = QTabWidget(objectName="work_tabs")
        counter = QSplitter(Qt.Orientation.Horizontal, objectName="counter")
        # On a 768-line screen (or 1080 at 150%) the form scrolls rather than push the
        # window past the screen's bottom.
        intake_scroll = QScrollArea(objectName="intake_scroll")
        intake_scroll.setWidgetResizable(True)
        intake_scroll.setFrameShape(QFrame.Shape.NoFrame)
        intake_scroll.setWidget(self.intake)
        counter.addWidget(intake_scroll)
        counter.addWidget(self.work)
        counter.setStretchFactor(0, 5)
        counter.setStretchFactor(1, 4)
        # Shown while the store opens beside the form (ui/store_loader.py): typing works,
        # saving waits, and the clerk is told so.
        self.opening_note = QLabel(objectName="opening_note")
        self.opening_note.setStyleSheet("background:#FFF8E1;color:#6D4C00;padding:6px;")
        self.opening_note.setWordWrap(True)
        page = QWidget(objectName="counter_page")
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.opening_note)
        column.addWidget(counter, 1)
        self.tabs = QTabWidget(objectName="main_tabs")
        self.tabs.addTab(page, "")
        self.setCentralWidget(self.tabs)
        self.who = QLabel(objectName="who_label")
        self.overdue_label = QLabel(objectName="overdue_label")
        self.statusBar().addWidget(self.who, 1)
        self.statusBar().addPermanentWidget(self.overdue_label)
        self.panels: list[QWidget] = [self.intake]
        self._menus()
        self.actions["approvals"].setVisible(False)   # until someone who may approve signs in
        self.actions["finance"].setVisible(False)     # until finance or a supervisor signs in
        self.actions["watch_list"].setVisible(False)
        self.idle = IdleWatcher(desk.policy.idle_lock_minutes, self)
        self.idle.idle.connect(self.lock)
        for field in self.intake.fields.values():
            for signal in ("textEdited", "textChanged", "activated"):
                if hasattr(field, signal):
                    getattr(field, signal).connect(self.idle.touch)
                    break
        self._overdue_timer = QTimer(self, interval=60_000)
        self._overdue_timer.timeout.connect(self.refresh_status)
        from ui.outbox import OutboxSender
        self.outbox_sender = OutboxSender(desk, self)   # due e-mails and texts, off the UI thread
        self._lists_loaded = False
        self.tabs.currentChanged.connect(self._tab_changed)
        language.changed.connect(lambda _l: self.retranslate())
        if desk.ready:
            self._build_store_panels()
        else:
            self._set_saving(False)
        self.retranslate()   # also fills the status bar
        fit_to_screen(self, 1360, 860)

    # --- wiring --------------------------------------------------------------------------
    def _wire(self) -> None:
        self.intake.saved.connect(self._case_saved)
        self.intake.print_requested.connect(self.print_case)
        self.intake.slip_requested.connect(self.print_slip)
        self.promises.changed.connect(self._case_changed)
        self.checklist.changed.connect(self._case_changed)
        self.checklist.resolve_requested.connect(self._resolve)
        self.picker.changed.connect(self._case_changed)
        self.picker.confirm.recorded.connect(self._answer_recorded)

    def _menus(self) -> None:
        bar = self.menuBar()
        self.menus = {key: bar.addMenu("") for key in ("file", "case", "view", "help")}
        self.actions: dict[str, QAction] = {}

        def add(menu: str, key: str, slot, shortcut: str | QKeySequence | None = None) -> None:
            action = QAction(self)
            action.setObjectName(f"action_{key}")
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            self.menus[menu].addAction(action)
            self.actions[key] = action

        add("file", "switch_user", self.switch_user, "Ctrl+Shift+U")
        add("file", "lock", self.lock, "Ctrl+L")
        add("file", "settings", self.open_settings)
        add("file", "print_selected", self.print_selected)
        add("file", "export", self.export_list)
        add("file", "review", self.open_review)
        add("file", "approvals", self.open_approvals, "Ctrl+Shift+A")
        add("file", "finance", self.open_finance, "Ctrl+Shift+F")
        add("file", "outbox", self.open_outbox)
        add("file", "watch_list", self.open_watch_list, "Ctrl+Shift+B")
        add("file", "open_pack", self.open_day_pack)
        add("file", "staff", self.open_staff_admin)
        add("file", "policy", self.open_policy_admin)
        add("file", "quit", self.close, QKeySequence.StandardKey.Quit)
        add("case", "new", lambda: (self.show_tab(0), self.intake.new_complaint(),
                                    self.checklist.set_case(None), self.picker.set_case(None)))
        add("case", "steps", lambda: (self.show_tab(0), self.work.setCurrentIndex(0),
                                      self.checklist.focus_current()), "Ctrl+1")
        add("case", "offer", lambda: (self.show_tab(0), self.work.setCurrentIndex(1),
                                      self.picker.amount.setFocus()), "Ctrl+2")
        add("view", "counter", lambda: self.show_tab(0), "F2")
        add("view", "cases", lambda: self.show_tab(1), "F3")
        add("view", "case", lambda: self.show_tab(2), "F4")
        add("view", "find", lambda: (self.show_tab(1), self.case_list.focus_search()),
            QKeySequence.StandardKey.Find)
        add("help", "about", self.open_about)

    def retranslate(self, panels: bool = True) -> None:
        titles = {"file": N_("&File"), "case": N_("Ca&se"), "view": N_("&View"),
                  "help": N_("&Help")}
        for key, menu in self.menus.items():
            menu.setTitle(_(titles[key]))
        texts = {"switch_user": N_("&Switch user…"), "lock": N_("&Lock the screen"),
                 "settings": N_("S&ettings…"), "print_selected": N_("&Print selected cases to PDF…"),
                 "export": N_("E&xport the list to CSV…"), "quit": N_("&Quit"),
                 "review": N_("Supervisor &review…"), "open_pack": N_("Open a &day pack…"),
                 "approvals": N_("&Approvals waiting…"), "outbox": N_("&Outbox…"),
                 "finance": N_("F&inance queue…"),
                 "staff": N_("Staff and PI&Ns…"), "policy": N_("Store polic&y…"),
                 "watch_list": N_("&Batch complaints (watch-list)…"),
                 "new": N_("&New complaint"), "steps": N_("Six &steps"),
                 "offer": N_("&Compensation"), "counter": N_("&Counter"),
                 "cases": N_("Case &list"), "case": N_("Case &detail"), "find": N_("&Find a case"),
                 "about": N_("&About Complaint Desk…")}
        for key, action in self.actions.items():
            action.setText(_(texts[key]))
        for i, (_key, title) in enumerate(TABS):   # F2, F3, F4 reach them: no Alt+letter
            self.tabs.setTabText(i, without_mnemonic(_(title)))
        for i, title in enumerate(WORK_TABS):
            self.work.setTabText(i, _(title))
        if panels:
            for panel in self.panels:
                panel.retranslate()
            self.refresh_status()

    def refresh_status(self, figures: tuple | None = None) -> None:
        """Title and status bar; ``figures`` (authority left today, overdue count) when
        already read elsewhere, else read now."""
        self._show_title()
        actor = self.desk.actor
        if not self.desk.ready:
            self.opening_note.setText(_("Opening the store… You can start typing the "
                                        "complaint; saving becomes possible in a moment."))
            self.who.setText(_("Opening the store…"))
            return
        self.actions["approvals"].setVisible(self.desk.may_approve())
        self.actions["finance"].setVisible(self.desk.may_see_costs())
        self.actions["staff"].setVisible(self.desk.may("admin"))
        self.actions["policy"].setVisible(self.desk.may("policy"))
        self.actions["watch_list"].setVisible(self.desk.may_watch_batches())
        if actor is None:
            self.who.setText(_("Nobody is signed in."))
            return
        if figures is None:
            with reported(self):
                figures = (self.desk.remaining_today(), self.desk.overdue_count())
            if figures is None:
                return
        remaining, count = figures
        self.who.setText(_("Signed in: {name} ({staff_no}), {role}. Authority left today: "
                           "{amount}").format(name=actor.name, staff_no=actor.staff_no,
                                              role=policy_label(actor.role),
                                              amount=money(remaining, self.desk.policy.currency)))
        self.overdue_label.setText(_("Overdue or due follow-ups: {count}").format(count=count))
        self.overdue_label.setStyleSheet("color: #C62828; font-weight: bold;" if count else "")

    def _show_title(self) -> None:
        title = _("{mall} — Complaint Desk — desk {desk}").format(
            mall=self.mall_name, desk=self.desk.desk_letter)
        if self.db_label:
            title += f" — {self.db_label}"
        self.setWindowTitle(("DEMO — " if self.desk.demo else "") + title)

    # --- navigation ----------------------------------------------------------------------
    def show_tab(self, index: int) -> None:
        self.tabs.setCurrentIndex(index)

    def _tab_changed(self, index: int) -> None:
        page = self.tabs.widget(index)
        if isinstance(page, LazyPage):
            page.panel()
        if index == 1 and not self._lists_loaded:
            self._lists_loaded = True
            self.case_list.apply_filter()

    def open_case(self, case_no: str) -> CaseDetail | None:
        case = self.detail.open_case(case_no)
        if case is not None:
            self.show_tab(2)
        return case

    def work_on(self, case: CaseDetail) -> None:
        """Take a case to the counter: its steps and offers beside the (locked) form."""
        self.intake.show_case(case)
        self._set_case(case)
        self.show_tab(0)
        self.checklist.focus_current()

    def _set_case(self, case: CaseDetail | None) -> None:
        self.checklist.set_case(case)
        self.picker.set_case(case)

    def _case_saved(self, case: CaseDetail) -> None:
        self._set_case(case)
        self.work.setCurrentIndex(0)
        self.checklist.focus_current()
        self._case_changed(case, shown=True)

    def _case_changed(self, case: CaseDetail, shown: bool = False) -> None:
        # ``shown``: the steps and the offers show it already (a save just set them; again
        # would read its offer options twice, a third of a save's time).
        if not shown and self.checklist.case and self.checklist.case.case_no == case.case_no:
            if self.sender() is not self.checklist:
                self.checklist.set_case(case)
            if self.sender() is not self.picker:
                self.picker.set_case(case)
        detail = self._detail_page.built
        if detail is not None and detail.case and detail.case.case_no == case.case_no and \
                self.sender() is not detail:
            detail.show_case(case)
        if self._lists_loaded:
            self.case_list.apply_filter()
        self.refresh_status()

    def _answer_recorded(self, done: bool) -> None:
        """The customer answered: back to the six steps, at the one to do next."""
        if done and self.tabs.currentIndex() == 0:
            self.work.setCurrentIndex(0)
            self.checklist.focus_current()

    def _resolve(self, case_no: str) -> None:
        from ui.case_actions import run_action
        case = self.checklist.case
        if case is None:
            return
        updated = run_action("resolve", self.desk, case, self)
        if updated is not None:
            self.checklist.set_case(updated)
            self._case_changed(updated)

    # --- printing and long work ----------------------------------------------------------
    def print_slip(self, case_no: str) -> bool:
        """The customer's acknowledgement slip, in the counter's language, in one key."""
        from ui.slip import SlipPrinter
        if self.slips is None:
            self.slips = SlipPrinter(self.desk, self.settings, parent=self)
        done = self.slips.print_slip(case_no, self.language.locale, self)
        if done:
            self.statusBar().showMessage(_("Slip for {case_no} printed.").format(
                case_no=case_no), 8000)
        return done

    def print_case(self, case_no: str):
        from ui.print_preview import PrintPreviewDialog  # QtPdf loads on the first print
        with reported(self):
            dialog = PrintPreviewDialog(self.desk, case_no, locale=self.language.locale,
                                        paper=self.paper, parent=self)
            dialog.finished.connect(lambda _r: self._case_changed(self.desk.detail(case_no)))
            dialog.open()
            return dialog
        return None

    def print_selected(self) -> None:
        rows = self.case_list.selected_rows()
        if not rows:
            QMessageBox.information(self, _("Print"), _("Select cases in the case list first."))
            return
        folder = QFileDialog.getExistingDirectory(self, _("Folder for the PDF forms"))
        if folder:
            self.print_many([r.case_no for r in rows], Path(folder))

    def print_many(self, case_nos: list[str], folder: Path):
        locale, paper = self.language.locale, self.paper

        def one(case_no: str) -> Path:
            path = folder / f"{case_no}.pdf"
            self.desk.print_case(case_no, locale=locale, paper=paper,
                                 deliver=lambda pdf: path.write_bytes(pdf))
            return path
        job, _dialog = start_with_progress(self, _("Printing {count} forms").format(
            count=len(case_nos)), case_nos, one)
        job.signals.failed.connect(lambda message: QMessageBox.warning(self, _("Print"), message))
        return job

    def export_list(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Export the list"), "cases.csv",
                                                    "CSV (*.csv)")
        if name:
            self.export_csv(Path(name))

    def export_csv(self, path: Path):
        flt, tz = self.case_list.current_filter(), self.desk.policy.tz
        pages = range(0, 1_000_000, 1000)
        state = {"done": False}
        handle = path.open("w", newline="", encoding="utf-8-sig")
        writer = csv.writer(handle)
        writer.writerow([_("Case no."), _("Received"), _("Status"), _("Level"), _("Severity"),
                         _("Customer"), _("Phone"), _("Category"), _("Handler"), _("Granted"),
                         _("Complaint")])

        def page(offset: int) -> int:
            if state["done"]:
                return 0
            rows = self.desk.search(flt, offset, 1000)
            for r in rows:
                writer.writerow([r.case_no, format_datetime(r.received_at, tz),
                                 Status(r.status).label, r.level, r.severity, r.customer_name,
                                 r.customer_phone or "", policy_label(r.category), r.handler,
                                 r.total, r.summary])
            state["done"] = len(rows) < 1000
            return len(rows)
        job, _dialog = start_with_progress(self, _("Exporting the list"), pages, page)
        job.signals.finished.connect(lambda _r: handle.close())
        job.signals.failed.connect(lambda message: (handle.close(),
                                                    QMessageBox.warning(self, _("Export"), message)))
        return job

    # --- people --------------------------------------------------------------------------
    def open_review(self):
        from ui.review import open_store_review
        with reported(self):
            return open_store_review(self, self.desk.store, self.desk.policy, self.desk.actor)

    def open_approvals(self):
        """The approvals queue, for roles others wait for (the menu shows only to them)."""
        if not self.desk.may_approve():
            return None
        from ui.approvals import ApprovalsQueue
        queue = ApprovalsQueue(self.desk, self)
        queue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        queue.open_case.connect(self.open_case)
        queue.decided.connect(lambda case_no: self._case_changed(self.desk.detail(case_no)))
        self.language.changed.connect(queue.retranslate)
        queue.show()
        return queue

    def open_finance(self):
        """The finance queue: costs to review, pay and sign for (finance and supervisors)."""
        if not self.desk.may_see_costs():
            return None
        from ui.finance import FinanceQueue
        queue = FinanceQueue(self.desk, self)
        queue.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        queue.open_case.connect(self.open_case)
        queue.changed.connect(lambda case_no: self._case_changed(self.desk.detail(case_no)))
        self.language.changed.connect(queue.retranslate)
        queue.show()
        return queue

    def open_outbox(self):
        """E-mails and text messages waiting, sent and failed (sending off the UI thread)."""
        from ui.outbox import OutboxWindow
        window = OutboxWindow(self.desk, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.language.changed.connect(window.retranslate)
        window.show()
        return window

    def open_watch_list(self):
        """The batch complaints, for roles with the watch-list privilege."""
        if not self.desk.may_watch_batches():
            return None
        from ui.watch_list import WatchList
        window = WatchList(self.desk, self)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.open_case.connect(self.open_case)
        self.language.changed.connect(window.retranslate)
        window.show()
        return window

    def open_day_pack(self):
        from desk.app.review import trusted_pack_keys
        from ui.review import open_pack_dialog
        return open_pack_dialog(self, self.desk.policy, trusted_pack_keys(self.desk.store))

    def switch_user(self) -> bool:
        self.intake.autosave()
        before = self.desk.actor
        dialog = SignInDialog(self.desk, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self._signed_in(before)
        return True

    def lock(self) -> None:
        """Idle or on request: the form is autosaved and the window's content hidden (the
        last customer's name and phone are nobody else's business); the next person signs
        in."""
        self.intake.autosave()
        self.idle.stop()
        before = self.desk.actor
        self.desk.sign_out()
        self.centralWidget().hide()
        self.refresh_status()
        dialog = SignInDialog(self.desk, self, locked=True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            self.close()
            return
        self._signed_in(before)

    def _signed_in(self, before=None) -> None:
        """Whoever signed in now works at the counter: an unsaved form left by ``before``
        takes them as its handler, and the form's first field has the keyboard."""
        self.centralWidget().show()
        self.intake.reload_choices()
        self.intake.handed_over(before.staff_no if before else None)
        self.picker.refresh()
        self.refresh_status()
        self.idle.start()
        if self.intake.case is None:
            self.show_tab(0)
            self.intake.focus_first()

    def open_settings(self) -> None:
        dialog = SettingsDialog(self.settings, self.language, desk=self.desk.desk_letter,
                                paper=self.paper, db=self.settings.db() or "", parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.desk.desk_letter = self.settings.desk(self.desk.desk_letter)
            self.paper = self.settings.paper(self.paper)
            if self.intake.case is None and not self.intake.values().get("customer.name"):
                self.intake.clear()
            self.refresh_status()

    def open_staff_admin(self):
        from ui.admin_staff import StaffAdminDialog
        with reported(self):
            dialog = StaffAdminDialog(self.desk.admin(), self)
            dialog.open()
            return dialog
        return None

    def open_policy_admin(self):
        from ui.admin_policy import PolicyAdminDialog
        with reported(self):
            dialog = PolicyAdminDialog(self.desk.admin(), self)
            dialog.applied.connect(self._policy_applied)
            dialog.open()
            return dialog
        return None

    def _policy_applied(self, policy) -> None:
        self.desk.policy_applied(policy)
        self.retranslate()

    def open_about(self):
        """Version, store, policy in force and bundled licences (Help → About)."""
        from desk.about import about
        from ui.about import open_about
        store = self.desk.store
        with reported(self):
            return open_about(self, lambda: about(self.settings.db(), demo=self.desk.demo,
                                                  url=store.url if store is not None else None),
                              self.language)
        return None

    def offer_draft(self) -> bool:
        """After a crash or power cut: offer the autosaved complaint back."""
        values = self.drafts.load()
        if not values:
            return False
        saved = self.drafts.saved_at()
        when = format_datetime(saved, self.desk.policy.tz) if saved else "?"
        answer = QMessageBox.question(
            self, _("Unsaved complaint found"),
            _("A complaint was being typed at {time} and not saved (the program was closed or "
              "the power went off). Restore it?").format(time=when))
        if answer == QMessageBox.StandardButton.Yes:
            self.intake.load_values(values)
            return True
        self.drafts.clear()
        return False

    def closeEvent(self, event) -> None:
        self.intake.autosave()
        self.idle.stop()
        super().closeEvent(event)
