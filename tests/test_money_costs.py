"""A cost's life: finance approves or returns an accepted offer, a returned one goes back to
the supervisor, finance pays it and the recipient signs; an overcharge refund is verified
first by someone other than its requester. Through the door (desk.app.money) on both back
ends; every refusal leaves the store as it was."""
from __future__ import annotations

import pytest

from desk.app.money import Money
from desk.costs import CostState
from desk.errors import AuthorityError, NotFound, RecusalError, TransitionError, ValidationError
from desk.i18n import set_locale
from tests.helpers import store_rows
from tests.money_support import accepted_cost, add_finance


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


@pytest.fixture
def fin(store, policy, team):
    return add_finance(store, policy, team.gm)


def door(store, policy, actor) -> Money:
    return Money(store, policy, lambda: actor)


def refused(store, error, call, *args, **kw):
    before = store_rows(store)
    with pytest.raises(error) as info:
        call(*args, **kw)
    assert store_rows(store) == before
    return info.value


def test_a_cost_goes_from_acceptance_through_finance_to_the_recipients_signature(
        store, policy, team, fin):
    case_no = accepted_cost(store, policy, team.clerk)
    queue = door(store, policy, fin.one).queue()
    assert [(r.case_no, r.seq, r.state) for r in queue] == [(case_no, 1, "awaiting_finance")]
    # The supervisor sees what the company still owes too.
    assert [r.case_no for r in door(store, policy, team.supervisor).queue()] == [case_no]
    door(store, policy, fin.one).approve(case_no, 1, "receipt seen")
    rows = door(store, policy, fin.two).pay(case_no, 1, "cash", amount="300")
    assert rows[0].state == CostState.PAID
    rows = door(store, policy, team.clerk).sign(case_no, 1, "李大華")
    assert rows[0].state == CostState.SIGNED
    assert [s.action for s in rows[0].steps] == ["approve", "pay", "sign"]
    assert rows[0].steps[1].by == "蘇出納 (F002)" and rows[0].steps[2].recipient == "李大華"
    assert door(store, policy, fin.one).queue() == []


def test_only_finance_reviews_and_pays_and_never_what_they_offered_or_approved(
        store, policy, team, fin):
    case_no = accepted_cost(store, policy, team.clerk)
    for actor in (team.clerk, team.supervisor, team.gm):
        refused(store, AuthorityError, door(store, policy, actor).approve, case_no, 1)
        refused(store, AuthorityError, door(store, policy, actor).pay, case_no, 1, "cash")
    refused(store, AuthorityError, door(store, policy, team.clerk).queue)
    door(store, policy, fin.one).approve(case_no, 1)
    err = refused(store, AuthorityError, door(store, policy, fin.one).pay, case_no, 1, "cash")
    assert err.field == "actor"   # approved in finance: someone else pays


def test_transitions_only_in_order_and_the_amount_never_changes(store, policy, team, fin):
    case_no = accepted_cost(store, policy, team.clerk)
    f1, f2 = door(store, policy, fin.one), door(store, policy, fin.two)
    refused(store, TransitionError, f2.pay, case_no, 1, "cash")
    refused(store, TransitionError, door(store, policy, team.clerk).sign, case_no, 1, "李大華")
    f1.approve(case_no, 1)
    refused(store, TransitionError, f1.approve, case_no, 1)
    refused(store, TransitionError, f1.return_, case_no, 1, "too late")
    err = refused(store, ValidationError, f2.pay, case_no, 1, "cash", amount="350")
    assert err.field == "amount"
    refused(store, ValidationError, f2.pay, case_no, 1, "transfer")   # numbers needed
    refused(store, ValidationError, f2.pay, case_no, 1, "cheque")
    f2.pay(case_no, 1, "transfer", "TX-20261122-01")
    refused(store, TransitionError, f1.approve, case_no, 1)


def test_a_returned_cost_goes_back_to_the_supervisor(store, policy, team, fin):
    case_no = accepted_cost(store, policy, team.clerk)
    f1 = door(store, policy, fin.one)
    refused(store, ValidationError, f1.return_, case_no, 1, " ")
    f1.return_(case_no, 1, "no copy of the receipt")
    supervisor = door(store, policy, team.supervisor)
    returned = supervisor.queue(states=("returned",))
    assert [(r.case_no, r.last_note) for r in returned] == [(case_no, "no copy of the receipt")]
    refused(store, TransitionError, f1.approve, case_no, 1)
    refused(store, AuthorityError, door(store, policy, team.clerk).resubmit, case_no, 1, "ok")
    refused(store, AuthorityError, f1.resubmit, case_no, 1, "ok")
    supervisor.resubmit(case_no, 1, "copy of the receipt attached")
    assert f1.queue()[0].state == "awaiting_finance"
    f1.approve(case_no, 1)


def test_an_offer_not_accepted_is_no_cost(store, policy, team, fin):
    from datetime import timedelta

    from desk import services
    from desk.enums import Step
    from tests.helpers import T0, new_case, walk
    case_no = new_case(store, policy, team.clerk)
    at = walk(store, policy, case_no, team.clerk, Step.PROPOSE)
    with store.write(team.clerk) as session:
        services.make_offer(session, policy, case_no, team.clerk, "refund", "200",
                            now=at + timedelta(minutes=1))
    refused(store, TransitionError, door(store, policy, fin.one).approve, case_no, 1)
    refused(store, NotFound, door(store, policy, fin.one).approve, case_no, 2)
    assert T0 and door(store, policy, fin.one).queue() == []


def test_a_double_refund_is_paid_only_after_someone_else_verified_the_overcharge(
        store, policy, team, fin):
    case_no = accepted_cost(store, policy, team.clerk, kind="overcharge_refund", amount=None,
                            charged="150", due="100", category="overcharge",
                            subject_kind="charge", subject_name="停車場")
    f1, f2 = door(store, policy, fin.one), door(store, policy, fin.two)
    f1.approve(case_no, 1)
    err = refused(store, TransitionError, f2.pay, case_no, 1, "account_credit")
    assert err.field == "verified"
    # The requester never verifies their own; a clerk may not verify at all.
    refused(store, AuthorityError, door(store, policy, team.clerk).verify_overcharge,
            case_no, 1, "R-778812")
    refused(store, AuthorityError, door(store, policy, team.clerk2).verify_overcharge,
            case_no, 1, "R-778812")
    refused(store, ValidationError, door(store, policy, team.supervisor).verify_overcharge,
            case_no, 1, "")
    rows = door(store, policy, team.supervisor).verify_overcharge(
        case_no, 1, "R-778812", scan=b"%PDF-1.4 receipt", scan_name="receipt.pdf")
    assert rows[0].verified and rows[0].steps[-1].evidence == "R-778812"
    assert rows[0].steps[-1].evidence_sha256
    refused(store, TransitionError, f1.verify_overcharge, case_no, 1, "R-1")
    rows = f2.pay(case_no, 1, "account_credit")
    assert rows[0].state == "paid" and rows[0].amount == 100


def test_verifying_an_offer_that_is_no_overcharge_is_refused(store, policy, team, fin):
    case_no = accepted_cost(store, policy, team.clerk)
    refused(store, ValidationError, door(store, policy, fin.one).verify_overcharge,
            case_no, 1, "R-1")


def test_nobody_reviews_a_cost_on_a_complaint_about_themselves(store, policy, team, fin):
    case_no = accepted_cost(store, policy, team.clerk, subject_kind="staff",
                            subject_name=None, subject_staff="F001",
                            category="service_attitude")
    refused(store, RecusalError, door(store, policy, fin.one).approve, case_no, 1)
