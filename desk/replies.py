"""Written replies to the customer: drafted (from a template or typed), approved before they
go out (a supervisor-level approver who did not draft it; for the levels the policy names, a
second reviewer with the ``legal_review`` privilege), then frozen: printing and sending take
exactly the approved text, which the case and the audit log keep."""
from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from desk import reply_templates
from desk.audit.row_check import changed_outside
from desk.enums import Privilege, Status
from desk.errors import (N_, AuthorityError, NotFound, PolicyKey, RecusalError, TransitionError,
                         ValidationError)
from desk.i18n import LOCALES
from desk.model import Case, Staff, utcnow
from desk.policy import Policy
from desk.privileges import holds
from desk.replies_model import Reply, ReplyChannel, ReplyState
from desk.reply_rows import ReplyRow, replies_of, row_of, waiting_replies  # noqa: F401
from desk.services import contact, validate
from desk.services.auth import Actor
from desk.services.handling import open_case
from desk.services.settings import get_settings

_EMAIL = re.compile(r"^[^@\s<>,;\"]+@[^@\s<>,;\"]+\.[^@\s<>,;\"]+$")


def _replies(session: Session, case: Case) -> list[Reply]:
    return list(session.scalars(select(Reply).where(Reply.case_id == case.id)
                                .order_by(Reply.seq)))


def find_reply(session: Session, case: Case, seq: object) -> Reply:
    number = int(str(seq)) if str(seq).strip().isdigit() else None
    reply = session.scalar(select(Reply).where(Reply.case_id == case.id, Reply.seq == number)) \
        if number is not None else None
    if reply is None:
        raise NotFound(N_("case {case} has no reply {value}"), field="reply",
                       case=case.case_no, value=str(seq)[:10])
    return reply


def _recipient(case: Case, channel: str, value: object) -> str:
    """Where the reply goes: an e-mail address, a mobile number, or a postal address (the
    case's phone, e-mail and address by default). Never a line break: it would forge a
    header."""
    given = validate.text(value, "recipient", required=False, max_len=300)
    if channel == ReplyChannel.SMS:
        return validate.phone(given or case.customer_phone, "recipient") or _missing(channel)
    if channel == ReplyChannel.LETTER:
        return validate.text(given or case.customer_address or "", "recipient",
                             required=False, max_len=300) or _missing(channel)
    given = given or (case.customer_email or "")    # the address taken at intake
    if not given:
        _missing(channel)
    if not _EMAIL.match(given):
        raise ValidationError(N_("{value} is not an e-mail address"), field="recipient",
                              value=given[:60])
    return given


def _check_consent(case: Case, channel: str) -> None:
    if contact.refused(case, channel):
        raise ValidationError(N_("the customer did not agree to be contacted; no written "
                                 "reply goes to them (talk to them at the desk)"),
                              field="channel")


def _missing(channel: str) -> str:
    messages = {ReplyChannel.SMS: N_("a text message needs the customer's mobile number"),
                ReplyChannel.LETTER: N_("a letter needs the customer's postal address"),
                ReplyChannel.EMAIL: N_("an e-mail needs the customer's e-mail address")}
    raise ValidationError(messages[ReplyChannel(channel)], field="recipient")


def _one_line(value: object, field: str, max_len: int) -> str:
    text = validate.text(value, field, required=False, max_len=max_len)
    if any(ch in text for ch in "\n\t\u2028\u2029"):   # the mail library refuses them too
        raise ValidationError(N_("must be on one line"), field=field)
    return text


def draft_reply(session: Session, policy: Policy, case_no: str, actor: Actor, channel: object,
                *, template: str | None = None, locale: str | None = None,
                body: object = None, subject: object = None, recipient: object = None,
                now: datetime | None = None) -> Reply:
    """A new draft: the template's text with the case's fields in, or the text given (a
    template filled in and then edited at the counter is given as text)."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, after_care=True)
    if case.status == Status.VOIDED:
        raise TransitionError(N_("the case is {status}; there is nobody to reply to"),
                              status=Status(case.status).label)
    channel = validate.choice(ReplyChannel, channel, "channel")
    _check_consent(case, channel)
    locale = locale or case.text_locale
    if locale not in LOCALES:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="locale",
                              value=str(locale)[:10], allowed=", ".join(LOCALES))
    _check_filled(body, "body")      # a template's text the clerk did not finish
    _check_filled(subject, "subject")
    if template is not None:
        template = validate.code(template, "template")
    if template is not None and (body in (None, "") or subject is None):
        reply_templates.own_copy(session, locale, now)
        chosen = reply_templates.template(session, template, locale)
        fields = reply_templates.case_fields(case, policy, actor.name, locale,
                                             mall_name=get_settings(session).mall_name, now=now)
        if body in (None, ""):
            body = reply_templates.fill(chosen.body, fields, case.case_no, "body")
        if subject is None:
            subject = reply_templates.fill(chosen.subject, fields, case.case_no, "subject")
    limit = 600 if channel == ReplyChannel.SMS else reply_templates.MAX_TEXT
    reply = Reply(
        case_id=case.id, seq=len(_replies(session, case)) + 1, channel=channel, locale=locale,
        template=template, recipient=_recipient(case, channel, recipient),
        subject=_one_line(subject, "subject", 200), body=validate.text(body, "body",
                                                                       max_len=limit),
        state=ReplyState.DRAFT.value, drafted_by_id=actor.id, drafted_at=now, prints=0)
    if channel == ReplyChannel.EMAIL and not reply.subject:
        raise ValidationError(N_("an e-mail needs a subject"), field="subject")
    session.add(reply)
    session.flush()
    return reply


def _check_filled(text: object, field: str) -> None:
    left = reply_templates.unfilled(text) if isinstance(text, str) else []
    if left:
        raise ValidationError(N_("fill in ${value} before saving (the case does not say it "
                                 "yet)"), field=field, value=left[0])


def revise_draft(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor, *,
                 body: object = None, subject: object = None, recipient: object = None,
                 now: datetime | None = None) -> Reply:
    """Change a draft before anyone approved it; the reviser becomes its author (so they
    cannot approve it either). An approved reply is frozen: draft a new one instead."""
    case = open_case(session, case_no, actor, after_care=True)
    reply = find_reply(session, case, seq)
    if reply.state != ReplyState.DRAFT:
        raise TransitionError(N_("reply {value} is {state}; its text can no longer change "
                                 "(draft a new reply instead)"), field="reply",
                              value=reply.seq, state=ReplyState(reply.state).label)
    _check_filled(body, "body")
    _check_filled(subject, "subject")
    if body is not None:
        reply.body = validate.text(body, "body", max_len=600 if reply.channel == "sms"
                                   else reply_templates.MAX_TEXT)
    if subject is not None:
        reply.subject = _one_line(subject, "subject", 200)
    if recipient is not None:
        reply.recipient = _recipient(case, reply.channel, recipient)
    reply.drafted_by, reply.drafted_at = session.get(Staff, actor.id), now or utcnow()
    session.flush()
    return reply


def needs_second_review(policy: Policy, case: Case) -> bool:
    return case.level in policy.reply_second_review


def _check_unchanged(reply: Reply) -> None:
    """The reply's row as the program last wrote it (its audit entry): a drafter, text or
    state written into the file is neither approved nor let out."""
    if changed_outside(object_session(reply), reply):
        raise TransitionError(N_("reply {value} was changed outside Complaint Desk; it is not "
                                 "approved, printed or sent (a manager checks the audit log: "
                                 "desk audit verify)"), field="reply", value=reply.seq)


def _check_decider(policy: Policy, case: Case, reply: Reply, approver: Actor) -> None:
    _check_unchanged(reply)
    if approver.id == reply.drafted_by_id:
        raise AuthorityError(N_("a reply cannot be approved by the person who drafted it"),
                             field="approver")
    if approver.id == case.subject_staff_id:
        raise RecusalError(N_("{value} is the subject of this complaint and may not handle, "
                              "approve or close it"), field="approver", value=approver.name)
    if reply.state == ReplyState.DRAFT:
        needed = policy.roles[policy.reply_approver]
        role = policy.roles.get(approver.role)
        if role is None or role.rank < needed.rank:
            raise AuthorityError(N_("a written reply is approved by {role} or higher"),
                                 field="approver", role=PolicyKey(needed.key))
    elif reply.state == ReplyState.AWAITING_SECOND:
        if not holds(policy, approver, Privilege.LEGAL_REVIEW):
            if not any(r.has(Privilege.LEGAL_REVIEW) for r in policy.roles.values()):
                raise AuthorityError(N_("no role holds the \"legal_review\" privilege in the "
                                        "store's policy; an administrator gives it to one "
                                        "(desk policy apply)"), field="approver")
            raise AuthorityError(N_("the second review of a level-2 reply needs the "
                                    "\"legal_review\" privilege"), field="approver")
        if approver.id == reply.approved_by_id:
            raise AuthorityError(N_("the second review is by someone other than the first "
                                    "approver"), field="approver")
    else:
        raise TransitionError(N_("reply {value} is {state}; there is nothing to decide"),
                              field="reply", value=reply.seq, state=ReplyState(reply.state).label)


def approve_reply(session: Session, policy: Policy, case_no: str, seq: object,
                  approver: Actor, note: str = "", now: datetime | None = None) -> Reply:
    """The approver (signed in, their PIN checked) approves a draft, or gives the second
    review; the final approval freezes the text."""
    now = now or utcnow()
    case = open_case(session, case_no, approver, handling=False, after_care=True)
    reply = find_reply(session, case, seq)
    _check_decider(policy, case, reply, approver)
    note = validate.text(note, "note", required=False, max_len=1000) or None
    if reply.state == ReplyState.DRAFT:
        reply.approved_by, reply.approved_at = session.get(Staff, approver.id), now
        second = needs_second_review(policy, case)
        reply.state = (ReplyState.AWAITING_SECOND if second else ReplyState.APPROVED).value
    else:
        reply.reviewed_by, reply.reviewed_at = session.get(Staff, approver.id), now
        reply.state = ReplyState.APPROVED.value
    if note:
        reply.decision_note = note
    if reply.state == ReplyState.APPROVED:
        reply.body_sha256 = frozen_digest(reply)
    session.flush()
    return reply


def reject_reply(session: Session, policy: Policy, case_no: str, seq: object, approver: Actor,
                 note: str, now: datetime | None = None) -> Reply:
    """Send a draft back (why is required); a new draft replaces it."""
    now = now or utcnow()
    case = open_case(session, case_no, approver, handling=False, after_care=True)
    reply = find_reply(session, case, seq)
    _check_decider(policy, case, reply, approver)
    reply.decision_note = validate.text(note, "note", max_len=1000)
    reply.state = ReplyState.REJECTED.value
    reply.rejected_by_id, reply.rejected_at = approver.id, now
    session.flush()
    return reply


def frozen_digest(reply: Reply) -> str:
    data = json.dumps([reply.channel, reply.recipient, reply.subject, reply.body],
                      ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def releasable(policy: Policy, case: Case, reply: Reply) -> Reply:
    """Refuse to print or send anything but an approved reply, exactly as approved (and, for
    a case raised to a level that needs it since, with its second review)."""
    if reply.state != ReplyState.APPROVED:
        raise TransitionError(N_("reply {value} is {state}; only an approved reply is printed "
                                 "or sent"), field="reply", value=reply.seq,
                              state=ReplyState(reply.state).label)
    _check_consent(case, reply.channel)
    if reply.migrated:   # another system's approval is a record, not an approval here
        raise TransitionError(N_("reply {value} came in as migrated history; draft it again "
                                 "to have it approved here before it goes out"), field="reply",
                              value=reply.seq)
    if reply.body_sha256 != frozen_digest(reply):
        raise TransitionError(N_("reply {value} differs from the text that was approved; "
                                 "draft it again"), field="reply", value=reply.seq)
    _check_unchanged(reply)   # text and digest rewritten in the file itself
    if needs_second_review(policy, case) and reply.reviewed_by_id is None:
        raise TransitionError(N_("case {case} is now level 2: reply {value} needs the second "
                                 "review before it goes out"), field="reply",
                              case=case.case_no, value=reply.seq)
    return reply


def record_print(session: Session, policy: Policy, case_no: str, seq: object, actor: Actor,
                 now: datetime | None = None) -> Reply:
    """Count a printout of an approved reply (the letter PDF is made by the caller)."""
    case = open_case(session, case_no, actor, after_care=True)
    reply = releasable(policy, case, find_reply(session, case, seq))
    reply.prints += 1
    reply.printed_at = now or utcnow()
    session.flush()
    return reply
