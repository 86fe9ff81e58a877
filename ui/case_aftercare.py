"""What happened to one case after the counter, as two pages of the case detail: the pauses
of its resolution clock, and the corrective work it belongs to (root-cause records and
tenant chargebacks)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from desk.corrective import ChargebackRow, RootCauseRow
from desk.enums import Status
from desk.followup import PauseRow
from desk.i18n import N_, _, format_datetime, format_money
from desk.queries import CaseDetail
from ui.aftercare import Aftercare
from ui.errors import reported

# The longest text of each list comes last, where the row has room for it.
PAUSE_HEADERS = (N_("Stopped"), N_("Waiting on"), N_("By"), N_("Resumed"), N_("Time left then"),
                 N_("What for"))
ROOT_CAUSE_HEADERS = (N_("No."), N_("Title"), N_("State"), N_("Linked cases"))
CHARGEBACK_HEADERS = (N_("No."), N_("Tenant"), N_("Amount"), N_("Recorded"), N_("Settled"))


def clock_text(case: CaseDetail, pauses: list[PauseRow], tz) -> str:
    """The resolution clock in one sentence: running, or stopped and since when."""
    running = [p for p in pauses if p.ended_at is None]
    if case.status == Status.WAITING.value and running:
        pause = running[-1]
        return _("Stopped since {time} ({waiting}); {left} were left. Until it resumes only "
                 "the statutory limit runs: resolve by {due}.").format(
            time=format_datetime(pause.started_at, tz), waiting=pause.waiting_label,
            left=pause.remaining_label, due=format_datetime(case.statutory_due, tz))
    if pauses:
        return _("Running again: the time left when it stopped was given back (resolve by "
                 "{due}).").format(due=format_datetime(case.resolution_due, tz))
    return _("Running (never stopped).")


def state_text(row: RootCauseRow, tz) -> str:
    if row.verified_at is not None:
        return _("Verified by {name}, {time}").format(
            name=row.verified_by or "", time=format_datetime(row.verified_at, tz))
    if row.missing:
        return _("Open: {count} of 6 parts to write").format(count=len(row.missing))
    return _("Open: ready to verify")


class CaseAftercare:
    """The two pages (``pause_page`` and ``corrective_page``) and the case's pauses."""

    def __init__(self, care: Aftercare) -> None:
        self.care = care
        self.pauses: list[PauseRow] = []
        self.pause_tree = _tree("detail_pauses_list")
        self.pause_page = self.pause_tree
        self.root_cause_label = QLabel(objectName="detail_root_causes_label")
        self.root_cause_tree = _tree("detail_root_causes_list")
        self.chargeback_label = QLabel(objectName="detail_chargebacks_label")
        self.chargeback_tree = _tree("detail_chargebacks_list")
        self.corrective_page = QWidget(objectName="detail_corrective")
        layout = QVBoxLayout(self.corrective_page)
        for widget in (self.root_cause_label, self.root_cause_tree, self.chargeback_label,
                       self.chargeback_tree):
            layout.addWidget(widget)

    def retranslate(self) -> None:
        self.pause_tree.setHeaderLabels([_(t) for t in PAUSE_HEADERS])
        self.root_cause_tree.setHeaderLabels([_(t) for t in ROOT_CAUSE_HEADERS])
        self.chargeback_tree.setHeaderLabels([_(t) for t in CHARGEBACK_HEADERS])
        self.root_cause_label.setText(_("Root-cause records this case belongs to:"))
        self.chargeback_label.setText(_("Chargebacks to the tenant:"))

    def show_case(self, case: CaseDetail | None, parent: QWidget | None) -> None:
        """Load the case's pauses and corrective work (nothing for no case)."""
        self.pauses = []
        pauses: list[PauseRow] = []
        records: list[RootCauseRow] = []
        charges: list[ChargebackRow] = []
        if case is not None:
            with reported(parent):
                pauses = self.care.pauses(case.case_no)
                records = self.care.root_causes_of(case.case_no)
                charges = self.care.chargebacks_of(case.case_no)
        self.pauses = pauses
        tz, currency = self.care.policy.tz, self.care.policy.currency

        def dt(value) -> str:
            return format_datetime(value, tz) if value else "—"
        _fill(self.pause_tree, [[dt(p.started_at), p.waiting_label, p.started_by,
                                 (f"{dt(p.ended_at)} {p.ended_by or ''}".strip()
                                  if p.ended_at else _("still waiting")), p.remaining_label,
                                 p.reason] for p in pauses])
        _fill(self.root_cause_tree, [[str(r.id), r.title, state_text(r, tz), " ".join(r.cases)]
                                     for r in records])
        _fill(self.chargeback_tree, [[str(c.id), c.tenant, format_money(c.amount, currency),
                                      dt(c.recorded_at),
                                      (f"{dt(c.settled_at)} {c.settlement_note or ''}".strip()
                                       if c.settled_at else _("not yet recovered"))]
                                     for c in charges])


def _tree(name: str) -> QTreeWidget:
    tree = QTreeWidget(objectName=name)
    tree.setRootIsDecorated(False)
    tree.setWordWrap(True)
    return tree


def _fill(tree: QTreeWidget, rows: list[list[str]]) -> None:
    tree.clear()
    tree.addTopLevelItems([QTreeWidgetItem(row) for row in rows])
    for column in range(tree.columnCount() - 1):   # the last one stretches
        tree.resizeColumnToContents(column)


__all__ = ["CaseAftercare", "clock_text", "state_text"]
