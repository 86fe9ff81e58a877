"""Desks writing at once while others read: N writer processes take complaints (and record a
step on every other one) for a fixed time while M reader processes run ``desk day`` and
``desk show`` as a clerk would, on SQLite and on PostgreSQL. Counts what a user would see:

- errors shown to a user: any command or unit of work that failed (a "database is locked",
  a deadlock, a traceback), readers and writers alike;
- lost: case numbers a writer was told were saved that the store does not hold;
- gaps: numbers missing inside a desk's day (a pad has no gaps).

    .venv/bin/python bench/bench_writers.py                       # 8 + 2 for 60 s, SQLite
    .venv/bin/python bench/bench_writers.py --pg URL --seconds 60  # also PostgreSQL
    .venv/bin/python bench/bench_writers.py --seconds 8 --writers 4 --readers 1   # the smoke

Writers and readers are spawned processes (as on Windows), each with its own ``Store``.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import multiprocessing
import sys
import tempfile
import time
from collections import defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DESKS = ("A", "B", "C", "D")
RECEIVED = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)   # a day in Taipei
PIN = "246810"


def make_store(url: str) -> None:
    from desk import services
    from desk.policy import load_policy
    from desk.store import Store
    from desk.store_policy import ensure_store_policy
    policy = load_policy()
    store = Store(url)
    ensure_store_policy(store)
    with store.write(system="bench") as session:
        services.add_staff(session, policy, "A001", "Admin", "general_manager", PIN)
        admin = services.actor_for(session, "A001")
        services.add_staff(session, policy, "C001", "Clerk", "clerk", PIN, actor=admin)
    store.close()


def writer(url: str, worker: int, seconds: float, barrier) -> dict:
    from desk import services
    from desk.policy import load_policy
    from desk.store import Store
    policy = load_policy()
    store = Store(url)
    saved, errors, samples = [], [], []
    with store.read() as session:
        actor = services.actor_for(session, "C001")
    barrier.wait(timeout=600)   # every process started and warm
    start_at = time.time()
    n = 0
    try:
        while time.time() < start_at + seconds:
            desk = DESKS[(worker + n) % len(DESKS)]
            began = time.perf_counter()
            try:
                with store.write(actor) as session:
                    case = services.take_complaint(session, policy, actor, services.CaseInput(
                        desk=desk, channel="counter", customer_name=f"顧客 {worker}-{n}",
                        category="service_attitude", complaint="櫃位人員態度不佳", motive="vent",
                        severity=1, subject_kind="tenant", subject_name="某專櫃",
                        customer_phone="0912345678", received_at=RECEIVED), now=RECEIVED)
                    number = case.case_no
                saved.append(number)
                if n % 2:
                    with store.write(actor) as session:
                        services.record_step(session, policy, number, actor, "listen",
                                             now=RECEIVED)
            except Exception as exc:   # what a clerk would see
                errors.append(f"{type(exc).__name__}: {exc}"[:200])
            samples.append(time.perf_counter() - began)
            n += 1
    finally:
        store.close()
    return {"saved": saved, "errors": errors, "samples": samples}


def reader(url: str, worker: int, seconds: float, barrier) -> dict:
    from desk.cli import main
    errors, runs = [], 0
    barrier.wait(timeout=600)
    start_at = time.time()
    while time.time() < start_at + seconds:
        for args in (["day", "2026-11-20"],
                     ["case", "show", f"A-20261120-{1 + runs % 5:04d}"]):
            out, err = io.StringIO(), io.StringIO()
            try:
                with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                    code = main(["--db", url, "--locale", "en", "--as", "C001", "--pin", PIN,
                                 *args])
            except BaseException as exc:   # a pool worker must answer whatever happens
                code = f"{type(exc).__name__}: {exc}"
            runs += 1
            text = err.getvalue()
            if code != 0 and "no case numbered" not in text:
                errors.append(text.strip()[:200] or f"exit {code}")
    return {"runs": runs, "errors": errors}


def _writer(args):
    return writer(*args)


def _reader(args):
    return reader(*args)


def check(url: str) -> dict:
    from sqlalchemy import select

    from desk import audit
    from desk.model import Case
    from desk.store import Store
    store = Store(url)
    try:
        with store.read() as session:
            numbers = set(session.scalars(select(Case.case_no)))
            seqs = defaultdict(list)
            for desk, seq in session.execute(select(Case.desk, Case.seq)):
                seqs[desk].append(seq)
            report = audit.verify(session)
    finally:
        store.close()
    gaps = sum(max(s) - len(set(s)) for s in seqs.values() if s)
    return {"numbers": numbers, "gaps": gaps, "audit_ok": report.ok,
            "audit_problem": report.first.message if report.first else None}


def run(url: str, writers: int, readers: int, seconds: float) -> dict:
    make_store(url)
    ctx = multiprocessing.get_context("spawn")
    manager = ctx.Manager()
    try:
        barrier = manager.Barrier(writers + readers)
        with ctx.Pool(writers + readers) as pool:
            w = pool.map_async(_writer, [(url, i, seconds, barrier) for i in range(writers)])
            r = pool.map_async(_reader, [(url, i, seconds, barrier) for i in range(readers)])
            wr, rr = w.get(timeout=seconds + 900), r.get(timeout=seconds + 900)
    finally:
        manager.shutdown()
    found = check(url)
    saved = [n for x in wr for n in x["saved"]]
    samples = sorted(s for x in wr for s in x["samples"])
    errors = [e for x in wr for e in x["errors"]] + [e for x in rr for e in x["errors"]]
    return {
        "backend": url.split(":", 1)[0], "writers": writers, "readers": readers,
        "seconds": seconds, "cases_saved": len(saved),
        "reader_commands": sum(x["runs"] for x in rr),
        "errors_shown": len(errors), "first_errors": sorted(set(errors))[:5],
        "lost": len(set(saved) - found["numbers"]), "gaps": found["gaps"],
        "audit_ok": found["audit_ok"], "audit_problem": found["audit_problem"],
        "write_p50_ms": round(1000 * samples[len(samples) // 2], 1) if samples else None,
        "write_p99_ms": round(1000 * samples[int(len(samples) * 0.99)], 1) if samples else None,
    }


def _pg_database(server_url: str) -> tuple[str, callable]:
    """A fresh database on the server, and how to drop it afterwards."""
    import os

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    name = f"desk_bench_writers_{os.getpid()}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
        conn.execute(text(f"CREATE DATABASE {name}"))

    def drop():
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--pg", metavar="URL", help="also run on this PostgreSQL server")
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        url = "sqlite:///" + (Path(tmp) / "bench.sqlite3").as_posix()
        results.append(run(url, args.writers, args.readers, args.seconds))
    if args.pg:
        url, drop = _pg_database(args.pg)
        try:
            results.append(run(url, args.writers, args.readers, args.seconds))
        finally:
            drop()
    print(json.dumps(results, indent=1, ensure_ascii=False))
    return 0 if all(r["errors_shown"] == 0 and r["lost"] == 0 and r["gaps"] == 0
                    and r["audit_ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
