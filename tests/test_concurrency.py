"""Several desks taking complaints at once: numbers stay unique and gap-free per desk and day.

Real processes (spawned, as on Windows) write to the same store; some of their intakes are
rolled back on purpose, so a number handed out and then given back must be reused.
"""
from __future__ import annotations

import multiprocessing
from collections import defaultdict
from datetime import date, datetime, timezone

from sqlalchemy import select

from desk import services
from desk.model import Case, CaseSequence
from desk.policy import load_policy
from desk.services.numbering import format_case_no
from desk.store import Store

PROCESSES = 6
CASES_EACH = 15
DESKS = ("A", "B")
RECEIVED = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)   # 2026-11-20 11:00 in Taipei
DAY = date(2026, 11, 20)


class GiveBack(Exception):
    """Raised inside a write to roll an intake back after its number was allocated."""


def intake(desk: str, n: int) -> services.CaseInput:
    return services.CaseInput(
        desk=desk, channel="counter", customer_name=f"顧客 {n}", category="service_attitude",
        complaint="櫃位人員態度不佳", motive="vent", severity=2, subject_kind="tenant",
        subject_name="某專櫃", customer_phone="0912345678", received_at=RECEIVED)


def take_cases(url: str, worker: int, barrier) -> list[str]:
    """One desk PC: take CASES_EACH complaints, rolling every fourth one back."""
    policy = load_policy()
    store = Store(url)
    taken = []
    try:
        with store.read() as session:
            actor = services.actor_for(session, "C001")
        barrier.wait(timeout=60)
        for n in range(CASES_EACH):
            desk = DESKS[(worker + n) % len(DESKS)]
            try:
                with store.write(system="test") as session:
                    case = services.take_complaint(session, policy, actor, intake(desk, n),
                                                   now=RECEIVED)
                    number = case.case_no
                    if n % 4 == 3:
                        raise GiveBack
                taken.append(number)
            except GiveBack:
                pass
    finally:
        store.close()
    return taken


def _run(args):
    return take_cases(*args)


def test_desks_writing_at_once_get_unique_gap_free_numbers(store, team):
    ctx = multiprocessing.get_context("spawn")
    manager = ctx.Manager()
    try:
        barrier = manager.Barrier(PROCESSES)
        with ctx.Pool(PROCESSES) as pool:
            # A time limit: a pool that loses a worker would otherwise wait for ever.
            results = pool.map_async(_run, [(store.url, w, barrier)
                                             for w in range(PROCESSES)]).get(timeout=300)
    finally:
        manager.shutdown()

    committed = [no for batch in results for no in batch]
    kept_each = CASES_EACH - CASES_EACH // 4
    assert len(committed) == PROCESSES * kept_each
    assert len(set(committed)) == len(committed), "a number was handed out twice"

    with store.read() as session:
        rows = session.execute(select(Case.desk, Case.day, Case.seq, Case.case_no)).all()
        pads = {(s.desk, s.day): s.last for s in session.scalars(select(CaseSequence))}
    assert sorted(r.case_no for r in rows) == sorted(committed)
    by_pad = defaultdict(list)
    for desk, day, seq, case_no in rows:
        assert case_no == format_case_no(desk, day, seq)
        by_pad[(desk, day)].append(seq)
    assert set(by_pad) == {(d, DAY) for d in DESKS}
    for pad, seqs in by_pad.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), f"gap or repeat on {pad}"
        assert pads[pad] == len(seqs), "the pad counter ran ahead of the cases"


def test_writers_and_a_reader_at_once_see_no_error_and_lose_nothing(tmp_path, monkeypatch):
    """The smoke of bench/bench_writers.py (8 writers and 2 readers for 60 s there): desks
    saving while a clerk lists the day and opens cases; no error reaches anyone, every
    acknowledged case is in the store, no number is skipped, the log verifies."""
    import importlib
    from pathlib import Path
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parent.parent / "bench"))
    bench = importlib.import_module("bench_writers")   # by name: spawned workers import it
    result = bench.run("sqlite:///" + (tmp_path / "w.sqlite3").as_posix(), writers=2,
                       readers=1, seconds=2.0)
    assert (result["errors_shown"], result["lost"], result["gaps"]) == (0, 0, 0), result
    assert result["audit_ok"] and result["cases_saved"] > 0 and result["reader_commands"] > 0
