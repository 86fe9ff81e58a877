"""Makes the batch radar's sample PDFs kept beside this file: a small store whose week of
16-22 November holds two batch complaints (four customers about one shoe shop, three about
the B1 escalator in their own words), a complaint against a staff member and the usual
mix, then in zh_TW, zh_CN and en the one-page batch notice and the weekly report's
"seeing the pattern" pages, each page 1 as PNG.

    python docs/reports/make_radar_samples.py     (needs pdftoppm for the PNGs)
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

TZ = ZoneInfo("Asia/Taipei")
WEEK = date(2026, 11, 16)
LOCALES = ("zh_TW", "zh_CN", "en")
SHOES = ["在好鞋坊買的皮鞋穿三天鞋底就開膠", "好鞋坊的鞋子鞋底開膠，才買一週",
         "好鞋坊买的鞋开胶了，鞋底整片脱落", "鞋底開膠，好鞋坊說要送修兩週"]
ESCALATOR = ["B1手扶梯突然停止，我差點跌倒", "B1的手扶梯又突然停止，小孩嚇到",
             "B1手扶梯突然停止运转，老人家站不稳"]
OTHERS = [("停車場繳費機不收紙鈔", "facility", None), ("美食街座位不夠，桌子很髒", "facility", None),
          ("晨光咖啡的拿鐵太甜，店員不肯重做", "tenant", "晨光咖啡"),
          ("週年慶贈品已經送完，海報卻還掛著", "campaign", "週年慶贈品"),
          ("停車場繳費機又壞了，排很久", "facility", None)]


def build_store(folder: Path):
    """The sample store, its policy and who works at it (every write through the services,
    so the radar finds the batches as the counter would)."""
    from desk import services
    from desk.policy import load_policy
    from desk.store import Store
    from tests.conftest import make_team
    policy = load_policy()
    store = Store("sqlite:///" + (folder / "radar-sample.sqlite3").as_posix())
    team = make_team(store, policy)

    def take(at: datetime, n: int, complaint: str, kind: str, name: str | None,
             category: str = "goods_rights", staff: str | None = None) -> str:
        with store.write(team.clerk) as s:
            return services.take_complaint(s, policy, team.clerk, services.CaseInput(
                desk="A", channel="counter", customer_name=f"顧客{n:02d}",
                customer_phone=f"0912-{n:03d}-{n:03d}", category=category, complaint=complaint,
                motive="compensation", severity=1, subject_kind=kind, subject_name=name,
                subject_staff=staff, received_at=at), now=at).case_no

    day = lambda d, h: datetime(WEEK.year, WEEK.month, WEEK.day, h, 10, tzinfo=TZ) \
        + timedelta(days=d)   # noqa: E731
    n = 0
    for d, (text, kind, name) in enumerate(OTHERS * 2):     # the week before and this one
        n += 1
        category = "tenant" if kind == "tenant" else ("campaign" if kind == "campaign"
                                                      else "facility")
        take(day(d - 7 if d < 5 else d - 5, 11), n, text, kind, name, category)
    for d, text in enumerate(SHOES):
        n += 1
        take(day(d + 1, 15), n, text, "tenant", "好鞋坊")
    for d, text in enumerate(ESCALATOR):
        n += 1
        take(day(d + 3, 10), n, text, "facility", None, "facility")
    n += 1
    take(day(2, 16), n, "服務台人員講話很不耐煩", "staff", None, "service_attitude",
         staff=team.clerk2.staff_no)
    return store, policy, team


def main() -> None:
    from desk.app.batches import Batches
    from desk.i18n import _, set_locale
    from desk.reports.stats import week_stats
    from desk.reports.pdf import render_report
    with tempfile.TemporaryDirectory() as tmp:
        store, policy, team = build_store(Path(tmp))
        door = Batches(store, policy, team.gm)
        batches = door.watch_list()
        with store.read() as session:
            stats = week_stats(session, policy, WEEK)
        for locale in LOCALES:
            set_locale(locale)
            notice = HERE / f"batch-notice-{locale}.pdf"
            shoes = next(b for b in batches if b.topic == "好鞋坊")
            notice.write_bytes(door.notice_pdf(shoes.batch_no, locale=locale))
            report = HERE / f"weekly-patterns-{locale}.pdf"
            report.write_bytes(render_report(stats, policy, locale=locale))
            _png(notice, 1, HERE / f"batch-notice-{locale}")
            first, last = _pattern_pages(report, _("Seeing the pattern"))
            _png(report, first, HERE / f"weekly-patterns-{locale}-1")
            if last != first:
                _png(report, last, HERE / f"weekly-patterns-{locale}-2")
        store.close()


def _pattern_pages(path: Path, heading: str) -> tuple[int, int]:
    """The first page of the "seeing the pattern" part and the report's last page."""
    from pypdf import PdfReader
    pages = PdfReader(str(path)).pages
    first = next(i for i, page in enumerate(pages, 1) if heading in page.extract_text())
    return first, len(pages)


def _png(pdf: Path, page: int, stem: Path) -> None:
    if shutil.which("pdftoppm") is None:
        return
    subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(stem)], check=True)


if __name__ == "__main__":
    main()
