"""The three-part complaint form (客訴處理單 一式三聯): a case in, PDF bytes out.

The body is laid out once and printed on every copy (see ``CopiesCanvas``); each copy
starts on its own page with its own tint and label, a copy too long for one sheet continues
on follow-on pages that carry the same tint, label and case number, and every page says
"page x/y" counted within its copy.
"""
from __future__ import annotations

import copy
import io
from datetime import datetime
from functools import partial

from reportlab.lib import colors
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from desk.costs import state_label
from desk.enums import Status
from desk.errors import N_, ValidationError
from desk.forms.fonts import policy_font
from desk.forms.furniture import (CARBON_HEADER_HEIGHT, FOOTER_HEIGHT, HEADER_HEIGHT,
                                  CopiesCanvas, Sheet, load_logo)
from desk.forms.layout import paper_for
from desk.forms.story import Context, StoryBuilder
from desk.i18n import LOCALES, _, format_datetime, using_locale
from desk.model import utcnow
from desk.policy import Policy
from desk.views import CaseDetail

COPIES = (1, 2, 3)
COPY_LABELS = {1: N_("Copy 1 — kept by the handling unit"), 2: N_("Copy 2 — audit copy"),
               3: N_("Copy 3 — kept by planning")}
COST_ROUTE = N_("Cost claimed: to finance for review first, then to the audit office "
                "after payment")
NO_COST_ROUTE = N_("No cost claimed: straight to the audit office")
PLANNING_NOTE = N_("For the complaint head office (customer service section)")


class _BodyFrame(Frame):
    """The body's frame. A keep-together group sizes itself on a deep copy of the frame
    so that content it generates lands on the copy; a shallow copy does that as well (the
    generated content is a list the copy makes for itself) at a fraction of the cost."""

    def __deepcopy__(self, memo: dict) -> _BodyFrame:
        return copy.copy(self)


def check_copies(copies: object) -> tuple[int, ...]:
    """``(1, 2, 3)``, ``"1,3"`` or ``[2]`` -> sorted distinct copy numbers, or a clear error."""
    items = copies.split(",") if isinstance(copies, str) else list(copies or ())
    try:
        chosen = sorted({int(str(item).strip()) for item in items})
    except ValueError:
        chosen = []
    if not chosen or any(n not in COPIES for n in chosen):
        raise ValidationError(N_("copies must be a list of 1, 2 and 3 (like 1,3), not {value}"),
                              value=str(copies)[:20])
    return tuple(chosen)


def copies_text(copies: tuple[int, ...]) -> str:
    return ",".join(str(n) for n in copies)


def _copy2_route(detail: CaseDetail) -> str:
    """Copy 2 goes to finance first when a cost is claimed; it says where each cost is."""
    if not detail.cost_claimed:
        return _(NO_COST_ROUTE)
    states = [f"{o.seq}: {state_label(o.cost.state)}" for o in detail.offers if o.cost]
    return _(COST_ROUTE) + (" — " + "; ".join(states) if states else "")


def _sheet(detail: CaseDetail, policy: Policy, font: str, paper, *, printed_by: str,
           printed_at: datetime, reprint_no: int, mall_name: str, locale: str) -> Sheet:
    routes = {1: "", 2: _copy2_route(detail),
              3: _(PLANNING_NOTE)}
    return Sheet(
        font=font, paper=paper, mall_name=mall_name, title=_("Complaint Handling Form"),
        subtitle=_("(triplicate)"), case_no=detail.case_no,
        case_no_line=_("No. {case_no}").format(case_no=detail.case_no),
        printed_line=_("Printed {time} by {name}").format(
            time=format_datetime(printed_at, policy.tz, locale), name=printed_by),
        retention_line=_("Keep this form for at least {years} years after the case is closed.")
        .format(years=policy.retention_years),
        page_pattern=_("Page {page}/{pages}"), continued=_("(continued)"),
        labels={n: (_(COPY_LABELS[n]), routes[n]) for n in COPIES},
        tints={n: colors.HexColor(policy.tints[n - 1]) for n in COPIES},
        logo=load_logo(policy.logo),
        stamp=_("Reprint {n}").format(n=reprint_no) if reprint_no else "",
        void_mark=_("VOIDED") if detail.status == Status.VOIDED else "",
        carbon_set=paper.key == "continuous",
    )


def render_triplicate(detail: CaseDetail, policy: Policy, *, printed_by: str, locale: str,
                      paper: str, copies=COPIES, reprint_no: int = 0,
                      printed_at: datetime | None = None, mall_name: str | None = None,
                      signature: bytes | None = None) -> bytes:
    """The form as PDF bytes: the chosen copies in order, in ``locale``, on ``paper``."""
    if locale not in LOCALES:
        raise ValidationError(N_("locale must be one of {allowed}, not {value}"),
                              allowed=", ".join(LOCALES), value=str(locale)[:20])
    chosen = check_copies(copies)
    sheet_paper = paper_for(paper)
    font = policy_font(policy)
    with using_locale(locale):
        sheet = _sheet(detail, policy, font, sheet_paper, printed_by=printed_by,
                       printed_at=printed_at or utcnow(), reprint_no=reprint_no,
                       mall_name=mall_name or policy.mall_name, locale=locale)
        p = sheet_paper
        header = CARBON_HEADER_HEIGHT if sheet.carbon_set else HEADER_HEIGHT
        frame = _BodyFrame(p.side, p.bottom + FOOTER_HEIGHT, p.frame_width,
                      p.height - p.top - p.bottom - header - FOOTER_HEIGHT,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        template = PageTemplate(id="body", frames=[frame], pagesize=(p.width, p.height),
                                onPage=lambda canvas, _doc: canvas.begin_body(),
                                onPageEnd=lambda canvas, _doc: canvas.end_body())
        buffer = io.BytesIO()
        doc = BaseDocTemplate(
            buffer, pagesize=(p.width, p.height), pageTemplates=[template],
            title=f"{sheet.title} {detail.case_no}", author=sheet.mall_name,
            subject=sheet.title, creator="Complaint Desk", lang=locale.replace("_", "-"),
            leftMargin=p.side, rightMargin=p.side, topMargin=p.top, bottomMargin=p.bottom,
            initialFontName=font)  # else ReportLab adds a non-embedded Helvetica
        ctx = Context(font=font, width=p.frame_width, currency=policy.currency, tz=policy.tz,
                      locale=locale, signature=signature)
        doc.build(StoryBuilder(detail, ctx).build(),
                  canvasmaker=partial(CopiesCanvas, sheet=sheet, copies=chosen))
    return buffer.getvalue()
