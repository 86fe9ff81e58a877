"""Only the store's own policy governs a store. A clerk's policy file giving clerks the top
role's rights (``--policy``, or the bundled file edited behind the program's back) changes
nothing: adding staff, purging, reopening a closed day and granting cash stay refused, exit 2,
the store's content unchanged. Replacing the store's policy is a signed-in, audited change
by a role with the "policy" privilege, and a policy that would lock the store out is refused.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import MetaData, create_engine, select

import desk.policy
from desk.cli import main
from desk.errors import AuthorityError, PolicyError, ValidationError
from desk.i18n import set_locale
from desk.model import StorePolicy
from desk.policy import read_policy_text
from desk.store import Store
from desk.store_policy import (KEY, apply_policy, ensure_store_policy, load_store_policy,
                               policy_from_store_text, policy_record)
from tests.conftest import PINS
from tests.helpers import desk_cli, run_desk

STAFF = [("A001", "general_manager", "王大同"), ("O001", "operations_manager", "劉怡君"),
         ("S001", "supervisor", "林志明"), ("C001", "clerk", "陳美玲")]
CLOSED_DAY = "2026-11-20"
ALL_PRIVILEGES = '["close", "review", "personal_data", "reports", "reopen_day", "admin", ' \
                 '"top", "policy"]'


def evil_text() -> str:
    """The bundled policy with the clerk made the top role: every kind, every privilege, no
    limits, the highest rank."""
    clerk = f'[roles.clerk]\nrank = 99\nkinds = "all"\nprivileges = {ALL_PRIVILEGES}\n\n'
    text, count = re.subn(r"\[roles\.clerk\].*?\n\n", clerk, read_policy_text(), flags=re.S)
    assert count == 1
    return text


def cash_document() -> dict:
    at = "2026-11-22T14:{:02d}:00+08:00".format
    return {
        "desk": "A", "received_at": at(5), "channel": "counter", "recorder": "C001",
        "customer": {"name": "李大華", "phone": "0912-345-678"},
        "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
        "complaint": "鞋子一週就開膠", "request": "賠償", "motive": "compensation",
        "severity": 1,
        "steps": [{"step": s, "at": at(10 + i), "by": "C001"}
                  for i, s in enumerate(["listen", "thank", "apologise"])]
        + [{"step": "commit", "at": at(13), "by": "C001", "promised_reply_at": at(50)},
           {"step": "propose", "at": at(14), "by": "C001"}],
        "offers": [{"kind": "cash", "amount": "90000", "by": "C001", "at": at(15),
                    "answer": "accepted", "answered_at": at(16)}],
    }


def content(db: Path) -> dict[str, list]:
    """Every row of every table, as text: what "the store is unchanged" compares."""
    engine = create_engine("sqlite:///" + db.as_posix())
    try:
        meta = MetaData()
        meta.reflect(engine)
        with engine.connect() as conn:
            return {t.name: sorted(tuple(map(str, row)) for row in conn.execute(select(t)))
                    for t in meta.sorted_tables}
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def base_store(tmp_path_factory):
    """A store made by `desk init`, its staff, and a day closed by a supervisor (the command
    in this process; test_a_new_store_starts_... runs `desk init` as its own process)."""
    db = tmp_path_factory.mktemp("policy") / "desk.sqlite3"
    assert desk_cli(db, "init").returncode == 0
    for i, (staff_no, role, name) in enumerate(STAFF):
        result = desk_cli(db, "staff", "add", staff_no, "--role", role, "--name", name,
                          "--pin", PINS[staff_no], as_staff=None if i == 0 else "A001")
        assert result.returncode == 0, result.stderr
    closed = desk_cli(db, "close-day", CLOSED_DAY, "--desk", "A", as_staff="S001")
    assert closed.returncode == 0, closed.stderr
    return db


@pytest.fixture
def db(base_store, tmp_path):
    copy = tmp_path / "desk.sqlite3"
    copy.write_bytes(base_store.read_bytes())
    return copy


@pytest.fixture
def files(tmp_path) -> dict[str, Path]:
    evil = tmp_path / "evil.toml"
    evil.write_text(evil_text(), encoding="utf-8")
    cash = tmp_path / "cash.json"
    cash.write_text(json.dumps(cash_document(), ensure_ascii=False), encoding="utf-8")
    return {"evil": evil, "cash": cash}


ATTACKS = {   # what the clerk tries, and a word the refusal must contain (the store's rule)
    "add a general manager": (["staff", "add", "G999", "--role", "general_manager", "--name",
                               "假總經理", "--pin", "9999"], "administrator"),
    "purge": (["purge", "--before", "2026-12-01"], "administrator"),
    "reopen a closed day": (["reopen-day", CLOSED_DAY, "--desk", "A", "--reason", "改帳"],
                            "store manager"),
    "grant 90,000 cash": (["case", "import", "{cash}"], "authority"),
    "apply the file": (["policy", "apply", "{evil}", "--reason", "clerks run the store"],
                       "policy"),
}


def _args(args: list[str], files: dict[str, Path]) -> list[str]:
    return [a.format(**{k: str(v) for k, v in files.items()}) for a in args]


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_an_evil_policy_option_is_refused_and_changes_nothing(db, files, attack):
    before = content(db)
    args, _word = ATTACKS[attack]
    result = desk_cli(db, "--policy", str(files["evil"]), *_args(args, files), as_staff="C001")
    assert result.returncode == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "--policy" in lines[0] and "desk policy check" in lines[0]
    assert content(db) == before


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_without_the_option_the_stores_policy_refuses_the_clerk(db, files, attack):
    before = content(db)
    args, word = ATTACKS[attack]
    result = desk_cli(db, *_args(args, files), as_staff="C001")
    assert result.returncode == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and word in lines[0], result.stderr
    assert content(db) == before


def test_an_edited_bundled_file_does_not_change_a_stores_policy(db, files, monkeypatch,
                                                                capsys):
    """A program update or an edit behind the program's back: the store keeps its own
    policy in force, `desk policy show` and `check` say the bundled file differs."""
    base = ["--db", str(db), "--locale", "en"]
    as_clerk = ["--as", "C001", "--pin", PINS["C001"]]
    stored = policy_record_of(db)
    monkeypatch.setattr(desk.policy, "default_policy_path", lambda: files["evil"])
    before = content(db)
    for attack, (args, _word) in ATTACKS.items():
        assert main(base + as_clerk + _args(args, files)) == 2, attack
    assert content(db) == before
    capsys.readouterr()
    assert main(base + ["policy", "show"]) == 0
    shown = capsys.readouterr().out
    assert stored.sha256 in shown and "bundled policy file differs" in shown
    assert "roles.clerk.rank: store 1 -> bundled 99" in shown
    assert main(base + ["policy", "check", str(files["evil"])]) == 0
    assert "roles.clerk.privileges" in capsys.readouterr().out
    assert policy_record_of(db) == stored


def policy_record_of(db: Path):
    store = Store("sqlite:///" + db.as_posix())
    try:
        with store.read() as session:
            return policy_record(session)
    finally:
        store.close()


@pytest.mark.parametrize("staff_no", ["C001", "S001"])
def test_below_the_policy_privilege_apply_is_refused(db, tmp_path, staff_no):
    kinder = tmp_path / "kinder.toml"
    kinder.write_text(read_policy_text().replace("per_case = 500\n", "per_case = 600\n"),
                      encoding="utf-8")
    before = content(db)
    result = desk_cli(db, "policy", "apply", str(kinder), "--reason", "more for clerks",
                      as_staff=staff_no)
    assert result.returncode == 2 and "policy" in result.stderr, result.stderr
    assert content(db) == before


def test_the_privileged_role_applies_a_policy_audited_with_who_and_why(db, tmp_path):
    kinder = tmp_path / "kinder.toml"
    text = read_policy_text().replace("per_case = 500\n", "per_case = 600\n")
    kinder.write_text(text, encoding="utf-8")
    checked = desk_cli(db, "policy", "check", str(kinder))
    assert checked.returncode == 0 and "roles.clerk.per_case: store 500 -> file 600" in \
        checked.stdout, checked.stderr
    applied = desk_cli(db, "policy", "apply", str(kinder), "--reason", "clerks may give 600",
                       as_staff="O001")
    assert applied.returncode == 0, applied.stderr
    shown = desk_cli(db, "policy", "show")
    assert "劉怡君 (O001)" in shown.stdout and "clerks may give 600" in shown.stdout
    assert desk_cli(db, "policy", "show", "--text").stdout == text
    assert desk_cli(db, "audit", "verify", as_staff="A001").returncode == 0
    log = content(db)["audit_log"]
    changes = [row for row in log if row[3] == "store_policy"]   # id, at, staff_no, entity
    assert [(row[2], row[6]) for row in sorted(changes, key=lambda r: int(r[0]))] == [
        ("None", "insert"), ("O001", "update")]
    again = desk_cli(db, "policy", "apply", str(kinder), "--reason", "again", as_staff="O001")
    assert again.returncode == 2 and "already runs this policy" in again.stderr


def test_check_and_apply_name_the_key_of_a_bad_file_and_change_nothing(db, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(read_policy_text().replace("per_day = 3000\n", "per_day = \"lots\"\n"),
                   encoding="utf-8")
    before = content(db)
    for args, staff_no in ((["policy", "check", str(bad)], None),
                           (["policy", "apply", str(bad), "--reason", "x"], "O001")):
        result = desk_cli(db, *args, as_staff=staff_no)
        assert result.returncode == 2 and "roles.clerk.per_day" in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert content(db) == before


def test_a_new_store_starts_with_the_bundled_policy_set_by_the_system(tmp_path):
    db = tmp_path / "new.sqlite3"
    assert run_desk(db, "init").returncode == 0
    shown = desk_cli(db, "policy", "show")
    assert "system: store created" in shown.stdout and "is the same" in shown.stdout


# --- the rules of a change, on each back end --------------------------------------------------

def _rows(store) -> dict:
    with store.read() as session:
        row = session.get(StorePolicy, KEY)
        return {c: getattr(row, c) for c in ("text", "sha256", "set_by", "reason")}


LOCK_OUTS = {
    "no role may change the policy again": (
        lambda t: re.sub(r',\s*"policy"', "", t), PolicyError, "roles"),
    "a role staff still hold is removed": (
        lambda t: re.sub(r"\[roles\.store_manager\].*?\n\n", "", t, flags=re.S), PolicyError,
        "roles.store_manager"),
    "a key with a bad value": (lambda t: t.replace("per_case = 500\n", "per_case = -1\n"),
                               PolicyError, "roles.clerk.per_case"),
    "an unknown privilege": (lambda t: t.replace('privileges = []', 'privileges = ["god"]'),
                             PolicyError, "roles.clerk.privileges"),
    "not TOML": (lambda t: t + "\n[[[", PolicyError, "TOML"),
    "the same policy": (lambda t: t, ValidationError, "already runs"),
}


@pytest.mark.parametrize("case", list(LOCK_OUTS))
def test_a_policy_that_would_break_the_store_is_refused(store, policy, team, case):
    set_locale("en")
    ensure_store_policy(store)
    before = _rows(store)
    change, error, word = LOCK_OUTS[case]
    text = change(read_policy_text())
    with pytest.raises(error, match=re.escape(word)):
        with store.write(team.gm) as session:
            apply_policy(session, team.gm, text, "testing")
    assert _rows(store) == before


def test_apply_needs_the_privilege_and_a_reason(store, policy, team):
    set_locale("en")
    ensure_store_policy(store)
    before = _rows(store)
    text = read_policy_text().replace("per_case = 500\n", "per_case = 600\n")
    for actor, reason, error in ((team.clerk, "x", AuthorityError),
                                 (team.supervisor, "x", AuthorityError),
                                 (team.manager, "x", AuthorityError),
                                 (team.ops, "  ", ValidationError)):
        with pytest.raises(error):
            with store.write(actor) as session:
                apply_policy(session, actor, text, reason)
        assert _rows(store) == before
    with store.write(team.ops) as session:
        apply_policy(session, team.ops, text, "a better season")
    assert load_store_policy(store).roles["clerk"].per_case == 600


def test_a_key_a_newer_program_requires_takes_the_bundled_value_and_nothing_else():
    """A store's text written for an older program lacks a key this program requires: the
    bundled value fills it. An optional key the store leaves out (the clerk's day limit:
    none) stays out, and a role only the bundled file has is not added."""
    bundled = read_policy_text()
    older = re.sub(r"due_soon_hours = \d+[^\n]*\n", "", bundled)
    older = older.replace("per_day = 3000\n", "")
    assert older.count("due_soon_hours") == 0 and older != bundled
    with pytest.raises(PolicyError, match="due_soon_hours"):
        desk.policy.policy_from_text(older)
    governed = policy_from_store_text(older)
    assert governed.due_soon_hours == desk.policy.policy_from_text(bundled).due_soon_hours
    assert governed.roles["clerk"].per_day is None
    with_cashier = bundled.replace("[roles.clerk]\n", "[roles.cashier]\nkinds = []\n\n"
                                   "[roles.clerk]\n")
    with pytest.raises(PolicyError, match="roles.cashier.rank"):
        policy_from_store_text(with_cashier)


def test_the_app_loader_uses_the_stores_policy(store, policy, team, monkeypatch, tmp_path):
    from ui.store_loader import open_store
    ensure_store_policy(store)
    text = read_policy_text().replace("per_case = 500\n", "per_case = 600\n")
    with store.write(team.ops) as session:
        apply_policy(session, team.ops, text, "a better season")
    evil = tmp_path / "evil.toml"
    evil.write_text(evil_text(), encoding="utf-8")
    monkeypatch.setattr(desk.policy, "default_policy_path", lambda: evil)
    opened = open_store(str(store.engine.url.render_as_string(hide_password=False)),
                        "C001", PINS["C001"])
    try:
        clerk = opened.policy.roles["clerk"]
        assert clerk.per_case == 600
        assert clerk.rank == 1 and not clerk.privileges
        assert opened.actor.staff_no == "C001"
    finally:
        opened.store.close()


def test_a_day_pack_carries_the_exporting_stores_policy(store, policy, team, tmp_path):
    from desk import packs
    from desk.pack_review import PackReview
    from tests.helpers import T0, new_case
    ensure_store_policy(store)
    text = read_policy_text().replace('mall_name = ', 'mall_name = "Pack Mall" #', 1)
    with store.write(team.ops) as session:
        apply_policy(session, team.ops, text, "renamed")
    new_case(store, policy, team.clerk)
    governing = load_store_policy(store)
    out = tmp_path / "day.deskpack"
    with store.write(team.supervisor) as session:
        packs.export_pack(session, governing, team.supervisor, T0.astimezone(policy.tz).date(),
                          out, now=T0)
    review = PackReview(out)   # no store anywhere near
    assert review.policy.mall_name == "Pack Mall"
    assert review.policy == governing

