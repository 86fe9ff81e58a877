"""The store's policy from the app: its categories (the usual level and responsible unit of
each) set in a small form, or the whole text edited, checked and applied with a reason; the
store keeps who changed it and why (``desk.store_policy`` through ``desk.app.admin``)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QHBoxLayout,
                               QHeaderView, QLabel, QPlainTextEdit, QPushButton, QTableView,
                               QTabWidget, QVBoxLayout, QWidget)

from desk.enums import Level, policy_label
from desk.errors import DomainError
from desk.i18n import N_, _
from ui.errors import reported
from ui.form_dialog import Field, FormDialog
from ui.table_model import ModelIndex, RowTableModel, TableColumn
from ui.widgets import ErrorLabel


class CategoryColumn(TableColumn):
    KEY = N_("Key")
    LABEL = N_("Category")
    LEVEL = N_("Usual level")
    UNIT = N_("Responsible unit")


class CategoryTableModel(RowTableModel):
    """Rows are the policy's ``Category`` records (frozen)."""

    columns = CategoryColumn

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        row = self.shown(index)
        if row is None or role != Qt.ItemDataRole.DisplayRole:
            return None
        column = CategoryColumn(index.column())
        return {CategoryColumn.KEY: row.key, CategoryColumn.LABEL: policy_label(row.key),
                CategoryColumn.LEVEL: _(Level.LABELS[row.level]),
                CategoryColumn.UNIT: policy_label(row.unit)}[column]


class PolicyAdminDialog(QDialog):
    """``applied`` carries the new policy once the store runs it."""

    applied = Signal(object)

    def __init__(self, admin, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("policy_admin")
        self.admin = admin
        self.tabs = QTabWidget(objectName="policy_tabs")
        self.model = CategoryTableModel(self)
        self.table = QTableView(objectName="category_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.edit_category())
        self.add_button = QPushButton(objectName="category_add")
        self.edit_button = QPushButton(objectName="category_edit")
        self.add_button.clicked.connect(lambda: self.edit_category(new=True))
        self.edit_button.clicked.connect(lambda: self.edit_category())
        categories = QWidget()
        column = QVBoxLayout(categories)
        column.addWidget(self.table, 1)
        line = QHBoxLayout()
        line.addWidget(self.add_button)
        line.addWidget(self.edit_button)
        line.addStretch(1)
        column.addLayout(line)
        self.text = QPlainTextEdit(objectName="policy_text")
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setTabChangesFocus(True)
        self.check_button = QPushButton(objectName="policy_check")
        self.apply_button = QPushButton(objectName="policy_apply")
        self.check_button.clicked.connect(self.check)
        self.apply_button.clicked.connect(lambda: self.apply(self.text.toPlainText()))
        whole = QWidget()
        column = QVBoxLayout(whole)
        column.addWidget(self.text, 1)
        line = QHBoxLayout()
        line.addWidget(self.check_button)
        line.addWidget(self.apply_button)
        line.addStretch(1)
        column.addLayout(line)
        self.tabs.addTab(categories, "")
        self.tabs.addTab(whole, "")
        self.note = QLabel(objectName="policy_note")
        self.note.setWordWrap(True)
        self.error = ErrorLabel("policy_admin")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Store policy"))
        self.tabs.setTabText(0, _("Ca&tegories"))
        self.tabs.setTabText(1, _("Whole &policy text"))
        self.add_button.setText(_("&Add a category…"))
        self.edit_button.setText(_("&Edit the category…"))
        self.check_button.setText(_("&Check"))
        self.apply_button.setText(_("Appl&y…"))
        self.note.setText(_("Changes apply to every desk once saved; the store keeps who "
                            "changed the policy, when and why."))
        self.text.setAccessibleName(_("Whole policy text"))
        self.table.setAccessibleName(_("Categories"))
        self.model.retranslate()

    def reload(self) -> None:
        with reported(self):
            self.text.setPlainText(self.admin.policy_text())
        self.model.set_rows(list(self.admin.policy.categories.values()))

    def check(self) -> bool:
        self.error.show_message("")
        try:
            self.admin.check_policy(self.text.toPlainText())
        except DomainError as exc:
            self.error.show_message(str(exc))
            return False
        self.error.show_message("")
        self.note.setText(_("The policy text is valid for this store."))
        return True

    def edit_category(self, new: bool = False) -> object:
        from desk.app.admin import with_category
        from desk import intake_help
        index = self.table.currentIndex()
        row = None if new or not index.isValid() else self.model.shown(index)
        levels = tuple((key, lambda k=key: _(Level.LABELS[k])) for key in Level.LABELS)
        fields = [Field("key", N_("&Key"), "fixed" if row else "line",
                        default=row.key if row else ""),
                  Field("level", N_("Usual &level"), "choice", levels,
                        row.level if row else "preliminary"),
                  Field("unit", N_("Responsible &unit"), "choice",
                        tuple((u, lambda k=u: policy_label(k))
                              for u in intake_help.units(self.admin.policy)),
                        row.unit if row else "service_desk"),
                  Field("reason", N_("&Why"))]

        def submit(v):
            text = with_category(self.admin.policy_text(), v["key"], level=v["level"],
                                 unit=v["unit"], police_report=bool(row and row.police_report))
            return self._apply(text, v["reason"])
        dialog = FormDialog(_("Add a category") if row is None else
                            _("Category {key}").format(key=row.key), fields, submit, self)
        dialog.exec()
        return dialog.result_value

    def apply(self, text: str) -> object:
        dialog = FormDialog(_("Apply the policy"), [Field("reason", N_("&Why"))],
                            lambda v: self._apply(text, v["reason"]), self)
        dialog.exec()
        return dialog.result_value

    def _apply(self, text: str, reason: str):
        policy = self.admin.apply_policy(text, reason)
        self.admin.policy = policy
        self.reload()
        self.applied.emit(policy)
        return policy
