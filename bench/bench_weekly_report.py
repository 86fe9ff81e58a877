"""Benchmark: the weekly report on a large store, and its main statistics query against the
same SQL through the plain sqlite3 module.

    python bench/bench_weekly_report.py STORE.sqlite3 [--cases 1000000] [--runs 5]

An empty or missing store is first filled with demo cases (``desk.demo.fill_demo``, fixed
seed, ending today); the week measured is the last full week before today. Prints the
median of ``--runs`` warm runs for each figure, and the ratios.
"""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from desk.demo import fill_demo  # noqa: E402
from desk.i18n import set_locale  # noqa: E402
from desk.model import Case, utcnow  # noqa: E402
from desk.policy import load_policy  # noqa: E402
from desk.reports.pdf import render_report  # noqa: E402
from desk.reports.stats import group_counts_sql, week_of, week_stats  # noqa: E402
from desk.store import Store  # noqa: E402


def timed(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    fn()                                   # warm: caches, compiled statements, fonts
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("store", type=Path)
    ap.add_argument("--cases", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    policy = load_policy()
    set_locale("zh_TW")
    store = Store("sqlite:///" + args.store.resolve().as_posix())
    with store.read() as s:
        have = s.scalar(select(func.count(Case.id)))
    if have < args.cases:
        start = time.perf_counter()
        fill_demo(store, policy, args.cases - have, audit=False)
        print(f"filled {args.cases - have} demo cases in {time.perf_counter() - start:.0f} s")
    today = utcnow().astimezone(policy.tz).date()
    monday, sunday = week_of(today - timedelta(days=7))
    with store.read() as s:
        total = s.scalar(select(func.count(Case.id)))
        in_week = s.scalar(select(func.count(Case.id)).where(Case.day >= monday,
                                                             Case.day <= sunday))
    print(f"store: {total} cases; week {monday} to {sunday}: {in_week} cases")

    def whole():
        with store.read() as s:
            return render_report(week_stats(s, policy, monday), policy)

    start = time.perf_counter()
    whole()             # first report in this process: font loading, cold caches
    cold = time.perf_counter() - start
    session = store.read()
    sa_query, rows = timed(lambda: group_counts_sql(session, monday, sunday, None), args.runs)
    compiled = (select(Case.category, Case.level, Case.severity, Case.desk, Case.handler_id,
                       Case.status, Case.subject_kind, Case.subject_name, func.count())
                .where(Case.day >= monday, Case.day <= sunday)
                .group_by(Case.category, Case.level, Case.severity, Case.desk, Case.handler_id,
                          Case.status, Case.subject_kind, Case.subject_name)
                .compile(store.engine, compile_kwargs={"literal_binds": True}))
    raw = sqlite3.connect(args.store)
    raw_query, raw_rows = timed(lambda: raw.execute(str(compiled)).fetchall(), args.runs)
    assert len(raw_rows) == len(rows), (len(raw_rows), len(rows))
    stats_time, stats = timed(lambda: week_stats(session, policy, monday), args.runs)
    pdf_time, pdf = timed(lambda: render_report(stats, policy), args.runs)
    whole_time, _pdf = timed(whole, args.runs)
    session.close()
    raw.close()
    store.close()
    print(f"main statistics query (SQLAlchemy): {sa_query * 1000:.1f} ms, {len(rows)} groups")
    print(f"same query in raw sqlite3:          {raw_query * 1000:.1f} ms")
    print(f"ratio:                              {sa_query / raw_query:.2f}x (goal < 3x)")
    print(f"all statistics (week_stats):        {stats_time * 1000:.1f} ms")
    print(f"PDF with charts:                    {pdf_time * 1000:.1f} ms, {len(pdf) // 1024} KB")
    print(f"weekly report, store to PDF bytes:  {whole_time * 1000:.1f} ms (goal < 1000 ms)")
    print(f"the same, first in a new process:   {cold * 1000:.1f} ms")
    import summary
    summary.add("weekly: query", f"weekly statistics query ({len(rows)} groups)",
                sa_query * 1000, baseline=raw_query * 1000, baseline_name="raw sqlite3",
                max_ratio=3)
    summary.add("weekly: report", "weekly report, store to PDF", whole_time * 1000,
                max_value=1000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
