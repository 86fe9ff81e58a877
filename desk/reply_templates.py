"""Reply templates: the library in three languages, the store's own copy of it, and a case's
fields filled in safely (``string.Template``: names only, no code, no attribute access).

The bundled ``resources/replies/<locale>.toml`` seeds a store (its first draft in a language
takes a copy); after that the store's copy (``reply_templates``) is what every surface uses,
and ``apply_templates`` (an administrator, with a reason, on the audit log) is the one way to
change it. The same texts are the canned
replies the case screen inserts into its notes.
"""
from __future__ import annotations

import hashlib
import string
import tomllib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from desk import money
from desk.enums import Privilege
from desk.errors import N_, ValidationError
from desk.i18n import LOCALES, format_date, format_datetime, format_money, using_locale
from desk.model import Case, utcnow
from desk.paths import resources_dir
from desk.policy import Policy
from desk.privileges import require
from desk.replies_model import ReplyTemplateSet
from desk.services import validate
from desk.services.auth import Actor
from desk.uow import bind_actor

# Every field a template may use, with what it holds (shown by `desk reply templates show`).
FIELDS = {
    "case_no": N_("the case number"), "customer_name": N_("the customer's name"),
    "received_date": N_("the day the complaint was received"),
    "subject_name": N_("what the complaint is about (shop, facility ...)"),
    "handling_result": N_("the handling result"),
    "compensation": N_("what was granted and accepted, with amounts"),
    "promised_date": N_("the promised reply time"), "mall_name": N_("the mall's name"),
    "staff_name": N_("the name of the person drafting"), "today": N_("today's date"),
}
MAX_TEXT = 20000


@dataclass(frozen=True)
class ReplyTemplateRow:
    key: str
    locale: str
    title: str
    subject: str
    body: str


def bundled_text(locale: str) -> str:
    return (resources_dir() / "replies" / f"{locale}.toml").read_text(encoding="utf-8")


def parse_templates(text: str, locale: str) -> dict[str, ReplyTemplateRow]:
    """Templates from TOML text, every one checked: a title and a body, and only the fields
    in ``FIELDS`` (a misspelt field is refused here, not when a clerk uses it)."""
    if len(text) > MAX_TEXT * 10:
        raise ValidationError(N_("the file is larger than {limit} MB"), field="template", limit=1)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError(N_("the templates are not valid TOML: {detail}"),
                              field="template", detail=str(exc)[:200]) from None
    if not raw:
        raise ValidationError(N_("the file holds no templates"), field="template")
    out = {}
    for key, entry in raw.items():
        field = f"template.{key}"[:60]
        if not isinstance(entry, dict) or not key.replace("_", "").isalnum() or len(key) > 40:
            raise ValidationError(N_("{value} is not a template (a table with title and body)"),
                                  field=field, value=str(key)[:40])
        unknown = sorted(set(entry) - {"title", "subject", "body"})
        if unknown:
            raise ValidationError(N_("unknown field {value}"), field=field, value=unknown[0][:40])
        row = ReplyTemplateRow(
            key=key, locale=locale,
            title=validate.text(entry.get("title"), f"{field}.title", max_len=200),
            subject=validate.text(entry.get("subject", ""), f"{field}.subject", required=False,
                                  max_len=200),
            body=validate.text(entry.get("body"), f"{field}.body", max_len=MAX_TEXT).strip("\n"))
        for part in ("subject", "body"):
            _check_fields(getattr(row, part), f"{field}.{part}")
        out[key] = row
    return out


def _check_fields(text: str, field: str) -> None:
    template = string.Template(text)
    if not template.is_valid():
        raise ValidationError(N_("a $ must start a field name like $case_no (write $$ for a "
                                 "dollar sign)"), field=field)
    unknown = sorted(set(template.get_identifiers()) - set(FIELDS))
    if unknown:
        raise ValidationError(N_("unknown field ${value}; the fields are: {allowed}"),
                              field=field, value=unknown[0][:40],
                              allowed=", ".join(sorted(FIELDS)))


def _locale(locale: object) -> str:
    if locale not in LOCALES:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="locale",
                              value=str(locale)[:10], allowed=", ".join(LOCALES))
    return str(locale)


def store_text(session: Session, locale: str) -> str:
    """The store's templates in ``locale`` (the bundled ones until the store has its own)."""
    row = session.get(ReplyTemplateSet, _locale(locale))
    return row.text if row is not None else bundled_text(locale)


def templates(session: Session, locale: str) -> dict[str, ReplyTemplateRow]:
    return parse_templates(store_text(session, locale), locale)


def template(session: Session, key: object, locale: str) -> ReplyTemplateRow:
    found = templates(session, locale)
    if key not in found:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="template",
                              value=str(key)[:40], allowed=", ".join(found))
    return found[key]


def own_copy(session: Session, locale: str, now: datetime | None = None) -> None:
    """The first time a store uses its templates in ``locale`` (a draft, in that unit of
    work) it takes its own copy of the bundled ones, so a program update never changes the
    letters a store sends; only ``apply_templates`` changes them after that."""
    if session.get(ReplyTemplateSet, _locale(locale)) is None:
        text = bundled_text(locale)
        session.add(ReplyTemplateSet(locale=locale, text=text, sha256=_sha(text),
                                     set_at=now or utcnow(), set_by=None,
                                     reason="resources/replies"))
        session.flush()


def apply_templates(session: Session, policy: Policy, actor: Actor, locale: str, text: str,
                    reason: object, *, now: datetime | None = None) -> dict:
    """Replace the store's templates in one language: an administrator, with a reason; the
    audit log keeps the text before and after."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.ADMIN, N_("only an administrator may change the reply "
                                               "templates"), field="staff_id")
    locale = _locale(locale)
    reason = validate.text(reason, "reason", max_len=500)
    parsed = parse_templates(text, locale)
    row = session.get(ReplyTemplateSet, locale)
    if row is not None and row.sha256 == _sha(text):
        raise ValidationError(N_("the store already uses these templates"), field="template")
    if row is None:
        row = ReplyTemplateSet(locale=locale)
        session.add(row)
    row.text, row.sha256, row.set_at = text, _sha(text), now or utcnow()
    row.set_by, row.reason = actor.staff_no, reason
    session.flush()
    return parsed


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- filling in a case's fields -------------------------------------------------------------

def case_fields(case: Case, policy: Policy, staff_name: str, locale: str, *,
                mall_name: str | None = None, now: datetime | None = None) -> dict[str, str]:
    """What each field says for ``case`` in ``locale``; an empty value is left out, so a
    template that needs it is refused by name rather than printed with a hole."""
    now = now or utcnow()
    with using_locale(locale):
        granted = [o for o in case.offers if money.counts(o) and o.answer == "accepted"]
        compensation = "; ".join(
            f"{_kind_label(o.kind)} {format_money(o.amount, policy.currency)}"
            for o in granted)
        if granted:
            total = sum((o.amount for o in granted), Decimal(0))
            if len(granted) > 1:
                compensation += f" ({format_money(total, policy.currency)})"
        promised = case.promised_reply_at
        values = {
            "case_no": case.case_no, "customer_name": case.customer_name,
            "received_date": format_date(case.received_at.astimezone(policy.tz).date()),
            "subject_name": case.subject_name or "", "handling_result": case.handling_result,
            "compensation": compensation,
            "promised_date": format_datetime(promised, policy.tz) if promised else "",
            "mall_name": mall_name or policy.mall_name, "staff_name": staff_name,
            "today": format_date(now.astimezone(policy.tz).date()),
        }
    return {k: v.strip() for k, v in values.items() if v and v.strip()}


def _kind_label(kind: str) -> str:
    from desk.enums import policy_label
    return policy_label(kind)


def unfilled(text: str) -> list[str]:
    """The template fields still in ``text`` (a template's text the clerk did not finish)."""
    template = string.Template(text)
    if not template.is_valid():
        return []
    return [name for name in template.get_identifiers() if name in FIELDS]


def fill(text: str, fields: dict[str, str], case_no: str, field: str = "template") -> str:
    """``text`` with the case's fields in; a field the case lacks is a clear refusal."""
    try:
        return string.Template(text).substitute(fields)
    except KeyError as exc:
        name = str(exc.args[0])
        raise ValidationError(N_("the template uses ${value}, which case {case} does not have "
                                 "yet; fill it in on the case or choose another template"),
                              field=field, value=name[:40], case=case_no) from None
    except ValueError:
        raise ValidationError(N_("a $ must start a field name like $case_no (write $$ for a "
                                 "dollar sign)"), field=field) from None
