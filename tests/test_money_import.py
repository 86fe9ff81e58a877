"""Money states travel in the case document and the day pack, and an import cannot forge
them: a finance approval, a payment, a settlement or a finding is believed only from its
doer's PIN (or as migrated history), and the services' rules hold as at the desk."""
from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import pytest

from desk import packs
from desk.app.money import Money
from desk.casedoc import export_case
from desk.casedoc_import import import_file
from desk.errors import DomainError
from desk.i18n import set_locale
from tests.helpers import T0, store_rows
from tests.money_support import FINANCE_PINS, as_new, settled_case

@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


@pytest.fixture
def settled(store, policy, team):
    return settled_case(store, policy, team)


def test_the_document_carries_the_costs_settlement_and_finding(settled):
    costs = settled["offers"][0]["costs"]
    assert [(c["action"], c["by"]) for c in costs] == [("approve", "F001"), ("pay", "F002"),
                                                       ("sign", "C001")]
    assert costs[1]["how"] == "cash" and costs[2]["recipient"] == "李大華"
    assert settled["settlement"]["signer"] == "李大華" and settled["settlement"]["method"] == "paper"
    assert settled["finding"] == {**settled["finding"], "staff": "C002", "by": "S001"}
    import jsonschema
    from tests.test_casedoc import SCHEMA
    jsonschema.validate(settled, SCHEMA)


def test_a_round_trip_with_each_doers_pin_keeps_every_state(store, policy, team, settled):
    done = import_file(store, policy, team.clerk, [as_new(settled, pins=True)])
    with store.read() as session:
        again = export_case(session, done[0].case_no)
    strip = lambda d: [{k: v for k, v in c.items() if k != "at"} for c in d]  # noqa: E731
    assert strip(again["offers"][0]["costs"]) == strip(settled["offers"][0]["costs"])
    for key in ("settlement", "finding"):
        assert {k: v for k, v in again[key].items() if k != "at"} == \
            {k: v for k, v in settled[key].items() if k != "at"}


FORGES = {"no_pin": "offers[0].costs[0].by", "importer_approves": "role",
          "payer_approved": "person acting", "paid_before_approval": "cost step",
          "finding_no_pin": "finding.by"}


def forged(settled: dict, forge: str) -> dict:
    doc = as_new(settled, pins=True)
    costs = doc["offers"][0]["costs"]
    if forge == "no_pin":
        costs[0].pop("pin")
    elif forge == "importer_approves":    # the clerk importing says they approved in finance
        costs[0].update(by="C001")
        costs[0].pop("pin")
    elif forge == "payer_approved":
        costs[1].update(by="F001", pin=FINANCE_PINS["F001"])
    elif forge == "paid_before_approval":
        del costs[0]
    else:
        doc["finding"].pop("pin")
    return doc


def test_an_import_cannot_forge_finance(store, policy, team, settled):
    before = store_rows(store)
    for forge, field in FORGES.items():
        with pytest.raises(DomainError) as info:
            import_file(store, policy, team.clerk, [forged(settled, forge)])
        assert field in str(info.value), (forge, str(info.value))
        assert store_rows(store) == before, forge


def test_migrated_history_brings_the_states_in_marked(store, policy, team, settled):
    doc = as_new(settled, pins=False)
    done = import_file(store, policy, team.ops, [doc], migrated=True)
    rows = Money(store, policy, lambda: team.supervisor).case_costs(done[0].case_no)
    assert rows[0].state == "signed" and all(s.migrated for s in rows[0].steps)


def test_the_day_pack_carries_the_money_states(store, policy, team, settled, tmp_path):
    path = tmp_path / "A.deskpack"
    with store.write(team.supervisor) as session:
        packs.export_pack(session, policy, team.supervisor, T0.date(), path, "A",
                          now=T0 + timedelta(hours=9))
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as zf:
        doc = json.loads(zf.read(f"cases/{settled['case_no']}.json"))
    assert [c["action"] for c in doc["offers"][0]["costs"]] == ["approve", "pay", "sign"]
    assert doc["settlement"]["signer"] == "李大華"
