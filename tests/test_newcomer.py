"""A new mall's first hour: a missing X11 library named before Qt aborts, reports and backups
readable by their owner only, and long CLI work that says how far it got."""
from __future__ import annotations

import stat
import sys
from datetime import date

import pytest

from desk import backup, packs
from desk.i18n import set_locale
from desk.reports.files import write_report
from desk.reports.stats import week_stats
from tests.conftest import fresh_sqlite_store
from tests.approvals_support import run_cli
from tests.review_support import at, make_case
from ui.qt_libraries import APT_LINE, XCB_LIBRARIES, check_before_qt, uses_xcb

DAY = "2026-11-16"
POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32",
                                reason="Windows keeps a user's files private by folder ACLs")


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


@pytest.fixture
def store(tmp_path, sqlite_template):
    st = fresh_sqlite_store(sqlite_template, tmp_path / "desk.sqlite3")
    yield st
    st.close()


def test_missing_x11_libraries_are_named_with_the_apt_line():
    display = {"DISPLAY": ":0"}
    assert uses_xcb(display, "linux") and not uses_xcb({}, "linux")
    assert not uses_xcb({**display, "QT_QPA_PLATFORM": "offscreen"}, "linux")
    assert not uses_xcb(display, "win32")
    assert check_before_qt(display, "linux", find=lambda name: f"lib{name}.so") is None
    gone = {"xcb-cursor", "xkbcommon-x11", "EGL"}
    message = check_before_qt(display, "linux",
                              find=lambda name: None if name in gone else f"lib{name}.so")
    for name in gone:
        assert XCB_LIBRARIES[name] in message.split("Install")[0]
    assert APT_LINE in message and "offscreen" in message
    assert check_before_qt({"QT_QPA_PLATFORM": "offscreen"}, "linux", find=lambda n: None) \
        is None


def private(path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) & 0o077 == 0


@POSIX_ONLY
def test_reports_backups_and_printed_forms_are_their_owners_only(store, policy, team, tmp_path,
                                                                 capsys):
    case_no = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="resolved")
    with store.read() as session:
        stats = week_stats(session, policy, date(2026, 11, 16), now=at("2026-11-22", "23:00"))
    written = []
    for suffix in (".csv", ".xlsx", ".pdf"):
        written += write_report(stats, policy, tmp_path / f"week{suffix}", locale="en")
    assert written and all(private(p) for p in written), written
    info = backup.backup_to(store, tmp_path / "backups" / "b.sqlite3")
    assert private(info.path)
    code, _out, err = run_cli(store, "print", case_no, "--out", str(tmp_path / "form.pdf"),
                              as_staff="C001", capsys=capsys)
    assert code == 0, err
    assert private(tmp_path / "form.pdf")


def test_pack_export_says_how_far_it_got(store, policy, team, tmp_path, capsys):
    for hour in ("10:00", "11:00", "12:00"):
        make_case(store, policy, team.clerk, at(DAY, hour), stage="resolved")
    seen: list = []
    with store.read() as session:
        packs.prepare_pack(session, policy, team.supervisor, date(2026, 11, 16), "A",
                           progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 3), (2, 3), (3, 3)]
    code, out, err = run_cli(store, "pack", "export", DAY, "--desk", "A", "--out",
                             str(tmp_path / "day.deskpack"), as_staff="S001", capsys=capsys)
    assert code == 0, err
    assert "forms rendered: 3/3" in err and "3 cases" in out
    assert private(tmp_path / "day.deskpack") or sys.platform == "win32"
