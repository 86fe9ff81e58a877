"""The JSON case document: one case (or a list) as exported, imported and carried in day
packs: its format, reading a file, and export. Import lives in ``desk.casedoc_import`` (the
replay through the services) and ``desk.casedoc_trust`` (who a document may say acted).

The format is described in docs/case-format.md with a JSON Schema beside it.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.casedoc_replies import export_replies
from desk.casedoc_trust import DocumentError
from desk.errors import N_, ValidationError
from desk.input_limits import CASE_DOCUMENT, read_json_file
from desk.model import Case, Staff
from desk.money_model import CostEvent, Settlement, StaffFinding
from desk.queries import load_case
from desk.services.levels import is_batch_raise, is_offer_raise

FORMAT = "complaint-desk/case@1"
TOP_KEYS = {"format", "case_no", "desk", "received_at", "channel", "recorder", "handler",
            "customer", "subject", "category", "complaint", "request", "motive", "severity",
            "level", "responsible_unit", "text_locale", "assisting_units", "steps", "offers",
            "escalations", "resolution", "recipient", "closure", "not_accepted", "void",
            "follow_ups", "attachments", "status", "history", "validity", "duplicate_of",
            "recorder_pin", "migrated", "migration", "replies", "contact", "interim_contacts",
            "settlement", "finding", "content_class", "degree"}

__all__ = ["FORMAT", "TOP_KEYS", "DocumentError", "read_documents", "export_case"]


# --- reading files ---------------------------------------------------------------------------

def read_documents(path: Path) -> list[dict]:
    """One document or a list of them from a JSON file, held to ``input_limits.CASE_DOCUMENT``
    (a regular file, its size, JSON depth and integer length) before and while it is read."""
    data = read_json_file(path, CASE_DOCUMENT, "document")
    docs = data if isinstance(data, list) else [data]
    if not docs:
        raise ValidationError(N_("the file holds no cases"), field="document")
    return docs


# --- export ----------------------------------------------------------------------------------

def export_case(session: Session, case_no: str, *, mask=None) -> dict:
    """The case as a document; ``mask`` (optional) hides personal data for roles without
    the privilege."""
    case = load_case(session, case_no)
    staff = {s.id: s.staff_no for s in session.scalars(select(Staff))}
    money_events: dict[int, list[CostEvent]] = {}
    for event in session.scalars(select(CostEvent).where(CostEvent.case_id == case.id)
                                 .order_by(CostEvent.id)):
        money_events.setdefault(event.offer_id, []).append(event)
    iso = _iso
    doc: dict = {
        "format": FORMAT, "case_no": case.case_no, "status": case.status, "desk": case.desk,
        "received_at": iso(case.received_at), "channel": case.channel,
        "recorder": staff[case.recorder_id], "handler": staff[case.handler_id],
        "customer": {"name": case.customer_name, "phone": case.customer_phone,
                     "member_no": case.customer_member_no, "address": case.customer_address,
                     "tier": case.customer_tier},
        "subject": {"kind": case.subject_kind, "name": case.subject_name,
                    "staff": staff.get(case.subject_staff_id)},
        "category": case.category, "complaint": case.complaint, "request": case.request,
        "motive": case.motive, "severity": case.severity,
        "content_class": case.content_class, "degree": case.degree,
        # the level it came in at: later raises come back from "escalations" and the offers
        "level": next((h.to_level for h in case.history if h.from_status is None), case.level),
        "validity": case.validity, "responsible_unit": case.responsible_unit,
        "text_locale": case.text_locale,
        "assisting_units": [{"unit": a.unit, "task": a.task} for a in case.assists],
        "steps": [{"step": s.step, "at": iso(s.done_at), "by": staff[s.staff_id], "note": s.note,
                   "skipped_reason": s.skipped_reason,
                   "promised_reply_at": iso(s.promised_reply_at)} for s in case.steps],
        "offers": [_export_offer(o, staff, money_events.get(o.id, [])) for o in case.offers],
        "escalations": [{"at": iso(h.at), "by": staff[h.staff_id], "to_level": h.to_level,
                         "reason": h.reason} for h in case.history
                        if h.from_level and h.to_level and h.from_level != h.to_level
                        and not is_offer_raise(h.reason)
                        and not is_batch_raise(h.reason)],
        "follow_ups": [{"at": iso(c.at), "by": staff[c.staff_id], "reached": c.reached,
                        "satisfaction": c.satisfaction, "comment": c.comment,
                        "text_sent": c.text_sent} for c in case.follow_ups],
        "interim_contacts": [{"at": iso(c.at), "by": staff[c.staff_id], "reached": c.reached,
                              "channel": c.channel, "said": c.said,
                              "promised_reply_at": iso(c.promised_reply_at)}
                             for c in case.contacts],
        "attachments": [{"path": a.path, "sha256": a.sha256, "description": a.description,
                         "at": iso(a.added_at), "by": staff[a.added_by_id]}
                        for a in case.attachments],
        "history": [{"at": iso(h.at), "by": staff[h.staff_id], "from": h.from_status,
                     "to": h.to_status, "reason": h.reason} for h in case.history],
    }
    written = export_replies(session, case, staff)
    if written:
        doc["replies"] = written
    last = {h.to_status: h for h in case.history}
    if case.resolved_at:
        doc["resolution"] = {"at": iso(case.resolved_at),
                             "by": staff[last["resolved"].staff_id] if "resolved" in last else None,
                             "handling_result": case.handling_result, "validity": case.validity,
                             "police_report_no": case.police_report_no}
    if case.recipient_name:
        doc["recipient"] = {"name": case.recipient_name, "at": iso(case.recipient_signed_at)}
    for status, key in (("closed", "closure"), ("not_accepted", "not_accepted"), ("voided", "void")):
        if case.status == status and status in last:
            block = {"at": iso(last[status].at), "by": staff[last[status].staff_id]}
            if status == "not_accepted":
                block.update(reason=case.not_accepted_reason, note=case.status_note)
            if status == "voided":
                block["reason"] = case.status_note
            doc[key] = block
    if case.contact_channel or case.customer_email or case.contact_consent is not None:
        doc["contact"] = {"channel": case.contact_channel, "consent": case.contact_consent,
                          "email": case.customer_email}
    if case.migrated_by_id:   # re-imported, it is migrated history again (docs/case-format.md)
        doc["migrated"] = True
        doc["migration"] = {"by": staff.get(case.migrated_by_id), "at": iso(case.migrated_at)}
    _export_settlement(session, case, staff, doc)
    if case.duplicate_of_id:
        doc["duplicate_of"] = session.scalar(select(Case.case_no).where(Case.id == case.duplicate_of_id))
    if mask is not None:
        mask(doc)
    return doc


def _export_settlement(session: Session, case: Case, staff: dict, doc: dict) -> None:
    """The signed settlement and the current finding about staff, when there are."""
    settled = session.scalar(select(Settlement).where(Settlement.case_id == case.id)
                             .order_by(Settlement.id.desc()).limit(1))
    if settled is not None:
        doc["settlement"] = {"at": _iso(settled.at), "by": staff[settled.staff_id],
                             "signer": settled.signer, "method": settled.method,
                             "signature_sha256": settled.signature_sha256,
                             "locale": settled.locale, "terms": settled.terms}
    finding = session.scalar(select(StaffFinding).where(StaffFinding.case_id == case.id)
                             .order_by(StaffFinding.id.desc()).limit(1))
    if finding is not None:
        doc["finding"] = {"at": _iso(finding.at), "by": staff[finding.by_id],
                          "staff": staff[finding.staff_id], "finding": finding.finding}


def _export_cost(e: CostEvent, staff: dict) -> dict:
    out = {"action": e.action, "at": _iso(e.at), "by": staff[e.staff_id], "note": e.note}
    extra = {"how": e.how, "refs": list(e.refs or []) or None, "evidence": e.evidence,
             "evidence_sha256": e.evidence_sha256, "recipient": e.recipient}
    out.update({k: v for k, v in extra.items() if v})
    return out


def _export_offer(o, staff: dict, events: list | None = None) -> dict:
    out = {"kind": o.kind, "amount": str(o.amount), "description": o.description,
           "serials": list(o.serials or []), "final": o.is_final, "by": staff[o.requested_by_id],
           "at": _iso(o.stated_at or o.requested_at), "answer": o.answer,
           "answered_at": _iso(o.answered_at), "at_fault_staff": o.at_fault_staff}
    if o.charged is not None:
        out.update(charged=str(o.charged), due=str(o.due))
    if o.approval != "not_needed":
        out["approval"] = {"by": staff.get(o.approver_id), "at": _iso(o.decided_at),
                           "decision": o.approval, "note": o.approval_note}
    if events:
        out["costs"] = [_export_cost(e, staff) for e in events]
    return out


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
