"""Regenerate the reviewed sample forms in this folder: one PDF and PNG pages per locale.

    .venv/bin/python docs/forms/make_samples.py

Translations come from the catalogs in i18n/, with i18n/pending/*.json filling msgids the
catalogs do not have yet, so the samples read as the merged catalogs will. Needs pdftoppm.
"""
from __future__ import annotations

import gettext
import json
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from desk import i18n  # noqa: E402
from desk.forms import render_triplicate  # noqa: E402
from desk.forms.sample import sample_detail  # noqa: E402
from desk.policy import load_policy  # noqa: E402

PRINTED_AT = datetime(2026, 11, 22, 3, 0, tzinfo=timezone.utc)   # fixed, so the PNGs are stable
PRINTED_BY = {"zh_TW": "陳美玲 (C001)", "zh_CN": "陈美玲 (C001)", "en": "May Chen (C001)"}


class _Pending(gettext.NullTranslations):
    def __init__(self, catalog: gettext.NullTranslations, pending: dict[str, str]) -> None:
        super().__init__()
        self.catalog, self.pending = catalog, pending

    def gettext(self, message: str) -> str:
        found = self.catalog.gettext(message)
        return found if found != message else self.pending.get(message, message)


def _with_pending() -> None:
    pending: dict[str, dict[str, str]] = {}
    for path in sorted((ROOT / "i18n" / "pending").glob("*.json")):
        for msgid, by_locale in json.loads(path.read_text(encoding="utf-8")).items():
            for locale, text in by_locale.items():
                pending.setdefault(locale, {})[msgid] = text
    catalogs = i18n.translations
    i18n.translations = lambda locale: _Pending(catalogs(locale), pending.get(locale, {}))


def main() -> None:
    _with_pending()
    policy = load_policy()
    for locale in i18n.LOCALES:
        pdf = render_triplicate(sample_detail(locale), policy, printed_by=PRINTED_BY[locale],
                                locale=locale, paper="a4", reprint_no=0,
                                printed_at=PRINTED_AT)
        target = HERE / f"sample-{locale}.pdf"
        target.write_bytes(pdf)
        for old in HERE.glob(f"sample-{locale}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "80", "-png", str(target), str(HERE / f"sample-{locale}")],
                       check=True)
    # The continuous (9.5 x 11 in) paper and a reprint whose long complaint needs a second sheet.
    pdf = render_triplicate(sample_detail("zh_TW", long_text=True), policy,
                            printed_by=PRINTED_BY["zh_TW"], locale="zh_TW", paper="continuous",
                            copies=(2,), reprint_no=2, printed_at=PRINTED_AT)
    target = HERE / "sample-zh_TW-continuous-reprint.pdf"
    target.write_bytes(pdf)
    for old in HERE.glob("sample-zh_TW-continuous-reprint-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "80", "-png", str(target),
                    str(HERE / "sample-zh_TW-continuous-reprint")], check=True)


if __name__ == "__main__":
    main()
