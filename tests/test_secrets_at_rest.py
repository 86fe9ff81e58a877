"""Secrets at rest: the SMTP password and the text-message gateway's key are sealed with a key
kept on this PC outside the store, so they appear neither in the store file, nor in the audit
log, a backup or a day pack; sending through a real SMTP server that demands the password
still works; a store copied to another PC asks for the password again instead of failing
obscurely; and a store saved before sealing has its plain values sealed when it opens."""
from __future__ import annotations

import os
import sqlite3
import stat

import pytest
from sqlalchemy import select, text

from desk import audit, outbox
from desk.app.replies import Replies
from desk.errors import ValidationError
from desk.model import Case
from desk.secret_box import key_path
from tests.approvals_support import run_cli
from tests.helpers import store_rows
from tests.replies_support import Mailbox, resolved_tenant_case, seeded
from tests.replies_support import team  # noqa: F401  (read from the seeded store)

pytest.importorskip("aiosmtpd", reason="the SMTP tests need aiosmtpd (the test extras)")
# The test server asks for the password over plain loopback (no certificate to set up).
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")

PASSWORD = "pw-Sealed-4817"
GATEWAY_KEY = "gwkey-93c1f0"


@pytest.fixture
def store(tmp_path, policy):
    st = seeded(tmp_path / "desk.sqlite3", policy)
    yield st
    st.close()


def _path(store):
    return store.engine.url.database


def file_bytes(path) -> bytes:
    """The store file and its write-ahead log, as a thief copying them would have them."""
    return b"".join(open(p, "rb").read() for p in (path, path + "-wal") if os.path.exists(p))


def _set(store, policy, team, **values) -> dict:
    return Replies(store, policy, lambda: team.ops).save_send_settings(**values)


def _mail_ready(store, policy, team, port: int) -> str:
    _set(store, policy, team, smtp_host="127.0.0.1", smtp_port=port, smtp_security="none",
         smtp_user="desk", smtp_password=PASSWORD, sender="desk@sunrise.example.tw",
         sms_route="http", sms_url=f"https://gw.example.tw/send?key={GATEWAY_KEY}",
         sms_body='{"to": "$to", "text": "$text", "key": "' + GATEWAY_KEY + '"}')
    no = resolved_tenant_case(store, policy, team)
    app = Replies(store, policy, lambda: team.clerk)
    seq = app.draft(no, "email", template="result", recipient="李@example.tw").seq
    app.approve(no, seq, team.supervisor)
    app.queue(no, seq)
    return no


def test_secrets_are_sealed_everywhere_and_sending_still_logs_in(store, policy, team,
                                                                  tmp_path):
    from desk.backup import backup_to
    from desk.packs import export_pack
    with Mailbox(login=("desk", PASSWORD)) as box:
        no = _mail_ready(store, policy, team, box.port)
        assert outbox.send_due(store, policy, team.clerk) == outbox.SendReport(1, 0)
    assert box.logins == [("desk", PASSWORD)] and len(box.messages) == 1
    shown = Replies(store, policy, lambda: team.ops).send_settings()
    assert shown["smtp_password"] == "********" and GATEWAY_KEY in shown["sms_url"]
    with store.write(team.supervisor) as s:   # the day's pack, as the supervisor sends it
        case = s.scalar(select(Case).where(Case.case_no == no))
        export_pack(s, policy, team.supervisor, case.received_at.astimezone(policy.tz).date(),
                    tmp_path / "day.zip", case.desk)
    saved = backup_to(_path(store), tmp_path / "saved.sqlite3").path
    store.close()
    with sqlite3.connect(_path(store)) as conn:
        logged = " ".join(str(v) for row in conn.execute(
            "SELECT before, after FROM audit_log WHERE entity = 'send_settings'") for v in row)
        stored = conn.execute("SELECT smtp_password, sms_url FROM send_settings").fetchone()
    assert "sha256:" in logged and all(v.startswith("sealed:v1:") for v in stored)
    for secret in (PASSWORD.encode(), GATEWAY_KEY.encode()):
        assert secret not in logged.encode()
        assert secret not in file_bytes(_path(store))
        assert secret not in (tmp_path / "day.zip").read_bytes()
        assert secret not in open(saved, "rb").read()
    if os.name == "posix":   # the key itself: its owner's only
        assert stat.S_IMODE(key_path().stat().st_mode) == 0o600


def test_a_store_copied_to_another_pc_asks_for_the_password_again(store, policy, team,
                                                                  tmp_path, monkeypatch,
                                                                  capsys):
    with Mailbox(login=("desk", PASSWORD)) as box:
        no = _mail_ready(store, policy, team, box.port)
        monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path / "other-pc"))   # no key here
        before = store_rows(store)
        code, _out, err = run_cli(store, "outbox", "send", as_staff="C001", capsys=capsys)
        assert code == 2 and "send password must be entered again on this PC" in err, err
        with pytest.raises(ValidationError) as refused:
            outbox.send_due(store, policy, team.clerk)
        assert refused.value.field == "smtp_password"
        code, out, _err = run_cli(store, "outbox", "settings", as_staff="O001", capsys=capsys)
        assert code == 0 and "send password must be entered again on this PC" in out
        assert store_rows(store) == before and box.messages == []
        # entered again on this PC (the gateway's address too): sealed with this PC's key
        _set(store, policy, team, smtp_password=PASSWORD,
             sms_url=f"https://gw.example.tw/send?key={GATEWAY_KEY}", sms_body="$to $text")
        assert outbox.send_due(store, policy, team.clerk) == outbox.SendReport(1, 0)
    assert len(box.messages) == 1 and no
    with store.read() as s:
        assert audit.verify(s).ok


def _sealing_migration():
    """The migration that seals (its parents are the revisions a store had before it)."""
    import importlib.util
    from desk.store import MIGRATIONS
    spec = importlib.util.spec_from_file_location(
        "sealing", MIGRATIONS / "versions" / "0010_audit17.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plain_secrets_of_an_older_store_are_sealed_when_it_opens(store, policy, team):
    from desk.store import Store
    _set(store, policy, team, smtp_host="mail.example.tw", smtp_user="desk",
         smtp_password="x", sms_route="http", sms_url="https://gw.example.tw/x")
    path = _path(store)
    store.close()
    with sqlite3.connect(path) as conn:   # as a store before sealing kept them
        conn.execute("UPDATE send_settings SET smtp_password = ?, sms_url = ?",
                     (PASSWORD, f"https://gw.example.tw/send?key={GATEWAY_KEY}"))
        conn.execute("DELETE FROM alembic_version WHERE version_num = '0010_audit17'")
        if not conn.execute("SELECT count(*) FROM alembic_version").fetchone()[0]:
            parents = _sealing_migration().down_revision
            parents = (parents,) if isinstance(parents, str) else parents
            conn.executemany("INSERT INTO alembic_version VALUES (?)", [(h,) for h in parents])
    assert PASSWORD.encode() in file_bytes(path)
    opened = Store("sqlite:///" + path)     # migrates: seals them, logs the row as sealed
    try:
        config = Replies(opened, policy, lambda: team.ops).send_settings()
        assert config["smtp_password"] == "********" and GATEWAY_KEY in config["sms_url"]
        with opened.read() as s:
            assert audit.verify(s).ok
    finally:
        opened.close()
    for secret in (PASSWORD.encode(), GATEWAY_KEY.encode()):
        assert secret not in file_bytes(path)


def test_a_database_error_never_quotes_the_values_it_was_given(store):
    """The screens write a database error's text to the user's log file: it names the
    statement, never a customer's phone (nor a secret) handed to it."""
    from sqlalchemy.exc import DBAPIError
    with pytest.raises(DBAPIError) as failed:
        with store.engine.begin() as conn:
            conn.execute(text("INSERT INTO staff (staff_no) VALUES (:v)"), {"v": "0912-345-678"})
    assert "INSERT INTO staff" in str(failed.value) and "0912-345-678" not in str(failed.value)


def test_a_send_error_never_quotes_the_gateway_key():
    """A library's message may quote the address it refused (key and all); the outbox row
    keeps the error, and the log keeps the row."""
    from desk.sending import Message, SendConfig, SendError, deliver
    config = SendConfig(sms_route="http", sms_url=f"http://127.0.0.1:9/send?key={GATEWAY_KEY} x")
    with pytest.raises(SendError) as failed:
        deliver(config, Message("sms", "0912345678", "", "hello"))
    assert "InvalidURL" in str(failed.value) and GATEWAY_KEY not in str(failed.value)


def test_a_damaged_key_is_a_plain_refusal_and_changes_nothing(store, policy, team, capsys):
    _set(store, policy, team, smtp_host="mail.example.tw", smtp_password=PASSWORD)
    key_path().write_bytes(b"not a key")
    before = store_rows(store)
    code, out, err = run_cli(store, "outbox", "settings", "--smtp-password", "new-pw-1",
                             as_staff="O001", capsys=capsys)
    assert code == 2 and "key for the store's secrets cannot be used" in err, (out, err)
    assert store_rows(store) == before
    code, out, _err = run_cli(store, "outbox", "settings", as_staff="O001", capsys=capsys)
    assert code == 0 and "send password must be entered again on this PC" in out
