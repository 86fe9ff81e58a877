"""A case as the supervisor's review shows it: a compact page from the case document, and
the printed form page by page."""
from __future__ import annotations

from xml.sax.saxutils import escape

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from desk.enums import Answer, Approval, Channel, Level, Status, policy_label
from desk.i18n import _, format_datetime, format_money
from desk.policy import Policy
from desk.review import ReviewRow, review_label
from ui.widgets import fit_to_screen


class FormViewer(QDialog):
    """The printed form, page by page (rendered from the PDF bytes)."""

    def __init__(self, data: bytes, case_no: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("form_viewer")
        self.setWindowTitle(_("Form {case}").format(case=case_no))
        from ui.print_preview import render_pages
        pages = QWidget()
        column = QVBoxLayout(pages)
        for image in render_pages(data, 760):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            column.addWidget(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        close = QPushButton(_("Close"))
        close.clicked.connect(self.accept)
        layout.addWidget(close)
        fit_to_screen(self, 820, 900)


# --- the case as the reviewer reads it --------------------------------------------------------

def case_html(doc: dict, row: ReviewRow, history: list, staff_name, policy: Policy) -> str:
    """A compact page from the case document: who, what, the six steps, offers, outcome."""
    tz, cur = policy.tz, policy.currency

    def t(value) -> str:
        return escape(str(value)) if value not in (None, "") else "—"

    def when(iso) -> str:
        from datetime import datetime
        return format_datetime(datetime.fromisoformat(iso), tz) if iso else "—"

    customer = doc.get("customer") or {}
    subject = doc.get("subject") or {}
    channel = Channel.parse(doc.get("channel"))
    parts = [f"<h3>{t(doc.get('case_no'))} · {t(Status(row.status).label)} · "
             f"{t(Level(row.level).label)} · {'★' * row.severity}</h3>",
             "<table cellspacing='2'>"]
    for label, value in (
            (_("Received"), f"{when(doc.get('received_at'))} · "
                            f"{channel.label if channel else t(doc.get('channel'))}"),
            (_("Customer"), " · ".join(filter(None, [customer.get("name"), customer.get("phone"),
                                                      customer.get("member_no")]))),
            (_("Subject"), subject.get("name") or staff_name(subject.get("staff"))),
            (_("Category"), policy_label(doc.get("category") or "")),
            (_("Handler"), staff_name(doc.get("handler"))),
            (_("Complaint"), doc.get("complaint")), (_("Request"), doc.get("request")),
    ):
        parts.append(f"<tr><td><b>{escape(label)}</b></td><td>{t(value)}</td></tr>")
    parts.append("</table>")
    steps = doc.get("steps") or []
    if steps:
        from desk.enums import Step
        parts.append(f"<p><b>{escape(_('Six steps'))}</b></p><ul>")
        for s in steps:
            step = Step.parse(s.get("step"))
            note = s.get("skipped_reason") and _("skipped: {reason}").format(
                reason=s["skipped_reason"]) or s.get("note") or ""
            parts.append(f"<li>{when(s.get('at'))} {t(step.label if step else s.get('step'))}"
                         f" — {t(staff_name(s.get('by')))} {escape(note)}</li>")
        parts.append("</ul>")
    offers = doc.get("offers") or []
    if offers:
        parts.append(f"<p><b>{escape(_('Compensation'))}</b></p><ul>")
        for o in offers:
            approval = o.get("approval") or {}
            approved = (_("approved by {name}").format(name=staff_name(approval.get("by")))
                        if approval.get("decision") == "approved" else
                        t(_label(Approval, approval.get("decision"))) if approval
                        else _("within authority"))
            serials = ", ".join(o.get("serials") or [])
            parts.append(f"<li>{t(policy_label(o.get('kind') or ''))} "
                         f"{escape(format_money(o.get('amount') or 0, cur))} · {approved} · "
                         f"{t(_label(Answer, o.get('answer')))} {escape(serials)}</li>")
        parts.append("</ul>")
    resolution = doc.get("resolution")
    if resolution:
        title = _("Result")
        parts.append(f"<p><b>{escape(title)}</b> ({when(resolution.get('at'))}): "
                     f"{t(resolution.get('handling_result'))}</p>")
    for call in doc.get("follow_ups") or []:
        text = (_("reached, satisfaction {n}/5").format(n=call.get("satisfaction"))
                if call.get("reached") else _("not reached"))
        title = _("Follow-up call")
        parts.append(f"<p>{escape(title)} {when(call.get('at'))}: {escape(text)} "
                     f"{t(call.get('comment') or '')}</p>")
    if row.review != "unreviewed":
        parts.append(f"<p><b>{escape(_('Review'))}</b>: {escape(review_label(row.review))}"
                     f" — {t(row.reviewer)} {t(row.review_comment or '')}</p>")
    for h in history[:-1] if history else []:
        parts.append(f"<p style='color:#666'>{escape(format_datetime(h.at, tz))} "
                     f"{escape(h.reviewer)}: {escape(review_label(h.decision))} "
                     f"{escape(h.comment)}</p>")
    return "".join(parts)


def _label(kind, value):
    """A stored answer or decision ("accepted") in the reader's language; an unknown value
    (a newer program's) as it was stored."""
    try:
        return kind(value).label
    except ValueError:
        return value


__all__ = ["FormViewer", "case_html"]
