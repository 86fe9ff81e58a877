"""No two controls shown together in a window answer the same Alt+letter: every label,
button, tab and menu title's &-mnemonic is walked, in each language, page by page."""
from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtWidgets import (QAbstractButton, QApplication, QGroupBox, QLabel, QMainWindow,
                               QTabWidget, QWidget)


MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).upper() if found else None


def shown_mnemonics(top: QWidget) -> dict[str, list[str]]:
    """Alt+letter -> the texts that take it, among what ``top`` shows now."""
    taken: dict[str, list[str]] = defaultdict(list)

    def take(text: str) -> None:
        key = mnemonic(text)
        if key:
            taken[key].append(text)
    if isinstance(top, QMainWindow):
        for action in top.menuBar().actions():
            take(action.text())
    for widget in top.findChildren(QWidget):
        if widget.window() is not top or not widget.isVisibleTo(top):
            continue
        if isinstance(widget, QLabel) and widget.buddy() is not None:
            take(widget.text())
        elif isinstance(widget, QAbstractButton):
            take(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            take(widget.title())
        elif isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                take(widget.tabText(i))
    return taken


def pages(top: QWidget):
    """Each state worth walking: every page of every tab widget in turn."""
    yield "as opened"
    for tabs in top.findChildren(QTabWidget):
        if tabs.window() is not top:
            continue
        for i in range(tabs.count()):
            tabs.setCurrentIndex(i)
            QApplication.processEvents()
            yield f"{tabs.objectName()} page {i}"
        tabs.setCurrentIndex(0)


def clashes_in(windows: dict, main) -> list[str]:
    clashes = []
    for name, top in windows.items():
        top.show()
        QApplication.processEvents()
        for page in pages(top):
            for key, texts in shown_mnemonics(top).items():
                if len(texts) > 1:
                    clashes.append(f"{name} ({page}): Alt+{key} for {texts}")
        if top is not main:
            top.hide()
    return sorted(set(clashes))


# English is walked with the fit check (tests/ui/test_ui_fit.py) on the same windows; a
# translation may take another letter ("內容(&X)" for "&Text"), so Chinese is walked too.
def test_no_mnemonic_is_taken_twice_in_chinese(window, qtbot, language):
    from tests.ui.windows_support import all_windows
    language.switch("zh_CN")
    clashes = clashes_in(all_windows(window, qtbot, language), window)
    assert not clashes, "\n".join(clashes)
