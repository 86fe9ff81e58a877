"""Approval messages say who can approve and why the one who tried cannot, in each language,
without sending the reader back to the role they already hold."""
from __future__ import annotations

from decimal import Decimal

import pytest

from desk import rules
from desk.errors import AuthorityError
from desk.i18n import set_locale

# Role labels in each language; a Traditional label in zh_CN (or the reverse) is a wrong catalog.
SUPERVISOR = {"en": "Desk supervisor", "zh_TW": "服務台督導", "zh_CN": "服务台督导"}
CLERK = {"en": "Clerk", "zh_TW": "服務台人員", "zh_CN": "服务台人员"}


@pytest.fixture(params=["en", "zh_TW", "zh_CN"])
def locale(request):
    set_locale(request.param)
    yield request.param
    set_locale("en")


def ctx(case_total="0", day_total="0"):
    return rules.OfferContext(Decimal(case_total), Decimal(day_total), None)


def refusal(call) -> AuthorityError:
    with pytest.raises(AuthorityError) as info:
        call()
    return info.value


def test_requester_beyond_the_case_limit_is_told_who_approves(policy, locale):
    error = refusal(lambda: rules.refuse_for_authority(
        policy, policy.roles["clerk"], "voucher", Decimal(1500), ctx()))
    text = str(error)
    assert error.needs_role == "supervisor" and SUPERVISOR[locale] in text
    assert CLERK[locale] in text                       # whose authority it is beyond
    other = CLERK["zh_TW" if locale == "zh_CN" else "zh_CN"]
    assert locale == "en" or other not in text
    if locale == "en":
        assert "per-case limit" in text


def test_a_supervisor_with_their_day_spent_is_not_sent_to_supervisors_in_a_circle(policy, locale):
    error = refusal(lambda: rules.refuse_approver(
        policy, policy.roles["clerk"], policy.roles["supervisor"], "林志明", "voucher",
        Decimal(1500), ctx(day_total="9000")))
    text = str(error)
    assert "林志明" in text and SUPERVISOR[locale] in text
    if locale == "en":
        assert "own day total" in text
        assert ("another Desk supervisor with authority left today, or Store / floor "
                "manager, can") in text
        assert "needs approval by Desk supervisor" not in text


def test_an_approver_below_the_kind_or_the_case_total_is_told_the_higher_role(policy):
    set_locale("en")
    error = refusal(lambda: rules.refuse_approver(
        policy, policy.roles["clerk"], policy.roles["supervisor"], "林志明", "voucher",
        Decimal(2500), ctx()))
    assert "per-case limit" in str(error) and "Store / floor manager" in str(error)
    assert error.needs_role == "store_manager"
    cash = refusal(lambda: rules.refuse_approver(
        policy, policy.roles["clerk"], policy.roles["operations_manager"], "周", "cash",
        policy.cash_threshold, ctx()))
    assert "cash threshold" in str(cash) and "General manager" in str(cash)


def test_demo_staff_start_the_demo_day_with_authority_left(tmp_path, policy):
    """A demo offer within a role's limits is granted: today's demo cases leave most of each
    clerk's and supervisor's day limit unused."""
    from sqlalchemy import select

    from desk.demo import DEMO_STAFF, fill_demo
    from desk.model import Staff, utcnow
    from desk.services.offers import day_total
    from desk.store import Store
    store = Store("sqlite:///" + (tmp_path / "demo.sqlite3").as_posix())
    try:
        fill_demo(store, policy, 600, per_day=300, audit=False)
        now = utcnow()
        with store.read() as session:
            ids = {no: id_ for no, id_ in session.execute(select(Staff.staff_no, Staff.id))}
            for staff_no, _name, role, _pin in DEMO_STAFF:
                limit = policy.roles[role].per_day
                if role in ("clerk", "supervisor"):
                    assert day_total(session, policy, ids[staff_no], now) <= limit / 2, staff_no
    finally:
        store.close()
