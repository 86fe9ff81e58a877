"""Writing a report to the file a person chose: PDF, XLSX or CSV by the file's suffix."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from desk.errors import N_, ValidationError
from desk.policy import Policy
from desk.reports.stats import Stats

SUFFIXES = (".pdf", ".xlsx", ".csv")


def write_report(stats: Stats, policy: Policy, out: Path, *, mall_name: str | None = None,
                 locale: str | None = None) -> list[Path]:
    """Write ``out`` (a CSV name becomes one file per table beside it); returns the files."""
    from desk.i18n import using_locale
    from desk.reports import table_files
    from desk.reports import tables as tb

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in SUFFIXES:
        raise ValidationError(N_("the report file must end in .pdf, .xlsx or .csv, not {value}"),
                              field="document", value=out.name[-40:])
    if suffix == ".pdf":
        from desk.reports.pdf import render_report
        data = render_report(stats, policy, locale=locale, mall_name=mall_name)
        _atomic_write(out, data)
        return [out]
    with using_locale(locale):
        from desk.reports.pattern_tables import pattern_tables
        tables = tb.build_tables(stats, policy) + pattern_tables(stats, policy)
        if suffix == ".xlsx":
            return [table_files.write_xlsx(tables, out, policy, tb.title_of(stats))]
        return table_files.write_csv(tables, out, policy)


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
