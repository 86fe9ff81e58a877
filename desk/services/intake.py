"""Taking a complaint: validate every field, allocate the number, save it once."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from desk import rules
from desk.enums import Channel, ContentClass, Degree, Level, Motive, Status, SubjectKind
from desk.errors import N_, RecusalError, ValidationError
from desk.model import AssistingUnit, Case, StatusChange, utcnow
from desk.policy import Policy
from desk.queries import remember_case
from desk.services import batches, contact, malls, memo, numbering, validate
from desk.services.auth import Actor, staff_by_no
from desk.uow import bind_actor


@dataclass(frozen=True)
class CaseInput:
    """What the intake form (or a case document) supplies. Strings as typed; checked by
    ``check_input``. Missing level and unit come from the category's defaults."""

    desk: str
    channel: str
    customer_name: str
    category: str
    complaint: str
    motive: str
    severity: int
    subject_kind: str
    subject_name: str | None = None
    subject_staff: str | None = None
    customer_phone: str | None = None
    customer_member_no: str | None = None
    customer_address: str | None = None
    request: str = ""
    level: str | None = None
    responsible_unit: str | None = None
    handler: str | None = None
    assisting: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    received_at: datetime | None = None
    text_locale: str = "zh_TW"
    content_class: str | None = None   # ContentClass; None: not classified (yet)
    degree: str | None = None          # Degree; None: not classified (yet)
    customer_tier: str | None = None   # a key of the policy's [tiers]; None: not a member
    customer_email: str | None = None
    contact_channel: str | None = None      # desk.enums.ContactChannel key
    contact_consent: bool | None = None


@dataclass(frozen=True)
class CheckedInput:
    values: dict
    assisting: list[tuple[str, str]]


def check_input(policy: Policy, inp: CaseInput) -> CheckedInput:
    """Validate every field; the first problem raises, naming its field."""
    category = validate.key(policy.categories, inp.category, "category")
    defaults = policy.categories[category]
    level = validate.choice(Level, inp.level or defaults.level, "level")
    # A lower level than the category's would let a lower role resolve it (a clerk, a
    # legal-liability case): a case may start higher, never lower.
    if Level(level).order < Level(defaults.level).order:
        raise ValidationError(N_("a complaint of this category starts at {value} or higher"),
                              field="level", value=Level(defaults.level).label)
    unit = validate.code(inp.responsible_unit or defaults.unit, "responsible_unit")
    values = dict(
        desk=numbering.check_desk(inp.desk),
        channel=validate.choice(Channel, inp.channel, "channel"),
        customer_name=validate.text(inp.customer_name, "customer.name", max_len=100),
        customer_phone=validate.phone(inp.customer_phone),
        customer_member_no=validate.optional_text(inp.customer_member_no, "customer.member_no", 30),
        customer_address=validate.optional_text(inp.customer_address, "customer.address", 300),
        subject_kind=validate.choice(SubjectKind, inp.subject_kind, "subject.kind"),
        subject_name=validate.optional_text(inp.subject_name, "subject.name", 200),
        category=category,
        complaint=validate.text(inp.complaint, "complaint", max_len=5000),
        request=validate.text(inp.request, "request", required=False, max_len=2000),
        motive=validate.choice(Motive, inp.motive, "motive"),
        severity=validate.severity(inp.severity),
        level=level,
        responsible_unit=unit,
        text_locale=inp.text_locale if inp.text_locale in ("zh_TW", "zh_CN", "en") else "zh_TW",
        content_class=(validate.choice(ContentClass, inp.content_class, "content_class")
                       if inp.content_class is not None else None),
        degree=validate.choice(Degree, inp.degree, "degree") if inp.degree is not None else None,
        customer_tier=validate.key(policy.tiers, inp.customer_tier or "none", "customer.tier"),
    )
    values["customer_email"] = contact.email(inp.customer_email)
    values.update(contact.check_preference(values, inp.contact_channel, inp.contact_consent))
    if values["subject_kind"] == SubjectKind.STAFF and not inp.subject_staff:
        raise ValidationError(N_("name the staff member the complaint is about"),
                              field="subject.staff")
    if values["subject_kind"] == SubjectKind.TENANT and not values["subject_name"]:
        raise ValidationError(N_("name the tenant shop or vendor"), field="subject.name")
    assisting = []
    if not isinstance(inp.assisting, (tuple, list)):
        raise ValidationError(N_("each assisting unit needs a unit and a task"),
                              field="assisting_units")
    for i, pair in enumerate(inp.assisting):
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise ValidationError(N_("each assisting unit needs a unit and a task"),
                                  field=f"assisting_units[{i}]")
        assisting.append((validate.code(pair[0], f"assisting_units[{i}]"),
                          validate.text(pair[1], f"assisting_units[{i}]", max_len=1000)))
    return CheckedInput(values, assisting)


def take_complaint(session: Session, policy: Policy, actor: Actor, inp: CaseInput,
                   now: datetime | None = None) -> Case:
    """Record a new complaint and give it the next number on the desk's pad."""
    bind_actor(session, actor)
    now = now or utcnow()
    checked = check_input(policy, inp)
    values = dict(checked.values)
    received = validate.aware(inp.received_at, "received_at") if inp.received_at else now
    if received > now + timedelta(minutes=5):
        raise ValidationError(N_("cannot be in the future"), field="received_at")
    recorder = staff_by_no(session, actor.staff_no, "recorder")
    handler = staff_by_no(session, inp.handler, "handler") if inp.handler else recorder
    subject_staff = staff_by_no(session, inp.subject_staff, "subject.staff") if inp.subject_staff else None
    if subject_staff is not None and subject_staff.id == handler.id:
        raise RecusalError(N_("{value} is the subject of this complaint and may not handle it; "
                              "name another handler"), field="handler", value=handler.name)
    if handler.id != recorder.id:   # whoever takes it may start it; a named handler needs the role
        rules.refuse_below(policy, policy.roles[handler.role], handler.name, "handle",
                           values["level"], values["severity"], field="handler")
    day = received.astimezone(policy.tz).date()
    values["mall"] = malls.mall_of_desk(session, values["desk"])
    memo.day_open(session, values["desk"], day)
    seq = numbering.allocate(session, values["desk"], day)
    due = rules.deadlines(policy, received, values["severity"], values["channel"],
                          values["customer_tier"])
    case = Case(
        **values, case_no=numbering.format_case_no(values["desk"], day, seq), day=day, seq=seq,
        received_at=received, recorder_id=recorder.id, handler_id=handler.id,
        subject_staff_id=subject_staff.id if subject_staff else None,
        status=Status.OPEN.value, validity="undetermined",
        first_contact_at=received if values["channel"] in rules.IMMEDIATE_CHANNELS else None,
        first_contact_due=due.first_contact_due, resolution_due=due.resolution_due,
        statutory_due=due.statutory_due, updated_at=now,
    )
    case.assists = [AssistingUnit(unit=u, task=t) for u, t in checked.assisting]
    case.history = [StatusChange(at=now, staff_id=recorder.id, from_status=None,
                                 to_status=Status.OPEN.value, to_level=values["level"],
                                 reason="")]
    # A new case has no other parts yet: saying so spares the next service (every event of
    # an import) loading seven empty collections; queries.load_case finds it already loaded.
    case.steps, case.offers, case.follow_ups, case.attachments, case.prints = [], [], [], [], []
    case.contacts = []
    session.add(case)
    session.flush()
    remember_case(session, case)
    batches.note_new_case(session, policy, actor, case, now)   # the radar runs before the commit
    return case
