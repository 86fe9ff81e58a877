"""The form font: TrueType only, loaded once, and covering every label and sample text (a
missing glyph would print as a silent blank)."""
from __future__ import annotations

import json
import struct
import time
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from desk.enums import POLICY_LABELS, Labelled
from desk.forms.fonts import FontError, check_font, missing_glyphs, policy_font, register_font
from desk.forms.sample import sample_detail
from desk.i18n import LOCALES, using_locale
from desk.paths import i18n_dir, resources_dir


def _sfnt(version: bytes, tags: list[bytes]) -> bytes:
    header = version + struct.pack(">HHHH", len(tags), 0, 0, 0)
    return header + b"".join(tag + b"\x00" * 12 for tag in tags)


def test_default_font_is_shipped_with_its_licence(policy):
    assert policy.font.is_file()
    assert policy.font.parent == resources_dir() / "fonts"
    licence = (resources_dir() / "fonts" / "LICENSE-wqy-microhei.txt").read_text(encoding="utf-8")
    assert "Apache License" in licence and "WenQuanYi" in licence


def test_postscript_outlines_are_refused_with_a_translated_message(tmp_path):
    cff = tmp_path / "NotoSansCJK.otf"
    cff.write_bytes(_sfnt(b"OTTO", [b"CFF ", b"cmap", b"head"]))
    with pytest.raises(FontError) as err:
        register_font(cff)
    assert "CFF" in str(err.value)
    with using_locale("zh_TW"):
        zh = str(err.value)
    assert "CFF" in zh
    collection = tmp_path / "cff.ttc"
    face = _sfnt(b"\x00\x01\x00\x00", [b"CFF2", b"cmap"])
    collection.write_bytes(b"ttcf" + struct.pack(">HHI", 1, 0, 1) + struct.pack(">I", 16) + face)
    with pytest.raises(FontError):
        check_font(collection, 0)


def test_missing_font_and_missing_face_are_named(tmp_path, policy):
    with pytest.raises(FontError) as err:
        register_font(tmp_path / "nowhere.ttf")
    assert "nowhere.ttf" in str(err.value)
    with pytest.raises(FontError):
        register_font(policy.font, 7)


def test_font_is_loaded_once_per_process(policy):
    name = policy_font(policy)
    start = time.perf_counter()
    for _ in range(100):
        assert policy_font(policy) == name
    assert time.perf_counter() - start < 0.05


def _catalog_strings() -> dict[str, set[str]]:
    strings: dict[str, set[str]] = {}
    for locale in LOCALES:
        path = i18n_dir() / locale / "LC_MESSAGES" / "desk.po"
        if path.exists():
            with path.open("rb") as fh:
                for message in read_po(fh, locale=locale):
                    if message.id and message.string:
                        texts = message.string if isinstance(message.string, tuple) else (message.string,)
                        strings.setdefault(f"{locale} catalog", set()).update(texts)
    for path in sorted((i18n_dir() / "pending").glob("*.json")):
        for msgid, by_locale in json.loads(path.read_text(encoding="utf-8")).items():
            strings.setdefault(path.name, set()).add(msgid)
            strings[path.name].update(by_locale.values())
    return strings


def test_every_label_and_sample_text_has_a_glyph(policy):
    font = policy_font(policy)
    sources = _catalog_strings()
    assert any("forms.json" in name for name in sources)
    english = set(POLICY_LABELS.values())
    for enum in Labelled.__subclasses__():
        english.update(enum.LABELS.values())
    sources["English labels"] = english
    samples = set()
    for locale in LOCALES:
        d = sample_detail(locale)
        samples.update([d.complaint, d.request, d.handling_result, d.customer_name,
                        d.subject_name or ""] + [t for _u, t in d.assisting]
                       + [o.description for o in d.offers] + [s.note for s in d.steps])
    samples.add("★☆〓（）「」『』、。，；：！？—…·×−“”‘’¥€£NT$HK$CN¥")
    sources["sample case text"] = samples
    problems = {name: "".join(sorted(missing_glyphs(font, "".join(texts))))
                for name, texts in sources.items()}
    assert {name: chars for name, chars in problems.items() if chars} == {}


def test_tick_boxes_are_drawn_not_typed():
    # ReportLab would print a missing ☐/☑ glyph as nothing at all.
    source = "".join(p.read_text(encoding="utf-8")
                     for p in (Path(__file__).parents[1] / "desk" / "forms").glob("*.py"))
    assert not set("☐☑☒✓✔") & set(source)
