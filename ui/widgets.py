"""Small pieces every panel uses: inline error labels, Enter-moves-on, labelled combos,
money display, and the SLA chip colours."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from decimal import Decimal

from datetime import datetime, timezone

from PySide6.QtCore import QDateTime, Qt, QTimeZone
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (QApplication, QComboBox, QDateTimeEdit, QDialog, QLabel, QLineEdit, QSizePolicy,
                               QWidget)

from desk.i18n import _, format_money

ERROR_STYLE = "color: #B00020;"
SLA_COLOURS = {"overdue": ("#C62828", "#FFFFFF"), "due_soon": ("#F9A825", "#000000"),
               "ok": ("#2E7D32", "#FFFFFF"), "done": ("#9E9E9E", "#FFFFFF")}


class ErrorLabel(QLabel):
    """Red text under a field; empty and hidden when the field is fine."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"error_{name}")
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def enter_moves_on(*widgets: QWidget) -> None:
    """Return/Enter in a one-line field moves to the next field, as on a paper form.
    (Signals and a combo subclass, not an event filter: a Python event filter sees every
    event of the widget and is both slower and fragile in PySide.)"""
    for widget in widgets:
        if isinstance(widget, QLineEdit):
            widget.returnPressed.connect(lambda w=widget: _next(w))
        elif isinstance(widget, ChoiceCombo):
            widget.enter_moves_on = True


def _next(widget: QWidget) -> None:
    window = widget.window()
    chain = widget.nextInFocusChain()
    while chain is not widget and not (chain.isEnabled() and chain.isVisible() and
                                       chain.focusPolicy() & Qt.FocusPolicy.TabFocus):
        chain = chain.nextInFocusChain()
    if chain is not widget and chain.window() is window:
        chain.setFocus(Qt.FocusReason.TabFocusReason)


class ChoiceCombo(QComboBox):
    """A combo of (key, label-function) pairs whose labels follow the language; the chosen
    key survives a retranslate."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._items: list[tuple[object, Callable[[], str]]] = []
        self.enter_moves_on = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.enter_moves_on and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            _next(self)
            return
        super().keyPressEvent(event)

    def set_choices(self, items: Iterable[tuple[object, Callable[[], str]]]) -> None:
        current = self.key()
        self._items = list(items)
        self.retranslate()
        if current is not None:
            self.set_key(current)

    def retranslate(self) -> None:
        """New labels, the same choice: kept by its key, never by its place or its words."""
        current = self.key()
        self.blockSignals(True)
        self.clear()
        for key, label in self._items:
            self.addItem(label(), key)
        index = self.findData(current) if current is not None else -1
        self.setCurrentIndex(index if index >= 0 else (0 if self.count() else -1))
        self.blockSignals(False)

    def key(self) -> object:
        return self.currentData() if self.currentIndex() >= 0 else None

    def set_key(self, key: object) -> bool:
        index = self.findData(key)
        if index >= 0:
            self.setCurrentIndex(index)
            return True
        return False


def to_qdatetime(value: datetime, zone: str) -> QDateTime:
    """An aware instant shown in the desk's zone (the policy's), whatever the PC's zone."""
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()), QTimeZone(zone.encode()))


def from_qdatetime(value: QDateTime) -> datetime:
    return datetime.fromtimestamp(value.toSecsSinceEpoch(), tz=timezone.utc)


def desk_time_edit(edit: QDateTimeEdit, zone: str) -> None:
    edit.setTimeZone(QTimeZone(zone.encode()))
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")


class EnterFormDialog(QDialog):
    """A dialog typed like a paper form: Enter moves to the next field, and in a submitting
    field (the PIN, the last one) submits once. A line edit passes Enter on to its dialog
    after handling it, so without this the default button would also fire on every Enter and
    send half-typed input (a wrong PIN counted twice)."""

    def submit_fields(self) -> tuple[QWidget, ...]:
        return ()

    def submit_by_enter(self) -> None:
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            focus = QApplication.focusWidget()
            if focus in self.submit_fields() or not isinstance(focus, QLineEdit):
                self.submit_by_enter()
            else:
                _next(focus)
            return
        super().keyPressEvent(event)


def fit_case_numbers(view, column: int, sample: str = "W-20261231-0000 #9") -> None:
    """The case-number column as wide as the longest number in the view's font: a number
    cut to "A-2026112…" is no use to anyone looking for it."""
    margin = 3 * view.style().pixelMetric(view.style().PixelMetric.PM_HeaderMargin) + 12
    view.setColumnWidth(column, view.fontMetrics().horizontalAdvance(sample) + margin)


def set_hint(field: QWidget, text: str) -> None:
    """The grey hint in an empty field, also given to screen readers (which do not read a
    placeholder) as the field's description."""
    field.setPlaceholderText(text)
    field.setAccessibleDescription(text)


def without_mnemonic(text: str) -> str:
    """A label's text with its Alt+letter taken out ("櫃檯(&C)" -> "櫃檯", "&Counter" ->
    "Counter"), for a place that has its own key (a tab reached by F2) so the letter stays
    free for the fields shown beside it."""
    text = re.sub(r"\s*[(（]&[^&\s][)）]", "", text)
    return re.sub(r"&(.)", r"\1", text)


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize to ``width``×``height`` or, on a smaller screen (1366×768, or 1080 lines at
    150%), to what the screen has left beside the taskbar and the title bar."""
    screen = widget.screen() or QApplication.primaryScreen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, room.width() - 16)
        height = min(height, room.height() - 40)
    widget.resize(max(width, 200), max(height, 150))


def money(amount: Decimal | int | None, currency: str) -> str:
    if amount is None:
        return _("unlimited")
    return format_money(amount, currency)


def chip_style(state: str) -> str:
    background, foreground = SLA_COLOURS.get(state, SLA_COLOURS["ok"])
    return (f"background: {background}; color: {foreground}; border-radius: 8px; "
            "padding: 1px 8px;")


def sla_colour(state: str) -> QColor:
    return QColor(SLA_COLOURS.get(state, SLA_COLOURS["ok"])[0])
