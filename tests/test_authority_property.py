"""Property: whatever sequence of offers, approvals and answers is tried, no granted offer
ever leaves its authority holder past a limit, a forbidden kind, the cash threshold or a
bottom line, and nobody approves their own offer."""
from datetime import timedelta
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk import services
from desk.enums import Step
from desk.errors import DomainError
from desk.queries import case_detail
from desk.services.offers import day_total
from tests.helpers import T0, new_case, walk

ROLES = ["clerk", "clerk2", "supervisor", "supervisor2", "manager", "ops", "gm"]
KINDS = ["exchange", "voucher", "discount", "cash", "refund", "vip_card", "small_gift"]

attempt = st.fixed_dictionaries({
    "actor": st.sampled_from(ROLES[:3]),
    "approver": st.none() | st.sampled_from(ROLES),
    "kind": st.sampled_from(KINDS),
    "amount": st.integers(min_value=1, max_value=60000).map(Decimal)
    | st.sampled_from([Decimal(v) for v in (499, 500, 501, 999, 1000, 1999, 2001, 10000)]),
    "final": st.booleans(),
    "answer": st.sampled_from(["accepted", "refused", None]),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(attempt, min_size=1, max_size=8))
def test_no_sequence_exceeds_authority(store, policy, team, attempts):
    people = {"clerk": team.clerk, "clerk2": team.clerk2, "supervisor": team.supervisor,
              "supervisor2": team.supervisor2, "manager": team.manager, "ops": team.ops,
              "gm": team.gm}
    no = new_case(store, policy, team.clerk, category="lost_property")
    at = walk(store, policy, no, team.clerk, Step.PROPOSE)
    for i, a in enumerate(attempts):
        now = at + timedelta(minutes=i + 1)
        actor, approver = people[a["actor"]], people[a["approver"]] if a["approver"] else None
        try:
            with store.write(system="test") as session:
                offer = services.make_offer(session, policy, no, actor, a["kind"], a["amount"],
                                            final=a["final"], approver=approver, now=now,
                                            serials=("S1",) if policy.kinds[a["kind"]].serials else ())
                seq = offer.seq
        except DomainError:
            continue
        _check_invariants(store, policy, no, seq, now)
        if a["answer"]:
            try:
                with store.write(system="test") as session:
                    services.record_answer(session, policy, no, seq, actor, a["answer"], now=now)
            except DomainError:
                pass


def _check_invariants(store, policy, case_no, seq, now):
    with store.read() as session:
        detail = case_detail(session, case_no)
        offer = detail.offers[seq - 1]
        if not offer.granted:
            return
        holder_name = offer.approver or offer.requested_by
        assert offer.approver != offer.requested_by
        from desk.model import Staff
        from sqlalchemy import select
        holder = session.scalar(select(Staff).where(Staff.name == holder_name))
        role = policy.roles[holder.role]
        earlier = [o for o in detail.offers if o.seq < seq]
        total = sum((o.amount for o in detail.offers[:seq] if o.granted and o.answer != "refused"),
                    Decimal(0))
        assert role.may_grant(offer.kind)
        if role.per_case is not None:
            assert total <= role.per_case
        if role.per_day is not None:
            assert day_total(session, policy, holder.id, now) <= role.per_day
        top = role.key == policy.top_role.key
        if policy.kinds[offer.kind].cash and offer.amount >= policy.cash_threshold:
            assert top
        finals = [o.amount for o in earlier if o.is_final and o.answer == "refused"]
        if finals and offer.amount > max(finals):
            assert top
