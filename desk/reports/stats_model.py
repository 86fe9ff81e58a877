"""What the day and week statistics are made of: one frozen ``Stats`` (counts, times,
money, follow-ups, corrective work, promises, patterns) and its parts."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from desk.corrective import RootCauseRow
from desk.reports.patterns import Patterns


@dataclass(frozen=True)
class Count:
    key: str
    count: int
    amount: Decimal = Decimal(0)


@dataclass(frozen=True)
class SlaCount:
    met: int
    missed: int
    open_late: int
    open_on_time: int

    @property
    def share_met(self) -> float | None:
        decided = self.met + self.missed + self.open_late
        return self.met / decided if decided else None


@dataclass(frozen=True)
class Repeat:
    phone: str
    name: str
    cases: tuple[str, ...]


@dataclass(frozen=True)
class FollowUpStats:
    due: int
    reached: int
    unreachable: int
    pending: int
    overdue: int
    satisfaction: tuple[int, int, int, int, int]   # how many rated 1, 2, 3, 4, 5

    @property
    def reach_share(self) -> float | None:
        done = self.reached + self.unreachable
        return self.reached / done if done else None

    @property
    def mean_satisfaction(self) -> float | None:
        n = sum(self.satisfaction)
        return sum((i + 1) * c for i, c in enumerate(self.satisfaction)) / n if n else None


@dataclass(frozen=True)
class Voucher:
    serial: str
    kind: str
    amount: Decimal
    case_no: str
    issued_at: datetime
    staff: str


@dataclass(frozen=True)
class Outstanding:
    tenant: str
    count: int
    amount: Decimal
    oldest: datetime


@dataclass(frozen=True)
class Stats:
    kind: str                    # "day" or "week"
    start: date
    end: date                    # inclusive
    desk: str | None
    made_at: datetime
    total: int
    by_category: tuple[Count, ...]
    by_level: tuple[Count, ...]
    by_severity: tuple[Count, ...]
    by_subject: tuple[Count, ...]
    by_desk: tuple[Count, ...]
    by_staff: tuple[Count, ...]
    by_status: tuple[Count, ...]
    compensation: tuple[Count, ...]      # by kind: hand-overs and amount
    compensation_total: Decimal
    resolved_same_day: int
    median_first_contact: timedelta | None
    median_resolution: timedelta | None
    sla_resolution: SlaCount
    sla_first_contact: SlaCount
    repeat_complainants: tuple[Repeat, ...]
    recurring_subjects: tuple[Count, ...]
    follow_ups: FollowUpStats
    vouchers: tuple[Voucher, ...]
    root_causes: tuple[RootCauseRow, ...]    # not verified yet
    root_cause_candidates: tuple[str, ...]   # ★★★ cases with no root-cause record
    subjects_without_record: tuple[str, ...]  # recurring subjects none of whose cases has one
    chargebacks: tuple[Outstanding, ...]
    # Money after the counter and staff accountability (desk.reports.money_stats).
    cost_states: tuple[Count, ...] = ()      # costs accepted in the period, by state
    unpaid_total: Decimal = Decimal(0)       # of those, accepted and not paid yet
    attitude_by_staff: tuple[Count, ...] = ()
    attitude_flagged: tuple[Count, ...] = ()  # desks past the policy's weekly count
    mall: str | None = None              # one mall of a group; None: the whole store
    by_mall: tuple[Count, ...] = ()      # a group's store: cases per mall
    by_content: tuple[Count, ...] = ()   # the procedures' two classifications
    by_degree: tuple[Count, ...] = ()
    by_tier: tuple[Count, ...] = ()      # the customers' member tiers
    # Promises (desk.promises): reply times that fell in the period and were not kept, and
    # follow-up calls whose poor score reopened a case.
    broken_promises: int = 0
    low_score_reopens: int = 0
    patterns: Patterns | None = None   # batches, hot topics, surge, complaints against staff
    # The audit log's head when the report was made ("N:HASH"): printed on the page the
    # supervisor signs, it is an anchor kept outside the PC (desk audit verify --head).
    audit_head: str | None = None

    @property
    def share_resolved_same_day(self) -> float | None:
        return self.resolved_same_day / self.total if self.total else None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


__all__ = ["Count", "FollowUpStats", "Outstanding", "Repeat", "SlaCount", "Stats", "Voucher"]
