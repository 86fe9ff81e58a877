"""The administrator's staff screen: everyone who may sign in, and adding, editing,
disabling or enabling a person and resetting a PIN, each one ``desk`` call (audited)."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QPushButton, QTableView, QVBoxLayout, QWidget)

from desk.enums import policy_label
from desk.errors import DomainError
from desk.i18n import N_, _
from ui.errors import reported
from ui.form_dialog import Field, FormDialog
from ui.table_model import ModelIndex, RowTableModel, TableColumn
from ui.widgets import ErrorLabel


class StaffColumn(TableColumn):
    STAFF_NO = N_("Staff ID")
    NAME = N_("Name")
    ROLE = N_("Role")
    STATE = N_("Sign-in")


class StaffTableModel(RowTableModel):
    columns = StaffColumn

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.shown(index)
        if row is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        column = StaffColumn(index.column())
        if column is StaffColumn.STAFF_NO:
            return row.staff_no
        if column is StaffColumn.NAME:
            return row.name
        if column is StaffColumn.ROLE:
            return policy_label(row.role)
        if not row.active:
            return _("disabled")
        return _("locked for now") if row.locked_until else _("may sign in")


class StaffAdminDialog(QDialog):
    """``admin`` is ``desk.app.admin.Admin`` for the signed-in administrator."""

    def __init__(self, admin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("staff_admin")
        self.admin = admin
        self.model = StaffTableModel(self)
        self.table = QTableView(objectName="staff_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.edit_selected())
        self.error = ErrorLabel("staff_admin")
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, slot in (("add", self.add), ("edit", self.edit_selected),
                          ("toggle", self.toggle_selected), ("pin", self.reset_selected)):
            button = QPushButton(objectName=f"staff_{key}")
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        row.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(row)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._buttons())
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Staff"))
        texts = {"add": N_("&Add…"), "edit": N_("&Edit…"), "toggle": N_("&Disable"),
                 "pin": N_("&Reset PIN…")}
        for key, button in self.buttons.items():
            button.setText(_(texts[key]))
            button.setAccessibleName(_(texts[key]).replace("&", "").rstrip("…"))
        self.table.setAccessibleName(_("Staff"))
        self.model.retranslate()
        self._buttons()

    def reload(self, select: str | None = None) -> None:
        with reported(self):
            self.model.set_rows(self.admin.staff())
        for number, row in enumerate(self.model.rows):
            if row.staff_no == select:
                self.table.selectRow(number)
        self._buttons()

    def selected(self):
        index = self.table.currentIndex()
        return self.model.shown(index) if index.isValid() else None

    def _buttons(self) -> None:
        row = self.selected()
        for key in ("edit", "toggle", "pin"):
            self.buttons[key].setEnabled(row is not None)
        label = N_("&Enable") if row is not None and not row.active else N_("&Disable")
        self.buttons["toggle"].setText(_(label))

    def _roles(self) -> tuple:
        roles = sorted(self.admin.policy.roles.values(), key=lambda r: r.rank)
        return tuple((r.key, lambda k=r.key: policy_label(k)) for r in roles)

    def _form(self, title: str, fields: list[Field], submit) -> object:
        dialog = FormDialog(title, fields, submit, self)
        dialog.exec()
        return dialog.result_value

    def add(self) -> object:
        def submit(v):
            return self.admin.add_staff(v["staff_no"], v["name"], v["role"], v["pin"])
        added = self._form(_("Add a staff member"), [
            Field("staff_no", N_("Staff &ID")), Field("name", N_("&Name")),
            Field("role", N_("&Role"), "choice", self._roles(), "clerk"),
            Field("pin", N_("First &PIN"))], submit)
        if added is not None:
            self.reload(added.staff_no)
        return added

    def edit_selected(self) -> object:
        row = self.selected()
        if row is None:
            return None

        def submit(v):
            return self.admin.edit_staff(row.staff_no, name=v["name"], role=v["role"])
        changed = self._form(_("Edit {staff_no}").format(staff_no=row.staff_no), [
            Field("name", N_("&Name"), default=row.name),
            Field("role", N_("&Role"), "choice", self._roles(), row.role)], submit)
        if changed is not None:
            self.reload(row.staff_no)
        return changed

    def toggle_selected(self) -> object:
        row = self.selected()
        if row is None:
            return None
        self.error.show_message("")
        changed = None
        with reported(self):
            try:
                changed = self.admin.edit_staff(row.staff_no, active=not row.active)
            except DomainError as exc:   # shown under the table; nothing was written
                self.error.show_message(str(exc))
        self.reload(row.staff_no)
        return changed

    def reset_selected(self) -> object:
        row = self.selected()
        if row is None:
            return None

        def submit(v):
            self.admin.reset_pin(row.staff_no, v["pin"])
            return True
        return self._form(_("New PIN for {staff_no}").format(staff_no=row.staff_no), [
            Field("pin", N_("New &PIN"))], submit)
