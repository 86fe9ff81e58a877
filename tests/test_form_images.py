"""The form as a printer would see it: pages rendered to images with pdftoppm, checked for
each copy's tint and for ink where the header, the body and the footer should be."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from desk.forms import render_triplicate
from desk.forms.sample import sample_detail

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                reason="pdftoppm (poppler-utils) is not installed")
Image = pytest.importorskip("PIL.Image", reason="Pillow (a ReportLab dependency) is missing")


def render_pages(pdf: bytes, tmp_path, dpi: int = 60) -> list:
    source = tmp_path / "form.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(source), str(tmp_path / "page")],
                   check=True, capture_output=True, timeout=60)
    return [Image.open(p).convert("RGB") for p in sorted(tmp_path.glob("page-*.png"))]


def hex_rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def ink_share(image, box) -> float:
    """The share of clearly dark pixels in ``box`` (fractions of the page)."""
    w, h = image.size
    crop = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    histogram = crop.convert("L").histogram()
    return sum(histogram[:170]) / sum(histogram)


def test_each_copy_has_its_tint_and_its_text(policy, tmp_path):
    pdf = render_triplicate(sample_detail("zh_TW"), policy, printed_by="陳美玲 (C001)",
                            locale="zh_TW", paper="a4")
    pages = render_pages(pdf, tmp_path)
    per_copy = len(pages) // 3
    assert per_copy >= 1 and len(pages) == 3 * per_copy
    pages = pages[::per_copy]                 # the first sheet of each copy
    for copy, image in enumerate(pages):
        corner = image.getpixel((2, image.size[1] // 2))
        assert all(abs(a - b) <= 6 for a, b in zip(corner, hex_rgb(policy.tints[copy]))), corner
        assert ink_share(image, (0.05, 0.01, 0.95, 0.10)) > 0.02     # title, label, barcode
        assert ink_share(image, (0.10, 0.15, 0.90, 0.85)) > 0.02     # the body
        assert ink_share(image, (0.05, 0.96, 0.60, 0.995)) > 0.005   # printed-at footer
    assert pages[1].getpixel((2, 2)) != pages[2].getpixel((2, 2))


def test_continuous_carbon_set_prints_one_pass_of_the_body_without_tints(policy, tmp_path):
    """A carbonless set on a dot-matrix printer: the sheets carry their tint, title and copy
    label already, so one pass prints the body, the case number and the footer only."""
    (tmp_path / "one").mkdir()
    one = render_pages(render_triplicate(sample_detail("zh_TW"), policy, printed_by="x",
                                         locale="zh_TW", paper="continuous", copies=(1,)),
                       tmp_path / "one")
    pages = render_pages(render_triplicate(sample_detail("zh_TW"), policy, printed_by="x",
                                           locale="zh_TW", paper="continuous"), tmp_path)
    assert len(pages) == len(one)              # three copies, one pass
    for image in pages:
        for corner in ((2, 2), (2, image.size[1] // 2), (image.size[0] - 3, image.size[1] - 3)):
            assert image.getpixel(corner)[:3] == (255, 255, 255), corner
        assert ink_share(image, (0.05, 0.01, 0.45, 0.06)) < 0.002    # no title: pre-printed
        assert ink_share(image, (0.60, 0.01, 0.95, 0.06)) > 0.02     # the case's barcode
    assert ink_share(pages[0], (0.10, 0.15, 0.90, 0.85)) > 0.02      # the body


def test_continuation_pages_keep_the_tint(policy, tmp_path):
    pdf = render_triplicate(sample_detail("zh_TW", long_text=True), policy, printed_by="x",
                            locale="zh_TW", paper="a4", copies=(2,), reprint_no=3)
    pages = render_pages(pdf, tmp_path)
    assert len(pages) >= 2
    for image in pages:
        corner = image.getpixel((2, 2))
        assert all(abs(a - b) <= 6 for a, b in zip(corner, hex_rgb(policy.tints[1])))
        assert ink_share(image, (0.10, 0.15, 0.90, 0.40)) > 0.02
