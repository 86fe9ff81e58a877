"""The settlement agreement (和解協議書) the customer signs: a case in, PDF bytes out, in the
customer's language. It names the parties, the matter, what the mall gives and the clause
that settles the matter; the customer's signature is drawn in when it was taken on screen
(or from a scanned image), else the line is left for the pen."""
from __future__ import annotations

import io
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

from desk.enums import SubjectKind, policy_label
from desk.forms.money_parts import signature_flowable
from desk.forms.fonts import policy_font
from desk.forms.layout import FILL, INK, Text, paper_for
from desk.i18n import LOCALES, N_, _, format_datetime, format_money, using_locale
from desk.policy import Policy
from desk.views import CaseDetail

TITLE = N_("Settlement agreement")
CLAUSE = N_("The customer accepts the compensation above in full settlement of this matter. "
            "Once it has been handed over, the customer will raise no further claim, "
            "complaint or request about the same matter with the mall, its tenants or its "
            "staff. Each party keeps one copy of this agreement.")
PRIVACY = N_("The customer's personal data is used only to handle this complaint and is kept "
             "for the period the mall's records policy requires.")


def render_agreement(detail: CaseDetail, policy: Policy, *, locale: str | None = None,
                     mall_name: str | None = None, signature: bytes | None = None) -> bytes:
    """The agreement as PDF bytes in ``locale`` (default: the case's text language)."""
    locale = locale if locale in LOCALES else detail.text_locale
    font = policy_font(policy)
    paper = paper_for("a4")
    p = Text(font)
    margin = 20 * mm
    width = paper.width - 2 * margin
    title_style = ParagraphStyle("agreement-title", fontName=font, fontSize=16, leading=22,
                                 alignment=1, textColor=INK, wordWrap="CJK")
    mall_style = ParagraphStyle("agreement-mall", title_style, fontSize=10, leading=14)
    mall = mall_name or policy.mall_name
    with using_locale(locale):
        def when(value):
            return format_datetime(value, policy.tz, locale) if value else "—"

        def money(amount):
            return format_money(amount, policy.currency, locale)

        box = [("FONTNAME", (0, 0), (-1, -1), font), ("GRID", (0, 0), (-1, -1), 0.5, INK),
               ("BOX", (0, 0), (-1, -1), 0.9, INK), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
               ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
        subject = detail.subject_name or detail.subject_staff or policy_label(detail.category)
        parties = Table([
            [p(_("Party A (the mall)"), "label"), p(mall)],
            [p(_("Party B (the customer)"), "label"), p(detail.customer_name)],
            [p(_("Case number"), "label"), p(detail.case_no)],
            [p(_("Complaint received"), "label"), p(when(detail.received_at))],
            [p(_("About"), "label"), p(_("{kind}: {name}").format(
                kind=SubjectKind(detail.subject_kind).label, name=subject))],
        ], colWidths=[width * 0.28, width * 0.72],
            style=TableStyle(box + [("BACKGROUND", (0, 0), (0, -1), FILL)]))
        paid = [o for o in detail.offers if o.paid]
        rows = [[p(_("Kind"), "label"), p(_("Details"), "label"), p(_("Amount"), "label")]]
        rows += [[p(policy_label(o.kind)), p(o.description or "—"), p(money(o.amount), "right")]
                 for o in paid]
        total = sum((o.amount for o in paid), start=type(paid[0].amount)(0)) if paid else 0
        rows.append([p(_("Total"), "label"), "", p(money(total), "right")])
        given = Table(rows, colWidths=[width * 0.28, width * 0.5, width * 0.22],
                      style=TableStyle(box + [("BACKGROUND", (0, 0), (-1, 0), FILL),
                                              ("SPAN", (0, -1), (1, -1))]))
        settled = detail.settlement
        drawn = signature_flowable(signature, width * 0.42, 62)
        signed_at = when(settled.signed_at) if settled else ""
        sign = Table([
            [p(_("Party B's signature"), "label"), drawn or "", p(_("Date"), "label"),
             p(signed_at)],
            [p(_("For Party A"), "label"), p(settled.recorded_by if settled else ""),
             p(_("Date"), "label"), p(signed_at)],
        ], colWidths=[width * 0.2, width * 0.45, width * 0.1, width * 0.25],
            rowHeights=[70, 30], style=TableStyle(box + [("BACKGROUND", (0, 0), (0, -1), FILL),
                                                         ("BACKGROUND", (2, 0), (2, -1), FILL)]))
        story = [Paragraph(escape(mall), mall_style), Paragraph(escape(_(TITLE)), title_style),
                 Spacer(0, 10), parties,
                 Spacer(0, 8), p(_("The complaint"), "label"), p(detail.complaint, "text"),
                 Spacer(0, 6), p(_("What the mall gives"), "label"), given, Spacer(0, 8)]
        if settled and settled.terms:
            story += [p(_("Further terms"), "label"), p(settled.terms, "text"), Spacer(0, 6)]
        story += [p(_(CLAUSE), "text"), Spacer(0, 4), p(_(PRIVACY), "small"), Spacer(0, 14),
                  KeepTogether(sign)]
        if settled:
            how = (_("signed on the screen") if settled.method == "screen"
                   else _("signed on paper; the scan is kept with the case"))
            story += [Spacer(0, 4), p(_("Signed by {name}, {how}").format(
                name=settled.signer, how=how), "small")]
        buffer = io.BytesIO()
        doc = SimpleDocTemplate(buffer, pagesize=(paper.width, paper.height),
                                leftMargin=margin, rightMargin=margin,
                                topMargin=margin, bottomMargin=margin,
                                title=f"{_(TITLE)} {detail.case_no}", author=mall,
                                creator="Complaint Desk", lang=locale.replace("_", "-"),
                                initialFontName=font)
        doc.build(story)
    return buffer.getvalue()
