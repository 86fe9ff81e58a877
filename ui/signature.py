"""The customer's signature on the screen: a pad that draws strokes from a pen tablet
(``QTabletEvent``, the line as thick as the pen is pressed) or a mouse, and the settlement
dialog around it -- the agreement printed in the customer's language, then signed on the
pad or on paper (the scan attached); ``desk`` keeps it and draws it into the PDFs."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (QColor, QImage, QMouseEvent, QPainter, QPaintEvent,
                           QPen, QTabletEvent)
from PySide6.QtWidgets import (QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                               QLabel, QLineEdit, QPushButton, QSizePolicy, QVBoxLayout,
                               QWidget)

from desk.errors import DomainError
from desk.i18n import _, format_money
from ui.errors import reported
from ui.widgets import EnterFormDialog, ErrorLabel

Point = tuple[float, float, float]   # x, y, pressure (0..1; a mouse presses at 0.5)
MOUSE_PRESSURE = 0.5


class SignaturePad(QWidget):
    """Strokes drawn with a pen tablet or a mouse; ``png()`` is what was signed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signature_pad")
        self.strokes: list[list[Point]] = []
        self._tablet_down = False
        self.setMinimumSize(QSize(480, 160))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)

    # --- input ---------------------------------------------------------------------------
    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen: its pressure sets the line's weight. Accepted, so Qt does not send the
        same movement again as mouse events."""
        kind = event.type()
        point = (event.position().x(), event.position().y(), max(0.05, event.pressure()))
        if kind == QTabletEvent.Type.TabletPress:
            self._tablet_down = True
            self.strokes.append([point])
        elif kind == QTabletEvent.Type.TabletMove and self._tablet_down and self.strokes:
            self.strokes[-1].append(point)
        elif kind == QTabletEvent.Type.TabletRelease:
            self._tablet_down = False
        event.accept()
        self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.strokes.append([self._mouse_point(event)])
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton and self.strokes:
            self.strokes[-1].append(self._mouse_point(event))
            self.update()

    @staticmethod
    def _mouse_point(event: QMouseEvent) -> Point:
        return (event.position().x(), event.position().y(), MOUSE_PRESSURE)

    def clear(self) -> None:
        self.strokes = []
        self.update()

    def is_empty(self) -> bool:
        """Nothing signed: no stroke, or only dots (a tap is not a signature)."""
        return not any(len(stroke) > 1 for stroke in self.strokes)

    # --- drawing -------------------------------------------------------------------------
    def _draw(self, painter: QPainter, scale: float = 1.0) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self.strokes:
            if len(stroke) == 1:
                x, y, p = stroke[0]
                painter.setPen(QPen(QColor("#10204a"), 1.5 + 3 * p * scale))
                painter.drawPoint(QPointF(x * scale, y * scale))
            for (x0, y0, p0), (x1, y1, p1) in zip(stroke, stroke[1:]):
                pen = QPen(QColor("#10204a"), (1.0 + 3.5 * (p0 + p1) / 2) * scale)
                pen.setCapStyle(Qt.PenCapStyle.RoundCap)
                painter.setPen(pen)
                painter.drawLine(QPointF(x0 * scale, y0 * scale), QPointF(x1 * scale, y1 * scale))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setPen(QPen(QColor("#8a8a8a"), 1, Qt.PenStyle.DashLine))
        baseline = self.height() * 0.78
        painter.drawLine(QPointF(12, baseline), QPointF(self.width() - 12, baseline))
        painter.drawText(QRectF(12, baseline + 4, self.width() - 24, 20),
                         Qt.AlignmentFlag.AlignLeft, _("Sign above the line"))
        self._draw(painter)
        painter.end()

    def png(self, scale: float = 2.0) -> bytes:
        """The strokes on a transparent image, cut to what was drawn (with a margin) and
        twice the screen's size, so the signature fills its box on paper and stays sharp."""
        points = [(x, y) for stroke in self.strokes for x, y, _p in stroke] or [(0, 0)]
        margin = 12
        left = max(0.0, min(x for x, _y in points) - margin)
        top = max(0.0, min(y for _x, y in points) - margin)
        right = min(float(self.width()), max(x for x, _y in points) + margin)
        bottom = min(float(self.height()), max(y for _x, y in points) + margin)
        image = QImage(max(1, int((right - left) * scale)), max(1, int((bottom - top) * scale)),
                       QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.translate(-left * scale, -top * scale)
        self._draw(painter, scale)
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())


class SettlementDialog(EnterFormDialog):
    """Print the agreement (in the customer's language) and take the customer's signature:
    on the pad, or as a scan of the signed paper. ``result_value`` is the updated case."""

    def __init__(self, desk, case, parent: QWidget | None = None, *,
                 save_pdf=None, choose_scan=None) -> None:
        super().__init__(parent)
        from desk.app.money import Money
        self.setObjectName("settlement_dialog")
        self.desk, self.case = desk, case
        self.money = Money.of_desk(desk)
        self.result_value = None
        # Where files go and come from: the file dialogs, unless a caller (a test) says.
        self.save_pdf = save_pdf or self._ask_where_to_save
        self.choose_scan = choose_scan or self._ask_for_scan
        self.setWindowTitle(_("Settlement: {case_no}").format(case_no=case.case_no))
        layout = QVBoxLayout(self)
        total = format_money(case.paid_total, desk.policy.currency)
        intro = QLabel(_("The customer accepted {total}. Print the agreement in the customer's "
                         "language, then let them sign on the pad with the pen (or the mouse), "
                         "or attach a scan of the signed paper.").format(total=total))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for settled in self._prior():
            warn = QLabel(settled, objectName="settled_before")
            warn.setWordWrap(True)
            warn.setStyleSheet("font-weight: bold; color: #8a1c1c")
            layout.addWidget(warn)
        form = QFormLayout()
        self.signer = QLineEdit(case.customer_name, objectName="settlement_signer")
        self.terms = QLineEdit(objectName="settlement_terms")
        form.addRow(_("Signed by (the customer's name)"), self.signer)
        form.addRow(_("Further terms (optional)"), self.terms)
        layout.addLayout(form)
        self.pad = SignaturePad(self)
        layout.addWidget(self.pad, 1)
        row = QHBoxLayout()
        self.print_button = QPushButton(_("&Print the agreement…"),
                                        objectName="settlement_print")
        self.clear_button = QPushButton(_("C&lear the pad"), objectName="settlement_clear")
        self.scan_button = QPushButton(_("Signed on p&aper: attach the scan…"),
                                       objectName="settlement_scan")
        self.print_button.clicked.connect(self.print_agreement)
        self.clear_button.clicked.connect(self.pad.clear)
        self.scan_button.clicked.connect(self.attach_scan)
        for button in (self.print_button, self.clear_button, self.scan_button):
            row.addWidget(button)
        layout.addLayout(row)
        self.error = ErrorLabel("settlement")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok |
                                   QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(_("&Save the signature"))
        self.ok.setObjectName("settlement_save")
        buttons.accepted.connect(self.save_drawn)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(720, 560)

    def _prior(self) -> list[str]:
        with reported(self):
            proposal = self.money.not_accept_proposal(self.case.case_no)
            if proposal:
                return [proposal[1]]
        return []

    def submit_by_enter(self) -> None:
        """Enter never signs for the customer: the Save button does."""

    def _ask_where_to_save(self, suggested: str) -> Path | None:
        path, _f = QFileDialog.getSaveFileName(self, _("Save the agreement"), suggested,
                                               _("PDF files (*.pdf)"))
        return Path(path) if path else None

    def _ask_for_scan(self) -> Path | None:
        path, _f = QFileDialog.getOpenFileName(self, _("The scan of the signed agreement"), "",
                                               _("Scans (*.pdf *.png *.jpg *.jpeg)"))
        return Path(path) if path else None

    def print_agreement(self) -> Path | None:
        with reported(self) as failed:
            pdf = self.money.agreement_pdf(self.case.case_no)
            target = self.save_pdf(f"{self.case.case_no}-agreement.pdf")
            if target is not None:
                target.write_bytes(pdf)
        return None if failed else target

    def _record(self, method: str, data: bytes, name: str) -> None:
        self.error.show_message("")
        try:
            self.result_value = self.money.sign_settlement(
                self.case.case_no, self.signer.text(), method, data, name=name,
                terms=self.terms.text())
        except DomainError as exc:
            self.error.show_message(str(exc))
            return
        self.accept()

    def save_drawn(self) -> None:
        if self.pad.is_empty():
            self.error.show_message(_("The customer has not signed on the pad yet."))
            return
        with reported(self):
            self._record("screen", self.pad.png(), "signature.png")

    def attach_scan(self) -> None:
        path = self.choose_scan()
        if path is None:
            return
        with reported(self):
            self._record("paper", Path(path).read_bytes(), Path(path).name)


__all__ = ["SettlementDialog", "SignaturePad"]
