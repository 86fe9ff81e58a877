"""Screenshots of the batch radar in each language, into docs/screenshots/: the intake's
hint while a fifth customer's complaint about the shoe shop is typed, the watch-list, and
the review screen's Patterns tab, on the sample store of docs/reports/make_radar_samples.py.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots_radar.py
"""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT / "docs" / "reports"))

LOCALES = ("zh_TW", "zh_CN", "en")
TYPED_AT = datetime(2026, 11, 21, 16, 30, tzinfo=ZoneInfo("Asia/Taipei"))


def main() -> int:
    data = Path(tempfile.mkdtemp(prefix="desk-radar-shots-"))
    os.environ["DESK_DATA_DIR"] = str(data)
    from make_radar_samples import build_store
    from screenshots import shoot
    from tests.conftest import PINS
    from desk.app.review import StoreReview
    from ui.app import load_fonts, make_app
    from ui.draft import DraftStore
    from ui.intake import IntakeForm
    from ui.language import Language
    from ui.radar_hint import RadarHint
    from ui.review import ReviewWindow
    from ui.session import Desk
    from ui.watch_list import WatchList
    from ui.widgets import to_qdatetime

    app = make_app()
    load_fonts()
    store, policy, team = build_store(data)
    clerk = Desk(store, policy, desk_letter="A")
    clerk.sign_in("C001", PINS["C001"])
    manager = Desk(store, policy, desk_letter="A")
    manager.sign_in("A001", PINS["A001"])
    language = Language(app)
    for locale in LOCALES:
        language.switch(locale)
        form = IntakeForm(clerk, DraftStore(data / "draft.json"), autosave_ms=600_000)
        form.resize(620, 900)
        form.show()
        form.fields["received_at"].setDateTime(to_qdatetime(TYPED_AT, policy.timezone))
        for name, text in (("customer.name", "周小姐"), ("customer.phone", "0966-321-654"),
                           ("subject.name", "好鞋坊")):
            form.fields[name].setText(text)
            form.fields[name].textEdited.emit(text)
        form.fields["subject.kind"].set_key("tenant")
        form.fields["complaint"].setPlainText("上週在好鞋坊買的鞋，鞋底已經開膠")
        form.findChild(RadarHint, "radar_hint").show_now()
        shoot(app, form, f"{locale}-intake_radar.png")
        form.close()
        watch = WatchList(manager)
        watch.resize(1100, 600)
        watch.show()
        watch.batch_view.selectRow(1)
        shoot(app, watch, f"{locale}-watch_list.png")
        watch.close()
        review = ReviewWindow(StoreReview(store, policy, team.supervisor), policy,
                              day=date(2026, 11, 20))
        review.show()
        review.tabs.setCurrentWidget(review.patterns)
        shoot(app, review, f"{locale}-review_patterns.png")
        review.close()
        for widget in (form, watch, review):
            widget.deleteLater()
        app.processEvents()
    store.close()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)
