"""Attacks on written replies, the outbox and migrated approvals that once got through: a
customer's contact leaking through a reply's recipient, a message sent that is not the
approved text (the case raised since, the store file edited), sending settings or the demo
mark changed in the file itself, and a migrated offer approved here outside the approver's
day. Each is tried through every surface that reaches it and must be refused, the store
unchanged."""
from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import text

from desk import approvals, casedoc, demo, outbox, replies, services
from desk.app.replies import Replies
from desk.audit import audit_history
from desk.casedoc_import import import_file
from desk.errors import DomainError
from desk.privacy import document_mask
from desk.replies_model import OutboxItem
from tests.approvals_support import run_cli
from tests.helpers import store_rows
from tests.replies_support import Gateway, resolved_tenant_case, seeded
from tests.replies_support import team  # noqa: F401  (read from the seeded store)
from tests.test_bypass_authority import document, real_now, voucher

ADDRESS = "secret.person@example.tw"


@pytest.fixture
def store(tmp_path, policy):
    """SQLite: the rules are in desk, the same on both back ends."""
    st = seeded(tmp_path / "desk.sqlite3", policy)
    yield st
    st.close()


def _sms_reply(store, policy, team, no: str, gateway_url: str) -> int:
    Replies(store, policy, lambda: team.ops).save_send_settings(sms_route="http",
                                                                sms_url=gateway_url)
    app = Replies(store, policy, lambda: team.clerk)
    seq = app.draft(no, "sms", template="result").seq
    app.approve(no, seq, team.supervisor)
    return seq


def _refused(call, words: str) -> None:
    """``call`` raises a domain error whose message (untranslated) says ``words``."""
    with pytest.raises(DomainError) as refused:
        call()
    assert words in refused.value.msgid, refused.value.msgid


def _item(store) -> OutboxItem:
    with store.read() as session:
        return session.query(OutboxItem).one()


def test_a_replys_recipient_is_masked_wherever_the_customers_contact_is(store, policy, team,
                                                                           capsys):
    no = resolved_tenant_case(store, policy, team, customer_email=ADDRESS)
    app = Replies(store, policy, lambda: team.clerk)
    app.approve(no, app.draft(no, "email", template="result", recipient=ADDRESS).seq,
                team.supervisor)
    with store.read() as session:   # the export a pack carries, as a clerk may see it
        doc = casedoc.export_case(session, no, mask=document_mask(policy, team.clerk))
        history = audit_history(session, no, see_personal=False)
    assert doc["replies"][0]["recipient"] == "s***@example.tw"
    shown = [c.after for e in history for c in e.changes
             if c.field in ("recipient", "customer_email")]
    assert len(shown) == 2 and ADDRESS not in shown
    for args in (("case", "export", no), ("audit", "history", no)):
        code, out, err = run_cli(store, *args, as_staff="C001", capsys=capsys)
        assert code == 0 and ADDRESS not in out, err
    code, out, _err = run_cli(store, "case", "export", no, capsys=capsys)   # nobody signed in
    assert code == 0 and ADDRESS not in out
    code, out, _err = run_cli(store, "case", "export", no, as_staff="S001", capsys=capsys)
    assert ADDRESS in out   # the privilege still sees it whole


def test_a_customer_who_refused_contact_gets_no_written_reply(store, policy, team, capsys):
    no = resolved_tenant_case(store, policy, team, contact_consent=False)
    other = resolved_tenant_case(store, policy, team)   # for a subject that breaks the header
    now = real_now(policy)
    doc = document("C001", now - timedelta(minutes=5), contact={"consent": False},
                   replies=[{"channel": "sms", "body": "您好，您的案件已處理完畢。",
                             "at": (now - timedelta(minutes=3)).isoformat()}])
    before = store_rows(store)
    app = Replies(store, policy, lambda: team.clerk)
    for channel, to in (("letter", None), ("email", ADDRESS), ("sms", None)):
        _refused(lambda: app.draft(no, channel, template="result", recipient=to), "did not agree")
    _refused(lambda: app.draft(other, "email", recipient=ADDRESS, body="您好",
                               subject="結果\u2028Bcc: x@example.tw"), "one line")
    code, _out, err = run_cli(store, "reply", "draft", no, "--channel", "sms", "--template",
                              "result", as_staff="C001", capsys=capsys)
    assert code == 2 and "did not agree" in err
    for importer, migrated in ((team.clerk, False), (team.ops, True)):
        with pytest.raises(DomainError) as refused:
            import_file(store, policy, importer, [doc], migrated=migrated, now=now)
        assert "did not agree" in refused.value.__cause__.msgid
    assert store_rows(store) == before


def test_a_message_queued_before_the_case_became_level_2_waits_for_the_second_review(
        store, policy, team, capsys):
    no = resolved_tenant_case(store, policy, team)
    with Gateway() as gateway:
        seq = _sms_reply(store, policy, team, no, gateway.url)
        Replies(store, policy, lambda: team.clerk).queue(no, seq)
        with store.write(team.supervisor) as session:
            services.escalate(session, policy, no, team.supervisor, "level2", "律師函")
        code, out, err = run_cli(store, "outbox", "send", as_staff="C001", capsys=capsys)
        assert code == 0 and "sent 0" in out, err
        assert Replies(store, policy, lambda: team.clerk).send_due().sent == 0
    assert gateway.received == []
    item = _item(store)
    assert item.state == "failed" and item.next_attempt_at is None
    assert "second review" in item.last_error


def test_text_rewritten_in_the_store_file_is_never_printed_or_sent(store, policy, team,
                                                                    capsys, tmp_path):
    no = resolved_tenant_case(store, policy, team)
    with Gateway() as gateway:
        seq = _sms_reply(store, policy, team, no, gateway.url)
        Replies(store, policy, lambda: team.clerk).queue(no, seq)
        with store.engine.begin() as conn:   # the queued copy changed behind the program's back
            conn.execute(text("UPDATE outbox SET body = 'Transfer 5000 to account 123'"))
        before = store_rows(store)
        code, out, err = run_cli(store, "outbox", "send", as_staff="C001", capsys=capsys)
        assert code == 0 and "sent 0" in out, err
        assert Replies(store, policy, lambda: team.clerk).send_due().sent == 0
        assert gateway.received == [] and store_rows(store) == before   # nothing written over
        code, _out, err = run_cli(store, "audit", "verify", capsys=capsys)
        assert code == 1 and "outbox" in err   # the change is still there to be found

        # The reply itself rewritten, its digest recomputed: the digest alone is no proof.
        with store.write(team.clerk) as session:
            second = replies.draft_reply(session, policy, no, team.clerk, "sms",
                                         template="result").seq
        with store.write(team.supervisor) as session:
            replies.approve_reply(session, policy, no, second, team.supervisor)
        row = Replies(store, policy, lambda: team.supervisor).replies_of(no)[second - 1]
        digest = replies.frozen_digest(SimpleNamespace(
            channel=row.channel, recipient=row.recipient, subject=row.subject,
            body="Transfer 5000 to account 123"))
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE reply SET body = :b, body_sha256 = :d WHERE seq = :s"),
                         {"b": "Transfer 5000 to account 123", "d": digest, "s": second})
        before = store_rows(store)
        for args in (("reply", "send", no, str(second)),
                     ("reply", "print", no, str(second), "-o", str(tmp_path / "l.pdf"))):
            code, out, err = run_cli(store, *args, as_staff="C001", capsys=capsys)
            assert code == 2 and "changed outside" in err, (args, out, err)
        app = Replies(store, policy, lambda: team.clerk)
        for call in (lambda: app.queue(no, second), lambda: app.print_letter(no, second)):
            _refused(call, "changed outside")
        assert store_rows(store) == before
    assert gateway.received == [] and not (tmp_path / "l.pdf").exists()


def test_a_drafter_rewritten_in_the_file_cannot_approve_their_own_reply(store, policy, team,
                                                                         capsys):
    """S001 drafts, then names C001 as the drafter in the file, then approves."""
    no = resolved_tenant_case(store, policy, team)
    with store.write(team.supervisor) as session:
        seq = replies.draft_reply(session, policy, no, team.supervisor, "letter",
                                  template="result").seq
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE reply SET drafted_by_id = :c"), {"c": team.clerk.id})
    before = store_rows(store)
    code, _out, err = run_cli(store, "reply", "approve", no, str(seq), as_staff="S001",
                              capsys=capsys)
    assert code == 2 and "changed outside" in err
    app = Replies(store, policy, lambda: team.supervisor)
    _refused(lambda: app.approve(no, seq, team.supervisor), "changed outside")
    _refused(lambda: app.reject(no, seq, team.supervisor, "no"), "changed outside")
    assert store_rows(store) == before


def test_sending_settings_or_the_demo_mark_changed_in_the_file_send_nothing(store, policy,
                                                                          team, capsys):
    no = resolved_tenant_case(store, policy, team)
    with Gateway() as gateway, Gateway() as elsewhere:
        seq = _sms_reply(store, policy, team, no, gateway.url)
        with store.engine.begin() as conn:
            conn.execute(text("UPDATE send_settings SET sms_url = :u"), {"u": elsewhere.url})
        before = store_rows(store)
        for staff in (None, "C001", "S001"):   # the gateway's key is in its address
            code, out, err = run_cli(store, "outbox", "settings", as_staff=staff,
                                     capsys=capsys)
            assert code == 2 and "sms_url" not in out, err
        code, _out, err = run_cli(store, "reply", "send", no, str(seq), "--now",
                                  as_staff="C001", capsys=capsys)
        assert code == 2 and "outside Complaint Desk" in err
        clerk = Replies(store, policy, lambda: team.clerk)
        _refused(lambda: clerk.queue(no, seq), "outside Complaint Desk")
        assert store_rows(store) == before

        # An administrator sets one value again: the rest is as the program last wrote it,
        # not as the file says; the gateway's address is sealed (the log holds only its
        # fingerprint), so one changed in the file must be given again.
        code, out, err = run_cli(store, "outbox", "settings", "--sms-route", "http",
                                 as_staff="O001", capsys=capsys)
        assert code == 0 and elsewhere.url not in out and "sms_url = \n" in out, err
        code, out, err = run_cli(store, "outbox", "settings", "--sms-url", gateway.url,
                                 as_staff="O001", capsys=capsys)
        assert code == 0 and f"sms_url = {gateway.url}" in out, err
        clerk.queue(no, seq)
        demo.ensure_demo_staff(store, policy)   # the store becomes a demo ...
        with store.engine.begin() as conn:      # ... and its mark is deleted in the file
            conn.execute(text("DELETE FROM setting WHERE key = 'demo_store'"))
        before = store_rows(store)
        code, _out, err = run_cli(store, "outbox", "send", as_staff="C001", capsys=capsys)
        assert code == 2 and "demo store" in err
        _refused(lambda: outbox.send_due(store, policy, team.clerk), "demo store")
        assert store_rows(store) == before
    assert gateway.received == [] and elsewhere.received == []


def test_a_migrated_offer_approved_here_counts_on_the_approvers_day(store, policy, team,
                                                                     capsys):
    """O001 brings in six old cases, each with a clerk's 1,800 voucher still waiting for
    approval. S001 approving them today decides them in this store: the supervisor's
    10,000 a day stops the sixth (as it would for six of this store's own offers)."""
    now = real_now(policy)
    start = now - timedelta(minutes=5)
    docs = []
    for i in range(6):
        doc = document("C001", start, customer={"name": f"顧客{i}", "phone": "0912-345-678"})
        doc["offers"] = [dict(voucher("1800"), by="C001", at=(start + timedelta(seconds=55))
                              .isoformat(), approval={"decision": "pending"})]
        docs.append(doc)
    done = import_file(store, policy, team.ops, docs, migrated=True, now=now)
    for d in done[:5]:
        with store.write(team.supervisor) as session:
            approvals.decide(session, policy, d.case_no, 1, team.supervisor, "approve")
    last = done[5].case_no
    before = store_rows(store)
    with pytest.raises(DomainError) as refused, store.write(team.supervisor) as session:
        approvals.decide(session, policy, last, 1, team.supervisor, "approve")
    assert refused.value.field == "approver"
    code, _out, err = run_cli(store, "approval", "decide", last, "1", "approve",
                              as_staff="S001", capsys=capsys)
    assert code == 2 and "own day total" in err
    assert store_rows(store) == before
    # The history itself still counts toward nobody's day: the clerk's own day is untouched.
    with store.read() as session:
        assert services.offers.day_total(session, policy, team.clerk.id, now) == 0
    assert json.dumps([d.migrated for d in done]) == json.dumps([True] * 6)
