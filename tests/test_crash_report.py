"""Crash reports: an unexpected error writes the version and the traceback's shape to the
user log folder, with no value in it (a customer's name or phone in the message stays out),
and the person is told where the report is. Nothing is sent anywhere: the report is a file."""
from __future__ import annotations

import os
import re

from desk import __version__
from desk.cli import main
from desk.crash import report_text, short_path, write_report
from desk.paths import user_log_dir

NAME, PHONE, MEMBER = "陳美玲", "0912-345-678", "M20261122"


def fail_with_personal_data():
    try:
        int(f"{PHONE}")                     # ValueError quoting the phone
    except ValueError as exc:
        raise LookupError(f"customer {NAME} ({MEMBER}) not found") from exc


def caught() -> BaseException:
    try:
        fail_with_personal_data()
    except LookupError as exc:
        return exc
    raise AssertionError("no exception")


def test_report_has_version_and_traceback_shape_but_no_values():
    text = report_text(caught(), "desk")
    assert f"version: {__version__}" in text and "crash report (desk)" in text
    for personal in (NAME, PHONE, MEMBER, "0912"):
        assert personal not in text
    # both exceptions of the chain, in order, by type; where they were raised
    assert text.index("ValueError: (message left out)") < \
        text.index("LookupError: (message left out)")
    assert "direct cause" in text
    assert "in fail_with_personal_data" in text and "tests/test_crash_report.py" in text


def test_file_names_do_not_carry_the_user_folder(tmp_path):
    home = os.path.expanduser("~")
    text = report_text(caught(), "desk")
    assert home not in text and str(tmp_path) not in text
    assert short_path(os.path.join(home, "venv", "lib", "site-packages", "sqlalchemy",
                                   "orm", "session.py")) == "sqlalchemy/orm/session.py"
    assert short_path(os.path.join(home, "Documents", "script.py")) == "script.py"


def test_report_is_written_to_the_user_log_folder():
    path = write_report(caught(), "complaint-desk")
    assert path is not None and path.parent == user_log_dir()
    assert re.fullmatch(r"crash-complaint-desk-\d{8}-\d{6}-\d+\.txt", path.name)
    assert NAME not in path.read_text(encoding="utf-8")


def test_a_report_that_cannot_be_written_is_not_a_second_error(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert write_report(caught(), "desk", folder=blocked) is None


def test_desk_command_reports_an_unexpected_error(monkeypatch, capsys, tmp_path):
    """A fault inside a command: exit status 1 (not 2, which means "refused"), one line on
    stderr naming the report, the report without the customer's data."""
    assert main(["--db", str(tmp_path / "s.sqlite3"), "init"]) == 0
    capsys.readouterr()

    def broken(session):
        raise RuntimeError(f"row for {NAME}, phone {PHONE}")
    monkeypatch.setattr("desk.queries.staff_rows", broken)
    assert main(["--locale", "en", "--db", str(tmp_path / "s.sqlite3"), "staff", "list"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and NAME not in err and PHONE not in err
    assert "nothing was sent anywhere" in err
    reports = sorted(user_log_dir().glob("crash-desk-*.txt"))
    assert len(reports) == 1 and str(reports[0]) in err
    text = reports[0].read_text(encoding="utf-8")
    assert "RuntimeError: (message left out)" in text and "in list_staff" in text
    assert NAME not in text and PHONE not in text


def test_a_refusal_is_not_a_crash(tmp_path, capsys):
    """What a person can cause (here: a case that does not exist) stays exit status 2 with
    its one-line reason, and writes no crash report."""
    db = str(tmp_path / "s.sqlite3")
    assert main(["--db", db, "init"]) == 0
    assert main(["--locale", "en", "--db", db, "case", "show", "A-20260101-0001"]) == 2
    assert "error:" in capsys.readouterr().err
    assert not list(user_log_dir().glob("crash-*.txt"))
