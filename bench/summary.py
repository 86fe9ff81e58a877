"""The headline figures of a benchmark run, for the summary at the top of
docs/benchmarks.md.

Every benchmark adds its figures here as it finishes (`add`), with every sample it took on
each clock (CPU and wall; peak for memory) and the bare contender's samples from the same
run; `bench/run_all.py` clears the file before a full run and writes the summary from it
afterwards, so the summary holds one run's figures only (and the kept figures of the
benchmarks it cannot run, each marked as its own run). Goals come from `goals.py`.
"""
from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path

from goals import GOALS

# BENCH_SUMMARY lets the test suite's smoke run keep its figures out of the real summary.
SUMMARY = Path(os.environ.get("BENCH_SUMMARY")
               or Path(__file__).resolve().parent / "out" / "summary.json")


def spread(samples: list[float] | None) -> dict | None:
    if not samples:
        return None
    return dict(min=min(samples), median=statistics.median(samples), max=max(samples),
                n=len(samples))


def add(key: str, figure: str, *, goal: str, cpu: list[float] | None = None,
        wall: list[float] | None = None, peak: list[float] | None = None,
        bare_cpu: list[float] | None = None, bare_wall: list[float] | None = None,
        baseline_name: str = "", load: float | None = None) -> dict:
    """One figure: its samples on each clock, the bare contender's from the same run, and
    the name of the goal (a key of ``goals.GOALS``) that judges it. Returns the entry."""
    if goal not in GOALS:
        raise KeyError(f"unknown goal {goal!r}: declare it in bench/goals.py")
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    figures = load_figures()
    entry = dict(figure=figure, goal=goal, cpu=spread(cpu), wall=spread(wall),
                 peak=spread(peak), bare_cpu=spread(bare_cpu), bare_wall=spread(bare_wall),
                 baseline_name=baseline_name, load=load, date=time.strftime("%Y-%m-%d"))
    figures[key] = entry
    SUMMARY.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")
    return entry


def load_figures() -> dict:
    if not SUMMARY.exists():
        return {}
    return json.loads(SUMMARY.read_text(encoding="utf-8"))


# Figures of benchmarks a full run cannot take (the chain needs its own server of ten
# million cases): a run keeps them, and the table gives the day they were measured.
KEPT = ("chain",)


def clear() -> None:
    """Forget the last run's figures, except those of the benchmarks in ``KEPT``."""
    kept = {k: v for k, v in load_figures().items() if k.startswith(KEPT)}
    SUMMARY.unlink(missing_ok=True)
    if kept:
        SUMMARY.write_text(json.dumps(kept, ensure_ascii=False, indent=1), encoding="utf-8")


def judged(entry: dict) -> tuple[float | None, float | None, bool | None]:
    """(the value on the goal's clock, its ratio to the bare contender, met?)."""
    goal = GOALS[entry["goal"]]
    measured = entry.get(goal.clock) or entry.get("wall") or entry.get("cpu")
    value = measured["median"] if measured else None
    bare = entry.get("bare_" + goal.clock)
    ratio = value / bare["median"] if value is not None and bare else None
    return value, ratio, goal.met(value, ratio)


def verdict(entry: dict) -> str:
    met = judged(entry)[2]
    return "" if met is None else "met" if met else "**not met**"


def _number(value: float, unit: str) -> str:
    digits = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:,.{digits}f} {unit}"


def _cell(s: dict | None, unit: str) -> str:
    if not s:
        return ""
    if s["n"] == 1:
        return _number(s["median"], unit)
    return f"{_number(s['median'], unit)} ({s['min']:,.{1 if s['min'] < 100 else 0}f}–" \
           f"{s['max']:,.{1 if s['max'] < 100 else 0}f})"


def table(figures: dict) -> list[str]:
    """Markdown rows: figure, CPU and wall as median (min–max), the bare contender's
    medians, the ratio on the goal's clock, the goal and the verdict."""
    rows = ["| figure | CPU: median (min–max) | wall: median (min–max) | bare, same run "
            "(CPU / wall) | ratio | goal | |",
            "|---|---:|---:|---:|---:|---|---|"]
    # The kept figures of other runs last, after this run's own.
    for key, f in sorted(figures.items(), key=lambda item: item[0].startswith(KEPT)):
        goal = GOALS[f["goal"]]
        _value, ratio, _met = judged(f)
        cpu = _cell(f.get("cpu"), goal.unit)
        wall = _cell(f.get("wall") or f.get("peak"), goal.unit)
        bare = " / ".join(_number(f[k]["median"], goal.unit) for k in ("bare_cpu", "bare_wall")
                          if f.get(k))
        if bare:
            bare += f" ({f['baseline_name']})"
        load = f" (load {f['load']:.1f})" if f.get("load") is not None else ""
        if key.startswith(KEPT):
            load += f"; its own run{' of ' + f['date'] if f.get('date') else ''}"
        rows.append(f"| {f['figure']}{load} | {cpu} | {wall} | {bare} | "
                    f"{f'{ratio:.2f}×' if ratio else ''} | {goal.text()} | {verdict(f)} |")
    return rows
