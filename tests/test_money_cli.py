"""``desk finance``: the queue and a cost's life from the command line, signed in with
``--as``/``--pin``; a refusal exits 2, names its field and writes nothing. ``desk staff add
--role finance`` makes a finance officer."""
from __future__ import annotations

import json

import pytest

from desk.i18n import set_locale
from tests.conftest import fresh_sqlite_store
from tests.approvals_support import run_cli
from tests.helpers import store_rows
from tests.money_support import FINANCE_PINS, accepted_cost, as_new, settled_case


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


@pytest.fixture
def store(tmp_path, sqlite_template):
    """SQLite only: the command's parsing and output are the same on both back ends; the money services run on PostgreSQL in test_money_costs and test_money_import."""
    st = fresh_sqlite_store(sqlite_template, tmp_path / "desk.sqlite3")
    yield st
    st.close()


@pytest.fixture
def sqlite_store(store):
    return store


def fin(store, capsys, *args, who="F001"):
    return run_cli(store, *args, as_staff=who, pin=FINANCE_PINS.get(who), capsys=capsys)


def test_finance_works_its_queue_from_the_command_line(sqlite_store, policy, team, capsys):
    store = sqlite_store
    for staff_no in ("F001", "F002"):
        code, out, err = run_cli(store, "staff", "add", staff_no, "--name", "會計" + staff_no, "--role",
                                 "finance", "--pin", FINANCE_PINS[staff_no], as_staff="A001",
                                 capsys=capsys)
        assert code == 0, err
    case_no = accepted_cost(store, policy, team.clerk)
    code, out, _ = fin(store, capsys, "finance", "queue", "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["case_no"], r["offer"], r["state"]) for r in rows] == [
        (case_no, 1, "awaiting_finance")]
    assert rows[0]["customer_phone"] == "0912-***-678"   # finance holds no personal data

    def refused(*args, who, field):
        before = store_rows(store)
        code, _out, err = fin(store, capsys, *args, who=who)
        assert code == 2 and field in err, err
        assert store_rows(store) == before

    refused("finance", "approve", case_no, "1", who="C001", field="role")
    refused("finance", "pay", case_no, "1", "--how", "cash", who="F002", field="cost step")
    refused("finance", "return", case_no, "1", who="F001", field="reason")
    code, out, _ = fin(store, capsys, "finance", "return", case_no, "1", "--reason",
                       "receipt missing")
    assert code == 0 and "Returned by finance" in out
    code, out, _ = run_cli(store, "finance", "queue", "--state", "returned", as_staff="S001",
                           capsys=capsys)
    assert case_no in out and "receipt missing" in out
    assert run_cli(store, "finance", "resubmit", case_no, "1", "--note", "receipt attached",
                   as_staff="S001", capsys=capsys)[0] == 0
    assert fin(store, capsys, "finance", "approve", case_no, "1")[0] == 0
    refused("finance", "pay", case_no, "1", "--how", "cash", who="F001",
            field="person acting")
    refused("finance", "pay", case_no, "1", "--how", "cash", "--amount", "301", who="F002",
            field="amount")
    code, out, _ = fin(store, capsys, "finance", "pay", case_no, "1", "--how", "cash",
                       "--amount", "300", who="F002")
    assert code == 0 and "Paid" in out
    refused("finance", "signed", case_no, "1", who="C001", field="recipient")
    code, out, _ = run_cli(store, "finance", "signed", case_no, "1", "--recipient", "李大華",
                           as_staff="C001", capsys=capsys)
    assert code == 0 and "Signed for" in out
    code, out, _ = fin(store, capsys, "finance", "queue")
    assert case_no not in out


def test_a_double_refund_is_verified_with_a_scan_from_the_command_line(
        sqlite_store, policy, team, capsys, tmp_path):
    store = sqlite_store
    case_no = accepted_cost(store, policy, team.clerk, kind="overcharge_refund", amount=None,
                            charged="150", due="100", category="overcharge",
                            subject_kind="charge", subject_name="停車場")
    scan = tmp_path / "receipt.jpg"
    scan.write_bytes(b"\xff\xd8\xff receipt")
    run_cli(store, "finance", "queue", as_staff="S001")   # the command seeds the store's policy
    before = store_rows(store)
    code, _out, err = run_cli(store, "finance", "verify", case_no, "1", "--evidence", "R-1",
                              "--scan", str(scan), as_staff="C001", capsys=capsys)
    assert code == 2 and "verifier" in err and store_rows(store) == before
    code, out, err = run_cli(store, "finance", "verify", case_no, "1", "--evidence",
                             "R-778812", "--scan", str(scan), as_staff="S001", capsys=capsys)
    assert code == 0, err
    code, out, _ = run_cli(store, "case", "export", case_no, as_staff="S001", capsys=capsys)
    assert code == 0 and "receipt.jpg" in out


def test_the_command_refuses_a_forged_payment_and_writes_nothing(
        sqlite_store, policy, team, tmp_path, capsys):
    store = sqlite_store
    doc = as_new(settled_case(store, policy, team), pins=True)
    doc["offers"][0]["costs"][1].update(by="C001")   # the clerk says finance paid
    doc["offers"][0]["costs"][1].pop("pin")
    path = tmp_path / "forged.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    run_cli(store, "finance", "queue", as_staff="S001")   # the command seeds the store's policy
    before = store_rows(store)
    code, _out, err = run_cli(store, "case", "import", str(path), as_staff="C001",
                              capsys=capsys)
    assert code == 2 and "case document 1: role" in err
    assert store_rows(store) == before
