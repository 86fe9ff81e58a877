"""Personal data: masked for roles without the ``personal_data`` privilege, and anonymised
once the retention period is over, with the statistics kept and the purge logged."""
from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from desk import audit, services
from desk.audit import AuditEntry
from desk.enums import Step
from desk.errors import AuthorityError, ValidationError
from desk.model import Case, Offer, StepRecord
from desk.privacy import can_see_personal, for_viewer, mask_member, mask_phone, rows_for_viewer
from desk.queries import case_detail, day_cases
from desk.retention import purge, retention_cutoff
from tests.helpers import T0, new_case, walk


@pytest.mark.parametrize("phone,masked", [
    ("0912-345-678", "0912-***-678"), ("0912345678", "0912***678"),
    ("+886 912 345 678", "+886 9** *** 678"), ("(02) 2345-6789", "(02) 23**-*789"),
    ("12345", "1***5"), ("1234", "1***"), ("", ""), (None, None)])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_a_masked_phone_always_hides_at_least_three_digits():
    for n in range(1, 16):
        digits = "".join(str(i % 10) for i in range(n))
        assert mask_phone(digits).count("*") >= min(3, n)


@pytest.mark.parametrize("member,masked", [("M12345678", "M1*****78"), ("A12345", "A****5"),
                                           ("1234", "****"), (None, None)])
def test_mask_member(member, masked):
    assert mask_member(member) == masked


def test_who_sees_personal_data(policy, team):
    assert not can_see_personal(policy, team.clerk)
    assert can_see_personal(policy, team.supervisor)
    assert can_see_personal(policy, team.gm)
    assert not can_see_personal(policy, None)


def test_lists_and_details_are_masked_for_a_clerk(store, policy, team):
    case_no = new_case(store, policy, team.clerk, customer_member_no="M12345678",
                       customer_address="台北市信義區松高路19號")
    with store.read() as session:
        rows = day_cases(session, T0.date())
        detail = case_detail(session, case_no)
    clerk_rows = rows_for_viewer(rows, policy, team.clerk)
    assert clerk_rows[0].customer_phone == "0912-***-678"
    assert rows_for_viewer(rows, policy, team.supervisor)[0].customer_phone == "0912-345-678"
    masked = for_viewer(detail, policy, team.clerk)
    assert (masked.customer_phone, masked.customer_member_no) == ("0912-***-678", "M1*****78")
    assert masked.customer_address == "台北市信義區***"
    assert masked.customer_name == detail.customer_name and masked.case_no == case_no
    assert for_viewer(detail, policy, team.supervisor) is detail


# --- purge ------------------------------------------------------------------------------------

THREE_YEARS_AGO = T0 - timedelta(days=3 * 365)


def old_settled_case(store, policy, team, phone: str) -> str:
    case_no = new_case(store, policy, team.clerk, now=THREE_YEARS_AGO, customer_phone=phone,
                       customer_member_no="M77777777", customer_address="台北市大安區某路1號")
    at = walk(store, policy, case_no, team.clerk, Step.PROPOSE, now=THREE_YEARS_AGO)
    with store.write(system="test") as s:
        services.make_offer(s, policy, case_no, team.clerk, "voucher", "300", serials=("V9",),
                            description="給李先生的禮券", now=at)
        services.record_answer(s, policy, case_no, 1, team.clerk, "accepted", now=at)
        services.record_step(s, policy, case_no, team.clerk, "confirm", note="李先生滿意",
                             now=at)
        services.resolve(s, policy, case_no, team.clerk, "給李先生禮券300元", "founded", now=at)
        services.close(s, policy, case_no, team.supervisor, recipient_name="李大華",
                       now=at + timedelta(minutes=5))
    return case_no


def test_purge_anonymises_old_cases_keeps_the_statistics_and_logs_itself(store, policy, team):
    old = old_settled_case(store, policy, team, "0933-111-222")
    still_open = new_case(store, policy, team.clerk, now=THREE_YEARS_AGO,
                          customer_phone="0933-444-555")
    recent = new_case(store, policy, team.clerk, customer_phone="0933-666-777")
    with store.write(system="test") as s:
        dry = purge(s, policy, team.gm, now=T0, dry_run=True)
    assert (dry.cases, dry.still_open, dry.case_nos) == (1, 1, (old,))
    with store.write(system="test") as s:
        report = purge(s, policy, team.gm, now=T0)
    assert (report.cases, report.still_open, report.before) == (
        1, 1, retention_cutoff(policy, T0.date()))
    assert report.entries_purged > 5
    with store.read() as s:
        gone = case_detail(s, old)
        assert (gone.customer_name, gone.customer_phone, gone.customer_member_no,
                gone.customer_address, gone.complaint, gone.handling_result,
                gone.recipient_name) == ("", None, None, None, "", "", None)
        assert [st.note for st in gone.steps if st.note] == []
        # what the statistics need stays
        assert (gone.category, gone.level, gone.status, gone.validity) == (
            "goods_rights", "preliminary", "closed", "founded")
        assert [(o.kind, o.amount, o.answer) for o in gone.offers] == [
            ("voucher", 300, "accepted")]
        assert gone.received_at == THREE_YEARS_AGO and gone.recipient_signed_at is not None
        assert case_detail(s, still_open).customer_phone == "0933-444-555"
        assert case_detail(s, recent).customer_phone == "0933-666-777"
        # the audit log no longer holds the old case's personal data, yet still verifies
        texts = " ".join((e.before or "") + (e.after or "") for e in s.scalars(
            select(AuditEntry).where(AuditEntry.case_no == old)))
        for secret in ("0933-111-222", "M77777777", "大安區", "李先生", "李大華", "開膠"):
            assert secret not in texts
        assert "0933-444-555" in " ".join(e.after or "" for e in s.scalars(select(AuditEntry)))
        verified = audit.verify(s)
        assert verified.ok, verified.first and verified.first.message
        logged = s.scalars(select(AuditEntry).where(AuditEntry.entity == "purge")).one()
        assert logged.staff_no == "A001" and json.loads(logged.after)["case_nos"] == [old]
    history = audit.audit_history(store.read(), old)
    assert any(c.removed for h in history for c in h.changes)
    with store.write(system="test") as s:   # nothing left to do the second time
        assert purge(s, policy, team.gm, now=T0).cases == 0


def test_purge_refuses_cases_still_within_retention_and_non_administrators(store, policy, team):
    with store.read() as s:
        before = s.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(ValidationError):
        with store.write(system="test") as s:
            purge(s, policy, team.gm, date(2026, 1, 1), now=T0)
    with pytest.raises(AuthorityError):
        with store.write(system="test") as s:
            purge(s, policy, team.supervisor, now=T0)
    with store.read() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_retention_cutoff_on_a_leap_day(policy):
    assert retention_cutoff(policy, date(2028, 2, 29)) == date(2026, 2, 28)


def test_a_case_and_its_parts_count_the_same_after_purge(store, policy, team):
    old = old_settled_case(store, policy, team, "0933-000-111")
    with store.read() as s:
        counts = [s.scalar(select(func.count()).select_from(m)) for m in (Case, Offer, StepRecord)]
    with store.write(system="test") as s:
        purge(s, policy, team.gm, now=T0)
    with store.read() as s:
        assert [s.scalar(select(func.count()).select_from(m))
                for m in (Case, Offer, StepRecord)] == counts
        assert case_detail(s, old).case_no == old
