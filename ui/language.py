"""Switching the language while the app runs: desk's gettext, Qt's own strings, and a signal
every window listens to so it can ``retranslate()``."""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator, Signal

from desk.i18n import LOCALES, N_, _, get_locale, set_locale

LANGUAGE_NAMES = {"zh_TW": "繁體中文", "zh_CN": "简体中文", "en": "English"}
# Shown next to the native name so a clerk can find their way back from any language.
LANGUAGE_HINTS = {"zh_TW": N_("Traditional Chinese"), "zh_CN": N_("Simplified Chinese"),
                  "en": N_("English")}


def language_label(locale: str) -> str:
    return f"{LANGUAGE_NAMES[locale]} ({_(LANGUAGE_HINTS[locale])})"


class Language(QObject):
    """Owns the Qt translator; ``changed`` fires after the switch, with the new locale."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._translator: QTranslator | None = None

    @property
    def locale(self) -> str:
        return get_locale()

    def switch(self, locale: str) -> None:
        if locale not in LOCALES:
            raise ValueError(locale)
        set_locale(locale)
        self._install_qt(locale)
        app = QCoreApplication.instance()
        if hasattr(app, "setApplicationDisplayName"):   # the name every window title ends with
            app.setApplicationDisplayName(_("Complaint Desk"))
        QLocale.setDefault(QLocale(locale.replace("_", "-") if locale != "en" else "en-US"))
        self.changed.emit(locale)

    def _install_qt(self, locale: str) -> None:
        app = QCoreApplication.instance()
        if app is None:
            return
        if self._translator is not None:
            app.removeTranslator(self._translator)
            self._translator = None
        if locale == "en":
            return
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{locale}", folder):
            app.installTranslator(translator)
            self._translator = translator
