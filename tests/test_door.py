"""The door: every unit of work names who acts, the application layer is the one every surface
uses, attachments live in the store, and stores open only through the health check."""
from __future__ import annotations

import base64
import hashlib
import sqlite3

import pytest
from sqlalchemy import func, select

from desk import attachments, services
from desk.app.counter import Counter
from desk.audit import LOG, verify
from desk.casedoc_import import import_file
from desk.errors import AuthenticationError, DomainError, ValidationError
from desk.health import StoreError, open_checked
from desk.i18n import set_locale
from desk.model import Attachment, AttachmentBlob, Case, Staff
from desk.store import Store
from desk.uow import UnattributedWrite
from tests.conftest import PINS, SQLITE_ONLY
from tests.helpers import complaint, desk_cli, new_case
from tests.test_import_replay import snapshot


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")   # messages are matched in English


def _entries(store) -> list:
    with store.read() as session:
        return session.execute(select(LOG.c.staff_no, LOG.c.entity, LOG.c.action)
                               .order_by(LOG.c.id)).all()


# --- the unit of work names who acts --------------------------------------------------------

def test_a_write_naming_nobody_is_refused_and_leaves_nothing(store, policy, team):
    before = snapshot(store)
    with pytest.raises(UnattributedWrite):
        with store.write() as session:
            session.get(Staff, team.clerk.id).name = "nobody did this"
    assert snapshot(store) == before


def test_a_service_in_a_unit_naming_nobody_is_refused(store, policy, team):
    before = snapshot(store)
    with pytest.raises(UnattributedWrite):
        with store.write() as session:
            services.take_complaint(session, policy, team.clerk, complaint())
    assert snapshot(store) == before


def test_the_unit_of_work_names_its_actor_in_every_entry(store, policy, team):
    start = len(_entries(store))
    case_no = new_case(store, policy, team.clerk)
    with store.write(team.supervisor) as session:
        services.record_step(session, policy, case_no, team.supervisor, "listen")
    written = _entries(store)[start:]
    assert written and {row.staff_no for row in written} == {"C001", "S001"}
    assert [row.staff_no for row in written if row.entity == "step"] == ["S001"]
    with store.read() as session:
        assert verify(session).ok


def test_a_service_cannot_act_as_someone_other_than_the_unit_of_works_person(
        store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    before = snapshot(store)
    with pytest.raises(AuthenticationError) as caught:
        with store.write(team.clerk) as session:
            services.record_step(session, policy, case_no, team.supervisor, "listen")
    assert caught.value.field == "actor"
    with pytest.raises(AuthenticationError):
        with store.write(team.clerk) as session:
            services.take_complaint(session, policy, team.gm, complaint())
    assert snapshot(store) == before


def test_a_pin_checked_inside_the_unit_vouches_for_its_owner(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    with store.write(team.clerk) as session:
        approver = services.check_pin(session, policy, "S001", PINS["S001"], field="approver")
        services.record_step(session, policy, case_no, approver, "listen")
    # they proved who they are inside the unit: the step is theirs in the log
    assert _entries(store)[-1].staff_no == "S001"


def test_a_record_brought_in_is_logged_as_the_person_bringing_it(store, policy, team):
    from desk.uow import vouch_for_record
    case_no = new_case(store, policy, team.clerk)
    with store.write(team.gm) as session:
        vouch_for_record(session, "C001")
        services.record_step(session, policy, case_no, team.clerk, "listen")
    assert _entries(store)[-1].staff_no == "A001"


def test_a_unit_is_done_by_a_person_or_the_system_not_both(store, team):
    with pytest.raises(ValueError):
        with store.write(team.clerk, system="test"):
            pass


def test_a_wrong_pin_at_sign_in_is_counted_and_logged_as_the_staff_member(store, policy, team):
    with pytest.raises(AuthenticationError):
        services.sign_in(store, policy, "C002", "0000")
    last = _entries(store)[-1]
    assert (last.staff_no, last.entity, last.action) == ("C002", "staff", "update")
    with store.read() as session:
        assert session.get(Staff, team.clerk2.id).failed_pins == 1


def test_the_desk_command_names_the_signed_in_person(tmp_path):
    db = tmp_path / "desk.sqlite3"
    assert desk_cli(db, "init").returncode == 0
    assert desk_cli(db, "staff", "add", "A001", "--role", "general_manager", "--name", "王大同",
                    "--pin", PINS["A001"]).returncode == 0
    result = desk_cli(db, "staff", "add", "C001", "--role", "clerk", "--name", "陳美玲",
                      "--pin", PINS["C001"], as_staff="A001")
    assert result.returncode == 0, result.stderr
    store = Store("sqlite:///" + db.as_posix())
    try:
        rows = [r for r in _entries(store) if r.entity == "staff"]
        assert [r.staff_no for r in rows] == [None, "A001"]   # set-up, then the administrator
    finally:
        store.close()


# --- the application layer ------------------------------------------------------------------

def test_the_counter_works_a_case_as_its_actor(store, policy, team):
    counter = Counter(store, policy, team.clerk)
    detail = counter.take_complaint(complaint())
    detail = counter.record_step(detail.case_no, "listen", note="聽完了")
    assert [s.step for s in detail.steps] == ["listen"]
    assert Counter(store, policy).detail(detail.case_no).case_no == detail.case_no
    with pytest.raises(AuthenticationError):
        Counter(store, policy).record_step(detail.case_no, "thank")   # reads need no one


# --- attachments live in the store ----------------------------------------------------------

def test_attachments_are_kept_in_the_store_once_per_digest(store, policy, team):
    counter = Counter(store, policy, team.clerk)
    case_no = new_case(store, policy, team.clerk)
    photo = b"\x89PNG fake photo bytes"
    counter.add_attachment(case_no, photo, "receipt.png", "收據")
    detail = counter.add_attachment(case_no, photo, "receipt-again.png")
    digest = hashlib.sha256(photo).hexdigest()
    assert [a.sha256 for a in detail.attachments] == [digest, digest]
    assert [a.path for a in detail.attachments] == ["receipt.png", "receipt-again.png"]
    assert counter.attachment_bytes(digest) == photo
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(AttachmentBlob)) == 1


@pytest.mark.parametrize("name", ["/etc/passwd", "C:\\Users\\x\\photo.jpg",
                                  "\\\\server\\share\\photo.jpg", "../photo.jpg",
                                  "photos/../../photo.jpg", ""])
@SQLITE_ONLY
def test_an_attachment_name_that_is_a_path_out_is_refused(store, policy, team, name):
    case_no = new_case(store, policy, team.clerk)
    before = snapshot(store)
    with pytest.raises(ValidationError) as caught:
        Counter(store, policy, team.clerk).add_attachment(case_no, b"photo", name)
    assert caught.value.field == "attachment"
    assert snapshot(store) == before


def test_an_attachment_over_the_size_limit_is_refused(store, policy, team, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 1024)
    case_no = new_case(store, policy, team.clerk)
    before = snapshot(store)
    for data in (b"x" * 1025, b""):
        with pytest.raises(ValidationError) as caught:
            Counter(store, policy, team.clerk).add_attachment(case_no, data, "big.jpg")
        assert caught.value.field == "attachment"
    assert snapshot(store) == before


def _doc(entry: dict) -> dict:
    return {"desk": "A", "received_at": "2026-11-22T14:05:00+08:00", "channel": "counter",
            "recorder": "C001", "customer": {"name": "李大華", "phone": "0912-345-678"},
            "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
            "complaint": "鞋子一週就開膠", "motive": "compensation", "severity": 1,
            "attachments": [dict(entry, at="2026-11-22T14:06:00+08:00", by="C001")]}


def test_case_import_never_opens_an_attachment_path(store, policy, team, tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"not for import")
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    before = snapshot(store)
    for entry in ({"path": str(secret), "sha256": digest},            # the file is not read
                  {"path": "../secret.jpg", "sha256": digest,
                   "data": base64.b64encode(b"photo").decode()},       # a path out, refused
                  {"path": "a.jpg", "data": base64.b64encode(b"photo").decode(),
                   "sha256": "0" * 64},                               # bytes and digest differ
                  {"path": "a.jpg", "sha256": "../../etc/passwd"}):   # not a digest
        with pytest.raises(DomainError) as caught:   # the import names the document
            import_file(store, policy, team.clerk, [_doc(entry)])
        assert "attachments[0]" in str(caught.value)
    assert snapshot(store) == before


def test_a_photo_named_only_by_its_digest_is_a_reference_never_a_file(
        store, policy, team, tmp_path, monkeypatch):
    (tmp_path / "receipt.jpg").write_bytes(b"a file beside the document")
    monkeypatch.chdir(tmp_path)                    # a relative name would find it: it must not
    digest = hashlib.sha256(b"a file beside the document").hexdigest()
    done = import_file(store, policy, team.clerk, [_doc({"path": "receipt.jpg",
                                                         "sha256": digest})])
    detail = Counter(store, policy, team.clerk).detail(done[0].case_no)
    assert [(a.path, a.sha256) for a in detail.attachments] == [("receipt.jpg", digest)]
    assert Counter(store, policy).attachment_bytes(digest) is None


def test_case_import_brings_the_bytes_in_the_document_into_the_store(store, policy, team):
    photo = b"a photo carried in the document"
    done = import_file(store, policy, team.clerk, [_doc(
        {"path": "photo.jpg", "data": base64.b64encode(photo).decode()})])
    detail = Counter(store, policy, team.clerk).detail(done[0].case_no)
    assert Counter(store, policy).attachment_bytes(detail.attachments[0].sha256) == photo


# --- stores open through the health check on every surface -----------------------------------

def _newer(path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO alembic_version VALUES ('9999_from_the_future')")
    conn.commit()
    conn.close()


def test_the_app_loader_refuses_a_damaged_or_newer_store(tmp_path, policy):
    from ui.store_loader import open_store
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError) as caught:
        open_store(str(damaged), None, None)
    assert "damaged" in caught.value.problem.message
    newer = tmp_path / "newer.sqlite3"
    Store("sqlite:///" + newer.as_posix()).close()
    _newer(newer)
    with pytest.raises(StoreError) as caught:
        open_store(str(newer), None, None)
    assert "newer version" in caught.value.problem.message


def test_the_loader_creates_a_new_store_through_the_health_check(tmp_path):
    from ui.store_loader import open_store
    path = tmp_path / "new.sqlite3"
    opened = open_store(str(path), None, None)
    try:
        assert opened.needs_setup and path.exists()
    finally:
        opened.store.close()
    open_checked("sqlite:///" + path.as_posix()).close()   # and it passes the check after


def test_counter_reads_what_the_store_holds_not_a_pc_folder(store, policy, team):
    """A photo attached on one PC shows on another: nothing is read from a local folder."""
    case_no = new_case(store, policy, team.clerk)
    Counter(store, policy, team.clerk).add_attachment(case_no, b"seen everywhere", "x.jpg")
    with store.read() as session:
        row = session.scalars(select(Attachment).join(Case).where(Case.case_no == case_no)).one()
    assert row.path == "x.jpg"
    assert Counter(store, policy).attachment_bytes(row.sha256) == b"seen everywhere"


def test_the_window_is_told_why_a_damaged_store_did_not_open(qtbot, policy, tmp_path):
    """The app's start-up loader reports the health check's sentence, not a traceback."""
    from ui.errors import plain_message
    from ui.store_loader import StoreLoader
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"not a database" * 200)
    loader = StoreLoader(str(damaged))
    with qtbot.waitSignal(loader.failed, timeout=20_000) as got:
        loader.start()
    loader.wait(10)
    assert isinstance(got.args[0], StoreError)
    assert plain_message(got.args[0]) == got.args[0].problem.message
    assert "damaged" in plain_message(got.args[0])


def test_desk_case_import_refuses_an_attachment_path_and_changes_nothing(tmp_path):
    import json
    db = tmp_path / "desk.sqlite3"
    assert desk_cli(db, "init").returncode == 0
    assert desk_cli(db, "staff", "add", "A001", "--role", "general_manager", "--name", "王大同",
                    "--pin", PINS["A001"]).returncode == 0
    assert desk_cli(db, "staff", "add", "C001", "--role", "clerk", "--name", "陳美玲",
                    "--pin", PINS["C001"], as_staff="A001").returncode == 0
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"never read")
    doc = _doc({"path": str(secret), "sha256": hashlib.sha256(b"never read").hexdigest()})
    doc["received_at"] = "2026-11-22T14:05:00+08:00"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = db.read_bytes()
    result = desk_cli(db, "case", "import", str(path), as_staff="C001")
    assert result.returncode == 2
    assert "attachments[0].path" in result.stderr and len(result.stderr.splitlines()) == 1
    assert db.read_bytes() == before
