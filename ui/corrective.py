"""The supervisor's corrective-actions panel: root-cause records (8D) that link recurring or
★★★ cases, written part by part and verified when complete; and what the mall paid for a
tenant's fault, open until it is recovered. Every write is one ``desk`` call from a small
form that keeps the domain's refusal in view."""
from __future__ import annotations

import re
from xml.sax.saxutils import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QDialog, QHBoxLayout, QLabel, QPushButton, QSplitter,
                               QTableView, QTextBrowser, QVBoxLayout, QWidget)

from desk.corrective import FIELD_LABELS, FIELDS, ChargebackRow, RootCauseRow
from desk.i18n import N_, _, format_money
from ui.aftercare import Aftercare
from ui.corrective_model import ChargebackTableModel, RootCauseTableModel
from ui.errors import reported
from ui.form_dialog import Field, FormDialog

# The 8D parts as the update form asks for them, each with its own mnemonic.
UPDATE_FIELDS = (("title", N_("&Title")), ("team", N_("Tea&m")), ("problem", N_("&Problem")),
                 ("containment", N_("&Containment")), ("root_cause", N_("&Root cause")),
                 ("permanent_fix", N_("Permanent &fix")), ("verification", N_("&Verification")),
                 ("prevention", N_("Preve&ntion")), ("recognition", N_("Reco&gnition")))


class CorrectivePanel(QWidget):
    """``changed`` is emitted after every write that was carried out."""

    changed = Signal()

    def __init__(self, care: Aftercare, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("corrective_panel")
        self.care = care
        policy = care.policy
        self.records = RootCauseTableModel(policy.tz, self)
        self.charges = ChargebackTableModel(currency=policy.currency, tz=policy.tz, parent=self)
        self.record_table = _table("root_cause_table", self.records)
        self.charge_table = _table("chargeback_table", self.charges)
        self.record_view = QTextBrowser(objectName="root_cause_view")
        self.record_title = QLabel(objectName="root_cause_heading")
        self.charge_title = QLabel(objectName="chargeback_heading")
        for heading in (self.record_title, self.charge_title):
            heading.setStyleSheet("font-weight: bold;")
        self.record_count = QLabel(objectName="root_cause_count")
        self.charge_count = QLabel(objectName="chargeback_count")
        self.show_verified = QCheckBox(objectName="show_verified")
        self.show_settled = QCheckBox(objectName="show_settled")
        self.buttons = {key: QPushButton(objectName=f"corrective_{key}")
                        for key in ("open", "update", "verify", "settle", "refresh")}
        slots = {"open": self.open_record, "update": self.update_record,
                 "verify": self.verify_record, "settle": self.settle, "refresh": self.reload}
        for key, button in self.buttons.items():
            button.clicked.connect(lambda _c=False, slot=slots[key]: slot())

        records = QSplitter(Qt.Orientation.Horizontal)
        records.addWidget(self.record_table)
        records.addWidget(self.record_view)
        records.setStretchFactor(0, 3)
        records.setStretchFactor(1, 2)
        top = QWidget()
        upper = QVBoxLayout(top)
        upper.addLayout(_row(self.record_title, self.record_count, None, self.show_verified,
                             self.buttons["refresh"]))
        upper.addWidget(records, 1)
        upper.addLayout(_row(self.buttons["open"], self.buttons["update"],
                             self.buttons["verify"], None))
        bottom = QWidget()
        lower = QVBoxLayout(bottom)
        lower.addLayout(_row(self.charge_title, self.charge_count, None, self.show_settled))
        lower.addWidget(self.charge_table, 1)
        lower.addLayout(_row(self.buttons["settle"], None))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        QVBoxLayout(self).addWidget(split)

        self.record_table.selectionModel().currentRowChanged.connect(lambda *_a: self._show())
        self.charge_table.selectionModel().currentRowChanged.connect(lambda *_a: self._enable())
        self.record_table.activated.connect(lambda _i: self.update_record())
        self.charge_table.activated.connect(lambda _i: self.settle())
        self.show_verified.toggled.connect(lambda _on: self.reload())
        self.show_settled.toggled.connect(lambda _on: self.reload())
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.record_title.setText(_("Root-cause records"))
        self.charge_title.setText(_("Tenant chargebacks"))
        self.record_table.setAccessibleName(_("Root-cause records"))
        self.record_view.setAccessibleName(_("Root-cause records"))
        self.charge_table.setAccessibleName(_("Tenant chargebacks"))
        self.show_verified.setText(_("Show &verified records too"))
        self.show_settled.setText(_("Show sett&led chargebacks too"))
        texts = {"open": N_("&Open a record for cases…"), "update": N_("&Write the parts…"),
                 "verify": N_("Ver&ify…"), "settle": N_("&Settle…"), "refresh": N_("Refresh")}
        for key, button in self.buttons.items():
            button.setText(_(texts[key]))
        self.records.retranslate()
        self.charges.retranslate()
        self._counts()
        self._show()

    # --- loading -------------------------------------------------------------------------
    def reload(self, select_record: int | None = None) -> None:
        keep = select_record if select_record is not None else getattr(self.record(), "id", None)
        with reported(self) as failed:
            records = self.care.root_causes(open_only=not self.show_verified.isChecked())
            charges = self.care.chargebacks(open_only=not self.show_settled.isChecked())
        if failed:
            return
        self.records.set_rows(records)
        self.charges.set_rows(charges)
        for table in (self.record_table, self.charge_table):
            table.resizeColumnsToContents()   # the last column takes what is left
        at = self.records.index_of(keep) if keep is not None else -1
        if at < 0 and records:
            at = 0
        if at >= 0:
            self.record_table.selectRow(at)
        if charges:
            self.charge_table.selectRow(0)
        self._counts()
        self._show()

    def _counts(self) -> None:
        records, charges = self.records.rows, self.charges.rows
        self.record_count.setText(_("{open} open, {ready} ready to verify").format(
            open=sum(1 for r in records if r.verified_at is None),
            ready=sum(1 for r in records if r.verified_at is None and not r.missing)))
        unpaid = [c for c in charges if c.settled_at is None]
        self.charge_count.setText(_("Still to recover: {amount}; tenants owing: {count}").format(
            amount=format_money(sum(c.amount for c in unpaid), self.care.policy.currency),
            count=len({c.tenant for c in unpaid})))

    def record(self) -> RootCauseRow | None:
        index = self.record_table.currentIndex()
        return self.records.row_at(index.row()) if index.isValid() else None

    def chargeback(self) -> ChargebackRow | None:
        index = self.charge_table.currentIndex()
        return self.charges.row_at(index.row()) if index.isValid() else None

    def _show(self) -> None:
        row = self.record()
        self.record_view.setHtml(record_html(row) if row else "")
        self._enable()

    def _enable(self) -> None:
        row = self.record()
        writable = row is not None and row.verified_at is None
        self.buttons["update"].setEnabled(writable)
        self.buttons["verify"].setEnabled(writable)
        charge = self.chargeback()
        self.buttons["settle"].setEnabled(charge is not None and charge.settled_at is None)

    # --- acting --------------------------------------------------------------------------
    def _run(self, dialog: FormDialog, *, names_record: bool = True) -> object:
        """Show the form; once carried out, reload (with the record it wrote selected)."""
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        result = dialog.result_value
        self.reload(select_record=result if names_record else None)
        self.changed.emit()
        return result

    def open_record_dialog(self) -> FormDialog:
        fields = [Field("cases", N_("&Cases (numbers, separated by spaces)")),
                  Field("title", N_("&Title")), Field("team", N_("Tea&m")),
                  Field("problem", N_("&Problem"), "text", lines=4)]
        intro = _("For a ★★★ case, or a matter that came back in two cases or more.")
        return _named(FormDialog(_("Open a root-cause record"), fields, lambda v: (
            self.care.open_root_cause(case_numbers(v["cases"]), v["title"], v["problem"],
                                      v["team"])), self, intro=intro), "open_dialog")

    def update_dialog(self, row: RootCauseRow) -> FormDialog:
        fields = [Field(key, label, "line" if key in ("title", "team") else "text",
                        default=getattr(row, key), lines=3) for key, label in UPDATE_FIELDS]

        def submit(values: dict) -> int:
            changed = {k: v for k, v in values.items() if v != getattr(row, k)}
            return self.care.update_root_cause(row.id, **changed) if changed else row.id
        return _named(FormDialog(_("Root-cause record {number}: {title}").format(
            number=row.id, title=row.title), fields, submit, self,
            intro=_("Cases: {cases}").format(cases=" ".join(row.cases))), "update_dialog")

    def verify_dialog(self, row: RootCauseRow) -> FormDialog:
        intro = _("Verify record {number} “{title}”? Once verified it no longer changes, and "
                  "the weekly report stops listing it.").format(number=row.id, title=row.title)
        return _named(FormDialog(_("Verify a root-cause record"), [],
                                 lambda _v: self.care.verify_root_cause(row.id), self,
                                 intro=intro), "verify_dialog")

    def settle_dialog(self, row: ChargebackRow) -> FormDialog:
        fields = [Field("tenant", N_("Tenant"), "fixed", default=row.tenant),
                  Field("amount", N_("Amount"), "fixed",
                        default=format_money(row.amount, self.care.policy.currency)),
                  Field("note", N_("&How it was recovered"), "text", lines=3)]
        return _named(FormDialog(_("Settle chargeback {number} ({case_no})").format(
            number=row.id, case_no=row.case_no), fields,
            lambda v: self.care.settle_chargeback(row.id, v["note"]), self), "settle_dialog")

    def open_record(self) -> object:
        return self._run(self.open_record_dialog())

    def update_record(self) -> object:
        row = self.record()
        return self._run(self.update_dialog(row)) if row and row.verified_at is None else None

    def verify_record(self) -> object:
        row = self.record()
        return self._run(self.verify_dialog(row)) if row and row.verified_at is None else None

    def settle(self) -> object:
        row = self.chargeback()
        if row is None or row.settled_at is not None:
            return None
        return self._run(self.settle_dialog(row), names_record=False)


def case_numbers(text: str) -> list[str]:
    """Case numbers as typed: separated by spaces, commas or new lines."""
    return [n for n in re.split(r"[\s,;、，]+", text) if n]


def record_html(row: RootCauseRow) -> str:
    """The record's parts in 8D order; a part not written yet says so."""
    # Labels are translated outside the f-strings: the extractor does not look inside them.
    linked, team, unwritten = _("Linked cases"), _("Team"), _("not written yet")
    parts = [f"<h3>{row.id}. {escape(row.title)}</h3>",
             f"<p>{escape(linked)}: {escape(' '.join(row.cases))}"
             + (f"<br>{escape(team)}: {escape(row.team)}" if row.team else "") + "</p>"]
    for key in ("problem",) + FIELDS[1:]:
        text = getattr(row, key)
        body = escape(text).replace("\n", "<br>") if text else \
            f"<span style='color:#B00020'>{escape(unwritten)}</span>"
        parts.append(f"<p><b>{escape(_(FIELD_LABELS[key]))}</b><br>{body}</p>")
    return "".join(parts)


def _table(name: str, model) -> QTableView:
    table = QTableView(objectName=name)
    table.setModel(model)
    table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    table.horizontalHeader().setMaximumSectionSize(360)
    return table


def _row(*widgets: QWidget | None) -> QHBoxLayout:
    """Widgets left to right; ``None`` is the stretch between them."""
    row = QHBoxLayout()
    for widget in widgets:
        if widget is None:
            row.addStretch(1)
        else:
            row.addWidget(widget)
    return row


def _named(dialog: FormDialog, name: str) -> FormDialog:
    dialog.setObjectName(name)
    return dialog


__all__ = ["CorrectivePanel", "case_numbers", "record_html"]
