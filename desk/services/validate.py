"""Field checks shared by every write path: each failure names the field and the reason."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime

from desk.enums import Labelled
from desk.errors import N_, ValidationError

_PHONE = re.compile(r"^\+?[0-9][0-9 \-()#]{5,24}$")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_\-]{0,29}$")


def text(value: object, field: str, *, required: bool = True, max_len: int = 4000) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(N_("must be text"), field=field)
    if len(value) > 4 * max_len + 100:   # far too long whatever cleaning removes: no work on it
        raise ValidationError(N_("is too long ({length} characters; at most {limit})"),
                              field=field, length=len(value), limit=max_len)
    cleaned = _clean(value)
    if required and not cleaned:
        raise ValidationError(N_("is required"), field=field)
    if len(cleaned) > max_len:
        raise ValidationError(N_("is too long ({length} characters; at most {limit})"),
                              field=field, length=len(cleaned), limit=max_len)
    return cleaned


def _clean(value: str) -> str:
    """Strip surrounding space and control characters (keep line breaks and tabs)."""
    kept = "".join(ch for ch in value
                   if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
    return unicodedata.normalize("NFC", kept).strip()


def optional_text(value: object, field: str, max_len: int = 200) -> str | None:
    result = text(value, field, required=False, max_len=max_len)
    return result or None


def phone(value: object, field: str = "customer.phone") -> str | None:
    result = optional_text(value, field, max_len=30)
    if result and not _PHONE.match(result):
        raise ValidationError(N_("{value} is not a phone number"), field=field, value=result[:30])
    return result


def code(value: object, field: str) -> str:
    result = text(value, field, max_len=30)
    if not _CODE.match(result):
        raise ValidationError(N_("use letters, digits, - and _ only"), field=field)
    return result


def choice(enum: type[Labelled], value: object, field: str) -> str:
    member = enum.parse(value)
    if member is None:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field=field,
                              value=str(value)[:40], allowed=", ".join(m.value for m in enum))
    return member.value


def key(allowed: dict, value: object, field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field=field,
                              value=str(value)[:40], allowed=", ".join(allowed))
    return value


def severity(value: object) -> int:
    try:   # a signalling NaN refuses even to be compared
        ok = not isinstance(value, bool) and value in (1, 2, 3)
    except (ArithmeticError, TypeError):
        ok = False
    if not ok:
        raise ValidationError(N_("must be 1, 2 or 3"), field="severity")
    return int(value)


def aware(value: object, field: str) -> datetime:
    """An instant with its time zone; ISO text accepted. Naive times are refused: a case
    number depends on the desk's calendar day, so the zone must be known."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError(N_("{value} is not a date and time"), field=field,
                                  value=value[:40]) from None
    if not isinstance(value, datetime):
        raise ValidationError(N_("must be a date and time"), field=field)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(N_("needs a time zone, e.g. 2026-11-22T14:05:00+08:00"), field=field)
    if not 2000 <= value.year < 2100:   # also keeps zone arithmetic clear of datetime's limits
        raise ValidationError(N_("{value} is not a plausible date"), field=field,
                              value=value.isoformat()[:40])
    return value

