"""Benchmark: the weekly report on a large store, and its main statistics query against the
same SQL through the plain sqlite3 module.

    python bench/bench_weekly_report.py STORE.sqlite3 [--cases 1000000] [--runs 5]

An empty or missing store is first filled with demo cases (``desk.demo.fill_demo``, fixed
seed, ending today); the week measured comes from the store itself: the last full week
before its newest case (never the clock's week, which may hold no case). Prints CPU and wall
medians of ``--runs`` warm runs, interleaved with the raw query, and the ratios; goals in
bench/goals.py.
"""
from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy import func, select  # noqa: E402

from desk.demo import fill_demo  # noqa: E402
from desk.i18n import set_locale  # noqa: E402
from desk.model import Case  # noqa: E402
from desk.policy import load_policy  # noqa: E402
from desk.reports.pdf import render_report  # noqa: E402
from desk.reports.stats import group_counts_sql, week_of, week_stats  # noqa: E402
from desk.store import Store  # noqa: E402
from goals import GOALS  # noqa: E402
from timing import interleaved, load_average  # noqa: E402


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
    with store.read() as s:
        newest = s.scalar(select(func.max(Case.day)))
    monday, sunday = week_of(newest - timedelta(days=7))
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
    raw = sqlite3.connect(args.store)
    compiled = (select(Case.category, Case.level, Case.severity, Case.desk, Case.handler_id,
                       Case.status, Case.subject_kind, Case.subject_name, func.count())
                .where(Case.day >= monday, Case.day <= sunday)
                .group_by(Case.category, Case.level, Case.severity, Case.desk, Case.handler_id,
                          Case.status, Case.subject_kind, Case.subject_name)
                .compile(store.engine, compile_kwargs={"literal_binds": True}))
    rows = group_counts_sql(session, monday, sunday, None)
    raw_rows = raw.execute(str(compiled)).fetchall()
    assert len(raw_rows) == len(rows), (len(raw_rows), len(rows))
    query, raw_query = interleaved(args.runs,
                                   lambda: group_counts_sql(session, monday, sunday, None),
                                   lambda: raw.execute(str(compiled)).fetchall())
    [stats_s] = interleaved(args.runs, lambda: week_stats(session, policy, monday))
    stats = week_stats(session, policy, monday)
    [pdf_s] = interleaved(args.runs, lambda: render_report(stats, policy))
    pdf = render_report(stats, policy)
    [whole_s] = interleaved(args.runs, whole)
    sa_query, raw_query_s = query.cpu_ms / 1000, raw_query.cpu_ms / 1000
    stats_time, pdf_time, whole_time = (stats_s.wall_ms / 1000, pdf_s.wall_ms / 1000,
                                        whole_s.wall_ms / 1000)
    session.close()
    raw.close()
    store.close()
    print(f"main statistics query (SQLAlchemy): {sa_query * 1000:.1f} ms CPU, {len(rows)} groups")
    print(f"same query in raw sqlite3:          {raw_query_s * 1000:.1f} ms CPU")
    print(f"ratio (CPU):                        {sa_query / raw_query_s:.2f}x "
          f"(goal {GOALS['weekly_query'].text()})")
    print(f"all statistics (week_stats):        {stats_time * 1000:.1f} ms")
    print(f"PDF with charts:                    {pdf_time * 1000:.1f} ms, {len(pdf) // 1024} KB")
    print(f"weekly report, store to PDF bytes:  {whole_time * 1000:.1f} ms wall "
          f"(goal {GOALS['weekly_report'].text()})")
    print(f"the same, first in a new process:   {cold * 1000:.1f} ms")
    import summary
    summary.add("weekly: query", f"weekly statistics query ({len(rows)} groups, week of "
                f"{monday}, {in_week:,} cases)", goal="weekly_query", cpu=query.cpu,
                wall=query.wall, bare_cpu=raw_query.cpu, bare_wall=raw_query.wall,
                baseline_name="raw sqlite3", load=load_average())
    summary.add("weekly: report", f"weekly report, store to PDF ({in_week:,} cases)",
                goal="weekly_report", cpu=whole_s.cpu, wall=whole_s.wall, load=load_average())
    return 0


if __name__ == "__main__":
    sys.exit(main())
