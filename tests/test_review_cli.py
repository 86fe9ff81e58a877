"""The supervisor's commands through the `desk` command: pack export, offline decisions, import
(twice), close-day, reports and the follow-up queue (run in this process; test_cli runs the
command as a real process)."""
from __future__ import annotations

import pytest

from desk import services
from tests.conftest import PINS, fresh_sqlite_store
from tests.helpers import desk_cli
from tests.review_support import at, make_case


run = desk_cli


@pytest.fixture
def db(tmp_path, policy, sqlite_template):
    path = tmp_path / "desk.sqlite3"
    store = fresh_sqlite_store(sqlite_template, path)
    with store.write(system="test") as s:
        services.add_staff(s, policy, "A001", "王大同", "general_manager", PINS["A001"])
        gm = services.actor_for(s, "A001")
        for no, name, role in (("C001", "陳美玲", "clerk"), ("S001", "林志明", "supervisor"),
                               ("M001", "吳建國", "store_manager")):
            services.add_staff(s, policy, no, name, role, PINS[no], actor=gm)
    with store.read() as s:
        clerk, sup = services.actor_for(s, "C001"), services.actor_for(s, "S001")
    make_case(store, policy, clerk, at("2026-11-16", "10:00"), stage="closed", closer=sup,
              offer=("voucher", "300", ["V100"]))
    make_case(store, policy, clerk, at("2026-11-16", "11:00"), stage="resolved")
    store.close()
    return path


def test_pack_round_trip_close_day_and_reopen(db, tmp_path):
    pack = tmp_path / "A-2026-11-16.deskpack"
    result = run(db, "pack", "export", "2026-11-16", "--desk", "A", "--out", str(pack),
                 as_staff="S001")
    assert result.returncode == 0, result.stderr
    assert "2 cases" in result.stdout
    for case_no, decision in (("A-20261116-0001", "approve"), ("A-20261116-0002", "sign-off")):
        result = run(db, "pack", "decide", str(pack), case_no, decision, as_staff="S001")
        assert result.returncode == 0, result.stderr
    assert run(db, "pack", "close", str(pack), "A", as_staff="S001").returncode == 0
    shown = run(db, "pack", "show", str(pack))
    assert "Approved" in shown.stdout and "Signed off" in shown.stdout
    refused = run(db, "pack", "import", str(pack), as_staff="C001")
    assert refused.returncode == 2 and "S001" in refused.stderr
    first = run(db, "pack", "import", str(pack), as_staff="S001")
    assert first.returncode == 0, first.stderr
    assert "2 decisions applied" in first.stdout and "day closed for desk A" in first.stdout
    again = run(db, "pack", "import", str(pack), as_staff="S001")
    assert "0 decisions applied" in again.stdout and "2 already imported" in again.stdout
    review = run(db, "review", "2026-11-16", "--desk", "A")
    assert "0 not reviewed" in review.stdout and "closed by" in review.stdout
    blocked = run(db, "reopen-day", "2026-11-16", "--desk", "A", "--reason", "fix", as_staff="S001")
    assert blocked.returncode == 2
    reopened = run(db, "reopen-day", "2026-11-16", "--desk", "A", "--reason", "Wrong phone",
                   as_staff="M001")
    assert reopened.returncode == 0, reopened.stderr


def test_a_tampered_pack_is_refused_with_a_clear_message(db, tmp_path):
    import zipfile
    pack = tmp_path / "day.deskpack"
    assert run(db, "pack", "export", "2026-11-16", "--out", str(pack),
               as_staff="S001").returncode == 0
    assert run(db, "pack", "decide", str(pack), "A-20261116-0001", "approve",
               as_staff="S001").returncode == 0
    with zipfile.ZipFile(pack) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["decisions.json"] = members["decisions.json"].replace(b"approved", b"returned")
    with zipfile.ZipFile(pack, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    before = db.read_bytes()
    result = run(db, "pack", "import", str(pack), as_staff="S001")
    assert result.returncode == 2
    assert "decisions.json" in result.stderr and "SHA-256" in result.stderr
    assert db.read_bytes() == before


def test_reports_and_the_follow_up_queue(db, tmp_path):
    out = tmp_path / "week.pdf"
    result = run(db, "report", "week", "2026-11-18", "--out", str(out), as_staff="S001")
    assert result.returncode == 0, result.stderr
    assert out.read_bytes().startswith(b"%PDF")
    assert run(db, "report", "day", "2026-11-16", "--out", str(tmp_path / "d.xlsx"),
               as_staff="S001").returncode == 0
    assert run(db, "report", "week", "2026-11-16", "--out", str(tmp_path / "w.pdf"),
               as_staff="C001").returncode == 2            # clerks have no reports privilege
    queue = run(db, "followup", "list")
    assert "2 follow-ups to do" in queue.stdout
    call = run(db, "followup", "call", "A-20261116-0001", "--reached", "--satisfaction", "4",
               "--comment", "fine", as_staff="C001")
    assert call.returncode == 0, call.stderr
    assert "1 follow-ups to do" in run(db, "followup", "list").stdout
