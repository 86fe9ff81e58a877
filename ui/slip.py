"""Printing the customer's acknowledgement slip in one keystroke (Ctrl+Shift+P after saving):
on this PC's receipt printer when one is set (ESC/POS, Settings), else on the system's
printer as a PDF page of the slip's own size (80 mm receipt paper, or A4)."""
from __future__ import annotations

from PySide6.QtCore import QMarginsF, QObject, QSizeF, Signal
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter

from desk.app.promises import Promises
from desk.i18n import _
from ui.errors import reported

SLIP_PAPERS = {"receipt": "80 mm receipt paper", "a4": "A4"}


class SlipPrinter(QObject):
    """``printed`` carries the case number and the PDF (empty for a receipt printer).
    ``printer_factory`` makes the QPrinter for a PDF slip (tests give one writing a file)."""

    printed = Signal(str, bytes)

    def __init__(self, desk, settings, printer_factory=None, parent=None) -> None:
        super().__init__(parent)
        self.door = Promises.of_desk(desk)
        self.settings = settings
        self.printer_factory = printer_factory or (
            lambda: QPrinter(QPrinter.PrinterMode.HighResolution))

    def print_slip(self, case_no: str, locale: str, parent=None) -> bool:
        with reported(parent):
            target = self.settings.receipt_printer()
            if target:
                self.door.slip_escpos(case_no, target, locale=locale)
                self.printed.emit(case_no, b"")
                return True
            pdf = self.door.slip_pdf(case_no, locale=locale, paper=self.settings.slip_paper())
            self._to_printer(pdf)
            self.printed.emit(case_no, pdf)
            return True
        return False

    def _to_printer(self, pdf: bytes) -> None:
        from ui.print_preview import load_pdf, print_pdf   # QtPdf loads on the first print
        document = load_pdf(pdf)
        size = document.pagePointSize(0)
        printer = self.printer_factory()
        printer.setPageLayout(QPageLayout(
            QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point,
                      _("Slip"), QPageSize.SizeMatchPolicy.ExactMatch),
            QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
        printer.setFullPage(True)
        print_pdf(pdf, printer)


__all__ = ["SLIP_PAPERS", "SlipPrinter"]
