"""Holes found by attacking the finished door as a clerk or supervisor would: each is tried
through the services and the `desk` command, must be refused naming its field, and must
leave every table as it was."""
from __future__ import annotations

from datetime import timedelta

import pytest

from desk.errors import AuthorityError, ValidationError
from desk.services.offers import day_total
from tests.conftest import SQLITE_ONLY
from tests.test_bypass_authority import (  # noqa: F401  (the English fixture)
    _english, dump, offer, ready_case, real_now, refused)


# --- an approver's day counts the day the approval is given -----------------------------------

def pending_requests(store, policy, clerk, amounts, when) -> list[str]:
    """Cases of ``clerk`` with one offer each, left waiting for a supervisor since ``when``."""
    numbers = []
    for amount in amounts:
        no, at = ready_case(store, policy, clerk, when)
        with store.write(clerk) as s:
            offer(s, policy, no, clerk, amount, at, request_approval=True)
        numbers.append(no)
    return numbers


def test_approving_yesterdays_requests_counts_on_the_approvers_day(store, policy, team):
    """A supervisor (NT$10,000 a day) deciding offers asked for yesterday approves today: the
    sixth NT$1,800 approval would bring today's approvals to NT$10,800 and is refused."""
    from desk import services
    now = real_now(policy)
    waiting = pending_requests(store, policy, team.clerk, ["1800"] * 6,
                               now - timedelta(days=1, minutes=30))
    for no in waiting[:5]:
        with store.write(team.supervisor) as s:
            services.decide_approval(s, policy, no, 1, team.supervisor, True, now=now)
    with store.read() as s:
        assert day_total(s, policy, team.supervisor.id, now) == 9000
    refused(store, team.supervisor,
            lambda s: services.decide_approval(s, policy, waiting[5], 1, team.supervisor, True,
                                               now=now),
            AuthorityError, field="approver")


def test_desk_approval_decide_counts_the_approvers_day_too(store, policy, team, capsys):
    from desk import services
    from tests.approvals_support import run_cli
    now = real_now(policy)
    waiting = pending_requests(store, policy, team.clerk, ["1800"] * 6,
                               now - timedelta(days=1, minutes=30))
    for no in waiting[:5]:
        with store.write(team.supervisor) as s:
            services.decide_approval(s, policy, no, 1, team.supervisor, True)
    assert run_cli(store, "approval", "list", as_staff="S001")[0] == 0   # sign-in recorded
    before = dump(store)
    code, _out, err = run_cli(store, "approval", "decide", waiting[5], "1", "approve",
                              as_staff="S001", capsys=capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "approver" in err
    assert dump(store) == before


# --- a case never starts below its category's level -------------------------------------------

@pytest.mark.parametrize("level", ["preliminary", "level1"])
@SQLITE_ONLY
def test_a_legal_case_cannot_be_taken_at_a_lower_level(store, policy, team, level):
    """A safety / legal-liability complaint is level 2 by its category; taken as a lower level
    a clerk could resolve it herself."""
    from desk import services
    from tests.helpers import complaint
    refused(store, team.clerk, lambda s: services.take_complaint(
        s, policy, team.clerk, complaint(category="safety_legal", level=level)),
        ValidationError, field="level")


def test_a_higher_level_than_the_categorys_is_taken(store, policy, team):
    from desk import services
    from tests.helpers import complaint
    with store.write(team.clerk) as s:
        case = services.take_complaint(s, policy, team.clerk,
                                       complaint(category="goods_rights", level="level2"))
        assert case.level == "level2"


# --- the store file edited behind the program's back -------------------------------------------

@pytest.fixture
def store_file(tmp_path, policy):
    """A store file with the team and its policy recorded, closed (as an attacker finds it)."""
    from desk.cli import main
    from desk.store import Store
    from tests.conftest import make_team
    path = tmp_path / "desk.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    make_team(store, policy)
    store.close()
    assert main(["--db", str(path), "day", "2026-11-22"]) == 0   # the policy in force logged
    return path


def tamper(path, *statements, params=()) -> None:
    import sqlite3
    conn = sqlite3.connect(path)
    for statement in statements:
        conn.execute(statement, params)
    conn.commit()
    conn.close()


def desk_cmd(path, capsys, *args, as_staff="C001"):
    from desk.cli import main
    from tests.conftest import PINS
    capsys.readouterr()
    status = main(["--db", str(path), "--locale", "en", "--as", as_staff, "--pin",
                   PINS[as_staff], *args])
    captured = capsys.readouterr()
    return status, captured.out, captured.err.strip().splitlines()


def file_bytes(path) -> bytes:
    return path.read_bytes()


FILE_EDITS = {
    "a clerk promoted to general manager": (
        "UPDATE staff SET role = 'general_manager' WHERE staff_no = 'C001'",),
    "a locked-out clerk unlocked and made active": (
        "UPDATE staff SET active = 1, failed_pins = 0, locked_until = NULL, "
        "role = 'operations_manager' WHERE staff_no = 'C001'",),
    "another's PIN hash copied onto the clerk": (
        "UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff WHERE staff_no = 'C002') "
        "WHERE staff_no = 'C001'",),
}


@pytest.mark.parametrize("edit", list(FILE_EDITS))
def test_a_staff_record_edited_in_the_file_signs_nobody_in(store_file, capsys, policy, edit):
    from desk import services
    from desk.errors import AuthenticationError
    from desk.store import Store
    tamper(store_file, *FILE_EDITS[edit])
    before = file_bytes(store_file)
    status, _out, err = desk_cmd(store_file, capsys, "staff", "add", "X9", "--name", "某人",
                                 "--role", "general_manager", "--pin", "491736",
                                 as_staff="C001" if "PIN hash" not in edit else "C002")
    if "PIN hash" in edit:   # C002 is untouched and no administrator: refused for that
        assert status == 2 and len(err) == 1 and "administrator" in err[0], err
        status, _out, err = desk_cmd(store_file, capsys, "approval", "list", as_staff="C001")
    assert status == 2 and len(err) == 1 and "staff ID:" in err[0], err
    assert "changed outside" in err[0]
    assert file_bytes(store_file) == before
    store = Store("sqlite:///" + store_file.as_posix())
    try:
        with pytest.raises(AuthenticationError, match="changed outside"):
            services.sign_in(store, policy, "C001", "4821")
    finally:
        store.close()


def test_a_staff_row_inserted_in_the_file_signs_nobody_in(store_file, capsys):
    from desk.security import hash_pin
    tamper(store_file, "INSERT INTO staff (staff_no, name, role, pin_hash, active, failed_pins, "
                       "created_at) "
                       "VALUES ('Z001', '某人', 'general_manager', ?, 1, 0, '2026-11-01 00:00:00')",
           params=(hash_pin("491736"),))
    before = file_bytes(store_file)
    from desk.cli import main
    capsys.readouterr()
    status = main(["--db", str(store_file), "--locale", "en", "--as", "Z001", "--pin", "491736",
                   "approval", "list"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "changed outside" in err[0], err
    assert file_bytes(store_file) == before


def test_a_policy_edited_in_the_file_does_not_govern(store_file, capsys):
    import sqlite3
    conn = sqlite3.connect(store_file)
    (text,), = conn.execute("SELECT text FROM store_policy").fetchall()
    conn.close()
    start = text.index("[roles.clerk]")
    end = text.index("[roles.supervisor]")
    evil = text[:start] + ('[roles.clerk]\nrank = 1\nkinds = "all"\nprivileges = ["close", '
                           '"review", "personal_data", "reports", "reopen_day", "admin", '
                           '"top", "import_history", "policy"]\n\n') + text[end:]
    tamper(store_file, "UPDATE store_policy SET text = ?", params=(evil,))
    before = file_bytes(store_file)
    status, _out, err = desk_cmd(store_file, capsys, "staff", "add", "X9", "--name", "某人",
                                 "--role", "general_manager", "--pin", "491736")
    assert status == 2 and len(err) == 1 and "administrator" in err[0], err
    status, _out, err = desk_cmd(store_file, capsys, "reopen-day", "--desk", "A", "2026-11-22",
                                 "--reason", "x")
    assert status == 2 and len(err) == 1, err
    assert file_bytes(store_file) == before


# --- a day pack's decision times -----------------------------------------------------------------

from tests.test_bypass_packs import LATE, _decided, _members, _rewrite, pack  # noqa: E402,F401


@pytest.mark.parametrize("when", ["2030-01-01T09:00:00+08:00", "2026-11-01T09:00:00+08:00"])
def test_a_decision_time_edited_in_the_pack_is_refused_whole(store, policy, team, pack, capsys,
                                                           when):
    """A decision said to be taken years ahead, or before the pack was even exported, is an
    altered pack: refused whole, naming the field, nothing written."""
    import json
    from tests.approvals_support import dump as dump_all, run_cli
    path, cases = pack
    _decided(path, policy, cases, "S001")
    decisions = json.loads(_members(path)["decisions.json"])
    decisions["decisions"][0]["at"] = when
    _rewrite(path, {"decisions.json": json.dumps(decisions).encode()})
    before = dump_all(store)
    code, _out, err = run_cli(store, "pack", "import", str(path), as_staff="S001",
                              capsys=capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "decisions[0].at:" in err
    assert dump_all(store) == before


# --- environment variables -----------------------------------------------------------------------

@pytest.mark.parametrize("value", ["xx", "../../etc", "zh_TW\n"])
def test_an_unknown_desk_locale_is_one_line_and_exit_2(store_file, capsys, monkeypatch, value):
    from desk.cli import main
    monkeypatch.setenv("DESK_LOCALE", value)
    before = file_bytes(store_file)
    capsys.readouterr()
    status = main(["--db", str(store_file), "day", "2026-11-22"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "DESK_LOCALE" in err[0], err
    assert file_bytes(store_file) == before


# --- an attachment's path stays inside the attachments folder ------------------------------------

OUTSIDE = ["../../../etc/passwd", "attachments/../../secret.txt", "/etc/shadow",
           "C:\\Windows\\win.ini", "C:relative.png", "\\\\attacker\\share\\photo.png",
           "\\rooted.png", "attachments\\..\\..\\x.png"]


@pytest.mark.parametrize("path", OUTSIDE)
@SQLITE_ONLY
def test_an_attachment_outside_the_folder_is_refused(store, policy, team, path):
    """Opened by every PC of the store, a path out of the folder would read any local file,
    or (a network share) hand the PC's Windows credentials to whoever owns the share."""
    from desk import services
    no, _at = ready_case(store, policy, team.clerk, real_now(policy) - timedelta(minutes=5))
    refused(store, team.clerk, lambda s: services.add_attachment(
        s, no, team.clerk, None, path, sha256="a" * 64), ValidationError, field="attachment")


def test_an_attachment_inside_the_folder_is_kept(store, policy, team):
    from desk import services
    no, _at = ready_case(store, policy, team.clerk, real_now(policy) - timedelta(minutes=5))
    for i, path in enumerate(("attachments/A-1/0123.jpg", "attachments\\A-1\\4567.png")):
        with store.write(team.clerk) as s:
            item = services.add_attachment(s, no, team.clerk, None, path, sha256=f"{i}" * 64)
            assert item.path == path.replace("\\", "/").rsplit("/", 1)[-1]   # a label


@pytest.mark.parametrize("path", OUTSIDE[:2] + OUTSIDE[5:6])
def test_case_import_refuses_an_attachment_outside_the_folder(store_file, tmp_path, capsys,
                                                              path):
    import json
    from tests.test_bypass_import import document
    doc = document()
    doc["attachments"][0]["path"] = path
    target = tmp_path / "doc.json"
    target.write_text(json.dumps([doc], ensure_ascii=False), encoding="utf-8")
    before = file_bytes(store_file)
    status, _out, err = desk_cmd(store_file, capsys, "case", "import", str(target))
    assert status == 2 and len(err) == 1 and "attachments[0].path:" in err[0], err
    assert file_bytes(store_file) == before


# --- a desk that never closed a day does not open the store's closed past ------------------------

@pytest.mark.parametrize("desk_letter", ["Z", "B"])
def test_a_desk_without_closed_days_cannot_back_date_past_the_stores(store, policy, team,
                                                                     desk_letter):
    """Desk A's days up to 25 November are closed; a document dated 22 November at a desk
    that never closed a day (a new letter, or one not reviewed yet) is refused unless it is
    migrated history."""
    from datetime import date
    from desk import review
    from desk.casedoc_import import import_file
    from desk.errors import DomainError
    from desk.services.auth import sign_in
    from tests.conftest import PINS
    from tests.test_bypass_import import document, snapshot
    with store.write(team.supervisor) as s:
        review.close_day(s, policy, team.supervisor, "A", date(2026, 11, 25))
    before = snapshot(store)
    clerk = sign_in(store, policy, "C001", PINS["C001"])
    with pytest.raises(DomainError) as err:
        import_file(store, policy, clerk, [document(day=22, desk=desk_letter)])
    assert "received time:" in str(err.value) and "migrated history" in str(err.value)
    assert snapshot(store) == before
    done = import_file(store, policy, clerk, [document(day=26, desk=desk_letter)])
    assert done[0].case_no.startswith(f"{desk_letter}-20261126-")


# --- demo data only into a demo store ----------------------------------------------------------

def test_demo_data_never_goes_into_a_store_with_its_own_staff(tmp_path, policy, capsys):
    """`desk init --demo N` needs no sign-in: on a real store it would add cases nobody took
    and demo staff whose PINs are printed (a general manager with a known PIN)."""
    from desk import services
    from desk.cli import main
    from desk.demo import fill_demo
    from desk.errors import ValidationError as Refused
    from desk.store import Store
    path = tmp_path / "real.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    with store.write(system="test") as s:
        services.add_staff(s, policy, "G100", "周經理", "general_manager", "517392")
    store.close()
    assert main(["--db", str(path), "day", "2026-11-22"]) == 0   # the policy in force logged
    before = file_bytes(path)
    capsys.readouterr()
    status = main(["--db", str(path), "--locale", "en", "init", "--demo", "5"])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1 and "demo:" in err[0] and "G100" in err[0], err
    assert file_bytes(path) == before
    store = Store("sqlite:///" + path.as_posix())
    try:
        with pytest.raises(Refused):
            fill_demo(store, policy, 5)
    finally:
        store.close()
    assert file_bytes(path) == before


def test_demo_data_goes_into_a_new_store_and_again_into_a_demo_store(tmp_path, policy):
    from desk.demo import fill_demo
    from desk.store import Store
    store = Store("sqlite:///" + (tmp_path / "demo.sqlite3").as_posix())
    try:
        assert fill_demo(store, policy, 5).cases == 5
        assert fill_demo(store, policy, 5, seed=7).cases == 5
    finally:
        store.close()


# --- desk db copy: the whole store, unmasked, only for an administrator -------------------------

@pytest.mark.parametrize("who", [(), ("--as", "C001", "--pin", "4821")])
def test_a_clerk_cannot_copy_the_store_out(store_file, tmp_path, capsys, who):
    from desk.cli import main
    target = tmp_path / "mine.sqlite3"
    before = file_bytes(store_file)
    capsys.readouterr()
    status = main(["--locale", "en", *who, "db", "copy", "--from", str(store_file),
                   "--to", "sqlite:///" + target.as_posix()])
    err = capsys.readouterr().err.strip().splitlines()
    assert status == 2 and len(err) == 1, err
    assert ("administrator" in err[0]) if who else ("--as" in err[0])
    assert not target.exists()
    assert file_bytes(store_file) == before
