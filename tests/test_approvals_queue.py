"""The supervisor's approvals queue: offers left pending at the counter are listed for those
who could decide them and decided by a signed-in person, through the service and the
``desk approval`` command; every refusal leaves the store as it was."""
from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from decimal import Decimal

import pytest

from desk import approvals
from desk.errors import AuthorityError, DomainError, TransitionError, ValidationError
from desk.i18n import set_locale
from desk.queries import case_detail
from tests.conftest import SQLITE_ONLY
from tests.approvals_support import dump, pending_offer, run_cli
from tests.helpers import T0

LATER = T0 + timedelta(hours=1)


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


@pytest.fixture
def pending(store, policy, team) -> str:
    return pending_offer(store, policy, team.clerk)


def _listed(store, policy, viewer, now=LATER):
    with store.read() as session:
        return approvals.pending_approvals(session, policy, viewer, now=now)


def test_the_queue_lists_a_pending_offer_for_those_who_could_approve_it(
        store, policy, team, pending):
    rows = _listed(store, policy, team.supervisor)
    assert [(r.case_no, r.seq) for r in rows] == [(pending, 1)]
    row = rows[0]
    assert row.kind == "voucher" and row.amount == Decimal(800) and row.desk == "A"
    assert row.requested_by_no == "C001" and row.role_needed == "supervisor"
    assert row.customer_name == "李大華" and row.customer_phone == "0912-345-678"
    assert timedelta(minutes=40) < row.waiting < timedelta(hours=1)
    assert [r.case_no for r in _listed(store, policy, team.manager)] == [pending]
    # The requester, another clerk: nothing to decide.
    assert _listed(store, policy, team.clerk) == [] == _listed(store, policy, team.clerk2)


def test_an_offer_beyond_a_supervisor_is_listed_only_from_the_role_it_needs(
        store, policy, team):
    big = pending_offer(store, policy, team.clerk, amount="5000")
    assert _listed(store, policy, team.supervisor) == []
    rows = _listed(store, policy, team.manager)
    assert [r.case_no for r in rows] == [big] and rows[0].role_needed == "store_manager"


def test_viewers_without_the_personal_data_privilege_see_the_phone_masked(
        store, policy, team, pending):
    role = policy.roles["supervisor"]
    blind = dataclasses.replace(policy, roles={
        **policy.roles, "supervisor": dataclasses.replace(
            role, privileges=role.privileges - {"personal_data"})})
    row = _listed(store, blind, team.supervisor)[0]
    assert row.customer_phone != "0912-345-678" and "*" in row.customer_phone


def test_approve_and_refuse_through_the_service(store, policy, team, pending):
    other = pending_offer(store, policy, team.clerk)
    with store.write(team.supervisor) as s:
        approvals.decide(s, policy, pending, 1, team.supervisor, "approve", now=LATER)
    with store.write(team.supervisor) as s:
        approvals.decide(s, policy, other, "1", team.supervisor, "refuse",
                         "A voucher of 500 is enough here.", now=LATER)
    with store.read() as s:
        first, second = case_detail(s, pending), case_detail(s, other)
    assert first.status == "in_progress" and first.offers[0].approval == "approved"
    assert second.status == "in_progress" and second.offers[0].approval == "refused"
    assert _listed(store, policy, team.supervisor) == []


@pytest.mark.parametrize("who, decision, note, error", [
    ("clerk", "approve", "", AuthorityError),        # the requester
    ("clerk", "refuse", "no", AuthorityError),
    ("clerk2", "approve", "", AuthorityError),       # another clerk
    ("clerk2", "refuse", "not needed", AuthorityError),
    ("supervisor", "refuse", "", ValidationError),   # a refusal says why
    ("supervisor", "maybe", "", ValidationError),
])
@SQLITE_ONLY
def test_refused_decisions_write_nothing(store, policy, team, pending, who, decision, note,
                                         error):
    before = dump(store)
    with pytest.raises(error), store.write(getattr(team, who)) as s:
        approvals.decide(s, policy, pending, 1, getattr(team, who), decision, note, now=LATER)
    assert dump(store) == before


def test_an_offer_already_decided_cannot_be_decided_again(store, policy, team, pending):
    with store.write(team.supervisor) as s:
        approvals.decide(s, policy, pending, 1, team.supervisor, "approve", now=LATER)
    before = dump(store)
    for decision, note in (("approve", ""), ("refuse", "changed my mind")):
        with pytest.raises(TransitionError), store.write(team.manager) as s:
            approvals.decide(s, policy, pending, 1, team.manager, decision, note, now=LATER)
    with pytest.raises(DomainError), store.write(team.manager) as s:
        approvals.decide(s, policy, pending, 7, team.manager, "approve", now=LATER)
    assert dump(store) == before


# --- the desk command ----------------------------------------------------------------------------

def test_the_command_lists_and_decides(store, policy, team, pending, capsys):
    code, out, err = run_cli(store, "approval", "list", "--json", as_staff="S001",
                             capsys=capsys)
    assert code == 0, err
    listed = json.loads(out)
    assert [(r["case_no"], r["offer"], r["role_needed"]) for r in listed] == [
        (pending, 1, "supervisor")]
    code, out, err = run_cli(store, "approval", "list", as_staff="S001", capsys=capsys)
    assert pending in out and "1 offers waiting" in out
    code, out, err = run_cli(store, "approval", "decide", pending, "1", "approve",
                             as_staff="S001", capsys=capsys)
    assert code == 0, err
    assert "approved by" in out
    with store.read() as s:
        assert case_detail(s, pending).offers[0].approval == "approved"


def test_the_command_refuses_with_a_note(store, policy, team, pending, capsys):
    code, out, err = run_cli(store, "approval", "decide", pending, "1", "refuse", "--note",
                             "Offer an exchange first.", as_staff="M001", capsys=capsys)
    assert code == 0, err
    with store.read() as s:
        offer = case_detail(s, pending).offers[0]
    assert offer.approval == "refused"


@pytest.mark.parametrize("as_staff, pin, args, words", [
    (None, None, ("approve",), "--pin"),                              # nobody signed in
    ("S001", "0000", ("approve",), "wrong PIN"),
    ("C001", None, ("approve",), "approved by the person who made it"),   # own offer
    ("C002", None, ("approve",), "higher role"),                    # a clerk
    ("C002", None, ("refuse", "--note", "no"), "beyond the authority"),
    ("S001", None, ("refuse",), "note"),                             # no reason
    ("S001", None, ("perhaps",), "decision"),
])
@SQLITE_ONLY
def test_the_command_refuses_and_leaves_the_store_as_it_was(
        store, policy, team, pending, capsys, monkeypatch, as_staff, pin, args, words):
    monkeypatch.delenv("DESK_AS", raising=False)
    monkeypatch.delenv("DESK_PIN", raising=False)
    # The first command records the policy in force in the audit log: done before the dump.
    assert run_cli(store, "approval", "list", as_staff="S001", capsys=capsys)[0] == 0
    # A wrong PIN is counted on the staff row (and logged); nothing else may change.
    skip = ("staff", "audit_log") if pin else ()
    before = dump(store, skip=skip)
    code, out, err = run_cli(store, "approval", "decide", pending, "1", *args,
                             as_staff=as_staff, pin=pin, capsys=capsys)
    assert code == 2 and words in err
    assert len(err.strip().splitlines()) == 1
    assert dump(store, skip=skip) == before


def test_the_command_refuses_an_offer_that_is_not_pending(store, policy, team, pending,
                                                          capsys):
    assert run_cli(store, "approval", "decide", pending, "1", "approve", as_staff="S001",
                   capsys=capsys)[0] == 0
    before = dump(store)
    code, _out, err = run_cli(store, "approval", "decide", pending, "1", "refuse", "--note",
                              "again", as_staff="M001", capsys=capsys)
    assert code == 2 and "not awaiting approval" in err
    assert dump(store) == before


def test_listing_needs_a_signed_in_person(store, policy, team, pending, capsys, monkeypatch):
    monkeypatch.delenv("DESK_AS", raising=False)
    monkeypatch.delenv("DESK_PIN", raising=False)
    code, _out, err = run_cli(store, "approval", "list", capsys=capsys)
    assert code == 2 and "--pin" in err
    code, out, _err = run_cli(store, "approval", "list", "--json", as_staff="C002",
                              capsys=capsys)
    assert code == 0 and json.loads(out) == []
