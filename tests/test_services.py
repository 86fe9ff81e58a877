"""Write services against a real store: intake, numbering, steps, offers, lifecycle."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from desk import services
from desk.enums import Step
from desk.errors import (AuthenticationError, AuthorityError, RecusalError, TransitionError,
                         ValidationError)
from desk.model import Case, Offer, Staff
from desk.queries import case_detail, customer_history, day_cases, overdue, overdue_count
from tests.conftest import PINS, SQLITE_ONLY
from tests.helpers import T0, complaint, new_case, walk


def count(store, model):
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_numbers_are_per_desk_and_day_without_gaps(store, policy, team):
    numbers = [new_case(store, policy, team.clerk) for _ in range(3)]
    numbers.append(new_case(store, policy, team.clerk, desk="B"))
    numbers.append(new_case(store, policy, team.clerk, now=T0 + timedelta(days=1)))
    assert numbers == ["A-20261122-0001", "A-20261122-0002", "A-20261122-0003",
                       "B-20261122-0001", "A-20261123-0001"]


def test_number_follows_the_desks_calendar_day(store, policy, team):
    # 23:30 in Taipei is still the 22nd there although it is 15:30 UTC.
    late = T0.replace(hour=23, minute=30)
    assert new_case(store, policy, team.clerk, now=late).startswith("A-20261122")


def test_failed_intake_gives_its_number_back(store, policy, team):
    with pytest.raises(ValidationError):
        new_case(store, policy, team.clerk, customer_name="  ")
    assert new_case(store, policy, team.clerk) == "A-20261122-0001"


@pytest.mark.parametrize("change, field", [
    ({"category": "nonsense"}, "category"), ({"channel": "pigeon"}, "channel"),
    ({"severity": 4}, "severity"), ({"customer_phone": "call me"}, "customer.phone"),
    ({"complaint": "x" * 5001}, "complaint"), ({"desk": "a"}, "desk"),
    ({"subject_kind": "staff"}, "subject.staff"), ({"motive": ""}, "motive"),
])
@SQLITE_ONLY
def test_intake_refuses_bad_fields_by_name(store, policy, team, change, field):
    with pytest.raises(ValidationError) as err:
        new_case(store, policy, team.clerk, **change)
    assert err.value.field == field
    assert count(store, Case) == 0


def test_category_gives_default_level_and_unit(store, policy, team):
    no = new_case(store, policy, team.clerk, category="lost_property")
    with store.read() as session:
        detail = case_detail(session, no)
    assert (detail.level, detail.responsible_unit) == ("level1", "security")


def test_steps_in_order_and_commit_needs_a_time(store, policy, team):
    no = new_case(store, policy, team.clerk)
    with store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk, "listen", now=T0)
    with pytest.raises(ValidationError), store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk, "apologise", now=T0)
    with store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk, "thank", now=T0)
        services.record_step(session, policy, no, team.clerk, "apologise",
                             skip_reason="our error is not established", now=T0)
    with pytest.raises(ValidationError) as err, store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk, "commit", now=T0)
    assert err.value.field == "promised_reply_at"
    with pytest.raises(ValidationError), store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk, "commit", skip_reason="  ", now=T0)
    with store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk, "commit",
                             promised_reply_at=T0 + timedelta(hours=3), now=T0)
    with store.read() as session:
        detail = case_detail(session, no)
    assert detail.status == "in_progress"
    assert detail.promised_reply_at == T0 + timedelta(hours=3)
    assert [s.step for s in detail.steps] == ["listen", "thank", "apologise", "commit"]


def test_cannot_resolve_before_propose_and_confirm(store, policy, team):
    no = new_case(store, policy, team.clerk)
    walk(store, policy, no, team.clerk, Step.COMMIT)
    with pytest.raises(TransitionError), store.write(system="test") as session:
        services.resolve(session, policy, no, team.clerk, "done", "founded", now=T0)


def _ready_for_offers(store, policy, team, **changes):
    no = new_case(store, policy, team.clerk, **changes)
    at = walk(store, policy, no, team.clerk, Step.PROPOSE)
    return no, at


def test_offer_beyond_authority_is_refused_then_approved(store, policy, team):
    no, at = _ready_for_offers(store, policy, team)
    with pytest.raises(AuthorityError) as err, store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 800, now=at)
    assert err.value.needs_role == "supervisor"
    assert count(store, Offer) == 0
    with store.write(system="test") as session:
        offer = services.make_offer(session, policy, no, team.clerk, "voucher", 800,
                                    approver=team.supervisor, now=at)
        assert offer.approval == "approved"


def test_approver_cannot_be_the_requester_or_too_junior(store, policy, team):
    no = new_case(store, policy, team.supervisor)
    at = walk(store, policy, no, team.supervisor, Step.PROPOSE)
    with pytest.raises(AuthorityError), store.write(system="test") as session:
        services.make_offer(session, policy, no, team.supervisor, "voucher", 3000,
                            approver=team.supervisor, now=at)
    with pytest.raises(AuthorityError), store.write(system="test") as session:
        services.make_offer(session, policy, no, team.supervisor, "voucher", 3000,
                            approver=team.supervisor2, now=at)
    assert count(store, Offer) == 0


def test_refused_approval_is_recorded_and_costs_nothing(store, policy, team):
    no, at = _ready_for_offers(store, policy, team)
    with pytest.raises(ValidationError), store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 800,
                            approver=team.supervisor, approver_refuses=True, now=at)
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 800,
                            approver=team.supervisor, approver_refuses=True,
                            approval_note="a sincere apology is enough here", now=at)
    with store.read() as session:
        detail = case_detail(session, no)
    assert detail.offers[0].approval == "refused"
    assert detail.granted_total == 0


def test_pending_approval_then_decided(store, policy, team):
    no, at = _ready_for_offers(store, policy, team)
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 800,
                            request_approval=True, now=at)
    with store.read() as session:
        assert case_detail(session, no).status == "awaiting_approval"
    with pytest.raises(AuthorityError), store.write(system="test") as session:
        services.decide_approval(session, policy, no, 1, team.clerk, True, now=at)
    with store.write(system="test") as session:
        services.decide_approval(session, policy, no, 1, team.supervisor, True, now=at)
    with store.read() as session:
        detail = case_detail(session, no)
    assert detail.status == "in_progress" and detail.offers[0].approval == "approved"


def test_bottom_line_after_final_offer_refused(store, policy, team):
    no, at = _ready_for_offers(store, policy, team)
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 300, final=True, now=at)
        services.record_answer(session, policy, no, 1, team.clerk, "refused", now=at)
    with pytest.raises(AuthorityError) as err, store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 400,
                            approver=team.ops, now=at)
    assert err.value.needs_role == "general_manager"
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 400, approver=team.gm,
                            now=at)


def test_cash_over_threshold_needs_top_role(store, policy, team):
    no, at = _ready_for_offers(store, policy, team, category="lost_property")
    with pytest.raises(AuthorityError), store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "cash", 1000, approver=team.manager,
                            now=at)
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "cash", 999, approver=team.manager,
                            now=at)


def test_overcharge_refund_is_computed(store, policy, team):
    no, at = _ready_for_offers(store, policy, team, category="overcharge")
    with store.write(system="test") as session:
        offer = services.make_offer(session, policy, no, team.clerk, "overcharge_refund",
                                    charged="580", due="480", now=at)
        assert (offer.amount, offer.charged, offer.due) == (200, 580, 480)


def test_per_day_limit_spans_cases(store, policy, team):
    limit = policy.roles["clerk"].per_day
    granted = Decimal(0)
    while granted + 500 <= limit:
        no, at = _ready_for_offers(store, policy, team)
        with store.write(system="test") as session:
            services.make_offer(session, policy, no, team.clerk, "voucher", 500, now=at)
        granted += 500
    no, at = _ready_for_offers(store, policy, team)
    with pytest.raises(AuthorityError), store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 100, now=at)


def test_recusal_blocks_handling(store, policy, team):
    with pytest.raises(RecusalError), store.write(system="test") as session:
        services.take_complaint(session, policy, team.clerk,
                                complaint(subject_kind="staff", subject_staff="C001"), now=T0)
    no = new_case(store, policy, team.clerk, subject_kind="staff", subject_staff="C002",
                  category="service_attitude")
    with pytest.raises(RecusalError), store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk2, "listen", now=T0)
    at = walk(store, policy, no, team.clerk, Step.PROPOSE)
    with pytest.raises(RecusalError), store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 800,
                            approver=team.clerk2, now=at)


def _resolved(store, policy, team, amount=300):
    no, at = _ready_for_offers(store, policy, team)
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", amount, now=at)
        services.record_answer(session, policy, no, 1, team.clerk, "accepted",
                               serials=["V0001"], now=at)
        services.record_step(session, policy, no, team.clerk, "confirm", now=at)
        services.resolve(session, policy, no, team.clerk, "voucher handed over", "founded",
                         now=at)
    return no, at


def test_voucher_needs_serials_and_resolve_needs_answers(store, policy, team):
    no, at = _ready_for_offers(store, policy, team)
    with store.write(system="test") as session:
        services.make_offer(session, policy, no, team.clerk, "voucher", 300, now=at)
        services.record_step(session, policy, no, team.clerk, "confirm", now=at)
    with pytest.raises(TransitionError), store.write(system="test") as session:
        services.resolve(session, policy, no, team.clerk, "ok", "founded", now=at)
    with pytest.raises(ValidationError) as err, store.write(system="test") as session:
        services.record_answer(session, policy, no, 1, team.clerk, "accepted", now=at)
    assert err.value.field == "serials"


def test_close_needs_signature_when_paid_and_a_supervisor(store, policy, team):
    no, at = _resolved(store, policy, team)
    with pytest.raises(AuthorityError), store.write(system="test") as session:
        services.close(session, policy, no, team.clerk, recipient_name="李大華", now=at)
    with pytest.raises(ValidationError), store.write(system="test") as session:
        services.close(session, policy, no, team.supervisor, now=at)
    with store.write(system="test") as session:
        services.close(session, policy, no, team.supervisor, recipient_name="李大華", now=at)
    with store.read() as session:
        detail = case_detail(session, no)
    assert detail.status == "closed" and detail.recipient_name == "李大華"
    assert [h.to_status for h in detail.history] == ["open", "in_progress", "resolved", "closed"]


def test_lost_property_with_unclear_liability_needs_police_report(store, policy, team):
    no, at = _ready_for_offers(store, policy, team, category="lost_property")
    with store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk, "confirm", now=at)
    with pytest.raises(ValidationError) as err, store.write(system="test") as session:
        services.resolve(session, policy, no, team.clerk, "referred", "undetermined", now=at)
    assert err.value.field == "police_report_no"
    with store.write(system="test") as session:
        services.resolve(session, policy, no, team.clerk, "referred to police", "undetermined",
                         police_report_no="北市警1234", now=at)


def test_not_accepted_needs_one_of_the_four_reasons(store, policy, team):
    no = new_case(store, policy, team.clerk)
    with pytest.raises(ValidationError), store.write(system="test") as session:
        services.not_accept(session, policy, no, team.clerk, "bored", "x", now=T0)
    with store.write(system="test") as session:
        services.not_accept(session, policy, no, team.clerk, "settled",
                            "agreement signed 2026-10-01", now=T0)
    with pytest.raises(TransitionError), store.write(system="test") as session:
        services.record_step(session, policy, no, team.clerk, "listen", now=T0)


def test_void_keeps_the_number_used(store, policy, team):
    no = new_case(store, policy, team.clerk)
    with store.write(system="test") as session:
        services.void(session, policy, no, team.clerk, "entered twice by mistake", now=T0)
    assert new_case(store, policy, team.clerk) == "A-20261122-0002"
    with store.read() as session:
        assert [r.status for r in day_cases(session, T0.date())] == ["voided", "open"]


def test_escalation_goes_up_only_before_closing(store, policy, team):
    no = new_case(store, policy, team.clerk)
    with pytest.raises(ValidationError), store.write(system="test") as session:
        services.escalate(session, policy, no, team.clerk, "preliminary", "why", now=T0)
    with store.write(system="test") as session:
        services.escalate(session, policy, no, team.clerk, "level2", "legal liability",
                          severity=3, handler="O001", now=T0)
    with store.read() as session:
        detail = case_detail(session, no)
    assert (detail.level, detail.severity, detail.handler_no) == ("level2", 3, "O001")


def test_duplicates_point_at_one_handling(store, policy, team):
    first = new_case(store, policy, team.clerk)
    second = new_case(store, policy, team.clerk)
    third = new_case(store, policy, team.clerk)
    with store.write(system="test") as session:
        services.link_duplicate(session, second, first, team.clerk, now=T0)
        services.link_duplicate(session, third, second, team.clerk, now=T0)
    with store.read() as session:
        assert case_detail(session, third).duplicate_of == first


def test_follow_up_after_resolution_with_satisfaction(store, policy, team):
    no = new_case(store, policy, team.clerk)
    with pytest.raises(TransitionError), store.write(system="test") as session:
        services.add_follow_up(session, policy, no, team.clerk, reached=False, now=T0)
    no, at = _resolved(store, policy, team)
    with pytest.raises(ValidationError), store.write(system="test") as session:
        services.add_follow_up(session, policy, no, team.clerk, reached=True, satisfaction=9,
                               now=at)
    with store.write(system="test") as session:
        services.add_follow_up(session, policy, no, team.clerk, reached=True, satisfaction=4,
                               comment="happy with the voucher", now=at)


def test_wrong_pins_lock_the_account(store, policy, team):
    for _ in range(policy.pin_attempts):
        with pytest.raises(AuthenticationError):
            services.sign_in(store, policy, "C001", "0000")
    with pytest.raises(AuthenticationError) as err:
        services.sign_in(store, policy, "C001", PINS["C001"])
    assert "locked" in str(err.value) or "鎖" in str(err.value)
    with store.read() as session:
        assert session.scalar(select(Staff.locked_until).where(Staff.staff_no == "C001"))


def test_queries_history_and_overdue(store, policy, team):
    no = new_case(store, policy, team.clerk)
    new_case(store, policy, team.clerk, customer_phone="0987-000-111")
    with store.read() as session:
        earlier = customer_history(session, phone="0912-345-678")
        assert [r.case_no for r in earlier] == [no]
        late = overdue(session, policy, now=T0 + timedelta(days=2))
        assert len(late) == 2
        assert overdue(session, policy, now=T0 + timedelta(hours=1)) == []
        # the status bar's count agrees with the list at both moments
        assert overdue_count(session, now=T0 + timedelta(days=2)) == 2
        assert overdue_count(session, now=T0 + timedelta(hours=1)) == 0
