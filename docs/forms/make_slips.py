"""Regenerate the reviewed acknowledgement slips in slips/: for each locale, the 80 mm
receipt and the A4 page, as PDF and PNG, from the sample case as it stands at the counter
(not yet resolved, a reply promised, the customer wanting a text message).

    .venv/bin/python docs/forms/make_slips.py

Translations as in make_samples.py (the catalogs, with i18n/pending filling the new ones).
Needs pdftoppm.
"""
from __future__ import annotations

import dataclasses
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

from make_samples import PRINTED_AT, _with_pending  # noqa: E402

from desk import i18n  # noqa: E402
from desk.forms.sample import sample_detail  # noqa: E402
from desk.forms.slip import render_slip  # noqa: E402
from desk.policy import load_policy  # noqa: E402
from desk.privacy import for_viewer  # noqa: E402

OUT = HERE / "slips"


def main() -> None:
    _with_pending()
    policy = load_policy()
    OUT.mkdir(exist_ok=True)
    for locale in i18n.LOCALES:
        detail = sample_detail(locale)
        detail = dataclasses.replace(       # at the counter: promised a reply, by text message
            detail, status="in_progress", resolved_at=None, closed_at=None,
            promised_reply_at=detail.received_at + timedelta(hours=4),
            contact_channel="sms", contact_consent=True)
        detail = for_viewer(detail, policy, None)      # the door masks the slip's details
        for paper in ("receipt", "a4"):
            target = OUT / f"slip-{locale}-{paper}.pdf"
            target.write_bytes(render_slip(detail, policy, locale=locale, paper=paper,
                                           printed_at=PRINTED_AT))
            for old in OUT.glob(f"slip-{locale}-{paper}-*.png"):
                old.unlink()
            subprocess.run(["pdftoppm", "-r", "100" if paper == "receipt" else "60", "-png",
                            str(target), str(OUT / f"slip-{locale}-{paper}")], check=True)


if __name__ == "__main__":
    main()
