"""Seeing the pattern in a period: the batches found, hot topics (key words and subjects of
this period against the one before), the cases per category per day (the surge chart), and
the complaints against staff members. Part of ``Stats``; read with a few queries.

Key words are the radar's (``desk.radar_match.key_terms``: pairs of Chinese characters, in
one script); a pair that always comes with the next character grows into the longer phrase
(电梯 + 梯故 + 故障 -> 电梯故障), so the list reads as words. A phrase is counted once per
case, and shown as the first case that holds it wrote it.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.batch_model import BatchMember
from desk.model import Case, Staff
from desk.policy import Policy
from desk.radar import BatchRow, batches_between
from desk.radar_match import as_written, grow_phrase, key_terms, overlaps
from desk.search_text import normalise

HOT_LIMIT = 10


@dataclass(frozen=True)
class Hot:
    key: str
    this: int      # cases in the period
    last: int      # cases in the period before, as long

    @property
    def change(self) -> int:
        return self.this - self.last


@dataclass(frozen=True)
class StaffComplaints:
    name: str
    count: int
    cases: tuple[str, ...]


@dataclass(frozen=True)
class Patterns:
    batches: tuple[BatchRow, ...]
    cases_in_batches: int                        # cases of the period in any batch
    hot_words: tuple[Hot, ...]
    hot_subjects: tuple[Hot, ...]
    days: tuple[date, ...]
    surge: tuple[tuple[str, tuple[int, ...]], ...]   # category -> cases per day
    against_staff: tuple[StaffComplaints, ...]


def patterns_of(session: Session, policy: Policy, start: date, end: date,
                scope: list | None = None) -> Patterns:
    """The patterns of the days from ``start`` to ``end`` among the cases ``scope`` (the
    report's filters: a desk, a mall) lets through."""
    scope = list(scope or [])
    days = (end - start).days + 1
    before = start - timedelta(days=days)
    where = [Case.day >= before, Case.day <= end, *scope]
    rows = session.execute(select(
        Case.id, Case.case_no, Case.day, Case.category, Case.subject_kind, Case.subject_name,
        Case.subject_staff_id, Case.complaint).where(*where)).all()
    this = [r for r in rows if r.day >= start]
    last = [r for r in rows if r.day < start]
    in_batches = _in_batches(session, [r.id for r in this])
    span = tuple(start + timedelta(days=i) for i in range(days))
    per_day: dict[str, Counter] = defaultdict(Counter)
    for r in this:
        per_day[r.category][r.day] += 1
    surge = tuple((category, tuple(per_day[category][d] for d in span))
                  for category in sorted(per_day, key=lambda c: -sum(per_day[c].values())))
    return Patterns(
        batches=tuple(batches_between(session, policy, start, end, scope)), cases_in_batches=in_batches,
        hot_words=hot_words([r.complaint for r in this], [r.complaint for r in last]),
        hot_subjects=_hot_subjects(this, last), days=span, surge=surge,
        against_staff=_against_staff(session, this))


def _in_batches(session: Session, ids: list[int]) -> int:
    found = 0
    for i in range(0, len(ids), 500):
        found += len(session.scalars(select(BatchMember.case_id)
                                     .where(BatchMember.case_id.in_(ids[i:i + 500]))).all())
    return found


def _hot_subjects(this, last) -> tuple[Hot, ...]:
    def count(rows) -> Counter:
        return Counter(r.subject_name.strip() for r in rows
                       if r.subject_name and r.subject_kind != "staff")
    now, before = count(this), count(last)
    ranked = sorted(now, key=lambda k: (-(now[k] - before[k]), -now[k], k))
    return tuple(Hot(k, now[k], before[k]) for k in ranked[:HOT_LIMIT] if now[k] > 1)


def _against_staff(session: Session, this) -> tuple[StaffComplaints, ...]:
    cases: dict[int, list[str]] = defaultdict(list)
    for r in this:
        if r.subject_kind == "staff" and r.subject_staff_id is not None:
            cases[r.subject_staff_id].append(r.case_no)
    if not cases:
        return ()
    names = dict(session.execute(select(Staff.id, Staff.name)
                                 .where(Staff.id.in_(list(cases)))).all())
    found = [StaffComplaints(names.get(i, str(i)), len(c), tuple(sorted(c)))
             for i, c in cases.items()]
    return tuple(sorted(found, key=lambda s: (-s.count, s.name)))


def hot_words(this: list[str], last: list[str], limit: int = HOT_LIMIT) -> tuple[Hot, ...]:
    """The key words most risen against the period before (at least two cases now)."""
    texts = [normalise(t) for t in this]
    earlier = [normalise(t) for t in last]
    now = Counter(term for t in this for term in key_terms(t))
    before = Counter(term for t in last for term in key_terms(t))
    ranked = sorted((k for k, n in now.items() if n > 1),
                    key=lambda k: (-(now[k] - before[k]), -now[k], k))
    chosen: list[str] = []
    for pair in ranked:
        if len(chosen) == limit:
            break
        phrase = grow_phrase(pair, [t for t in texts if pair in t])
        if any(overlaps(phrase, c) for c in chosen):
            continue
        chosen.append(phrase)
    return tuple(Hot(as_written(p, this, texts), sum(p in t for t in texts),
                     sum(p in t for t in earlier)) for p in chosen)
