"""The report's tables written for a spreadsheet: CSV (one UTF-8 file per table) or XLSX
(one sheet per table), values kept typed so they sum, times in the desk's zone, and a cell
that would be a formula kept as text."""
from __future__ import annotations

import csv
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from desk.policy import Policy
from desk.private_files import open_private
from desk.reports.tables import DURATION, MONEY, SHARE, TEXT, TIME, Table


def _plain(value: object, kind: str, policy: Policy) -> object:
    """A value as a spreadsheet wants it: numbers stay numbers, times in the desk's zone."""
    if value is None:
        return None
    if kind == MONEY:
        return Decimal(value)
    if kind == SHARE:
        return round(value, 4)
    if kind == DURATION:
        return round(value.total_seconds() / 3600, 2)
    if isinstance(value, datetime):
        return value.astimezone(policy.tz).replace(tzinfo=None)
    return value


_SAFE = re.compile(r"[^A-Za-z0-9_-]+")


def write_csv(tables: list[Table], out: Path, policy: Policy) -> list[Path]:
    """One UTF-8 (with BOM, so Excel reads Chinese) CSV per table: ``<stem>-<table>.csv``."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    written = []
    for table in tables:
        path = out.with_name(f"{out.stem}-{_SAFE.sub('_', table.key)}.csv")
        with open_private(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([c.title for c in table.columns])
            for row in table.rows:
                writer.writerow(["" if v is None else _csv(_plain(v, c.kind, policy))
                                 for v, c in zip(row, table.columns)])
        written.append(path)
    return written


def _csv(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    # A cell starting with = + - @ is a formula to a spreadsheet: keep it text.
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@"):
        return "'" + text
    return value


def write_xlsx(tables: list[Table], out: Path, policy: Policy, title: str = "") -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for table in tables:
        name = _SAFE.sub("_", table.key)[:31]
        while name in used:
            name = name[:28] + f"_{len(used)}"
        used.add(name)
        ws = wb.create_sheet(name)
        ws.append([table.title])
        ws["A1"].font = Font(bold=True)
        ws.append([c.title for c in table.columns])
        for cell in ws[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            ws.append([_xlsx(_plain(v, c.kind, policy)) for v, c in zip(row, table.columns)])
        for i, column in enumerate(table.columns, start=1):
            letter = get_column_letter(i)
            fmt = {MONEY: "#,##0.00", SHARE: "0.0%", TIME: "yyyy-mm-dd hh:mm"}.get(column.kind)
            if fmt:
                for cell in ws[letter][2:]:
                    cell.number_format = fmt
            ws.column_dimensions[letter].width = 14 if column.kind != TEXT else 28
    wb.properties.title = title
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open_private(out) as fh:     # customers' details: the owner's eyes only
        wb.save(fh)
    return out


def _xlsx(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str) and value[:1] == "=":
        return "'" + value
    return value
