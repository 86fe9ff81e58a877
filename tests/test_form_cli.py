"""``desk print`` through the `desk` command (in this process; test_cli runs the command as a
real process): a signed-in actor gets the PDF and a print record; an unknown case, an
unwritable path or a font that cannot embed is one line and exit 2, and records nothing."""
from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

from desk.model import PrintRecord
from desk.store_policy import apply_policy, ensure_store_policy
from tests.helpers import desk_cli, new_case

ROOT = Path(__file__).resolve().parents[1]


def desk(store, *args: str, as_staff: str | None = "C001"):
    return desk_cli(store.url, *args, as_staff=as_staff)


def prints(store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(PrintRecord))


def test_print_writes_the_pdf_and_records_it(store, policy, team, tmp_path):
    case_no = new_case(store, policy, team.clerk)
    out = tmp_path / "form.pdf"
    result = desk(store, "print", case_no, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert len(PdfReader(out).pages) == 3
    again = desk(store, "print", case_no, "--out", str(tmp_path / "two.pdf"), "--copies", "3,1",
                 "--locale", "en", "--paper", "continuous")
    assert again.returncode == 0, again.stderr
    reader = PdfReader(tmp_path / "two.pdf")
    assert len(reader.pages) == 1             # a carbon set: one pass makes every copy
    text = reader.pages[0].extract_text()
    assert "Copy 1" not in text and "Reprint 1" in text
    assert prints(store) == 2
    assert not list(tmp_path.glob(".*.part"))


def test_failures_are_one_line_exit_2_and_record_nothing(store, policy, team, tmp_path):
    case_no = new_case(store, policy, team.clerk)
    cff = tmp_path / "cff.otf"
    cff.write_bytes(b"OTTO\x00\x01\x00\x00\x00\x00\x00\x00" + b"CFF " + b"\x00" * 12)
    policy_file = tmp_path / "policy.toml"
    policy_file.write_text((ROOT / "resources" / "policy.toml").read_text(encoding="utf-8")
                           .replace('font = "fonts/wqy-microhei.ttc"', f'font = "{cff.as_posix()}"'),
                           encoding="utf-8")
    cases = [
        (["print", "A-20991231-0001", "--out", str(tmp_path / "x.pdf")], "A-20991231-0001"),
        (["print", case_no, "--out", str(tmp_path / "missing" / "x.pdf")], "missing"),
        (["print", case_no, "--out", str(tmp_path / "x.pdf"), "--copies", "1,5"], "copies"),
        (["print", case_no, "--out", str(tmp_path / "x.pdf")], "CFF"),
    ]
    for args, mentioned in cases:
        if mentioned == "CFF":   # the store's own policy names the font the form is set in
            ensure_store_policy(store)
            with store.write(team.gm) as session:
                apply_policy(session, team.gm, policy_file.read_text(encoding="utf-8"),
                             "a font with CFF outlines")
        result = desk(store, *args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and mentioned in lines[0], result.stderr
    unsigned = desk(store, "print", case_no, "--out", str(tmp_path / "x.pdf"), as_staff=None)
    assert unsigned.returncode == 2 and "--as" in unsigned.stderr
    assert prints(store) == 0
    assert not (tmp_path / "x.pdf").exists()
