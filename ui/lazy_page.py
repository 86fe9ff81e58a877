"""A tab page whose panel is built the first time it is needed (shown, or asked for)."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    """Holds the place of a panel in a tab widget. The case list and a case in full cost
    tens of milliseconds to import and build, and a clerk starting the counter app wants the
    intake form first; ``panel()`` builds it on the first call and returns it after."""

    def __init__(self, build: Callable[[], QWidget], object_name: str) -> None:
        super().__init__(objectName=object_name)
        self._build = build
        self._panel: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> QWidget | None:
        """The panel if it exists already, without building it."""
        return self._panel

    def panel(self) -> QWidget:
        if self._panel is None:
            self._panel = self._build()
            self.layout().addWidget(self._panel)
            self._panel.show()   # a child added to a shown page is not shown by itself
        return self._panel
