"""The `desk` command through a real subprocess: set-up, import/export, and bad input that
must exit 2 with one line naming the field while leaving the store byte-for-byte unchanged."""
from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PINS
from tests.helpers import run_desk

STAFF = [("A001", "general_manager", "王大同"), ("C001", "clerk", "陳美玲"),
         ("S001", "supervisor", "林志明")]


run = run_desk


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    db = tmp_path_factory.mktemp("cli") / "desk.sqlite3"
    assert run(db, "init").returncode == 0
    for i, (staff_no, role, name) in enumerate(STAFF):
        actor = None if i == 0 else "A001"
        result = run(db, "staff", "add", staff_no, "--role", role, "--name", name, "--pin",
                     PINS[staff_no], as_staff=actor)
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def db(base_store, tmp_path):
    copy = tmp_path / "desk.sqlite3"
    copy.write_bytes(base_store.read_bytes())
    return copy


def document(**changes) -> dict:
    doc = {
        "desk": "A", "received_at": "2026-11-22T14:05:00+08:00", "channel": "counter",
        "recorder": "C001", "customer": {"name": "李大華", "phone": "0912-345-678"},
        "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
        "complaint": "鞋子一週就開膠", "request": "換新", "motive": "compensation", "severity": 1,
        "steps": [{"step": s, "at": f"2026-11-22T14:{10 + i:02d}:00+08:00", "by": "C001"}
                  for i, s in enumerate(["listen", "thank", "apologise"])]
        + [{"step": "commit", "at": "2026-11-22T14:13:00+08:00", "by": "C001",
            "promised_reply_at": "2026-11-22T16:00:00+08:00"},
           {"step": "propose", "at": "2026-11-22T14:14:00+08:00", "by": "C001"},
           {"step": "confirm", "at": "2026-11-22T14:20:00+08:00", "by": "C001"}],
        "offers": [{"kind": "voucher", "amount": "800", "serials": ["V1001"], "by": "C001",
                    "at": "2026-11-22T14:15:00+08:00", "answer": "accepted",
                    "answered_at": "2026-11-22T14:16:00+08:00",
                    "approval": {"by": "S001", "pin": PINS["S001"]}}],
        "resolution": {"at": "2026-11-22T14:21:00+08:00", "by": "C001",
                       "handling_result": "禮券800元", "validity": "founded"},
        "closure": {"at": "2026-11-22T18:00:00+08:00", "by": "S001", "pin": PINS["S001"],
                    "recipient": "李大華"},
    }
    doc.update(changes)
    return doc


def write(tmp_path: Path, data, name="case.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return path


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def test_import_export_show_and_day(db, tmp_path):
    result = run(db, "case", "import", str(write(tmp_path, [document(), document()])),
                 as_staff="C001")
    assert result.returncode == 0, result.stderr
    assert "A-20261122-0001" in result.stdout and "A-20261122-0002" in result.stdout
    day = json.loads(run(db, "day", "2026-11-22", "--json").stdout)
    assert [r["status"] for r in day] == ["closed", "closed"]
    assert day[0]["total"] == "800.00"
    exported = json.loads(run(db, "case", "export", "A-20261122-0001").stdout)
    assert exported["offers"][0]["approval"]["by"] == "S001"
    assert "pin" not in exported["offers"][0]["approval"]
    assert exported["closure"]["by"] == "S001"
    shown = run(db, "case", "show", "A-20261122-0001", locale="zh_TW")
    assert shown.returncode == 0 and "李大華" in shown.stdout and "NT$800" in shown.stdout


def test_export_then_import_elsewhere_round_trips(db, tmp_path):
    run(db, "case", "import", str(write(tmp_path, document())), as_staff="C001")
    out = tmp_path / "out.json"
    # exported by someone who may see personal data: the document goes out whole
    assert run(db, "case", "export", "A-20261122-0001", "--out", str(out),
               as_staff="S001").returncode == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    doc.pop("case_no")
    # The importer's own actions come back as theirs; the supervisor's approval and closure
    # only with the supervisor's PIN (docs/case-format.md: round trips).
    doc["offers"][0]["approval"]["pin"] = PINS["S001"]
    doc["closure"]["pin"] = PINS["S001"]
    result = run(db, "case", "import", str(write(tmp_path, doc, "again.json")), as_staff="C001")
    assert result.returncode == 0, result.stderr
    again = json.loads(run(db, "case", "export", "A-20261122-0002", as_staff="S001").stdout)
    for key in ("customer", "steps", "resolution", "closure", "status"):
        assert again[key] == json.loads(out.read_text(encoding="utf-8"))[key]


BAD_INPUTS = {
    "missing field": (lambda d: d["customer"].pop("name"), "customer name"),
    "unknown category": (lambda d: d.update(category="aliens"), "category"),
    "negative amount": (lambda d: d["offers"][0].update(amount="-5"), "amount"),
    "non-numeric amount": (lambda d: d["offers"][0].update(amount="lots"), "amount"),
    "beyond authority": (lambda d: d["offers"][0].pop("approval"), "amount"),
    "unknown staff": (lambda d: d.update(recorder="Z999"), "recorder"),
    "wrong PIN": (lambda d: d["offers"][0]["approval"].update(pin="0000"), "PIN"),
    "1 MB of text": (lambda d: d.update(complaint="字" * 1_000_000), "complaint text"),
    "naive time": (lambda d: d.update(received_at="2026-11-22T14:05:00"), "received time"),
    "steps out of order": (lambda d: d["steps"].pop(1), "step"),
    "second case bad": (None, "case document 2"),
}


@pytest.mark.parametrize("name", list(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_and_store_unchanged(db, tmp_path, name):
    change, expected = BAD_INPUTS[name]
    doc = document()
    if change:
        change(doc)
        payload = doc
    else:
        payload = [document(), document(category="aliens")]
    before, rows_before = digest(db), rows_without_pin_counts(db)
    result = run(db, "case", "import", str(write(tmp_path, payload)), as_staff="C001")
    assert result.returncode == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0]
    if name == "wrong PIN":   # counted toward lock-out, like a wrong PIN at sign-in
        assert rows_without_pin_counts(db) == rows_before
        assert sqlite3.connect(db).execute(
            "SELECT failed_pins FROM staff WHERE staff_no = 'S001'").fetchone() == (1,)
    else:
        assert digest(db) == before


def rows_without_pin_counts(db: Path) -> list:
    """Every row of every table, the staff's wrong-PIN counters (and their audit entries)
    left out."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        rows = []
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})")
                       if not (table == "staff" and r[1] in ("failed_pins", "first_failed_at",
                                                             "locked_until"))]
            only = " WHERE entity <> 'staff'" if table == "audit_log" else ""
            rows.append((table, conn.execute(
                f"SELECT {', '.join(columns)} FROM {table}{only} ORDER BY 1").fetchall()))
        return rows
    finally:
        conn.close()


def test_malformed_json_and_missing_file(db, tmp_path):
    before = digest(db)
    result = run(db, "case", "import", str(write(tmp_path, '{"desk": "A",')), as_staff="C001")
    assert result.returncode == 2 and "JSON" in result.stderr
    result = run(db, "case", "import", str(tmp_path / "nope.json"), as_staff="C001")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert digest(db) == before


def test_errors_speak_the_chosen_language(db):
    result = run(db, "case", "show", "A-20990101-0001", locale="zh_TW")
    assert result.returncode == 2
    assert "A-20990101-0001" in result.stderr and "no case" not in result.stderr


def test_staff_add_needs_an_administrator(db):
    result = run(db, "staff", "add", "C009", "--role", "clerk", "--name", "x", "--pin", "1594",
                 as_staff="C001")
    assert result.returncode == 2
    listed = run(db, "staff", "list", locale="en").stdout
    assert "C009" not in listed and "Clerk" in listed


def test_init_demo_and_version(tmp_path):
    db = tmp_path / "demo.sqlite3"
    result = run(db, "init", "--demo", "40")
    assert result.returncode == 0, result.stderr
    assert "C001" in result.stdout and "4821" in result.stdout
    version = subprocess.run([sys.executable, "-m", "desk.cli", "--version"], capture_output=True,
                             text=True)
    assert version.stdout.startswith("desk ")


def test_a_reader_that_stops_early_is_not_an_error(db):
    """`desk staff list | head -1`: the reader closes the pipe before the listing is written;
    the command ends quietly instead of printing a broken-pipe error."""
    proc = subprocess.Popen([sys.executable, "-m", "desk.cli", "--db", str(db), "staff", "list"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    stderr = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()
    assert proc.wait(timeout=60) == 0
    assert stderr == ""


def test_output_is_utf8_where_the_system_code_page_has_no_chinese(db):
    """Windows writes redirected output in its ANSI code page (cp1252 in English); the
    command must still list Chinese names instead of dying with UnicodeEncodeError."""
    import os
    env = dict(os.environ, PYTHONIOENCODING="cp1252", DESK_LOCALE="zh_TW")
    result = subprocess.run([sys.executable, "-m", "desk.cli", "--db", str(db), "staff", "list"],
                            capture_output=True, env=env, timeout=60)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    assert "陳美玲" in result.stdout.decode("utf-8")
