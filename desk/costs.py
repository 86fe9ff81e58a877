"""A cost's life after the customer accepted it, derived from its events: waiting for
finance, approved or returned by finance, paid, signed for. The order is fixed here once;
services refuse any step that does not follow (``next_state``), screens and forms show
``state_of``. Pure: no database."""
from __future__ import annotations

from desk.enums import Labelled
from desk.errors import N_, LazyText, TransitionError


class CostState(Labelled):
    AWAITING_FINANCE = "awaiting_finance"
    RETURNED = "returned"
    APPROVED = "approved"
    PAID = "paid"
    SIGNED = "signed"


CostState.LABELS = {"awaiting_finance": N_("Awaiting finance review"),
                    "returned": N_("Returned by finance"),
                    "approved": N_("Approved by finance"), "paid": N_("Paid"),
                    "signed": N_("Signed for")}


class CostAction(Labelled):
    APPROVE = "approve"
    RETURN = "return"
    RESUBMIT = "resubmit"
    PAY = "pay"
    SIGN = "sign"
    VERIFY = "verify"


CostAction.LABELS = {"approve": N_("Approved by finance"), "return": N_("Returned by finance"),
                     "resubmit": N_("Sent back to finance"), "pay": N_("Paid"),
                     "sign": N_("Signed for by the recipient"),
                     "verify": N_("Overcharge verified")}


class PaidHow(Labelled):
    CASH = "cash"
    TRANSFER = "transfer"
    VOUCHER = "voucher"
    ACCOUNT_CREDIT = "account_credit"
    GOODS = "goods"


PaidHow.LABELS = {"cash": N_("Cash"), "transfer": N_("Bank transfer"),
                  "voucher": N_("Vouchers"), "account_credit": N_("Credit to the account"),
                  "goods": N_("Goods or service handed over")}

# Which state each action leaves from, and where it goes. Verification does not move the
# state: it may happen any time before payment.
TRANSITIONS = {
    CostAction.APPROVE: (CostState.AWAITING_FINANCE, CostState.APPROVED),
    CostAction.RETURN: (CostState.AWAITING_FINANCE, CostState.RETURNED),
    CostAction.RESUBMIT: (CostState.RETURNED, CostState.AWAITING_FINANCE),
    CostAction.PAY: (CostState.APPROVED, CostState.PAID),
    CostAction.SIGN: (CostState.PAID, CostState.SIGNED),
}
UNPAID = (CostState.AWAITING_FINANCE, CostState.RETURNED, CostState.APPROVED)


def state_of(actions) -> CostState:
    """The state after ``actions`` (the action keys of an accepted offer's events in
    order). Events were checked when written; an unknown one is skipped."""
    state = CostState.AWAITING_FINANCE
    for action in actions:
        move = TRANSITIONS.get(CostAction.parse(action))
        if move is not None and move[0] == state:
            state = move[1]
    return state


def next_state(state: CostState, action: CostAction) -> CostState:
    """The state ``action`` leads to from ``state``; refused out of order."""
    if action == CostAction.VERIFY:
        if state in (CostState.PAID, CostState.SIGNED):
            raise TransitionError(N_("the cost is already paid; an overcharge is verified "
                                     "before payment"), field="action")
        return state
    start, end = TRANSITIONS[action]
    if state != start:
        raise TransitionError(N_("the cost is at \"{state}\"; \"{action}\" follows only "
                                 "\"{needed}\""), field="action",
                              state=LazyText(CostState.LABELS[state.value]),
                              action=LazyText(CostAction.LABELS[action.value]),
                              needed=LazyText(CostState.LABELS[start.value]))
    return end


def state_label(state: str | None) -> str:
    """The words for a state (an empty text for an offer that is not a cost)."""
    parsed = CostState.parse(state) if state else None
    return parsed.label if parsed else ""


__all__ = ["CostAction", "CostState", "PaidHow", "TRANSITIONS", "UNPAID", "next_state",
           "state_label", "state_of"]
