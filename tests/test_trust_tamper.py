"""Nothing altered unseen: every kind of tampering with plain sqlite3 — edits of each table that
holds a decision, and forgeries by someone who knows the log's algorithm and rebuilds its
hashes — is caught by ``desk audit verify``, the forgeries given an anchor newer than the
change (a head written down, or the anchor folder's journal)."""
from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from desk import audit
from desk.audit.anchor_check import check_folder, check_head
from desk.audit.anchors import Head, parse_head
from desk.audit.coverage import unclassified
from desk.corrective import open_root_cause, record_chargeback
from desk.errors import ValidationError
from desk.followup import pause
from desk.model import Base, Setting
from desk.packs import export_pack
from desk.review import close_day, decide
from desk.services import handling
from desk.store import Store
from tests.review_support import at, make_case

D1, D2 = "2026-11-16", "2026-11-17"


def _store(path, folder) -> Store:
    from desk.store_policy import ensure_store_policy
    store = Store("sqlite:///" + path.as_posix())
    store.use_anchor_folder(folder)
    ensure_store_policy(store)
    return store


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, policy):
    """A store holding one row of every kind of decision, its anchor journal, and its head."""
    from tests.conftest import make_team
    base = tmp_path_factory.mktemp("tamper")
    path, folder = base / "desk.sqlite3", base / "anchors"
    store = _store(path, folder)
    team = make_team(store, policy)
    sup = team.supervisor
    first = make_case(store, policy, team.clerk, at(D1, "10:00"), stage="closed",
                      offer=("voucher", "800", ("V1",)), approver=sup, closer=sup)
    second = make_case(store, policy, team.clerk, at(D2, "10:00"), stage="in_progress")
    now = at(D2, "18:00")
    with store.write(sup) as s:
        record_chargeback(s, policy, sup, first, "800", "shoe glue", now=now)
        decide(s, policy, first, sup, "approved", now=now)
        close_day(s, policy, sup, "A", at(D1, "00:00").date(), now=now)
        open_root_cause(s, policy, sup, [first, second], "Glue", "Soles come off", now=now)
        pause(s, policy, second, sup, "customer", "away", now=now)
        handling.add_attachment(s, second, sup, b"\x89PNG photo", "sole.png", now=now)
        s.add(Setting(key="mall_name", value="Sunrise Plaza"))
    with store.write(sup) as s:
        export_pack(s, policy, sup, at(D2, "00:00").date(), base / "day.zip", "A", now=now)
    with store.read() as s:
        report = audit.verify(s)
        head = audit.tail_of(s.connection())
    assert report.ok, report.first and report.first.message
    store.close()
    return path, folder, Head(*head), (first, second)


@pytest.fixture
def copy(prepared, tmp_path):
    path, folder, head, numbers = prepared
    shutil.copy(path, tmp_path / "desk.sqlite3")
    shutil.copytree(folder, tmp_path / "anchors")
    return tmp_path / "desk.sqlite3", tmp_path / "anchors", head, numbers


def tamper(path, *statements) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA foreign_keys = OFF")
    with conn:
        for sql, *params in statements:
            conn.execute(sql, *params)
    conn.close()


def findings(path, folder=None, head=None) -> list:
    store = Store("sqlite:///" + path.as_posix(), migrate=False)
    try:
        with store.read() as s:
            found = list(audit.verify(s).findings)
            conn = s.connection()
            if head is not None:
                found += [f for f in [check_head(conn, head, "the head")] if f]
            if folder is not None:
                found += check_folder(conn, folder, "the folder")
        return found
    finally:
        store.close()


def entry_of(path, entity, action="insert") -> int:
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute("SELECT min(id) FROM audit_log WHERE entity = ? AND action = ?",
                            (entity, action)).fetchone()[0]
    finally:
        conn.close()


EDITS = {   # kind -> statements run with plain sqlite3; verify alone must catch each
    "entry edited": ["UPDATE audit_log SET after = replace(after, '\"800\"', '\"80\"') "
                     "WHERE entity = 'offer'"],
    "entry deleted": ["DELETE FROM audit_log WHERE id = 20"],
    "entry appended with a made-up hash": [
        "INSERT INTO audit_log (id, at, staff_no, entity, entity_key, action, after, prev_hash, "
        "hash) SELECT max(id) + 1, at, 'A001', 'staff', 'X9', 'insert', '{}', hash, "
        "'ffff' FROM audit_log"],
    "entries swapped": ["UPDATE audit_log SET id = -1 WHERE id = 10",
                        "UPDATE audit_log SET id = 10 WHERE id = 11",
                        "UPDATE audit_log SET id = 11 WHERE id = -1"],
    "entry's actor changed": ["UPDATE audit_log SET staff_no = 'A001' WHERE id = 30"],
    "entry's time changed": ["UPDATE audit_log SET at = '2020-01-01 00:00:00.000000' "
                             "WHERE id = 30"],
    "tail cut off": ["DELETE FROM audit_log WHERE id > (SELECT max(id) - 3 FROM audit_log)"],
    "customer's phone edited": ["UPDATE complaint_case SET customer_phone = '0900'"],
    "case status changed": ["UPDATE complaint_case SET status = 'closed'"],
    "case deleted": ["DELETE FROM complaint_case WHERE id = 2"],
    "offer amount raised": ["UPDATE offer SET amount = 8000"],
    "offer approver changed": ["UPDATE offer SET approver_id = 1"],
    "clerk promoted": ["UPDATE staff SET role = 'general_manager' WHERE staff_no = 'C001'"],
    "PIN hash swapped": ["UPDATE staff SET pin_hash = (SELECT pin_hash FROM staff "
                         "WHERE staff_no = 'C001') WHERE staff_no = 'A001'"],
    "staff added": ["INSERT INTO staff (staff_no, name, role, pin_hash, active, failed_pins, "
                    "created_at) SELECT 'Z9', 'x', 'general_manager', pin_hash, 1, 0, "
                    "created_at FROM staff WHERE staff_no = 'A001'"],
    "step deleted": ["DELETE FROM step_record WHERE id = 1"],
    "status change deleted": ["DELETE FROM status_change WHERE id = 1"],
    "setting edited": ["UPDATE setting SET value = 'Other Mall'"],
    "store policy edited": ["UPDATE store_policy SET text = text || ' '"],
    "attachment repointed": ["UPDATE attachment SET sha256 = '" + "0" * 64 + "'"],
    # the tables verify used to log but never compare, or not log at all
    "review decision changed": ["UPDATE review SET decision = 'returned'"],
    "review deleted": ["DELETE FROM review"],
    "pause deleted (clock resumed)": ["DELETE FROM pause"],
    "pause time left raised": ["UPDATE pause SET remaining_s = remaining_s + 86400"],
    "chargeback lowered": ["UPDATE chargeback SET amount = 1"],
    "root cause marked verified": ["UPDATE root_cause SET verified_at = created, "
                                   "verified_by_id = 1".replace("created", "opened_at")],
    "day close deleted (day reopened)": ["DELETE FROM day_close"],
    "day close lifted": ["UPDATE day_close SET reopened_at = closed_at"],
    "exported pack's digest changed": ["UPDATE pack_export SET content_sha256 = '" + "1" * 64 +
                                       "'"],
    "case counter set back": ["UPDATE case_sequence SET last = last - 1"],
    "stored photo replaced": ["UPDATE attachment_blob SET data = X'00'"],
}


@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_behind_the_programs_back_is_caught(copy, kind):
    path, _folder, _head, _numbers = copy
    tamper(path, *[(sql,) for sql in EDITS[kind]])
    found = findings(path)
    assert found, kind
    assert all(f.message for f in found)


def _photo_added(store, _policy, numbers):
    from desk.services.auth import actor_for
    with store.write(system="test") as s:
        handling.add_attachment(s, numbers[1], actor_for(s, "S001"), b"\x89PNG more", "heel.png",
                                now=at(D2, "19:00"))


def _setting_set_again(store, _policy, _numbers):
    with store.write(system="test") as s:
        s.get(Setting, "mall_name").value = "Sunrise Plaza East"


CARRIED_ON = {   # kind -> (edit with plain sqlite3, an ordinary write through the program after it)
    "customer's phone edited, then a photo added to the case": (
        "UPDATE complaint_case SET customer_phone = '0900-000-000' WHERE id = 2", _photo_added,
        "case", "customer_phone"),
    "setting edited, then set again through the program": (
        "UPDATE setting SET value = 'Other Mall'",
        _setting_set_again, "setting", "value"),
}


@pytest.mark.parametrize("kind", list(CARRIED_ON))
def test_an_edit_carried_on_by_a_later_ordinary_write_is_caught(copy, policy, kind):
    """The later entry's "before" holds the edited value: verify compares it with what the
    row's previous entry left, so the write does not launder the edit."""
    path, folder, _head, numbers = copy
    sql, write, entity, field = CARRIED_ON[kind]
    tamper(path, (sql,))
    store = _store(path, folder)
    write(store, policy, numbers)
    store.close()
    found = [(f.kind, f.entity, f.fields) for f in findings(path)]
    assert ("continuity", entity, (field,)) in found, (kind, found)


# --- forgeries: the log rebuilt by someone who knows its algorithm ---------------------------

def _at(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def rehash(conn, renumber: bool = False) -> None:
    """Recompute every hash (renumbering entries 1..n first), as a forger would."""
    if renumber:
        ids = [r[0] for r in conn.execute("SELECT id FROM audit_log ORDER BY id")]
        for new, old in enumerate(ids, 1):
            conn.execute("UPDATE audit_log SET id = ? WHERE id = ?", (-new, old))
        conn.execute("UPDATE audit_log SET id = -id")
    prev = audit.GENESIS
    for row in conn.execute("SELECT id, at, staff_no, entity, entity_key, case_no, action, "
                            "before, after FROM audit_log ORDER BY id").fetchall():
        digest = audit.entry_hash(prev, row[0], _at(row[1]), *row[2:])
        conn.execute("UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, row[0]))
        prev = digest


def forge(path, *statements, renumber=False) -> None:
    conn = sqlite3.connect(str(path))
    conn.execute("PRAGMA foreign_keys = OFF")
    with conn:
        for sql in statements:
            conn.execute(sql)
        rehash(conn, renumber)
    conn.close()


def _forged_entry(entity, key, before, after, action="update") -> str:
    return ("INSERT INTO audit_log (id, at, staff_no, entity, entity_key, action, before, "
            f"after, prev_hash, hash) SELECT max(id) + 1, max(at), 'A001', '{entity}', '{key}', "
            f"'{action}', {before}, {after}, '', '' FROM audit_log")


FORGERIES = {
    "an offer's amount and its entries rewritten": (
        "UPDATE offer SET amount = 80",
        "UPDATE audit_log SET after = replace(after, '\"800\"', '\"80\"'), "
        "before = replace(before, '\"800\"', '\"80\"')"),
    "a review and its entries removed": (
        "DELETE FROM review", "DELETE FROM audit_log WHERE entity = 'review'"),
    "a closed day and its entries removed": (
        "DELETE FROM day_close", "DELETE FROM audit_log WHERE entity = 'day_close'"),
    "who approved rewritten in every entry": (
        "UPDATE audit_log SET staff_no = 'M001' WHERE staff_no = 'S001'",),
    "an entry's time moved and all later hashes rebuilt": (
        "UPDATE audit_log SET at = '2026-11-01 00:00:00.000000' WHERE id = 40",),
    "the tail truncated and its rows put back": (
        "DELETE FROM audit_log WHERE id > (SELECT max(id) - 2 FROM audit_log)",),
}


@pytest.mark.parametrize("kind", list(FORGERIES))
def test_a_forgery_that_rebuilds_the_chain_is_caught_by_a_newer_anchor(copy, kind):
    path, folder, head, _numbers = copy
    renumber = "removed" in kind
    forge(path, *FORGERIES[kind], renumber=renumber)
    if "truncated" not in kind:
        assert not [f for f in findings(path) if f.kind in ("gap", "link", "hash")]
    assert any(f.kind in ("anchor", "anchor_missing") for f in findings(path, head=head)), kind
    assert findings(path, folder=folder), kind


def test_a_forged_entry_appended_after_the_last_anchor_is_caught_by_the_folder(copy):
    path, folder, head, _numbers = copy
    forge(path, "UPDATE staff SET role = 'general_manager' WHERE staff_no = 'C001'",
          _forged_entry("staff", "C001",
                        "(SELECT after FROM audit_log WHERE entity='staff' AND entity_key='C001')",
                        "replace((SELECT after FROM audit_log WHERE entity='staff' AND "
                        "entity_key='C001'), '\"clerk\"', '\"general_manager\"')"))
    assert findings(path) == []                    # self-consistent: a true forgery
    assert check_is_clean(path, head)              # the older head still matches
    assert [f.kind for f in findings(path, folder=folder)] == ["unanchored"]


def test_a_forged_entry_slipped_between_two_desk_writes_is_caught_by_the_folder(copy, policy):
    path, folder, _head, _numbers = copy
    forge(path, "UPDATE setting SET value = 'Forged Mall'",
          _forged_entry("setting", "mall_name",
                        "(SELECT after FROM audit_log WHERE entity='setting')",
                        "replace((SELECT after FROM audit_log WHERE entity='setting'), "
                        "'Sunrise Plaza', 'Forged Mall')"))
    store = _store(path, folder)
    with store.write(system="test") as s:           # a desk writes on after the forgery
        s.add(Setting(key="currency_note", value="TWD"))
    store.close()
    found = findings(path, folder=folder)
    assert [f.kind for f in found] == ["unanchored"]
    assert found[0].entry_id == found[0].entry_id and found[0].detail


def test_a_forgery_replacing_the_whole_log_from_an_entry_on_is_caught(copy):
    path, folder, head, _numbers = copy
    forge(path, "DELETE FROM audit_log WHERE id > (SELECT max(id) / 2 FROM audit_log)",
          "UPDATE setting SET value = 'x'")          # rows no longer matching: caught too
    assert any(f.kind == "anchor_missing" for f in findings(path, head=head))
    assert findings(path, folder=folder)


def check_is_clean(path, head) -> bool:
    return not [f for f in findings(path, head=head) if f.kind.startswith("anchor")]


def test_the_tamper_suite_counts_37_kinds():
    forgeries = len(FORGERIES) + 3
    assert len(EDITS) + len(CARRIED_ON) + forgeries >= 39 and forgeries >= 9


# --- every table answered for; heads -----------------------------------------------------------

def test_every_table_is_audited_checked_or_derived(tmp_path):
    """Every module of desk imported first: a module registering its own table's audit
    (or declaring a new model) is taken into account however the test run began."""
    import importlib
    import pkgutil

    from sqlalchemy import inspect

    import desk
    for module in pkgutil.walk_packages(desk.__path__, "desk."):
        if ".migrations" not in module.name and module.name != "desk.__main__":
            importlib.import_module(module.name)
    store = Store("sqlite:///" + (tmp_path / "s.sqlite3").as_posix())
    try:
        names = set(inspect(store.engine).get_table_names()) | set(Base.metadata.tables)
    finally:
        store.close()
    assert unclassified(names) == [], "add the new table to desk/audit/coverage.py"
    assert unclassified(["a_new_table"]) == ["a_new_table"]


@pytest.mark.parametrize("text", ["", "12", "x:abcdef12", "0:abcdef12", "12:abc", "1:zzzzzzzz"])
def test_a_malformed_head_is_refused_naming_the_field(text):
    with pytest.raises(ValidationError) as caught:
        parse_head(text)
    assert caught.value.field == "head"


def test_desk_audit_verify_head_catches_a_rewrite_and_passes_an_intact_log(copy):
    from desk.cli import main
    path, folder, head, _numbers = copy
    assert main(["--db", str(path), "audit", "verify", "--head", head.short]) == 0
    forge(path, *FORGERIES["who approved rewritten in every entry"])
    assert main(["--db", str(path), "audit", "verify"]) == 0       # self-consistent
    assert main(["--db", str(path), "audit", "verify", "--head", head.short]) == 1
    assert main(["--db", str(path), "audit", "verify", "--head", "nonsense"]) == 2


def test_the_day_pack_carries_the_head(prepared):
    import json
    import zipfile
    path, _folder, _head, _numbers = prepared
    with zipfile.ZipFile(path.parent / "day.zip") as pack:
        manifest = json.loads(pack.read("manifest.json"))
    parse_head(manifest["audit_head"])


def test_a_restore_is_journalled_so_the_folder_still_agrees(copy, tmp_path):
    """A restore takes the history back to the backup's; the anchor folder learns so (its
    first unit afterwards resets what came later) instead of reporting a rewrite."""
    from desk.backup import backup_to, restore
    path, folder, head, _numbers = copy
    saved = backup_to(path, tmp_path / "saved.sqlite3").path
    store = _store(path, folder)
    with store.write(system="test") as s:          # acknowledged after the backup
        s.add(Setting(key="after_backup", value="x"))
    store.close()
    restore(path, saved, staff_no="A001", anchor_folder=folder)
    assert findings(path, folder=folder, head=head) == []


def test_the_day_close_prints_the_head_that_verify_then_checks(tmp_path, policy, capsys):
    from desk.cli import main
    from tests.conftest import PINS, make_team
    path = tmp_path / "close.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    team = make_team(store, policy)
    case_no = make_case(store, policy, team.clerk, at(D1, "10:00"), stage="closed",
                        closer=team.supervisor)
    with store.write(team.supervisor) as s:
        decide(s, policy, case_no, team.supervisor, "approved", now=at(D1, "18:00"))
    store.close()
    signed = ["--db", str(path), "--locale", "en", "--as", "S001", "--pin", PINS["S001"]]
    capsys.readouterr()
    assert main(signed + ["close-day", D1, "--desk", "A"]) == 0
    printed = capsys.readouterr().out
    head = parse_head(printed.split("audit head ")[1].split(":", 2)[0] + ":" +
                      printed.split("audit head ")[1].split(":", 2)[1])
    assert main(["--db", str(path), "audit", "head"]) == 0
    assert f"{head.entry}:{head.hash}" in capsys.readouterr().out
    assert main(["--db", str(path), "audit", "verify", "--head", str(head)]) == 0
    tamper(path, ("DELETE FROM day_close",))          # the closed day silently reopened
    assert main(["--db", str(path), "audit", "verify", "--head", str(head)]) == 1
    assert "day close" in capsys.readouterr().err


@pytest.fixture(autouse=True)
def _messages_in_english(monkeypatch):
    """The messages checked here are the English ones; the bundled catalogs translate them."""
    from desk.i18n import using_locale
    monkeypatch.setenv("DESK_LOCALE", "en")
    with using_locale("en"):
        yield
