"""The week's cases counted by the procedures' two classifications (content, degree) and by
the customer's member tier: one grouped query; ``desk.reports.stats`` puts the counts in
order and the tables and the PDF lay them out."""
from __future__ import annotations

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from desk.enums import ContentClass, Degree
from desk.model import Case

UNCLASSIFIED = "unclassified"   # the key of cases taken before they were classified


def class_counts(session: Session, in_period: list) -> dict[str, Counter]:
    """``content``, ``degree`` and ``tier``, each a Counter of the cases ``in_period`` (the
    report's period and scope: a desk, a mall, the whole store)."""
    stmt = (select(Case.content_class, Case.degree, Case.customer_tier, func.count())
            .where(*in_period)
            .group_by(Case.content_class, Case.degree, Case.customer_tier))
    out = {"content": Counter(), "degree": Counter(), "tier": Counter()}
    for content, degree, tier, n in session.execute(stmt):
        out["content"][content or UNCLASSIFIED] += n
        out["degree"][degree or UNCLASSIFIED] += n
        out["tier"][tier or "none"] += n
    return out


def enum_order(enum) -> callable:
    """A sort key putting an enum's values in their declared order, unclassified last."""
    order = [member.value for member in enum]
    return lambda kv: order.index(kv[0]) if kv[0] in order else len(order)


CONTENT_ORDER = enum_order(ContentClass)
DEGREE_ORDER = enum_order(Degree)
