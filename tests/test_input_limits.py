"""No crash on any file: every input is held to its limits (desk.input_limits) before it is
read, through every surface that reads it -- the service, the ``desk`` command, the day
pack's review and import -- and a refused file leaves every row of the store as it was."""
from __future__ import annotations

import json
import os
import tracemalloc
import zipfile
from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from desk import services
from desk.errors import DomainError, PolicyError, ValidationError
from tests.conftest import PINS, make_team
from tests.helpers import store_rows

DEV_ZERO = Path(os.devnull).with_name("zero")
BOMB = b"\x00" * (40 * 1024 * 1024)   # 40 MB of zeros: about 40 KB compressed
needs_dev_zero = pytest.mark.skipif(not DEV_ZERO.exists(), reason="no /dev/zero on this OS")


@pytest.fixture(scope="module")
def world(tmp_path_factory, policy):
    """One SQLite store with the team and a genuine reviewed day pack (the limits are
    checked before any store is touched; the back ends are tested elsewhere)."""
    from bench.fuzz_inputs import reviewed_pack
    from desk.store import Store
    folder = tmp_path_factory.mktemp("limits")
    store = Store("sqlite:///" + (folder / "desk.sqlite3").as_posix())
    store_policy(store)   # seeded now, as every surface's first opening would
    make_team(store, policy)
    pack = reviewed_pack(store, policy, folder)
    yield store, pack
    store.close()


def cli(store, *args, as_staff="C001") -> int:
    from desk.cli import main
    return main(["--db", store.engine.url.database, "--locale", "en", "--as", as_staff,
                 "--pin", PINS[as_staff], *args])


# --- the files: what the limits must stop ------------------------------------------------------

def _dev_zero(tmp: Path) -> Path:
    return DEV_ZERO


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.json"
    os.mkfifo(path)        # never opened: a reader would wait for a writer forever
    return path


def _folder(tmp: Path) -> Path:
    (tmp / "folder.json").mkdir()
    return tmp / "folder.json"


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.json"
    with open(path, "wb") as fh:      # sparse: its size on disk is checked, nothing read
        fh.truncate(300 * 1024 * 1024)
    return path


def _text(name: str, text: str):
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_text(text, encoding="utf-8")
        return path
    return make


FILES = {
    "/dev/zero": pytest.param(_dev_zero, marks=needs_dev_zero),
    "a FIFO": pytest.param(_fifo, marks=pytest.mark.skipif(not hasattr(os, "mkfifo"),
                                                           reason="no FIFOs on Windows")),
    "a folder": _folder,
    "300 MB": _huge,
    "nested 10,000 deep": _text("deep.json", "[" * 10_000 + "]" * 10_000),
    "an integer of 5,000 digits": _text("int.json", '{"severity": ' + "9" * 5000 + "}"),
    "an integer of 60 digits": _text("int60.json", '[{"severity": ' + "1" * 60 + "}]"),
    "not UTF-8": lambda tmp: (tmp / "latin.json").write_bytes(b"\xff\xfe\x00{") and
    tmp / "latin.json",
}


@pytest.mark.parametrize("make", list(FILES.values()), ids=list(FILES))
def test_a_case_document_file_is_refused_before_it_is_read(world, tmp_path, capsys, make):
    from desk.casedoc import read_documents
    store, _pack = world
    path = make(tmp_path)
    with pytest.raises(ValidationError) as err:
        read_documents(path)
    assert err.value.field == "document"
    before = store_rows(store, pin_counts=False)
    assert cli(store, "case", "import", str(path)) == 2
    assert store_rows(store, pin_counts=False) == before
    assert capsys.readouterr().err.strip()


def test_a_wrong_type_is_refused_naming_its_field(world, tmp_path, capsys):
    from bench.fuzz_inputs import base_document
    from desk.casedoc import read_documents
    from desk.casedoc_import import import_file
    store, _pack = world
    doc = base_document()
    doc["offers"][0]["serials"] = 2
    doc.pop("attachments")
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = store_rows(store, pin_counts=False)
    clerk = services.sign_in(store, store_policy(store), "C001", PINS["C001"])
    with pytest.raises(DomainError) as err:
        import_file(store, store_policy(store), clerk, read_documents(path))
    assert "offers[0].serials" in str(err.value)
    assert cli(store, "case", "import", str(path)) == 2
    assert "serials" in capsys.readouterr().err
    assert store_rows(store, pin_counts=False) == before


def store_policy(store):
    from desk.store_policy import load_store_policy
    return load_store_policy(store)


# --- day packs ---------------------------------------------------------------------------------

def _rezip(pack: Path, tmp: Path, *, extra=(), edit=None) -> Path:
    with zipfile.ZipFile(pack) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    if edit:
        edit(members)
    out = tmp / "edited.deskpack"
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in [*members.items(), *extra]:
            zf.writestr(name, data)
    return out


def _decisions_as(text: bytes):
    def edit(members):
        from desk.packs import DECISIONS, MANIFEST, sha256
        members[DECISIONS] = text
        manifest = json.loads(members[MANIFEST])
        manifest["files"][DECISIONS] = sha256(text)     # as anyone could recompute it
        members[MANIFEST] = json.dumps(manifest).encode()
    return edit


PACKS = {
    "/dev/zero": pytest.param(lambda pack, tmp: DEV_ZERO, marks=needs_dev_zero),
    "a folder": lambda pack, tmp: _folder(tmp),
    "a zip bomb": lambda pack, tmp: _rezip(pack, tmp, extra=[("cases/bomb.json", BOMB)]),
    "5,001 members": lambda pack, tmp: _rezip(pack, tmp, extra=[
        (f"x/{i}", b"") for i in range(5_001)]),
    "a member leaving the folder": lambda pack, tmp: _rezip(pack, tmp, extra=[
        ("../../evil.json", b"{}")]),
    "decisions nested 5,000 deep": lambda pack, tmp: _rezip(pack, tmp, edit=_decisions_as(
        b"[" * 5000 + b"]" * 5000)),
    "a decision's version of 5,000 digits": lambda pack, tmp: _rezip(
        pack, tmp, edit=_decisions_as(b'{"decisions": [{"seen_version": ' + b"9" * 5000 + b"}]}")),
    "a decision of the wrong shape": lambda pack, tmp: _rezip(pack, tmp, edit=_decisions_as(
        b'{"decisions": [2], "reviewer": {"staff_no": "S001"}}')),
}


@pytest.mark.parametrize("make", list(PACKS.values()), ids=list(PACKS))
def test_a_day_pack_is_refused_by_review_and_import(world, tmp_path, capsys, make):
    from desk.pack_review import PackReview
    from desk.packs import PackError, read_pack
    store, pack = world
    path = make(pack, tmp_path)
    before = store_rows(store, pin_counts=False)
    with pytest.raises(PackError) as err:   # the reviewer's side, with no store
        PackReview(path, store_policy(store))
    assert err.value.message()
    with pytest.raises(PackError):
        read_pack(path)
    assert cli(store, "pack", "import", str(path), as_staff="S001") == 2
    assert capsys.readouterr().err.strip()
    assert store_rows(store, pin_counts=False) == before


def test_failure_records_of_the_wrong_shape_are_ignored_by_the_review(world, tmp_path):
    from desk.pack_review import PackReview
    store, pack = world
    path = _rezip(pack, tmp_path, edit=_decisions_as(
        b'{"decisions": [], "pin_failures": {"S001": {"count": "x", "since": 5}, "S002": 7}}'))
    review = PackReview(path, store_policy(store))
    review.sign_in("S001", PINS["S001"])
    assert review.rows() and review.review_day()


def test_a_zip_bomb_and_a_one_megabyte_pack_take_bounded_memory(world, tmp_path):
    from desk.packs import PackError, read_pack
    _store, pack = world
    bomb = _rezip(pack, tmp_path, extra=[("cases/bomb.json", BOMB)])
    big = tmp_path / "big.deskpack"
    noise = os.urandom(1024 * 1024)   # a 1 MB member the manifest does not list
    big.write_bytes(pack.read_bytes())
    with zipfile.ZipFile(big, "a") as zf:
        zf.writestr("forms/extra.pdf", noise)
    for path in (bomb, big):
        tracemalloc.start()
        with pytest.raises(PackError):
            read_pack(path)
        _now, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 16 * 1024 * 1024, (path.name, peak)


# --- policy files and backups -----------------------------------------------------------------

POLICIES = {
    "/dev/zero": pytest.param(_dev_zero, marks=needs_dev_zero),
    "a folder": _folder,
    "2 MB": _text("big.toml", "# " + "x" * (2 * 1024 * 1024)),
    "arrays nested 5,000 deep": _text("deep.toml", "a = " + "[" * 5000 + "]" * 5000),
    "an integer of 5,000 digits": _text("int.toml", "[site]\npin_attempts = " + "9" * 5000),
}


@pytest.mark.parametrize("make", list(POLICIES.values()), ids=list(POLICIES))
def test_a_policy_file_is_refused_before_it_is_read(world, tmp_path, capsys, make):
    from desk.policy import load_policy
    store, _pack = world
    path = make(tmp_path)
    with pytest.raises(PolicyError):
        load_policy(path)
    before = store_rows(store, pin_counts=False)
    assert cli(store, "policy", "check", str(path)) == 2
    assert capsys.readouterr().err.strip()
    assert store_rows(store, pin_counts=False) == before


@pytest.mark.parametrize("make", [FILES["/dev/zero"], FILES["a FIFO"], FILES["a folder"]],
                         ids=["/dev/zero", "a FIFO", "a folder"])
def test_a_backup_that_is_not_a_file_is_refused(tmp_path, make):
    from desk.backup import verify_backup
    from desk.backup_files import BackupError
    with pytest.raises(BackupError):
        verify_backup(make(tmp_path))


# --- attachments: a name is a label, never a path ----------------------------------------------

PATH_FORMS = {
    "POSIX absolute": "/etc/passwd", "Windows absolute": "C:\\Windows\\win.ini",
    "forward-slash drive": "c:/x.jpg", "drive-relative": "C:receipt.jpg",
    "root-relative": "\\receipt.jpg", "UNC": "\\\\server\\share\\receipt.jpg",
    "UNC with slashes": "//server/share/receipt.jpg", "long path": "\\\\?\\C:\\x.jpg",
    "device namespace": "\\\\.\\PhysicalDrive0", "dot-dot POSIX": "../../secret.jpg",
    "dot-dot Windows": "photos\\..\\..\\secret.jpg", "NUL": "NUL", "CON with extension": "con.jpg",
    "COM1 with space": "COM1 .jpg", "LPT superscript": "LPT\u00b9.png",
    "device in a folder": "photos/aux/x.jpg", "a stream": "receipt.jpg:hidden",
}


@pytest.mark.parametrize("text", list(PATH_FORMS.values()), ids=list(PATH_FORMS))
def test_every_form_of_path_is_refused_on_both_flavours(text):
    from desk.attachments import path_problem, safe_name
    assert path_problem(text) is not None
    for flavour in (PureWindowsPath, PurePosixPath):   # the rules do not depend on the OS
        assert path_problem(str(flavour(text))) is not None
    with pytest.raises(ValidationError) as err:
        safe_name(text)
    assert err.value.field == "attachment"


@pytest.mark.parametrize("text", ["receipt.jpg", "photos/receipt.jpg", "photos\\receipt 2.jpg",
                                  "CONSOLE.jpg", "com10.png", "收據.jpg"])
def test_plain_names_are_kept_as_labels(text):
    from desk.attachments import path_problem, safe_name
    assert path_problem(text) is None
    assert safe_name(text) == text.replace("\\", "/").split("/")[-1]


@pytest.mark.parametrize("text", ["\\\\server\\share\\receipt.jpg", "C:receipt.jpg", "NUL",
                                  "../../secret.jpg"], ids=["UNC", "drive", "device", "dotdot"])
def test_a_path_in_a_case_document_is_refused_by_import_and_command(world, tmp_path, capsys,
                                                                     text):
    from bench.fuzz_inputs import base_document
    from desk.casedoc_import import import_file
    store, _pack = world
    doc = base_document()
    doc["attachments"] = [{"path": text, "sha256": "a" * 64, "at": doc["received_at"],
                           "by": "C001"}]
    doc["offers"] = []
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = store_rows(store, pin_counts=False)
    clerk = services.sign_in(store, store_policy(store), "C001", PINS["C001"])
    with pytest.raises(DomainError) as err:
        import_file(store, store_policy(store), clerk, [doc])
    assert "attachments[0].path" in str(err.value)
    assert cli(store, "case", "import", str(path)) == 2
    assert "attachments[0].path" in capsys.readouterr().err
    assert store_rows(store, pin_counts=False) == before


@needs_dev_zero
def test_the_apps_attachment_is_read_with_a_cap(world):
    from desk.app.counter import Counter
    from ui.session import Desk
    store, _pack = world
    desk = Desk(store, store_policy(store), desk_letter="A")
    desk.sign_in("C001", PINS["C001"])
    before = store_rows(store, pin_counts=False)
    with pytest.raises(ValidationError) as err:     # /dev/zero is never opened
        desk.add_attachment("A-20261120-0001", DEV_ZERO)
    assert err.value.field == "attachment"
    with pytest.raises(ValidationError):             # nor is a name a path at the door
        Counter(store, store_policy(store), desk.actor).add_attachment(
            "A-20261120-0001", b"photo", "\\\\server\\share\\x.jpg")
    assert store_rows(store, pin_counts=False) == before


def test_limits_live_in_one_module():
    """Every reader of outside files goes through desk.input_limits."""
    root = Path(__file__).resolve().parent.parent / "desk"
    for name in ("casedoc.py", "packs.py", "policy.py", "backup.py"):
        assert "input_limits" in (root / name).read_text(encoding="utf-8"), name
