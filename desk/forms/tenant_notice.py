"""The result notice to a tenant (投訴處理回復通知單) for a complaint about their shop: what
was found, what the mall paid the customer, what the tenant must do, and the amount charged
back (``desk.tenant_notice`` gathers it). The customer's contact details never appear on it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.lib import colors
from reportlab.platypus import Spacer, Table, TableStyle

from desk.enums import Validity, policy_label
from desk.forms.letterhead import INK, Letterhead, letter_pdf, para
from desk.i18n import _, format_date, format_money, using_locale
from desk.policy import Policy


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
                              *([_("{what}: {detail}").format(
                                  what=policy_label(k), detail=format_money(a, cur))
                                 for k, a in data.paid]
                                + [_("Total: {amount}").format(
                                    amount=format_money(paid_total, cur))]
                                if data.paid else [_("Nothing was paid.")])),
                     *section(_("What the tenant must do"),
                              *([_("{what}: {detail}").format(what=policy_label(u), detail=t)
                                 for u, t in data.tasks]
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
