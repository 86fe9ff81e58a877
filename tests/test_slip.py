"""The acknowledgement slip: PDF for 80 mm receipt paper and A4 (page size, text, QR code),
ESC/POS bytes for a receipt printer (python-escpos's Dummy and File printers), the printer
target's checks, and `desk case slip`."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from desk.app.promises import Promises
from desk.errors import ValidationError
from desk.forms.slip_escpos import parse_target
from desk.model import utcnow
from tests.approvals_support import run_cli
from tests.conftest import fresh_sqlite_store
from tests.review_support import make_case



@pytest.fixture
def store(tmp_path, sqlite_template):
    """SQLite only: the slip reads a case, whichever back end holds it."""
    st = fresh_sqlite_store(sqlite_template, tmp_path / "desk.sqlite3")
    yield st
    st.close()


@pytest.fixture
def case_no(store, policy, team):
    return make_case(store, policy, team.clerk, utcnow() - timedelta(minutes=30),
                     stage="in_progress", phone="0912345678")


def _pages(pdf: bytes):
    return PdfReader(io.BytesIO(pdf)).pages


def test_the_slip_as_pdf_and_on_a_receipt_printer(store, policy, team, case_no, tmp_path):
    door = Promises(store, policy, lambda: team.clerk)
    receipt = _pages(door.slip_pdf(case_no, locale="en", paper="receipt"))
    assert len(receipt) == 1
    width, height = (float(v) for v in receipt[0].mediabox.upper_right)
    assert width == pytest.approx(80 * mm) and height > width
    text = receipt[0].extract_text()
    for words in (case_no, "Complaint acknowledgement", "How we will contact you",
                  "0912***678", "not the complaint form"):
        assert words in text
    assert "0912345678" not in text               # masked on the slip, whoever prints it
    a4 = _pages(door.slip_pdf(case_no, locale="zh_CN", paper="a4"))
    assert [float(v) for v in a4[0].mediabox.upper_right] == pytest.approx(list(A4))
    assert case_no in a4[0].extract_text()
    with pytest.raises(ValidationError):
        door.slip_pdf(case_no, locale="en", paper="letter")
    # the same slip on a receipt printer
    from escpos.printer import Dummy
    dummy = Dummy()
    door.slip_escpos(case_no, None, locale="zh_TW", device=dummy)
    out = dummy.output
    assert b"\x1ba\x01" in out                                  # centred
    assert case_no.encode("ascii") + b"\n" in out                # the number as text
    assert b"\x1d(k" + bytes([len(case_no) + 3, 0]) + b"1P0" + case_no.encode() in out  # QR
    assert out.count(b"\x1dv0") >= 3                             # the words as pictures
    assert out.endswith(b"\x1dV\x00")                            # cut
    target = tmp_path / "lp0"                                    # a device file
    door.slip_escpos(case_no, f"file:{target}", locale="en")
    written = target.read_bytes()
    qr = out[out.index(b"\x1d(k"):out.index(b"1Q0") + 3]       # same number, same code
    assert qr in written and written.endswith(b"\x1dV\x00")


def test_the_command_writes_the_slip(store, policy, team, case_no, tmp_path, capsys):
    out = tmp_path / "slip.pdf"
    code, printed, err = run_cli(store, "case", "slip", case_no, "-o", str(out), "--paper",
                                 "a4", as_staff="C001", capsys=capsys)
    assert code == 0, err
    assert case_no in _pages(out.read_bytes())[0].extract_text()
    lp = tmp_path / "lp0"
    code, printed, err = run_cli(store, "case", "slip", case_no, "--escpos", f"file:{lp}",
                                 as_staff="C001", capsys=capsys)
    assert code == 0, err
    assert case_no.encode() in lp.read_bytes()
    code, printed, err = run_cli(store, "case", "slip", case_no, "--escpos", "lpt1",
                                 as_staff="C001", capsys=capsys)
    assert code == 2 and "usb:VID:PID" in err
    for text in ("", "lpt1", "usb:04b8", "usb:xyz:0202", "network:", "network:host:99999",
                 "serial:/dev/ttyS0"):
        with pytest.raises(ValidationError) as error:
            parse_target(text)
        assert error.value.field == "printer"
    code, printed, err = run_cli(store, "case", "slip", case_no, "-o", str(out),
                                 capsys=capsys)
    assert code != 0                                             # nobody signed in
