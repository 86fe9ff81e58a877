"""Load test: a chain of malls on one PostgreSQL server. N desks, each its own process,
take complaints (the six steps' first five, an offer, now and then one a supervisor approves
with their PIN, the customer's answer) and search, through the same application layer as the
counter app, against one store holding millions of cases, for a fixed time.

    python bench/bench_chain.py --url postgresql+psycopg://postgres@127.0.0.1:5440/postgres \
        --cases 10000000 --desks 50 --seconds 120
    python bench/bench_chain.py --url ... --cases 10000000 --desks 50 --seconds 600 --think 30..120
    python bench/bench_chain.py --url ... --cases 100000 --desks 8 --seconds 20 --no-record

The store is a database of its own on the server (``desk_chain_<cases>``), made and filled
once and kept: 20,000 demo cases through the program, then copied in SQL to the size asked
(other desks, earlier days; cases, their offers and their search text; steps and history are
not copied). Every desk has its own clerk and supervisor. Prints throughput, p50/p95/p99 of
saving a case and of searching, errors a clerk would have seen (anything but a refusal the
rules give), whether every desk's numbers of the day are gap-free, and the audit log's chain
check; records them in docs/benchmarks.md under "## A chain of malls". The desks serve malls of
ten desks each. Goals: bench/goals.py
(chain_save, chain_search). Not part of the test suite (a small smoke is).

Two paces. ``--think 30..120`` is a counter's: after each complaint (taken, its steps, its
offer and answer recorded at the counter, one search) the desk waits 30 to 120 s, drawn
evenly, before the next customer; desks start spread over the first pause. That is one
complaint a desk every 75 s on average, already more than a busy counter sees (a few dozen
a day). ``--think 0.5`` (a pause of 0 to 1 s) is the stress test: every desk works flat out
and the machine saturates. Besides the clerk's times, the run reports the client processes'
CPU per action and, when the server has pg_stat_statements, the server's own time per
statement, so what the program costs is told apart from waiting for a core.
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import platform
import random
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## A chain of malls"
BASE = 20_000                     # demo cases made through the program; the rest are copies
HISTORY_LETTERS = "DEFGHIJKLMNOPQRS"   # copies: desks DA, DB, DC, EA, ...
LIVE_LETTERS = "TUVWXYZ"          # the load test's desks: T0, T1, ... Z9
SEARCHES = ["電梯", "陳", "態度", "退款", "停車", "不存在的字串", "0912", "好鞋坊", "pram", "空調"]


def live_desks(n: int) -> list[str]:
    return [f"{LIVE_LETTERS[i // 10]}{i % 10}" for i in range(n)]


def pins(i: int) -> tuple[str, str]:
    """Six-digit PINs, neither a run nor a repeat, for desk i's clerk and supervisor."""
    rng = random.Random(1000 + i)
    return tuple(f"{rng.randrange(2, 9)}{rng.randrange(10_000, 99_999)}" for _ in range(2))


def database_url(server_url: str, cases: int) -> str:
    """The URL of this size's database on the server, made if missing."""
    import psycopg
    from sqlalchemy.engine import make_url
    url = make_url(server_url)
    name = f"desk_chain_{cases}"
    plain = url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return url.set(database=name).render_as_string(hide_password=False)


def prepare(url: str, cases: int, desks: int) -> None:
    from sqlalchemy import func, select

    from desk.demo import fill_demo
    from desk.model import Case, Staff
    from desk.policy import load_policy
    from desk.services.auth import actor_for
    from desk.services.malls import set_mall
    from desk.services.staff import add_staff
    from desk.store import Store
    policy = load_policy()
    store = Store(url)
    with store.read() as s:
        have = s.scalar(select(func.count(Case.id)))
    if have == 0:
        started = time.perf_counter()
        fill_demo(store, policy, min(BASE, cases), audit=cases <= BASE,
                  today=date.today() - timedelta(days=1))
        print(f"  {min(BASE, cases):,} demo cases through the program in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
    with store.write(system="bench") as s:
        known = set(s.scalars(select(Staff.staff_no)))
        admin = actor_for(s, "A001")
        for i in range(desks):
            clerk_pin, super_pin = pins(i)
            for no, role, pin in ((f"K{i:03d}", "clerk", clerk_pin),
                                  (f"V{i:03d}", "supervisor", super_pin)):
                if no not in known:
                    add_staff(s, policy, no, f"{role} {i}", role, pin, actor=admin)
        # The live desks serve malls of ten desks each, as a chain's would: the radar and the
        # reports look within a mall (the copied history belongs to none).
        desks_of: dict[str, list[str]] = {}
        for i, desk in enumerate(live_desks(desks)):
            desks_of.setdefault(f"L{i // 10}", []).append(desk)
        for code, codes in desks_of.items():
            set_mall(s, policy, admin, code, f"Mall {code}", codes)
    copy_to(store, cases)
    store.close()


def copy_to(store, cases: int) -> None:
    """Copies of the demo cases (other desks, earlier days) until the store holds ``cases``."""
    with store.engine.begin() as conn:
        have = conn.exec_driver_sql("SELECT count(*) FROM complaint_case").scalar()
        if have >= cases or cases <= BASE:
            return
        base_max = conn.exec_driver_sql(
            "SELECT max(id) FROM complaint_case WHERE desk IN ('A', 'B', 'C')").scalar()
        first, last = conn.exec_driver_sql(
            "SELECT min(day), max(day) FROM complaint_case WHERE desk IN ('A', 'B', 'C')").one()
        offer_max = conn.exec_driver_sql(
            "SELECT coalesce(max(id), 0) FROM offer WHERE case_id <= %s", (base_max,)).scalar()
    span = (last - first).days + 1
    copies = -(-cases // BASE) - 1
    print(f"  copying to {cases:,} cases: {copies} copies of {BASE:,}", flush=True)
    started = time.perf_counter()
    with store.engine.begin() as conn:
        conn.exec_driver_sql("DROP INDEX IF EXISTS ix_case_search_grams")
    for k in range(1, copies + 1):
        letter, block = HISTORY_LETTERS[k % len(HISTORY_LETTERS)], k // len(HISTORY_LETTERS)
        with store.engine.begin() as conn:
            if conn.exec_driver_sql("SELECT 1 FROM complaint_case WHERE id = %s",
                                    (base_max * k + 1,)).scalar():
                continue                       # this copy was made by an earlier run
            _copy(conn, k, letter, block * span, base_max, offer_max)
        if k % 20 == 0 or k == copies:
            rate = k * BASE / (time.perf_counter() - started)
            print(f"  {k}/{copies} copies, {rate:,.0f} cases/s", flush=True)
    with store.engine.begin() as conn:
        print("  rebuilding the search index (GIN) ...", flush=True)
        conn.exec_driver_sql("SET maintenance_work_mem = '512MB'")
        conn.exec_driver_sql("CREATE INDEX ix_case_search_grams ON case_search USING gin (grams)")
        for table, column in (("complaint_case", "id"), ("offer", "id")):
            conn.exec_driver_sql(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                                 f"(SELECT max({column}) FROM {table}))")
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("ANALYZE")
    print(f"  copied in {time.perf_counter() - started:.0f} s", flush=True)


def _columns(conn, table: str) -> list[tuple[str, str]]:
    return list(conn.exec_driver_sql(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_name = %s ORDER BY ordinal_position", (table,)))


def _shifted(name: str, kind: str, days: int) -> str:
    if kind == "date":
        return f"{name} - {days}"
    if kind.startswith("timestamp"):
        return f"{name} - interval '{days} days'"
    return name


def _copy(conn, k: int, letter: str, days: int, base_max: int, offer_max: int) -> None:
    cols = _columns(conn, "complaint_case")
    special = {
        "id": f"id + {base_max * k}",
        "desk": f"'{letter}' || desk",
        "case_no": (f"'{letter}' || desk || '-' || to_char(day - {days}, 'YYYYMMDD') || '-' "
                    f"|| lpad(seq::text, 4, '0')"),
        "duplicate_of_id": "NULL",
    }
    select = ", ".join(special.get(n, _shifted(n, t, days)) for n, t in cols)
    names = ", ".join(n for n, _ in cols)
    conn.exec_driver_sql(f"INSERT INTO complaint_case ({names}) SELECT {select} "
                         f"FROM complaint_case WHERE id <= {base_max}")
    conn.exec_driver_sql(f"INSERT INTO case_search (case_id, body, grams) SELECT case_id + "
                         f"{base_max * k}, body, grams FROM case_search WHERE case_id <= {base_max}")
    ocols = _columns(conn, "offer")
    ospecial = {"id": f"id + {offer_max * k}", "case_id": f"case_id + {base_max * k}"}
    oselect = ", ".join(ospecial.get(n, _shifted(n, t, days)) for n, t in ocols)
    conn.exec_driver_sql(f"INSERT INTO offer ({', '.join(n for n, _ in ocols)}) SELECT {oselect} "
                         f"FROM offer WHERE case_id <= {base_max}")
    conn.exec_driver_sql(f"INSERT INTO case_sequence (desk, day, last) SELECT '{letter}' || desk, "
                         f"day - {days}, last FROM case_sequence WHERE desk IN ('A', 'B', 'C')")


def pace(text: str) -> tuple[float, float]:
    """``--think``: "LO..HI" seconds drawn evenly, or a mean M (drawn from 0 to 2M)."""
    lo, sep, hi = text.partition("..")
    if sep:
        return float(lo), float(hi)
    return 0.0, 2 * float(text)


def pace_text(think: tuple[float, float]) -> str:
    lo, hi = think
    return f"{lo:g}..{hi:g}" if lo else f"{hi / 2:g}"


def desk_worker(url: str, index: int, seconds: float, think: tuple[float, float],
                queue) -> None:
    """One desk: sign in, then complaints and searches until the time is up."""
    from datetime import datetime, timezone

    from desk.app.counter import Counter
    from desk.errors import DomainError
    from desk.policy import load_policy
    from desk.queries import CaseFilter
    from desk.services.auth import sign_in
    from desk.services.intake import CaseInput
    from desk.store import Store
    from desk.demo_text import COMPLAINTS, TENANTS
    policy = load_policy()
    store = Store(url, migrate=False)
    clerk_pin, super_pin = pins(index)
    clerk = sign_in(store, policy, f"K{index:03d}", clerk_pin)
    counter = Counter(store, policy, clerk)
    desk = live_desks(index + 1)[-1]
    rng = random.Random(index)
    times = {"save": [], "search": [], "step": [], "offer": []}
    refusals: dict[str, int] = {}
    errors: list[str] = []
    saved = 0

    def timed(kind: str, call):
        started = time.perf_counter()
        try:
            return call()
        finally:
            times[kind].append((time.perf_counter() - started) * 1000)

    deadline = time.monotonic() + seconds
    if think[0]:            # a counter's pace: the desks' first customers arrive spread out
        time.sleep(rng.uniform(0, think[1]))
    cpu_started = time.process_time()
    while time.monotonic() < deadline:
        category, subject, texts, motive, severity = rng.choice(COMPLAINTS)
        complaint, request = texts["zh_TW"]
        shop = rng.choice(TENANTS)
        inp = CaseInput(desk=desk, channel="counter", customer_name=f"顧客{rng.randrange(10**4)}",
                        category=category, complaint=complaint.format(shop=shop),
                        request=request, motive=motive, severity=severity, subject_kind=subject,
                        subject_name=shop if subject == "tenant" else None,
                        subject_staff="C001" if subject == "staff" else None,
                        customer_phone=f"09{rng.randrange(10**8):08d}")
        try:
            case = timed("save", lambda: counter.take_complaint(inp))
            saved += 1
            no = case.case_no
            promised = datetime.now(timezone.utc) + timedelta(days=1)
            for step in ("listen", "thank", "apologise"):
                timed("step", lambda s=step: counter.record_step(no, s))
            timed("step", lambda: counter.record_step(no, "commit", promised_reply_at=promised))
            if rng.random() < 0.1:      # beyond the clerk: the supervisor's PIN at the same PC
                boss = sign_in(store, policy, f"V{index:03d}", super_pin, field="approver")
                offered = timed("offer", lambda: counter.make_offer(
                    no, "voucher", 800, approver=boss))
                counter.record_answer(no, offered.seq, "accepted",
                                      serials=(f"V{index:03d}-{saved:06d}",))
            else:
                offered = timed("offer", lambda: counter.make_offer(no, "small_gift", 50))
                counter.record_answer(no, offered.seq, "accepted")
        except DomainError as exc:          # the rules said no: a refusal, not an error
            key = f"{type(exc).__name__}: {exc.field}"
            refusals[key] = refusals.get(key, 0) + 1
        except Exception as exc:             # what a clerk would see as a failure
            errors.append(f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        text = rng.choice(SEARCHES)
        try:
            timed("search", lambda: counter.search(CaseFilter(text=text), 0, 200))
        except Exception as exc:
            errors.append(f"search: {type(exc).__name__}: {str(exc).splitlines()[0][:160]}")
        if think[1] and time.monotonic() < deadline:
            time.sleep(min(rng.uniform(*think), max(0.0, deadline - time.monotonic())))
    cpu = time.process_time() - cpu_started
    store.close()
    queue.put({"desk": desk, "saved": saved, "times": times, "refusals": refusals,
               "errors": errors, "cpu": cpu})


def _collect(procs: list, queue, seconds: float) -> list[dict]:
    """Every desk's result; a desk process that dies (or a run far past its time) stops the
    run with a message instead of waiting for ever."""
    from queue import Empty
    results: list[dict] = []
    give_up = time.monotonic() + seconds + 600
    while len(results) < len(procs):
        try:
            results.append(queue.get(timeout=5))
        except Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead or time.monotonic() > give_up:
                for p in procs:
                    p.terminate()
                raise SystemExit(f"{len(dead)} desk processes failed (exit codes {dead[:5]})"
                                 if dead else "the desks did not finish in time")
    for p in procs:
        p.join()
    return results


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def gap_free(url: str, desks: list[str]) -> tuple[int, list[str]]:
    """(cases the run saved, desks whose numbers of the day have a gap)."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(
            "SELECT c.desk, c.day, count(*), max(c.seq), max(s.last) FROM complaint_case c "
            "JOIN case_sequence s ON s.desk = c.desk AND s.day = c.day "
            "WHERE c.desk = ANY(:desks) GROUP BY c.desk, c.day"), {"desks": desks}).all()
    engine.dispose()
    return sum(r[2] for r in rows), [f"{r[0]} {r[1]}" for r in rows if not r[2] == r[3] == r[4]]


def chain_check(url: str) -> str:
    from desk.audit.verify import verify
    from desk.store import Store
    store = Store(url, migrate=False)
    with store.read() as session:
        report = verify(session, rows=False)
    store.close()
    problems = [f.kind for f in report.findings]
    return (f"{report.entries:,} entries, chain intact" if not problems
            else f"{report.entries:,} entries, PROBLEMS: {problems[:5]}")


def run(url: str, desks: int, seconds: float, think: float | tuple[float, float]) -> dict:
    think = (0.0, 2 * think) if isinstance(think, (int, float)) else tuple(think)
    live = live_desks(desks)
    server = server_statements(url, reset=True)
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=desk_worker, args=(url, i, seconds, think, queue))
             for i in range(desks)]
    started, cpu0 = time.perf_counter(), os.times()
    for p in procs:
        p.start()
    results = _collect(procs, queue, seconds)
    wall = time.perf_counter() - started
    cpu1 = os.times()
    merged = {k: [t for r in results for t in r["times"][k]] for k in results[0]["times"]}
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    server = server_statements(url) if server is not None else None
    saved, gaps = gap_free(url, live)
    return {"desks": desks, "seconds": seconds, "think": think, "wall": wall,
            "desk_cpu": sum(r["cpu"] for r in results), "server": server,
            "client_cpu": (cpu1.children_user + cpu1.children_system)
            - (cpu0.children_user + cpu0.children_system),
            "saved": sum(r["saved"] for r in results), "in_store": saved, "gaps": gaps,
            "times": merged, "errors": [e for r in results for e in r["errors"]],
            "refusals": {k: sum(r["refusals"].get(k, 0) for r in results)
                         for k in {k for r in results for k in r["refusals"]}},
            "chain": chain_check(url), "load": load[0] if load else None,
            "loads": load}


def server_statements(url: str, reset: bool = False) -> list[tuple] | None:
    """The server's own time per statement since the last reset (pg_stat_statements, when
    the server loads it): (calls, total ms, mean ms, statement), longest in total first.
    None when the server does not have it."""
    from sqlalchemy import create_engine, text
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            if not conn.execute(text("SELECT 1 FROM pg_extension "
                                     "WHERE extname = 'pg_stat_statements'")).scalar():
                return None
            if reset:
                conn.execute(text("SELECT pg_stat_statements_reset()"))
                return []
            return [tuple(r) for r in conn.execute(text(
                "SELECT calls, total_exec_time, mean_exec_time, query FROM pg_stat_statements "
                "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                "ORDER BY total_exec_time DESC LIMIT 12"))]
    finally:
        engine.dispose()


def _statement(query: str) -> str:
    words = " ".join(query.split())
    for cut in (" VALUES ", " WHERE ", " FROM "):
        if cut in words[:120]:
            words = words[:words.index(cut) + len(cut)] + "..."
            break
    return words[:110].replace("|", "/")


def report(r: dict, cases: int) -> list[str]:
    lo, hi = r["think"]
    actions = sum(len(v) for v in r["times"].values())
    loads = (" / ".join(f"{x:.1f}" for x in r["loads"]) + " (1/5/15 min) at the end"
             if r.get("loads") else "not known")
    lines = [f"{r['desks']} desks for {r['seconds']:.0f} s, a pause of {lo:g} to {hi:g} s "
             f"after each complaint, {cases:,} cases in the store; load average {loads}:",
             f"- throughput: {r['saved']:,} complaints saved ({r['saved'] / r['wall'] * 60:,.0f} "
             f"a minute), {len(r['times']['search']):,} searches",
             f"- the desks' own CPU: {r['desk_cpu']:.0f} s for {actions:,} timed actions "
             f"({1000 * r['desk_cpu'] / max(actions, 1):.0f} ms an action with everything "
             f"between them) over {r['wall']:.0f} s",
             "", "| action | count | p50 | p95 | p99 | max |", "|---|---:|---:|---:|---:|---:|"]
    for kind, values in r["times"].items():
        if values:
            lines.append(f"| {kind} | {len(values):,} | {percentile(values, 50):.1f} ms | "
                         f"{percentile(values, 95):.1f} ms | {percentile(values, 99):.1f} ms | "
                         f"{max(values):.1f} ms |")
    errors = sorted(set(r["errors"]))
    lines += ["", f"- errors a clerk would have seen: {len(r['errors'])}"
              + (f" ({'; '.join(errors[:5])})" if errors else ""),
              f"- refusals by the rules (expected, e.g. a clerk's day limit reached): "
              f"{sum(r['refusals'].values())} {dict(sorted(r['refusals'].items()))}",
              f"- case numbers: {r['in_store']:,} in the store for the run's desks, "
              + ("gap-free on every desk" if not r["gaps"] else f"GAPS on {r['gaps'][:5]}"),
              f"- audit log: {r['chain']}"]
    if r.get("server"):
        total = sum(row[1] for row in r["server"])
        lines += ["", f"The server's own time (pg_stat_statements, the twelve longest in total: "
                  f"{total / 1000:.1f} s):", "",
                  "| calls | total | mean | statement |", "|---:|---:|---:|---|"]
        lines += [f"| {calls:,} | {tot / 1000:.1f} s | {mean:.1f} ms | `{_statement(q)}` |"
                  for calls, tot, mean, q in r["server"]]
    return lines


def part_title(think: tuple[float, float]) -> str:
    return "At a counter's pace" if think[0] else "Stress: every desk flat out"


def record(lines: list[str], command: str, part: str) -> None:
    """Writes the run as the subsection ``### part`` of the section, keeping its other
    subsections (the other pace, the findings) and its opening text."""
    text = DOC.read_text(encoding="utf-8")
    sub = "\n".join([f"### {part}", "", f"Command: `{command}`", "", *lines]) + "\n"
    found = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M).search(text)
    if not found:
        DOC.write_text(text.rstrip() + f"\n\n{SECTION}\n\n{sub}", encoding="utf-8")
        return
    section = found.group(0)
    mine = re.compile(rf"^### {re.escape(part)}\n.*?(?=^### |\Z)", re.S | re.M)
    if mine.search(section):
        section = mine.sub(lambda _m: sub + "\n", section)
    elif "### Findings" in section:
        at = section.index("### Findings")
        section = section[:at] + sub + "\n" + section[at:]
    else:
        section = section.rstrip() + "\n\n" + sub + "\n"
    DOC.write_text(text[:found.start()] + section + text[found.end():], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("DESK_TEST_PG_URL"),
                        help="the PostgreSQL server (its database is made beside yours)")
    parser.add_argument("--cases", type=int, default=10_000_000)
    parser.add_argument("--desks", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--think", type=pace, default=pace("0.5"),
                        help="pause after each complaint, in seconds: LO..HI drawn evenly "
                             "(30..120, a counter's pace) or a mean M (0.5, the stress test)")
    parser.add_argument("--fill-only", action="store_true")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    if not args.url:
        parser.error("--url (or DESK_TEST_PG_URL) is needed")
    if args.desks > 10 * len(LIVE_LETTERS):
        parser.error(f"at most {10 * len(LIVE_LETTERS)} desks")
    os.environ.setdefault("DESK_LOCALE", "en")
    url = database_url(args.url, args.cases)
    print(f"store: {url.rsplit('/', 1)[-1]}", flush=True)
    prepare(url, args.cases, args.desks)
    if args.fill_only:
        return 0
    result = run(url, args.desks, args.seconds, args.think)
    lines = report(result, args.cases)
    print("\n".join(lines))
    import summary
    from timing import load_average
    stress = not args.think[0]
    for kind, goal in (("save", "chain_save"), ("search", "chain_search")):
        values = result["times"][kind]
        summary.add(f"chain{' (stress)' if stress else ''}: {kind}",
                    f"p99 of {'saving a case' if kind == 'save' else 'a search'}, {args.desks} "
                    f"desks {'flat out' if stress else 'at a counter pace'}, {args.cases:,} "
                    "cases on one PostgreSQL", goal=goal, wall=[percentile(values, 99)],
                    load=load_average())
    if not args.no_record:
        command = (f"python bench/bench_chain.py --url URL --cases {args.cases} --desks "
                   f"{args.desks} --seconds {args.seconds:g} --think {pace_text(args.think)}")
        record([f"{date.today()}, {platform.system()} {platform.machine()}, {os.cpu_count()} "
                "cores shared by the server, every desk's process and other work.", "", *lines],
               command, part_title(args.think))
    bad = result["errors"] or result["gaps"] or "PROBLEMS" in result["chain"]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
