"""Working a case after intake: the six steps, escalation, not accepted, resolve, close,
void, duplicates, follow-up calls, attachments and the recipient's signature."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from desk import attachments, money, rules
from desk.enums import Answer, Level, NotAcceptedReason, Privilege, Status, Step, Validity
from desk.errors import N_, AuthorityError, ConflictError, RecusalError, TransitionError, ValidationError
from desk.model import Attachment, Case, FollowUp, StatusChange, StepRecord, utcnow
from desk.policy import Policy
from desk.actions import check_may_close, check_may_decide
from desk.privileges import holds
from desk.queries import load_case
from desk.services import levels, memo, revisit, validate
from desk.services.auth import Actor, staff_by_no
from desk.uow import bind_actor


def open_case(session: Session, case_no: str, actor: Actor, *, expected_version: int | None = None,
              handling: bool = True, after_care: bool = False) -> Case:
    """Load a case for a change; refuse when the actor is its subject (recusal), when it
    changed since the caller read it (``expected_version``), or when its day was closed after
    review (only ``after_care`` -- follow-up calls -- goes on after the close)."""
    bind_actor(session, actor)
    case = load_case(session, case_no)
    if not after_care:
        memo.day_open(session, case.desk, case.day, case.case_no)
    if expected_version is not None and case.version != expected_version:
        raise ConflictError(N_("case {value} was changed by someone else since you opened it; "
                               "reopen it to see their changes"), value=case.case_no)
    if handling and case.subject_staff_id == actor.id:
        raise RecusalError(N_("{value} is the subject of this complaint and may not handle, "
                              "approve or close it"), field="handler", value=actor.name)
    return case


def move(case: Case, target: Status, actor: Actor, now: datetime, reason: str = "") -> None:
    rules.check_transition(case.status, target)
    case.history.append(StatusChange(at=now, staff_id=actor.id, from_status=case.status,
                                     to_status=target.value, reason=reason))
    case.status = target.value
    case.updated_at = now


def _require_active(case: Case) -> None:
    if Status(case.status) not in rules.ACTIVE:
        raise TransitionError(N_("the case is {status}; steps and offers are recorded only "
                                 "while it is open"), status=Status(case.status).label)


def record_step(session: Session, policy: Policy, case_no: str, actor: Actor, step: str, *,
                note: str = "", skip_reason: str | None = None,
                promised_reply_at: datetime | None = None, now: datetime | None = None,
                expected_version: int | None = None) -> StepRecord:
    """Mark one of the six steps done (or skipped with a reason), in order."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, expected_version=expected_version)
    _require_active(case)
    member = Step.parse(step)
    if member is None:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field="step",
                              value=str(step)[:20], allowed=", ".join(s.value for s in Step))
    rules.check_step_order({s.step for s in case.steps}, member)
    note = validate.text(note, "note", required=False, max_len=2000)
    reason = None
    if skip_reason is not None:
        reason = validate.text(skip_reason, "reason", max_len=500)
    promised = None
    if member is Step.COMMIT and reason is None:
        if promised_reply_at is None:
            raise ValidationError(N_("the commit step needs the reply time promised to the "
                                     "customer"), field="promised_reply_at")
        promised = validate.aware(promised_reply_at, "promised_reply_at")
        if promised < now:
            raise ValidationError(N_("a promised reply time must be in the future"),
                                  field="promised_reply_at")
        if promised > revisit.latest_promise(case):
            raise ValidationError(N_("is past the statutory limit for this complaint"),
                                  field="promised_reply_at")
        case.promised_reply_at = promised
    record = StepRecord(step=member.value, done_at=now, staff_id=actor.id, skipped_reason=reason,
                        note=note, promised_reply_at=promised)
    case.steps.append(record)
    if member is Step.LISTEN and case.first_contact_at is None:
        case.first_contact_at = now
    if case.status == Status.OPEN:
        move(case, Status.IN_PROGRESS, actor, now)
    case.updated_at = now
    session.flush()
    return record


def escalate(session: Session, policy: Policy, case_no: str, actor: Actor, to_level: str,
             reason: str, *, severity: int | None = None, handler: str | None = None,
             now: datetime | None = None) -> Case:
    """Raise the level (and optionally severity or handler). Allowed at any time before the
    case is closed: nobody may stall a case by saying it is beyond their authority. A named
    handler must hold the role of the (new) severity; a new severity moves the deadlines."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, handling=False)
    if Status(case.status) in rules.FINAL:
        raise TransitionError(N_("the case is {status}; it can no longer be escalated"),
                              status=Status(case.status).label)
    target = Level(validate.choice(Level, to_level, "level"))
    if target.order <= Level(case.level).order:
        raise ValidationError(N_("escalation must go to a higher level than {value}"),
                              field="level", value=Level(case.level).label)
    reason = validate.text(reason, "reason", max_len=1000)
    if severity is not None:
        new_severity = max(case.severity, validate.severity(severity))
        if new_severity != case.severity:
            levels.recompute_deadlines(session, policy, case, new_severity)
        case.severity = new_severity
    if handler:
        new_handler = staff_by_no(session, handler, "handler")
        if new_handler.id == case.subject_staff_id:
            raise RecusalError(N_("{value} is the subject of this complaint and may not handle it; "
                                  "name another handler"), field="handler", value=new_handler.name)
        rules.refuse_below(policy, policy.roles[new_handler.role], new_handler.name, "handle",
                           target.value, case.severity, field="handler")
        case.handler_id = new_handler.id
    levels.change_level(case, target, actor, now, reason)
    session.flush()
    return case


def not_accept(session: Session, policy: Policy, case_no: str, actor: Actor, reason: str,
               note: str, now: datetime | None = None) -> Case:
    """Decline a complaint that must not be taken up again, with one of the four reasons.
    Like resolving, it needs the role the policy names for the case's level and severity."""
    now = now or utcnow()
    case = open_case(session, case_no, actor)
    check_may_decide(policy, actor, "not_accept", case.level, case.severity)
    key = validate.choice(NotAcceptedReason, reason, "reason")
    note = validate.text(note, "note", max_len=2000)
    move(case, Status.NOT_ACCEPTED, actor, now, note)
    case.not_accepted_reason = key
    case.status_note = note
    session.flush()
    return case


def resolve(session: Session, policy: Policy, case_no: str, actor: Actor, handling_result: str,
            validity: str, *, police_report_no: str | None = None, now: datetime | None = None,
            expected_version: int | None = None) -> Case:
    """Record the outcome; the actor's role must reach the policy's ``resolve`` role for the
    case's level and its severity's handler role (a clerk never resolves a level-2 case)."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, expected_version=expected_version)
    rules.check_transition(case.status, Status.RESOLVED)
    check_may_decide(policy, actor, "resolve", case.level, case.severity)
    blockers = rules.resolve_blockers({s.step for s in case.steps})
    if blockers:
        raise TransitionError(N_("cannot resolve yet: {problems}"), problems="; ".join(blockers))
    unanswered = [o for o in case.offers if money.is_granted(o) and o.answer == Answer.PENDING]
    if unanswered:
        raise TransitionError(N_("record the customer's answer to offer {value} first"),
                              value=unanswered[0].seq)
    result = validate.text(handling_result, "handling_result", max_len=4000)
    verdict = validate.choice(Validity, validity, "validity")
    report = validate.optional_text(police_report_no, "police_report_no", 40)
    category = policy.categories.get(case.category)
    if verdict == Validity.UNDETERMINED:
        if not (category and category.police_report):
            raise ValidationError(N_("decide whether the complaint is founded before resolving"),
                                  field="validity")
        if not report:
            raise ValidationError(N_("liability is unclear: refer the customer to the police "
                                     "and record the report number"), field="police_report_no")
    case.handling_result = result
    case.validity = verdict
    case.police_report_no = report or case.police_report_no
    case.resolved_at = now
    case.follow_up_due = rules.follow_up_due(policy, now, case.severity)
    move(case, Status.RESOLVED, actor, now)
    session.flush()
    return case


def record_signature(session: Session, case_no: str, actor: Actor, recipient_name: str,
                     now: datetime | None = None) -> Case:
    """The customer signs for the compensation received (受償人簽收)."""
    now = now or utcnow()
    case = open_case(session, case_no, actor)
    case.recipient_name = validate.text(recipient_name, "recipient", max_len=100)
    case.recipient_signed_at = now
    case.updated_at = now
    session.flush()
    return case


def close(session: Session, policy: Policy, case_no: str, actor: Actor, *,
          recipient_name: str | None = None, now: datetime | None = None) -> Case:
    """Sign a resolved case off: the close privilege, and the policy's ``close`` role for the
    case's level and its severity's handler role."""
    now = now or utcnow()
    case = open_case(session, case_no, actor)
    check_may_close(policy, actor, case.level, case.severity)
    rules.check_transition(case.status, Status.CLOSED)
    paid = any(money.is_paid(o) and o.amount > 0 for o in case.offers)
    if recipient_name:
        case.recipient_name = validate.text(recipient_name, "recipient", max_len=100)
        case.recipient_signed_at = now
    if paid and not case.recipient_name:
        raise ValidationError(N_("a cost was paid: record who received it and signed"),
                              field="recipient")
    case.closed_at = now
    move(case, Status.CLOSED, actor, now)
    session.flush()
    return case


def void(session: Session, policy: Policy, case_no: str, actor: Actor, reason: str,
         now: datetime | None = None) -> Case:
    """Void a case entered by mistake. It is never deleted: its number stays used, like a
    spoilt sheet kept in a pre-numbered pad."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, handling=False)
    if case.recorder_id != actor.id and not holds(policy, actor, Privilege.CLOSE):
        raise AuthorityError(N_("only the recorder or a supervisor may void a case"),
                             field="status")
    reason = validate.text(reason, "reason", max_len=1000)
    move(case, Status.VOIDED, actor, now, reason)
    case.status_note = reason
    session.flush()
    return case


def link_duplicate(session: Session, case_no: str, primary_no: str, actor: Actor, reason: str = "",
                   now: datetime | None = None) -> Case:
    """Point a second case about the same matter at the one that handles it."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, handling=False)
    primary = load_case(session, primary_no, field="case_no")
    while primary.duplicate_of_id:
        primary = session.get(Case, primary.duplicate_of_id)
    if primary.id == case.id:
        raise ValidationError(N_("a case cannot be a duplicate of itself"), field="case_no")
    if Status(case.status) in rules.FINAL:
        raise TransitionError(N_("the case is {status}; it can no longer be linked"),
                              status=Status(case.status).label)
    case.duplicate_of_id = primary.id
    case.history.append(StatusChange(
        at=now, staff_id=actor.id, from_status=case.status, to_status=case.status,
        reason=validate.text(reason, "reason", required=False, max_len=500)
        or f"duplicate of {primary.case_no}"))
    case.updated_at = now
    session.flush()
    return case


def add_follow_up(session: Session, policy: Policy, case_no: str, actor: Actor, *, reached: bool,
                  satisfaction: int | None = None, comment: str = "", text_sent: bool = False,
                  now: datetime | None = None) -> FollowUp:
    """A call back after resolution: reached (with satisfaction 1-5) or not. A poor score
    reopens the case for a revisit (``desk.services.revisit``)."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, handling=False, after_care=True)
    if case.status not in (Status.RESOLVED, Status.CLOSED):
        raise TransitionError(N_("follow-up calls are made after the case is resolved"))
    if reached:
        if satisfaction is None or isinstance(satisfaction, bool) or satisfaction not in range(1, 6):
            raise ValidationError(N_("rate it from 1 (very unhappy) to 5 (very satisfied)"),
                                  field="satisfaction")
    elif satisfaction is not None:
        raise ValidationError(N_("only a customer who was reached can rate the handling"),
                              field="satisfaction")
    call = FollowUp(at=now, staff_id=actor.id, reached=bool(reached), satisfaction=satisfaction,
                    comment=validate.text(comment, "comment", required=False, max_len=2000),
                    text_sent=bool(text_sent))
    case.follow_ups.append(call)
    case.updated_at = now
    if reached and revisit.needs_revisit(policy, satisfaction):
        revisit.reopen_for_revisit(policy, case, actor, satisfaction, now)
    session.flush()
    return call


def add_attachment(session: Session, case_no: str, actor: Actor, data: bytes | None, name: str,
                   description: str = "", now: datetime | None = None, *,
                   sha256: str | None = None) -> Attachment:
    """Attach a photo: its bytes are kept in the store (once per SHA-256, size-bounded),
    ``name`` is only its label. Without ``data`` (a case document naming a photo by its
    digest) only the reference is recorded; nothing is ever read from a path."""
    now = now or utcnow()
    case = open_case(session, case_no, actor, handling=False)
    if data is not None:
        sha256 = attachments.store_bytes(session, data, name)
    else:
        sha256 = attachments.check_digest(sha256)
    item = Attachment(path=attachments.safe_name(name), sha256=sha256,
                      description=validate.text(description, "description", required=False,
                                                max_len=500),
                      added_at=now, added_by_id=actor.id)
    case.attachments.append(item)
    case.updated_at = now
    session.flush()
    return item
