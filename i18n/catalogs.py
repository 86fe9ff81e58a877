"""Keep the gettext catalogs in step with the code.

    python i18n/catalogs.py extract   # sources -> i18n/desk.pot -> update the three .po files
    python i18n/catalogs.py merge     # fill translations from i18n/pending/*.json
    python i18n/catalogs.py missing   # list messages still untranslated, per locale

English is the source language: its catalog repeats each message. The pending files map an
English message to {"zh_TW": "...", "zh_CN": "..."}; they let several people translate
without editing the .po files at the same time.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "i18n"
POT = I18N / "desk.pot"
LOCALES = ("zh_TW", "zh_CN", "en")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def po_path(locale: str) -> Path:
    return I18N / locale / "LC_MESSAGES" / "desk.po"


def build_template() -> Catalog:
    template = Catalog(project="complaint-desk", charset="utf-8")
    for folder in ("desk", "ui"):
        base = ROOT / folder
        if not base.exists():
            continue
        for filename, lineno, message, comments, context in extract_from_dir(
                base, method_map=[("**.py", "python")], keywords=KEYWORDS):
            template.add(message, None, [(f"{folder}/{filename}", lineno)],
                         auto_comments=comments, context=context)
    return template


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=locale)


def write(path: Path, catalog: Catalog) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)


def extract() -> None:
    template = build_template()
    write(POT, template)
    for locale in LOCALES:
        path = po_path(locale)
        catalog = read(path, locale) if path.exists() else Catalog(locale=locale)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if locale == "en":
            for message in catalog:
                if message.id and not message.string:
                    message.string = message.id
        write(path, catalog)
    print(f"{len(template)} messages")


def merge() -> None:
    pending: dict[str, dict] = {}
    for file in sorted((I18N / "pending").glob("*.json")):
        pending.update(json.loads(file.read_text(encoding="utf-8")))
    for locale in ("zh_TW", "zh_CN"):
        path = po_path(locale)
        catalog = read(path, locale)
        filled = 0
        for message in catalog:
            if not message.id or isinstance(message.id, tuple):
                continue
            text = pending.get(message.id, {}).get(locale)
            if text and message.string != text:
                message.string = text
                message.flags.discard("fuzzy")
                filled += 1
        write(path, catalog)
        print(f"{locale}: {filled} filled")


def missing() -> dict[str, list[str]]:
    result = {}
    for locale in LOCALES:
        catalog = read(po_path(locale), locale)
        result[locale] = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    return result


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "extract"
    if command == "extract":
        extract()
    elif command == "merge":
        merge()
    elif command == "missing":
        print(json.dumps(missing(), ensure_ascii=False, indent=1))
    else:
        sys.exit(__doc__)
