"""A tiny smoke of the benchmarks: the form benchmark runs a couple of rounds and leaves its
figure, with the bare canvas measured beside it on both clocks, for run_all's summary. The
real runs (a million cases) live in bench/ and never run here."""
from __future__ import annotations

import ast
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"


def test_the_form_benchmark_reports_against_a_bare_canvas(tmp_path, monkeypatch):
    summary_file = tmp_path / "summary.json"
    monkeypatch.setenv("BENCH_SUMMARY", str(summary_file))
    result = subprocess.run([sys.executable, str(BENCH / "bench_form.py"), "--runs", "2"],
                            capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "ratio form / bare" in result.stdout
    [figure] = json.loads(summary_file.read_text(encoding="utf-8")).values()
    assert figure["goal"] == "form"
    for clock in ("cpu", "wall", "bare_cpu", "bare_wall"):
        spread = figure[clock]
        assert spread["n"] == 2 and 0 < spread["min"] <= spread["median"] <= spread["max"]

    monkeypatch.syspath_prepend(str(BENCH))
    summary = importlib.reload(importlib.import_module("summary"))
    header, rule, row = summary.table(summary.load_figures())
    ratio = figure["cpu"]["median"] / figure["bare_cpu"]["median"]
    assert f"{ratio:.2f}×" in row and "≤ 1.5× bare (cpu)" in row
    assert ("**not met**" in row) == (ratio > 1.5)


def test_every_figure_names_a_goal_declared_once(monkeypatch):
    """Each benchmark's summary entries name their goal; the goals live only in goals.py,
    so the summary, the sections and the issue's figures cannot disagree."""
    monkeypatch.syspath_prepend(str(BENCH))
    goals = importlib.import_module("goals").GOALS
    named = set()
    for script in BENCH.glob("*.py"):
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "add":
                for kw in node.keywords:
                    if kw.arg == "goal" and isinstance(kw.value, ast.Constant):
                        named.add(kw.value.value)
            if isinstance(node, ast.keyword) and node.arg in ("max_ratio", "max_value") \
                    and script.name != "goals.py":
                raise AssertionError(f"{script.name} declares a goal of its own")
    assert named and named <= set(goals), named - set(goals)


def test_a_full_run_keeps_the_chain_figures_it_cannot_take(tmp_path, monkeypatch):
    """run_all clears the last run's figures before it starts, but the chain's need a server
    of ten million cases of their own: they are kept, and the table says they are its own run."""
    monkeypatch.setenv("BENCH_SUMMARY", str(tmp_path / "summary.json"))
    monkeypatch.syspath_prepend(str(BENCH))
    summary = importlib.reload(importlib.import_module("summary"))
    summary.add("store: save", "saving a case", goal="save_case", wall=[5.0])
    summary.add("chain: save", "p99 of saving a case", goal="chain_save", wall=[150.0])
    summary.clear()
    figures = summary.load_figures()
    assert list(figures) == ["chain: save"]
    [_header, _rule, row] = summary.table(figures)
    assert "its own run of " in row and "**not met**" in row
