"""Nobody past their authority: every attempt to exceed a role is refused by the services (and
through the `desk` command), and a refused attempt writes nothing at all: the same row counts
in every table and, on SQLite, the same database file, byte for byte."""
from __future__ import annotations

import hashlib
import json
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import func, inspect, select

from desk import services
from desk.enums import Step
from desk.i18n import set_locale
from desk.errors import AuthenticationError, AuthorityError, DomainError, RecusalError
from desk.model import Base
from desk.retention import purge
from tests.conftest import PINS, SQLITE_ONLY
from tests.helpers import T0, complaint, new_case, walk


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")   # messages are matched in English


def snapshot(store) -> dict:
    tables = set(inspect(store.engine).get_table_names())
    with store.read() as session:
        counts = {t.name: session.scalar(select(func.count()).select_from(t))
                  for t in Base.metadata.sorted_tables if t.name in tables}
    store.engine.dispose()   # SQLite folds its write-ahead log into the file on the last close
    if store.backend == "sqlite":
        counts["file sha256"] = hashlib.sha256(store.path.read_bytes()).hexdigest()
    return counts


@contextmanager
def refused(store, error=DomainError, match=None):
    """The block must raise ``error`` inside one unit of work and leave no trace."""
    before = snapshot(store)
    with pytest.raises(error, match=match):
        with store.write(system="test") as session:
            yield session
    assert snapshot(store) == before


def ready_case(store, policy, actor, **changes) -> tuple[str, object]:
    case_no = new_case(store, policy, actor, **changes)
    return case_no, walk(store, policy, case_no, actor, Step.PROPOSE)


def offer(session, policy, case_no, actor, kind, amount, at, **kw):
    serials = ("V1",) if policy.kinds[kind].serials else ()
    return services.make_offer(session, policy, case_no, actor, kind, amount, serials=serials,
                               now=at, **kw)


def test_per_case_limit(store, policy, team):
    case_no, at = ready_case(store, policy, team.clerk)
    with refused(store, AuthorityError, "per-case") as s:
        offer(s, policy, case_no, team.clerk, "voucher", "600", at)
    with store.write(system="test") as s:
        offer(s, policy, case_no, team.clerk, "voucher", "300", at)
    with refused(store, AuthorityError) as s:   # 300 + 300 passes the clerk's 500
        offer(s, policy, case_no, team.clerk, "refund", "300", at)


def test_per_day_limit(store, policy, team):
    at = None
    for _ in range(6):   # 6 x 500 = the clerk's 3,000 a day
        case_no, at = ready_case(store, policy, team.clerk)
        with store.write(system="test") as s:
            offer(s, policy, case_no, team.clerk, "refund", "500", at)
    case_no, at = ready_case(store, policy, team.clerk)
    with refused(store, AuthorityError, "per-day") as s:
        offer(s, policy, case_no, team.clerk, "refund", "100", at)


@pytest.mark.parametrize("who,kind", [("clerk", "cash"), ("clerk", "discount"),
                                      ("supervisor", "repair"), ("supervisor", "cash")])
@SQLITE_ONLY
def test_a_kind_the_role_may_not_grant(store, policy, team, who, kind):
    actor = getattr(team, who)
    case_no, at = ready_case(store, policy, actor)
    with refused(store, AuthorityError) as s:
        offer(s, policy, case_no, actor, kind, "50", at)


def test_cash_at_the_threshold_needs_the_top_role(store, policy, team):
    case_no, at = ready_case(store, policy, team.manager)
    with refused(store, AuthorityError, "voucher") as s:
        offer(s, policy, case_no, team.manager, "cash", "1000", at)
    with refused(store, AuthorityError) as s:
        offer(s, policy, case_no, team.manager, "cash", "1000", at, approver=team.ops)
    with store.write(system="test") as s:   # the general manager may
        assert offer(s, policy, case_no, team.manager, "cash", "1000", at,
                     approver=team.gm).approval == "approved"


def test_the_bottom_line_holds(store, policy, team):
    case_no, at = ready_case(store, policy, team.supervisor)
    with store.write(system="test") as s:
        offer(s, policy, case_no, team.supervisor, "voucher", "500", at, final=True)
        services.record_answer(s, policy, case_no, 1, team.supervisor, "refused", now=at)
    with refused(store, AuthorityError) as s:
        offer(s, policy, case_no, team.supervisor, "voucher", "600", at)
    with refused(store, AuthorityError) as s:
        offer(s, policy, case_no, team.supervisor, "voucher", "600", at, approver=team.ops)
    with store.write(system="test") as s:
        offer(s, policy, case_no, team.supervisor, "voucher", "600", at, approver=team.gm)


def test_nobody_approves_their_own_offer(store, policy, team):
    case_no, at = ready_case(store, policy, team.supervisor)
    with refused(store, AuthorityError, "approved by the person") as s:
        offer(s, policy, case_no, team.supervisor, "voucher", "2500", at,
              approver=team.supervisor)
    with store.write(system="test") as s:
        offer(s, policy, case_no, team.supervisor, "voucher", "2500", at, request_approval=True)
    with refused(store, AuthorityError) as s:
        services.decide_approval(s, policy, case_no, 1, team.supervisor, True, now=at)
    with refused(store, AuthorityError) as s:   # nor does a role below the amount
        services.decide_approval(s, policy, case_no, 1, team.supervisor2, True, now=at)


def test_a_clerk_cannot_approve_a_clerk(store, policy, team):
    case_no, at = ready_case(store, policy, team.clerk)
    with refused(store, AuthorityError) as s:
        offer(s, policy, case_no, team.clerk, "voucher", "800", at, approver=team.clerk2)


def test_nobody_handles_a_case_about_themselves(store, policy, team):
    about_c001 = dict(subject_kind="staff", subject_staff="C001", subject_name=None,
                      category="service_attitude")
    with refused(store, RecusalError) as s:
        services.take_complaint(s, policy, team.clerk, complaint(**about_c001), now=T0)
    with refused(store, RecusalError) as s:
        services.take_complaint(s, policy, team.clerk2, complaint(handler="C001", **about_c001),
                                now=T0)
    case_no, at = ready_case(store, policy, team.clerk2, **about_c001)
    with refused(store, RecusalError) as s:
        services.record_step(s, policy, case_no, team.clerk, "confirm", now=at)
    with refused(store, RecusalError) as s:
        offer(s, policy, case_no, team.clerk2, "voucher", "800", at, approver=team.clerk)
    with refused(store, RecusalError) as s:
        services.escalate(s, policy, case_no, team.supervisor, "level1", "主管處理",
                          handler="C001", now=at)


def test_closing_adding_staff_and_purging_need_their_privilege(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    with refused(store, AuthorityError) as s:
        services.void(s, policy, case_no, team.clerk2, "wrong", now=T0)
    with refused(store, AuthorityError) as s:
        services.add_staff(s, policy, "C009", "新人", "general_manager", "482619",
                           actor=team.supervisor)
    with refused(store, AuthorityError) as s:
        purge(s, policy, team.manager)


def test_five_wrong_pins_lock_the_account_for_the_policy_time(store, policy, team):
    now = T0
    for attempt in range(policy.pin_attempts):
        with pytest.raises(AuthenticationError, match="PIN"):
            services.sign_in(store, policy, "C001", "0000", now=now + timedelta(seconds=attempt))
    with pytest.raises(AuthenticationError, match="locked"):
        services.sign_in(store, policy, "C001", PINS["C001"], now=now + timedelta(minutes=1))
    later = now + timedelta(minutes=policy.pin_lock_minutes, seconds=10)
    assert services.sign_in(store, policy, "C001", PINS["C001"], now=later).staff_no == "C001"
    # and the count starts again from zero
    with pytest.raises(AuthenticationError, match="wrong PIN"):
        services.sign_in(store, policy, "C001", "0000", now=later)
    assert services.sign_in(store, policy, "C001", PINS["C001"], now=later).staff_no == "C001"


def test_pins_are_stored_as_argon2id_hashes(store, team):
    from desk.model import Staff
    with store.read() as s:
        hashes = list(s.scalars(select(Staff.pin_hash)))
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert not set(PINS.values()) & {h.rsplit("$", 1)[-1] for h in hashes}


def test_an_approval_needs_the_approvers_own_pin(store, policy, team):
    with store.write(system="test") as s:
        with pytest.raises(AuthenticationError):
            services.check_pin(s, policy, "S001", PINS["S002"], field="approver")
    with store.read() as s:   # and the wrong PIN counted against the approver's account
        from desk.model import Staff
        assert s.scalar(select(Staff.failed_pins).where(Staff.staff_no == "S001")) == 1


# --- the same through the `desk` command -----------------------------------------------------
# (in this process: the refusals are the command's, not the process's; test_trust_cli runs the
# command as a real process)

@pytest.fixture(scope="module")
def cli_base(tmp_path_factory):
    from tests.helpers import desk_cli as run
    db = tmp_path_factory.mktemp("authcli") / "desk.sqlite3"
    assert run(db, "init").returncode == 0
    people = [("A001", "general_manager"), ("C001", "clerk"), ("S001", "supervisor"),
              ("S002", "supervisor"), ("M001", "store_manager"), ("O001", "operations_manager")]
    for i, (staff_no, role) in enumerate(people):
        result = run(db, "staff", "add", staff_no, "--role", role, "--name", staff_no,
                     "--pin", PINS[staff_no], as_staff=None if i == 0 else "A001")
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def cli_db(cli_base, tmp_path):
    copy = tmp_path / "desk.sqlite3"
    copy.write_bytes(cli_base.read_bytes())
    return copy


def document(recorder="C001", offers=(), **changes) -> dict:
    at = "2026-11-22T14:{:02d}:00+08:00"
    doc = {"desk": "A", "received_at": at.format(5), "channel": "counter", "recorder": recorder,
           "customer": {"name": "李大華", "phone": "0912-345-678"},
           "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
           "complaint": "鞋子一週就開膠", "request": "換新", "motive": "compensation",
           "severity": 1,
           "steps": [{"step": s, "at": at.format(10 + i), "by": recorder,
                      **({"promised_reply_at": "2026-11-22T18:00:00+08:00"}
                         if s == "commit" else {})}
                     for i, s in enumerate(["listen", "thank", "apologise", "commit", "propose"])],
           "offers": [dict(o, by=o.get("by", recorder), at=at.format(20 + i))
                      for i, o in enumerate(offers)]}
    doc.update(changes)
    return doc


def approval(staff_no, pin=None):
    return {"by": staff_no, "pin": pin or PINS[staff_no]}


CLI_ATTEMPTS = {
    "beyond the clerk's per-case limit": document(offers=[
        {"kind": "voucher", "amount": "800", "serials": ["V1"]}]),
    "a kind the clerk may not grant": document(offers=[{"kind": "cash", "amount": "100"}]),
    "cash at the threshold, approved below the top": document(recorder="M001", offers=[
        {"kind": "cash", "amount": "1000", "approval": approval("O001")}]),
    "an offer approved by its maker": document(recorder="S001", offers=[
        {"kind": "voucher", "amount": "2500", "serials": ["V1"], "approval": approval("S001")}]),
    "an approval with someone else's PIN": document(offers=[
        {"kind": "voucher", "amount": "800", "serials": ["V1"],
         "approval": approval("S001", PINS["S002"])}]),
    "beating the bottom line": document(recorder="S001", offers=[
        {"kind": "voucher", "amount": "500", "serials": ["V1"], "final": True,
         "answer": "refused", "answered_at": "2026-11-22T14:20:30+08:00"},
        {"kind": "voucher", "amount": "600", "serials": ["V2"], "approval": approval("O001")}]),
    "handling a case about oneself": document(
        recorder="S001", subject={"kind": "staff", "staff": "S001"},
        category="service_attitude"),
}


@pytest.mark.parametrize("attempt", list(CLI_ATTEMPTS))
def test_attempts_through_the_cli_are_refused_and_change_no_byte(cli_db, tmp_path, attempt):
    from tests.helpers import desk_cli as run
    from tests.test_trust_cli import one_line_exit_2
    path = tmp_path / "case.json"
    from tests.test_cli import rows_without_pin_counts
    path.write_text(json.dumps(CLI_ATTEMPTS[attempt], ensure_ascii=False), encoding="utf-8")
    before = hashlib.sha256(cli_db.read_bytes()).hexdigest()
    rows_before = rows_without_pin_counts(cli_db)
    # Imported by the person the document says made the offers: only they may import them.
    one_line_exit_2(run(cli_db, "case", "import", str(path),
                        as_staff=CLI_ATTEMPTS[attempt]["recorder"]))
    if attempt == "an approval with someone else's PIN":   # counted, as at sign-in
        assert rows_without_pin_counts(cli_db) == rows_before
    else:
        assert hashlib.sha256(cli_db.read_bytes()).hexdigest() == before


def test_a_case_within_authority_imports(cli_db, tmp_path):
    """The control: the same document shape passes when nothing exceeds a role."""
    from tests.helpers import desk_cli as run
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document(offers=[
        {"kind": "voucher", "amount": "800", "serials": ["V1"], "approval": approval("S001")}]),
        ensure_ascii=False), encoding="utf-8")
    result = run(cli_db, "case", "import", str(path), as_staff="C001")
    assert result.returncode == 0, result.stderr


def test_the_cli_locks_an_account_after_five_wrong_pins(cli_db):
    from tests.helpers import desk_cli as run
    from tests.test_trust_cli import one_line_exit_2
    for _ in range(5):
        one_line_exit_2(run(cli_db, "--as", "C001", "--pin", "0000", "purge", "--dry-run"))
    line = one_line_exit_2(run(cli_db, "purge", "--dry-run", as_staff="C001"))
    assert "locked" in line


def test_wrong_approver_pins_in_imported_files_are_counted_and_logged(cli_db, tmp_path):
    """A wrong approver PIN in a file refuses the import; it counts toward the approver's
    lock-out exactly as a wrong PIN at sign-in, nothing else is written, and the attempt is
    logged in the user log folder."""
    from tests.test_cli import rows_without_pin_counts
    from tests.helpers import desk_cli as run
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CLI_ATTEMPTS["an approval with someone else's PIN"],
                               ensure_ascii=False), encoding="utf-8")
    before = rows_without_pin_counts(cli_db)
    result = run(cli_db, "case", "import", str(path), as_staff="C001")
    assert result.returncode == 2 and rows_without_pin_counts(cli_db) == before
    logs = list((tmp_path / "userdata").rglob("desk.log"))
    assert logs and "approver PIN" in logs[0].read_text(encoding="utf-8")
