"""The batch radar at save time, and the supervisor's decision on a batch.

Every new case is noted by ``take_complaint``; before its unit of work commits (the store's
``before_commit`` hook, so the counter, case import and any other path that saves a case all
pass here) each noted case is compared with the cases received within the policy's window.
When ``count`` different customers complain about the same thing the cases become one batch
(or join the active batch one of them is already in): each is raised to ★★★ and level 2
through the level services (deadlines recomputed, the level change in its history) and the
batch goes on the watch-list. A dismissed batch's cases are not counted again. Migrated
history (another system's past cases, brought in with the import privilege) is left out: it
was handled there, and the radar does not rewrite it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from desk import radar_match, rules
from desk.batch_model import ACTIVE, CONFIRMED, DISMISSED, OPEN, Batch, BatchMember
from desk.enums import Level, Privilege, Status
from desk.errors import N_, NotFound, TransitionError, ValidationError
from desk.model import Case, utcnow
from desk.policy import Policy
from desk.privileges import require
from desk.radar_match import Complaint
from desk.review_model import ensure_day_open
from desk.search_index import CASE_SEARCH, SEARCHED, settle
from desk.search_text import FIELD_SEPARATOR
from desk.services import levels, validate
from desk.services.auth import Actor, staff_by_no
from desk.uow import PERSON, bind_actor

_PENDING = "radar_pending"   # session.info: (case id, policy, actor) saved in this unit
BATCH_SEVERITY = 3
BATCH_LEVEL = Level.LEVEL2
# Where a case's search text (desk.search_index) holds the fields the radar compares.
NAME_FIELD, SUBJECT_FIELD, COMPLAINT_FIELD = (
    [c.key for c in SEARCHED].index(k) for k in ("customer_name", "subject_name", "complaint"))


def note_new_case(session: Session, policy: Policy, actor: Actor, case: Case,
                  now: datetime) -> None:
    """A case was just saved (at ``now``): compare it before the unit of work commits."""
    session.info.setdefault(_PENDING, []).append((case.id, policy, actor, now))


def sweep(session: Session) -> list[str]:
    """Run the radar for every case saved in this unit of work (oldest first); the numbers of
    the batches made or extended. The store's commit hook calls it; a surface may call it
    sooner to show the batch at once."""
    pending = session.info.pop(_PENDING, [])
    touched: list[str] = []
    if not pending:
        return touched
    settle(session)   # the neighbours' search text is read below
    cases = {c.id: c for c in session.scalars(select(Case).where(
        Case.id.in_([p[0] for p in pending])))}
    # A case saved inside a savepoint that was rolled back is gone: nothing to compare.
    pending = [p for p in pending if p[0] in cases]
    for case_id, policy, actor, now in sorted(pending, key=lambda p: cases[p[0]].received_at):
        batch = _place(session, policy, actor, cases[case_id], now)
        if batch is not None and batch.batch_no not in touched:
            touched.append(batch.batch_no)
    session.flush()
    return touched


def complaint_of_case(case: Case) -> Complaint:
    return radar_match.complaint_of(
        id=case.id, case_no=case.case_no, subject_kind=case.subject_kind,
        subject_name=case.subject_name, subject_staff_id=case.subject_staff_id,
        category=case.category, complaint=case.complaint, phone=case.customer_phone,
        member_no=case.customer_member_no, name=case.customer_name)


@dataclass(frozen=True)
class Neighbour:
    """A case related to the one compared (what the radar read of it), and the batch it is
    already in (if any)."""

    id: int
    case_no: str
    received_at: datetime
    text: str            # the complaint as written
    complaint: Complaint
    batch: Batch | None


# What the radar reads of a neighbour: columns only, never the whole case with its staff.
_COLUMNS = (Case.id, Case.case_no, Case.received_at, Case.subject_kind, Case.subject_name,
            Case.subject_staff_id, Case.category, Case.complaint, Case.customer_phone,
            Case.customer_member_no, Case.customer_name)


# A save reads at most this many candidates, the nearest in time: in a store where one
# category fills thousands of cases a week (a chain's store before its desks are given their
# malls, a demo) every save would otherwise read and compare all of them.
MAX_NEIGHBOURS = 1000


def neighbours(session: Session, policy: Policy, new: Complaint, received_at: datetime,
               subject_kind: str | None, subject_name: str | None,
               mall: str | None) -> list[Neighbour]:
    """The cases of the same mall (a group's store holds several; 好鞋坊 at two malls is two
    shops) within the window about the same thing as ``new`` (voided cases and duplicates
    left out), each with its batch. Key words are compared only within the category, so
    the store is asked for the same subject or the same category; their text in one script
    comes from the search index (``case_search``), already normalised when it was saved."""
    window = timedelta(days=policy.radar.window_days)
    same = [Case.category == new.category] if "keywords" in policy.radar.match else []
    if "subject" in policy.radar.match and new.subject is not None:
        if subject_kind == "staff":
            same.append(Case.subject_staff_id == int(new.subject.split(":", 1)[1]))
        elif subject_name:
            # as typed, or in the other script (normalise gives the Simplified spelling)
            names = {subject_name.strip(), radar_match.normalise(subject_name).strip()}
            same.append((Case.subject_kind == subject_kind) & Case.subject_name.in_(names))
    if not same:
        return []
    rows = session.execute(
        select(*_COLUMNS, CASE_SEARCH.c.body, BatchMember.batch_id)
        .outerjoin(CASE_SEARCH, CASE_SEARCH.c.case_id == Case.id)
        .outerjoin(BatchMember, BatchMember.case_id == Case.id)
        .where(Case.received_at >= received_at - window, Case.received_at <= received_at + window,
               Case.status != Status.VOIDED.value, Case.duplicate_of_id.is_(None),
               Case.migrated_by_id.is_(None), or_(*same),
               Case.mall.is_(None) if mall is None else Case.mall == mall)
        .order_by(Case.received_at.desc(), Case.id.desc()).limit(MAX_NEIGHBOURS)).all()[::-1]
    batch_ids = {r.batch_id for r in rows if r.batch_id is not None}
    batches = ({b.id: b for b in session.scalars(select(Batch).where(Batch.id.in_(batch_ids)))}
               if batch_ids else {})
    found = []
    for r in rows:
        if r.id == new.id:
            continue
        other = radar_match.complaint_of(
            id=r.id, case_no=r.case_no, subject_kind=r.subject_kind, subject_name=r.subject_name,
            subject_staff_id=r.subject_staff_id, category=r.category, complaint=r.complaint,
            phone=r.customer_phone, member_no=r.customer_member_no, name=r.customer_name,
            normalised=_indexed_fields(r.body))
        if radar_match.related(new, other, policy.radar):
            found.append(Neighbour(r.id, r.case_no, r.received_at, r.complaint, other,
                                   batches.get(r.batch_id)))
    return found


def _indexed_fields(body: str | None) -> tuple[str, str, str] | None:
    """The customer's name, the subject and the complaint in one script, from a case's
    search text (None: not indexed yet)."""
    fields = body.split(FIELD_SEPARATOR) if body is not None else []
    if len(fields) <= COMPLAINT_FIELD:
        return None
    return fields[NAME_FIELD], fields[SUBJECT_FIELD], fields[COMPLAINT_FIELD]


def _place(session: Session, policy: Policy, actor: Actor, case: Case, now: datetime
           ) -> Batch | None:
    if session.scalar(select(BatchMember.id).where(BatchMember.case_id == case.id)):
        return None
    if (case.status == Status.VOIDED.value or case.duplicate_of_id is not None
            or case.migrated_by_id is not None):
        return None
    new = complaint_of_case(case)
    near = neighbours(session, policy, new, case.received_at, case.subject_kind,
                      case.subject_name, case.mall)
    if not near:
        return None
    actor = _who(session, actor)
    free = [n for n in near if n.batch is None]
    active = [n.batch for n in near if n.batch is not None and n.batch.status in ACTIVE]
    if active:
        batch = min(active, key=lambda b: b.found_at)
        _join(session, policy, actor, batch, [case] + _cases(session, free), now)
        return batch
    group = [new] + [n.complaint for n in free]
    if radar_match.customers(group) < policy.radar.count:
        return None
    basis = ("subject" if new.subject is not None and all(c.subject == new.subject
                                                          for c in group) else "keywords")
    # found when the case that completes it was saved (an import's: when it was received)
    batch = Batch(batch_no=_next_number(session, policy, now), found_at=now, basis=basis,
                  topic=radar_match.topic_of(
                      group, case.subject_name if basis == "subject" else None,
                      [case.complaint] + [n.text for n in free])[:200]
                  or case.category,
                  status=OPEN)
    session.add(batch)
    _join(session, policy, actor, batch, [case] + _cases(session, free), now)
    return batch


def _cases(session: Session, near: list[Neighbour]) -> list[Case]:
    ids = [n.id for n in near]
    found = {c.id: c for i in range(0, len(ids), 500) for c in session.scalars(
        select(Case).where(Case.id.in_(ids[i:i + 500])))}
    return [found[i] for i in ids]


def _join(session: Session, policy: Policy, actor: Actor, batch: Batch, cases: list[Case],
          now: datetime) -> None:
    if batch.id is None:
        session.flush()   # its number, before members point at it (never loading them all)
    for case in cases:
        session.add(BatchMember(batch_id=batch.id, case_id=case.id, added_at=now))
        raise_member(session, policy, actor, case, batch.batch_no, now)
    session.flush()


def raise_member(session: Session, policy: Policy, actor: Actor, case: Case, batch_no: str,
                 now: datetime) -> None:
    """★★★ and level 2 for a batch member still being worked on; a finished case, or one
    whose day was closed after review, keeps its record as signed off."""
    if Status(case.status) in rules.FINAL:
        return
    try:
        ensure_day_open(session, case.desk, case.day, case.case_no)
    except TransitionError:
        return
    if case.severity < BATCH_SEVERITY:
        levels.recompute_deadlines(session, policy, case, BATCH_SEVERITY)
        case.severity = BATCH_SEVERITY
        case.updated_at = now
    if Level(case.level).order < BATCH_LEVEL.order:
        levels.change_level(case, BATCH_LEVEL, actor, now, levels.batch_raise_reason(batch_no))


def _next_number(session: Session, policy: Policy, now: datetime) -> str:
    prefix = "B-" + now.astimezone(policy.tz).strftime("%Y%m%d") + "-"
    last = session.scalar(select(func.max(Batch.batch_no))
                          .where(Batch.batch_no.like(prefix + "%")))
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{seq:02d}"


def _who(session: Session, actor: Actor) -> Actor:
    """The person the radar's level changes name: the one signed in for this unit of work
    (an import's importer), else the one who saved the case."""
    person = session.info.get(PERSON)
    if person is None or person == actor.staff_no:
        return actor
    staff = staff_by_no(session, person)
    return Actor(staff.id, staff.staff_no, staff.name, staff.role)


def load_batch(session: Session, batch_no: str) -> Batch:
    key = str(batch_no).strip().upper()
    batch = (session.scalar(select(Batch).where(Batch.batch_no == key))
             if key.isprintable() and len(key) <= 20 else None)
    if batch is None:
        raise NotFound(N_("no batch numbered {value}"), field="batch_no",
                       value=repr(batch_no)[:40])
    return batch


def decide(session: Session, policy: Policy, batch_no: str, actor: Actor, decision: str,
           reason: str, now: datetime | None = None) -> Batch:
    """A supervisor confirms or dismisses a batch, with a reason. A decided batch is not
    decided again; the raised cases stay as they are (a dismissal lowers nothing: each
    case's handler decides that through the usual services)."""
    bind_actor(session, actor)
    require(policy, actor, Privilege.DECIDE_BATCHES)
    if decision not in (CONFIRMED, DISMISSED):
        raise ValidationError(N_("must be one of {value}"), field="decision",
                              value=f"{CONFIRMED}, {DISMISSED}")
    reason = validate.text(reason, "reason", max_len=1000)
    batch = load_batch(session, batch_no)
    if batch.status != OPEN:
        raise TransitionError(N_("batch {value} was already decided"), field="batch_no",
                              value=batch.batch_no)
    batch.status, batch.decision_reason = decision, reason
    batch.decided_at, batch.decided_by_id = now or utcnow(), actor.id
    session.flush()
    return batch
