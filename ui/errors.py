"""Plain messages for everything a person can cause, and a last-resort hook that logs the
rest to a file so no traceback ever reaches the screen."""
from __future__ import annotations

import errno
import logging
import sys
import traceback
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from PySide6.QtWidgets import QMessageBox, QWidget

from desk.crash import exception_name, write_report
from desk.errors import DomainError
from desk.i18n import _
from desk.paths import user_log_dir

log = logging.getLogger("ui")


def log_file() -> Path:
    return user_log_dir() / "complaint-desk.log"


def setup_logging() -> Path:
    # Imported here (with socket, queue, pickle): the usual start calls this once the
    # window shows (``ui.startup``), so the first frame does not wait for it.
    from logging.handlers import RotatingFileHandler
    path = log_file()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def plain_message(exc: BaseException) -> str:
    """One sentence in the clerk's language; never a traceback."""
    if isinstance(exc, DomainError):
        return str(exc)
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return _("The disk is full. Nothing was lost: free some space and try again.")
        if exc.errno in (errno.EACCES, errno.EPERM):
            return _("This file or folder may not be used: {path}").format(
                path=exc.filename or "")
        if exc.errno == errno.ENOENT:
            return _("The file was not found: {path}").format(path=exc.filename or "")
        return _("The file could not be used ({reason}). Nothing was lost.").format(
            reason=exc.strerror or exc)
    if _database_error(exc):
        text = str(getattr(exc, "orig", exc)).lower()
        if "full" in text:
            return _("The disk is full. Nothing was lost: free some space and try again.")
        if "locked" in text or "busy" in text:
            return _("Another desk is saving right now. Try again in a moment.")
        return _("The database cannot be reached (is its drive or network connected?). "
                 "Nothing was lost: check the connection and try again.")
    return _("Something went wrong and was written to the log ({path}). Nothing you saved "
             "was lost.").format(path=log_file())


def _database_error(exc: BaseException) -> bool:
    """SQLAlchemy loads with the store, after the window shows (so it is not imported here):
    an error raised before it loaded cannot be one of its errors."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.DBAPIError)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    if not isinstance(exc, DomainError):
        log.error("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    box = QMessageBox(QMessageBox.Icon.Warning, _("Complaint Desk"), plain_message(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("error_box")
    box.exec()


@contextmanager
def reported(parent: QWidget | None) -> Iterator[list]:
    """``with reported(self) as failed:`` shows what a person can fix and swallows it; the
    list gets the exception so the caller can tell it failed."""
    failed: list = []
    try:
        yield failed
    except Exception as exc:
        if not isinstance(exc, (DomainError, OSError)) and not _database_error(exc):
            raise
        failed.append(exc)
        show_error(parent, exc)


def install_excepthook(show: bool = True) -> None:
    """Anything unexpected writes a crash report (version and traceback, no values) to the
    user log folder; the clerk sees one plain line saying where it is. Nothing is sent."""
    def hook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        if value.__traceback__ is None:
            value = value.with_traceback(tb)
        report = write_report(value, "complaint-desk")
        log.error("unexpected error (%s), crash report: %s", exception_name(value), report)
        if show:
            try:
                from PySide6.QtWidgets import QApplication
                if QApplication.instance() is not None:
                    QMessageBox.warning(None, _("Complaint Desk"), crash_message(report))
            except Exception:  # the hook must never raise
                pass

    sys.excepthook = hook


def explain(exc: BaseException) -> str:
    """For work that cannot raise to the hook (a background job): what a person can fix in
    one plain line; anything else as a crash report and where it is."""
    if isinstance(exc, (DomainError, OSError)) or _database_error(exc):
        if not isinstance(exc, DomainError):
            log.error("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
        return plain_message(exc)
    report = write_report(exc, "complaint-desk")
    log.error("unexpected error (%s), crash report: %s", exception_name(exc), report)
    return crash_message(report)


def crash_message(report: Path | None) -> str:
    if report is None:
        return _("Something unexpected went wrong and no report could be written (is the "
                 "disk full?). Nothing you saved was lost.")
    return _("Something unexpected went wrong. A report for your IT support was written to "
             "{path} (it holds no customer data and was not sent anywhere). Nothing you saved "
             "was lost.").format(path=report)
