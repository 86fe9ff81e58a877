"""A cost's steps in a case document (``offers[i].costs``), replayed through the services
finance uses: each step is done by whom the document says, trusted as any other action
(``desk.casedoc_trust``), so a file cannot forge a finance approval or a payment."""
from __future__ import annotations

from desk.errors import N_, ValidationError
from desk.services import finance


def cost_step(session, policy, no, seq, by, cost: dict, field: str, at) -> None:
    """One step of a cost's life from a document, through the service finance uses."""
    action = cost.get("action")
    note = cost.get("note") or ""
    if action == "approve":
        finance.approve_cost(session, policy, no, seq, by, note, now=at)
    elif action == "return":
        finance.return_cost(session, policy, no, seq, by, note, now=at)
    elif action == "resubmit":
        finance.resubmit_cost(session, policy, no, seq, by, note, now=at)
    elif action == "pay":
        finance.pay_cost(session, policy, no, seq, by, cost.get("how"),
                         tuple(cost.get("refs") or ()), note=note, now=at)
    elif action == "sign":
        finance.sign_cost(session, policy, no, seq, by, cost.get("recipient"), now=at)
    elif action == "verify":
        finance.verify_overcharge(session, policy, no, seq, by, cost.get("evidence"),
                                  scan_sha256=cost.get("evidence_sha256"), now=at)
    else:
        raise ValidationError(N_("{value} is not one of: {allowed}"), field=f"{field}.action",
                              value=str(action)[:20],
                              allowed="approve, return, resubmit, pay, sign, verify")
