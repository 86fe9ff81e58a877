"""Nothing altered unseen: every service write lands in the hash-chained audit log in its own
transaction, and edits, deletions and insertions made behind the program's back with plain
sqlite3 are each caught by ``verify`` (and by ``desk audit verify``)."""
from __future__ import annotations

import dataclasses
import json
import shutil
import sqlite3
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from desk import audit, services
from desk.audit import AuditEntry
from desk.enums import Step
from desk.errors import AuthenticationError, AuthorityError
from desk.policy import read_policy_text
from desk.store import Store
from desk.store_policy import STORE_CREATED, STORE_UPGRADED, apply_policy, ensure_store_policy
from tests.conftest import PINS
from tests.helpers import T0, new_case, walk


def entries(store, **where) -> list[AuditEntry]:
    with store.read() as session:
        stmt = select(AuditEntry).order_by(AuditEntry.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditEntry, key) == value)
        return list(session.scalars(stmt))


def verify(store, **kw) -> audit.AuditReport:
    with store.read() as session:
        return audit.verify(session, **kw)


def settled_case(store, policy, team) -> str:
    """A case taken, walked, with an approved offer accepted, resolved and closed."""
    case_no = new_case(store, policy, team.clerk)
    at = walk(store, policy, case_no, team.clerk, Step.PROPOSE)
    with store.write(system="test") as session:
        services.make_offer(session, policy, case_no, team.clerk, "voucher", "800",
                            serials=("V1001",), approver=team.supervisor, now=at)
        services.record_answer(session, policy, case_no, 1, team.clerk, "accepted", now=at)
        services.record_step(session, policy, case_no, team.clerk, "confirm", now=at)
        services.resolve(session, policy, case_no, team.clerk, "禮券800元", "founded", now=at)
    with store.write(system="test") as session:
        services.close(session, policy, case_no, team.supervisor, recipient_name="李大華",
                       now=at + timedelta(hours=1))
    return case_no


def test_every_write_is_logged_with_its_actor_and_the_chain_verifies(store, policy, team):
    case_no = settled_case(store, policy, team)
    log = entries(store, case_no=case_no)
    assert [(e.entity, e.action) for e in log[:2]] == [("case", "insert"),
                                                       ("status_change", "insert")]
    assert {e.staff_no for e in log} == {"C001", "S001"}
    offer = next(e for e in log if e.entity == "offer")
    assert offer.staff_no == "C001" and json.loads(offer.after)["approver_id"] == team.supervisor.id
    closing = [e for e in log if e.entity == "case" and e.action == "update"][-1]
    assert closing.staff_no == "S001"
    assert json.loads(closing.before)["status"] == "resolved"
    assert json.loads(closing.after)["status"] == "closed"
    report = verify(store)
    assert report.ok, report.first and report.first.message
    assert report.entries == len(entries(store))
    ids = [e.id for e in entries(store)]
    assert ids == list(range(1, len(ids) + 1))


def test_a_refused_write_leaves_no_entry(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    at = walk(store, policy, case_no, team.clerk, Step.PROPOSE)
    count = len(entries(store))
    with pytest.raises(AuthorityError):
        with store.write(system="test") as session:
            services.make_offer(session, policy, case_no, team.clerk, "voucher", "5000",
                                serials=("V1",), now=at)
    assert len(entries(store)) == count
    assert verify(store).ok


def test_history_shows_each_change_and_masks_for_roles_without_the_privilege(store, policy,
                                                                              team):
    case_no = settled_case(store, policy, team)
    history = audit.audit_history(store.read(), case_no)
    first = history[0]
    assert (first.entity, first.action, first.staff_no, first.staff_name) == (
        "case", "insert", "C001", "陳美玲")
    phone = next(c for c in first.changes if c.field == "customer_phone")
    assert phone.after == "0912-345-678"
    status = [c for h in history if h.entity == "case" and h.action == "update"
              for c in h.changes if c.field == "status"]
    assert [(c.before, c.after) for c in status][-1] == ("resolved", "closed")
    assert all(dataclasses.is_dataclass(h) for h in history)
    with pytest.raises(dataclasses.FrozenInstanceError):
        history[0].action = "x"
    masked = audit.audit_history(store.read(), case_no, see_personal=False)
    phone = next(c for c in masked[0].changes if c.field == "customer_phone")
    assert phone.after == "0912-***-678"


def test_staff_records_and_wrong_pins_are_logged_without_the_pin_hash(store, policy, team):
    with pytest.raises(AuthenticationError):
        services.sign_in(store, policy, "C002", "0000")
    staff = entries(store, entity="staff", entity_key="C002")
    assert [e.action for e in staff] == ["insert", "update"]
    assert staff[0].staff_no == "A001"   # added by the administrator
    before, after = json.loads(staff[1].before), json.loads(staff[1].after)
    assert (before["failed_pins"], after["failed_pins"]) == (0, 1)
    assert after["pin_hash"].startswith("sha256:") and "argon2" not in staff[0].after
    assert verify(store).ok


def test_the_store_policy_and_its_changes_are_logged_with_who_and_why(store, policy, team):
    ensure_store_policy(store)
    bundled = read_policy_text()
    looser = bundled.replace("cash_threshold = 1000", "cash_threshold = 5000")
    assert looser != bundled
    with store.write(team.gm) as session:
        apply_policy(session, team.gm, looser, "cash up to 5,000 this season")
    log = entries(store, entity="store_policy")
    assert [(e.action, e.staff_no) for e in log] == [("insert", None), ("update", "A001")]
    assert json.loads(log[0].after)["system"] in (STORE_CREATED, STORE_UPGRADED)
    before, after = json.loads(log[1].before), json.loads(log[1].after)
    assert "cash_threshold = 1000" in before["text"] and "cash_threshold = 5000" in after["text"]
    assert (after["set_by"], after["reason"]) == ("A001", "cash up to 5,000 this season")
    assert verify(store).ok


# --- behind the program's back ---------------------------------------------------------------

@pytest.fixture(scope="module")
def prepared(tmp_path_factory, policy):
    """A store with a few settled cases, closed so the file is complete on its own."""
    from tests.conftest import make_team
    path = tmp_path_factory.mktemp("audit") / "desk.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    team = make_team(store, policy)
    numbers = [settled_case(store, policy, team) for _ in range(3)]
    assert verify(store).ok
    store.close()
    return path, numbers


@pytest.fixture
def copy(prepared, tmp_path):
    path, numbers = prepared
    target = tmp_path / "desk.sqlite3"
    shutil.copy(path, target)
    return target, numbers


def tamper(path, *statements) -> None:
    conn = sqlite3.connect(str(path))
    with conn:
        for sql, *params in statements:
            conn.execute(sql, *params)
    conn.close()


def report_of(path) -> audit.AuditReport:
    store = Store("sqlite:///" + path.as_posix(), migrate=False)
    try:
        return verify(store)
    finally:
        store.close()


def test_an_edited_entry_is_caught(copy):
    path, _ = copy
    tamper(path, ("UPDATE audit_log SET after = replace(after, '\"800\"', '\"80\"') "
                  "WHERE entity = 'offer' AND id = (SELECT min(id) FROM audit_log "
                  "WHERE entity = 'offer')",))
    report = report_of(path)
    assert report.first.kind == "hash"
    assert str(report.first.entry_id) in report.first.message


def test_a_deleted_entry_is_caught(copy):
    path, _ = copy
    tamper(path, ("DELETE FROM audit_log WHERE id = 20",))
    report = report_of(path)
    assert (report.first.kind, report.first.entry_id) == ("gap", 21)


def test_an_inserted_entry_is_caught(copy):
    path, _ = copy
    tamper(path, ("INSERT INTO audit_log (id, at, staff_no, entity, entity_key, action, after, "
                  "prev_hash, hash) SELECT max(id) + 1, '2026-11-22 08:00:00.000000', 'A001', "
                  "'staff', 'X9', 'insert', '{}', hash, ? FROM audit_log", ("f" * 64,)))
    report = report_of(path)
    assert report.first.kind == "hash"


def test_an_entry_slipped_into_the_middle_is_caught(copy):
    path, _ = copy
    tamper(path, ("UPDATE audit_log SET id = id + 1000 WHERE id > 10",),
           ("UPDATE audit_log SET id = id - 999 WHERE id > 1000",),
           ("INSERT INTO audit_log (id, at, staff_no, entity, entity_key, action, after, "
            "prev_hash, hash) SELECT 11, at, staff_no, entity, entity_key, action, after, "
            "prev_hash, hash FROM audit_log WHERE id = 10",))
    report = report_of(path)
    assert (report.first.kind, report.first.entry_id) == ("link", 11)


def test_a_case_edited_in_the_file_is_caught(copy):
    path, numbers = copy
    tamper(path, ("UPDATE complaint_case SET customer_phone = '0900-000-000' WHERE case_no = ?",
                  (numbers[1],)))
    report = report_of(path)
    assert (report.first.kind, report.first.entity_key, report.first.fields) == (
        "altered", numbers[1], ("customer_phone",))
    assert numbers[1] in report.first.message


def test_an_offer_amount_raised_in_the_file_is_caught(copy):
    path, _ = copy
    tamper(path, ("UPDATE offer SET amount = 8000 WHERE id = 2",))
    report = report_of(path)
    assert (report.first.kind, report.first.entity, report.first.fields) == (
        "altered", "offer", ("amount",))


def test_a_clerk_promoted_in_the_file_is_caught(copy):
    path, _ = copy
    tamper(path, ("UPDATE staff SET role = 'general_manager' WHERE staff_no = 'C001'",))
    report = report_of(path)
    assert (report.first.kind, report.first.entity_key, report.first.fields) == (
        "altered", "C001", ("role",))


def test_a_row_deleted_in_the_file_is_caught(copy):
    path, numbers = copy
    tamper(path, ("PRAGMA foreign_keys = OFF",),
           ("DELETE FROM step_record WHERE id = (SELECT min(id) FROM step_record)",))
    report = report_of(path)
    assert (report.first.kind, report.first.entity) == ("deleted", "step")
    assert numbers[0] in report.first.message


def test_a_row_inserted_in_the_file_is_caught(copy):
    path, _ = copy
    tamper(path, ("INSERT INTO staff (staff_no, name, role, pin_hash, active, failed_pins, "
                  "created_at) SELECT 'Z999', 'x', 'general_manager', pin_hash, 1, 0, created_at "
                  "FROM staff WHERE staff_no = 'A001'",))
    report = report_of(path)
    assert (report.first.kind, report.first.entity_key) == ("unlogged", "Z999")


def test_a_cut_off_tail_is_caught(copy):
    path, numbers = copy
    tamper(path, ("DELETE FROM audit_log WHERE id > (SELECT max(id) - 3 FROM audit_log)",))
    report = report_of(path)
    assert not report.ok
    assert {f.kind for f in report.findings} <= {"altered", "unlogged"}


def test_a_rewritten_chain_is_caught_by_an_earlier_backup(copy, tmp_path):
    """Whoever knows the algorithm can rebuild every hash after an edit; a backup (or a head
    hash written down) taken before still shows the rewrite."""
    from desk.backup import verify_backup
    path, _ = copy
    anchor = tmp_path / "anchor.sqlite3"
    shutil.copy(path, anchor)
    info = verify_backup(anchor)
    conn = sqlite3.connect(str(path))
    with conn:
        # "before" too: an entry starting from other values than its row's previous entry
        # left is caught without any anchor
        conn.execute("UPDATE audit_log SET after = replace(after, '\"800\"', '\"80\"'), "
                     "before = replace(before, '\"800\"', '\"80\"')")
        conn.execute("UPDATE offer SET amount = 80")
        prev = audit.GENESIS
        for row in conn.execute("SELECT id, at, staff_no, entity, entity_key, case_no, action, "
                                "before, after FROM audit_log ORDER BY id").fetchall():
            digest = audit.entry_hash(prev, row[0], _at(row[1]), *row[2:])
            conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                         (prev, digest, row[0]))
            prev = digest
    conn.close()
    assert report_of(path).ok   # self-consistent again ...
    store = Store("sqlite:///" + path.as_posix(), migrate=False)
    with store.read() as session:   # ... but not what the backup saw
        finding = audit.check_anchor(session, info.audit_entries, info.audit_head, str(anchor))
    store.close()
    assert finding is not None and finding.kind == "anchor"


def _at(text):
    from datetime import datetime, timezone
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_desk_audit_verify_names_the_first_broken_link(copy):
    from tests.test_trust_cli import run
    path, _ = copy
    ok = run(path, "audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout
    tamper(path, ("DELETE FROM audit_log WHERE id = 7",))
    broken = run(path, "audit", "verify")
    assert broken.returncode == 1
    assert "8" in broken.stderr.splitlines()[0] and "Traceback" not in broken.stderr


def test_counts_of_entries_match_the_rows_written(store, policy, team):
    with store.read() as session:
        before = session.scalar(select(func.count()).select_from(AuditEntry))
    new_case(store, policy, team.clerk, now=T0)
    with store.read() as session:
        after = session.scalar(select(func.count()).select_from(AuditEntry))
    assert after - before == 2   # the case and its first status change


def test_rows_written_in_bulk_can_be_logged_afterwards(store, policy, team):
    from sqlalchemy import insert

    from desk.model import Setting
    with store.write(system="test") as session:
        session.execute(insert(Setting).values(key="bulk_demo", value="1"))
    assert verify(store).first.kind == "unlogged"
    with store.write(system="test") as session:
        assert audit.baseline(session.connection(), action="bulk", only_unlogged=True) == 1
    assert verify(store).ok
    assert [e.action for e in entries(store, entity="setting", entity_key="bulk_demo")] == ["bulk"]


def test_every_store_opened_after_another_was_closed_logs_its_writes(tmp_path,
                                                                      sqlite_template):
    """Each store's sessions get the audit hooks, also when a new session factory reuses the
    memory of a collected one (SQLAlchemy's event registry, keyed by id(), once took such a
    factory as already hooked: about one store in sixty wrote without logging). Each store is
    a copy of a migrated file: the hooks are installed by every ``Store()``, migrated or not."""
    import gc

    from sqlalchemy import func, select

    from desk.audit import LOG
    from desk.model import Setting
    from tests.conftest import fresh_sqlite_store
    unlogged = []
    gc.freeze()   # the run's objects so far: each collection below scans only this test's
    try:
        for i in range(60):
            store = fresh_sqlite_store(sqlite_template, tmp_path / f"s{i}.sqlite3")
            with store.write(system="test") as session:
                session.add(Setting(key=f"k{i}", value="v"))
            with store.read() as session:
                if not session.scalar(select(func.count()).select_from(LOG)
                                      .where(LOG.c.entity_key == f"k{i}")):
                    unlogged.append(i)
            store.close()
            del store, session
            gc.collect()
    finally:
        gc.unfreeze()
    assert unlogged == []
