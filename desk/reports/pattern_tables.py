"""The tables of ``desk.reports.patterns`` in the report's one table form (CSV, XLSX and
the PDF alike): batches, hot key words and subjects, cases per category per day, and the
complaints against staff members."""
from __future__ import annotations

from desk.batch_model import BASIS_LABELS, STATUS_LABELS
from desk.enums import policy_label
from desk.i18n import _, babel_locale
from desk.policy import Policy
from desk.reports.stats import Stats
from desk.reports.tables import INT, TIME, Column, Table


def day_label(day) -> str:
    """A day in a column heading or on the chart's axis: short, with its weekday."""
    from babel.dates import format_date
    return format_date(day, "M/d EEE", locale=babel_locale())


def pattern_tables(stats: Stats, policy: Policy) -> list[Table]:
    p = stats.patterns
    if p is None:
        return []
    change = (Column(_("This period"), INT), Column(_("Period before"), INT),
              Column(_("Change"), INT))
    return [
        Table("batches", _("Batch complaints found"),
              (Column(_("Batch")), Column(_("State")), Column(_("About")),
               Column(_("Found by")), Column(_("Customers"), INT), Column(_("Cases"), INT),
               Column(_("Found"), TIME)),
              tuple((b.batch_no, _(STATUS_LABELS.get(b.status, b.status)), b.topic,
                     _(BASIS_LABELS.get(b.basis, b.basis)), b.customers, b.cases, b.found_at)
                    for b in p.batches),
              note=_("Batches: {count}; cases of the period in a batch: {cases}.").format(
                  count=len(p.batches), cases=p.cases_in_batches)),
        Table("hot_words", _("Hot topics: key words"), (Column(_("Key word")),) + change,
              tuple((h.key, h.this, h.last, h.change) for h in p.hot_words)),
        Table("hot_subjects", _("Hot topics: subjects"), (Column(_("Subject")),) + change,
              tuple((h.key, h.this, h.last, h.change) for h in p.hot_subjects)),
        Table("surge", _("Cases per category per day"),
              (Column(_("Category")),) + tuple(Column(day_label(d), INT) for d in p.days),
              tuple((policy_label(category),) + counts for category, counts in p.surge)),
        Table("against_staff", _("Complaints against staff members"),
              (Column(_("Staff member")), Column(_("Cases"), INT), Column(_("Case numbers"))),
              tuple((s.name, s.count, ", ".join(s.cases)) for s in p.against_staff)),
    ]
