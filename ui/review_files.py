"""The review window's files: a day pack exported for a reviewer elsewhere, a reviewed pack
imported back, the day's or week's report saved as PDF, XLSX or CSV. A mixin of
``ui.review.ReviewWindow`` (its ``source``, ``day`` and ``desk``)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from desk.i18n import N_, _
from desk.packs import SUFFIX
from ui.errors import reported

PACK_FILTER = N_("Day packs (*{suffix})")


class ReviewFiles:
    def export_pack_dialog(self) -> None:
        name = f"{self.desk or 'all'}-{self.day.isoformat()}{SUFFIX}"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Export the day pack"), name, _(PACK_FILTER).format(suffix=SUFFIX))
        if path:
            self.export_pack(Path(path))

    def export_pack(self, path: Path) -> bool:
        with reported(self) as failed:
            summary = self.source.export_pack(self.day, self.desk, path)
        if failed:
            return False
        self.statusBar().showMessage(_("Wrote {path}: {count} cases").format(
            path=summary.path.name, count=summary.cases), 8000)
        return True

    def import_pack_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Import a reviewed day pack"), "", _(PACK_FILTER).format(suffix=SUFFIX))
        if path:
            self.import_pack(Path(path))

    def import_pack(self, path: Path, *, quiet: bool = False):
        with reported(self) as failed:
            report = self.source.import_pack(path)
        if failed:
            return None
        self.reload()
        if not quiet:
            QMessageBox.information(self, _("Day pack imported"), "\n".join(report.lines()))
        return report

    def report_dialog(self, kind: str) -> None:
        stem = f"{kind}-{self.day.isoformat()}"
        path, _filter = QFileDialog.getSaveFileName(
            self, _("Save the report"), stem + ".pdf",
            _("PDF (*.pdf);;Excel workbook (*.xlsx);;CSV (*.csv)"))
        if path:
            self.write_report(kind, Path(path))

    def write_report(self, kind: str, path: Path) -> list[Path]:
        with reported(self) as failed:
            files = self.source.write_report(kind, self.day, self.desk, path)
        if failed:
            return []
        self.statusBar().showMessage(_("Wrote {path}").format(path=files[0].name), 8000)
        return files


__all__ = ["PACK_FILTER", "ReviewFiles"]
