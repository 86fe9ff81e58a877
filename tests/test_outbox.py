"""Sending written replies: a real SMTP server (aiosmtpd) and a real HTTP gateway on loopback,
the outbox surviving a restart with its failure shown, retries, and the demo store that never
sends. Driven through the `desk` command in this process, as a person would."""
from __future__ import annotations

import email
import email.policy

import pytest
from sqlalchemy import select, text

from desk import outbox
from desk.app.replies import Replies
from desk.errors import TransitionError, ValidationError
from desk.replies_model import OutboxItem
from desk.store import Store
from tests.approvals_support import run_cli
from tests.helpers import store_rows
from tests.replies_support import Gateway, Mailbox, free_port, resolved_tenant_case, seeded
from tests.replies_support import team  # noqa: F401  (read from the seeded store)

pytest.importorskip("aiosmtpd", reason="the SMTP tests need aiosmtpd (the test extras)")


@pytest.fixture
def store(tmp_path, policy):
    """SQLite only: the sending rules are the same on both back ends (the outbox's restart
    is also run on PostgreSQL below)."""
    st = seeded(tmp_path / "desk.sqlite3", policy)
    yield st
    st.close()


def _settings(store, policy, team, **values) -> None:
    Replies(store, policy, lambda: team.ops).save_send_settings(**values)


def _approved(store, policy, team, no: str, channel: str = "email",
              recipient: str | None = "李@example.tw") -> None:
    app = Replies(store, policy, lambda: team.clerk)
    seq = app.draft(no, channel, template="result", recipient=recipient).seq
    app.approve(no, seq, team.supervisor)


def test_email_reaches_a_real_smtp_server_in_utf8(store, policy, team, capsys):
    no = resolved_tenant_case(store, policy, team)
    with Mailbox() as box:
        code, out, err = run_cli(
            store, "outbox", "settings", "--smtp-host", "127.0.0.1", "--smtp-port",
            str(box.port), "--smtp-security", "none", "--sender", "desk@sunrise.example.tw",
            "--smtp-password", "pw-never-logged", as_staff="O001", capsys=capsys)
        assert code == 0 and "smtp_password = ********" in out, err
        code, out, err = run_cli(store, "reply", "draft", no, "--channel", "email",
                                 "--template", "result", "--to", "李@example.tw",
                                 as_staff="C001", capsys=capsys)
        assert code == 0, err
        code, out, err = run_cli(store, "reply", "approve", no, "1", as_staff="S001",
                                 capsys=capsys)
        assert code == 0 and "Approved" in out, err
        code, out, err = run_cli(store, "reply", "send", no, "1", "--now", as_staff="C001",
                                 capsys=capsys)
        assert code == 0 and "sent 1, failed 0" in out, err
        assert len(box.messages) == 1
    mail = email.message_from_bytes(box.messages[0].as_bytes(), policy=email.policy.default)
    assert mail["To"] == "李@example.tw" and mail["Subject"] == f"案件 {no} 處理結果"
    body = mail.get_body().get_content()
    assert "好鞋坊已為顧客換新鞋" in body and "NT$300" in body
    with store.engine.connect() as conn:   # the password never reaches the audit log
        logged = conn.execute(text("SELECT after FROM audit_log WHERE entity = 'send_settings'")
                              ).scalar()
        assert "pw-never-logged" not in logged and "smtp_password" in logged
    code, out, _err = run_cli(store, "outbox", "settings", as_staff="O001", capsys=capsys)
    assert "pw-never-logged" not in out and "smtp_port = " in out


def test_sms_through_a_real_http_gateway_and_email_to_sms(store, policy, team, capsys):
    no = resolved_tenant_case(store, policy, team)
    with Gateway() as gateway:
        _settings(store, policy, team, sms_route="http", sms_url=gateway.url)
        _approved(store, policy, team, no, channel="sms", recipient=None)
        app = Replies(store, policy, lambda: team.clerk)
        app.queue(no, 1)
        assert app.send_due().sent == 1
    assert gateway.received[0][0] == "application/json"
    sent = gateway.json()
    assert sent["to"] == "0912-345-678" and "好鞋坊已為顧客換新鞋" in sent["text"]
    with Mailbox() as box:
        _settings(store, policy, team, sms_route="email", sms_email_domain="sms.example.tw",
                  smtp_host="127.0.0.1", smtp_port=box.port, smtp_security="none",
                  sender="desk@sunrise.example.tw")
        app.draft(no, "sms", body="您的鞋已換新，謝謝。")
        app.approve(no, 2, team.supervisor)
        app.queue(no, 2)
        assert app.send_due().sent == 1
    assert box.messages[0]["To"] == "0912345678@sms.example.tw"


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_outbox_survives_a_restart_and_shows_what_failed(backend, tmp_path, policy, request,
                                                         capsys):
    from tests.conftest import make_team
    if backend == "sqlite":
        url = "sqlite:///" + (tmp_path / "restart.sqlite3").as_posix()
    else:
        import os
        if not os.environ.get("DESK_TEST_PG_URL"):
            pytest.skip("DESK_TEST_PG_URL not set: no PostgreSQL server")
        server = request.getfixturevalue("pg_server")
        name = server.create()
        request.addfinalizer(lambda: server.drop(name))
        url = server.url_of(name)
    first = Store(url)
    team = make_team(first, policy)
    no = resolved_tenant_case(first, policy, team)
    _settings(first, policy, team, smtp_host="127.0.0.1", smtp_port=free_port(),
              smtp_security="none", sender="desk@sunrise.example.tw")
    _approved(first, policy, team, no)
    app = Replies(first, policy, lambda: team.clerk)
    app.queue(no, 1)
    assert app.send_due().failed == 1
    first.close()

    again = Store(url)             # the desk restarted: the failure is still there
    try:
        code, out, _ = run_cli(again, "outbox", "list", "--failed", as_staff="S001",
                               capsys=capsys)
        assert code == 0 and f"{no} reply 1" in out and "Failed, 1 attempts" in out
        assert "ConnectionRefusedError" in out and "next try" in out
        with again.read() as session:
            item = session.scalars(select(OutboxItem)).one()
        with Mailbox() as box:
            _settings(again, policy, team, smtp_port=box.port)
            Replies(again, policy, lambda: team.clerk).retry(item.id)
            code, out, _ = run_cli(again, "outbox", "send", as_staff="C001", capsys=capsys)
            assert "sent 1, failed 0" in out and len(box.messages) == 1
        with pytest.raises(TransitionError):    # a sent message is not sent twice
            Replies(again, policy, lambda: team.clerk).retry(item.id)
    finally:
        again.close()


def test_only_approved_written_replies_go_out(store, policy, team, capsys):
    no = resolved_tenant_case(store, policy, team)
    _settings(store, policy, team, smtp_host="127.0.0.1", sender="desk@sunrise.example.tw")
    app = Replies(store, policy, lambda: team.clerk)
    app.draft(no, "email", template="result", recipient="a@example.tw")
    app.draft(no, "letter", template="result")
    app.approve(no, 2, team.supervisor)
    before = store_rows(store)
    for args in (("reply", "send", no, "1"), ("reply", "send", no, "2"),
                 ("reply", "print", no, "1", "-o", "x.pdf"),
                 ("reply", "approve", no, "1")):       # nobody approves their own draft
        code, out, err = run_cli(store, *args, as_staff="C001", capsys=capsys)
        assert code == 2 and err, args
    assert store_rows(store) == before


def test_a_demo_store_never_sends(store, policy, team, capsys):
    from desk import demo
    no = resolved_tenant_case(store, policy, team)
    _settings(store, policy, team, smtp_host="127.0.0.1", sender="desk@sunrise.example.tw")
    _approved(store, policy, team, no)
    with store.write(team.clerk) as session:     # queued before the store became a demo
        item = outbox.queue_reply(session, policy, no, 1, team.clerk)
    demo.ensure_demo_staff(store, policy)
    before = store_rows(store)
    code, out, err = run_cli(store, "reply", "send", no, "1", as_staff="C001", capsys=capsys)
    assert code == 2 and "demo store" in err
    code, out, err = run_cli(store, "outbox", "send", as_staff="C001", capsys=capsys)
    assert code == 2 and "demo store" in err
    with pytest.raises(ValidationError), store.write(team.clerk) as session:
        outbox.claim(session, policy, item.id, team.clerk)
    assert store_rows(store) == before
