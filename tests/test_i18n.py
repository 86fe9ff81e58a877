"""Every message in all three catalogs; money and dates formatted for the counter."""
import sys
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from desk import i18n
from desk.errors import ValidationError

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "i18n"))
import catalogs  # noqa: E402


@pytest.fixture(scope="module")
def template():
    return catalogs.build_template()


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_catalog_has_every_message_translated(template, locale):
    catalog = catalogs.read(catalogs.po_path(locale), locale)
    missing = [m.id for m in template if m.id and m.id not in catalog]
    assert not missing, f"{locale} lacks {len(missing)} messages (run i18n/catalogs.py extract): {missing[:5]}"
    empty = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not empty, f"{locale} has {len(empty)} empty or fuzzy translations: {empty[:5]}"


@pytest.mark.parametrize("locale", ["zh_TW", "zh_CN"])
def test_placeholders_survive_translation(locale):
    catalog = catalogs.read(catalogs.po_path(locale), locale)
    import string
    fields = lambda s: sorted(f for _, f, _, _ in string.Formatter().parse(s) if f)  # noqa: E731
    wrong = [m.id for m in catalog if m.id and m.string and fields(m.id) != fields(m.string)]
    assert not wrong, wrong[:5]


def test_language_switch_changes_messages():
    err = ValidationError("is required", field="customer.name")
    i18n.set_locale("en")
    assert str(err) == "customer name: is required"
    i18n.set_locale("zh_TW")
    assert str(err) == "顧客姓名：為必填"
    i18n.set_locale("zh_CN")
    assert str(err) == "顾客姓名：为必填"


@pytest.mark.parametrize("amount, currency, locale, expected", [
    (Decimal(2980), "TWD", "zh_TW", "NT$2,980"),
    (Decimal("2980.4"), "TWD", "en", "NT$2,980"),
    (Decimal("1234.5"), "HKD", "zh_TW", "HK$1,234.50"),
    (Decimal("98"), "CNY", "zh_CN", "¥98.00"),
    (Decimal("98"), "CNY", "en", "CN¥98.00"),
    (Decimal("-200"), "TWD", "zh_TW", "-NT$200"),
])
def test_money_is_unambiguous(amount, currency, locale, expected):
    assert i18n.format_money(amount, currency, locale) == expected


def test_roc_years_only_on_traditional_chinese():
    i18n.set_roc_years(True)
    try:
        assert i18n.format_date(date(2026, 11, 22), "zh_TW") == "民國115年11月22日"
        assert "2026" in i18n.format_date(date(2026, 11, 22), "en")
    finally:
        i18n.set_roc_years(False)


def test_datetime_shown_in_the_desks_zone(policy):
    instant = datetime(2026, 11, 22, 6, 5, tzinfo=timezone.utc)
    assert i18n.format_datetime(instant, policy.tz, "en") == "2026-11-22 14:05"
