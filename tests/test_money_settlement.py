"""Signed settlements and the staff member found at fault: a settlement is needed by policy,
signed on paper (a scan) or on screen (a PNG), drawn into the agreement PDF in the
customer's language; a later complaint about the same matter is proposed "not accepted:
already settled". Through the door and the ``desk`` command; refusals change nothing."""
from __future__ import annotations

import io
from datetime import timedelta

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader

from desk.app.money import Money
from desk.errors import AuthorityError, RecusalError, TransitionError, ValidationError
from desk.i18n import set_locale
from tests.approvals_support import run_cli
from tests.helpers import T0, new_case, store_rows
from tests.money_support import accepted_cost


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


def signature_png() -> bytes:
    image = Image.new("RGBA", (300, 100), (255, 255, 255, 0))
    ImageDraw.Draw(image).line([(10, 80), (80, 20), (150, 70), (290, 30)], fill="black",
                               width=4)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def door(store, policy, actor) -> Money:
    return Money(store, policy, lambda: actor)


def refused(store, error, call, *args, **kw):
    before = store_rows(store)
    with pytest.raises(error) as info:
        call(*args, **kw)
    assert store_rows(store) == before
    return info.value


def pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_policy_decides_when_the_customer_signs(store, policy, team):
    small = accepted_cost(store, policy, team.clerk)
    legal = accepted_cost(store, policy, team.clerk, category="safety_legal")
    big = accepted_cost(store, policy, team.supervisor, amount="2000")
    assert not door(store, policy, team.clerk).settlement_needed(small)
    assert door(store, policy, team.clerk).settlement_needed(legal)
    assert door(store, policy, team.clerk).settlement_needed(big)


def test_a_settlement_signed_on_screen_is_drawn_into_the_agreement(store, policy, team):
    case_no = accepted_cost(store, policy, team.clerk, category="safety_legal")
    money = door(store, policy, team.clerk)
    blank = money.agreement_pdf(case_no)
    assert PdfReader(io.BytesIO(blank)).trailer["/Root"]["/Lang"] == "zh-TW"   # the customer's
    assert case_no in pdf_text(blank)
    refused(store, ValidationError, money.sign_settlement, case_no, "李大華", "screen",
            b"not a png")
    refused(store, ValidationError, money.sign_settlement, case_no, " ", "screen",
            signature_png())
    detail = money.sign_settlement(case_no, "李大華", "screen", signature_png(),
                                   terms="退款三百元")
    assert detail.settlement.signer == "李大華" and detail.settlement.method == "screen"
    assert any(a.sha256 == detail.settlement.signature_sha256 for a in detail.attachments)
    signed = money.agreement_pdf(case_no, locale="en")
    assert PdfReader(io.BytesIO(signed)).trailer["/Root"]["/Lang"] == "en"
    assert "Settlement agreement" in pdf_text(signed) and "李大華" in pdf_text(signed)
    images = [img for page in PdfReader(io.BytesIO(signed)).pages for img in page.images]
    assert len(images) == 1     # the signature
    refused(store, TransitionError, money.sign_settlement, case_no, "李大華", "screen",
            signature_png())


def test_a_case_without_an_accepted_offer_has_nothing_to_settle(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    refused(store, TransitionError, door(store, policy, team.clerk).sign_settlement,
            case_no, "李大華", "paper", b"%PDF-1.4 scan")


def test_a_later_complaint_about_the_settled_matter_is_proposed_not_accepted(
        store, policy, team, tmp_path, capsys):
    first = accepted_cost(store, policy, team.clerk, category="safety_legal")
    scan = tmp_path / "signed.pdf"
    scan.write_bytes(b"%PDF-1.4 the signed paper")
    code, out, _err = run_cli(store, "settlement", "sign", first, "--signer", "李大華",
                              "--scan", str(scan), as_staff="C001", capsys=capsys)
    assert code == 0 and "李大華" in out
    later = new_case(store, policy, team.clerk, now=T0 + timedelta(days=3),
                     category="safety_legal")
    other = new_case(store, policy, team.clerk, now=T0 + timedelta(days=3),
                     subject_name="別家店")
    money = door(store, policy, team.supervisor)
    assert [s.case_no for s in money.prior_settlements(later)] == [first]
    reason, note = money.not_accept_proposal(later)
    assert reason == "settled" and first in note
    assert money.not_accept_proposal(other) is None
    code, out, _err = run_cli(store, "settlement", "check", later, as_staff="S001",
                              capsys=capsys)
    assert code == 0 and first in out and "settled" in out
    out_pdf = tmp_path / "agreement.pdf"
    code, out, _err = run_cli(store, "settlement", "agreement", first, "--out", str(out_pdf),
                              as_staff="C001", capsys=capsys)
    assert code == 0 and first in pdf_text(out_pdf.read_bytes())


def test_the_supervisor_names_the_staff_member_at_fault(store, policy, team, capsys):
    case_no = new_case(store, policy, team.clerk, category="service_attitude",
                       subject_kind="staff", subject_name=None, subject_staff="C002")
    refused(store, AuthorityError, door(store, policy, team.clerk).record_finding, case_no,
            "C002", "rude at the counter")
    refused(store, RecusalError, door(store, policy, team.supervisor).record_finding, case_no,
            "S001", "myself")
    run_cli(store, "finance", "queue", as_staff="S001")   # the command seeds the store's policy
    before = store_rows(store)
    code, _out, err = run_cli(store, "finding", case_no, "C002", "--finding", " ",
                              as_staff="S001", capsys=capsys)
    assert code == 2 and "finding" in err and store_rows(store) == before
    code, _out, _err = run_cli(store, "finding", case_no, "C002", "--finding",
                               "raised her voice at the customer", as_staff="S001",
                               capsys=capsys)
    assert code == 0
    from desk.app.counter import Counter
    detail = Counter(store, policy, team.supervisor).detail(case_no)
    assert detail.finding.staff_no == "C002" and detail.finding.by == "林志明"


def test_the_form_shows_each_costs_state_and_the_drawn_signature(store, policy, team):
    from tests.money_support import add_finance
    fin = add_finance(store, policy, team.gm)
    case_no = accepted_cost(store, policy, team.clerk, category="safety_legal")
    Money(store, policy, lambda: fin.one).approve(case_no, 1)
    Money(store, policy, lambda: fin.two).pay(case_no, 1, "cash")
    money = door(store, policy, team.clerk)
    money.sign_settlement(case_no, "李大華", "screen", signature_png())
    from desk.app.counter import Counter
    pdf = Counter(store, policy, team.clerk).print_case(case_no, locale="en", copies=(2,))
    text = pdf_text(pdf)
    assert "1: Paid" in text and "Finance: Paid" in text and "蘇出納" in text
    assert "Settlement agreement" in text and "李大華" in text
    assert sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages) == 1
