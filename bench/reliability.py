"""Reliability figures for docs/reliability.md: crash cycles (a writer killed with SIGKILL at
random moments), audit-log and backup timings, and the fuzz counts.

    .venv/bin/python bench/reliability.py                 # 1,000 crash cycles, 5,000 inputs a fuzz target
    .venv/bin/python bench/reliability.py --cycles 200 --fuzz 2000 --no-write

The crash writer is a separate process that takes complaints through ``desk.services`` and
reports each case number only after its commit. To keep a cycle short it is forked from a
warm fork server (``multiprocessing`` "forkserver" with desk preloaded), so a cycle does not
pay Python's start-up; it dies by SIGKILL (``Process.kill()``) with no chance to clean up.
``--cold N`` adds N cycles with a freshly started interpreter (``subprocess.Popen``).
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PRELOAD = ["desk.services", "desk.store", "desk.policy", "desk.audit"]
STAFF = "C001"


# --- the writer (runs in the killed process) ---------------------------------------------------

def writer(url: str, out, seed: int) -> None:
    """Take complaints until killed; send each case number after its commit. Every third
    case also gets its first step, so updates are logged too."""
    from desk import services
    from desk.policy import load_policy
    from desk.store import Store

    rnd = random.Random(seed)
    store = Store(url, migrate=False)
    policy = load_policy()
    with store.read() as session:
        actor = services.actor_for(session, STAFF)
    out.send_bytes(b"ready")
    n = 0
    while True:
        n += 1
        inp = services.CaseInput(
            desk="A", channel=rnd.choice(["counter", "phone", "email"]),
            customer_name=rnd.choice(["李大華", "王小明", "陳美玲", "Ann Lee"]),
            customer_phone=f"09{rnd.randrange(10**8):08d}", category="goods_rights",
            complaint="鞋子一週就開膠 " * rnd.randint(1, 40), motive="compensation", severity=1,
            subject_kind="tenant", subject_name="好鞋坊")
        with store.write(actor) as session:
            case_no = services.take_complaint(session, policy, actor, inp).case_no
        out.send_bytes(case_no.encode("ascii"))
        if n % 3 == 0:
            with store.write(actor) as session:
                services.record_step(session, policy, case_no, actor, "listen", note="聽完了")
            out.send_bytes(b"step " + case_no.encode("ascii"))


def _cold_writer_main(url: str, seed: int) -> None:
    """``python bench/reliability.py writer URL SEED``: the same writer, printing to stdout."""

    class Out:
        def send_bytes(self, data: bytes) -> None:
            sys.stdout.write(data.decode("ascii") + "\n")
            sys.stdout.flush()

    writer(url, Out(), seed)


# --- the store under test --------------------------------------------------------------------

def make_store(path: Path) -> str:
    """A fresh migrated store with the writer's clerk."""
    from desk import services
    from desk.policy import load_policy
    from desk.store import Store

    url = "sqlite:///" + path.as_posix()
    store = Store(url)
    policy = load_policy()
    with store.write(system="setup") as session:
        services.add_staff(session, policy, "A001", "王大同", "general_manager", "730519")
        admin = services.actor_for(session, "A001")
        services.add_staff(session, policy, STAFF, "陳美玲", "clerk", "4821", actor=admin)
    store.close()
    return url


@dataclass
class CrashResult:
    cycles: int = 0
    killed_before_ready: int = 0
    reported: int = 0             # case numbers the writer reported as saved
    saved: int = 0                # cases in the store at the end
    lost: int = 0                 # reported but missing: must stay 0
    integrity_failures: int = 0   # PRAGMA integrity_check not "ok": must stay 0
    gap_failures: int = 0         # a day's numbers not 1..n, or the pad out of step: must stay 0
    audit_failures: int = 0       # audit log gaps, unlogged cases or broken chain: must stay 0
    audit_verifications: int = 0
    seconds: float = 0.0
    cold_cycles: int = 0
    problems: list[str] = field(default_factory=list)


def check_store(path: Path, reported: set[str], result: CrashResult) -> None:
    """What must hold after every kill, read with plain sqlite3 (a fresh connection also
    recovers the write-ahead log, as the next start would)."""
    conn = sqlite3.connect(str(path))
    try:
        check = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if check != ["ok"]:
            result.integrity_failures += 1
            result.problems.append(f"integrity: {check[:3]}")
        saved = {r[0] for r in conn.execute("SELECT case_no FROM complaint_case")}
        missing = reported - saved
        if missing:
            result.lost += len(missing)
            result.problems.append(f"lost: {sorted(missing)[:5]}")
        pads = dict(((d, day), last) for d, day, last in
                    conn.execute("SELECT desk, day, last FROM case_sequence"))
        for desk, day, count, low, high in conn.execute(
                "SELECT desk, day, count(*), min(seq), max(seq) FROM complaint_case "
                "GROUP BY desk, day"):
            if low != 1 or high != count or pads.get((desk, day)) != high:
                result.gap_failures += 1
                result.problems.append(f"gap: {desk} {day} n={count} {low}..{high} "
                                       f"pad={pads.get((desk, day))}")
        entries, top = conn.execute("SELECT count(*), coalesce(max(id), 0) FROM audit_log").fetchone()
        logged = conn.execute("SELECT count(*) FROM audit_log WHERE entity='case' AND "
                              "action='insert'").fetchone()[0]
        if entries != top or logged != len(saved):
            result.audit_failures += 1
            result.problems.append(f"audit: {entries} entries, top id {top}, {logged} case "
                                   f"inserts for {len(saved)} cases")
        result.saved = len(saved)
    finally:
        conn.close()


def verify_audit(url: str, result: CrashResult) -> None:
    from desk import audit
    from desk.store import Store

    store = Store(url, migrate=False)
    try:
        with store.read() as session:
            report = audit.verify(session)
    finally:
        store.close()
    result.audit_verifications += 1
    if not report.ok:
        result.audit_failures += 1
        result.problems.append("audit verify: " + report.first.message)


def crash_cycles(path: Path, cycles: int, *, seed: int = 20261122, max_delay: float = 0.25,
                 cold: int = 0, verify_every: int = 50, progress=None) -> CrashResult:
    """Start a writer, kill it at a random moment, check the store; ``cycles`` times."""
    url = make_store(path)
    rnd = random.Random(seed)
    result = CrashResult()
    reported: set[str] = set()
    ctx = _context()
    started = time.perf_counter()
    for cycle in range(cycles + cold):
        if cycle < cycles:
            got = _warm_cycle(ctx, url, rnd, max_delay, result)
        else:
            got = _cold_cycle(url, rnd, max_delay)
            result.cold_cycles += 1
        reported |= got
        result.reported = len(reported)
        result.cycles += 1
        check_store(path, reported, result)
        if verify_every and (cycle + 1) % verify_every == 0:
            verify_audit(url, result)
        if progress:
            progress(cycle + 1, result)
    verify_audit(url, result)
    result.seconds = time.perf_counter() - started
    return result


def _context():
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if ctx.get_start_method() == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


def _warm_cycle(ctx, url: str, rnd: random.Random, max_delay: float,
                result: CrashResult) -> set[str]:
    reader, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=writer, args=(url, sender, rnd.randrange(2**31)), daemon=True)
    early = rnd.random() < 0.1
    proc.start()
    sender.close()
    if early:   # during start-up: the store is opened but nothing is written yet
        time.sleep(rnd.uniform(0, 0.02))
        result.killed_before_ready += 1
    else:
        if not reader.poll(30):
            proc.kill()
            raise RuntimeError("the writer did not start")
        reader.recv_bytes()
        time.sleep(rnd.uniform(0, max_delay))
    proc.kill()
    proc.join()
    got = set()
    try:
        while reader.poll():
            message = reader.recv_bytes().decode("ascii")
            if message != "ready" and not message.startswith("step "):
                got.add(message)
    except (EOFError, OSError):
        pass
    reader.close()
    return got


def _cold_cycle(url: str, rnd: random.Random, max_delay: float) -> set[str]:
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "writer", url,
                             str(rnd.randrange(2**31))], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    proc.stdout.readline()   # "ready"
    time.sleep(rnd.uniform(0, max_delay))
    proc.kill()
    out, _err = proc.communicate()
    return {line for line in out.splitlines() if line and not line.startswith(("ready", "step "))}


# --- timings -----------------------------------------------------------------------------------

def timings(cases: int = 2000) -> dict[str, float]:
    """Audit log and backup costs on a store of ``cases`` cases written through the services."""
    from desk import audit, backup, services
    from desk.policy import load_policy
    from desk.store import Store

    policy = load_policy()
    figures: dict[str, float] = {"cases": cases}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.sqlite3"
        url = make_store(path)
        store = Store(url)
        with store.read() as session:
            actor = services.actor_for(session, STAFF)
        started = time.perf_counter()
        for i in range(cases):
            with store.write(actor) as session:
                services.take_complaint(session, policy, actor, services.CaseInput(
                    desk="A", channel="counter", customer_name="李大華",
                    customer_phone="0912-345-678", category="goods_rights",
                    complaint="鞋子一週就開膠", motive="compensation", severity=1,
                    subject_kind="tenant", subject_name="好鞋坊"))
        figures["intake_ms"] = (time.perf_counter() - started) * 1000 / cases
        with store.read() as session:
            started = time.perf_counter()
            report = audit.verify(session)
            figures["verify_s"] = time.perf_counter() - started
            figures["entries"] = report.entries
            figures["rows"] = report.rows
            assert report.ok, report.first.message
        started = time.perf_counter()
        info = backup.backup_to(store, Path(tmp) / "b.sqlite3")
        figures["backup_s"] = time.perf_counter() - started
        figures["backup_mb"] = info.size / 1e6
        store.close()
        started = time.perf_counter()
        backup.restore(path, info.path)
        figures["restore_s"] = time.perf_counter() - started
    return figures


def fuzz(examples: int) -> dict[str, int]:
    """Run the property tests with ``examples`` inputs each; returns inputs tried per target
    (an empty dict when a test failed: its report is on the terminal)."""
    report = Path(tempfile.mkdtemp()) / "fuzz.json"
    env = dict(os.environ, DESK_FUZZ_EXAMPLES=str(examples), DESK_FUZZ_REPORT=str(report))
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_trust_fuzz.py"], cwd=ROOT, env=env)
    if done.returncode:
        return {}
    import json
    counts: dict[str, int] = {}
    for line in report.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        counts[item["target"]] = counts.get(item["target"], 0) + item["inputs"]
    return counts


# --- the report ------------------------------------------------------------------------------

def render(crash: CrashResult, times: dict[str, float], fuzzed: dict[str, int],
           command: str) -> str:
    lines = [
        "# Reliability figures",
        "",
        "Produced by `" + command + "` (the CI runs the same checks with fewer cycles: "
        "`DESK_CRASH_CYCLES=200 .venv/bin/python -m pytest tests/test_trust_crash.py`).",
        "Machine: " + f"{os.cpu_count()} cores, Python {sys.version.split()[0]}, SQLite "
        f"{sqlite3.sqlite_version}.",
        "",
        "## Nothing lost: crash cycles",
        "",
        "A writer process takes complaints through `desk.services.take_complaint` (and records "
        "a step on every third), reporting each case number only after its commit; it is killed "
        "with SIGKILL at a random moment (fixed seed), and the store is checked before the next "
        "writer starts: every reported case present, `PRAGMA integrity_check` ok, each day's "
        "numbers 1..n with the pad in step, one audit entry per case and no gap in the log; "
        "the full `desk audit verify` every 50 cycles and at the end.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| cycles (warm fork-server writer) | {crash.cycles - crash.cold_cycles:,} |",
        f"| cycles with a freshly started interpreter | {crash.cold_cycles:,} |",
        f"| killed during start-up | {crash.killed_before_ready:,} |",
        f"| cases reported saved | {crash.reported:,} |",
        f"| cases in the store at the end | {crash.saved:,} |",
        f"| reported but lost | {crash.lost} |",
        f"| integrity check failures | {crash.integrity_failures} |",
        f"| numbering gaps | {crash.gap_failures} |",
        f"| audit log failures | {crash.audit_failures} "
        f"(full verifications: {crash.audit_verifications}) |",
        f"| wall time | {crash.seconds:.0f} s |",
        "",
        "## Audit log and backups",
        "",
        f"On a store of {int(times['cases']):,} cases taken one by one through the services:",
        "",
        "| figure | value |",
        "|---|---|",
        f"| one intake (its own transaction, audit entries included) | {times['intake_ms']:.1f} ms |",
        f"| `desk audit verify` ({int(times['entries']):,} entries, {int(times['rows']):,} rows) "
        f"| {times['verify_s']:.2f} s |",
        f"| backup with the online backup API, verified | {times['backup_s']:.2f} s "
        f"({times['backup_mb']:.1f} MB) |",
        f"| restore (verify, put aside, replace, migrate, log) | {times['restore_s']:.2f} s |",
        "",
        "## Bad input: property-based fuzzing",
        "",
        "Hypothesis strategies produce emoji, right-to-left text, control characters, SQL-looking "
        "text, 1 MB fields, huge, negative, NaN and infinite amounts, naive and odd time zones "
        "and wrong types. Every input must end in success or a `DomainError` with a message, "
        "and a refused write must leave the row counts unchanged.",
        "",
        "| target | inputs tried |",
        "|---|---|",
    ]
    for target, count in sorted(fuzzed.items()):
        lines.append(f"| `{target}` | {count:,} |")
    lines += ["", f"Total: {sum(fuzzed.values()):,} inputs, no crash.", "", GUIDE]
    return "\n".join(lines)


GUIDE = """## How each promise is kept, and how to check it

| promise | where | check it with |
|---|---|---|
| a saved case survives a crash | one transaction per service call; SQLite in WAL mode with `synchronous=FULL`; numbers allocated in the same transaction | `tests/test_trust_crash.py`, this script |
| daily backup, keep N | `desk.backup.daily_backup` (online backup API, verified copy, `site.backups_kept` newest kept) into the user data folder's `backups` | `desk --as ID --pin PIN backup` (today's) or `backup --out FILE` |
| restore | `desk.backup.restore`: verify the file (SQLite header, `integrity_check`, a desk store, not newer, audit chain intact), put the current store and its `-wal`/`-shm` aside as `*.before-restore-TIMESTAMP.sqlite3`, move the copy in, migrate, log the restore | `desk restore FILE` (an administrator; anyone when the store is missing or damaged) |
| a store that cannot be used says so | `desk.health.check_store` / `open_checked`: missing, locked, read-only, damaged, newer schema, server unreachable, each with its choices; `Store.write()` turns disk full, locked, read-only and I/O errors into `StoreError` | any `desk` command: one line, exit 2 |
| nothing altered unseen | `desk.audit`: every flush of a store's session appends who, when, what, before and after, chained by SHA-256, in the same transaction; `verify` walks the chain and compares every audited row with its last entry | `desk audit verify` (exit 1 and the first broken link) and `--anchor BACKUP` |
| nobody past their authority | `desk.services` / `desk.rules`; PINs as argon2id, lock-out after `site.pin_attempts` | `tests/test_trust_authority.py` |
| personal data | `desk.privacy`: `mask_phone`, `mask_member`, `can_see_personal`, `for_viewer`; `purge` anonymises finished cases older than `site.retention_years` and drops personal values from the audit log | `desk --as ID --pin PIN purge [--before DATE] [--dry-run]` |

Limits worth knowing:

- The chain is not keyed: someone who can write the file and knows the algorithm can rebuild
  every hash after an edit. Each backup (and the head hash printed by `desk audit verify`)
  is an anchor: `desk audit verify --anchor BACKUP` shows a log rewritten since then.
- Personal values in the log sit beside a random salt and enter the hash only as
  sha256(salt + value), so a purge can drop them and the chain still verifies.
- On PostgreSQL, entries are appended under a transaction-scoped advisory lock; desks that
  save at the same moment queue for it. A deadlock or serialisation failure is reported as
  "locked, try again", never half-saved.
- Rows written past the ORM (bulk demo data) have no entries until
  `desk.audit.baseline(conn, action="bulk", only_unlogged=True)` logs them.
"""


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["writer"]:
        _cold_writer_main(argv[1], int(argv[2]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=1000)
    parser.add_argument("--cold", type=int, default=20)
    parser.add_argument("--fuzz", type=int, default=5000, help="inputs per fuzz target")
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--no-write", action="store_true", help="print, do not update the docs")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    with tempfile.TemporaryDirectory() as tmp:
        def progress(n: int, r: CrashResult) -> None:
            if n % 100 == 0:
                print(f"  {n} cycles, {r.reported} cases reported, {r.lost} lost", flush=True)
        crash = crash_cycles(Path(tmp) / "crash.sqlite3", args.cycles, cold=args.cold,
                             progress=progress)
    if crash.problems:
        print("\n".join(crash.problems[:20]))
    times = timings(args.cases)
    fuzzed = fuzz(args.fuzz)
    if not fuzzed:
        print(f"crash cycles: {crash}")
        print("fuzzing found a crash: fix it, then run again")
        return 1
    command = "python bench/reliability.py" + (" " + " ".join(argv) if argv else "")
    text = render(crash, times, fuzzed, command)
    print(text)
    if not args.no_write:
        (ROOT / "docs" / "reliability.md").write_text(text, encoding="utf-8")
    return 1 if crash.problems else 0


if __name__ == "__main__":
    sys.exit(main())
