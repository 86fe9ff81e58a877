"""The headline figures of a benchmark run, for the summary at the top of
docs/benchmarks.md.

Every benchmark adds its figures here as it finishes (`add`); `bench/run_all.py` clears the
file before a full run and writes the summary from it afterwards, so the summary holds one
run's figures only, each with the bare baseline measured in that same run.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

# BENCH_SUMMARY lets the test suite's smoke run keep its figures out of the real summary.
SUMMARY = Path(os.environ.get("BENCH_SUMMARY")
               or Path(__file__).resolve().parent / "out" / "summary.json")


def add(key: str, figure: str, value: float, *, unit: str = "ms", baseline: float | None = None,
        baseline_name: str = "", max_ratio: float | None = None,
        max_value: float | None = None) -> None:
    """One figure: ``value`` against ``baseline`` (the bare contender, same run), judged by
    the goal ``max_ratio`` (against the baseline) or ``max_value`` (absolute)."""
    SUMMARY.parent.mkdir(parents=True, exist_ok=True)
    figures = load()
    figures[key] = dict(figure=figure, value=value, unit=unit, baseline=baseline,
                        baseline_name=baseline_name, max_ratio=max_ratio, max_value=max_value)
    SUMMARY.write_text(json.dumps(figures, ensure_ascii=False, indent=1), encoding="utf-8")


def load() -> dict:
    if not SUMMARY.exists():
        return {}
    return json.loads(SUMMARY.read_text(encoding="utf-8"))


def clear() -> None:
    SUMMARY.unlink(missing_ok=True)


def _number(value: float, unit: str) -> str:
    digits = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:,.{digits}f} {unit}"


def table(figures: dict) -> list[str]:
    """Markdown rows: figure, median, bare baseline, ratio, goal, verdict."""
    rows = ["| figure | median | bare baseline (same run) | ratio | goal | |",
            "|---|---:|---:|---:|---|---|"]
    for f in figures.values():
        ratio = f["value"] / f["baseline"] if f["baseline"] else None
        if f["max_ratio"] is not None:
            goal = f"≤ {f['max_ratio']:g}× bare"
            met = ratio is not None and ratio <= f["max_ratio"]
        elif f["max_value"] is not None:
            goal, met = f"< {f['max_value']:g} {f['unit']}", f["value"] < f["max_value"]
        else:
            goal, met = "", None
        base = (f"{_number(f['baseline'], f['unit'])} ({f['baseline_name']})"
                if f["baseline"] else "")
        verdict = "" if met is None else "met" if met else "**not met**"
        rows.append(f"| {f['figure']} | {_number(f['value'], f['unit'])} | {base} | "
                    f"{f'{ratio:.2f}×' if ratio else ''} | {goal} | {verdict} |")
    return rows
