"""Store and queries on a large SQLite store: the program's own calls against the same work
done in raw sqlite3, in the same run, on the same file. Prints medians and ratios and keeps
them in docs/benchmarks.md under "## Store and queries".

    python bench/bench_store.py                  # 1,000,000 demo cases
    python bench/bench_store.py --cases 100000   # quicker
    python bench/bench_store.py --import-count 0 # without the half-hour import (its row
                                                 # and note are kept from the last run)
    python bench/bench_store.py --no-record      # print only

The demo store is generated once (desk.demo.fill_demo, fixed seed) into bench/out/ and kept;
every run works on a fresh copy of it, so runs never drift. Goals: bench/goals.py (a day's
list, index-answered searches, free-text searches, saving a case, import per document).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk import search_text, services  # noqa: E402
from desk.demo import DEMO_STAFF, fill_demo  # noqa: E402
from desk.policy import load_policy  # noqa: E402
from desk.queries import CaseFilter, CaseRow, day_cases, prefix_end, search_cases  # noqa: E402
from desk.store import Store  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from goals import GOALS  # noqa: E402
from timing import Samples, interleaved, load_average  # noqa: E402

OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Store and queries"
FINDINGS = "### Findings"
NOT_MEASURED = "import not measured"
TODAY = date(2026, 11, 22)      # the demo store's last day: fixed, so every run sees the same

ROW_SQL = """
SELECT c.case_no, c.received_at, c.desk, c.status, c.level, c.severity, c.category,
       c.customer_name, c.customer_phone, c.subject_name, s.name, c.resolution_due,
       c.promised_reply_at, c.follow_up_due,
       (SELECT coalesce(sum(o.amount), 0) FROM offer o
         WHERE o.case_id = c.id AND o.approval IN ('not_needed', 'approved')
           AND o.answer != 'refused'),
       substr(c.complaint, 1, 80), c.first_contact_due, c.first_contact_at, c.resolved_at
FROM complaint_case c JOIN staff s ON s.id = c.handler_id
"""
DAY_SQL = ROW_SQL + " WHERE c.day = ? ORDER BY c.desk, c.seq"
NEWEST_PAGE = " ORDER BY c.day DESC, c.desk DESC, c.seq DESC, c.id DESC LIMIT 200 OFFSET 0"
# Free text: the same search text as desk.search_index, read case by case without its index
# (bench_search.py sets the index against the LIKE the program used before).
TEXT_SQL = ROW_SQL + """ WHERE EXISTS (SELECT 1 FROM case_search s WHERE s.case_id = c.id
    AND s.body LIKE ? ESCAPE '/')""" + NEWEST_PAGE
# A number typed from its start: phone or member number, or a case number.
PHONE_SQL = ROW_SQL + """ WHERE (c.customer_phone >= ? AND c.customer_phone < ?)
    OR (c.customer_member_no >= ? AND c.customer_member_no < ?)""" + NEWEST_PAGE
CASE_NO_SQL = ROW_SQL + " WHERE c.case_no >= ? AND c.case_no < ?" + NEWEST_PAGE
# The same prefixes as LIKE, as the program asked before: a scan of every row on SQLite.
PHONE_LIKE_SQL = ROW_SQL + """ WHERE c.customer_phone LIKE ? ESCAPE '/'
    OR c.customer_member_no LIKE ? ESCAPE '/'""" + NEWEST_PAGE
CASE_NO_LIKE_SQL = ROW_SQL + " WHERE c.case_no LIKE ? ESCAPE '/'" + NEWEST_PAGE


@dataclass
class Result:
    name: str
    desk: Samples | None          # the program's call
    raw: Samples | None           # the same SQL in raw sqlite3
    note: str = ""
    rows: Samples | None = None   # raw sqlite3 plus the same conversion into frozen rows
    documents: int = 0            # an import: how many documents the samples cover

    @property
    def desk_ms(self) -> float:
        return self.desk.wall_ms if self.desk else float("nan")

    @property
    def raw_ms(self) -> float | None:
        return self.raw.wall_ms if self.raw else None

    @property
    def rows_ms(self) -> float | None:
        return self.rows.wall_ms if self.rows else None

    @property
    def ratio(self) -> float | None:
        return self.desk_ms / self.raw_ms if self.raw_ms else None

    @property
    def rows_ratio(self) -> float | None:
        return self.desk_ms / self.rows_ms if self.rows_ms else None


_PARSE = datetime.fromisoformat
_NAMES = tuple(f.name for f in fields(CaseRow))
_INSTANTS = (1, 11, 12, 13, 16, 17, 18)


def frozen_rows(raw_rows: list[tuple]) -> list[CaseRow]:
    """What desk.queries returns, built by hand from raw tuples as lean as plain Python
    allows: one C parse per instant (the stored UTC text with its offset appended), Decimal
    totals, each frozen row's instance dictionary set at once (a dataclass's own __init__
    takes three times as long). The program's rows must be equal to these."""
    new, set_attr = object.__new__, object.__setattr__
    built = []
    for r in raw_rows:
        r = list(r)
        for i in _INSTANTS:
            if r[i] is not None:
                r[i] = _PARSE(r[i] + "+00:00")
        r[14] = Decimal(str(r[14] or 0))
        row = new(CaseRow)
        set_attr(row, "__dict__", dict(zip(_NAMES, r)))
        built.append(row)
    return built


def demo_store(cases: int, policy) -> Path:
    """The pristine generated store, made once per size and kept in bench/out/."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"store-{cases}.sqlite3"
    ready = path.with_suffix(".ready")
    if path.exists() and ready.exists():
        return path
    for stale in OUT.glob(f"store-{cases}.sqlite3*"):
        stale.unlink()
    print(f"generating {cases:,} demo cases into {path.relative_to(ROOT)} (once) ...", flush=True)
    started = time.perf_counter()
    store = Store("sqlite:///" + path.as_posix())
    fill_demo(store, policy, cases, today=TODAY, audit=False)
    store.close()
    ready.write_text(f"{cases} cases, {time.perf_counter() - started:.0f} s\n")
    print(f"  done in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def _remove(work: Path) -> None:
    """A work copy and what its store left beside it (WAL, the open-store marker folder)."""
    for path in OUT.glob(work.name + "*"):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def raw_connection(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def bench_day(store: Store, raw: sqlite3.Connection, day: date, repeat: int) -> list[Result]:
    results = []
    for desk in (None, "A"):
        def ours():
            with store.read() as session:
                return day_cases(session, day, desk)

        sql = DAY_SQL if desk is None else DAY_SQL.replace("WHERE c.day = ?",
                                                           "WHERE c.day = ? AND c.desk = ?")
        args = (day.isoformat(),) if desk is None else (day.isoformat(), desk)

        def theirs():
            return raw.execute(sql, args).fetchall()

        def theirs_as_rows():
            return frozen_rows(raw.execute(sql, args).fetchall())

        rows = ours()
        assert rows == theirs_as_rows(), "different results"
        label = f"day list, {'all desks' if desk is None else 'desk ' + desk} ({len(rows)} rows)"
        desk, raw_s, rows_s = interleaved(repeat, ours, theirs, theirs_as_rows)
        results.append(Result(label, desk, raw_s, rows=rows_s))
    return results


def bench_search(store: Store, raw: sqlite3.Connection, repeat: int) -> list[Result]:
    results = []
    for text, what in (("陳", "common name"), ("電梯", "complaint word"),
                       ("不存在的字串", "no match")):
        def ours():
            with store.read() as session:
                return search_cases(session, CaseFilter(text=text), limit=200)

        like = search_text.like_pattern(search_text.normalise(text))

        def theirs():
            return raw.execute(TEXT_SQL, (like,)).fetchall()

        def theirs_as_rows():
            return frozen_rows(raw.execute(TEXT_SQL, (like,)).fetchall())

        rows = ours()
        assert rows == theirs_as_rows(), "different results"
        desk, raw_s, rows_s = interleaved(max(3, repeat // 3), ours, theirs, theirs_as_rows)
        results.append(Result(f"search \"{text}\" ({what}, {len(rows)} rows)", desk, raw_s,
                              rows=rows_s))
    return results


def bench_prefix(store: Store, raw: sqlite3.Connection, repeat: int) -> list[Result]:
    """Numbers typed from their start, answered from the column's index as a range; the
    note gives the LIKE the program used before, in raw sqlite3."""
    day = (TODAY - timedelta(days=1)).strftime("%Y%m%d")
    results = []
    for text, what, sql, like_sql in (
            ("0912", "phone prefix, first page", PHONE_SQL, PHONE_LIKE_SQL),
            ("0912345", "phone prefix", PHONE_SQL, PHONE_LIKE_SQL),
            (f"A-{day}", "case numbers of a desk's day", CASE_NO_SQL, CASE_NO_LIKE_SQL)):
        def ours():
            with store.read() as session:
                return search_cases(session, CaseFilter(text=text), limit=200)

        bounds = (text, prefix_end(text)) * sql.count("< ?")
        likes = (text + "%",) * like_sql.count("LIKE ?")

        def theirs():
            return raw.execute(sql, bounds).fetchall()

        def theirs_as_rows():
            return frozen_rows(raw.execute(sql, bounds).fetchall())

        def theirs_like():
            return raw.execute(like_sql, likes).fetchall()

        rows = ours()
        assert rows == theirs_as_rows() and theirs() == theirs_like(), "different results"
        desk, raw_s, rows_s = interleaved(repeat, ours, theirs, theirs_as_rows)
        [like] = interleaved(3, theirs_like)
        results.append(Result(f"search \"{text}\" ({what}, {len(rows)} rows)", desk, raw_s,
                              f"the same search as LIKE '{text}%' in raw sqlite3 (the "
                              f"program's query before): {_ms(like.wall_ms)} ms", rows=rows_s))
    return results


def bench_allocate(store: Store, raw: sqlite3.Connection, policy, repeat: int) -> Result:
    """One complaint taken and committed (synchronous=FULL, so one fsync each) against the
    same three statements in raw sqlite3: bump the pad, insert the case, insert its history."""
    with store.read() as session:
        clerk = services.actor_for(session, "C001")
    received = datetime.now(timezone.utc) - timedelta(minutes=1)
    inp = services.CaseInput(
        desk="Z", channel="counter", customer_name="林先生", category="service_attitude",
        complaint="櫃位人員態度不佳，結帳時不理會客人", motive="respect", severity=2,
        subject_kind="tenant", subject_name="某專櫃", customer_phone="0912345678",
        received_at=received)

    def ours():
        with store.write(clerk) as session:
            return services.take_complaint(session, policy, clerk, inp).id

    template_id = ours()
    case = _row(raw, "complaint_case", template_id)
    history = _row(raw, "status_change", template_id, key="case_id")
    day = case["day"]
    case_cols = [c for c in case if c != "id"]
    hist_cols = [c for c in history if c not in ("id",)]
    insert_case = (f"INSERT INTO complaint_case ({', '.join(case_cols)}) "
                   f"VALUES ({', '.join('?' * len(case_cols))})")
    insert_hist = (f"INSERT INTO status_change ({', '.join(hist_cols)}) "
                   f"VALUES ({', '.join('?' * len(hist_cols))})")

    def theirs():
        raw.execute("BEGIN IMMEDIATE")
        seq = raw.execute(
            "INSERT INTO case_sequence (desk, day, last) VALUES ('Y', ?, 1) "
            "ON CONFLICT (desk, day) DO UPDATE SET last = last + 1 RETURNING last",
            (day,)).fetchone()[0]
        values = dict(case, desk="Y", seq=seq, case_no=f"Y-{day.replace('-', '')}-{seq:04d}")
        case_id = raw.execute(insert_case, [values[c] for c in case_cols]).lastrowid
        raw.execute(insert_hist, [case_id if c == "case_id" else history[c] for c in hist_cols])
        raw.execute("COMMIT")

    desk, raw_s = interleaved(repeat, ours, theirs)
    return Result("take a complaint (number + case + history, committed)", desk, raw_s,
                  "the service also validates the input, checks the closed-day guard and "
                  "appends to the audit log")


def _row(raw: sqlite3.Connection, table: str, value, key: str = "id") -> dict:
    cur = raw.execute(f"SELECT * FROM {table} WHERE {key} = ? ORDER BY id LIMIT 1", (value,))
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone()))


def bench_import(store: Store, raw: sqlite3.Connection, policy, count: int) -> Result | None:
    """``count`` case documents imported in one batch with the real command,
    ``desk case import FILE`` in its own process (sign-in and reading the file included;
    every document replayed through the services), against inserting the same rows (cases,
    steps, offers, history) in raw sqlite3."""
    try:
        from desk.casedoc import export_case
    except ImportError:
        return None
    oldest = [r[0] for r in raw.execute(
        "SELECT id FROM complaint_case ORDER BY id LIMIT ?", (count,))]
    numbers = [r[0] for r in raw.execute(
        f"SELECT case_no FROM complaint_case WHERE id <= {oldest[-1]} ORDER BY id")]
    with store.read() as session:
        docs = [export_case(session, no) for no in numbers]
    # The copies go to days before the store's first one, so each day's authority totals
    # are those of the originals and no closed day is touched.
    first, last = raw.execute(f"SELECT min(day), max(day) FROM complaint_case "
                              f"WHERE id <= {oldest[-1]}").fetchone()
    shift = -timedelta(days=(date.fromisoformat(last) - date.fromisoformat(first)).days + 60)
    pins = {staff_no: pin for staff_no, _name, _role, pin in DEMO_STAFF}
    for i, doc in enumerate(docs):
        docs[i] = doc = _shifted(doc, shift)
        doc.pop("case_no", None)
        doc.pop("duplicate_of", None)
        for offer in doc.get("offers") or ():
            approval = offer.get("approval")
            if isinstance(approval, dict) and approval.get("by") in pins:
                approval["pin"] = pins[approval["by"]]   # a file's approval needs the PIN
    file = OUT / f"import-{count}.json"
    file.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    # Other people's cases of other days: migrated history, brought in by the operations
    # manager (the approvals' PINs are still checked).
    command = [sys.executable, "-m", "desk.cli", "--db", str(store.path), "--as", "O001",
               "--pin", pins["O001"], "case", "import", "--migrated", str(file)]
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                text=True, env=dict(os.environ, DESK_LOCALE="en"))
        errors = proc.stderr.read()
        # The child's own CPU time, from the kernel (POSIX wait4: a benchmark, not the app).
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        file.unlink()
    wall = time.perf_counter() - started
    if proc.returncode != 0:   # report, do not hide: the figure is then missing
        return Result(f"import {count:,} case documents", None, None,
                      f"failed: {errors.strip()[:120]}")
    ours = Samples()
    ours.add((usage.ru_utime + usage.ru_stime) / count, wall / count)

    started, cpu = time.perf_counter(), time.process_time()
    raw.execute("BEGIN IMMEDIATE")
    ids = ",".join(map(str, oldest))
    base = raw.execute("SELECT max(id) FROM complaint_case").fetchone()[0]
    raw.execute(f"""INSERT INTO complaint_case SELECT id + {base}, 'X' || case_no,
        'X' || desk, day, seq, {', '.join(_columns(raw, 'complaint_case')[5:])}
        FROM complaint_case WHERE id IN ({ids})""")
    for table in ("step_record", "offer", "status_change", "assisting_unit"):
        cols = _columns(raw, table)
        rest = ", ".join(cols[2:])
        raw.execute(f"INSERT INTO {table} ({', '.join(cols[1:])}) SELECT case_id + {base}, "
                    f"{rest} FROM {table} WHERE case_id IN ({ids})")
    raw.execute("COMMIT")
    theirs = Samples()
    theirs.add((time.process_time() - cpu) / count, (time.perf_counter() - started) / count)
    return Result(f"import {count:,} case documents (one batch), per document", ours, theirs,
                  f"{wall / 60:.1f} min in all, {ours.cpu_ms:.1f} ms CPU and "
                  f"{ours.wall_ms:.1f} ms wall a document, by `desk case import` (its own "
                  "process: sign-in, reading the file, every document replayed through the "
                  "services, audit log); raw: INSERT ... SELECT of the same rows, no rules "
                  "checked", documents=count)


ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


def _shifted(value, delta: timedelta):
    """The document with every timestamp moved by ``delta``."""
    if isinstance(value, dict):
        return {k: _shifted(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, delta) for v in value]
    if isinstance(value, str) and ISO_INSTANT.match(value):
        return (datetime.fromisoformat(value) + delta).isoformat()
    return value


def _columns(raw: sqlite3.Connection, table: str) -> list[str]:
    return [r[1] for r in raw.execute(f"PRAGMA table_info({table})")]


def _ms(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if value >= 1000 else f"{value:.2f}"


def _x(value: float | None) -> str:
    return f"{value:.2f}×" if value is not None else "–"


def _both(s: Samples | None) -> str:
    return f"{_ms(s.cpu_ms)} / {_ms(s.wall_ms)}" if s else "–"


def _cpu_ratio(ours: Samples | None, theirs: Samples | None) -> float | None:
    return ours.cpu_ms / theirs.cpu_ms if ours and theirs and theirs.cpu_ms else None


def _recorded() -> list[str]:
    """The lines of the section as docs/benchmarks.md has it now."""
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    found = re.search(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", text, re.S | re.M)
    return found.group(0).splitlines() if found else []


def _earlier_import(results: list[Result]) -> tuple[list[str], list[str]]:
    """A run without the import (``--import-count 0``) keeps the import's row and note as
    recorded before, and says so: (table rows, notes)."""
    if any(r.name.startswith("import") for r in results):
        return [], []
    before = _recorded()
    rows = [line for line in before if line.startswith("| import ")]
    notes = [line for line in before if line.startswith("- import ")
             and not line.startswith(f"- {NOT_MEASURED}")]
    if not rows:
        return [], []
    return rows, notes + [f"- {NOT_MEASURED} in this run (`--import-count 0`): its row and "
                          "note are those recorded before"]


def record(results: list[Result], entries: dict, args, cases: int, size_mb: float,
           command: str) -> None:
    import summary
    lines = [SECTION, "",
             f"Command: `{command}`", "",
             f"{datetime.now():%Y-%m-%d}, {platform.system()} {platform.machine()}, "
             f"{os.cpu_count()} cores, Python {platform.python_version()}, SQLite "
             f"{sqlite3.sqlite_version}; store of {cases:,} demo cases ({size_mb:,.0f} MB, "
             f"WAL, synchronous=FULL), warm cache, load average {load_average() or 0:.1f} "
             f"on {os.cpu_count()} cores at the end of the run. Medians of {args.repeat} "
             "runs, the "
             "contenders called in turn so that other work on the machine slows them alike "
             "(searches: a third as many; import: one run). \"desk\" is the program's own "
             "call (session, SQLAlchemy, frozen rows); \"raw\" is the same SQL in the sqlite3 "
             "module returning tuples; \"raw + rows\" also turns those tuples into the same frozen "
             "rows by hand, as lean as plain Python allows (aware UTC datetimes, Decimal totals), "
             "and the run checks that they equal the program's rows. A list or search is "
             "judged against \"raw + rows\", like with like (the same rows come out of "
             "both); its ratio to bare tuples is shown beside it.", "",
             "CPU is this process's CPU time; wall is the clock on the wall; \"ms\" "
             "columns are CPU / wall medians. Each row is judged by its goal in "
             "`bench/goals.py` on the goal's clock.", "",
             "| operation | desk (ms) | raw sqlite3 (ms) | ratio (CPU) | raw + rows (ms) | "
             "ratio (CPU) | goal | |",
             "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for r in results:
        entry = entries.get(r.name)
        goal = (GOALS[entry["goal"]].text("raw + rows" if r.rows else "raw sqlite3")
                if entry else "")
        lines.append(f"| {r.name} | {_both(r.desk)} | {_both(r.raw)} | {_x(_cpu_ratio(r.desk, r.raw))} "
                     f"| {_both(r.rows)} | {_x(_cpu_ratio(r.desk, r.rows))} | {goal} | "
                     f"{summary.verdict(entry) if entry else ''} |")
    import_rows, import_notes = _earlier_import(results)
    lines += import_rows
    notes = [f"- {r.name}: {r.note}" for r in results if r.note] + import_notes
    lists = [r for r in results if r.rows is not None and r.raw is not None]
    conversion = max(r.rows.cpu_ms / r.raw.cpu_ms for r in lists)
    lines += ["", "Turning the strings into aware datetimes and Decimal totals and building "
              f"the frozen rows costs raw sqlite3 itself up to {conversion:.2f}× the bare "
              "query (CPU)."]
    if notes:
        lines += ["", *notes]
    body = "\n".join(lines) + "\n"

    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    found = pattern.search(text)
    if found:
        # The findings below the figures are written by hand: keep them.
        kept = found.group(0).find(FINDINGS)
        if kept >= 0:
            body += "\n" + found.group(0)[kept:].rstrip("\n") + "\n"
        text = pattern.sub(lambda _m: body + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + body
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    print(f"recorded in {DOC.relative_to(ROOT)}")


def summarise(r: Result) -> dict | None:
    """Into the run's summary, each figure under its goal (bench/goals.py)."""
    import summary
    if r.desk is None:
        return None
    if r.name.startswith("import"):
        goal, figure = "import", r.name
    elif r.name.startswith("take a complaint"):
        goal, figure = "save_case", "saving a case (" + r.name + ")"
    elif r.name.startswith("day list"):
        goal, figure = "day_list", r.name
    elif r.name.startswith("search") and r.note.startswith("the same search as LIKE"):
        goal, figure = "list_search", r.name
    else:
        goal, figure = "text_search", r.name
    # Like with like: a list is judged against raw sqlite3 producing the same frozen rows
    # (the program's rows are checked equal to them); bare tuples are in the section's table.
    bare = r.rows or r.raw or Samples()
    name = ("raw INSERT ... SELECT, no rules" if goal == "import"
            else "raw sqlite3 + the same rows" if r.rows else "raw sqlite3")
    return summary.add("store: " + r.name, figure, goal=goal, cpu=r.desk.cpu, wall=r.desk.wall,
                       bare_cpu=bare.cpu, bare_wall=bare.wall, load=load_average(),
                       baseline_name=name)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--import-count", type=int, default=10_000)
    parser.add_argument("--no-record", action="store_true", help="do not touch docs/benchmarks.md")
    args = parser.parse_args()
    os.environ.setdefault("DESK_DATA_DIR", str(OUT / "userdata"))
    policy = load_policy()
    pristine = demo_store(args.cases, policy)
    work = OUT / f"work-{args.cases}.sqlite3"
    _remove(work)
    shutil.copyfile(pristine, work)
    size_mb = work.stat().st_size / 1e6

    store = Store("sqlite:///" + work.as_posix())
    raw = raw_connection(work)
    try:
        day = TODAY - timedelta(days=1)
        results = bench_day(store, raw, day, args.repeat)
        # Before any complaint is taken here, so that the rows found do not depend on
        # --repeat (the complaints taken have a phone number).
        results += bench_search(store, raw, args.repeat)
        results += bench_prefix(store, raw, args.repeat)
        results.insert(2, bench_allocate(store, raw, policy, args.repeat))
        imported = bench_import(store, raw, policy, args.import_count) if args.import_count else None
        if imported:
            results.append(imported)
    finally:
        raw.close()
        store.close()
        _remove(work)

    width = max(len(r.name) for r in results)
    print(f"load average {load_average() or 0:.1f}; CPU / wall medians in ms, ratios on CPU")
    print(f"{'operation':<{width}}  {'desk':>15}  {'raw tuples':>15}  {'ratio':>6}  "
          f"{'raw + rows':>15}  {'ratio':>6}")
    for r in results:
        print(f"{r.name:<{width}}  {_both(r.desk):>15}  {_both(r.raw):>15}  "
              f"{_x(_cpu_ratio(r.desk, r.raw)):>6}  {_both(r.rows):>15}  "
              f"{_x(_cpu_ratio(r.desk, r.rows)):>6}  {r.note}")
    entries = {r.name: summarise(r) for r in results}
    if not args.no_record:
        command = "python bench/bench_store.py" + "".join(
            f" {a}" for a in sys.argv[1:] if a != "--no-record")
        record(results, entries, args, args.cases, size_mb, command)
    return 0


if __name__ == "__main__":
    sys.exit(main())
