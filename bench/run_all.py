"""Every benchmark in one command; each writes its own section of docs/benchmarks.md, this
script adds the app's peak memory on the large store, and a full run puts its headline
figures, each against its bare baseline from the same run, in a summary at the top.

    .venv/bin/python bench/run_all.py                  # 1,000,000 cases (about 10 minutes
                                                       # once the store exists; filling it
                                                       # takes about 6 more)
    .venv/bin/python bench/run_all.py --quick          # 100,000 cases, fewer repeats
    .venv/bin/python bench/run_all.py --cases 20000    # quicker, for a first look
    .venv/bin/python bench/run_all.py --only memory    # one part: store, search, form, weekly, ui,
                                                       # memory

The large store is generated once into bench/out/ (bench_store.py) and reused by the others.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Peak memory"


def run(script: str, *args: str) -> None:
    """One benchmark in its own process. A goal it misses (exit status 1) is in its figures
    and the summary's verdicts; the run goes on to the others."""
    print(f"\n=== {script} {' '.join(args)}", flush=True)
    code = subprocess.run([sys.executable, str(BENCH / script), *args], cwd=ROOT).returncode
    if code:
        print(f"=== {script} exited with status {code} (a goal missed, or a failure above)",
              flush=True)


def store_path(cases: int) -> Path:
    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, str(ROOT))
    from bench_store import demo_store
    from desk.policy import load_policy
    return Path(demo_store(cases, load_policy()))


def app_peak_mib(store: Path) -> float:
    """Start the app on the store (signed in, list and intake ready), let it exit, and read
    the process's peak resident memory from the kernel (POSIX wait4; the benchmark machine
    is Linux, the app itself never calls this)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_AS="C001", DESK_PIN="1357")
    proc = subprocess.Popen([sys.executable, "-m", "ui.app", "--db", str(store),
                             "--exit-when-ready"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"the app exited with {proc.returncode}")
    return usage.ru_maxrss / 1024     # kilobytes on Linux


def memory(cases: int, runs: int = 3) -> None:
    store = store_path(cases)
    peaks = [app_peak_mib(store) for _ in range(runs)]
    median = statistics.median(peaks)
    import summary
    from goals import GOALS
    goal = GOALS["memory"]
    entry = summary.add("memory", f"peak memory of the app, signed in, list and form ready "
                        f"({cases:,} cases)", goal="memory", peak=peaks, load=_load_value())
    verdict = summary.verdict(entry)
    text = (f"{SECTION}\n\nCommand: `python bench/run_all.py --only memory --cases {cases}`\n\n"
            f"{platform.system()} {platform.machine()}, Python {platform.python_version()}; "
            f"the counter app started on a store of {cases:,} cases, signed in, the case list's "
            f"first page and the intake form ready (`--exit-when-ready`); peak resident memory "
            f"of the process from the kernel, median of {runs}: **{median:.0f} MiB** "
            f"(runs: {', '.join(f'{p:.0f}' for p in peaks)}). "
            f"Goal {goal.text()} (bench/goals.py): {verdict}. "
            f"The list fetches 200 rows a page, so the store's size barely shows here. "
            f"About 15 MiB of the peak is the PIN check (argon2id, 19 MiB of working memory), "
            f"which runs on the loader's thread while the window is being built; measured "
            f"without it the peak is about 133 MiB. The PIN's cost stays: it is what makes a "
            f"stolen store's PIN hashes slow to guess.\n")
    print(text)
    doc = DOC.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    doc = pattern.sub(text + "\n", doc) if pattern.search(doc) else doc.rstrip() + "\n\n" + text
    DOC.write_text(doc, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true",
                        help="100,000 cases and fewer repeats: a first look in minutes")
    parser.add_argument("--only", choices=["store", "search", "form", "weekly", "ui", "memory"])
    args = parser.parse_args()
    if args.quick:
        args.cases = 100_000
    cases = str(args.cases)
    few = ("--repeat", "7") if args.quick else ()
    parts = {
        "store": lambda: run("bench_store.py", "--cases", cases, *few,
                             *(("--import-count", "1000") if args.quick else ())),
        "form": lambda: (run("bench_form.py"), run("bench_form.py", "--locale", "en",
                                                   "--paper", "continuous")),
        "search": lambda: run("bench_search.py", "--cases", *(
            [str(n) for n in (10_000, 100_000, 1_000_000) if n <= args.cases] or [cases])),
        "weekly": lambda: run("bench_weekly_report.py", str(store_path(args.cases)),
                              "--cases", cases),
        "ui": lambda: run("bench_ui.py", "--cases", cases,
                          *(("--runs", "5", "--repeat", "7") if args.quick else ())),
        "memory": lambda: memory(args.cases),
    }
    import summary
    if args.only is None:
        summary.clear()
        load_before = _load()
    for name, part in parts.items():
        if args.only in (None, name):
            part()
    if args.only is None:
        write_summary(args.cases, load_before)


SUMMARY_SECTION = "## Summary of the last full run"


def _load_value() -> float | None:
    """The machine's 1-minute load average (POSIX only; this is a benchmark, not the app)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None


def _load() -> str:
    value = _load_value()
    return "?" if value is None else f"{value:.1f}"


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def write_summary(cases: int, load_before: str) -> None:
    """The headline figures of this run, each against its bare baseline from the same run,
    at the top of docs/benchmarks.md; the sections below say how each was measured."""
    import sqlite3
    import time

    import summary
    lines = [SUMMARY_SECTION, "",
             f"`python bench/run_all.py{' --quick' if cases == 100_000 else f' --cases {cases}'}` on {time.strftime('%Y-%m-%d')}, "
             f"commit {_commit()}: {platform.system()} {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite "
             f"{sqlite3.sqlite_version}; load average {load_before} at the start and "
             f"{_load()} at the end (each figure's own load in brackets). CPU and wall time as "
             f"median (min–max) of the repeated runs; each ratio is against the bare contender "
             f"measured interleaved in the same run, on the clock its goal reads. Goals are "
             f"declared once in `bench/goals.py` (how each figure is measured: the sections "
             f"below). A figure measured with a load average above the core count was taken "
             f"on a busy machine and says so by its load.", "",
             *summary.table(summary.load_figures()), ""]
    text = "\n".join(lines) + "\n"
    print(text)
    doc = DOC.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(SUMMARY_SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(doc):
        doc = pattern.sub(lambda _m: text + "\n", doc)
    else:                           # first time: right after the title and its paragraph
        first = doc.index("\n## ")
        doc = doc[:first + 1] + text + "\n" + doc[first + 1:]
    DOC.write_text(doc, encoding="utf-8")


if __name__ == "__main__":
    main()
