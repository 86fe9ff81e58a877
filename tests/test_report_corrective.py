"""Root-cause records and tenant chargebacks: the rules the weekly report relies on."""
from __future__ import annotations

import pytest

from desk import corrective
from desk.errors import AuthorityError, TransitionError, ValidationError
from tests.review_support import at, make_case

NOW = at("2026-11-20", "18:00")


def test_a_root_cause_record_is_for_a_serious_or_recurring_matter(store, policy, team):
    one = make_case(store, policy, team.clerk, at("2026-11-16", "10:00"))
    two = make_case(store, policy, team.clerk, at("2026-11-17", "10:00"))
    with pytest.raises(ValidationError), store.write(system="test") as s:
        corrective.open_root_cause(s, policy, team.supervisor, [one], "Once", "Only once", now=NOW)
    with pytest.raises(AuthorityError), store.write(system="test") as s:
        corrective.open_root_cause(s, policy, team.clerk, [one, two], "T", "P", now=NOW)
    with store.write(system="test") as s:
        record = corrective.open_root_cause(s, policy, team.supervisor, [two, one],
                                            "Soles come loose", "Two pairs in a week", now=NOW)
        number = record.id
    with pytest.raises(ValidationError) as err, store.write(system="test") as s:
        corrective.verify_root_cause(s, policy, team.supervisor, number, now=NOW)
    assert "containment" in err.value.msgid or err.value.values
    with store.write(system="test") as s:
        corrective.update_root_cause(s, policy, team.supervisor, number, containment="Pulled",
                                     root_cause="Glue", permanent_fix="Supplier change",
                                     verification="No returns in 30 days",
                                     prevention="Incoming check", now=NOW)
        corrective.verify_root_cause(s, policy, team.supervisor, number, now=NOW)
    with pytest.raises(TransitionError), store.write(system="test") as s:
        corrective.update_root_cause(s, policy, team.supervisor, number, title="x", now=NOW)
    with store.read() as s:
        [row] = corrective.root_causes(s)
        assert corrective.root_causes(s, open_only=True) == []
    assert row.cases == (one, two) and row.verified_by == team.supervisor.name


def test_a_chargeback_recovers_at_most_what_the_mall_paid(store, policy, team):
    paid = make_case(store, policy, team.clerk, at("2026-11-16", "10:00"), stage="closed",
                     closer=team.supervisor, offer=("voucher", "400", ["V9"]))
    unpaid = make_case(store, policy, team.clerk, at("2026-11-16", "11:00"))
    facility = make_case(store, policy, team.clerk, at("2026-11-16", "12:00"),
                         subject_kind="facility")
    with store.write(system="test") as s:
        corrective.record_chargeback(s, policy, team.supervisor, paid, "300", now=NOW)
    for case_no, amount in ((paid, "101"), (unpaid, "1"), (facility, "1")):
        with pytest.raises(ValidationError), store.write(system="test") as s:
            corrective.record_chargeback(s, policy, team.supervisor, case_no, amount, now=NOW)
    with store.write(system="test") as s:
        row = corrective.record_chargeback(s, policy, team.supervisor, paid, "100", now=NOW)
        corrective.settle_chargeback(s, policy, team.supervisor, row.id, "Deducted", now=NOW)
    with pytest.raises(TransitionError), store.write(system="test") as s:
        corrective.settle_chargeback(s, policy, team.supervisor, row.id, now=NOW)
    with store.read() as s:
        rows = corrective.chargebacks(s)
        open_rows = corrective.chargebacks(s, open_only=True)
    assert [(r.tenant, str(r.amount)) for r in rows] == [("Shop 1F-01", "300.00"),
                                                         ("Shop 1F-01", "100.00")]
    assert len(open_rows) == 1
