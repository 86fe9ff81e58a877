"""Day packs are authenticated, not only hashed: a pack is reviewed only where the exporting
store's key is trusted (registered once, by an administrator, audited) and imported only into
the store that signed it. An unsigned, wrongly signed or unknown-key pack is refused through
``PackReview``, ``desk pack show|decide``, ``import_pack`` and ``desk pack import``, with the
pack and the store unchanged."""
from __future__ import annotations

import json
import zipfile

import pytest

from desk import packs
from desk.errors import ValidationError
from desk.i18n import set_locale
from desk.pack_review import PackReview
from desk.pack_signing import SIGNATURE, trusted_keys
from desk.packs import PackError
from desk.store import Store
from tests.approvals_support import dump, run_cli
from tests.conftest import make_team
from tests.review_support import at, make_case

DAY = "2026-11-16"
LATE = at(DAY, "21:30")


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


@pytest.fixture(scope="module")
def exported(tmp_path_factory, policy):
    """Store A exported a day pack; store B (elsewhere) trusts nobody yet."""
    base = tmp_path_factory.mktemp("signing")
    home = Store("sqlite:///" + (base / "a.sqlite3").as_posix())
    team = make_team(home, policy)
    make_case(home, policy, team.clerk, at(DAY, "10:00"), stage="closed", closer=team.supervisor)
    path = base / "A.deskpack"
    with home.write(team.supervisor) as s:
        packs.export_pack(s, policy, team.supervisor, LATE.date(), path, "A", now=LATE)
    run_cli(home, "approval", "list", as_staff="S001")      # records the policy in force
    home.close()
    other = Store("sqlite:///" + (base / "b.sqlite3").as_posix())
    make_team(other, policy)
    run_cli(other, "approval", "list", as_staff="S001")
    other.close()
    return base


@pytest.fixture
def stores(exported, tmp_path):
    import shutil
    for name in ("a.sqlite3", "b.sqlite3", "A.deskpack"):
        shutil.copy(exported / name, tmp_path / name)
    home = Store("sqlite:///" + (tmp_path / "a.sqlite3").as_posix())
    other = Store("sqlite:///" + (tmp_path / "b.sqlite3").as_posix())
    yield home, other, tmp_path / "A.deskpack"
    home.close()
    other.close()


def _rewrite(path, change) -> None:
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    change(members)
    packs._write_zip(path, members)


def _unsigned(members):
    del members[SIGNATURE]


def _altered(members):           # a manifest edit no digest covers: only the signature does
    manifest = json.loads(members["manifest.json"])
    manifest["mall_name"] = "Forged Plaza"
    members["manifest.json"] = packs._json_bytes(manifest)


def _resigned(members):           # re-signed by a forger's own key
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from desk.pack_signing import _signed_bytes
    _altered(members)
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    signature = key.sign(_signed_bytes(json.loads(members["manifest.json"]), packs.DECISIONS))
    members[SIGNATURE] = json.dumps({"algorithm": "ed25519", "key": public.hex(),
                                     "signature": signature.hex()}).encode()


BAD = {"unsigned": (_unsigned, "not signed"), "altered": (_altered, "does not match"),
       "re-signed by another key": (_resigned, "unknown store")}


def test_an_unknown_stores_pack_is_refused_until_its_key_is_registered(stores, capsys):
    home, other, path = stores
    before = dump(other)
    code, _out, err = run_cli(other, "pack", "show", str(path), capsys=capsys)
    assert code == 2 and "unknown store" in err and "desk pack trust add" in err
    key = path.parent / "a.key"
    assert run_cli(home, "pack", "key", "--out", str(key), as_staff="A001")[0] == 0
    code, _out, err = run_cli(other, "pack", "trust", "add", str(key), "--name", "Mall A",
                              as_staff="C001", capsys=capsys)
    assert code == 2 and dump(other) == before                 # a clerk may not
    assert run_cli(other, "pack", "trust", "add", str(key), "--name", "Mall A",
                   as_staff="A001")[0] == 0
    with other.read() as s:
        assert "Mall A" in trusted_keys(s).values()
    assert run_cli(other, "audit", "verify")[0] == 0            # the registration is audited
    code, out, _err = run_cli(other, "pack", "show", str(path), capsys=capsys)
    assert code == 0 and "A-20261116-0001" in out
    code, _out, _err = run_cli(other, "pack", "trust", "add", str(key), "--name", "again",
                               as_staff="A001", capsys=capsys)
    assert code == 2


@pytest.mark.parametrize("kind", list(BAD))
def test_a_bad_pack_is_refused_for_review_and_import(stores, kind, capsys):
    home, _other, path = stores
    change, words = BAD[kind]
    _rewrite(path, change)
    raw, before = path.read_bytes(), dump(home)
    with home.read() as s:
        trusted = trusted_keys(s)
    with pytest.raises(PackError) as refused:
        PackReview(path, trusted=trusted)
    assert words in str(refused.value)
    code, _out, err = run_cli(home, "pack", "decide", str(path), "A-20261116-0001", "approve",
                              as_staff="S001", capsys=capsys)
    assert code == 2 and words in err
    code, _out, err = run_cli(home, "pack", "import", str(path), as_staff="S001", capsys=capsys)
    assert code == 2 and words in err
    from desk.services import actor_for
    with pytest.raises(PackError):
        with home.write(system="test") as s:
            packs.import_pack(s, home_policy(home), actor_for(s, "S001"), path)
    assert path.read_bytes() == raw and dump(home) == before


def home_policy(store):
    from desk.store_policy import load_store_policy
    return load_store_policy(store)


def test_a_pack_signed_by_another_store_is_not_imported_here(stores, policy, capsys):
    home, other, path = stores
    key = path.parent / "a.key"
    assert run_cli(home, "pack", "key", "--out", str(key), as_staff="A001")[0] == 0
    before = dump(other)
    code, _out, err = run_cli(other, "pack", "import", str(path), as_staff="S001", capsys=capsys)
    assert code == 2 and dump(other) == before


@pytest.mark.parametrize("text", ["", "complaint-desk pack key ed25519 zz",
                                  "complaint-desk pack key ed25519 " + "00" * 31, "-----BEGIN"])
def test_a_malformed_key_file_is_refused_naming_the_field(text):
    from desk.pack_signing import parse_key_file
    with pytest.raises(ValidationError) as refused:
        parse_key_file(text)
    assert refused.value.field == "key_file"
