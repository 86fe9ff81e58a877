"""A tiny smoke of the benchmarks: the form benchmark runs a couple of rounds and leaves its
figure, with the bare canvas measured beside it, for run_all's summary. The real runs (a
million cases) live in bench/ and never run here."""
from __future__ import annotations

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
    assert figure["value"] > 0 and figure["baseline"] > 0 and figure["max_ratio"] == 1.5

    monkeypatch.syspath_prepend(str(BENCH))
    summary = importlib.reload(importlib.import_module("summary"))
    header, rule, row = summary.table(summary.load())
    assert f"{figure['value'] / figure['baseline']:.2f}×" in row and "met" in row
