"""The customer's answer to an offer, confirmed with a way back: pressing "accepted" or
"refused" (or Ctrl+Shift+Y / Ctrl+Shift+N) shows what will be recorded with an Undo for a
few seconds; it is written when that time is up or the clerk moves on, whichever is first."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from desk.enums import Answer
from desk.i18n import _

UNDO_SECONDS = 6


class AnswerConfirm(QWidget):
    """A banner under the answer buttons. ``record(answer)`` writes the answer (the picker's
    ``answer``) and returns whether ``desk`` took it; ``recorded`` follows a write."""

    recorded = Signal(bool)

    def __init__(self, record: Callable[[str], bool], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("answer_confirm")
        self.record = record
        self.pending: str | None = None
        self.text = QLabel(objectName="answer_pending")
        self.text.setWordWrap(True)
        self.undo_button = QPushButton(objectName="answer_undo")
        self.undo_button.clicked.connect(self.undo)
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.text, 1)
        line.addWidget(self.undo_button)
        self.setStyleSheet("QWidget#answer_confirm { background: #FFF8E1; }")
        self._timer = QTimer(self, singleShot=True, interval=UNDO_SECONDS * 1000)
        self._timer.timeout.connect(self.commit)
        QShortcut(QKeySequence("Ctrl+Z"), self, self.undo).setEnabled(True)
        self.hide()
        self.retranslate()

    def retranslate(self) -> None:
        self.undo_button.setText(_("Undo (Ctrl+Z)"))
        self.undo_button.setAccessibleName(_("Undo the answer"))
        self._show()

    def stage(self, answer: str) -> None:
        """Show the answer about to be recorded; a different answer replaces it."""
        self.pending = answer
        self._timer.start()
        self._show()
        self.show()

    def _show(self) -> None:
        if self.pending is None:
            self.text.setText("")
            return
        self.text.setText(_("{answer}: recorded in {seconds} s unless you undo it.").format(
            answer=Answer(self.pending).label, seconds=UNDO_SECONDS))

    def undo(self) -> None:
        self._timer.stop()
        self.pending = None
        self._show()
        self.hide()

    def commit(self) -> bool:
        """Write the staged answer now (time up, or the clerk moved on)."""
        self._timer.stop()
        answer, self.pending = self.pending, None
        self.hide()
        if answer is None:
            return False
        done = self.record(answer)
        self.recorded.emit(done)
        return done
