"""Long work off the UI thread (printing many forms, exporting) with a progress dialog, so
the window never freezes."""
from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from desk.i18n import _
from ui.errors import explain


class JobSignals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(str)


class Job(QRunnable):
    """Runs ``step(item)`` for each item on a pool thread; stops early when cancelled.
    ``finished`` carries the list of step results; ``failed`` a plain message."""

    alive: set["Job"] = set()

    def __init__(self, items: Iterable, step: Callable[[object], object]) -> None:
        super().__init__()
        self.items = list(items)
        self.step = step
        self.signals = JobSignals()
        self.cancelled = False
        self.setAutoDelete(False)

    def run(self) -> None:
        results = []
        total = len(self.items)
        try:
            for done, item in enumerate(self.items, start=1):
                if self.cancelled:
                    break
                results.append(self.step(item))
                self.signals.progress.emit(done, total)
        except Exception as exc:  # a plain message, or a crash report and where it is
            self.signals.failed.emit(explain(exc))
            return
        self.signals.finished.emit(results)


def start_with_progress(parent: QWidget, title: str, items: Iterable,
                        step: Callable[[object], object],
                        pool: QThreadPool | None = None) -> tuple[Job, QProgressDialog]:
    """Start the job and show a cancellable progress dialog that closes when it ends."""
    job = Job(items, step)
    dialog = QProgressDialog(title, _("Cancel"), 0, max(1, len(job.items)), parent)
    dialog.setObjectName("progress_dialog")
    dialog.setWindowTitle(title)
    dialog.setMinimumDuration(300)
    dialog.setAutoClose(True)
    dialog.canceled.connect(lambda: setattr(job, "cancelled", True))
    job.signals.progress.connect(lambda done, _total: dialog.setValue(done))
    job.signals.finished.connect(lambda _r: dialog.reset())
    job.signals.failed.connect(lambda _m: dialog.reset())
    Job.alive.add(job)  # a Python runnable must outlive its run on the pool thread
    job.signals.finished.connect(lambda _r: Job.alive.discard(job))
    job.signals.failed.connect(lambda _m: Job.alive.discard(job))
    (pool or QThreadPool.globalInstance()).start(job)
    return job, dialog
