"""The rules as pure functions: lifecycle, step order, authority, money, deadlines."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from desk import rules
from desk.enums import Status, Step
from desk.errors import AuthorityError, TransitionError, ValidationError

NO_HISTORY = rules.OfferContext(Decimal(0), Decimal(0), None)


def test_illegal_move_says_what_is_allowed():
    with pytest.raises(TransitionError) as err:
        rules.check_transition("open", Status.RESOLVED)
    text = str(err.value)
    assert "處理中" in text and "已解決" in text


def test_final_states_allow_nothing():
    for status in ("closed", "not_accepted", "voided"):
        assert rules.allowed_moves(status) == []
        with pytest.raises(TransitionError):
            rules.check_transition(status, Status.IN_PROGRESS)


def test_steps_must_follow_the_order():
    rules.check_step_order(set(), Step.LISTEN)
    with pytest.raises(ValidationError) as err:
        rules.check_step_order({"listen"}, Step.APOLOGISE)
    assert err.value.field == "step"
    with pytest.raises(ValidationError):
        rules.check_step_order({"listen"}, Step.LISTEN)


def test_resolve_needs_propose_and_confirm():
    assert len(rules.resolve_blockers({"listen", "thank", "apologise", "commit"})) == 2
    assert rules.resolve_blockers({s.value for s in Step}) == []


def test_clerk_within_and_beyond_limit(policy):
    clerk = policy.roles["clerk"]
    assert rules.authority_problems(policy, clerk, "voucher", Decimal(500), NO_HISTORY) == []
    assert rules.authority_problems(policy, clerk, "voucher", Decimal("500.01"), NO_HISTORY)
    assert rules.authority_problems(policy, clerk, "discount", Decimal(10), NO_HISTORY)


def test_per_case_total_counts_earlier_offers(policy):
    clerk = policy.roles["clerk"]
    ctx = rules.OfferContext(Decimal(400), Decimal(400), None)
    assert rules.authority_problems(policy, clerk, "voucher", Decimal(200), ctx)
    assert rules.role_needed(policy, "voucher", Decimal(200), ctx).key == "supervisor"


def test_per_day_limit(policy):
    clerk = policy.roles["clerk"]
    ctx = rules.OfferContext(Decimal(0), clerk.per_day - 100, None)
    assert rules.authority_problems(policy, clerk, "voucher", Decimal(200), ctx)


def test_cash_at_threshold_needs_top_role_and_suggests_voucher(policy):
    manager = policy.roles["store_manager"]
    with pytest.raises(AuthorityError) as err:
        rules.refuse_for_authority(policy, manager, "cash", policy.cash_threshold, NO_HISTORY)
    assert err.value.needs_role == "general_manager"
    assert "禮券" in str(err.value) or "voucher" in str(err.value)
    below = policy.cash_threshold - 1
    assert rules.authority_problems(policy, manager, "cash", below, NO_HISTORY) == []


def test_bottom_line_only_top_role_may_offer_more(policy):
    ctx = rules.OfferContext(Decimal(0), Decimal(0), Decimal(300))
    ops = policy.roles["operations_manager"]
    assert rules.authority_problems(policy, ops, "voucher", Decimal(301), ctx)
    assert rules.authority_problems(policy, ops, "voucher", Decimal(300), ctx) == []
    assert rules.role_needed(policy, "voucher", Decimal(301), ctx).key == "general_manager"


def test_overcharge_is_doubled():
    assert rules.overcharge_refund(Decimal(580), Decimal(480)) == Decimal(200)
    with pytest.raises(ValidationError):
        rules.overcharge_refund(Decimal(100), Decimal(100))


@pytest.mark.parametrize("bad", ["", "abc", "-5", "0", "NaN", "Infinity", "1e12", "1.234", None,
                                 True, float("nan")])
def test_bad_amounts_are_refused_naming_the_field(bad):
    with pytest.raises(ValidationError) as err:
        rules.parse_amount(bad)
    assert err.value.field == "amount"


def test_amount_text_with_grouping():
    assert rules.parse_amount("1,200") == Decimal("1200.00")


def test_options_lowest_value_first_and_marked(policy):
    options = rules.compensation_options(policy, policy.roles["clerk"], NO_HISTORY)
    ranks = [o.rank for o in options]
    assert ranks == sorted(ranks)
    by_kind = {o.kind: o for o in options}
    assert by_kind["voucher"].within_authority
    assert not by_kind["discount"].within_authority
    assert by_kind["discount"].needs_role == "supervisor"
    assert by_kind["cash"].needs_role == "store_manager"


def test_remaining_authority(policy):
    clerk = policy.roles["clerk"]
    assert rules.remaining_authority(clerk, rules.OfferContext(Decimal(200), Decimal(0), None)) == 300
    assert rules.remaining_authority(policy.roles["general_manager"], NO_HISTORY) is None


def test_deadlines_follow_severity_and_statute(policy):
    t = datetime(2026, 11, 22, 6, 0, tzinfo=timezone.utc)
    d1 = rules.deadlines(policy, t, 1, "counter")
    assert d1.first_contact_due is None
    assert d1.resolution_due == t + timedelta(hours=24)
    d3 = rules.deadlines(policy, t, 3, "letter")
    assert d3.first_contact_due == t + timedelta(hours=1)
    assert d3.statutory_due == t + timedelta(days=15)

