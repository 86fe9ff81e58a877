"""The counter window's parts that need the store, built when it opens.

At a cold start the window shows with the intake form alone while the store opens beside it
(``ui/startup.py``); ``store_opened`` then adds the six steps and the picker, lets the clerk
save, and reads the status bar's figures on a pool thread. The case list and a case in full
are built the first time they are shown or asked for (``LazyPage``).
"""
from __future__ import annotations

from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QFrame, QScrollArea, QWidget

from desk.enums import policy_label
from desk.i18n import _
from ui.lazy_page import LazyPage
from ui.workers import Job


def scrolling(panel: QWidget) -> QScrollArea:
    """``panel`` in a frameless scroll area that follows its width: the window's height
    stays within a small screen and the panel scrolls instead."""
    area = QScrollArea(objectName=f"{panel.objectName()}_scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(panel)
    return area


class StorePanels:
    """Mixed into ``MainWindow``: uses its desk, intake, work and main tabs, idle watcher,
    actions and status bar."""

    def _build_store_panels(self) -> None:
        """The panels that show what the store holds, once it is open: the six steps and
        the picker now; the case list and a case in full when first shown."""
        from ui.checklist import ChecklistPanel
        from ui.picker import PickerPanel
        from ui.promises import Promises, PromisesPanel
        self.checklist = ChecklistPanel(self.desk)
        self.picker = PickerPanel(self.desk)
        self.promises = PromisesPanel(Promises.of_desk(self.desk), self.desk.policy)
        for panel in (self.checklist, self.picker):   # scroll on a short screen
            self.work.addTab(scrolling(panel), "")
        self.work.addTab(self.promises, "")          # a table: it scrolls itself
        self.work.currentChanged.connect(
            lambda i: self.work.widget(i) is self.promises and self.promises.refresh())
        self._list_page = LazyPage(self._make_case_list, "case_list_page")
        self._detail_page = LazyPage(self._make_detail, "case_detail_page")
        self.tabs.addTab(self._list_page, "")
        self.tabs.addTab(self._detail_page, "")
        self.panels += [self.checklist, self.picker, self.promises]
        self._wire()
        self.idle.start()
        self._overdue_timer.start()
        self._set_saving(True)

    def _make_case_list(self):
        from ui.case_list import CaseListPanel
        panel = CaseListPanel(self.desk)
        panel.case_activated.connect(self.open_case)
        panel.search.textEdited.connect(self.idle.touch)
        self.panels.append(panel)
        return panel

    def _make_detail(self):
        from ui.case_detail import CaseDetailPanel
        panel = CaseDetailPanel(self.desk)
        panel.changed.connect(self._case_changed)
        panel.work_requested.connect(self.work_on)
        panel.print_requested.connect(self.print_case)
        self.panels.append(panel)
        return panel

    @property
    def case_list(self):
        return self._list_page.panel()

    @property
    def detail(self):
        return self._detail_page.panel()

    def _set_saving(self, enabled: bool) -> None:
        """Saving (button and Ctrl+S, printing too) only once the store is open; the note
        says why while it is not. Every other menu entry needs the store as well."""
        self.opening_note.setVisible(not enabled)
        self.intake.save_button.setEnabled(enabled)
        self.intake.print_button.setEnabled(enabled)
        stored = (QKeySequence.keyBindings(QKeySequence.StandardKey.Save) +
                  QKeySequence.keyBindings(QKeySequence.StandardKey.Print))
        for shortcut in self.intake.findChildren(QShortcut):
            if shortcut.key() in stored:
                shortcut.setEnabled(enabled)
        for key, action in self.actions.items():
            if key not in ("counter", "quit"):
                action.setEnabled(enabled)

    def store_opened(self, mall_name: str, previous_letter: str) -> None:
        """The store is open (``desk`` holds it): build the rest and let the clerk save,
        keeping everything typed so far. Fields still showing what the window started with
        (the desk letter, no handler) take the store's values."""
        self.mall_name = mall_name
        self._build_store_panels()
        fields = self.intake.fields
        chosen = fields["handler"].key()   # none yet: there was nobody to choose from
        self.intake.reload_choices()
        if chosen is None and self.desk.actor is not None:
            fields["handler"].set_key(self.desk.actor.staff_no)
        if fields["desk"].text() == previous_letter:
            fields["desk"].setText(self.desk.desk_letter)
        self.intake.refresh_history()
        self.retranslate(panels=False)   # the new panels translated themselves
        self._refresh_status_beside()
        focus = QApplication.focusWidget()
        if focus is None or not self.intake.isAncestorOf(focus):   # after sign-in: type away
            self.intake.focus_first()

    def _refresh_status_beside(self) -> None:
        """The status bar's figures when the store opens, read on a pool thread: on a store
        of a million cases today's granted total alone takes a tenth of a second, and
        saving need not wait for it. Who is signed in shows at once."""
        actor = self.desk.actor
        if actor is None:
            return self.refresh_status()
        self._show_title()
        self.who.setText(_("Signed in: {name} ({staff_no}), {role}.").format(
            name=actor.name, staff_no=actor.staff_no, role=policy_label(actor.role)))
        job = Job([None], lambda _i: (self.desk.remaining_today(), self.desk.overdue_count()))
        Job.alive.add(job)   # a Python runnable must outlive its run on the pool thread
        job.signals.finished.connect(lambda results: (Job.alive.discard(job),
                                                      self.refresh_status(results[0])))
        job.signals.failed.connect(lambda _m: (Job.alive.discard(job), self.refresh_status()))
        QThreadPool.globalInstance().start(job)
