"""The report's tables, once: titled columns of typed values built from ``Stats``, written
as CSV or XLSX by ``table_files``; the PDF lays out the same tables.

Values stay typed (counts, amounts, shares, durations) so a spreadsheet can sum them; the
PDF formats them for the reader's language.
"""
from __future__ import annotations

from functools import lru_cache
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from desk.costs import state_label
from desk.enums import Level, Status, policy_label
from desk.i18n import (N_, _, format_date, format_datetime, format_money, format_number,
                       get_locale)
from desk.policy import Policy
from desk.reports.stats import Count, Stats

TEXT, INT, MONEY, SHARE, DURATION, TIME = "text", "int", "money", "share", "duration", "time"


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    key: str                 # file and sheet name
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]
    note: str = ""


def title_of(stats: Stats) -> str:
    return _("Weekly complaint statistics") if stats.kind == "week" else \
        _("Daily complaint statistics")


def period_of(stats: Stats) -> str:
    if stats.start == stats.end:
        text = format_date(stats.start)
    else:
        text = _("{start} to {end}").format(start=format_date(stats.start),
                                            end=format_date(stats.end))
    if stats.mall:
        text += " · " + _("mall {mall}").format(mall=stats.mall)
    elif stats.by_mall:
        text += " · " + _("all malls")
    if stats.desk:
        text += " · " + _("desk {desk}").format(desk=stats.desk)
    return text


def severity_label(key: str) -> str:
    return "★" * int(key)


def _share(n: int, total: int) -> float | None:
    return n / total if total else None


def _counts(key: str, title: str, head: str, counts: tuple[Count, ...], total: int, label) -> Table:
    rows = tuple((label(c.key), c.count, _share(c.count, total)) for c in counts)
    return Table(key, title, (Column(head), Column(_("Cases"), INT), Column(_("Share"), SHARE)),
                 rows)


def class_label(key: str) -> str:
    """A content class or degree, or "not classified" for a case taken before them."""
    from desk.enums import ContentClass, Degree
    member = ContentClass.parse(key) or Degree.parse(key)
    return member.label if member is not None else _("Not classified")


def subject_label(key: str) -> str:
    if key.startswith("(") and key.endswith(")"):
        from desk.enums import SubjectKind
        kind = SubjectKind.parse(key[1:-1])
        return _("(no name: {kind})").format(kind=kind.label if kind else key[1:-1])
    return key


def build_tables(stats: Stats, policy: Policy) -> list[Table]:
    for cache in (_money, _number, _day_prefix):   # settings (ROC years) may have changed
        cache.cache_clear()
    t = stats.total
    f = stats.follow_ups
    sla, fc = stats.sla_resolution, stats.sla_first_contact
    summary = Table("summary", _("Summary"), (Column(_("Measure")), Column(_("Value"), TEXT)), (
        (_("Cases received"), format_number(t)),
        (_("Resolved on the day received"), _pct(stats.share_resolved_same_day)),
        (_("Median time to first contact"), duration_text(stats.median_first_contact)),
        (_("Median time to resolution"), duration_text(stats.median_resolution)),
        (_("Resolution time limit met"), _pct(sla.share_met)),
        (_("First-contact time limit met"), _pct(fc.share_met)),
        (_("Compensation handed over"), format_money(stats.compensation_total, policy.currency)),
        (_("Follow-ups: customers reached"), _pct(f.reach_share)),
        (_("Follow-ups overdue"), format_number(f.overdue)),
        (_("Mean satisfaction (1-5)"),
         "—" if f.mean_satisfaction is None else f"{f.mean_satisfaction:.1f}"),
        (_("Promised reply times broken"), format_number(stats.broken_promises)),
        (_("Cases reopened after a poor follow-up score"),
         format_number(stats.low_score_reopens)),
    ))
    tables = [
        summary,
        _counts("category", _("Cases by category"), _("Category"), stats.by_category, t,
                policy_label),
        _counts("level", _("Cases by level"), _("Level"), stats.by_level, t,
                lambda k: Level(k).label),
        _counts("severity", _("Cases by severity"), _("Severity"), stats.by_severity, t,
                severity_label),
        _counts("content", _("Cases by content"), _("Content"), stats.by_content, t,
                class_label),
        _counts("degree", _("Cases by degree"), _("Degree"), stats.by_degree, t, class_label),
        _counts("tier", _("Cases by member tier"), _("Member tier"), stats.by_tier, t,
                policy_label),
        _counts("subject", _("Cases by subject (tenant or shop)"), _("Subject"),
                stats.by_subject, t, subject_label),
        *([_counts("mall", _("Cases by mall"), _("Mall"), stats.by_mall, t, str)]
          if stats.by_mall else []),
        _counts("desk", _("Cases by desk"), _("Desk"), stats.by_desk, t, str),
        _counts("staff", _("Cases by handler"), _("Handler"), stats.by_staff, t, str),
        _counts("status", _("Cases by status"), _("Status"), stats.by_status, t,
                lambda k: Status(k).label),
        Table("compensation", _("Compensation handed over, by kind"),
              (Column(_("Kind")), Column(_("Hand-overs"), INT), Column(_("Amount"), MONEY)),
              tuple((policy_label(c.key), c.count, c.amount) for c in stats.compensation)
              + ((_("Total"), sum(c.count for c in stats.compensation),
                  stats.compensation_total),)),
        Table("cost_states", _("Costs accepted, by where finance is with them"),
              (Column(_("State")), Column(_("Costs"), INT), Column(_("Amount"), MONEY)),
              tuple((state_label(c.key), c.count, c.amount) for c in stats.cost_states)
              + ((_("Not paid yet"), None, stats.unpaid_total),),
              note=_("Accepted by the customer in the period; the supervisor follows up "
                     "what is not paid yet.")),
        Table("attitude", _("Complaints about staff attitude, per staff member"),
              (Column(_("Staff member")), Column(_("Cases"), INT)),
              tuple((c.key, c.count) for c in stats.attitude_by_staff)
              + tuple((_("Desk {desk}: more than {limit} in a week, flagged to its "
                         "manager").format(desk=c.key, limit=policy.attitude_weekly), c.count)
                      for c in stats.attitude_flagged)),
        Table("time_limits", _("Time limits"),
              (Column(_("Limit")), Column(_("Met"), INT), Column(_("Missed"), INT),
               Column(_("Open and late"), INT), Column(_("Open, on time"), INT),
               Column(_("Share met"), SHARE)),
              ((_("Resolution"), sla.met, sla.missed, sla.open_late, sla.open_on_time,
                sla.share_met),
               (_("First contact"), fc.met, fc.missed, fc.open_late, fc.open_on_time,
                fc.share_met))),
        Table("follow_ups", _("Follow-up calls"),
              (Column(_("Measure")), Column(_("Cases"), INT)),
              ((_("Follow-ups due"), f.due), (_("Customer reached"), f.reached),
               (_("Could not be reached (after the required attempts)"), f.unreachable),
               (_("Still to call"), f.pending), (_("Overdue"), f.overdue))
              + tuple((_("Satisfaction {n} of 5").format(n=i + 1), n)
                      for i, n in enumerate(f.satisfaction))),
        Table("repeat_complainants", _("Repeat complainants"),
              (Column(_("Phone")), Column(_("Customer")), Column(_("Cases"), INT),
               Column(_("Case numbers"))),
              tuple((r.phone, r.name, len(r.cases), ", ".join(r.cases))
                    for r in stats.repeat_complainants)),
        Table("recurring_subjects", _("Subjects complained about more than once"),
              (Column(_("Subject")), Column(_("Cases"), INT),
               Column(_("Root-cause record"))),
              tuple((c.key, c.count, _("no") if c.key in stats.subjects_without_record
                     else _("yes")) for c in stats.recurring_subjects[:15])),
        Table("vouchers", _("Vouchers and cards handed over, by serial number"),
              (Column(_("Serial number")), Column(_("Kind")), Column(_("Amount"), MONEY),
               Column(_("Case number")), Column(_("Handed over"), TIME),
               Column(_("Authorised by"))),
              tuple((v.serial, policy_label(v.kind), v.amount, v.case_no, v.issued_at, v.staff)
                    for v in stats.vouchers),
              note=_("For finance to reconcile: every serial number handed over in the period.")),
        Table("root_causes", _("Root-cause records not yet verified"),
              (Column(_("No.")), Column(_("Title")), Column(_("Cases")), Column(_("Opened"), TIME),
               Column(_("Still to write"))),
              tuple((r.id, r.title, ", ".join(r.cases), r.opened_at,
                     ", ".join(_(FIELD_TITLES[m]) for m in r.missing) or _("ready to verify"))
                    for r in stats.root_causes)),
        Table("root_cause_candidates", _("★★★ cases without a root-cause record"),
              (Column(_("Case number")),), tuple((n,) for n in stats.root_cause_candidates)),
        Table("chargebacks", _("Chargebacks outstanding, per tenant"),
              (Column(_("Tenant")), Column(_("Cases"), INT), Column(_("Amount"), MONEY),
               Column(_("Oldest"), TIME)),
              tuple((o.tenant, o.count, o.amount, o.oldest) for o in stats.chargebacks)
              + ((_("Total"), sum(o.count for o in stats.chargebacks),
                  sum((o.amount for o in stats.chargebacks), Decimal(0)), None),)),
    ]
    return tables


FIELD_TITLES = {"problem": N_("Problem"), "containment": N_("Containment"),
                "root_cause": N_("Root cause"), "permanent_fix": N_("Permanent fix"),
                "verification": N_("Verification"), "prevention": N_("Prevention")}


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def duration_text(value: timedelta | None) -> str:
    if value is None:
        return "—"
    minutes = int(value.total_seconds() // 60)
    if minutes < 60:
        return _("{m} min").format(m=minutes)
    hours, minutes = divmod(minutes, 60)
    return _("{h} h {m} min").format(h=hours, m=minutes)


def cell_text(value: object, kind: str, policy: Policy) -> str:
    """A value as the PDF shows it."""
    if value is None:
        return "—" if kind in (SHARE, TIME, DURATION) else ""
    if kind == MONEY:
        return _money(Decimal(value), policy.currency, get_locale())
    if kind == SHARE:
        return _pct(value)
    if kind == INT:
        return _number(value, get_locale())
    if kind == DURATION:
        return duration_text(value)
    if kind == TIME and isinstance(value, datetime):
        local = value.astimezone(policy.tz)
        return _day_prefix(local.date(), policy.tz, get_locale()) + local.strftime("%H:%M")
    return str(value)


# Babel parses the locale on every call; a report formats hundreds of cells, mostly the
# same few amounts and days, so the formatted text is kept per value.
@lru_cache(maxsize=4096)
def _money(amount: Decimal, currency: str, locale: str) -> str:
    return format_money(amount, currency, locale)


@lru_cache(maxsize=4096)
def _number(value: int, locale: str) -> str:
    return format_number(value, locale)


@lru_cache(maxsize=1024)
def _day_prefix(day, tz, locale: str) -> str:
    """``format_datetime`` of the day's midnight without its "00:00" (the time follows)."""
    text = format_datetime(datetime.combine(day, datetime.min.time(), tz), tz, locale)
    return text[:-5] if text.endswith("00:00") else text + " "
