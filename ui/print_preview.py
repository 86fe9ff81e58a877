"""Preview the triplicate form in the app, print it through the system print dialog, save
the PDF, or open it in the system viewer. QtPdf renders the pages; ``desk`` makes the bytes
and records every print (a reprint is numbered as such)."""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (QDialog, QFileDialog, QHBoxLayout, QLabel, QPushButton,
                               QScrollArea, QVBoxLayout, QWidget)

from desk.i18n import _
from desk.paths import user_data_dir
from ui.errors import reported
from ui.widgets import fit_to_screen
from ui.session import Desk

log = logging.getLogger(__name__)


def load_pdf(data: bytes, parent=None) -> QPdfDocument:
    """A QPdfDocument over bytes held in memory (the buffer is parented to the document)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document


def render_pages(data: bytes, width: int) -> list[QImage]:
    """Each page as paper shows it: QtPdf leaves an unpainted (white) sheet transparent, which
    over the preview's grey backdrop would look like a dark grey page."""
    document = load_pdf(data)
    images = []
    for page in range(document.pageCount()):
        size = document.pagePointSize(page)
        height = int(width * size.height() / max(1.0, size.width()))
        sheet = QImage(width, height, QImage.Format.Format_RGB32)
        sheet.fill(Qt.GlobalColor.white)
        painter = QPainter(sheet)
        painter.drawImage(0, 0, document.render(page, QSize(width, height)))
        painter.end()
        images.append(sheet)
    return images


def print_pdf(data: bytes, printer: QPrinter) -> int:
    """Draw each page on the printer at its resolution; the number of pages printed."""
    document = load_pdf(data)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(_("the printer could not be started"))
    try:
        for page in range(document.pageCount()):
            if page:
                printer.newPage()
            target = painter.viewport()
            size = document.pagePointSize(page)
            scale = min(target.width() / size.width(), target.height() / size.height())
            pixels = QSize(int(size.width() * scale), int(size.height() * scale))
            painter.drawImage(0, 0, document.render(page, pixels))
    finally:
        painter.end()
    return document.pageCount()


class PrintPreviewDialog(QDialog):
    """Shows the pages; Print and Open in viewer (to print from there) record a print in
    ``desk``; Save PDF keeps a file and records nothing."""

    def __init__(self, desk: Desk, case_no: str, *, locale: str, paper: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("print_preview")
        self.desk, self.case_no, self.locale, self.paper = desk, case_no, locale, paper
        self.setWindowTitle(_("Print preview: {case_no}").format(case_no=case_no))
        self.pages = QVBoxLayout()
        inner = QWidget()
        inner.setLayout(self.pages)
        inner.setStyleSheet("background: #616161;")
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        self.info = QLabel(objectName="preview_info")
        self.print_button = QPushButton(_("&Print…"), objectName="preview_print")
        self.save_button = QPushButton(_("&Save PDF…"), objectName="preview_save")
        self.open_button = QPushButton(_("&Open in PDF viewer"), objectName="preview_open")
        close = QPushButton(_("Close"))
        self.print_button.clicked.connect(self.print_dialog)
        self.save_button.clicked.connect(self.choose_file)
        self.open_button.clicked.connect(self.open_external)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.save_button, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, 760, 900)
        self.page_count = 0
        self.saved_path: Path | None = None
        self.render_preview()

    def render_preview(self) -> None:
        data = self.desk.preview_pdf(self.case_no, locale=self.locale, paper=self.paper)
        while self.pages.count():
            item = self.pages.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        images = render_pages(data, 680)
        for image in images:
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.pages.addWidget(label)
        self.page_count = len(images)
        reprint = len(self.desk.detail(self.case_no).prints)
        self.info.setText(_("{pages} pages. This will be printed as reprint {n}.").format(
            pages=self.page_count, n=reprint) if reprint else
            _("{pages} pages: copy 1 for the handling unit, copy 2 for audit (via finance if a "
              "cost was paid), copy 3 for planning.").format(pages=self.page_count))

    def _record(self, deliver) -> bytes | None:
        with reported(self):
            return self.desk.print_case(self.case_no, locale=self.locale, paper=self.paper,
                                        deliver=deliver)
        return None

    def print_to(self, printer: QPrinter) -> bool:
        """Record the print and draw it on ``printer`` (the print dialog's or a PDF file's)."""
        return self._record(lambda pdf: print_pdf(pdf, printer)) is not None

    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and self.print_to(printer):
            self.render_preview()

    @staticmethod
    def _write(path: Path, pdf: bytes) -> None:
        partial = Path(str(path) + ".part")
        partial.write_bytes(pdf)
        partial.replace(path)

    def save_pdf(self, path: Path) -> bool:
        """A file, not paper: saved as the preview shows it and not counted as a print, so
        the first paper copy is not stamped as a reprint."""
        with reported(self):
            pdf = self.desk.preview_pdf(self.case_no, locale=self.locale, paper=self.paper)
            self._write(Path(path), pdf)
            self.saved_path = Path(path)
            return True
        return False

    def print_pdf_file(self, path: Path) -> bool:
        """A print through the system viewer: recorded, like the print dialog's."""
        if self._record(lambda pdf: self._write(Path(path), pdf)) is None:
            return False
        self.saved_path = Path(path)
        self.render_preview()
        return True

    def choose_file(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(self, _("Save the form as PDF"),
                                                    f"{self.case_no}.pdf", "PDF (*.pdf)")
        if name:
            self.save_pdf(Path(name))

    def open_external(self) -> None:
        """Fallback: hand the PDF to the system viewer."""
        folder = user_data_dir() / "prints"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.case_no}.pdf"
        if self.print_pdf_file(path):
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
