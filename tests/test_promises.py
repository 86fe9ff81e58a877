"""Promised reply times kept by interim contacts, the queue of promises due or broken, the
broken count in the weekly table, and the customer's contact preference: through the app's
door, the `desk` command and case import (a refusal changes nothing in the store)."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest

from desk import services
from desk.app.promises import Promises
from desk.casedoc import export_case
from desk.casedoc_import import import_file
from desk.errors import DomainError, ValidationError
from desk.promises import broken_promises, log_contact, promise_queue
from desk.reports.stats import week_stats
from tests.approvals_support import run_cli
from tests.helpers import store_rows
from tests.review_support import at, make_case

DAY = "2026-11-16"
# The queries run on both back ends in the tests above them; these check the surfaces.
SQLITE_ONLY = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


def door(store, policy, actor) -> Promises:
    return Promises(store, policy, lambda: actor)


def _log(store, policy, actor, case_no, now, promised, **kw):
    values = dict(reached=True, channel="phone", said="Still checking with the shop.")
    values.update(kw)
    with store.write(actor) as s:
        return log_contact(s, policy, case_no, actor, promised_reply_at=promised, now=now,
                           **values)


def test_a_contact_keeps_the_promise_and_promises_again(store, policy, team):
    no = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="in_progress")
    # promised at the commit step for 12:01; the clerk calls at 11:50
    row = _log(store, policy, team.clerk, no, at(DAY, "11:50"), at(DAY, "16:00"))
    assert row.kept and row.answered_promise == at(DAY, "12:01")
    with store.read() as s:
        assert promise_queue(s, policy, at(DAY, "15:30"))[0].state == "due"
        assert promise_queue(s, policy, at(DAY, "14:00")) == []
        [late] = promise_queue(s, policy, at(DAY, "16:30"))
        assert late.state == "broken" and late.contacts == 1
        assert broken_promises(s, at(DAY, "00:00"), at("2026-11-23", "00:00"),
                               at(DAY, "15:00")) == 0
    # a late contact is logged and counts as the broken promise
    late_row = _log(store, policy, team.clerk, no, at(DAY, "16:30"), at("2026-11-17", "10:00"),
                    reached=False, channel="sms", said="Left a message.")
    assert not late_row.kept
    with store.read() as s:
        assert broken_promises(s, at(DAY, "00:00"), at("2026-11-23", "00:00"),
                               at("2026-11-17", "09:00")) == 1
        # the last promise passes with nobody calling: two broken
        assert broken_promises(s, at(DAY, "00:00"), at("2026-11-23", "00:00"),
                               at("2026-11-17", "11:00")) == 2
        stats = week_stats(s, policy, at(DAY, "10:00").date(), now=at("2026-11-17", "11:00"))
    assert stats.broken_promises == 2
    # the door masks the queue's phone numbers for a clerk, not for a supervisor
    clerk_rows = door(store, policy, team.clerk).queue(at("2026-11-17", "11:00"))
    super_rows = door(store, policy, team.supervisor).queue(at("2026-11-17", "11:00"))
    assert clerk_rows[0].customer_phone == "0912***678"
    assert super_rows[0].customer_phone == "0912345678"


def test_a_wrong_contact_is_refused_and_writes_nothing(store, policy, team):
    no = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="in_progress")
    now, fine = at(DAY, "11:00"), at(DAY, "15:00")
    wrong = [(dict(promised=None), "promised_reply_at"),
             (dict(promised=at(DAY, "10:30")), "promised_reply_at"),          # past
             (dict(promised=at("2026-12-30", "10:00")), "promised_reply_at"),  # past the limit
             (dict(channel="pigeon"), "channel"),
             (dict(channel="email"), "channel"),          # no e-mail address on the case
             (dict(said="  "), "said"),
             (dict(reached="yes"), "reached")]
    closed = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="closed",
                       closer=team.supervisor)
    with store.write(system="test") as s:
        refused = services.take_complaint(s, policy, team.clerk, services.CaseInput(
            desk="A", channel="counter", customer_name="Quiet", category="goods_rights",
            complaint="Noise.", motive="vent", severity=1, subject_kind="facility",
            customer_phone="0912000111", contact_channel="in_person", contact_consent=False,
            received_at=at(DAY, "10:00")), now=at(DAY, "10:00")).case_no
    before = store_rows(store)
    for change, field in wrong:
        change = dict(change)
        with pytest.raises(ValidationError) as err:
            _log(store, policy, team.clerk, no, now, change.pop("promised", fine), **change)
        assert err.value.field == field, change
    with pytest.raises(DomainError):                 # a closed case takes no contact
        _log(store, policy, team.clerk, closed, now, fine)
    with pytest.raises(ValidationError) as err:      # the customer said no: in person only
        _log(store, policy, team.clerk, refused, now, fine)
    assert err.value.field == "channel"
    assert store_rows(store) == before
    _log(store, policy, team.clerk, refused, now, fine, channel="in_person",
         said="Came back to the desk; told them we are checking.")


@SQLITE_ONLY
def test_the_preferred_channel_needs_its_detail_and_consent(store, policy, team):
    base = dict(desk="A", channel="counter", customer_name="Ann", category="goods_rights",
                complaint="Broken zip.", motive="compensation", severity=1,
                subject_kind="tenant", subject_name="Bags 2F", customer_phone="0912000222")
    wrong = [(dict(contact_channel="email"), "contact.email"),
             (dict(contact_channel="email", customer_email="not-an-address",
                   contact_consent=True), "contact.email"),
             (dict(contact_channel="sms", customer_phone=None, contact_consent=True),
              "customer.phone"),
             (dict(contact_channel="letter", contact_consent=True), "customer.address"),
             (dict(contact_channel="phone"), "contact.consent"),
             (dict(contact_channel="fax", contact_consent=True), "contact.channel"),
             (dict(contact_channel="phone", contact_consent="yes"), "contact.consent")]
    before = store_rows(store)
    for values, field in wrong:
        with pytest.raises(ValidationError) as err:
            with store.write(team.clerk) as s:
                services.take_complaint(s, policy, team.clerk,
                                        services.CaseInput(**{**base, **values}))
        assert err.value.field == field, values
    assert store_rows(store) == before


@SQLITE_ONLY
def test_the_command_logs_lists_and_refuses(store, policy, team, capsys):
    from desk.model import utcnow
    now = utcnow()
    old = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="in_progress")
    no = make_case(store, policy, team.clerk, now - timedelta(minutes=90), stage="in_progress",
                   phone="0912000333")          # promised for about half an hour from now
    code, out, _err = run_cli(store, "promises", "--json", capsys=capsys)
    assert code == 0
    rows = {r["case_no"]: r for r in json.loads(out)}
    assert rows[old]["state"] == "broken" and rows[no]["state"] == "due"
    assert rows[no]["phone"] == "0912***333"     # no --as: masked
    before = store_rows(store)
    for bad in ("2020-01-01T10:00", "tomorrow"):
        code, _out, err = run_cli(store, "case", "contact", no, "--reached", "--channel",
                                  "phone", "--said", "Update", "--next", bad, as_staff="C001",
                                  capsys=capsys)
        assert code == 2, err
    code, _out, err = run_cli(store, "case", "contact", no, "--reached", "--channel", "email",
                              "--said", "Update", "--next",
                              (now + timedelta(hours=3)).isoformat(), as_staff="C001",
                              capsys=capsys)
    assert code == 2 and "e-mail" in err
    assert store_rows(store) == before
    code, out, err = run_cli(store, "case", "contact", no, "--not-reached", "--channel", "sms",
                             "--said", "Left a text: still checking.", "--next",
                             (now + timedelta(hours=3)).isoformat(), as_staff="C001",
                             capsys=capsys)
    assert code == 0, err
    assert "contact logged" in out
    code, out, _err = run_cli(store, "promises", "--json", capsys=capsys)
    assert [r["case_no"] for r in json.loads(out)] == [old]
    code, out, _err = run_cli(store, "case", "show", no, as_staff="S001", capsys=capsys)
    assert "Left a text: still checking." in out


def test_import_and_export_carry_contacts_and_preference(store, policy, team, tmp_path):
    no = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="open")
    with store.write(team.clerk) as s:
        for step in ("listen", "thank", "apologise"):
            services.record_step(s, policy, no, team.clerk, step, now=at(DAY, "10:05"))
        services.record_step(s, policy, no, team.clerk, "commit", now=at(DAY, "10:06"),
                             promised_reply_at=at(DAY, "12:00"))
    _log(store, policy, team.clerk, no, at(DAY, "11:30"), at(DAY, "17:00"))
    _log(store, policy, team.clerk, no, at(DAY, "17:20"), at("2026-11-17", "11:00"),
         reached=False, channel="sms", said="Text sent: still waiting for the shop.")
    with store.read() as s:
        doc = export_case(s, no)
    assert [c["channel"] for c in doc["interim_contacts"]] == ["phone", "sms"]
    doc.update(contact={"channel": "sms", "consent": True, "email": "ann@example.com"})
    del doc["case_no"]
    done = import_file(store, policy, team.clerk, [doc], now=at("2026-11-17", "09:00"))
    with store.read() as s:
        again = export_case(s, done[0].case_no)
        stats_now = broken_promises(s, at(DAY, "00:00"), at("2026-11-23", "00:00"),
                                    at("2026-11-17", "09:00"))
    assert again["interim_contacts"] == doc["interim_contacts"]
    assert again["contact"] == {"channel": "sms", "consent": True, "email": "ann@example.com"}
    assert stats_now == 2          # the 17:00 promise was answered late, in both cases
    # a document whose contact promises a time already past is refused whole
    bad = json.loads(json.dumps(doc))
    bad["interim_contacts"][1]["promised_reply_at"] = at(DAY, "17:00").isoformat()
    before = store_rows(store)
    with pytest.raises(DomainError) as err:
        import_file(store, policy, team.clerk, [bad], now=at("2026-11-17", "09:00"))
    assert err.value.__cause__.field == "promised_reply_at"
    assert store_rows(store) == before


@SQLITE_ONLY
def test_a_day_pack_carries_the_contacts(store, policy, team, tmp_path):
    from desk.casedoc_import import import_documents
    from desk.packs import export_pack, read_pack
    no = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="in_progress")
    _log(store, policy, team.clerk, no, at(DAY, "11:00"), at(DAY, "15:00"))
    out = tmp_path / "day.deskpack"
    with store.write(team.supervisor) as s:
        export_pack(s, policy, team.supervisor, at(DAY, "10:00").date(), out, "A",
                    now=at(DAY, "18:00"))
    pack = read_pack(out)
    doc = json.loads(pack.members[f"cases/{no}.json"])
    assert doc["interim_contacts"][0]["said"] == "Still checking with the shop."
    doc.pop("case_no")                      # the pack's document comes in as a new case
    with store.write(team.clerk) as s:
        [done] = import_documents(s, policy, [doc], team.clerk, now=at(DAY, "18:00"))
    with store.read() as s:
        assert export_case(s, done.case_no)["interim_contacts"] == doc["interim_contacts"]
    # past the retention period a finished case keeps its contacts, not what was said
    from desk.queries import case_detail
    from desk.retention import purge
    from desk.services import handling
    with store.write(team.clerk) as s:
        handling.record_step(s, policy, no, team.clerk, "confirm", now=at(DAY, "12:00"))
        handling.resolve(s, policy, no, team.clerk, "Exchanged.", "founded",
                         now=at(DAY, "12:00"))
    with store.write(team.supervisor) as s:
        handling.close(s, policy, no, team.supervisor, now=at(DAY, "13:00"))
    with store.write(team.gm) as s:
        assert purge(s, policy, team.gm, now=at("2029-06-01", "10:00")).cases == 1
    with store.read() as s:
        [kept] = case_detail(s, no).contacts
    assert kept.said == "" and kept.channel == "phone"
