"""The three-part form as PDF, read back with pypdf: copies, labels, case data, amounts,
embedded fonts, CJK text, continuation pages, reprints, paper and the print record."""
from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from sqlalchemy import select

from desk import services
from desk.enums import Step
from desk.errors import NotFound, ValidationError
from desk.forms import FontError, render_triplicate
from desk.forms.fonts import MISSING_MARK
from desk.forms.triplicate import COPY_LABELS, COST_ROUTE, NO_COST_ROUTE
from desk.i18n import _, format_money, using_locale
from desk.model import PrintRecord
from desk.queries import case_detail
from tests.conftest import SQLITE_ONLY
from tests.helpers import T0, new_case

COMPLAINT = ("顧客在好鞋坊買的鞋子穿一週就開膠，要求退貨時櫃員態度不佳，"
             "還說「要退去找服務台」。結帳時又多收了一百元。")


def _step(session, policy, case_no, actor, step, at):
    promised = at + timedelta(hours=2) if step is Step.COMMIT else None
    services.record_step(session, policy, case_no, actor, step.value, note=f"{step.label}：已完成",
                         promised_reply_at=promised, now=at)


def worked_case(store, policy, team, *, complaint=COMPLAINT, paid=True) -> str:
    """A resolved case: six steps, a voucher and an overcharge refund within the clerk's
    authority, a refund approved on the spot by the store manager, all accepted."""
    case_no = new_case(store, policy, team.clerk, complaint=complaint,
                       assisting=(("floor_management", "督導好鞋坊改善服務態度"),))
    at = T0
    with store.write(system="test") as session:
        for step in (Step.LISTEN, Step.THANK, Step.APOLOGISE, Step.COMMIT):
            at += timedelta(minutes=3)
            _step(session, policy, case_no, team.clerk, step, at)
        if paid:
            services.make_offer(session, policy, case_no, team.clerk, "voucher", "300",
                                description="禮券致歉", serials=("GV-001", "GV-002"), now=at)
            services.make_offer(session, policy, case_no, team.clerk, "overcharge_refund",
                                charged="1200", due="1100", now=at)
            services.make_offer(session, policy, case_no, team.clerk, "refund", "1980",
                                description="原價退貨", approver=team.manager, now=at)
            for seq in (1, 2, 3):
                services.record_answer(session, policy, case_no, seq, team.clerk, "accepted",
                                       now=at + timedelta(minutes=1))
        for step in (Step.PROPOSE, Step.CONFIRM):
            at += timedelta(minutes=3)
            _step(session, policy, case_no, team.clerk, step, at)
        services.resolve(session, policy, case_no, team.clerk, "全額退貨並雙倍返還多收金額",
                         "founded", now=at + timedelta(minutes=5))
        if paid:
            services.record_signature(session, case_no, team.clerk, "李大華",
                                      now=at + timedelta(minutes=6))
    return case_no


def print_pdf(store, policy, case_no, actor, **kw) -> bytes:
    with store.write(system="test") as session:
        return services.print_case(session, policy, case_no, actor, **kw)


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def label(n: int, locale: str) -> str:
    with using_locale(locale):
        return _(COPY_LABELS[n])


@pytest.fixture
def case_no(store, policy, team):
    return worked_case(store, policy, team)


@pytest.mark.parametrize("locale", ["zh_TW", "zh_CN", "en"])
@SQLITE_ONLY
def test_three_copies_in_order_each_with_the_case_on_it(store, policy, team, case_no, locale):
    texts = pages_text(print_pdf(store, policy, case_no, team.clerk, locale=locale))
    assert len(texts) == 3
    with using_locale(locale):
        amounts = [format_money(Decimal(v), policy.currency) for v in ("300", "200", "1980", "2480")]
        route = _(COST_ROUTE)
    for n, text in enumerate(texts, start=1):
        assert label(n, locale) in text
        assert case_no in text
        assert "李大華" in text and "好鞋坊" in text
        assert "開膠" in text            # CJK text is extractable, not just drawn
        for amount in amounts:
            assert amount in text
    assert route.split("：")[0].split(":")[0] in texts[1]


@SQLITE_ONLY
def test_every_font_is_embedded_as_truetype(store, policy, team, case_no):
    reader = PdfReader(io.BytesIO(print_pdf(store, policy, case_no, team.clerk)))
    fonts = {}

    def collect(resources):
        resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            fonts[font["/BaseFont"]] = font
        for xobject in (resources.get("/XObject") or {}).values():
            xobject = xobject.get_object()
            if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
                collect(xobject["/Resources"])

    for page in reader.pages:
        collect(page["/Resources"])
    assert fonts
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:    # a Type0 font: the descriptor is on its descendant
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"


@SQLITE_ONLY
def test_a_long_complaint_continues_on_follow_on_pages(store, policy, team):
    case_no = worked_case(store, policy, team, complaint=(COMPLAINT * 60)[:5000])
    texts = pages_text(print_pdf(store, policy, case_no, team.clerk, locale="en"))
    per_copy = len(texts) // 3
    assert per_copy >= 2 and len(texts) == 3 * per_copy
    for i, text in enumerate(texts):
        copy, page = divmod(i, per_copy)
        assert label(copy + 1, "en") in text
        assert case_no in text
        assert f"Page {page + 1}/{per_copy}" in text
        assert ("(continued)" in text) == (page > 0)
    # Nothing clipped: every character of the complaint is somewhere in the copy.
    first_copy = "".join(texts[:per_copy]).replace("\n", "")
    assert first_copy.count("多收了一百元") == (COMPLAINT * 60)[:5000].count("多收了一百元")


def test_each_print_is_recorded_and_a_reprint_says_so(store, policy, team, case_no):
    first = pages_text(print_pdf(store, policy, case_no, team.clerk, locale="zh_TW"))
    second = pages_text(print_pdf(store, policy, case_no, team.supervisor, locale="zh_TW",
                                  copies="2", paper="continuous"))
    with using_locale("zh_TW"):
        stamp = _("Reprint {n}").format(n=1)
    assert not any(stamp in t for t in first)
    assert len(second) == 1 and stamp in second[0]
    assert label(2, "zh_TW") not in second[0]    # a carbon set's sheets carry their labels
    with store.read() as session:
        prints = case_detail(session, case_no).prints
    assert [(p.reprint_no, p.copies, p.paper, p.staff) for p in prints] == [
        (0, "1,2,3", "a4", team.clerk.name), (1, "2", "continuous", team.supervisor.name)]


@SQLITE_ONLY
def test_paper_sizes(store, policy, team, case_no):
    a4 = PdfReader(io.BytesIO(print_pdf(store, policy, case_no, team.clerk, paper="a4")))
    cont = PdfReader(io.BytesIO(print_pdf(store, policy, case_no, team.clerk,
                                          paper="continuous")))
    assert [round(float(v)) for v in a4.pages[0].mediabox[2:]] == [595, 842]
    assert [round(float(v)) for v in cont.pages[0].mediabox[2:]] == [684, 792]   # 9.5 x 11 in


def test_finance_signs_only_when_a_cost_was_paid(store, policy, team):
    unpaid = worked_case(store, policy, team, paid=False)
    texts = pages_text(print_pdf(store, policy, unpaid, team.clerk, locale="en"))
    assert "Finance (cost review)" not in texts[0]
    assert "Recipient's signature" not in texts[0]
    assert NO_COST_ROUTE.split(":")[0] in texts[1]
    for box in ("Recording unit head", "Handling unit head", "Audit office"):
        assert box in texts[0]
    paid = pages_text(print_pdf(store, policy, worked_case(store, policy, team), team.clerk,
                                locale="en"))
    assert "Finance (cost review)" in paid[0] and "Recipient's signature" in paid[0]


@pytest.mark.parametrize("kwargs, error", [
    ({"copies": "1,4"}, ValidationError), ({"copies": ""}, ValidationError),
    ({"paper": "letter"}, ValidationError), ({"locale": "fr"}, ValidationError),
])
@SQLITE_ONLY
def test_bad_choices_are_refused_and_nothing_is_recorded(store, policy, team, case_no, kwargs,
                                                         error):
    with pytest.raises(error):
        print_pdf(store, policy, case_no, team.clerk, **kwargs)
    with store.read() as session:
        assert session.scalars(select(PrintRecord)).all() == []


@SQLITE_ONLY
def test_unknown_case_and_unusable_font_record_nothing(store, policy, team, case_no, tmp_path):
    with pytest.raises(NotFound):
        print_pdf(store, policy, "A-20991231-0001", team.clerk)
    bad = tmp_path / "cff.otf"
    bad.write_bytes(b"OTTO\x00\x01\x00\x00\x00\x00\x00\x00" + b"CFF " + b"\x00" * 12)
    from dataclasses import replace
    with pytest.raises(FontError):
        print_pdf(store, replace(policy, font=bad), case_no, team.clerk)
    with store.read() as session:
        assert session.scalars(select(PrintRecord)).all() == []


@SQLITE_ONLY
def test_missing_logo_voided_case_and_missing_glyphs(store, policy, team, case_no):
    from dataclasses import replace
    with store.read() as session:
        detail = case_detail(session, case_no)
    odd = replace(detail, status="voided", customer_name="李\U0002A6A5華")  # a rare name character
    pdf = render_triplicate(odd, replace(policy, logo=None), printed_by="x", locale="en",
                            paper="a4", copies=(1,))
    text = pages_text(pdf)[0]
    assert "VOIDED" in text
    assert f"李{MISSING_MARK}華" in text     # shown as 〓, never as a silent blank


def test_steps_show_their_time_or_the_reason_they_were_skipped(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    with store.write(system="test") as session:
        _step(session, policy, case_no, team.clerk, Step.LISTEN, T0 + timedelta(minutes=1))
        services.record_step(session, policy, case_no, team.clerk, "thank",
                             skip_reason="顧客趕時間先離開", now=T0 + timedelta(minutes=2))
    text = pages_text(print_pdf(store, policy, case_no, team.clerk, locale="en", copies="1"))[0]
    assert "2026-11-22 14:01" in text
    assert "Skipped: 顧客趕時間先離開" in text
    assert "No offer was made." in text and "No compensation was paid." in text
