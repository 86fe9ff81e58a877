"""Case import cannot make the store say that someone did something they did not sign in for.

Every hole is tried through the import service and through the `desk` command, signed in as
a clerk: refused, the field named, the store's content unchanged (a wrong PIN aside, which
counts toward lock-out exactly as at sign-in). Then the three ways an action may come in --
the importer's own, carried by its doer's PIN, migrated history -- and the bounded dates.
"""
from __future__ import annotations

import copy
import hashlib
import io
import json
import zipfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import jsonschema
import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desk import services
from desk.audit import LOG, audit_history
from desk.casedoc import export_case
from desk.casedoc_import import import_documents, import_file
from desk.cli import main
from desk.errors import AuthenticationError, DomainError
from desk.forms import render_triplicate
from desk.i18n import set_locale
from desk.model import Offer, Staff
from desk.queries import case_detail
from desk.services.offers import day_total
from desk.store import Store
from tests.conftest import PINS, SQLITE_ONLY, make_team
from tests.helpers import store_rows

TZ = timezone(timedelta(hours=8))
SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "case-format.schema.json"


@pytest.fixture(autouse=True)
def _english():
    """Messages read in English here, so a field is found after its colon."""
    set_locale("en")
    yield


def at(day: int = 22, hm: str = "14:05", month: int = 11) -> str:
    return f"2026-{month:02d}-{day:02d}T{hm}:00+08:00"


def document(day: int = 22, month: int = 11, **changes) -> dict:
    """A case the clerk C001 took and worked alone: every action is the importer's own
    (named or not), within a clerk's authority."""
    steps = ["listen", "thank", "apologise", "commit", "propose", "confirm"]
    doc = {
        "desk": "A", "received_at": at(day, "14:05", month), "channel": "counter",
        "recorder": "C001", "customer": {"name": "李大華", "phone": "0912-345-678"},
        "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
        "complaint": "鞋子一週就開膠", "request": "換新", "motive": "compensation",
        "severity": 1,
        "steps": [dict({"step": s, "at": at(day, f"14:{10 + i}", month)},
                       **({"by": "C001"} if i % 2 else {}),
                       **({"promised_reply_at": at(day, "18:00", month)} if s == "commit" else {}))
                  for i, s in enumerate(steps)],
        "offers": [{"kind": "voucher", "amount": "300", "serials": ["V1"], "by": "C001",
                    "at": at(day, "14:15", month), "answer": "accepted",
                    "answered_at": at(day, "14:16", month)}],
        "resolution": {"at": at(day, "14:21", month), "handling_result": "禮券300元",
                       "validity": "founded"},
        "recipient": {"name": "李大華", "at": at(day, "14:22", month)},
        "follow_ups": [{"at": at(day, "20:00", month), "reached": True, "satisfaction": 5}],
        "attachments": [{"path": "receipt.jpg", "sha256": "a" * 64,
                         "at": at(day, "14:06", month)}],
    }
    doc.update(changes)
    return doc


def changed(change) -> dict:
    doc = document()
    change(doc)
    return doc


def _not_accepted(doc: dict) -> None:
    for key in ("offers", "resolution", "recipient", "follow_ups"):
        doc.pop(key)
    doc["not_accepted"] = {"at": at(22, "14:20"), "by": "A001", "reason": "settled",
                           "note": "已於消保會調解成立"}


# name -> (change to the clerk's own document, the field the refusal names)
HOLES = {
    "cash offer said to be the general manager's": (lambda d: d["offers"].__setitem__(0, {
        "kind": "cash", "amount": "5000", "by": "A001", "at": at(22, "14:15")}), "offers[0].by"),
    "resolution said to be the general manager's": (
        lambda d: d["resolution"].update(by="A001"), "resolution.by"),
    "closure said to be a supervisor's": (lambda d: d.update(closure={
        "at": at(22, "18:00"), "by": "S001", "recipient": "李大華"}), "closure.by"),
    "not accepted said to be the general manager's": (_not_accepted, "not_accepted.by"),
    "void said to be the general manager's": (lambda d: d.update(void={
        "at": at(22, "19:00"), "by": "A001", "reason": "entered twice"}), "void.by"),
    "a step said to be a supervisor's": (lambda d: d["steps"][0].update(by="S001"),
                                         "steps[0].by"),
    "an escalation said to be the general manager's": (lambda d: d.update(escalations=[{
        "at": at(22, "14:08"), "by": "A001", "to_level": "level1", "reason": "顧客要求"}]),
        "escalations[0].by"),
    "a follow-up call said to be a supervisor's": (
        lambda d: d["follow_ups"][0].update(by="S001"), "follow_ups[0].by"),
    "an attachment said to be a supervisor's": (
        lambda d: d["attachments"][0].update(by="S001"), "attachments[0].by"),
    "the recipient's signature said to be recorded by a supervisor": (
        lambda d: d["recipient"].update(by="S001"), "recipient.by"),
    "recorded by a supervisor": (lambda d: d.update(recorder="S001"), "recorder"),
    "an approval without the approver's PIN": (lambda d: d["offers"][0].update(
        amount="800", approval={"by": "S001"}), "offers[0].approval.by"),
    "the importer's own offer beyond a clerk": (lambda d: d["offers"].__setitem__(0, {
        "kind": "cash", "amount": "5000", "at": at(22, "14:15")}), "amount"),
    "the importer handling a case about themselves": (lambda d: d.update(
        subject={"kind": "staff", "staff": "C001"}, category="service_attitude"), "handler"),
    "a legal-liability case taken below its category's level": (lambda d: d.update(
        category="safety_legal", level="preliminary"), "level"),
    "a case dated next year": (lambda d: d.update(received_at="2027-11-22T14:05:00+08:00"),
                               "received time"),
    "an offer dated next year": (lambda d: d["offers"][0].update(at="2027-01-05T10:00:00+08:00"),
                                 "offers[0].at"),
}


def snapshot(store, *, pin_counts: bool = True) -> dict:
    """Every row of every table; without ``pin_counts`` the staff's wrong-PIN counters and
    their log entries are left out."""
    return store_rows(store, pin_counts=pin_counts)


def signed_in(store, policy, staff_no: str) -> services.Actor:
    return services.sign_in(store, policy, staff_no, PINS[staff_no])


# --- through the service ---------------------------------------------------------------------

def test_the_clerks_own_document_imports(store, policy, team):
    """The control: the document every hole starts from is accepted as the clerk's own."""
    done = import_file(store, policy, signed_in(store, policy, "C001"), [document()])
    with store.read() as s:
        detail = case_detail(s, done[0].case_no)
    assert {step.staff for step in detail.steps} == {team.clerk.name}
    assert detail.recorder_no == "C001" and not detail.migrated


@pytest.mark.parametrize("hole", list(HOLES))
@SQLITE_ONLY
def test_every_hole_is_refused_by_the_import_service(store, policy, team, hole):
    change, field = HOLES[hole]
    clerk = signed_in(store, policy, "C001")
    before = snapshot(store)
    with pytest.raises(DomainError) as err:
        import_file(store, policy, clerk, [changed(change)])
    assert f"{field}:" in str(err.value), str(err.value)
    assert snapshot(store) == before


def test_a_session_import_believes_no_pin_it_was_not_given(store, policy, team):
    """Inside a unit of work nothing checks PINs: an action carrying one that the import
    did not check first is refused, never taken on trust."""
    doc = changed(lambda d: d.update(closure={"at": at(22, "18:00"), "by": "S001",
                                              "pin": PINS["S001"], "recipient": "李大華"}))
    before = snapshot(store)
    with pytest.raises(DomainError) as err, store.write(team.clerk) as s:
        import_documents(s, policy, [doc], team.clerk)
    assert "closure.pin:" in str(err.value)
    assert snapshot(store) == before


def test_anothers_action_with_their_own_pin_is_theirs(store, policy, team):
    doc = changed(lambda d: d.update(closure={"at": at(22, "18:00"), "by": "S001",
                                              "pin": PINS["S001"], "recipient": "李大華"}))
    done = import_file(store, policy, signed_in(store, policy, "C001"), [doc])
    with store.read() as s:
        detail = case_detail(s, done[0].case_no)
        assert detail.status == "closed" and detail.history[-1].staff == team.supervisor.name
        assert not any(h.migrated for h in detail.history)


def test_a_wrong_pin_counts_toward_lock_out_and_nothing_else_is_written(store, policy, team):
    doc = changed(lambda d: d.update(closure={"at": at(22, "18:00"), "by": "S001",
                                              "pin": "0000", "recipient": "李大華"}))
    clerk = signed_in(store, policy, "C001")
    before = snapshot(store, pin_counts=False)
    for attempt in range(1, policy.pin_attempts + 1):
        with pytest.raises(DomainError, match="PIN: wrong PIN for S001"):
            import_file(store, policy, clerk, [doc])
        assert snapshot(store, pin_counts=False) == before
        with store.read() as s:
            supervisor = s.scalar(select(Staff).where(Staff.staff_no == "S001"))
            assert (supervisor.failed_pins, supervisor.locked_until is not None) == (
                (attempt, False) if attempt < policy.pin_attempts else (0, True))
    with pytest.raises(AuthenticationError, match="locked"):   # the same counter as sign-in
        services.sign_in(store, policy, "S001", PINS["S001"])
    right = changed(lambda d: d.update(closure={"at": at(22, "18:00"), "by": "S001",
                                                "pin": PINS["S001"], "recipient": "李大華"}))
    with pytest.raises(DomainError, match="locked"):
        import_file(store, policy, clerk, [right])


# --- through the `desk` command --------------------------------------------------------------

@pytest.fixture(scope="module")
def base_db(tmp_path_factory, policy):
    path = tmp_path_factory.mktemp("bypass") / "desk.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    make_team(store, policy)
    store.close()
    assert main(["--db", str(path), "day", "2026-11-22"]) == 0   # the policy in force logged
    return path


@pytest.fixture
def db(base_db, tmp_path):
    path = tmp_path / "desk.sqlite3"
    path.write_bytes(base_db.read_bytes())
    return path


def desk(db, capsys, *args: str, as_staff: str = "C001", pin: str | None = None):
    """`desk --as ... case import ...` in this process: (exit status, stderr lines)."""
    capsys.readouterr()
    status = main(["--db", str(db), "--locale", "en", "--as", as_staff,
                   "--pin", pin or PINS[as_staff], *args])
    return status, capsys.readouterr().err.strip().splitlines()


def write(tmp_path, docs, name: str = "doc.json"):
    path = tmp_path / name
    path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    return str(path)


def file_digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("hole", list(HOLES))
def test_every_hole_is_refused_by_the_command(db, tmp_path, capsys, hole):
    change, field = HOLES[hole]
    before = file_digest(db)
    status, lines = desk(db, capsys, "case", "import", write(tmp_path, [changed(change)]))
    assert status == 2 and len(lines) == 1, lines
    assert f"{field}:" in lines[0]
    assert file_digest(db) == before


def test_the_command_counts_wrong_pins_in_a_file_and_locks_out(db, tmp_path, capsys, policy):
    doc = changed(lambda d: d.update(closure={"at": at(22, "18:00"), "by": "S001",
                                              "pin": "0000", "recipient": "李大華"}))
    path = write(tmp_path, [doc])
    for _ in range(policy.pin_attempts):
        status, lines = desk(db, capsys, "case", "import", path)
        assert status == 2 and len(lines) == 1 and "closure.by" not in lines[0]
        assert "PIN" in lines[0]
    status, lines = desk(db, capsys, "purge", "--dry-run", as_staff="S001")   # a sign-in
    assert status == 2 and "locked" in lines[0]


def test_the_command_refuses_migrated_history_to_a_clerk(db, tmp_path, capsys):
    before = file_digest(db)
    status, lines = desk(db, capsys, "case", "import", "--migrated",
                         write(tmp_path, [HOLE_DOCUMENT()]))
    assert status == 2 and len(lines) == 1 and "migrated:" in lines[0]
    status, lines = desk(db, capsys, "case", "import",
                         write(tmp_path, [dict(HOLE_DOCUMENT(), migrated=True)]),
                         as_staff="S001")
    assert status == 2 and len(lines) == 1 and "migrated:" in lines[0]
    assert file_digest(db) == before
    status, lines = desk(db, capsys, "case", "import", "--migrated",
                         write(tmp_path, [HOLE_DOCUMENT()]), as_staff="O001")
    assert status == 0, lines
    assert main(["--db", str(db), "--locale", "en", "case", "show", "A-20261122-0001"]) == 0
    assert "Migrated history, imported by 劉怡君" in capsys.readouterr().out


# --- migrated history ------------------------------------------------------------------------

def HOLE_DOCUMENT() -> dict:
    """Other people's actions without PINs: the general manager's cash, a supervisor's
    closure -- history from an older system."""
    doc = document()
    doc["offers"] = [{"kind": "cash", "amount": "5000", "by": "A001", "at": at(22, "14:15"),
                      "answer": "accepted", "answered_at": at(22, "14:16")}]
    doc["resolution"]["by"] = "M001"
    doc["closure"] = {"at": at(22, "18:00"), "by": "S001", "recipient": "李大華"}
    return doc


MIGRATED_AT = datetime(2026, 11, 22, 21, 0, tzinfo=TZ)


@pytest.mark.parametrize("importer, allowed", [("O001", True), ("A001", True),
                                               ("S001", False), ("C001", False)])
@SQLITE_ONLY
def test_only_the_import_privilege_brings_in_migrated_history(store, policy, team, importer,
                                                              allowed):
    actor = signed_in(store, policy, importer)
    before = snapshot(store)
    if not allowed:
        for docs, flag in (([HOLE_DOCUMENT()], True), ([dict(HOLE_DOCUMENT(), migrated=True)],
                                                       False)):
            with pytest.raises(DomainError) as err:
                import_file(store, policy, actor, docs, migrated=flag)
            assert "migrated:" in str(err.value)
        assert snapshot(store) == before
        return
    done = import_file(store, policy, actor, [HOLE_DOCUMENT()], migrated=True, now=MIGRATED_AT)
    assert done[0].migrated


def test_migrated_history_is_marked_everywhere_and_counts_toward_nobody(store, policy, team):
    ops = signed_in(store, policy, "O001")
    case_no = import_file(store, policy, ops, [HOLE_DOCUMENT()], migrated=True,
                          now=MIGRATED_AT)[0].case_no
    with store.read() as s:
        detail = case_detail(s, case_no)
        exported = export_case(s, case_no)
        history = audit_history(s, case_no)
        entries = s.execute(select(LOG.c.staff_no, LOG.c.entity, LOG.c.after)
                            .where(LOG.c.case_no == case_no)).all()
        offer = s.scalar(select(Offer).where(Offer.case_id == select(Offer.case_id).where(
            Offer.requested_by_id == team.gm.id).scalar_subquery()))
        # Never anyone's decision: the general manager's day, nor the importer's.
        assert day_total(s, policy, team.gm.id, MIGRATED_AT) == 0
        assert day_total(s, policy, ops.id, MIGRATED_AT) == 0
    assert offer.migrated and offer.requested_at == datetime.fromisoformat(at(22, "14:15"))
    # The detail the screens show.
    assert detail.migrated and detail.migrated_by == team.ops.name
    assert detail.migrated_at == MIGRATED_AT
    assert all(s.migrated for s in detail.steps) and all(o.migrated for o in detail.offers)
    assert all(h.migrated for h in detail.history)
    assert detail.offers[0].requested_by == team.gm.name
    # The audit log: every row written names the importer, rows say migrated, one entry
    # records the import itself.
    assert {e.staff_no for e in entries} == {"O001"}
    assert any(e.entity == "import" for e in entries)
    assert all(json.loads(e.after).get("migrated") is True for e in entries
               if e.entity in ("step", "offer", "status_change", "follow_up", "attachment"))
    assert any(c.field == "migrated" and c.after is True for h in history for c in h.changes)
    # Export says so, and the printed form carries the mark.
    assert exported["migrated"] is True and exported["migration"]["by"] == "O001"
    jsonschema.validate(exported, json.loads(SCHEMA.read_text(encoding="utf-8")))
    pdf = render_triplicate(detail, policy, printed_by="O001", locale="en", paper="a4")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert text.count("MIGRATED RECORD") == 3   # one on each copy


def test_the_clerks_grant_counts_where_migrated_history_does_not(store, policy, team):
    clerk = signed_in(store, policy, "C001")
    import_file(store, policy, clerk, [document()], now=MIGRATED_AT)
    doc = document()
    doc["offers"][0].pop("by")                 # the clerk's 300 voucher, as history
    doc["recorder"] = "C001"
    import_file(store, policy, signed_in(store, policy, "O001"), [doc], migrated=True,
                now=MIGRATED_AT)
    with store.read() as s:
        assert day_total(s, policy, clerk.id, MIGRATED_AT) == 300


def test_a_migrated_round_trip_comes_back_only_as_migrated(store, policy, team):
    ops = signed_in(store, policy, "O001")
    case_no = import_file(store, policy, ops, [HOLE_DOCUMENT()], migrated=True,
                          now=MIGRATED_AT)[0].case_no
    with store.read() as s:
        doc = export_case(s, case_no)
    doc.pop("case_no")
    before = snapshot(store)
    with pytest.raises(DomainError, match="migrated:"):
        import_file(store, policy, signed_in(store, policy, "C001"), [copy.deepcopy(doc)])
    assert snapshot(store) == before
    again = import_file(store, policy, ops, [doc], now=MIGRATED_AT)[0].case_no
    with store.read() as s:
        assert case_detail(s, again).migrated


# --- dates -----------------------------------------------------------------------------------

def test_back_dating_cannot_multiply_a_day_limit(store, policy, team):
    """18 cases of 500 over 18 past days: the grants are made today, so a clerk's 3,000 day
    limit stops the seventh; nothing of the batch is written."""
    docs = []
    for day in range(1, 19):
        doc = document(day=day)
        doc["offers"][0]["amount"] = "500"
        docs.append(doc)
    clerk = signed_in(store, policy, "C001")
    before = snapshot(store)
    with pytest.raises(DomainError) as err:
        import_file(store, policy, clerk, docs)
    assert err.value.values["index"] == 7 and "amount:" in str(err.value)
    assert snapshot(store) == before
    done = import_file(store, policy, clerk, docs[:6])
    with store.read() as s:
        assert day_total(s, policy, clerk.id, datetime.now(timezone.utc)) == 3000
        offers = [case_detail(s, d.case_no).offers[0] for d in done]
    assert {o.requested_at.astimezone(TZ).date() for o in offers} == {
        datetime.now(TZ).date()}
    assert export_case_times(store, done) == [at(day, "14:15") for day in range(1, 7)]


def export_case_times(store, done) -> list[str]:
    with store.read() as s:
        return [datetime.fromisoformat(export_case(s, d.case_no)["offers"][0]["at"])
                .astimezone(TZ).isoformat() for d in done]


def test_nothing_before_the_last_closed_day_unless_migrated(store, policy, team):
    from desk import review
    with store.write(team.supervisor) as s:
        review.close_day(s, policy, team.supervisor, "A", date(2026, 11, 25))
    before = snapshot(store)
    with pytest.raises(DomainError) as err:
        import_file(store, policy, signed_in(store, policy, "C001"), [document(day=22)])
    assert "received time:" in str(err.value) and "migrated history" in str(err.value)
    assert snapshot(store) == before
    done = import_file(store, policy, signed_in(store, policy, "O001"), [HOLE_DOCUMENT()],
                       migrated=True)
    assert done[0].case_no.startswith("A-20261122-")


def test_migrated_history_is_never_in_the_future(store, policy, team):
    doc = dict(HOLE_DOCUMENT(), received_at="2027-11-22T14:05:00+08:00")
    before = snapshot(store)
    with pytest.raises(DomainError, match="received time:"):
        import_file(store, policy, signed_in(store, policy, "O001"), [doc], migrated=True)
    assert snapshot(store) == before


def test_the_command_refuses_back_dated_grants_beyond_the_day_limit(db, tmp_path, capsys):
    docs = []
    for day in range(1, 19):
        doc = document(day=day)
        doc["offers"][0]["amount"] = "500"
        docs.append(doc)
    before = file_digest(db)
    status, lines = desk(db, capsys, "case", "import", write(tmp_path, docs))
    assert status == 2 and len(lines) == 1
    assert "case document 7" in lines[0] and "amount" in lines[0]
    assert file_digest(db) == before


# --- day packs -------------------------------------------------------------------------------

def test_a_day_pack_never_brings_a_case_in(store, policy, team, tmp_path):
    """A pack carries case documents for review only: one whose case document was changed
    to name the general manager's cash is refused whole, and no case comes from it."""
    from desk.packs import PackError, export_pack, import_pack
    case_no = import_file(store, policy, signed_in(store, policy, "C001"),
                          [document()])[0].case_no
    out = tmp_path / "day.zip"
    with store.write(team.supervisor) as s:
        export_pack(s, policy, team.supervisor, date(2026, 11, 22), out)
    with zipfile.ZipFile(out) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    doc = json.loads(members[f"cases/{case_no}.json"])
    doc["offers"][0].update(kind="cash", amount="5000", by="A001")
    members[f"cases/{case_no}.json"] = json.dumps(doc).encode()
    members["cases/A-20261122-0099.json"] = json.dumps(HOLE_DOCUMENT()).encode()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    before = snapshot(store)
    with pytest.raises(PackError), store.write(team.supervisor) as s:
        import_pack(s, policy, team.supervisor, out)
    assert snapshot(store) == before
