"""Day packs cannot carry a decision nobody signed in for: offline, the reviewer gives their
PIN to the pack (wrong PINs counted there, locked out); in the store, only the importer's own
decisions are taken. Every attempt around it, through ``PackReview``, ``desk pack
decide|close|import`` and ``import_pack``, is refused with the pack and the store unchanged."""
from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import timedelta

import pytest

from desk import packs
from desk.errors import AuthenticationError, AuthorityError, DomainError, ValidationError
from desk.i18n import set_locale
from desk.pack_review import PackReview
from desk.security import hash_pin, pin_matches
from tests.approvals_support import dump, run_cli
from tests.conftest import PINS, SQLITE_ONLY
from tests.review_support import at, make_case

DAY = "2026-11-16"
LATE = at(DAY, "21:30")
NEXT = LATE + timedelta(hours=11)


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


@pytest.fixture
def pack(store, policy, team, tmp_path):
    cases = (make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="closed",
                       closer=team.supervisor),
             make_case(store, policy, team.clerk, at(DAY, "11:00"), stage="resolved"))
    path = tmp_path / f"A-{DAY}.deskpack"
    with store.write(team.supervisor) as s:
        packs.export_pack(s, policy, team.supervisor, LATE.date(), path, "A", now=LATE)
    # The first command on the store records the policy in force: done before any dump.
    assert run_cli(store, "approval", "list", as_staff="S001")[0] == 0
    return path, cases


def _members(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _rewrite(path, changes: dict, *, content_digest: bool = False) -> None:
    """Change members and fix the manifest's digests, as someone editing the file would."""
    members = _members(path)
    members.update(changes)
    manifest = json.loads(members["manifest.json"])
    for name in changes:
        manifest["files"][name] = hashlib.sha256(members[name]).hexdigest()
    if content_digest:
        manifest["content_sha256"] = packs._content_digest(manifest["files"])
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def _decided(path, policy, cases, who="S001"):
    review = PackReview(path, policy)
    review.sign_in(who, PINS[who])
    review.decide(cases[0], "approved", now=LATE)
    review.decide(cases[1], "signed_off", now=LATE)
    review.save(now=LATE)


def test_the_pack_carries_the_reviewers_pin_hashes_only(pack, policy):
    path, _cases = pack
    gate = json.loads(_members(path)["reviewers.json"])
    assert sorted(gate["staff"]) == ["A001", "M001", "O001", "S001", "S002"]   # no clerks
    assert pin_matches(gate["staff"]["S001"]["pin_hash"], PINS["S001"])
    assert gate["pin_attempts"] == policy.pin_attempts


def test_an_export_may_name_its_only_reviewer(store, policy, team, pack, tmp_path, capsys):
    out = tmp_path / "one.deskpack"
    code, _out, err = run_cli(store, "pack", "export", DAY, "--desk", "A", "--out", str(out),
                              "--reviewer", "S002", as_staff="S001", capsys=capsys)
    assert code == 0, err
    assert list(json.loads(_members(out)["reviewers.json"])["staff"]) == ["S002"]
    code, _out, err = run_cli(store, "pack", "export", DAY, "--out", str(tmp_path / "x"),
                              "--reviewer", "C001", as_staff="S001", capsys=capsys)
    assert code == 2 and "reviewer" in err


def test_nothing_is_decided_in_a_pack_before_signing_in(pack, policy):
    path, cases = pack
    before = path.read_bytes()
    review = PackReview(path, policy)
    for attempt in (lambda: review.decide(cases[0], "approved"),
                    lambda: review.request_close("A"), review.save):
        with pytest.raises(ValidationError, match="sign in"):
            attempt()
    assert path.read_bytes() == before


@pytest.mark.parametrize("who, pin, error", [
    ("C001", PINS["C001"], AuthorityError),     # a clerk holds no review privilege
    ("Z999", "1234", ValidationError),          # nobody of that number
    ("S001", "", AuthenticationError),
])
@SQLITE_ONLY
def test_sign_in_refusals(pack, policy, who, pin, error):
    path, _cases = pack
    with pytest.raises(error):
        PackReview(path, policy).sign_in(who, pin)


def test_a_pack_without_pin_hashes_takes_no_decision(pack, policy):
    path, cases = pack
    _rewrite(path, {"reviewers.json": b"{}"}, content_digest=True)
    review = PackReview(path, policy)
    with pytest.raises(ValidationError, match="export the day again"):
        review.sign_in("S001", PINS["S001"])
    with pytest.raises(ValidationError):
        review.decide(cases[0], "approved")


def test_a_decision_file_names_the_person_who_signed_in(pack, policy):
    path, cases = pack
    _decided(path, policy, cases)
    items = json.loads(_members(path)["decisions.json"])["decisions"]
    assert {i["by"] for i in items} == {"S001"}
    again = PackReview(path, policy)            # reopened: the PIN is asked again
    with pytest.raises(ValidationError):
        again.decide(cases[0], "returned", "Check again")
    with pytest.raises(ValidationError, match="one person"):
        again.sign_in("S002", PINS["S002"])


# --- the desk command, with no store ---------------------------------------------------------

@pytest.mark.parametrize("action", [("decide", "{case}", "approve"), ("close", "A")])
@pytest.mark.parametrize("how", ["no PIN", "wrong PIN", "a clerk", "someone else named"])
@SQLITE_ONLY
def test_pack_commands_refuse_without_the_reviewers_own_pin(
        store, pack, monkeypatch, action, how):
    monkeypatch.delenv("DESK_AS", raising=False)
    monkeypatch.delenv("DESK_PIN", raising=False)
    path, cases = pack
    args = [a.format(case=cases[0]) for a in action]
    sign = {"no PIN": {}, "wrong PIN": dict(as_staff="S001", pin="1111"),
            "a clerk": dict(as_staff="C001"), "someone else named": dict(as_staff="S002")}[how]
    extra = ["--reviewer", "S001"] if how == "someone else named" else []
    before = json.loads(_members(path)["decisions.json"])
    code, _out, _err = run_cli(store, "pack", args[0], str(path), *args[1:], *extra, **sign)
    assert code == 2
    after = json.loads(_members(path)["decisions.json"])
    assert after["decisions"] == before["decisions"] == []
    assert after["close_days"] == [] and after["reviewer"] is None
    if how == "wrong PIN":
        assert after["pin_failures"]["S001"]["count"] == 1


def test_wrong_pins_are_counted_in_the_pack_and_lock_the_reviewer_out(store, policy, pack,
                                                                      capsys):
    path, cases = pack
    for _ in range(policy.pin_attempts):
        code, _out, err = run_cli(store, "pack", "decide", str(path), cases[0], "approve",
                                  as_staff="S001", pin="1111", capsys=capsys)
        assert code == 2 and "wrong PIN" in err
    code, _out, err = run_cli(store, "pack", "decide", str(path), cases[0], "approve",
                              as_staff="S001", capsys=capsys)
    assert code == 2 and "locked" in err
    state = json.loads(_members(path)["decisions.json"])
    assert state["decisions"] == [] and state["pin_failures"]["S001"]["locked_until"]
    # Somebody else still may; and after the lock-out the right PIN works again.
    later = PackReview(path, policy)
    later.sign_in("S001", PINS["S001"], now=LATE.replace(year=2099))
    assert later.signed_in == "S001"


def test_the_command_decides_for_the_signed_in_reviewer(store, pack, capsys):
    path, cases = pack
    code, _out, err = run_cli(store, "pack", "decide", str(path), cases[0], "approve",
                              "--reviewer", "S001", as_staff="S001", capsys=capsys)
    assert code == 0, err
    items = json.loads(_members(path)["decisions.json"])["decisions"]
    assert [(i["case_no"], i["by"]) for i in items] == [(cases[0], "S001")]


# --- import into the store --------------------------------------------------------------------

def test_decisions_by_someone_else_are_refused_on_import(store, policy, team, pack, capsys):
    path, cases = pack
    _decided(path, policy, cases, "S001")
    before = dump(store)
    with pytest.raises(packs.PackError) as err, store.write(team.supervisor2) as s:
        packs.import_pack(s, policy, team.supervisor2, path, now=NEXT)
    assert cases[0] in str(err.value) and "S001" in str(err.value)
    assert dump(store) == before
    code, _out, err_text = run_cli(store, "pack", "import", str(path), as_staff="S002",
                                   capsys=capsys)
    assert code == 2 and "S001" in err_text and cases[0] in err_text
    assert dump(store) == before


def test_a_decision_rewritten_to_the_importers_name_needs_their_review_privilege(
        store, policy, team, pack, capsys):
    """A clerk edits the decisions to read as their own: the file's digests are fixed up, but
    the store re-checks the importer's privilege and refuses."""
    path, cases = pack
    _decided(path, policy, cases, "S001")
    data = json.loads(_members(path)["decisions.json"])
    data["reviewer"] = {"staff_no": "C001", "name": "x"}
    for item in data["decisions"]:
        item["by"] = "C001"
    _rewrite(path, {"decisions.json": json.dumps(data).encode()})
    before = dump(store)
    with pytest.raises(AuthorityError), store.write(team.clerk) as s:
        packs.import_pack(s, policy, team.clerk, path, now=NEXT)
    code, _out, err = run_cli(store, "pack", "import", str(path), as_staff="C001",
                              capsys=capsys)
    assert code == 2 and "review" in err
    assert dump(store) == before


def test_decisions_without_a_signed_in_reviewer_are_refused(store, policy, team, pack):
    """A decision added by hand (no ``by``, as a pack written before PINs were asked)."""
    path, cases = pack
    _decided(path, policy, cases, "S001")
    data = json.loads(_members(path)["decisions.json"])
    del data["decisions"][0]["by"]
    _rewrite(path, {"decisions.json": json.dumps(data).encode()})
    before = dump(store)
    with pytest.raises(packs.PackError) as err, store.write(team.supervisor) as s:
        packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    assert cases[0] in str(err.value)
    assert dump(store) == before


def test_forged_pin_hashes_open_the_pack_offline_but_never_the_store(
        store, policy, team, pack, capsys):
    """Someone swaps S001's hash for one of a PIN they chose: the pack's own check cannot tell
    (it has no store), but the store's digest of what it exported can."""
    path, cases = pack
    gate = json.loads(_members(path)["reviewers.json"])
    gate["staff"]["S001"]["pin_hash"] = hash_pin("2580")
    _rewrite(path, {"reviewers.json": json.dumps(gate).encode()}, content_digest=True)
    review = PackReview(path, policy)
    review.sign_in("S001", "2580")
    review.decide(cases[0], "approved", now=LATE)
    review.save(now=LATE)
    before = dump(store)
    with pytest.raises(DomainError), store.write(team.supervisor) as s:
        packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    code, _out, err = run_cli(store, "pack", "import", str(path), as_staff="S001",
                              capsys=capsys)
    assert code == 2 and "altered" in err
    assert dump(store) == before


def test_the_reviewers_own_decisions_import(store, policy, team, pack, capsys):
    path, cases = pack
    _decided(path, policy, cases, "S001")
    code, out, err = run_cli(store, "pack", "import", str(path), as_staff="S001",
                             capsys=capsys)
    assert code == 0, err
    assert "2 decisions applied" in out
