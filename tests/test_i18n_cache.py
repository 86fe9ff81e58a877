"""Compiled catalogs are kept in the user cache and never outlive an edit of their .po."""
import gettext
import io
from pathlib import Path

from desk import catalog_cache, i18n
from desk.paths import i18n_dir

PO = """msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

msgid "Save"
msgstr "{text}"
"""


def _write_po(path: Path, text: str) -> Path:
    path.write_text(PO.format(text=text), encoding="utf-8")
    return path


def _translate(compiled: bytes, message: str) -> str:
    return gettext.GNUTranslations(io.BytesIO(compiled)).gettext(message)


def _compiled(po: Path, cache: Path, locale: str = "zh_TW") -> bytes:
    return catalog_cache.compiled_catalog(po, locale, "desk", cache)


def test_compiled_once_then_read_from_the_cache(tmp_path, monkeypatch):
    po = _write_po(tmp_path / "desk.po", "儲存")
    cache = tmp_path / "cache"
    assert _translate(_compiled(po, cache), "Save") == "儲存"
    assert len(list(cache.glob("*.mo"))) == 1

    def no_compiling(*_args):
        raise AssertionError("compiled again although the .po did not change")
    monkeypatch.setattr(catalog_cache, "compile_po", no_compiling)
    assert _translate(_compiled(po, cache), "Save") == "儲存"


def test_an_edited_po_replaces_its_cached_catalog(tmp_path):
    po = _write_po(tmp_path / "desk.po", "儲存")
    cache = tmp_path / "cache"
    catalog_cache.compiled_catalog(po, "zh_TW", "desk", cache)
    _write_po(po, "存檔")   # same size, perhaps the same mtime: the digest still differs
    assert _translate(_compiled(po, cache), "Save") == "存檔"
    assert len(list(cache.glob("desk-zh_TW-*.mo"))) == 1, "the stale version is removed"


def test_other_locales_keep_their_cached_catalogs(tmp_path):
    cache = tmp_path / "cache"
    catalog_cache.compiled_catalog(_write_po(tmp_path / "tw.po", "儲存"), "zh_TW", "desk", cache)
    catalog_cache.compiled_catalog(_write_po(tmp_path / "cn.po", "保存"), "zh_CN", "desk", cache)
    assert len(list(cache.glob("*.mo"))) == 2


def test_an_unwritable_cache_still_translates(tmp_path):
    po = _write_po(tmp_path / "desk.po", "儲存")
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert _translate(catalog_cache.compiled_catalog(po, "zh_TW", "desk", blocked / "cache"),
                      "Save") == "儲存"


def test_the_cached_catalog_matches_compiling_the_shipped_po(tmp_path):
    po = i18n_dir() / "zh_TW" / "LC_MESSAGES" / "desk.po"
    cached = catalog_cache.compiled_catalog(po, "zh_TW", "desk", tmp_path)
    fresh = catalog_cache.compile_po(po.read_bytes(), "zh_TW")
    assert cached == fresh
    assert _translate(cached, "is required") == "為必填"


def test_translations_use_the_user_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path / "data"))
    i18n.translations.cache_clear()
    try:
        assert i18n.translations("zh_CN").gettext("is required") == "为必填"
        assert list((tmp_path / "data" / "cache" / "catalogs").glob("desk-zh_CN-*.mo"))
    finally:
        i18n.translations.cache_clear()
