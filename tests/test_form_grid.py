"""The form's fast drawing paths against ReportLab's own: a Grid is sized like the Table it
replaces, and plain-text paragraphs get the fragments ReportLab's markup parser would make."""
from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from desk.forms import render_triplicate
from desk.forms.fonts import policy_font
from desk.forms.grid import Grid
from desk.forms.layout import cjk_styles, paper_for, styles
from desk.forms.plain import fragments, markup
from desk.forms.sample import sample_detail
from desk.forms.story import Context, StoryBuilder
from desk.i18n import using_locale

TRICKY = ["", "plain", " a  b & c\nd \n\n e ", "\n", "a\n", "\na", "&&<<>>", "<br/>",
          "x &amp; y", "全形\u3000空格　與\xa0不斷行，「引號」", "\t tab\r\n crlf ", "a&b&c", " & "]


def _grids(flowables):
    for item in flowables:
        if isinstance(item, KeepTogether):
            yield from _grids(item._content)
        elif isinstance(item, Grid):
            yield item
            yield from _grids(v for row in item._cellvalues for v in row)


@pytest.mark.parametrize("locale", ["zh_TW", "en"])
def test_every_grid_is_sized_and_placed_like_its_table(policy, locale):
    font, width = policy_font(policy), paper_for("a4").frame_width
    ctx = Context(font, width, policy.currency, policy.tz, locale)
    with using_locale(locale):
        grids = list(_grids(StoryBuilder(sample_detail(locale), ctx).build()))
    assert len(grids) >= 10
    for grid in grids:
        size = grid.wrap(width, 800)
        table = grid.table()
        assert size == pytest.approx(table.wrap(width, 800), abs=1e-9)
        assert grid.rows == pytest.approx(table._rowpositions, abs=1e-9)
        assert grid.cols == pytest.approx(table._colpositions, abs=1e-9)


@pytest.mark.parametrize("wrap", ["words", "cjk"])
@pytest.mark.parametrize("style", ["value", "label", "text"])
def test_plain_text_fragments_are_the_parsers(policy, wrap, style):
    font = policy_font(policy)
    chosen: ParagraphStyle = (styles(font) if wrap == "words" else cjk_styles(font))[style]
    texts = TRICKY + [sample_detail(loc, long_text=True).complaint for loc in ("zh_TW", "en")]
    for text in texts:
        parser = ParaParser()
        parser.caseSensitive = 1
        expected = parser.parse(cleanBlockQuotedText(markup(text)), chosen)[1]
        assert [f.__dict__ for f in fragments(markup(text), chosen)] == \
            [f.__dict__ for f in expected], text


def test_a_section_taller_than_a_sheet_splits_and_repeats_its_heading(policy):
    detail = sample_detail("en")
    many = [replace(o, seq=n + 1) for n, o in enumerate(list(detail.offers) * 14)]
    pdf = render_triplicate(replace(detail, offers=many), policy, printed_by="x", locale="en",
                            paper="a4", copies=(1,))
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) >= 2
    offer_pages = [text for text in pages if "Offers and approvals" in text]
    assert len(offer_pages) >= 2           # the heading and column titles repeat
    assert all("Customer's answer" in text for text in offer_pages)
    body = "\n".join(pages)
    assert f"\n{len(many)} " in body or f"{len(many)}\n" in body   # the last offer is there


def test_the_logo_is_the_image_drawImage_would_embed(policy):
    from reportlab.pdfgen.canvas import Canvas

    from desk.forms.furniture import load_logo

    def images(pdf: bytes) -> list[tuple]:
        found = []
        for page in PdfReader(io.BytesIO(pdf)).pages:
            stack = [page["/Resources"]]
            while stack:
                for xobject in stack.pop().get("/XObject", {}).values():
                    xobject = xobject.get_object()
                    if xobject["/Subtype"] == "/Image":
                        mask = xobject["/SMask"].get_object()
                        found.append((xobject["/Width"], xobject["/Height"], xobject.get_data(),
                                      mask.get_data()))
                    elif "/Resources" in xobject:
                        stack.append(xobject["/Resources"])
        return found

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawImage(load_logo(policy.logo), 0, 0, 36, 36, preserveAspectRatio=True, mask="auto")
    canvas.save()
    expected = images(buffer.getvalue())
    assert len(expected) == 1
    for _ in range(2):   # the first form encodes the logo, the second reuses it
        pdf = render_triplicate(sample_detail("en"), policy, printed_by="x", locale="en",
                                paper="a4")
        assert set(images(pdf)) == set(expected)


def test_quickly_deflated_fonts_decode_to_the_same_file(policy, monkeypatch):
    from datetime import datetime, timezone

    from desk.forms.furniture import CopiesCanvas

    def decoded_streams(pdf: bytes) -> list[bytes]:
        reader = PdfReader(io.BytesIO(pdf))
        objects = (reader.get_object(n) for n in range(1, reader.trailer["/Size"]))
        return [obj.get_data() for obj in objects if hasattr(obj, "get_data")]

    at = datetime(2026, 12, 1, 3, 0, tzinfo=timezone.utc)
    detail = sample_detail("zh_TW")
    quick = render_triplicate(detail, policy, printed_by="x", locale="zh_TW", paper="a4",
                              printed_at=at)
    monkeypatch.setattr(CopiesCanvas, "_deflate_quickly", lambda canvas: None)   # ReportLab's
    default = render_triplicate(detail, policy, printed_by="x", locale="zh_TW", paper="a4",
                                printed_at=at)
    assert quick.count(b"/FontFile2") == default.count(b"/FontFile2") >= 1
    assert quick != default                                  # the fonts were deflated anew
    assert decoded_streams(quick) == decoded_streams(default)   # to the very same bytes
