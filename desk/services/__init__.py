"""Every write use case: takes a Session, checks the rules, leaves the commit to the caller's
unit of work (``Store.write(actor)``), so nothing half-done survives an exception."""
from desk.services.auth import Actor, actor_for, check_pin, sign_in
from desk.services.handling import (add_attachment, add_follow_up, close, escalate,
                                    link_duplicate, not_accept, record_signature, record_step,
                                    resolve, void)
from desk.services.finance import (approve_cost, pay_cost, resubmit_cost, return_cost,
                                   sign_cost, verify_overcharge)
from desk.services.intake import CaseInput, take_complaint
from desk.services.offers import decide_approval, make_offer, options, record_answer
from desk.services.printing import print_case
from desk.services.settlement import record_finding, sign_settlement
from desk.services.staff import add_staff

__all__ = [
    "Actor", "actor_for", "check_pin", "sign_in", "add_attachment", "add_follow_up", "close",
    "escalate", "link_duplicate", "not_accept", "record_signature", "record_step", "resolve",
    "void", "CaseInput", "take_complaint", "decide_approval", "make_offer", "options",
    "record_answer", "add_staff", "print_case", "approve_cost", "pay_cost", "resubmit_cost",
    "return_cost", "sign_cost", "verify_overcharge", "record_finding", "sign_settlement",
]
