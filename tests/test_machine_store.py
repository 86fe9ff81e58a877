"""The store an installer sets for the whole PC (HKLM\\SOFTWARE\\ComplaintDesk, DESK_DB):
read after --db and the DESK_DB variable, never for the demo store.

Linux has no registry: a stand-in ``winreg`` module answers the way Windows' does (the real
one is exercised under Wine by build_spec/wine_build.sh: msiexec … DESK_DB=…, then the
installed desk.exe makes its store there)."""
from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from desk import machine
from desk.cli import main
from desk.machine import MACHINE_KEY, STORE_VALUE, Origin, configured_store, machine_setting
from desk.store import resolve_url


def fake_winreg(values: dict[str, tuple[object, int]], opened: list | None = None):
    """A ``winreg`` holding ``values`` under HKLM\\SOFTWARE\\ComplaintDesk only."""
    reg = types.ModuleType("winreg")
    reg.HKEY_LOCAL_MACHINE, reg.KEY_READ, reg.KEY_WOW64_64KEY = 0x80000002, 0x20019, 0x0100
    reg.REG_SZ, reg.REG_EXPAND_SZ, reg.REG_DWORD = 1, 2, 4

    class Key:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def open_key(root, path, reserved, access):
        if opened is not None:
            opened.append((root, path, access))
        if root != reg.HKEY_LOCAL_MACHINE or path != MACHINE_KEY:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return Key()

    def query(key, name):
        if name not in values:
            raise FileNotFoundError(2, "The system cannot find the file specified")
        return values[name]

    reg.OpenKey, reg.QueryValueEx = open_key, query
    return reg


@pytest.fixture
def registry(monkeypatch):
    def install(values: dict, opened: list | None = None):
        monkeypatch.setitem(sys.modules, "winreg", fake_winreg(values, opened))
    return install


def test_order_option_then_environment_then_machine_then_default():
    from_machine = {STORE_VALUE: "postgresql+psycopg://desk@db/mall"}.get
    assert configured_store("x.sqlite3", environ={"DESK_DB": "y"}, machine=from_machine) == \
        ("x.sqlite3", Origin.OPTION)
    assert configured_store(None, environ={"DESK_DB": "y"}, machine=from_machine) == \
        ("y", Origin.ENVIRONMENT)
    assert configured_store(None, environ={}, machine=from_machine) == \
        ("postgresql+psycopg://desk@db/mall", Origin.MACHINE)
    assert configured_store(None, environ={"DESK_DB": ""}, machine=lambda _n: None) == \
        (None, Origin.DEFAULT)


def test_machine_setting_reads_the_64_bit_view_of_hklm(registry):
    opened: list = []
    registry({STORE_VALUE: ("postgresql+psycopg://desk@db-server/complaints ", 1)}, opened)
    assert machine_setting(STORE_VALUE) == "postgresql+psycopg://desk@db-server/complaints"
    root, path, access = opened[0]
    assert (root, path) == (0x80000002, r"SOFTWARE\ComplaintDesk") and access & 0x0100


@pytest.mark.parametrize("value", [("", 1), ("   ", 1), (7, 4)])
def test_an_empty_or_odd_value_is_not_a_setting(registry, value):
    """The MSI writes DESK_DB even when none was given: empty means "not set"."""
    registry({STORE_VALUE: value})
    assert machine_setting(STORE_VALUE) is None
    assert configured_store(None)[1] is Origin.DEFAULT


def test_expandable_values_are_expanded(registry, monkeypatch, tmp_path):
    monkeypatch.setenv("MALL_SHARE", str(tmp_path))
    registry({STORE_VALUE: ("$MALL_SHARE/complaints.sqlite3", 2)})
    assert machine_setting(STORE_VALUE) == f"{tmp_path}/complaints.sqlite3"


def test_no_key_and_no_windows_mean_no_setting(registry, monkeypatch):
    registry({})
    assert machine_setting(STORE_VALUE) is None
    monkeypatch.setitem(sys.modules, "winreg", None)     # import winreg fails, as on Linux
    assert machine_setting(STORE_VALUE) is None


def test_resolve_url_takes_the_machine_setting_after_desk_db(registry, monkeypatch, tmp_path):
    shared = tmp_path / "shared" / "complaints.sqlite3"
    registry({STORE_VALUE: (str(shared), 1)})
    assert resolve_url() == "sqlite:///" + shared.resolve().as_posix()
    monkeypatch.setenv("DESK_DB", str(tmp_path / "mine.sqlite3"))
    assert resolve_url().endswith("/mine.sqlite3")
    assert resolve_url(str(tmp_path / "given.sqlite3")).endswith("/given.sqlite3")


def test_desk_init_uses_the_installer_store_and_the_demo_never_does(registry, tmp_path, capsys):
    """``msiexec … DESK_DB=<shared store>`` then ``desk init``: the store is made there. The
    demo (``complaint-desk --demo``, ``desk --demo``) keeps to the user's own demo file: demo
    cases must never land in the mall's shared store."""
    shared = tmp_path / "shared.sqlite3"
    registry({STORE_VALUE: (str(shared), 1)})
    assert main(["--locale", "en", "init", "--demo", "10"]) == 0
    assert shared.is_file()
    before = shared.read_bytes()
    assert main(["--locale", "en", "--demo", "init", "--demo", "10"]) == 0
    assert shared.read_bytes() == before
    demo = Path(tmp_path / "userdata" / "demo.sqlite3")
    assert demo.is_file()
    assert resolve_url(demo=True) == "sqlite:///" + demo.as_posix()


def test_the_app_opens_the_installer_store_beside_its_window(registry, tmp_path):
    from ui.startup import opens_beside, store_location
    shared = tmp_path / "shared.sqlite3"
    registry({STORE_VALUE: (str(shared), 1)})
    assert store_location(None) == str(shared)
    assert store_location("other.sqlite3") == "other.sqlite3"
    assert not opens_beside(None, False)         # not made yet: the set-up comes first
    shared.write_bytes(b"x")
    assert opens_beside(None, False)
    assert machine.ORIGIN_LABELS.keys() == set(Origin)
