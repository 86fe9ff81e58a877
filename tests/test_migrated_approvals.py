"""Migrated history keeps the old system's approvals as recorded. It counts toward nobody's
day in this store, so an approval that was needed because the clerk's day was spent then
looks unneeded here; the record stands (the approver's PIN and rank still checked), while a
document of this store's own work carrying an approval it does not need is still refused."""
from __future__ import annotations

from datetime import timedelta

import pytest

from desk.casedoc_import import import_file
from desk.errors import DomainError
from desk.queries import case_detail
from desk.store import Store
from tests.conftest import make_team
from tests.helpers import store_rows
from tests.test_bypass_authority import approval, document, real_now, voucher


@pytest.fixture
def new_store(tmp_path, policy):
    store = Store("sqlite:///" + (tmp_path / "new.sqlite3").as_posix())
    yield store, make_team(store, policy)
    store.close()


def test_a_migrated_approval_is_kept_as_recorded(policy, new_store):
    start = real_now(policy) - timedelta(minutes=5)
    # In the old system C001 had granted 2,800 that day, so 400 more needed S001.
    doc = document("C001", start, offers=[voucher("400", approval=approval("S001"))])
    target, target_team = new_store
    [done] = import_file(target, policy, target_team.ops, [doc], migrated=True,
                         now=real_now(policy))
    with target.read() as session:
        [offer] = case_detail(session, done.case_no).offers
    assert (offer.approval, offer.approver) == ("approved", "林志明")


def test_a_wrong_pin_on_a_migrated_approval_is_still_refused(policy, new_store):
    start = real_now(policy) - timedelta(minutes=5)
    doc = document("C001", start, offers=[voucher("400", approval=dict(approval("S001"),
                                                                       pin="000000"))])
    target, target_team = new_store
    before = store_rows(target, pin_counts=False)
    with pytest.raises(DomainError):
        import_file(target, policy, target_team.ops, [doc], migrated=True, now=real_now(policy))
    assert store_rows(target, pin_counts=False) == before


def test_the_same_approval_in_this_stores_own_work_is_refused(policy, new_store):
    start = real_now(policy) - timedelta(minutes=5)
    doc = document("C001", start, offers=[voucher("400", approval=approval("S001"))])
    target, target_team = new_store
    before = store_rows(target)
    with pytest.raises(DomainError) as err:
        import_file(target, policy, target_team.clerk, [doc], now=real_now(policy))
    cause = err.value.__cause__
    assert cause.field == "approver" and "needs no approval" in cause.msgid
    assert store_rows(target) == before
