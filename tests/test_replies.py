"""Written replies through the services: templates filled in, refusals that leave the store
unchanged, approval by someone else of a high enough role, the second review of level 2,
the frozen text, and the letter and tenant notice PDFs."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from desk import replies, reply_templates
from desk.app.replies import Replies
from desk.audit import AuditEntry, verify
from desk.errors import AuthorityError, RecusalError, TransitionError, ValidationError
from desk.replies_model import ReplyState
from desk.enums import Step
from tests.helpers import new_case, store_rows, walk
from tests.replies_support import approved_reply, resolved_tenant_case
from tests.replies_support import store, team  # noqa: F401  (seeded SQLite; PostgreSQL)


# The rules are the same on both back ends: most tests run on SQLite; the approval and the
# second review also on PostgreSQL (the store fixture's other parameter).
SQLITE = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


def _committed(store, policy, team, **changes) -> str:
    """A case with its reply time promised (the acknowledgement names it)."""
    changes.setdefault("customer_address", "台北市信義區松高路 11 號")
    no = new_case(store, policy, team.clerk, **changes)
    walk(store, policy, no, team.clerk, Step.COMMIT)
    return no


def _draft(store, policy, actor, no, channel="letter", **kw):
    with store.write(actor) as session:
        return replies.draft_reply(session, policy, no, actor, channel, **kw).seq


@SQLITE
def test_template_fills_the_case_and_a_missing_field_is_refused(store, policy, team):
    no = _committed(store, policy, team)
    before = store_rows(store)
    with pytest.raises(ValidationError) as err, store.write(team.clerk) as session:
        replies.draft_reply(session, policy, no, team.clerk, "letter", template="result")
    assert err.value.field == "body" and "handling_result" in str(err.value)
    with pytest.raises(ValidationError) as err, store.write(team.clerk) as session:
        replies.draft_reply(session, policy, no, team.clerk, "letter", template="result",
                            body="結果：$handling_result")    # a canned text not finished
    assert err.value.field == "body"
    assert store_rows(store) == before
    seq = _draft(store, policy, team.clerk, no, template="acknowledgement")
    with store.read() as session:
        row = replies.replies_of(session, no)[0]
    assert seq == 1 and row.state == ReplyState.DRAFT
    assert "李大華 您好" in row.body and no in row.body and "$" not in row.body
    assert row.recipient.startswith("台北市") and row.drafted_by_no == "C001"


@SQLITE
def test_templates_never_run_code_and_only_known_fields(store, policy, team):
    for text in ('[x]\ntitle="t"\nbody="${case_no.__class__}"',
                 '[x]\ntitle="t"\nbody="$password"', '[x]\ntitle="t"\nbody="{0.__class__}$"'):
        with pytest.raises(ValidationError):
            reply_templates.parse_templates(text, "en")
    # a customer's own "$" or "{...}" in the case text is data, never a template
    no = _committed(store, policy, team, customer_name="${mall_name}{0}")
    seq = _draft(store, policy, team.clerk, no, template="acknowledgement", locale="en")
    with store.read() as session:
        assert "Dear ${mall_name}{0}," in replies.replies_of(session, no)[seq - 1].body


def test_nobody_approves_their_own_draft_nor_below_the_policy_role(store, policy, team):
    no = resolved_tenant_case(store, policy, team)
    seq = _draft(store, policy, team.supervisor, no, template="result")
    before = store_rows(store)
    for who, error in ((team.supervisor, AuthorityError), (team.clerk2, AuthorityError)):
        with pytest.raises(error), store.write(who) as session:
            replies.approve_reply(session, policy, no, seq, who)
    assert store_rows(store) == before
    with store.write(team.supervisor2) as session:
        reply = replies.approve_reply(session, policy, no, seq, team.supervisor2)
        assert reply.state == ReplyState.APPROVED and reply.body_sha256
    with pytest.raises(TransitionError), store.write(team.supervisor) as session:
        replies.revise_draft(session, policy, no, seq, team.supervisor, body="changed")
    with store.read() as session:   # the approved text is on the audit log
        entries = session.scalars(select(AuditEntry).where(
            AuditEntry.entity == "reply", AuditEntry.case_no == no)).all()
        assert entries[-1].staff_no == "S002" and "好鞋坊已為顧客換新鞋" in entries[-1].after
        assert verify(session).ok


@SQLITE
def test_subject_of_the_complaint_may_not_approve(store, policy, team):
    no = _committed(store, policy, team, subject_kind="staff", subject_staff="S001",
                    category="service_attitude")
    seq = _draft(store, policy, team.clerk, no, template="acknowledgement")
    with pytest.raises(RecusalError), store.write(team.supervisor) as session:
        replies.approve_reply(session, policy, no, seq, team.supervisor)


def test_level_two_needs_a_second_reviewer_with_legal_review(store, policy, team):
    no = _committed(store, policy, team, category="safety_legal")
    seq = _draft(store, policy, team.clerk, no, template="acknowledgement")
    with store.write(team.supervisor) as session:
        assert replies.approve_reply(session, policy, no, seq,
                                     team.supervisor).state == ReplyState.AWAITING_SECOND
    app = Replies(store, policy, lambda: team.clerk)
    with pytest.raises(TransitionError):     # not yet printable
        app.print_letter(no, seq)
    for who in (team.supervisor, team.supervisor2, team.manager):   # first approver; no privilege
        with pytest.raises(AuthorityError):
            app.approve(no, seq, who)
    row = app.approve(no, seq, team.ops)
    assert row.state == ReplyState.APPROVED and row.reviewed_by == team.ops.name
    pdf = app.print_letter(no, seq)
    assert pdf.startswith(b"%PDF") and app.replies_of(no)[0].prints == 1


@SQLITE
def test_reject_needs_a_reason_and_a_rejected_reply_never_goes_out(store, policy, team):
    no = _committed(store, policy, team)
    seq = _draft(store, policy, team.clerk, no, template="acknowledgement")
    app = Replies(store, policy, lambda: team.clerk)
    with pytest.raises(ValidationError):
        app.reject(no, seq, team.supervisor, "")
    assert app.reject(no, seq, team.supervisor, "語氣太生硬").state == ReplyState.REJECTED
    with pytest.raises(TransitionError):
        app.print_letter(no, seq)


@SQLITE
def test_email_recipient_cannot_forge_headers(store, policy, team):
    no = new_case(store, policy, team.clerk)
    before = store_rows(store)
    for recipient in ("a@b.tw\nBcc: x@y.tw", "a@b.tw, x@y.tw", "not-an-address", None):
        with pytest.raises(ValidationError), store.write(team.clerk) as session:
            replies.draft_reply(session, policy, no, team.clerk, "email", recipient=recipient,
                                template="acknowledgement")
    with pytest.raises(ValidationError), store.write(team.clerk) as session:
        replies.draft_reply(session, policy, no, team.clerk, "email", recipient="a@b.tw",
                            subject="x\nBcc: y@z.tw", body="hi")
    assert store_rows(store) == before


@SQLITE
def test_templates_are_the_store_own_and_changed_by_an_admin(store, policy, team):
    app = Replies(store, policy, lambda: team.clerk)
    text = reply_templates.bundled_text("en").replace("Dear $customer_name,",
                                                      "Hello $customer_name,")
    before = store_rows(store)
    with pytest.raises(AuthorityError):
        app.apply_templates("en", text, "friendlier")
    admin = Replies(store, policy, lambda: team.ops)
    with pytest.raises(ValidationError):
        admin.apply_templates("en", text.replace("$customer_name", "$customer_pin"), "typo")
    with pytest.raises(ValidationError):
        admin.apply_templates("en", text, "")
    assert store_rows(store) == before
    admin.apply_templates("en", text, "friendlier")
    no = _committed(store, policy, team)
    _draft(store, policy, team.clerk, no, template="acknowledgement", locale="en")
    assert app.replies_of(no)[0].body.startswith("Hello 李大華,")
    canned = dict(app.canned(no, "en"))
    assert "$handling_result" in canned["Outcome of your complaint"]   # left for the clerk


@SQLITE
def test_tenant_notice_and_letter_carry_the_case(store, policy, team):
    import io

    from pypdf import PdfReader
    no = resolved_tenant_case(store, policy, team)
    seq = approved_reply(store, policy, team, no)
    app = Replies(store, policy, lambda: team.supervisor)
    notice = PdfReader(io.BytesIO(app.tenant_notice(no, "en"))).pages[0].extract_text()
    for text in ("Complaint handling result notice", "好鞋坊", "NT$300", "鞋底開膠"):
        assert text in notice
    assert "0912" not in notice     # the customer's phone never goes to the tenant
    letter = PdfReader(io.BytesIO(app.print_letter(no, seq))).pages[0].extract_text()
    assert "好鞋坊已為顧客換新鞋" in letter and "NT$300" in letter
    with pytest.raises(AuthorityError):
        Replies(store, policy, lambda: team.clerk).tenant_notice(no)
    other = new_case(store, policy, team.clerk, subject_kind="facility", subject_name="電梯")
    with pytest.raises(ValidationError):
        app.tenant_notice(other)


@SQLITE
def test_purge_clears_the_replies_and_the_outbox_too(store, policy, team):
    from desk import audit, outbox
    from desk.audit import AuditEntry
    from desk.retention import purge
    from desk.sending import save_config
    from tests.helpers import T0
    from tests.test_trust_privacy import old_settled_case
    no = old_settled_case(store, policy, team, "0933-111-222")
    with store.write(team.ops) as session:
        save_config(session, policy, team.ops, smtp_host="127.0.0.1",
                    sender="desk@sunrise.example.tw")
    app = Replies(store, policy, lambda: team.clerk)
    app.draft(no, "letter", template="result")
    app.draft(no, "email", template="result", recipient="lee@example.tw")
    for seq in (1, 2):
        app.approve(no, seq, team.supervisor)
    with store.write(team.clerk) as session:
        outbox.queue_reply(session, policy, no, 2, team.clerk)
    with store.write(team.gm) as session:
        assert purge(session, policy, team.gm, now=T0).cases == 1
    with store.read() as session:
        rows = replies.replies_of(session, no)
        assert [(r.recipient, r.body) for r in rows] == [("", ""), ("", "")]
        texts = " ".join((e.before or "") + (e.after or "") for e in session.scalars(
            select(AuditEntry).where(AuditEntry.case_no == no)))
        for secret in ("lee@example.tw", "大安區", "李大華"):
            assert secret not in texts
        assert audit.verify(session).ok
    with pytest.raises(TransitionError):      # nothing anonymised ever goes out
        app.print_letter(no, 1)
