"""Holes found by attacking the finished door as a clerk or supervisor would: each is tried
through the services and the `desk` command, must be refused naming its field, and must
leave every table as it was."""
from __future__ import annotations

from datetime import timedelta

import pytest

from desk.errors import AuthorityError, ValidationError
from desk.services.offers import day_total
from tests.test_bypass_authority import (  # noqa: F401  (the English fixture)
    _english, dump, offer, ready_case, real_now, refused)


# --- an approver's day counts the day the approval is given -----------------------------------

def pending_requests(store, policy, clerk, amounts, when) -> list[str]:
    """Cases of ``clerk`` with one offer each, left waiting for a supervisor since ``when``."""
    numbers = []
    for amount in amounts:
        no, at = ready_case(store, policy, clerk, when)
        with store.write(clerk) as s:
            offer(s, policy, no, clerk, amount, at, request_approval=True)
        numbers.append(no)
    return numbers


def test_approving_yesterdays_requests_counts_on_the_approvers_day(store, policy, team):
    """A supervisor (NT$10,000 a day) deciding offers asked for yesterday approves today: the
    sixth NT$1,800 approval would bring today's approvals to NT$10,800 and is refused."""
    from desk import services
    now = real_now(policy)
    waiting = pending_requests(store, policy, team.clerk, ["1800"] * 6,
                               now - timedelta(days=1, minutes=30))
    for no in waiting[:5]:
        with store.write(team.supervisor) as s:
            services.decide_approval(s, policy, no, 1, team.supervisor, True, now=now)
    with store.read() as s:
        assert day_total(s, policy, team.supervisor.id, now) == 9000
    refused(store, team.supervisor,
            lambda s: services.decide_approval(s, policy, waiting[5], 1, team.supervisor, True,
                                               now=now),
            AuthorityError, field="approver")


def test_desk_approval_decide_counts_the_approvers_day_too(store, policy, team, capsys):
    from desk import services
    from tests.approvals_support import run_cli
    now = real_now(policy)
    waiting = pending_requests(store, policy, team.clerk, ["1800"] * 6,
                               now - timedelta(days=1, minutes=30))
    for no in waiting[:5]:
        with store.write(team.supervisor) as s:
            services.decide_approval(s, policy, no, 1, team.supervisor, True)
    assert run_cli(store, "approval", "list", as_staff="S001")[0] == 0   # sign-in recorded
    before = dump(store)
    code, _out, err = run_cli(store, "approval", "decide", waiting[5], "1", "approve",
                              as_staff="S001", capsys=capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "approver" in err
    assert dump(store) == before


# --- a case never starts below its category's level -------------------------------------------

@pytest.mark.parametrize("level", ["preliminary", "level1"])
def test_a_legal_case_cannot_be_taken_at_a_lower_level(store, policy, team, level):
    """A safety / legal-liability complaint is level 2 by its category; taken as a lower level
    a clerk could resolve it herself."""
    from desk import services
    from tests.helpers import complaint
    refused(store, team.clerk, lambda s: services.take_complaint(
        s, policy, team.clerk, complaint(category="safety_legal", level=level)),
        ValidationError, field="level")


def test_a_higher_level_than_the_categorys_is_taken(store, policy, team):
    from desk import services
    from tests.helpers import complaint
    with store.write(team.clerk) as s:
        case = services.take_complaint(s, policy, team.clerk,
                                       complaint(category="goods_rights", level="level2"))
        assert case.level == "level2"
