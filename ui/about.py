"""Help → About: the version, the store in use (where it was set, its size), the policy in
force and the licences of everything the program bundles, fonts included; "Copy details"
puts the same text as ``desk --version --verbose`` on the clipboard for IT support."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QDialogButtonBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton,
                               QTableView, QVBoxLayout, QWidget)

from desk.about import About, Bundled, about_lines, limits_text, policy_source, size_text
from desk.i18n import N_, _, format_number
from desk.paths import resources_dir
from ui.table_model import ModelIndex, RowTableModel, TableColumn


class Column(TableColumn):
    NAME = N_("Software or font")
    VERSION = N_("Version")
    LICENCE = N_("Licence")
    WHERE = N_("Licence text")


class BundledModel(RowTableModel):
    columns = Column

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        item: Bundled | None = self.shown(index)
        if item is None or role not in (Qt.ItemDataRole.DisplayRole,
                                        Qt.ItemDataRole.ToolTipRole):
            return None
        return {Column.NAME: item.name, Column.VERSION: item.version,
                Column.LICENCE: item.licence, Column.WHERE: item.where}[Column(index.column())]


class AboutDialog(QDialog):
    """Built from one ``About`` read when the box opens; ``retranslate`` re-words it."""

    def __init__(self, info: About, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("about_dialog")
        self.info = info
        self.title = QLabel(objectName="about_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel(objectName="about_subtitle")
        icon = QLabel()
        icon.setPixmap(QIcon(str(resources_dir() / "icons" / "complaint-desk.png")).pixmap(56, 56))
        head = QHBoxLayout()
        head.addWidget(icon)
        titles = QVBoxLayout()
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)

        self.store_box, self.store_form, self.store_values = self._form("about_store", 5)
        self.policy_box, self.policy_form, self.policy_values = self._form("about_policy", 5)
        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.policy_values[1].setFont(QFont(fixed.family(), self.font().pointSize()))
        boxes = QHBoxLayout()
        boxes.addWidget(self.store_box, 2)
        boxes.addWidget(self.policy_box, 3)

        self.bundled_box = QGroupBox(objectName="about_bundled")
        self.model = BundledModel(self)
        self.model.set_rows(info.bundled)
        self.table = QTableView(objectName="about_licences")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column, mode in ((Column.NAME, QHeaderView.ResizeMode.Interactive),
                             (Column.VERSION, QHeaderView.ResizeMode.ResizeToContents),
                             (Column.LICENCE, QHeaderView.ResizeMode.Interactive),
                             (Column.WHERE, QHeaderView.ResizeMode.Stretch)):
            header.setSectionResizeMode(column, mode)
        header.resizeSection(Column.NAME, 280)     # long names show whole in their tooltip
        header.resizeSection(Column.LICENCE, 220)
        inner = QVBoxLayout(self.bundled_box)
        inner.addWidget(self.table)

        self.copy = QPushButton(objectName="about_copy")
        self.copy.clicked.connect(self.copy_details)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.copy, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addLayout(boxes)
        layout.addWidget(self.bundled_box, 1)
        layout.addWidget(buttons)
        self.retranslate()
        self.resize(1040, 660)    # within a 1366x768 screen with the taskbar

    def _form(self, name: str, rows: int) -> tuple[QGroupBox, QFormLayout, list[QLabel]]:
        box = QGroupBox(objectName=name)
        form = QFormLayout(box)
        values = []
        for _row in range(rows):
            value = QLabel()
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(QLabel(), value)
            values.append(value)
        return box, form, values

    @staticmethod
    def _fill(form: QFormLayout, rows: list[tuple[str, str]]) -> None:
        for row, (label, value) in enumerate(rows):
            form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget().setText(label)
            form.itemAt(row, QFormLayout.ItemRole.FieldRole).widget().setText(value)

    def retranslate(self) -> None:
        info, store, policy = self.info, self.info.store, self.info.policy
        self.setWindowTitle(_("About Complaint Desk"))
        self.title.setText(_("Complaint Desk {version}").format(version=info.version))
        self.subtitle.setText(_("Python {python} on {system}").format(
            python=info.python, system=info.system) + "\n" + _("Program folder: {path}").format(
            path=info.install_folder))
        self.store_box.setTitle(_("The store"))
        cases = "-" if store.cases is None else format_number(store.cases)
        self._fill(self.store_form, [(_("Location"), store.location),
                                     (_("Set by"), store.origin.label),
                                     (_("Database engine"), "SQLite" if store.backend ==
                                      "sqlite" else "PostgreSQL"),
                                     (_("Size"), size_text(store.size)),
                                     (_("Cases"), cases)])
        self.policy_box.setTitle(_("The policy in force"))
        self._fill(self.policy_form, [
            (_("Source"), policy_source(policy)),
            ("SHA-256", policy.sha256 or "-"),
            (_("Mall"), policy.mall_name),
            (_("Money and time"), _("currency {currency}; time zone {tz}; cash threshold "
                                    "{amount}; records kept {years} years").format(
                currency=policy.currency, tz=policy.timezone, amount=policy.cash_threshold,
                years=policy.retention_years)),
            (_("Per-case limits"), limits_text(policy))])
        self.bundled_box.setTitle(_("Bundled software and fonts, and their licences"))
        self.model.retranslate()
        self.copy.setText(_("&Copy details"))

    def copy_details(self) -> str:
        text = "\n".join(about_lines(self.info))
        QGuiApplication.clipboard().setText(text)
        return text


def open_about(parent: QWidget, read: Callable[[], About], language) -> AboutDialog:
    """Read the facts now (the store's size changes while the app runs), then show them."""
    dialog = AboutDialog(read(), parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    follow = lambda _locale: dialog.retranslate()   # noqa: E731 - kept to disconnect it
    language.changed.connect(follow)
    dialog.finished.connect(lambda _r: language.changed.disconnect(follow))
    dialog.open()
    return dialog
