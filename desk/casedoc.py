"""The JSON case document: one case (or a list) as exported, imported and carried in day
packs. Import replays the case through the services in time order, so a document obeys
every rule a clerk at the counter obeys; a batch is all-or-nothing.

The format is described in docs/case-format.md with a JSON Schema beside it.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import attachments
from desk.errors import N_, AuthenticationError, DomainError, ValidationError
from desk.model import Case, Staff
from desk.policy import Policy
from desk.queries import forget_case, load_case
from desk.services import handling, intake, offers, validate
from desk.services.auth import Actor, actor_for, check_pin, staff_by_no

log = logging.getLogger("desk.security")

FORMAT = "complaint-desk/case@1"
MAX_FILE_BYTES = 64 * 1024 * 1024
TOP_KEYS = {"format", "case_no", "desk", "received_at", "channel", "recorder", "handler",
            "customer", "subject", "category", "complaint", "request", "motive", "severity",
            "level", "responsible_unit", "text_locale", "assisting_units", "steps", "offers",
            "escalations", "resolution", "recipient", "closure", "not_accepted", "void",
            "follow_ups", "attachments", "status", "history", "validity", "duplicate_of"}


class DocumentError(DomainError):
    """A case document is malformed or breaks a rule; names the document and the field."""


# --- reading files ---------------------------------------------------------------------------

def read_documents(path: Path) -> list[dict]:
    """One document or a list of them from a JSON file; malformed JSON is a clear error."""
    path = Path(path)
    if path.stat().st_size > MAX_FILE_BYTES:
        raise ValidationError(N_("the file is larger than {limit} MB"), field="document",
                              limit=MAX_FILE_BYTES // (1024 * 1024))
    raw = path.read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise ValidationError(N_("the file is not UTF-8 text"), field="document") from None
    except json.JSONDecodeError as exc:
        raise ValidationError(N_("not valid JSON (line {line}, column {column}: {detail})"),
                              field="document", line=exc.lineno, column=exc.colno,
                              detail=exc.msg) from None
    docs = data if isinstance(data, list) else [data]
    if not docs:
        raise ValidationError(N_("the file holds no cases"), field="document")
    return docs


# --- import ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Imported:
    index: int
    case_no: str
    original_case_no: str | None


def import_documents(session: Session, policy: Policy, docs: list[dict]) -> list[Imported]:
    """Replay every document; the first problem raises ``DocumentError`` and, since the
    caller's unit of work rolls back, nothing of the batch is written."""
    done = []
    for index, doc in enumerate(docs, start=1):
        try:
            done.append(_import_one(session, policy, doc, index))
        except DomainError as exc:
            raise DocumentError(N_("case document {index}: {problem}"), index=index,
                                problem=exc.message()) from exc
        # Every event of the document is flushed: the session may let the case go, so a
        # batch of ten thousand does not keep ten thousand cases in memory. (No document
        # refers to another; queries.load_case would load it again if one did.)
        forget_case(session, done[-1].case_no)
    return done


def _import_one(session: Session, policy: Policy, doc: object, index: int) -> Imported:
    if not isinstance(doc, dict):
        raise ValidationError(N_("must be a JSON object"), field="document")
    unknown = sorted(set(doc) - TOP_KEYS)
    if unknown:
        raise ValidationError(N_("unknown field {value}"), field="document", value=unknown[0][:40])
    if doc.get("format", FORMAT) != FORMAT:
        raise ValidationError(N_("unsupported format {value}"), field="document",
                              value=str(doc.get("format"))[:40])
    original = doc.get("case_no")
    if original is not None and session.scalar(select(Case.id).where(Case.case_no == str(original))):
        raise ValidationError(N_("case {value} is already in this store"), field="case_no",
                              value=str(original)[:40])
    customer = _obj(doc, "customer")
    subject = _obj(doc, "subject")
    recorder = _staff(session, doc.get("recorder"), "recorder")
    received = validate.aware(_required(doc, "received_at"), "received_at")
    inp = intake.CaseInput(
        desk=doc.get("desk"), channel=doc.get("channel"), customer_name=customer.get("name"),
        customer_phone=customer.get("phone"), customer_member_no=customer.get("member_no"),
        customer_address=customer.get("address"), subject_kind=subject.get("kind"),
        subject_name=subject.get("name"), subject_staff=subject.get("staff"),
        category=doc.get("category"), complaint=doc.get("complaint"),
        request=doc.get("request") or "", motive=doc.get("motive"), severity=doc.get("severity"),
        level=doc.get("level"), responsible_unit=doc.get("responsible_unit"),
        handler=doc.get("handler"), received_at=received,
        text_locale=doc.get("text_locale") or "zh_TW",
        assisting=tuple((a.get("unit"), a.get("task")) if isinstance(a, dict) else a
                        for a in _list(doc, "assisting_units")))
    case = intake.take_complaint(session, policy, recorder, inp, now=received)
    for at, _order, action in sorted(_events(session, policy, doc), key=lambda e: (e[0], e[1])):
        action(case.case_no, at)
    return Imported(index, case.case_no, str(original) if original else None)


def _events(session: Session, policy: Policy, doc: dict):
    """(time, order, action) for everything after intake, replayed in time order."""
    events = []
    for i, step in enumerate(_list(doc, "steps")):
        f = f"steps[{i}]"
        step = _dict(step, f)
        by = _staff(session, step.get("by"), f"{f}.by")
        events.append((_at(step, f), 2, lambda no, at, s=step, by=by: handling.record_step(
            session, policy, no, by, s.get("step"), note=s.get("note") or "",
            skip_reason=s.get("skipped_reason"),
            promised_reply_at=s.get("promised_reply_at"), now=at)))
    for i, esc in enumerate(_list(doc, "escalations")):
        f = f"escalations[{i}]"
        esc = _dict(esc, f)
        by = _staff(session, esc.get("by"), f"{f}.by")
        events.append((_at(esc, f), 1, lambda no, at, e=esc, by=by: handling.escalate(
            session, policy, no, by, e.get("to_level"), e.get("reason"),
            severity=e.get("severity"), handler=e.get("handler"), now=at)))
    for i, offer in enumerate(_list(doc, "offers")):
        events.extend(_offer_events(session, policy, _dict(offer, f"offers[{i}]"), i))
    res = doc.get("resolution")
    if res is not None:
        res = _dict(res, "resolution")
        by = _staff(session, res.get("by"), "resolution.by")
        events.append((_at(res, "resolution"), 5, lambda no, at, r=res, by=by: handling.resolve(
            session, policy, no, by, r.get("handling_result"), r.get("validity"),
            police_report_no=r.get("police_report_no"), now=at)))
    rec = doc.get("recipient")
    if rec is not None:
        rec = _dict(rec, "recipient")
        by = _staff(session, doc.get("recorder"), "recorder")
        events.append((_at(rec, "recipient"), 6, lambda no, at, r=rec, by=by:
                       handling.record_signature(session, no, by, r.get("name"), now=at)))
    for key, order, call in (("closure", 7, _close), ("not_accepted", 7, _not_accept),
                             ("void", 9, _void)):
        block = doc.get(key)
        if block is not None:
            block = _dict(block, key)
            by = _staff(session, block.get("by"), f"{key}.by")
            events.append((_at(block, key), order,
                           lambda no, at, b=block, by=by, c=call: c(session, policy, no, by, b, at)))
    for i, call in enumerate(_list(doc, "follow_ups")):
        f = f"follow_ups[{i}]"
        call = _dict(call, f)
        by = _staff(session, call.get("by"), f"{f}.by")
        events.append((_at(call, f), 8, lambda no, at, c=call, by=by: handling.add_follow_up(
            session, policy, no, by, reached=bool(c.get("reached")),
            satisfaction=c.get("satisfaction"), comment=c.get("comment") or "",
            text_sent=bool(c.get("text_sent")), now=at)))
    for i, att in enumerate(_list(doc, "attachments")):
        f = f"attachments[{i}]"
        att = _dict(att, f)
        by = _staff(session, att.get("by") or doc.get("recorder"), f"{f}.by")
        events.append((_at(att, f), 1, lambda no, at, a=att, by=by, f=f: handling.add_attachment(
            session, no, by, attachments.from_document(session, a, f), a.get("path"),
            a.get("description") or "", now=at)))
    return events


def _close(session, policy, no, by, block, at):
    handling.close(session, policy, no, by, recipient_name=block.get("recipient"), now=at)


def _not_accept(session, policy, no, by, block, at):
    handling.not_accept(session, policy, no, by, block.get("reason"), block.get("note"), now=at)


def _void(session, policy, no, by, block, at):
    handling.void(session, policy, no, by, block.get("reason"), now=at)


def _offer_events(session: Session, policy: Policy, offer: dict, i: int):
    f = f"offers[{i}]"
    by = _staff(session, offer.get("by"), f"{f}.by")
    approval = offer.get("approval")
    approver = None
    decision = "approved"
    note = ""
    if approval is not None:
        approval = _dict(approval, f"{f}.approval")
        decision = approval.get("decision", "approved")
        if decision not in ("approved", "refused", "pending"):
            raise ValidationError(N_("{value} is not one of: {allowed}"), field=f"{f}.approval",
                                  value=str(decision)[:20], allowed="approved, refused, pending")
        note = approval.get("note") or ""
        if decision != "pending":
            # An approval in a file is only believed with the approver's own PIN.
            # A wrong PIN here refuses the whole import and leaves the store exactly as it
            # was (the lock-out counter included); it is logged so repeated tries show.
            try:
                approver = check_pin(session, policy, str(approval.get("by")),
                                     str(approval.get("pin") or ""), field="approver",
                                     count_failure=False)
            except AuthenticationError:
                log.warning("case import: wrong or refused approver PIN for %s",
                            str(approval.get("by"))[:30])
                raise
    events = [(_at(offer, f), 3, lambda no, at: offers.make_offer(
        session, policy, no, by, offer.get("kind"), offer.get("amount"),
        charged=offer.get("charged"), due=offer.get("due"),
        description=offer.get("description") or "", serials=tuple(offer.get("serials") or ()),
        final=bool(offer.get("final")), approver=approver,
        approver_refuses=decision == "refused", approval_note=note,
        request_approval=decision == "pending", at_fault_staff=offer.get("at_fault_staff"),
        now=at))]
    answer = offer.get("answer", "pending")
    if answer not in (None, "pending"):
        when = validate.aware(offer.get("answered_at") or offer.get("at"), f"{f}.answered_at")
        events.append((when, 4, lambda no, at: offers.record_answer(
            session, policy, no, i + 1, by, answer, now=at)))
    return events


def _required(doc: dict, key: str) -> object:
    if doc.get(key) in (None, ""):
        raise ValidationError(N_("is required"), field=key)
    return doc[key]


def _obj(doc: dict, key: str) -> dict:
    return _dict(doc.get(key) or {}, key)


def _dict(value: object, field: str) -> dict:
    if not isinstance(value, dict):
        raise ValidationError(N_("must be a JSON object"), field=field)
    return value


def _list(doc: dict, key: str) -> list:
    value = doc.get(key) or []
    if not isinstance(value, list):
        raise ValidationError(N_("must be a list"), field=key)
    return value


def _at(block: dict, field: str) -> datetime:
    return validate.aware(block.get("at"), f"{field}.at")


def _staff(session: Session, staff_no: object, field: str) -> Actor:
    if not isinstance(staff_no, str) or not staff_no:
        raise ValidationError(N_("is required"), field=field)
    staff_by_no(session, staff_no, field)
    return actor_for(session, staff_no)


# --- export ----------------------------------------------------------------------------------

def export_case(session: Session, case_no: str, *, mask=None) -> dict:
    """The case as a document; ``mask`` (optional) hides personal data for roles without
    the privilege."""
    case = load_case(session, case_no)
    staff = {s.id: s.staff_no for s in session.scalars(select(Staff))}
    iso = _iso
    doc: dict = {
        "format": FORMAT, "case_no": case.case_no, "status": case.status, "desk": case.desk,
        "received_at": iso(case.received_at), "channel": case.channel,
        "recorder": staff[case.recorder_id], "handler": staff[case.handler_id],
        "customer": {"name": case.customer_name, "phone": case.customer_phone,
                     "member_no": case.customer_member_no, "address": case.customer_address},
        "subject": {"kind": case.subject_kind, "name": case.subject_name,
                    "staff": staff.get(case.subject_staff_id)},
        "category": case.category, "complaint": case.complaint, "request": case.request,
        "motive": case.motive, "severity": case.severity, "level": case.level,
        "validity": case.validity, "responsible_unit": case.responsible_unit,
        "text_locale": case.text_locale,
        "assisting_units": [{"unit": a.unit, "task": a.task} for a in case.assists],
        "steps": [{"step": s.step, "at": iso(s.done_at), "by": staff[s.staff_id], "note": s.note,
                   "skipped_reason": s.skipped_reason,
                   "promised_reply_at": iso(s.promised_reply_at)} for s in case.steps],
        "offers": [_export_offer(o, staff) for o in case.offers],
        "escalations": [{"at": iso(h.at), "by": staff[h.staff_id], "to_level": h.to_level,
                         "reason": h.reason} for h in case.history
                        if h.from_level and h.to_level and h.from_level != h.to_level],
        "follow_ups": [{"at": iso(c.at), "by": staff[c.staff_id], "reached": c.reached,
                        "satisfaction": c.satisfaction, "comment": c.comment,
                        "text_sent": c.text_sent} for c in case.follow_ups],
        "attachments": [{"path": a.path, "sha256": a.sha256, "description": a.description,
                         "at": iso(a.added_at), "by": staff[a.added_by_id]}
                        for a in case.attachments],
        "history": [{"at": iso(h.at), "by": staff[h.staff_id], "from": h.from_status,
                     "to": h.to_status, "reason": h.reason} for h in case.history],
    }
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
    if case.duplicate_of_id:
        doc["duplicate_of"] = session.scalar(select(Case.case_no).where(Case.id == case.duplicate_of_id))
    if mask is not None:
        mask(doc)
    return doc


def _export_offer(o, staff: dict) -> dict:
    out = {"kind": o.kind, "amount": str(o.amount), "description": o.description,
           "serials": list(o.serials or []), "final": o.is_final, "by": staff[o.requested_by_id],
           "at": _iso(o.requested_at), "answer": o.answer, "answered_at": _iso(o.answered_at),
           "at_fault_staff": o.at_fault_staff}
    if o.charged is not None:
        out.update(charged=str(o.charged), due=str(o.due))
    if o.approval != "not_needed":
        out["approval"] = {"by": staff.get(o.approver_id), "at": _iso(o.decided_at),
                           "decision": o.approval, "note": o.approval_note}
    return out


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
