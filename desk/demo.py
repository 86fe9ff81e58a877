"""Demo stores: realistic cases, staff and outcomes from a fixed seed, fast enough to fill
a million cases for the benchmarks.

Cases are written with bulk inserts (not through the services, which would take hours for
a million), so the generator itself keeps every rule: offers stay within the granting role's
per-case and per-day limits, the six steps are in order, numbers are gap-free per desk and day.
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import exists, func, select

from desk import demo_text as text
from desk import rules
from desk.enums import Step
from desk.errors import N_, ValidationError
from desk.model import (Case, CaseSequence, Offer, Setting, Staff, StatusChange, StepRecord,
                        utcnow)
from desk.policy import Policy
from desk.services import numbering
from desk.services.auth import actor_for
from desk.services.levels import offer_raise_reason
from desk.sending import DEMO_MARK
from desk.services.staff import add_staff
from desk.demo_bulk import Batch

DEMO_STAFF = [  # staff_no, name, role, pin
    ("A001", "王大同", "general_manager", "730519"),
    ("O001", "劉怡君", "operations_manager", "461803"),
    ("M001", "吳建國", "store_manager", "582947"),
    ("S001", "林志明", "supervisor", "907316"),
    ("S002", "黃淑芬", "supervisor", "318264"),
    ("C001", "陳美玲", "clerk", "4821"),
    ("C002", "張雅婷", "clerk", "5938"),
    ("C003", "李俊傑", "clerk", "2704"),
    ("C004", "蔡佳穎", "clerk", "6159"),
]
DESKS = ("A", "B", "C")
CHUNK = 20000
TODAY_SHARE = Decimal("0.3")   # of each role's day limit, used by today's demo cases


@dataclass
class DemoReport:
    cases: int = 0
    staff: list[tuple[str, str, str, str]] = field(default_factory=list)


def ensure_demo_staff(store, policy: Policy) -> dict[str, int]:
    """The demo staff, added once; the first (general manager) adds the others."""
    with store.write(system="demo") as session:
        staff = session.scalars(select(Staff).order_by(Staff.staff_no)).all()
        demo = {(no, name, role) for no, name, role, _pin in DEMO_STAFF}
        foreign = [s.staff_no for s in staff if (s.staff_no, s.name, s.role) not in demo]
        if foreign:   # demo staff's PINs are printed: never into a store with real people
            raise ValidationError(N_("demo data goes only into a new store or a demo store; "
                                     "this one has its own staff ({value})"), field="demo",
                                  value=foreign[0][:40])
        existing = {s.staff_no: s.id for s in staff}
        admin = actor_for(session, next(iter(existing))) if existing else None
        for staff_no, name, role, pin in DEMO_STAFF:
            if staff_no not in existing:
                existing[staff_no] = add_staff(session, policy, staff_no, name, role, pin,
                                               actor=admin).id
            admin = admin or actor_for(session, staff_no)
        if session.get(Setting, DEMO_MARK) is None:   # a demo store never sends messages
            session.add(Setting(key=DEMO_MARK, value="yes"))
        return existing


def needs_filling(store) -> bool:
    """A demo store is filled when it is new: not set up yet, or without a single case."""
    from desk.services.settings import needs_setup
    with store.read() as session:
        return needs_setup(session) or not session.scalar(select(exists().where(
            Case.id.is_not(None))))


def fill_demo(store, policy: Policy, n: int, *, seed: int = 20261122, per_day: int = 270,
              today: date | None = None, audit: bool = True) -> DemoReport:
    """Add ``n`` demo cases ending today (about ``per_day`` a day over three desks).

    With ``audit`` the bulk rows are entered in the audit log afterwards (action ``bulk``) so
    ``desk audit verify`` holds on a demo store; benchmark stores of a million cases skip it."""
    if n < 0:
        raise ValueError("n must be zero or more")
    ids = ensure_demo_staff(store, policy)
    today = today or utcnow().astimezone(policy.tz).date()
    gen = _Generator(policy, ids, random.Random(seed), today)
    with store.write(system="demo") as session:
        next_ids = {t: (session.scalar(select(func.max(t.id))) or 0) + 1
                    for t in (Case, StepRecord, Offer, StatusChange)}
        used = {(d, day): last for d, day, last in session.execute(
            select(CaseSequence.desk, CaseSequence.day, CaseSequence.last))}
    gen.next_ids = next_ids
    gen.seq = defaultdict(int, used)
    days = max(1, -(-n // per_day))
    batch = Batch()
    for back in range(days - 1, -1, -1):
        # The oldest day takes the remainder; every later day, today included, is full.
        count = n - per_day * (days - 1) if back == days - 1 else per_day
        day = today - timedelta(days=back)
        for _ in range(count):
            gen.case(day, batch)
        if batch.size >= CHUNK:
            batch.flush(store, gen.seq_dirty)
    batch.flush(store, gen.seq_dirty)
    if audit:
        from desk.audit import baseline
        with store.write(system="demo") as session:
            baseline(session.connection(), action="bulk", staff_no="A001", only_unlogged=True)
    return DemoReport(cases=n, staff=list(DEMO_STAFF))


class _Generator:
    """Builds rows for one case at a time, keeping each role's limits."""

    def __init__(self, policy: Policy, ids: dict[str, int], rnd: random.Random, today: date):
        self.policy, self.ids, self.rnd, self.today = policy, ids, rnd, today
        self.clerks = [ids[s[0]] for s in DEMO_STAFF if s[2] == "clerk"]
        self.supervisors = [ids[s[0]] for s in DEMO_STAFF if s[2] == "supervisor"]
        self.role_of = {ids[s[0]]: s[2] for s in DEMO_STAFF}
        self.ops = [ids[s[0]] for s in DEMO_STAFF if s[2] == "operations_manager"]
        self.next_ids: dict = {}
        self.seq: dict = {}
        self.seq_dirty: dict = {}
        self.granted: dict[tuple[int, date], Decimal] = defaultdict(Decimal)
        self.serial = 100000
        local_now = utcnow().astimezone(policy.tz)
        self.now_minute = local_now.hour * 60 + local_now.minute if today == local_now.date() \
            else 24 * 60 - 1

    def _id(self, table) -> int:
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def case(self, day: date, batch: Batch) -> None:
        r, policy = self.rnd, self.policy
        desk = r.choice(DESKS)
        self.seq[(desk, day)] = seq = self.seq[(desk, day)] + 1
        self.seq_dirty[(desk, day)] = seq
        locale = r.choices(("zh_TW", "zh_CN", "en"), (80, 12, 8))[0]
        category, subject_kind, texts, motive, severity = r.choice(text.COMPLAINTS)
        shop = r.choice(text.TENANTS)
        complaint, request = (t.format(shop=shop) for t in texts[locale])
        minute = r.randrange(10 * 60, 21 * 60 + 30)
        if day == self.today:  # today's cases were all received before now
            minute = r.randrange(0, max(1, self.now_minute)) if self.now_minute < 10 * 60 + 1 \
                else r.randrange(10 * 60, self.now_minute)
        received = datetime.combine(day, time(minute // 60, minute % 60), policy.tz)
        clerk = r.choice(self.clerks)
        channel = r.choices(("counter", "phone", "email", "letter", "card"), (60, 25, 8, 4, 3))[0]
        age = (self.today - day).days
        stage = 6 if age >= 2 else r.choice((0, 2, 4, 5, 6, 6))
        closed = age >= 3 or (stage == 6 and r.random() < 0.4)
        case_id = self._id(Case)
        # Drawn in the order they always were, so every other demo value stays as it was;
        # the tier follows from the member number: one member in ten is a VIP.
        name, phone = self._name(locale), f"09{r.randrange(10**7, 10**8)}"
        member_no = f"M{r.randrange(10**6, 10**7)}" if r.random() < 0.5 else None
        tier = "none" if member_no is None else "vip" if member_no.endswith("7") else "member"
        tier = tier if tier in policy.tiers else "none"
        dl = rules.deadlines(policy, received, severity, channel, tier)
        row = dict(
            id=case_id, case_no=numbering.format_case_no(desk, day, seq), desk=desk, day=day,
            seq=seq, received_at=received, channel=channel, recorder_id=clerk, handler_id=clerk,
            customer_name=name, customer_phone=phone, customer_member_no=member_no,
            customer_tier=tier,
            content_class=text.CLASSES[category][0], degree=text.CLASSES[category][1],
            customer_address=None, subject_kind=subject_kind,
            subject_name=shop if subject_kind in ("tenant", "charge") else None,
            subject_staff_id=None, category=category, complaint=complaint, request=request,
            motive=motive, severity=severity, level=policy.categories[category].level,
            validity="undetermined", responsible_unit=policy.categories[category].unit,
            status="open", handling_result="", promised_reply_at=None,
            first_contact_at=received if channel in rules.IMMEDIATE_CHANNELS else None,
            first_contact_due=dl.first_contact_due, resolution_due=dl.resolution_due,
            statutory_due=dl.statutory_due, follow_up_due=None, resolved_at=None,
            closed_at=None, recipient_name=None, recipient_signed_at=None,
            police_report_no=None, not_accepted_reason=None, status_note=None,
            duplicate_of_id=None, text_locale=locale, version=1, updated_at=received)
        history = [("", "open", received, clerk)]
        at = received
        for step in list(Step)[:stage]:
            at = at + timedelta(minutes=r.randrange(1, 6))
            promised = at + timedelta(hours=2) if step is Step.COMMIT else None
            batch.rows[StepRecord].append(dict(
                id=self._id(StepRecord), case_id=case_id, step=step.value, done_at=at,
                staff_id=clerk, skipped_reason=None, note=r.choice(text.STEP_NOTES[locale]),
                promised_reply_at=promised))
            if step is Step.LISTEN:
                row["first_contact_at"] = row["first_contact_at"] or at
                history.append(("open", "in_progress", at, clerk))
            if step is Step.COMMIT:
                row["promised_reply_at"] = promised
            if step is Step.PROPOSE and motive == "compensation":
                self._offer(batch, case_id, category, clerk, day, at, row)
                if row.pop("_approved", False) and row["level"] == "preliminary":
                    # beyond the clerk (its handler): the case becomes level 1 (rules of offers)
                    history.append(("in_progress", "in_progress", at, clerk,
                                    ("preliminary", "level1", offer_raise_reason(1))))
                    row["level"] = "level1"
        if stage == 6:
            at = at + timedelta(minutes=2)
            row.update(status="resolved", resolved_at=at, handling_result=text.RESULTS[locale],
                       validity="unfounded" if r.random() < 0.15 else "founded",
                       follow_up_due=rules.follow_up_due(policy, at, severity))
            resolver = self._decider("resolve", row["level"], severity, clerk)
            history.append(("in_progress", "resolved", at, resolver))
            if closed:
                at = at + timedelta(hours=r.randrange(1, 30))
                sup = self._decider("close", row["level"], severity, r.choice(self.supervisors))
                row.update(status="closed", closed_at=at)
                if row.get("_paid"):
                    row.update(recipient_name=row["customer_name"], recipient_signed_at=at)
                history.append(("resolved", "closed", at, sup))
        elif stage >= 1:
            row["status"] = "in_progress"
        row.pop("_paid", None)
        row["updated_at"] = at
        batch.rows[Case].append(row)
        first_level = policy.categories[category].level
        for old, new, when, who, *levels in history:
            from_level, to_level, reason = levels[0] if levels else (
                None, first_level if not old else None, "")
            batch.rows[StatusChange].append(dict(
                id=self._id(StatusChange), case_id=case_id, at=when, staff_id=who,
                from_status=old or None, to_status=new, from_level=from_level,
                to_level=to_level, reason=reason))

    def _decider(self, action: str, level: str, severity: int, usual: int) -> int:
        """``usual`` when their role may take this decision by policy, else an operations
        manager (level-2 and serious cases are theirs)."""
        needed = rules.decision_role(self.policy, action, level, severity)
        if self.policy.roles[self.role_of[usual]].rank >= needed.rank:
            return usual
        return self.rnd.choice(self.ops)

    def _offer(self, batch, case_id, category, clerk, day, at, row) -> None:
        r, policy = self.rnd, self.policy
        if category == "overcharge":
            due = Decimal(r.randrange(100, 900))
            charged = due + Decimal(r.randrange(20, 300))
            kind, amount = "overcharge_refund", (charged - due) * 2
        else:
            due = charged = None
            kind = r.choice(("voucher", "voucher", "exchange", "small_gift", "free_parking", "refund"))
            amount = Decimal(r.choice((100, 200, 300, 500, 800, 1200)))
        approver = None
        holder = clerk
        clerk_role = policy.roles["clerk"]
        if (amount > clerk_role.per_case
                or self.granted[(clerk, day)] + amount > self._day_room(clerk_role, day)):
            approver = r.choice(self.supervisors)
            holder = approver
            sup_role = policy.roles["supervisor"]
            if (amount > sup_role.per_case or not sup_role.may_grant(kind)
                    or self.granted[(approver, day)] + amount > self._day_room(sup_role, day)):
                return
        self.granted[(holder, day)] += amount
        serials = []
        if policy.kinds[kind].serials:
            self.serial += 1
            serials = [f"V{self.serial}"]
        batch.rows[Offer].append(dict(
            id=self._id(Offer), case_id=case_id, seq=1, kind=kind, amount=amount,
            description="", serials=serials, charged=charged, due=due, is_final=False,
            requested_by_id=clerk, requested_at=at,
            approval="approved" if approver else "not_needed", approver_id=approver,
            decided_at=at if approver else None, approval_note=None, answer="accepted",
            answered_at=at + timedelta(minutes=1), at_fault_staff=None))
        row["_paid"] = True
        row["_approved"] = approver is not None

    def _day_room(self, role, day: date) -> Decimal:
        """Today's grants stop at a share of the day limit: whoever tries the demo signs in
        with authority left, so an offer within a role's limits is granted, not refused."""
        if role.per_day is None:
            return Decimal("Infinity")
        return role.per_day * TODAY_SHARE if day == self.today else role.per_day

    def _name(self, locale: str) -> str:
        r = self.rnd
        if locale == "zh_TW":
            return r.choice(text.SURNAMES_TW) + r.choice(text.GIVEN_TW)
        if locale == "zh_CN":
            return r.choice(text.SURNAMES_CN) + r.choice(text.GIVEN_CN)
        return r.choice(text.NAMES_EN)
