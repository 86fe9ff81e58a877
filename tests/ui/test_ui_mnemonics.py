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


# The windows are walked in English with the fit check (tests/ui/test_ui_fit.py). A
# translation that keeps its msgid's letter ("櫃檯(&C)" for "&Counter") keeps that walk true
# in every language, which this checks over the catalogs and the messages still pending.
def test_translations_keep_their_alt_letter():
    import json
    from pathlib import Path

    from babel.messages.pofile import read_po
    root = Path(__file__).resolve().parents[2] / "i18n"
    wrong = []
    for locale in ("zh_TW", "zh_CN"):
        with open(root / locale / "LC_MESSAGES" / "desk.po", "rb") as po:
            pairs = [(m.id, m.string) for m in read_po(po) if isinstance(m.id, str)]
        for pending in sorted((root / "pending").glob("*.json")):
            pairs += [(msgid, texts.get(locale, "")) for msgid, texts in
                      json.loads(pending.read_text(encoding="utf-8")).items()]
        wrong += [f"{locale}: {msgid!r} -> {text!r}" for msgid, text in pairs
                  if text and mnemonic(msgid) and mnemonic(text) != mnemonic(msgid)]
    assert not wrong, "\n".join(wrong)
