"""An approved reply travels with its case (export, import, day pack), and an import can
never forge an approval: the approver's own PIN is needed; migrated history keeps the record
but its replies never go out."""
from __future__ import annotations

import copy
import json
import zipfile

import jsonschema
import pytest

from desk import packs
from desk.app.replies import Replies
from desk.casedoc import export_case
from desk.casedoc_import import import_file
from desk.errors import DomainError, TransitionError
from desk.services import actor_for
from tests.conftest import PINS, TEAM, Team
from tests.helpers import T0, store_rows
from tests.replies_support import approved_reply, resolved_tenant_case, seeded
from tests.replies_support import store, team  # noqa: F401  (seeded SQLite; PostgreSQL)


SQLITE = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


@pytest.fixture
def exported(store, policy, team):
    no = resolved_tenant_case(store, policy, team)
    approved_reply(store, policy, team, no)
    with store.read() as session:
        doc = export_case(session, no)
    return no, doc


@pytest.fixture
def other(tmp_path, policy):
    st = seeded(tmp_path / "other.sqlite3", policy)
    with st.read() as session:
        team = Team(*[actor_for(session, p[0]) for p in TEAM])
    yield st, team
    st.close()


@SQLITE
def test_export_carries_the_approved_text_and_who_approved_it(exported):
    no, doc = exported
    [reply] = doc["replies"]
    assert reply["state"] == "approved" and reply["approval"]["by"] == "S001"
    assert "好鞋坊已為顧客換新鞋" in reply["body"] and "pin" not in reply["approval"]
    from tests.test_casedoc import SCHEMA
    jsonschema.validate(doc, SCHEMA)


@SQLITE
def test_import_needs_the_approver_pin(exported, other, policy):
    no, doc = exported
    st, team = other
    before = store_rows(st, pin_counts=False)   # a wrong PIN is counted, as at sign-in
    with pytest.raises(DomainError) as err:       # S001's approval without S001's PIN
        import_file(st, policy, team.clerk, [copy.deepcopy(doc)])
    assert "replies[0].approval.by" in str(err.value)
    forged = copy.deepcopy(doc)
    forged["replies"][0]["approval"]["pin"] = "0000"
    with pytest.raises(DomainError):
        import_file(st, policy, team.clerk, [forged])
    own = copy.deepcopy(doc)                      # the drafter approving their own draft
    own["replies"][0]["approval"]["by"] = "C001"
    with pytest.raises(DomainError):
        import_file(st, policy, team.clerk, [own])
    assert store_rows(st, pin_counts=False) == before
    good = copy.deepcopy(doc)
    good["replies"][0]["approval"]["pin"] = PINS["S001"]
    [done] = import_file(st, policy, team.clerk, [good])
    app = Replies(st, policy, lambda: team.clerk)
    [row] = app.replies_of(done.case_no)
    assert row.state == "approved" and row.approved_by == team.supervisor.name
    assert app.print_letter(done.case_no, 1).startswith(b"%PDF")


@SQLITE
def test_migrated_replies_are_kept_but_never_go_out(exported, other, policy):
    no, doc = exported
    st, team = other
    [done] = import_file(st, policy, team.ops, [copy.deepcopy(doc)], migrated=True)
    app = Replies(st, policy, lambda: team.clerk)
    [row] = app.replies_of(done.case_no)
    assert row.state == "approved" and row.migrated
    with pytest.raises(TransitionError):
        app.print_letter(done.case_no, 1)


@SQLITE
def test_the_day_pack_carries_the_reply(exported, store, policy, team, tmp_path):
    no, _doc = exported
    path = tmp_path / "A.deskpack"
    with store.write(team.supervisor) as session:
        packs.export_pack(session, policy, team.supervisor, T0.date(), path, "A")
    with zipfile.ZipFile(path) as zf:
        doc = json.loads(zf.read(f"cases/{no}.json"))
    assert doc["replies"][0]["approval"]["by"] == "S001"
