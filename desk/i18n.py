"""gettext for every user-facing string, Babel for dates, numbers and money.

Catalogs are the ``.po`` files in ``i18n/<locale>/LC_MESSAGES/desk.po``; they are compiled on
first use and the result is kept in the user cache folder under the .po's digest
(``desk.catalog_cache``), so a translation edit can never be shadowed by a stale ``.mo`` file.
The active locale is process-wide and can change at any time (the app switches language
without a restart), so ``_()`` looks the translation up at call time.
"""
from __future__ import annotations

import gettext
import io
import threading
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from desk.catalog_cache import compiled_catalog
from desk.paths import i18n_dir, user_cache_dir

LOCALES = ("zh_TW", "zh_CN", "en")
DEFAULT_LOCALE = "zh_TW"
DOMAIN = "desk"

if TYPE_CHECKING:
    from babel import Locale

_state = threading.local()
_global = {"locale": DEFAULT_LOCALE, "roc_years": False}


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (class-level constants)."""
    return message


@lru_cache(maxsize=None)
def translations(locale: str) -> gettext.NullTranslations:
    path = i18n_dir() / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return gettext.NullTranslations()
    compiled = compiled_catalog(path, locale, DOMAIN, user_cache_dir() / "catalogs")
    return gettext.GNUTranslations(io.BytesIO(compiled))


def set_locale(locale: str) -> None:
    if locale not in LOCALES:
        raise ValueError(f"unsupported locale {locale!r}; choose one of {', '.join(LOCALES)}")
    _global["locale"] = locale


def get_locale() -> str:
    return getattr(_state, "locale", None) or _global["locale"]


class using_locale:
    """Context manager: translate in another locale on this thread (printing an English form
    from a Chinese session)."""

    def __init__(self, locale: str | None) -> None:
        self.locale = locale
        self.previous: str | None = None

    def __enter__(self) -> "using_locale":
        self.previous = getattr(_state, "locale", None)
        if self.locale:
            if self.locale not in LOCALES:
                raise ValueError(f"unsupported locale {self.locale!r}; choose one of {', '.join(LOCALES)}")
            _state.locale = self.locale
        return self

    def __exit__(self, *exc: object) -> None:
        _state.locale = self.previous


def set_roc_years(enabled: bool) -> None:
    """Taiwanese forms often count years from 1912 (民國); a site setting."""
    _global["roc_years"] = bool(enabled)


def _(message: str) -> str:
    if not message:
        return message
    return translations(get_locale()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(get_locale()).ngettext(singular, plural, n)


# Field names as they appear in messages; the keys are the names used in code and JSON.
FIELD_LABELS = {
    "case_no": N_("case number"),
    "received_at": N_("received time"),
    "channel": N_("channel"),
    "desk": N_("desk"),
    "desks": N_("desks"),
    "mall": N_("mall"),
    "recorder": N_("recorder"),
    "handler": N_("handler"),
    "customer.name": N_("customer name"),
    "customer.phone": N_("customer phone"),
    "customer.member_no": N_("member number"),
    "customer.address": N_("customer address"),
    "subject.kind": N_("subject type"),
    "subject.name": N_("subject"),
    "subject.staff": N_("staff member complained about"),
    "category": N_("category"),
    "complaint": N_("complaint text"),
    "request": N_("customer's request"),
    "motive": N_("motive"),
    "severity": N_("severity"),
    "level": N_("level"),
    "validity": N_("validity"),
    "responsible_unit": N_("responsible unit"),
    "assisting_units": N_("assisting units"),
    "handling_result": N_("handling result"),
    "kind": N_("compensation kind"),
    "amount": N_("amount"),
    "charged": N_("amount charged"),
    "due": N_("amount due"),
    "serials": N_("serial numbers"),
    "approver": N_("approver"),
    "approval": N_("approval"),
    "reviewer": N_("reviewer"),
    "decision": N_("decision"),
    "pin": N_("PIN"),
    "staff_id": N_("staff ID"),
    "role": N_("role"),
    "name": N_("name"),
    "reason": N_("reason"),
    "promised_reply_at": N_("promised reply time"),
    "police_report_no": N_("police report number"),
    "recipient": N_("recipient"),
    "document": N_("case document"),
    "step": N_("step"),
    "offer": N_("offer"),
    "answer": N_("customer's answer"),
    "status": N_("status"),
    "date": N_("date"),
    "attachment": N_("attachment"),
    "satisfaction": N_("satisfaction"),
    "note": N_("note"),
    "description": N_("description"),
    "comment": N_("comment"),
    "at_fault_staff": N_("staff member at fault"),
    "policy": N_("policy"),
    "actor": N_("person acting"),
    "action": N_("cost step"),
    "how": N_("paid how"),
    "refs": N_("voucher, serial or transfer numbers"),
    "evidence": N_("receipt or transaction number"),
    "evidence_sha256": N_("scan of the receipt"),
    "scan": N_("scan"),
    "verifier": N_("verifier"),
    "verified": N_("overcharge verification"),
    "signer": N_("customer's name as signed"),
    "method": N_("how it was signed"),
    "signature": N_("signature"),
    "signature_sha256": N_("signature"),
    "settlement": N_("settlement"),
    "terms": N_("terms"),
    "finding": N_("finding"),
    "staff": N_("staff member at fault"),
}


def field_label(field: str) -> str:
    base = field.split("[")[0]
    label = FIELD_LABELS.get(field) or FIELD_LABELS.get(base)
    return _(label) if label else field


@lru_cache(maxsize=None)
def _locale_object(code: str) -> Locale:
    # Babel (and its locale data) loads on the first date or amount shown, not at start:
    # the intake form is on screen before anything needs it.
    from babel import Locale
    # Babel re-parses a locale name on every call (~0.7 ms); forms and lists call it a lot.
    return Locale.parse(code)


def babel_locale(locale: str | None = None) -> Locale:
    return _locale_object(locale or get_locale())


# Symbols a counter cannot misread: Babel's zh_TW gives "$" for TWD.
_CLEAR_SYMBOLS = {"TWD": "NT$", "HKD": "HK$", "CNY": "CN¥", "USD": "US$", "MOP": "MOP$"}
_NATIVE_SYMBOLS = {("CNY", "zh_CN"): "¥"}
# The digits a counter uses: CLDR says 2 for TWD, but nobody pays in cents.
CURRENCY_DIGITS = {"TWD": 0, "HKD": 2, "CNY": 2, "USD": 2, "MOP": 2, "JPY": 0}


def currency_symbol(currency: str, locale: str | None = None) -> str:
    locale = locale or get_locale()
    return _NATIVE_SYMBOLS.get((currency, locale)) or _CLEAR_SYMBOLS.get(currency, currency + " ")


def format_money(amount: Decimal | int, currency: str, locale: str | None = None) -> str:
    """``NT$2,980`` / ``HK$1,234.50`` / ``¥98.00`` in the locale's grouping."""
    locale = locale or get_locale()
    digits = CURRENCY_DIGITS.get(currency, 2)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    from babel.numbers import format_decimal
    value = Decimal(amount)
    number = format_decimal(abs(value), format=pattern, locale=_locale_object(locale),
                            decimal_quantization=True)
    sign = "-" if value < 0 else ""
    return f"{sign}{currency_symbol(currency, locale)}{number}"


def format_number(value: int | Decimal, locale: str | None = None) -> str:
    from babel.numbers import format_decimal
    return format_decimal(value, locale=babel_locale(locale))


def _roc(locale: str) -> bool:
    return bool(_global["roc_years"]) and locale == "zh_TW"


def format_date(value: date, locale: str | None = None) -> str:
    locale = locale or get_locale()
    if _roc(locale):
        return _("ROC {year}/{month:02d}/{day:02d}").format(
            year=value.year - 1911, month=value.month, day=value.day)
    from babel.dates import format_date
    return format_date(value, format="medium", locale=_locale_object(locale))


def format_datetime(value: datetime, tz: tzinfo | None = None, locale: str | None = None) -> str:
    """A timezone-aware instant shown in the desk's zone (``tz``)."""
    locale = locale or get_locale()
    local = value.astimezone(tz) if tz else value
    if _roc(locale):
        return f"{format_date(local.date(), locale)} {local:%H:%M}"
    from babel.dates import format_datetime
    return format_datetime(local, format="yyyy-MM-dd HH:mm", locale=_locale_object(locale))


def format_time(value: datetime, tz: tzinfo | None = None, locale: str | None = None) -> str:
    local = value.astimezone(tz) if tz else value
    from babel.dates import format_time
    return format_time(local, format="HH:mm", locale=babel_locale(locale))
