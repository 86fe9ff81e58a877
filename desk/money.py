"""What counts as money given: an offer is *granted* when no approval was needed or it was
approved; it *counts* toward a case's and a day's totals while the customer has not
refused it; it is *paid* once the customer accepted it. One home for the words, in Python
and in SQL, so totals, limits, reports and chargebacks never disagree."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import and_

from desk.enums import Answer, Approval
from desk.model import Offer

GRANTED = (Approval.NOT_NEEDED.value, Approval.APPROVED.value)


def is_granted(offer) -> bool:
    """``offer``: anything with ``approval`` (an ORM ``Offer``, an ``OfferView``, a row)."""
    return offer.approval in GRANTED


def counts(offer) -> bool:
    """Granted and not refused by the customer: part of the case's and the day's total."""
    return offer.approval in GRANTED and offer.answer != Answer.REFUSED.value


def is_paid(offer) -> bool:
    """Granted and accepted: a cost the company pays (finance reviews it, the customer
    signs for it)."""
    return offer.approval in GRANTED and offer.answer == Answer.ACCEPTED.value


def bottom_line(offers) -> Decimal | None:
    """The company's final offer the customer refused (the highest, if several): nobody
    but the top role may offer more on the case."""
    finals = [o.amount for o in offers if o.is_final and o.answer == Answer.REFUSED.value]
    return max(finals) if finals else None


def granted_clause(offer=Offer):
    return offer.approval.in_(GRANTED)


def counted_clause(offer=Offer):
    return and_(offer.approval.in_(GRANTED), offer.answer != Answer.REFUSED.value)


def paid_clause(offer=Offer):
    return and_(offer.approval.in_(GRANTED), offer.answer == Answer.ACCEPTED.value)


__all__ = ["GRANTED", "bottom_line", "counted_clause", "counts", "granted_clause", "is_granted",
           "is_paid", "paid_clause"]
