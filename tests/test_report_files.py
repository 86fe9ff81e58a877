"""The report as PDF (embedded font, charts, the tables), XLSX and CSV, from the same numbers."""
from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desk.i18n import set_locale
from desk.reports.files import write_report
from desk.reports.pdf import render_report
from desk.reports.stats import week_stats
from desk.errors import ValidationError
from tests.review_support import at, make_case

NOW = at("2026-11-22", "23:00")


@pytest.fixture
def stats(store, policy, team):
    make_case(store, policy, team.clerk, at("2026-11-16", "10:00"), stage="closed",
              closer=team.supervisor, subject_name="好鞋坊", phone="0911111111",
              offer=("voucher", "300", ["V100"]), name="李大華")
    make_case(store, policy, team.clerk, at("2026-11-17", "11:00"), subject_name="好鞋坊",
              phone="0911111111", name="李大華", resolve_after=timedelta(hours=2))
    make_case(store, policy, team.clerk2, at("2026-11-18", "12:00"), desk="B", severity=3,
              category="tenant", subject_name="=HYPERLINK(\"x\")", stage="in_progress")
    with store.read() as s:
        return week_stats(s, policy, date(2026, 11, 16), now=NOW)


def test_the_pdf_embeds_its_font_and_shows_the_tables(stats, policy):
    set_locale("zh_TW")
    pdf = render_report(stats, policy)
    reader = PdfReader(io.BytesIO(pdf))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("好鞋坊", "V100", "NT$300", "2026"):
        assert expected in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                fonts.add(any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")))
    assert fonts == {True}          # every font the report uses is embedded


def test_english_pdf(stats, policy):
    pdf = render_report(stats, policy, locale="en")
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Weekly complaint statistics" in text and "Cases received" in text


def test_xlsx_and_csv_carry_the_same_numbers(stats, policy, tmp_path):
    set_locale("en")
    [xlsx] = write_report(stats, policy, tmp_path / "week.xlsx")
    wb = load_workbook(xlsx)
    assert {"summary", "category", "vouchers", "chargebacks"} <= set(wb.sheetnames)
    vouchers = list(wb["vouchers"].iter_rows(min_row=3, values_only=True))
    assert vouchers[0][0] == "V100" and vouchers[0][2] == 300
    status = {row[0]: row[1] for row in wb["status"].iter_rows(min_row=3, values_only=True)}
    assert status == {"In progress": 1, "Resolved": 1, "Closed": 1}
    files = write_report(stats, policy, tmp_path / "week.csv")
    by_name = {p.name: p for p in files}
    with by_name["week-subject.csv"].open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["Subject", "Cases", "Share"]
    assert ["好鞋坊", "2", "0.6667"] in rows
    assert any(r[0].startswith("'=") for r in rows[1:])      # no formula injection
    with by_name["week-compensation.csv"].open(encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh))[-1] == ["Total", "1", "300.00"]
    assert Decimal(stats.compensation_total) == Decimal("300")


def test_a_report_file_needs_a_known_suffix(stats, policy, tmp_path):
    with pytest.raises(ValidationError):
        write_report(stats, policy, tmp_path / "week.doc")


def test_an_empty_week_still_makes_a_report(store, policy, team):
    with store.read() as s:
        empty = week_stats(s, policy, date(2030, 1, 1), now=NOW)
    assert empty.total == 0
    assert render_report(empty, policy, locale="en").startswith(b"%PDF")
