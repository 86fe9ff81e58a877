"""Makes the sample weekly report kept beside this file: a demo store of 3,000 cases (fixed
seed) ending 2026-11-22, with follow-up calls, a root-cause record and a tenant chargeback
added through the services, then the week of 16-22 November as PDF, in
each language asked for (weekly-report-sample-LOCALE.pdf; its first and last two pages as
PNG).

    python docs/reports/make_sample.py [LOCALE ...]   (default all three; PNGs need pdftoppm)
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

from sqlalchemy import select  # noqa: E402

from desk import corrective, followup  # noqa: E402
from desk.demo import fill_demo  # noqa: E402
from desk.i18n import set_locale  # noqa: E402
from desk.model import Case  # noqa: E402
from desk.policy import load_policy  # noqa: E402
from desk.reports.pdf import render_report  # noqa: E402
from desk.reports.stats import week_stats  # noqa: E402
from desk.services.auth import actor_for  # noqa: E402
from desk.store import Store  # noqa: E402

TZ = ZoneInfo("Asia/Taipei")
NOW = datetime(2026, 11, 22, 22, 0, tzinfo=TZ)


def main() -> None:
    policy = load_policy()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store("sqlite:///" + (Path(tmp) / "sample.sqlite3").as_posix())
        fill_demo(store, policy, 3000, today=date(2026, 11, 22))
        with store.read() as s:   # each person's work is their own unit of work
            clerk, sup = actor_for(s, "C001"), actor_for(s, "S001")
        with store.write(clerk) as s:
            resolved = s.execute(select(Case.case_no, Case.resolved_at, Case.subject_name,
                                        Case.severity)
                                 .where(Case.day >= date(2026, 11, 16),
                                        Case.resolved_at.is_not(None))
                                 .order_by(Case.id).limit(400)).all()
            for i, (case_no, resolved_at, _subject, _sev) in enumerate(resolved):
                call = resolved_at + timedelta(hours=20)
                if i % 5 == 4:
                    for k in range(3):
                        followup.record_call(s, policy, case_no, clerk, reached=False,
                                             text_sent=k == 2, now=call + timedelta(hours=3 * k))
                else:
                    followup.record_call(s, policy, case_no, clerk, reached=True,
                                         satisfaction=(2, 3, 4, 5, 5, 4, 5)[i % 7],
                                         comment="", now=call)
        with store.write(sup) as s:
            serious = [r.case_no for r in resolved if r.severity == 3][:2]
            corrective.open_root_cause(s, policy, sup, serious, "Escalator stops at B1",
                                       "Two falls reported at the B1 escalator", now=NOW)
            paid = s.execute(select(Case.case_no).where(
                Case.day >= date(2026, 11, 16), Case.subject_kind == "tenant",
                Case.recipient_name.is_not(None)).order_by(Case.id).limit(3)).scalars().all()
            for case_no in paid:
                corrective.record_chargeback(s, policy, sup, case_no, "100",
                                             "Goods faulty at sale", now=NOW)
        for locale in sys.argv[1:] or ("zh_TW", "zh_CN", "en"):
            set_locale(locale)
            with store.read() as s:
                stats = week_stats(s, policy, date(2026, 11, 16), now=NOW)
            write_sample(stats, policy, f"weekly-report-sample-{locale}")
        store.close()


def write_sample(stats, policy, name: str) -> None:
    pdf = HERE / f"{name}.pdf"
    pdf.write_bytes(render_report(stats, policy))
    if shutil.which("pdftoppm") and shutil.which("pdfinfo"):
        # the first two pages (figures, charts) and the last two (the patterns: surge,
        # batches, hot topics): the pages between are long lists
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True,
                              text=True).stdout
        pages = int(next(line.split()[-1] for line in info.splitlines()
                         if line.startswith("Pages:")))
        for first, last in ((1, min(2, pages)), (max(3, pages - 1), pages)):
            if first <= last:
                subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(first), "-l",
                                str(last), str(pdf), str(HERE / name)], check=True)
    print(f"{pdf.name}: {stats.total} cases")

if __name__ == "__main__":
    main()
