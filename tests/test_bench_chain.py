"""A small smoke of the chain-of-malls load test (bench/bench_chain.py) on the test
PostgreSQL server: two desks, each its own process, for a few seconds on a small audited
store. The real run (50 desks, ten million cases) lives in bench/ only."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture
def chain(pg_server, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    sys.modules.pop("bench_chain", None)
    import bench_chain
    server = os.environ["DESK_TEST_PG_URL"]
    _drop(server, "desk_chain_301")          # a run that was killed may have left it
    yield bench_chain, bench_chain.database_url(server, 301)
    _drop(server, "desk_chain_301")


def _drop(server: str, name: str) -> None:
    admin = create_engine(make_url(server), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_desks_in_their_own_processes_save_gap_free_without_errors(chain):
    bench_chain, url = chain
    bench_chain.prepare(url, 301, desks=2)
    result = bench_chain.run(url, desks=2, seconds=3, think=0)
    assert result["errors"] == []
    assert result["saved"] > 0 and result["in_store"] == result["saved"]
    assert result["gaps"] == []
    assert result["chain"].endswith("chain intact")
    assert len(result["times"]["search"]) >= result["saved"]
    lines = bench_chain.report(result, 301)
    assert any(line.startswith("| save |") for line in lines)


def test_each_pace_is_recorded_in_its_own_part_keeping_the_other_and_the_findings(
        tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    import bench_chain
    assert bench_chain.pace("30..120") == (30.0, 120.0)
    assert bench_chain.pace("0.5") == (0.0, 1.0)
    doc = tmp_path / "benchmarks.md"
    doc.write_text("# B\n\n## A chain of malls\n\nWhat a run does.\n\n### Findings\n\n- one\n\n"
                   "## Next\n\nkept\n", encoding="utf-8")
    monkeypatch.setattr(bench_chain, "DOC", doc)
    counter, stress = (bench_chain.part_title(bench_chain.pace(t)) for t in ("30..120", "0.5"))
    bench_chain.record(["first counter run"], "cmd 1", counter)
    bench_chain.record(["stress run"], "cmd 2", stress)
    bench_chain.record(["second counter run"], "cmd 3", counter)
    text = doc.read_text(encoding="utf-8")
    assert "first counter run" not in text
    order = ["What a run does.", f"### {counter}", "cmd 3", "second counter run",
             f"### {stress}", "stress run", "### Findings", "- one", "## Next", "kept"]
    assert [text.index(part) for part in order] == sorted(text.index(p) for p in order)
