"""Every benchmark in one command; each writes its own section of docs/benchmarks.md, this
script adds the app's peak memory on the large store, and a full run puts its headline
figures, each against its bare baseline from the same run, in a summary at the top.

    .venv/bin/python bench/run_all.py                  # 1,000,000 cases (about 8 minutes
                                                       # once the store exists; filling it
                                                       # takes about 13 more)
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
# One PIN set and checked with the program's parameters, and the same imports without it.
PIN_IMPORT = "import sys; sys.path.insert(0, '.'); from desk import security"
PIN_CHECK = PIN_IMPORT + "; security.pin_matches(security.hash_pin('482913'), '482913')"


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


# Linux folds the memory a process had before exec into its peak, so a child of this (large)
# process would report at least this one's size: a small launcher starts each measured
# process and reports its peak from the kernel (POSIX wait4: a benchmark, never the app).
LAUNCHER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(proc.pid, 0)
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""


def peak_mib(argv: list[str], env: dict) -> float:
    """Run a process to its end and return its peak resident memory in MiB."""
    out = subprocess.run([sys.executable, "-c", LAUNCHER, *argv], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout.split()
    if out[0] != "0":
        raise SystemExit(f"{argv[:4]} exited with {out[0]}")
    return int(out[1]) / 1024     # kilobytes on Linux


def memory(cases: int, runs: int = 3) -> None:
    """The app started on the store (signed in, list and intake ready) against a bare
    PySide6 window, interleaved; and what one PIN check costs on its own."""
    from bench_ui import BARE
    from desk.security import hash_pin
    argon = dict(p.split("=") for p in hash_pin("482913").split("$")[3].split(","))
    store = store_path(cases)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_AS="C001", DESK_PIN="4821")
    app = [sys.executable, "-m", "ui.app", "--db", str(store), "--exit-when-ready"]
    peaks, bare = [], []
    for _ in range(runs):
        peaks.append(peak_mib(app, env))
        bare.append(peak_mib([sys.executable, "-c", BARE], env))
    pin = (peak_mib([sys.executable, "-c", PIN_CHECK], env)
           - peak_mib([sys.executable, "-c", PIN_IMPORT], env))
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
            f"(runs: {', '.join(f'{p:.0f}' for p in peaks)}; 1-minute load average "
            f"{_load_value() or 0:.1f}); a bare PySide6 window started "
            f"and quit the same way, interleaved: {statistics.median(bare):.0f} MiB. "
            f"Goal {goal.text()} (bench/goals.py): {verdict}. "
            f"The list fetches 200 rows a page, so the store's size barely shows here. "
            f"One PIN check (argon2id, {int(argon['m']) // 1024} MiB of working memory, "
            f"time cost {argon['t']}) raises a process's peak by "
            f"{pin:.0f} MiB on its own; the app checks DESK_PIN with the bare SQLite driver "
            f"before SQLAlchemy loads (`desk.pin_ahead`), so that peak and the "
            f"ORM's never add up. What the app holds beyond the bare window (measured "
            f"2026-12-02 at 100,000 cases): the window with the intake form about 36 MiB, "
            f"SQLAlchemy with the model, queries and services about 43 (SQLAlchemy 2.1 imports "
            f"asyncio and with it ssl, about 9 of those), opening the store and the first "
            f"queries about 8, the status bar's figures about 5. "
            f"The PIN's cost stays: it is what makes a stolen store's PIN hashes slow to "
            f"guess.\n")
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
    parser.add_argument("--only", choices=["store", "search", "form", "weekly", "ui", "memory",
                                           "classify"])
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
        "classify": lambda: run("bench_classify.py"),
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
