"""Every control a person can reach has an accessible name (what a screen reader says), and
the fields whose meaning a name alone does not carry have a description: the widget tree of
each window walked through Qt's accessibility interface."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSpinBox,
                               QApplication, QComboBox, QLineEdit, QPlainTextEdit, QTabBar,
                               QTextEdit, QWidget)

from tests.ui.windows_support import all_windows

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QTextEdit, QComboBox,
            QAbstractSpinBox, QAbstractItemView, QTabBar)


def unnamed(top: QWidget) -> list[str]:
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, CONTROLS) or widget.window() is not top:
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(
                widget, QAbstractButton):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox,
                                                                          QAbstractSpinBox)):
            continue                                 # the combo's or spin box's own editor
        if widget.objectName() == "qt_tableview_cornerbutton" or (
                isinstance(widget, QAbstractButton) and not widget.isVisibleTo(top)):
            continue                                 # Qt's own corner, or nothing to reach
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
        hint = widget.placeholderText() if isinstance(widget, (QLineEdit, QPlainTextEdit)) \
            else ""
        if hint and not widget.accessibleDescription():   # the hint, not only on screen
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} (description)")
    return missing


def test_every_control_has_an_accessible_name(window, qtbot, language):
    problems = []
    for name, top in all_windows(window, qtbot, language).items():
        top.show()
        QApplication.processEvents()
        problems += [f"{name}: {m}" for m in unnamed(top)]
        if top is not window:
            top.hide()
    assert not problems, f"{len(problems)} unnamed:\n" + "\n".join(problems)
