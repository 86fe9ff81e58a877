"""The intake's suggestions from the complaint text: category, content class, degree and
severity as the clerk types, a red warning when an escalation-risk word appears, and one
button that fills in only the fields the clerk has not chosen.

The segmenter and the store's lexicon are made ready on a pool thread at the first
keystroke of a complaint once the store is open (about half a second, never at start-up);
from then on a suggestion takes a fraction of a millisecond on the UI thread.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desk.enums import ContentClass, Degree, Level, policy_label
from desk.i18n import _, get_locale

log = logging.getLogger(__name__)
SEVERITY_STARS = {1: "★", 2: "★★", 3: "★★★"}


def _list_of(words) -> str:
    """Words as a list is written: 記者、律師 in Chinese, "reporter, lawyer" in English."""
    return ("、" if get_locale().startswith("zh") else ", ").join(words)


class _ReadySignals(QObject):
    ready = Signal(object)     # the matcher
    failed = Signal(str)


class _Prepare(QRunnable):
    """Loads the store's lexicon and the segmenter off the UI thread."""

    def __init__(self, load_lexicon) -> None:
        super().__init__()
        self.load_lexicon = load_lexicon
        self.signals = _ReadySignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            from desk.classify import matcher_for, prepare
            prepare()
            self.signals.ready.emit(matcher_for(self.load_lexicon()))
        except Exception as exc:   # suggestions are a help: the form works without them
            log.warning("suggestions unavailable: %s", exc)
            self.signals.failed.emit(str(exc))


class SuggestionPanel(QWidget):
    """Shows what the text suggests; ``use_requested`` carries the ``Suggestion`` when the
    clerk presses the button (the form decides which fields it may fill)."""

    use_requested = Signal(object)

    def __init__(self, load_lexicon, parent: QWidget | None = None, delay_ms: int = 250,
                 pool: QThreadPool | None = None, may_start=lambda: True) -> None:
        super().__init__(parent)
        self.setObjectName("suggestion_panel")
        self.load_lexicon = load_lexicon
        self.may_start = may_start
        self.pool = pool or QThreadPool.globalInstance()
        self.matcher = None
        self.suggestion = None
        self._job: _Prepare | None = None
        self._text = ""
        self._timer = QTimer(self, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.refresh)
        self.summary = QLabel(objectName="suggestion_summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color:#33507A;")
        self.use_button = QPushButton(objectName="use_suggestion")
        self.use_button.clicked.connect(self._use)
        self.risk = QLabel(objectName="risk_warning")
        self.risk.setWordWrap(True)
        self.risk.setStyleSheet("background:#FDECEA;color:#B00020;border:1px solid #B00020;"
                                "border-radius:4px;padding:3px 6px;font-weight:bold;")
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.summary, 1)
        row.addWidget(self.use_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.risk)
        self.retranslate()
        self._show()

    @property
    def ready(self) -> bool:
        return self.matcher is not None

    def set_text(self, text: str) -> None:
        """The complaint changed: suggest again shortly (once the clerk pauses)."""
        self._text = text
        if text.strip():
            self.warm_up()
        self._timer.start()

    def warm_up(self) -> None:
        """Start loading the segmenter and the lexicon (the form calls this when the clerk
        starts a complaint, so they are ready by the time the complaint is typed)."""
        # Not while the store is still opening: the segmenter would compete with the
        # store's own loading for the CPU at start-up; a later keystroke starts it.
        if self.matcher is None and self._job is None and self.may_start():
            self._job = _Prepare(self.load_lexicon)
            self._job.signals.ready.connect(self._prepared)
            self._job.signals.failed.connect(self._not_prepared)
            self.pool.start(self._job)

    def _not_prepared(self, _message: str) -> None:
        self._job = None   # the store was still opening, say: the next keystroke tries again
        self._show()

    def _prepared(self, matcher) -> None:
        self.matcher = matcher
        self.refresh()

    def refresh(self) -> None:
        if self.matcher is not None:
            self.suggestion = self.matcher.suggest(self._text) if self._text.strip() else None
        self._show()

    def retranslate(self) -> None:
        self.use_button.setText(_("Use suggestion (Alt+G)"))
        self.use_button.setShortcut("Alt+G")
        self._show()

    def _show(self) -> None:
        found = self.suggestion
        if found is None or found.category is None and found.content_class is None \
                and not found.escalation_risk:
            self.summary.setText("")
            self.use_button.hide()
            self.risk.hide()
            self.setVisible(False)
            return
        parts = []
        if found.category:
            parts.append(policy_label(found.category))
        if found.content_class:
            parts.append(ContentClass(found.content_class).label)
        if found.degree:
            parts.append(Degree(found.degree).label)
        if found.severity:
            parts.append(SEVERITY_STARS[found.severity])
        self.summary.setText(_("Suggested from the text: {parts}").format(
            parts=" · ".join(parts)))
        self.use_button.show()
        if found.escalation_risk:
            self.risk.setText(_("Escalation risk: the customer mentions {words}. Suggest {level} "
                                "and tell the supervisor now.").format(
                words=_list_of(found.risk_words), level=Level(found.level).label))
            self.risk.show()
        else:
            self.risk.hide()
        self.setVisible(True)

    def _use(self) -> None:
        if self.suggestion is not None:
            self.use_requested.emit(self.suggestion)
