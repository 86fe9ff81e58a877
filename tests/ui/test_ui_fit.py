"""Every window fits a 1366×768 screen at 100% and a 1920×1080 screen at 150% (1280×720
logical pixels), less the taskbar and the title bar: its layout's minimum fits, and shown at
that size every button lies inside the window, unclipped (a button in a scroll area is
reached by scrolling and is left out). The same windows are walked for Alt+letter clashes."""
from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QScrollArea

from tests.ui.test_ui_mnemonics import clashes_in
from tests.ui.windows_support import all_windows

# Logical pixels left for a window: the screen less a 40 px taskbar and a 30 px title bar.
SCREENS = {"1366x768@100%": (1366, 768 - 70), "1920x1080@150%": (1280, 720 - 70)}


def clipped_buttons(top) -> list[str]:
    """Buttons shown in ``top`` whose rectangle leaves the window or a parent's."""
    bad = []
    frame = QRect(0, 0, top.width(), top.height())
    for button in top.findChildren(QAbstractButton):
        if not button.isVisibleTo(top) or button.window() is not top:
            continue
        parent, scrolled = button.parentWidget(), False
        while parent is not None and parent is not top:
            if isinstance(parent, QScrollArea):
                scrolled = True
                break
            parent = parent.parentWidget()
        if scrolled:
            continue
        rect = QRect(button.mapTo(top, button.rect().topLeft()), button.size())
        inside = frame.contains(rect)
        parent = button.parentWidget()
        while inside and parent is not None and parent is not top:
            box = QRect(parent.mapTo(top, parent.rect().topLeft()), parent.size())
            inside = box.contains(rect)
            parent = parent.parentWidget()
        if not inside:
            bad.append(f"{button.objectName() or button.text()!r} at {rect.getRect()}")
    return bad


def test_every_window_fits_both_screens_and_no_mnemonic_is_taken_twice(window, qtbot,
                                                                      language):
    problems = []
    windows = all_windows(window, qtbot, language)
    for name, top in windows.items():
        for screen, (width, height) in SCREENS.items():
            need = top.minimumSizeHint().expandedTo(top.minimumSize())
            if need.width() > width or need.height() > height:
                problems.append(f"{name} on {screen}: needs {need.width()}×{need.height()}")
            top.resize(min(top.width(), width), min(top.height(), height))
            top.show()
            QApplication.processEvents()
            if top.width() > width or top.height() > height:
                problems.append(f"{name} on {screen}: shown at {top.width()}×{top.height()}")
            problems += [f"{name} on {screen}: {b}" for b in clipped_buttons(top)]
            if top is not window:
                top.hide()
    assert not problems, "\n".join(problems)
    clashes = clashes_in(windows, window)          # in English (zh_CN: its own test)
    assert not clashes, "\n".join(clashes)
