"""The body of one copy of the form, as platypus flowables built from a ``CaseDetail``.

Long texts (complaint, request, result) are top-level paragraphs, and tables split inside a
row, so nothing is ever clipped: what does not fit continues on a follow-on page, where a
table repeats its heading row.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal

from reportlab.platypus import KeepTogether, Spacer

from desk.forms.grid import Grid
from desk.enums import (Answer, Approval, Channel, ContentClass, Degree, Level, Motive,
                        NotAcceptedReason, Status, Step, SubjectKind, Validity, policy_label)
from desk.forms.money_parts import MoneySections
from desk.forms.layout import BAND, FILL, INK, Stars, Text, TickBox
from desk.i18n import N_, _, format_datetime, format_money
from desk.views import CaseDetail

SEVERITY = {1: N_("General"), 2: N_("Fairly serious"), 3: N_("Serious")}
DASH = "—"
HEADING_STYLE = [("BACKGROUND", (0, 0), (-1, 0), BAND), ("TOPPADDING", (0, 0), (-1, 0), 1),
                 ("BOTTOMPADDING", (0, 0), (-1, 0), 2), ("LINEBELOW", (0, 0), (-1, 0), 0.8, INK)]
SIDE_BY_SIDE_LINES = 8   # more paid lines than this: the signature box goes below the list


@dataclass(frozen=True)
class Context:
    font: str
    width: float
    currency: str
    tz: tzinfo
    locale: str
    signature: bytes | None = None   # the customer's settlement signature, drawn on screen


def _label(enum, value: str | None) -> str:
    member = enum.parse(value) if value else None
    return member.label if member is not None else (value or DASH)


def _together(flowables: list):
    """One sheet for these when they fit on one."""
    if len(flowables) == 1 and isinstance(flowables[0], Grid):
        return flowables[0].kept()
    return KeepTogether(flowables)


class StoryBuilder(MoneySections):
    """The flowables of one copy; the copies of a print differ only in page furniture."""

    def __init__(self, detail: CaseDetail, ctx: Context) -> None:
        self.d, self.ctx = detail, ctx
        self.p = Text(ctx.font)

    def when(self, value: datetime | None) -> str:
        return format_datetime(value, self.ctx.tz, self.ctx.locale) if value else DASH

    def money(self, amount: Decimal) -> str:
        return format_money(amount, self.ctx.currency, self.ctx.locale)

    @staticmethod
    def who(name: str | None, staff_no: str | None = None) -> str:
        if not name:
            return DASH
        return f"{name} ({staff_no})" if staff_no else name

    # -- building blocks ------------------------------------------------------------------
    def heading(self, title: str) -> Grid:
        table = Grid([[self.p(title, "heading")]], colWidths=[self.ctx.width],
                     style=HEADING_STYLE + [("BOX", (0, 0), (-1, -1), 0.8, INK),
                                            ("FONTNAME", (0, 0), (-1, -1), self.ctx.font)])
        table.keepWithNext = True
        return table

    def section(self, title: str | None, rows: list[list], fractions: list[float], *,
                header: list[str] | None = None, extra: list | None = None,
                heights: list[float | None] | None = None, width: float | None = None) -> Grid:
        """A boxed table whose first row is the section's heading (and the next, when given,
        its column titles); both repeat when the table continues on the next page.
        ``extra`` styles and ``heights`` address the body rows only, counting from 0."""
        width = width or self.ctx.width
        data: list[list] = []
        style = [("FONTNAME", (0, 0), (-1, -1), self.ctx.font), ("GRID", (0, 0), (-1, -1), 0.5, INK),
                 ("BOX", (0, 0), (-1, -1), 0.8, INK), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                 ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                 ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4)]
        if title:
            data.append([self.p(title, "heading")] + [""] * (len(fractions) - 1))
            style += [("SPAN", (0, 0), (-1, 0))] + HEADING_STYLE
        if header:
            data.append([self.p(h, "label") for h in header])
            style.append(("BACKGROUND", (0, len(data) - 1), (-1, len(data) - 1), FILL))
        first = len(data)
        style += [(name, (c0, r0 + first), (c1, r1 + first if r1 >= 0 else r1), *rest)
                  for name, (c0, r0), (c1, r1), *rest in (extra or [])]
        heights = [None] * first + list(heights or [None] * len(rows))
        return Grid(data + rows, colWidths=[width * f for f in fractions], rowHeights=heights,
                    repeatRows=first, splitInRow=1, style=style)

    def grid(self, title: str | None, pairs: list[tuple[str, object]]) -> Grid:
        """Label/value pairs, three to a row; a short last row's final value fills the row."""
        rows, extra = [], []
        for i in range(0, len(pairs), 3):
            row = []
            for label, value in pairs[i:i + 3]:
                row += [self.p(label, "label"), self.p(value) if isinstance(value, str) else value]
            r = len(rows)
            extra += [("BACKGROUND", (c, r), (c, r), FILL) for c in range(0, len(row), 2)]
            if len(row) < 6:
                extra.append(("SPAN", (len(row) - 1, r), (5, r)))
                row += [""] * (6 - len(row))
            rows.append(row)
        return self.section(title, rows, [0.125, 0.2083] * 3, extra=extra)

    def long_text(self, title: str, text: str) -> list:
        return [self.heading(title), self.p(text.strip() or DASH, "text")]

    # -- sections ---------------------------------------------------------------------------
    def reception(self) -> Grid:
        d = self.d
        pairs = [(_("Received"), self.when(d.received_at)), (_("Desk"), d.desk),
                 (_("Channel"), _label(Channel, d.channel)),
                 (_("Recorder"), self.who(d.recorder, d.recorder_no)),
                 (_("Handler"), self.who(d.handler, d.handler_no)),
                 (_("Responsible unit"), policy_label(d.responsible_unit)),
                 (_("Customer"), d.customer_name), (_("Phone"), d.customer_phone or DASH),
                 (_("Member number"), self.member(d))]
        if d.customer_address:
            pairs.append((_("Address"), d.customer_address))
        return self.grid(_("Reception and customer"), pairs)

    def member(self, d) -> str:
        """The member number with the tier beside it (a row of its own would push the
        sign-off box onto a second sheet)."""
        tier = d.customer_tier if d.customer_tier not in (None, "none") else None
        if tier is None:
            return d.customer_member_no or DASH
        return f"{d.customer_member_no or DASH} · {policy_label(tier)}"

    def subject(self) -> Grid:
        d = self.d
        pairs = [(_("Complaint about"), _label(SubjectKind, d.subject_kind)),
                 (_("Shop or item"), d.subject_name or DASH),
                 (_("Category"), policy_label(d.category)),
                 (_("Content"), _label(ContentClass, d.content_class)),
                 (_("Degree"), _label(Degree, d.degree))]
        if d.subject_staff:
            pairs.append((_("Staff member"), self.who(d.subject_staff, d.subject_staff_no)))
        pairs += [(_("Severity"), Stars(d.severity, _(SEVERITY.get(d.severity, DASH)),
                                        self.ctx.font)),
                  (_("Level"), _label(Level, d.level)), (_("Validity"), _label(Validity, d.validity)),
                  (_("Motive"), _label(Motive, d.motive)), (_("Status"), _label(Status, d.status)),
                  (_("Resolved at"), self.when(d.resolved_at))]
        return self.grid(_("What the complaint is about"), pairs)

    def steps(self) -> Grid:
        done = {s.step: s for s in self.d.steps}
        rows = []
        for step in Step:
            record = done.get(step.value)
            if record is None:
                rows.append([TickBox("open"), self.p(f"{step.number}. {step.label}"),
                             self.p(DASH), self.p(DASH), ""])
                continue
            parts = []
            if record.skipped_reason:
                parts.append(_("Skipped: {reason}").format(reason=record.skipped_reason))
            if record.promised_reply_at:
                parts.append(_("Reply promised by {time}").format(
                    time=self.when(record.promised_reply_at)))
            if record.note:
                parts.append(record.note)
            rows.append([TickBox("skipped" if record.skipped_reason else "done"),
                         self.p(f"{step.number}. {step.label}"), self.p(self.when(record.done_at)),
                         self.p(record.staff), self.p("\n".join(parts))])
        return self.section(_("The six steps"), rows, [0.045, 0.155, 0.17, 0.13, 0.5],
                            header=["", _("Step"), _("Done at"), _("By"),
                                    _("Note or reason skipped")],
                            extra=[("ALIGN", (0, 0), (0, -1), "CENTER")])

    def offer_details(self, o) -> str:
        details = [o.description] if o.description else []
        if o.charged is not None and o.due is not None:
            details.append(_("Charged {charged}, due {due}").format(
                charged=self.money(o.charged), due=self.money(o.due)))
        if o.serials:
            details.append(_("Serial numbers: {serials}").format(serials=", ".join(o.serials)))
        if o.is_final:
            details.append(_("Final offer"))
        if o.at_fault_staff:
            details.append(_("Staff at fault: {name}").format(name=o.at_fault_staff))
        return "\n".join(details) or DASH

    def offers(self) -> Grid:
        rows = []
        for o in self.d.offers:
            people = [f"{o.requested_by} {self.when(o.requested_at)}", _label(Approval, o.approval)]
            if o.approver:
                people[-1] += f": {o.approver} {self.when(o.decided_at)}"
            if o.approval_note:
                people.append(o.approval_note)
            answer = [_label(Answer, o.answer)] + ([self.when(o.answered_at)] if o.answered_at else [])
            rows.append([self.p(str(o.seq)), self.p(policy_label(o.kind)),
                         self.p(self.money(o.amount), "right"), self.p(self.offer_details(o)),
                         self.p("\n".join(people), "small"), self.p("\n".join(answer), "small")])
        extra = [("VALIGN", (0, 0), (-1, -1), "TOP")]
        if not rows:
            rows = [[self.p(_("No offer was made.")), "", "", "", "", ""]]
            extra.append(("SPAN", (0, 0), (-1, 0)))
        return self.section(_("Offers and approvals"), rows, [0.045, 0.15, 0.1, 0.295, 0.26, 0.15],
                            header=[_("No."), _("Kind"), _("Amount"), _("Details"),
                                    _("Offered by, approval"), _("Customer's answer")],
                            extra=extra)

    def result(self) -> list:
        d = self.d
        pairs = []
        if d.closed_at:
            pairs.append((_("Closed at"), self.when(d.closed_at)))
        if d.police_report_no:
            pairs.append((_("Police report number"), d.police_report_no))
        if d.not_accepted_reason:
            pairs.append((_("Not accepted because"), _label(NotAcceptedReason, d.not_accepted_reason)))
        if d.duplicate_of:
            pairs.append((_("Duplicate of"), d.duplicate_of))
        if d.status_note:
            pairs.append((_("Status note"), d.status_note))
        flow = self.long_text(_("Handling result"), d.handling_result)
        return flow + ([self.grid(None, pairs), Spacer(0, 4)] if pairs else [])

    def compensation(self) -> list:
        """What was actually given (granted and accepted), its total, and the recipient's
        signature beside it when a cost was paid."""
        paid = [o for o in self.d.offers if o.paid]
        beside = self.d.cost_claimed and len(paid) <= SIDE_BY_SIDE_LINES
        width = self.ctx.width * (0.62 if beside else 1)
        rows = [[self.p(policy_label(o.kind)), self.p(self.paid_details(o)),
                 self.p(self.money(o.amount), "right")] for o in paid]
        extra = []
        if not rows:
            rows = [[self.p(_("No compensation was paid.")), "", ""]]
            extra.append(("SPAN", (0, 0), (-1, 0)))
        rows.append([self.p(_("Total"), "label"), "", self.p(self.money(self.d.paid_total), "right")])
        last = len(rows) - 1
        extra += [("SPAN", (0, last), (1, last)), ("BACKGROUND", (0, last), (-1, last), FILL),
                  ("LINEABOVE", (0, last), (-1, last), 1.1, INK)]
        lines = self.section(_("Compensation"), rows, [0.3, 0.48, 0.22], width=width,
                             header=[_("Kind"), _("Details"), _("Amount")], extra=extra)
        if not self.d.cost_claimed:
            return [lines]
        if not beside:
            return [lines, Spacer(0, 4), self.recipient(self.ctx.width).kept()]
        gutter = 6
        pair = Grid([[lines, self.recipient(self.ctx.width - width - gutter)]],
                    colWidths=[width + gutter, self.ctx.width - width - gutter],
                    style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                           ("FONTNAME", (0, 0), (-1, -1), self.ctx.font),
                           ("LEFTPADDING", (0, 0), (-1, -1), 0),
                           ("RIGHTPADDING", (0, 0), (0, 0), gutter),
                           ("RIGHTPADDING", (1, 0), (1, 0), 0),
                           ("TOPPADDING", (0, 0), (-1, -1), 0),
                           ("BOTTOMPADDING", (0, 0), (-1, -1), 0)])
        return [pair]

    def recipient(self, width: float) -> Grid:
        d = self.d
        signed = _("Signed at {time}").format(time=self.when(d.recipient_signed_at)) \
            if d.recipient_signed_at else ""
        rows = [[self.p(_("Name")), self.p(d.recipient_name or "")], [self.p(signed, "small"), ""],
                [self.p(_("I received the compensation listed on the left."), "small"), ""]]
        return self.section(_("Recipient's signature"), rows, [0.3, 0.7], width=width,
                            extra=[("BACKGROUND", (0, 0), (0, 0), FILL), ("SPAN", (0, 1), (-1, 1)),
                                   ("SPAN", (0, 2), (-1, 2)), ("VALIGN", (0, 1), (-1, 1), "TOP")],
                            heights=[None, 32, None])

    def assisting(self) -> Grid:
        rows = [[self.p(policy_label(unit)), self.p(task)] for unit, task in self.d.assisting]
        extra = []
        if not rows:
            rows = [[self.p(_("No other unit was asked to help.")), ""]]
            extra = [("SPAN", (0, 0), (-1, 0))]
        return self.section(_("Assisting units"), rows, [0.22, 0.78],
                            header=[_("Unit"), _("Task")], extra=extra)

    def sign_off(self) -> Grid:
        boxes = [_("Recording unit head"), _("Handling unit head"), _("Audit office")]
        if self.d.cost_claimed:
            boxes.append(_("Finance (cost review)"))
        date_line = _("Date:")
        return self.section(_("Sign-off"), [[self.p(b, "sign") for b in boxes], [""] * len(boxes),
                                            [self.p(date_line, "small") for _b in boxes]],
                            [1 / len(boxes)] * len(boxes),
                            extra=[("BACKGROUND", (0, 0), (-1, 0), FILL)], heights=[None, 32, None])

    def migration_mark(self) -> list:
        """Migrated history says so at the top of every copy: the people it names did not
        sign for it in this store."""
        d = self.d
        if not d.migrated:
            return []
        return [self.heading(_("MIGRATED RECORD: migrated history, imported by {name} on "
                               "{date}; not a decision taken in this store").format(
                                   name=d.migrated_by, date=self.when(d.migrated_at))),
                Spacer(0, 3)]

    def build(self) -> list:
        d = self.d
        gap = Spacer(0, 3)
        flow = self.migration_mark()
        flow += [self.reception().kept(), gap, self.subject().kept(), gap]
        flow += self.long_text(_("Complaint (in the customer's words)"), d.complaint)
        flow += self.long_text(_("Customer's request"), d.request)
        flow += [self.steps().kept(), gap, self.offers().kept(), gap]
        flow += self.result() + [_together(self.compensation()), gap]
        flow += [_together(self.settlement())] if self.d.settlement else []
        flow += [self.assisting().kept(), gap, self.sign_off().kept()]
        return flow
