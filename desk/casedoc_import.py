"""Importing case documents: each is replayed through the services the counter uses, in time
order, with every action attributed as ``desk.casedoc_trust`` allows; a batch is
all-or-nothing.

``import_file`` is the whole import a surface runs (the PINs in the file checked first,
then the batch in one unit of work of the importer); ``import_documents`` is the batch
inside a unit of work the caller holds.
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk import attachments, promises
from desk.audit import log_event
from desk.audit.chain import one_insert
from desk.casedoc import FORMAT, TOP_KEYS
from desk.casedoc_money import cost_step
from desk.casedoc_replies import reply_events
from desk.casedoc_trust import (NO_CREDENTIALS, Attribution, Clock, Credentials, in_document,
                                marked_as_migrated, require_import_privilege, stated_time,
                                verify_credentials)
from desk.errors import N_, DomainError, ValidationError
from desk.model import Case, utcnow
from desk.policy import Policy
from desk.queries import forget_case
from desk.services import handling, intake, offers, settlement, validate
from desk.services.auth import Actor


@dataclass(frozen=True)
class Imported:
    index: int
    case_no: str
    original_case_no: str | None
    migrated: bool = False


def import_file(store, policy: Policy, importer: Actor, docs: list, *, migrated: bool = False,
                now: datetime | None = None) -> list[Imported]:
    """Check the PINs the documents carry (each like a sign-in: a wrong one is counted even
    though the import is then refused), then import the batch as ``importer``."""
    credentials = verify_credentials(store, policy, docs)
    with store.write(importer) as session:
        return import_documents(session, policy, docs, importer, credentials=credentials,
                                migrated=migrated, now=now)


def import_documents(session: Session, policy: Policy, docs: list, importer: Actor, *,
                     credentials: Credentials = NO_CREDENTIALS, migrated: bool = False,
                     now: datetime | None = None) -> list[Imported]:
    """Replay every document as ``importer``; ``migrated`` brings the whole batch in as
    migrated history. The first problem raises ``DocumentError`` and, since the caller's
    unit of work rolls back, nothing of the batch is written."""
    now = now or utcnow()
    if migrated:
        require_import_privilege(policy, importer)
    clock = Clock(session, policy, now)
    done = []
    for index, doc in enumerate(docs, start=1):
        try:   # the document's audit entries (one per change, as always) in one insert
            with one_insert(session.connection()):
                done.append(_Replay(session, policy, importer, credentials, now)
                            .run(doc, index, clock, migrated))
        except DomainError as exc:
            raise in_document(index, exc) from exc
        # Every event of the document is flushed: the session may let the case go, so a
        # batch of ten thousand does not keep ten thousand cases in memory. (No document
        # refers to another; queries.load_case would load it again if one did.)
        forget_case(session, done[-1].case_no)
    return done


class _Replay:
    """One document replayed: intake, then its events in time order."""

    def __init__(self, session: Session, policy: Policy, importer: Actor,
                 credentials: Credentials, now: datetime) -> None:
        self.session, self.policy, self.importer = session, policy, importer
        self.credentials, self.now = credentials, now

    def run(self, doc: object, index: int, clock: Clock, migrated: bool) -> Imported:
        if not isinstance(doc, dict):
            raise ValidationError(N_("must be a JSON object"), field="document")
        unknown = sorted(set(doc) - TOP_KEYS)
        if unknown:
            raise ValidationError(N_("unknown field {value}"), field="document",
                                  value=unknown[0][:40])
        if doc.get("format", FORMAT) != FORMAT:
            raise ValidationError(N_("unsupported format {value}"), field="document",
                                  value=str(doc.get("format"))[:40])
        marked = doc.get("migrated", False)
        if not isinstance(marked, bool):
            raise ValidationError(N_("must be true or false"), field="migrated")
        self.history = migrated or marked
        if self.history:
            require_import_privilege(self.policy, self.importer)
        clock.check(doc, migrated=self.history)
        self.who = Attribution(self.session, self.policy, self.importer, self.credentials,
                               migrated=self.history)
        original = doc.get("case_no")
        if original is not None and self.session.scalar(
                select(Case.id).where(Case.case_no == str(original))):
            raise ValidationError(N_("case {value} is already in this store"), field="case_no",
                                  value=str(original)[:40])
        recorder = self.who.actor(doc, "recorder", by_key="recorder", pin_key="recorder_pin")
        received = validate.aware(_required(doc, "received_at"), "received_at")
        marking = (marked_as_migrated(self.session, self.importer, self.now) if self.history
                   else nullcontext())
        with marking:
            case = intake.take_complaint(self.session, self.policy, recorder,
                                         _case_input(doc, received), now=received)
            for at, _order, action in sorted(self.events(doc), key=lambda e: (e[0], e[1])):
                action(case.case_no, at)
        if self.history:
            log_event(self.session, "import", case.case_no, "migrated", case_no=case.case_no,
                      after={"migrated": True, "imported_by": self.importer.staff_no,
                             "imported_at": self.now.isoformat()},
                      staff_no=self.importer.staff_no)
        return Imported(index, case.case_no, str(original) if original else None, self.history)

    def events(self, doc: dict):
        """(time, order, action) for everything after intake, replayed in time order."""
        s, p = self.session, self.policy
        events = []
        for i, step in enumerate(_list(doc, "steps")):
            f = f"steps[{i}]"
            step = _dict(step, f)
            by = self.who.actor(step, f"{f}.by")
            events.append((_at(step, f), 2, lambda no, at, st=step, by=by: handling.record_step(
                s, p, no, by, st.get("step"), note=st.get("note") or "",
                skip_reason=st.get("skipped_reason"),
                promised_reply_at=st.get("promised_reply_at"), now=at)))
        for i, esc in enumerate(_list(doc, "escalations")):
            f = f"escalations[{i}]"
            esc = _dict(esc, f)
            by = self.who.actor(esc, f"{f}.by")
            events.append((_at(esc, f), 1, lambda no, at, e=esc, by=by: handling.escalate(
                s, p, no, by, e.get("to_level"), e.get("reason"), severity=e.get("severity"),
                handler=e.get("handler"), now=at)))
        for i, offer in enumerate(_list(doc, "offers")):
            events.extend(self.offer_events(_dict(offer, f"offers[{i}]"), i))
        res = doc.get("resolution")
        if res is not None:
            res = _dict(res, "resolution")
            by = self.who.actor(res, "resolution.by")
            events.append((_at(res, "resolution"), 5, lambda no, at, r=res, by=by: handling.resolve(
                s, p, no, by, r.get("handling_result"), r.get("validity"),
                police_report_no=r.get("police_report_no"), now=at)))
        rec = doc.get("recipient")
        if rec is not None:
            rec = _dict(rec, "recipient")
            by = self.who.actor(rec, "recipient.by")
            events.append((_at(rec, "recipient"), 6, lambda no, at, r=rec, by=by:
                           handling.record_signature(s, no, by, r.get("name"), now=at)))
        for key, order, call in (("closure", 7, _close), ("not_accepted", 7, _not_accept),
                                 ("void", 9, _void)):
            block = doc.get(key)
            if block is not None:
                block = _dict(block, key)
                by = self.who.actor(block, f"{key}.by")
                events.append((_at(block, key), order,
                               lambda no, at, b=block, by=by, c=call: c(s, p, no, by, b, at)))
        events.extend(self.settlement_events(doc))
        for i, call in enumerate(_list(doc, "follow_ups")):
            f = f"follow_ups[{i}]"
            call = _dict(call, f)
            by = self.who.actor(call, f"{f}.by")
            events.append((_at(call, f), 8, lambda no, at, c=call, by=by: handling.add_follow_up(
                s, p, no, by, reached=bool(c.get("reached")), satisfaction=c.get("satisfaction"),
                comment=c.get("comment") or "", text_sent=bool(c.get("text_sent")), now=at)))
        for i, item in enumerate(_list(doc, "interim_contacts")):
            f = f"interim_contacts[{i}]"
            item = _dict(item, f)
            by = self.who.actor(item, f"{f}.by")
            events.append((_at(item, f), 2, lambda no, at, c=item, by=by: promises.log_contact(
                s, p, no, by, reached=c.get("reached"), channel=c.get("channel"),
                said=c.get("said"), promised_reply_at=c.get("promised_reply_at"), now=at)))
        for i, att in enumerate(_list(doc, "attachments")):
            f = f"attachments[{i}]"
            att = _dict(att, f)
            by = self.who.actor(att, f"{f}.by")
            events.append((_at(att, f), 1, lambda no, at, a=att, by=by, f=f:
                           handling.add_attachment(s, no, by, attachments.from_document(a, f),
                                                   a.get("path"), a.get("description") or "",
                                                   now=at, sha256=a.get("sha256"))))
        events.extend(reply_events(self, doc, _list, _dict, _at))
        return events

    def offer_events(self, offer: dict, i: int):
        """The offer and the customer's answer. A grant in this store is made when it is
        imported (the day limit counts the day the grant is made, whatever the document
        says); migrated history keeps its own times and counts toward nobody's day."""
        s, p = self.session, self.policy
        f = f"offers[{i}]"
        by = self.who.actor(offer, f"{f}.by")
        approval = offer.get("approval")
        approver = None
        decision = "approved"
        note = ""
        if approval is not None:
            approval = _dict(approval, f"{f}.approval")
            decision = approval.get("decision", "approved")
            if decision not in ("approved", "refused", "pending"):
                raise ValidationError(N_("{value} is not one of: {allowed}"),
                                      field=f"{f}.approval", value=str(decision)[:20],
                                      allowed="approved, refused, pending")
            note = approval.get("note") or ""
            if decision != "pending":
                approver = self.who.actor(approval, f"{f}.approval.by")
        def grant(no: str, at: datetime) -> None:
            with nullcontext() if self.history else stated_time(s, at):
                offers.make_offer(
                    s, p, no, by, offer.get("kind"), offer.get("amount"),
                    charged=offer.get("charged"), due=offer.get("due"),
                    description=offer.get("description") or "",
                    serials=_serials(offer, f), final=bool(offer.get("final")),
                    approver=approver, approver_refuses=decision == "refused",
                    approval_note=note, request_approval=decision == "pending",
                    at_fault_staff=offer.get("at_fault_staff"),
                    now=at if self.history else self.now)

        events = [(_at(offer, f), 3, grant)]
        answer = offer.get("answer", "pending")
        if answer not in (None, "pending"):   # the customer's, at the time they gave it
            when = validate.aware(offer.get("answered_at") or offer.get("at"),
                                  f"{f}.answered_at")
            events.append((when, 4, lambda no, at: offers.record_answer(
                s, p, no, i + 1, by, answer, now=at)))
        for j, cost in enumerate(_list(offer, "costs")):
            cf = f"{f}.costs[{j}]"
            cost = _dict(cost, cf)
            doer = self.who.actor(cost, f"{cf}.by")
            events.append((_at(cost, cf), 4, lambda no, at, c=cost, d=doer, cf=cf:
                           cost_step(s, p, no, i + 1, d, c, cf, at)))
        return events

    def settlement_events(self, doc: dict):
        """The signed settlement and the finding about staff, each by whom the file says
        (trusted as every other action: the importer, a checked PIN, or migrated history)."""
        s, p = self.session, self.policy
        events = []
        block = doc.get("settlement")
        if block is not None:
            block = _dict(block, "settlement")
            by = self.who.actor(block, "settlement.by")
            events.append((_at(block, "settlement"), 6, lambda no, at, b=block, by=by:
                           settlement.sign_settlement(
                               s, p, no, by, b.get("signer"), b.get("method"), None,
                               terms=b.get("terms") or "", locale=b.get("locale"),
                               signature_sha256=b.get("signature_sha256"), now=at)))
        block = doc.get("finding")
        if block is not None:
            block = _dict(block, "finding")
            by = self.who.actor(block, "finding.by")
            events.append((_at(block, "finding"), 8, lambda no, at, b=block, by=by:
                           settlement.record_finding(s, p, no, by, b.get("staff"),
                                                     b.get("finding"), now=at)))
        return events


def _case_input(doc: dict, received: datetime) -> intake.CaseInput:
    customer = _dict(doc.get("customer") or {}, "customer")
    subject = _dict(doc.get("subject") or {}, "subject")
    reach = _dict(doc.get("contact") or {}, "contact")
    return intake.CaseInput(
        desk=doc.get("desk"), channel=doc.get("channel"), customer_name=customer.get("name"),
        customer_phone=customer.get("phone"), customer_member_no=customer.get("member_no"),
        customer_address=customer.get("address"), subject_kind=subject.get("kind"),
        subject_name=subject.get("name"), subject_staff=subject.get("staff"),
        category=doc.get("category"), complaint=doc.get("complaint"),
        request=doc.get("request") or "", motive=doc.get("motive"), severity=doc.get("severity"),
        level=doc.get("level"), responsible_unit=doc.get("responsible_unit"),
        handler=doc.get("handler"), received_at=received,
        text_locale=doc.get("text_locale") or "zh_TW",
        content_class=doc.get("content_class"), degree=doc.get("degree"),
        customer_tier=customer.get("tier"),
        customer_email=reach.get("email"), contact_channel=reach.get("channel"),
        contact_consent=reach.get("consent"),
        assisting=tuple((a.get("unit"), a.get("task")) if isinstance(a, dict) else a
                        for a in _list(doc, "assisting_units")))


def _close(session, policy, no, by, block, at):
    handling.close(session, policy, no, by, recipient_name=block.get("recipient"), now=at)


def _not_accept(session, policy, no, by, block, at):
    handling.not_accept(session, policy, no, by, block.get("reason"), block.get("note"), now=at)


def _void(session, policy, no, by, block, at):
    handling.void(session, policy, no, by, block.get("reason"), now=at)


def _required(doc: dict, key: str) -> object:
    if doc.get(key) in (None, ""):
        raise ValidationError(N_("is required"), field=key)
    return doc[key]


def _dict(value: object, field: str) -> dict:
    if not isinstance(value, dict):
        raise ValidationError(N_("must be a JSON object"), field=field)
    return value


def _list(doc: dict, key: str) -> list:
    value = doc.get(key) or []
    if not isinstance(value, list):
        raise ValidationError(N_("must be a list"), field=key)
    return value


def _serials(offer: dict, field: str) -> tuple:
    """The serial numbers of vouchers or tickets: a list of texts (``"serials": 2`` is not)."""
    value = offer.get("serials") or []
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise ValidationError(N_("must be a list"), field=f"{field}.serials")
    return tuple(value)


def _at(block: dict, field: str) -> datetime:
    return validate.aware(block.get("at"), f"{field}.at")
