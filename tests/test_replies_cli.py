"""The written replies' `desk` commands, in this process: templates shown and replaced only by
an administrator, the tenant notice, and a forged approval refused by `desk case import`
with nothing written."""
from __future__ import annotations

import json

import pytest

from tests.approvals_support import run_cli
from tests.helpers import store_rows
from tests.replies_support import approved_reply, resolved_tenant_case, seeded
from tests.replies_support import team  # noqa: F401  (read from the seeded store)


@pytest.fixture
def store(tmp_path, policy):
    st = seeded(tmp_path / "desk.sqlite3", policy)
    yield st
    st.close()


def test_templates_are_shown_to_anyone_and_replaced_by_an_admin(store, team, tmp_path, capsys):
    code, out, _err = run_cli(store, "reply", "templates", "show", "--locale", "en",
                              capsys=capsys)
    assert code == 0 and "[result]" in out and "$handling_result" in out
    mine = tmp_path / "en.toml"
    mine.write_text(out.replace("Dear $customer_name,", "Hello $customer_name,"),
                    encoding="utf-8")
    before = store_rows(store)
    code, _out, err = run_cli(store, "reply", "templates", "apply", str(mine), "--locale", "en",
                              "--reason", "friendlier", as_staff="C001", capsys=capsys)
    assert code == 2 and "administrator" in err
    assert store_rows(store) == before
    code, out, err = run_cli(store, "reply", "templates", "apply", str(mine), "--locale", "en",
                             "--reason", "friendlier", as_staff="O001", capsys=capsys)
    assert code == 0, err
    code, out, _err = run_cli(store, "reply", "templates", "show", "--locale", "en",
                              capsys=capsys)
    assert "Hello $customer_name," in out


def test_tenant_notice_from_the_command(store, policy, team, tmp_path, capsys):
    no = resolved_tenant_case(store, policy, team)
    body = tmp_path / "body.txt"
    body.write_text("您的鞋已換新，謝謝您的耐心。", encoding="utf-8")
    code, out, err = run_cli(store, "reply", "draft", no, "--channel", "sms", "--body-file",
                             str(body), as_staff="C001", capsys=capsys)
    assert code == 0 and "Draft, awaiting approval" in out, err
    code, out, err = run_cli(store, "reply", "list", as_staff="S001", capsys=capsys)
    assert code == 0 and f"{no} reply 1: Text message to 0912-345-678" in out, err
    body.write_text("您的鞋已換新。", encoding="utf-8")
    code, out, err = run_cli(store, "reply", "revise", no, "1", "--body-file", str(body),
                             as_staff="S001", capsys=capsys)   # the reviser is now its author
    assert code == 0, err
    code, _out, err = run_cli(store, "reply", "approve", no, "1", as_staff="S001",
                              capsys=capsys)
    assert code == 2 and "drafted it" in err
    out_file = tmp_path / "notice.pdf"
    code, _out, err = run_cli(store, "case", "tenant-notice", no, "-o", str(out_file),
                              as_staff="C001", capsys=capsys)
    assert code == 2 and "supervisor" in err and not out_file.exists()
    code, _out, err = run_cli(store, "case", "tenant-notice", no, "-o", str(out_file),
                              "--locale", "en", as_staff="S001", capsys=capsys)
    assert code == 0 and out_file.read_bytes().startswith(b"%PDF"), err


def test_case_import_refuses_a_forged_approval(store, policy, team, tmp_path, capsys):
    no = resolved_tenant_case(store, policy, team)
    approved_reply(store, policy, team, no)
    doc_file = tmp_path / "case.json"
    code, _out, err = run_cli(store, "case", "export", no, "--out", str(doc_file),
                              as_staff="S001", capsys=capsys)
    assert code == 0, err
    other = seeded(tmp_path / "other.sqlite3", policy)
    try:
        before = store_rows(other)
        code, _out, err = run_cli(other, "case", "import", str(doc_file), as_staff="C001",
                                  capsys=capsys)
        assert code == 2 and "replies[0].approval.by" in err
        assert store_rows(other) == before
        doc = json.loads(doc_file.read_text(encoding="utf-8"))
        doc["replies"][0]["approval"]["by"] = "C001"    # the drafter "approving" it
        doc_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        code, _out, err = run_cli(other, "case", "import", str(doc_file), as_staff="C001",
                                  capsys=capsys)
        assert code == 2 and "drafted it" in err
        assert store_rows(other) == before
    finally:
        other.close()
