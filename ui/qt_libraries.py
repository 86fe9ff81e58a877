"""Before Qt starts on a Linux desktop: are the system libraries its X11 (xcb) screen needs
there? Qt's own abort names only the first it misses ("xcb-cursor0"), often not the real
gap; this names every missing one and the one apt line that installs them all."""
from __future__ import annotations

import os
import sys

# library name for find_library -> the Debian/Ubuntu package that ships it
XCB_LIBRARIES = {
    "EGL": "libegl1", "GL": "libgl1", "OpenGL": "libopengl0", "fontconfig": "libfontconfig1",
    "dbus-1": "libdbus-1-3", "xkbcommon": "libxkbcommon0",
    "xkbcommon-x11": "libxkbcommon-x11-0", "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4", "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0", "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0", "xcb-xinerama": "libxcb-xinerama0",
    "xcb-randr": "libxcb-randr0", "xcb-xkb": "libxcb-xkb1", "X11-xcb": "libx11-xcb1",
}
APT_LINE = "sudo apt install " + " ".join(sorted(set(XCB_LIBRARIES.values())))


def uses_xcb(environ=os.environ, platform: str = sys.platform) -> bool:
    """Whether Qt will open an X11 screen: Linux, a display, and no other platform chosen
    (offscreen for headless runs, wayland)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith("xcb"):
        return False
    return bool(environ.get("DISPLAY")) or chosen.startswith("xcb")


def missing_libraries(find=None) -> list[str]:
    """The Debian packages of the libraries ``find`` cannot find, in a stable order."""
    if find is None:
        import ctypes.util   # here: only a Linux desktop start needs it (subprocess and all)
        find = ctypes.util.find_library
    return sorted({package for name, package in XCB_LIBRARIES.items() if not find(name)})


def missing_message(packages: list[str]) -> str:
    from desk.i18n import _
    return _("Complaint Desk cannot open its window: this PC lacks system libraries the "
             "screen needs ({packages}). Install them with:\n  {command}\nor run without "
             "a screen with QT_QPA_PLATFORM=offscreen (the desk command needs none).").format(
        packages=", ".join(packages), command=APT_LINE)


def check_before_qt(environ=os.environ, platform: str = sys.platform,
                    find=None) -> str | None:
    """The message to print instead of starting Qt, or None when all is there."""
    if not uses_xcb(environ, platform):
        return None
    packages = missing_libraries(find)
    return missing_message(packages) if packages else None
