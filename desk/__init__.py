"""Complaint Desk: the product without a screen (domain, store, rules, forms, reports)."""

__version__ = "0.1.0"
