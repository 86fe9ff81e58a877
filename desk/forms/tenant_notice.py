"""The result notice to a tenant (投訴處理回復通知單) for a complaint about their shop: what
was found, what the mall paid the customer, what the tenant must do, and the amount charged
back. The customer's contact details never appear on it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from reportlab.lib import colors
from reportlab.platypus import Spacer, Table, TableStyle

from desk import money
from desk.corrective import chargebacks
from desk.enums import Privilege, SubjectKind, Validity, policy_label
from desk.errors import N_, ValidationError
from desk.forms.letterhead import INK, Letterhead, letter_pdf, para
from desk.i18n import LOCALES, _, format_date, format_money, using_locale
from desk.model import utcnow
from desk.policy import Policy
from desk.privileges import require
from desk.queries import load_case
from desk.services.auth import Actor
from desk.services.settings import get_settings


@dataclass(frozen=True)
class NoticeData:
    case_no: str
    locale: str
    mall_name: str
    tenant: str
    received: date
    complaint: str
    validity: str
    handling_result: str
    paid: tuple[tuple[str, Decimal], ...]          # (kind, amount) the mall paid
    tasks: tuple[tuple[str, str], ...]             # (unit, what it must do)
    charged_back: tuple[tuple[Decimal, str, bool], ...]   # (amount, reason, settled)
    issued_by: str
    issued_on: date


def notice_data(session, policy: Policy, case_no: str, actor: Actor, *,
                locale: str | None = None, now: datetime | None = None) -> NoticeData:
    """What the notice says about ``case_no``; only for a complaint about a tenant, and
    issued by a role that handles chargebacks."""
    require(policy, actor, Privilege.REVIEW, N_("a notice to a tenant is issued by a "
                                                "supervisor or higher"))
    case = load_case(session, case_no)
    if case.subject_kind not in (SubjectKind.TENANT, SubjectKind.CHARGE) or not case.subject_name:
        raise ValidationError(N_("a result notice goes to a tenant; case {value} is not about "
                                 "a tenant shop"), field="subject.kind", value=case.case_no)
    locale = locale or case.text_locale
    if locale not in LOCALES:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="locale",
                              value=str(locale)[:10], allowed=", ".join(LOCALES))
    now = now or utcnow()
    return NoticeData(
        case_no=case.case_no, locale=locale,
        mall_name=get_settings(session).mall_name or policy.mall_name, tenant=case.subject_name,
        received=case.received_at.astimezone(policy.tz).date(), complaint=case.complaint,
        validity=case.validity, handling_result=case.handling_result,
        paid=tuple((o.kind, o.amount) for o in case.offers if money.is_paid(o)),
        tasks=tuple((a.unit, a.task) for a in case.assists),
        charged_back=tuple((c.amount, c.reason, c.settled_at is not None)
                           for c in chargebacks(session, case_no=case.case_no)),
        issued_by=actor.name, issued_on=now.astimezone(policy.tz).date())


def render_notice(data: NoticeData, policy: Policy) -> bytes:
    with using_locale(data.locale):
        title = _("Complaint handling result notice")
        head = Letterhead(data.mall_name, title, _("Case {case}").format(case=data.case_no))
        cur = policy.currency

        def story(font, s):
            def p(text, style="body"):
                return para(font, text, s[style])

            def section(label, *rows):
                return [Spacer(1, 8), p(label, "label")] + [p(r) for r in rows]

            table = Table([[p(_("To"), "label"), p(data.tenant)],
                           [p(_("Case number"), "label"), p(data.case_no)],
                           [p(_("Received"), "label"), p(format_date(data.received))]],
                          colWidths=[90, None])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, INK),
                                       ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#EEF2F7")),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            paid_total = sum((a for _k, a in data.paid), Decimal(0))
            owed = sum((a for a, _r, _s in data.charged_back), Decimal(0))
            story = [p(title, "title"), table,
                     *section(_("The customer's complaint"), data.complaint),
                     *section(_("What we found"),
                              _("The complaint is: {validity}").format(
                                  validity=Validity(data.validity).label),
                              data.handling_result or _("(not resolved yet)")),
                     *section(_("What the mall paid the customer"),
                              *([f"{policy_label(k)}: {format_money(a, cur)}"
                                 for k, a in data.paid]
                                + [_("Total: {amount}").format(
                                    amount=format_money(paid_total, cur))]
                                if data.paid else [_("Nothing was paid.")])),
                     *section(_("What the tenant must do"),
                              *([f"{policy_label(u)}: {t}" for u, t in data.tasks]
                                or [_("Take care that the same complaint does not recur.")])),
                     *section(_("Amount charged back to the tenant"),
                              *([_("{amount} — {reason} ({state})").format(
                                  amount=format_money(a, cur), reason=r or "—",
                                  state=_("recovered") if settled else _("to be paid"))
                                 for a, r, settled in data.charged_back]
                                + [_("Total: {amount}").format(amount=format_money(owed, cur))]
                                if data.charged_back else [_("No chargeback.")]))]
            signs = Table([[p(_("Issued by"), "label"), p(_("Tenant's acknowledgement "
                                                            "(signature and stamp)"), "label")],
                           [p(f"{data.issued_by}\n{format_date(data.issued_on)}"), p("")]],
                          colWidths=[None, None], rowHeights=[None, 60])
            signs.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, INK),
                                       ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            return story + [Spacer(1, 16), signs]

        return letter_pdf(policy, head, story)
