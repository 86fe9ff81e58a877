"""Benchmark: the counter app. Prints medians and ratios and keeps them in docs/benchmarks.md
under "## Counter app".

    .venv/bin/python bench/bench_ui.py                 # 1,000,000 demo cases
    .venv/bin/python bench/bench_ui.py --cases 20000   # quicker
    .venv/bin/python bench/bench_ui.py --no-record     # print only

1. Cold start: ``complaint-desk --db STORE --exit-when-ready`` (signed in through DESK_AS /
   DESK_PIN, as a kiosk start would), against a bare PySide6 ``QMainWindow`` started and quit
   the same way; both are fresh subprocesses, interleaved in the same run. Two figures for
   the app, from spawning the process: *typing*, the window shown with the intake form
   taking keystrokes (the store still opening beside it, saving refused with a note), and
   *saving*, the store open and the clerk signed in, the Save button enabled. The app types
   into the form at the first figure and fails the run unless the text is still there at the
   second. Goals in bench/goals.py (judged on CPU time against the bare window). Both contenders keep compiled bytecode (a temporary
   PYTHONPYCACHEPREFIX, filled by an untimed first run), as an installed program has.
2. On the large store, in one offscreen process: opening a case (query, every field, every
   tab's table), filtering the list (the first page of each filter), switching the main tabs.
   Goal: under 100 ms each.

The demo store is the one bench/bench_store.py generates once into bench/out/ (fixed seed,
last day 2026-11-22); this benchmark works on its own copy so a schema upgrade never touches
the pristine file.
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from goals import GOALS  # noqa: E402
from timing import Samples, load_average  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SECTION = "## Counter app"
BARE = """
import time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1360, 860)
window.show()
print(f"ready 0 ms cpu {time.process_time() * 1000:.1f} ms", flush=True)
QTimer.singleShot(0, app.quit)
app.exec()
"""
# The start a clerk signs in to by hand (no DESK_PIN): once the sign-in dialog shows, the PIN
# is "typed" and OK pressed; the app's own "saveable" mark follows. Prints "pin_entered".
SIGN_IN_BY_HAND = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import ui.app
from ui.signin import SignInDialog
make_app = ui.app.make_app
def mark(what):
    print(f"{what} {(time.perf_counter() - ui.app.START) * 1000:.1f} ms "
          f"cpu {time.process_time() * 1000:.1f} ms", flush=True)
def poll():
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, SignInDialog) and widget.isVisible():
            mark("dialog")
            widget.staff_no.setText("C001")
            widget.pin.setText("4821")
            mark("pin_entered")
            widget.try_sign_in()
            return
    QTimer.singleShot(5, poll)
def make_and_poll(*args):
    app = make_app(*args)
    QTimer.singleShot(0, poll)
    return app
ui.app.make_app = make_and_poll
sys.exit(ui.app.main(sys.argv[1:]))
"""


def work_copy(cases: int) -> Path:
    from bench_store import OUT, demo_store
    from desk.policy import load_policy
    pristine = demo_store(cases, load_policy())
    work = OUT / f"ui-{cases}.sqlite3"
    if not work.exists() or work.stat().st_mtime < pristine.stat().st_mtime:
        for stale in OUT.glob(f"ui-{cases}.sqlite3*"):
            if stale.is_dir():   # the open-store marker a run that ended abruptly left
                shutil.rmtree(stale)
            else:
                stale.unlink()
        shutil.copyfile(pristine, work)
    return work


def timed_run(argv: list[str], env: dict) -> dict[str, tuple[float, float]]:
    """For each line the process prints ("ready": the window takes typing; "saveable": it
    can save), the milliseconds from spawning it (wall) and the CPU time it reports having
    used by then; and the same at its exit (CPU from the kernel: POSIX wait4, a benchmark)."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    marks: dict[str, tuple[float, float]] = {}
    for line in proc.stdout:
        words = line.split()
        if words:
            cpu = float(words[words.index("cpu") + 1]) if "cpu" in words else float("nan")
            marks.setdefault(words[0], ((time.perf_counter() - started) * 1000, cpu))
            if "own" in words:   # a step's own CPU time on its thread (the PIN check)
                own = float(words[words.index("own") + 1])
                marks.setdefault(words[0] + ":own", (own, own))
    errors = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    marks["exit"] = ((time.perf_counter() - started) * 1000,
                     (usage.ru_utime + usage.ru_stime) * 1000)
    if proc.returncode != 0 or "ready" not in marks:
        raise SystemExit(f"{argv} failed with {proc.returncode}: {errors[-1000:]}")
    return marks


def bench_cold_start(store: Path, runs: int) -> dict:
    data = Path(tempfile.mkdtemp(prefix="desk-bench-ui-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DESK_DATA_DIR=str(data),
               DESK_AS="C001", DESK_PIN="4821", XDG_CONFIG_HOME=str(data / "config"),
               PYTHONPYCACHEPREFIX=str(data / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    app = [sys.executable, "-m", "ui.app", "--db", str(store), "--exit-when-ready"]
    bare = [sys.executable, "-c", BARE]
    timed_run(app, env)   # bytecode, compiled catalogs, migrations (if any), disk cache: untimed
    timed_run(bare, env)
    by_hand = [sys.executable, "-c", SIGN_IN_BY_HAND, "--db", str(store), "--exit-when-ready"]
    env_by_hand = {k: v for k, v in env.items() if k not in ("DESK_AS", "DESK_PIN")}
    ours, theirs, signed = [], [], []
    for _ in range(runs):
        ours.append(timed_run(app, env))
        theirs.append(timed_run(bare, env))
        signed.append(timed_run(by_hand, env_by_hand))
    shutil.rmtree(data, ignore_errors=True)
    if any("saveable" not in marks for marks in ours + signed):
        raise SystemExit("the app never became able to save")
    if any("pin_check:own" not in marks for marks in ours):
        raise SystemExit("the app did not mark its PIN check")

    def samples(runs_marks, mark: str) -> Samples:
        s = Samples()
        for marks in runs_marks:
            wall, cpu = marks[mark]
            s.add(cpu / 1000, wall / 1000)
        return s
    def between(runs_marks, first: str, then: str) -> Samples:
        s = Samples()
        for marks in runs_marks:
            s.add((marks[then][1] - marks[first][1]) / 1000,
                  (marks[then][0] - marks[first][0]) / 1000)
        return s

    def less_pin(runs_marks) -> Samples:
        """Saving less the PIN check: its own CPU time off the CPU figure, its span (from
        the mark before it to the mark after) off the wall figure."""
        s = Samples()
        for marks in runs_marks:
            span = marks["pin_check"][0] - marks["pin_check_from"][0]
            s.add((marks["saveable"][1] - marks["pin_check:own"][1]) / 1000,
                  (marks["saveable"][0] - span) / 1000)
        return s
    figures = {"app": samples(ours, "ready"), "app_save": samples(ours, "saveable"),
               "bare": samples(theirs, "ready"), "app_exit": samples(ours, "exit"),
               "bare_exit": samples(theirs, "exit"),
               "pin": between(ours, "pin_check_from", "pin_check"),
               "pin_own": samples(ours, "pin_check:own"),
               "app_save_less_pin": less_pin(ours),
               "pin_entered_to_saveable": between(signed, "pin_entered", "saveable"),
               "dialog": samples(signed, "dialog")}
    # The medians of wall time, as the section's table has always shown them.
    result: dict = {name: s.wall_ms for name, s in figures.items()}
    result["samples"] = figures
    result["load"] = load_average()
    return result


def action_samples(fn, repeat: int, settle=None) -> Samples:
    """CPU and wall time of ``fn(i)`` for i in range(repeat), events settled each time."""
    s = Samples()
    for i in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn(i)
        if settle:
            settle()
        s.add(time.process_time() - cpu, time.perf_counter() - wall)
    return s


def save_samples(window, model, repeat: int, settle) -> Samples:
    """The clerk's Save on the intake form, filled as ``model`` was (received now, so the
    radar compares it with the store's latest cases); filling the form is not timed."""
    form = window.intake
    window.show_tab(0)
    s = Samples()
    for _ in range(repeat):
        form.new_complaint()
        form.show_case(model)
        form.case = None   # shown read-only: taken as a new complaint's values
        for field in form.fields.values():
            field.setEnabled(True)
        form._received_set = False
        # A clerk sees the model's contact details masked: a customer's own, typed in.
        # Taken as the clerk signed in takes a first complaint (the model may have been
        # escalated since).
        form.load_values({"customer.phone": "0912-345-678", "customer.member_no": None,
                          "customer.address": None, "contact.email": None,
                          "severity": 1, "level": "level1", "handler": "C001"})
        settle()
        wall, cpu = time.perf_counter(), time.process_time()
        saved = form.save()
        settle()
        s.add(time.process_time() - cpu, time.perf_counter() - wall)
        if saved is None:
            shown = [label.text() for label in (*form.errors.values(), form.general_error)
                     if label.text()]
            raise SystemExit(f"the benchmark's complaint was refused: {shown}")
    return s


def bench_in_process(store_path: Path, repeat: int, cases: int) -> list[tuple[str, float]]:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from desk.i18n import set_locale
    from desk.policy import load_policy
    from desk.queries import CaseFilter
    from desk.store import Store
    from ui.app import build_window, make_app
    from ui.language import Language
    from ui.session import Desk
    from ui.settings import PcSettings

    app = make_app()
    set_locale("zh_TW")
    policy = load_policy()
    store = Store("sqlite:///" + store_path.as_posix())
    desk = Desk(store, policy, desk_letter="A")
    desk.sign_in("C001", "4821")
    language = Language(app)
    language.switch("zh_TW")
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "pc.ini"), QSettings.Format.IniFormat)
    window = build_window(desk, language, PcSettings(settings))
    window.show()
    app.processEvents()
    settle = app.processEvents
    rng = random.Random(7)
    sample = desk.search(CaseFilter(), rng.randrange(0, max(1, cases // 2)), 200)
    numbers = [row.case_no for row in sample]
    results = []
    results.append(("open a case (detail, all tabs filled)",
                    action_samples(lambda i: window.open_case(numbers[i % len(numbers)]), repeat,
                              settle)))
    results.append(("save a complaint (the intake form's Save, radar included)",
                    save_samples(window, desk.detail(numbers[0]), repeat, settle)))
    panel = window.case_list
    window.show_tab(1)
    settle()
    filters = [
        ("filter: today's and open (default)", lambda: panel.scope.set_key("today_open")),
        ("filter: all cases", lambda: panel.scope.set_key("all")),
        ("filter: status closed", lambda: panel.status.set_key("closed")),
        ("filter: level 2, severity 3", lambda: (panel.level.set_key("level2"),
                                                 panel.severity.set_key(3))),
        ("filter: desk B", lambda: panel.desk_filter.setText("B")),
        ("search: case number prefix", lambda: panel.search.setText(numbers[0][:12])),
        ("search: phone prefix", lambda: panel.search.setText("0912")),
        ("search: customer name", lambda: panel.search.setText("陳")),
        ("search: free text that matches nothing", lambda: panel.search.setText("不存在的字串")),
    ]
    for name, change in filters:
        def run(_i, change=change):
            panel.scope.blockSignals(True)
            panel.status.blockSignals(True)
            panel.level.blockSignals(True)
            panel.severity.blockSignals(True)
            panel.desk_filter.blockSignals(True)
            panel.search.blockSignals(True)
            panel.scope.set_key("all")
            panel.status.set_key(None)
            panel.level.set_key(None)
            panel.severity.set_key(None)
            panel.desk_filter.clear()
            panel.search.clear()
            change()
            for w in (panel.scope, panel.status, panel.level, panel.severity,
                      panel.desk_filter, panel.search):
                w.blockSignals(False)
            panel.apply_filter()
        results.append((name, action_samples(run, repeat, settle)))
    results.append(("scroll: fetch the next page of 200",
                    action_samples(lambda _i: panel.model.fetchMore(), repeat, settle)))
    tabs = [0, 1, 2]
    results.append(("switch tabs (counter, list, detail)",
                    action_samples(lambda i: (window.show_tab(tabs[i % 3]), window.repaint()),
                              repeat * 3, settle)))
    window.close()
    store.close()
    QApplication.processEvents()
    return results


NOTES = [
    "- **Cold start**: the window with the intake form comes first; importing SQLAlchemy, "
    "the model, the services and the queries, opening and checking the store and verifying "
    "the PIN (argon2) run on a loader thread beside it (`ui/store_loader.py`, "
    "`ui/startup.py`). Until the store is open the form takes typing but refuses to save "
    "(Save, Print and their shortcuts disabled, the menus too) and says so in a note above "
    "it; the benchmark types into the form at the first figure and fails the run unless the "
    "text is still there, and Save enabled, at the second. Also: compiled catalogs are kept "
    "in the user cache under the .po's digest (`desk/catalog_cache.py`, was about 0.2 s of "
    "every start); a store already at the newest migrations opens without importing Alembic "
    "(`desk.store.HEADS`, checked against the scripts by a test); the case list and a case "
    "in full are built when first shown; the status bar's figures are read on a pool "
    "thread (today's granted total took about 0.1 s on a million cases until migration "
    "0006 indexed offers by time). What remains between "
    "*typing* and *saving* is mostly importing SQLAlchemy and `desk.model` (its declarative "
    "classes), `desk.services` importing every service, the first ORM queries and the PIN "
    "check; after PySide6 every import also passes its import hook (about 10-15 % slower). "
    "A new store, the demo store and a day pack still open the store before any window "
    "(first-time set-up needs it).",
    "- **Nothing of the store's on the UI thread before the window shows**, checked by a "
    "test (`tests/ui/test_ui_startup.py`): the outbox's sender, made with the window, had "
    "come to import the replies' door and through it SQLAlchemy and every service; *typing* "
    "went from 657 to 211 ms CPU once it no longer did (20,000 cases, 5 runs, load 11-15; "
    "bare window 91-96 ms). DESK_PIN is checked with the bare SQLite driver before the "
    "loader imports SQLAlchemy (`desk.pin_ahead`), so argon2's 19 MiB are "
    "given back before the ORM's arrive (peak memory 153 -> 146 MiB); the sign-in after it "
    "runs every rule and skips only the repeated hash. The promises-due queue is read when "
    "its tab is first shown (building it 88 -> 3 ms CPU), and the status bar counts overdue "
    "cases in the database and streams the follow-ups due (peak 146 -> 142 MiB at 100,000 "
    "cases). Together, 20,000 cases, 5 runs, load about 10: typing 218 ms CPU (2.26x bare), "
    "saving 999 ms (10.33x; before 1191 ms, 12.3x). *Saving* cannot meet 2x bare on CPU "
    "time with the PIN's parameters kept: one argon2 check alone is about 2.5x the bare "
    "window's whole start.",
    "- **Before and after**, measured the same way and interleaved in one series (9 runs, "
    "medians, load average about 4-4.7 on 2 cores; \"before\" is the start-up as it was at "
    "commit 61a05ef, everything synchronous, SQLAlchemy imported before Qt): 1,000,000 "
    "cases: before 2222 ms to the form (7.42× bare), now typing 591 ms (1.97×), saving "
    "1904 ms (6.36×); 20,000 cases: before 1776 ms (6.89×), now 521 ms (2.02×) and "
    "1603 ms (6.22×). Saving gained little: what the old start saved by importing the "
    "store's modules before PySide6 (its import hook reads the source of every module "
    "imported after it, looking for \"PySide6\"; napari/napari#8584) the loader thread now "
    "pays, since it starts after the window.",
    "- **Saving, less the PIN check**: with --exit-when-ready the app prints marks around "
    "the deliberate PIN check (argon2, its parameters kept; `pin_check ... own N ms` is its "
    "own thread's CPU time), and this benchmark reports saving as measured, less the check "
    "(the part a clerk waits for besides it) and the check alone; the goal is judged on the "
    "measured figure. It also starts the app without DESK_PIN, enters the PIN once the "
    "sign-in dialog shows and times *PIN entered -> saveable*: the dialog shows once the "
    "store is open (the ORM loads while the clerk types in the form) and the PIN is then "
    "checked on the UI thread, so that figure is mostly the check.",
    "- A keystroke typed in the first few hundred milliseconds into a field that validates "
    "on leaving waits (queued, not lost) until the loader's imports finish: the UI thread "
    "never imports the store's modules while the loader does (`ui.session`), since two "
    "threads importing the same circular imports can deadlock.",
    "- **Filtering by status *closed*** (nearly every case in a long-lived store) took "
    "seconds before migration 0004: SQLite picked `ix_case_status` and sorted the matches "
    "for the list order. `0004_status_list` adds the index on `complaint_case (status, day, "
    "desk, seq)`: on the 1,000,000-case store the first page of closed cases takes 32 ms "
    "cold and 3.4 ms warm (median of 4, `search_cases` with `statuses=(\"closed\",)`), with "
    "no sort in the query plan. Meanwhile the window does not freeze: a clerk's filter "
    "change fetches the first page on a worker thread.",
    "- **Phone prefix** \"0912\" matches about one case in a hundred; the matches come from "
    "the phone index and are then sorted into list order (about 10,000 rows here), hence 60–110 "
    "ms with the load; a longer prefix is quicker.",
    "- Paging uses OFFSET, so a page far down a long list costs more; the list shows 200 rows "
    "a page and fetches the next as it scrolls.",
    "- The load column is the 1-minute load average on 2 cores at the end of each cold-start "
    "series; figures vary by ±50 % between runs on a busy machine, ratios less, since the "
    "contenders are interleaved. With a load average above 4 the scroll and the phone-prefix search cross "
    "100 ms (about 95 and 112 ms at a load of about 4).",
]


def goals(cold: dict, results: list[tuple[str, Samples]]) -> str:
    """The verdicts of this run, from its own figures and bench/goals.py."""
    action, typing, saving = GOALS["counter_action"], GOALS["cold_typing"], GOALS["cold_saving"]
    slow = [name for name, s in results if not action.met(s.wall_ms, None)]
    actions = ("met" if not slow else "**not met** for " + ", ".join(slow))
    s = cold["samples"]

    def verdict(goal, mark: str) -> str:
        ratio = s[mark].cpu_ms / s["bare"].cpu_ms
        return (f"met ({ratio:.2f}× CPU)" if goal.met(None, ratio)
                else f"**not met** ({ratio:.2f}× CPU)")
    less = s["app_save_less_pin"].cpu_ms / s["bare"].cpu_ms
    return (f"Goals (bench/goals.py): every counter action above {action.text()} — {actions}; "
            f"cold start, *typing* {typing.text()} — {verdict(typing, 'app')}; *saving* "
            f"{saving.text()} — {verdict(saving, 'app_save')}; without the PIN check "
            f"({s['pin_own'].cpu_ms:.0f} ms CPU, its parameters kept), saving is "
            f"{less:.2f}× CPU.")


def _both(s: Samples) -> str:
    return f"{s.cpu_ms:.0f} / {s.wall_ms:.0f} ms"


def record(cold: dict, small_cold: dict | None, results: list[tuple[str, Samples]], cases: int,
           command: str) -> None:
    lines = [SECTION, "", "```", command, "```", "",
             f"Measured {time.strftime('%Y-%m-%d')} on the {os.cpu_count()}-core development "
             f"machine (Python {platform.python_version()}, offscreen Qt platform). Medians.", "",
             "Cold start (fresh subprocesses, interleaved, bytecode cached as installed; signed "
             "in from DESK_AS/DESK_PIN). *Typing*: the window is up and the intake form takes "
             "keystrokes while the store opens beside it (saving refused, with a note); "
             "*saving*: the store is open and Save is enabled, the keystrokes typed at the "
             "first figure still in the form:", "",
             "| store | app: typing, CPU / wall | app: saving, CPU / wall | bare QMainWindow, "
             "CPU / wall | typing ratio (CPU) | saving ratio (CPU) | the PIN check, CPU / wall "
             "| saving less the PIN check, CPU / wall | ratio less the check (CPU) | load |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for label, figures in ((f"{cases:,} cases", cold),
                           ("20,000 cases", small_cold)):
        if figures:
            load = f"{figures['load']:.1f}" if figures.get("load") is not None else "?"
            s = figures["samples"]
            lines.append(f"| {label} | {_both(s['app'])} | {_both(s['app_save'])} | "
                         f"{_both(s['bare'])} | {s['app'].cpu_ms / s['bare'].cpu_ms:.2f}× | "
                         f"{s['app_save'].cpu_ms / s['bare'].cpu_ms:.2f}× | "
                         f"{s['pin_own'].cpu_ms:.0f} / {s['pin'].wall_ms:.0f} ms | "
                         f"{_both(s['app_save_less_pin'])} | "
                         f"{s['app_save_less_pin'].cpu_ms / s['bare'].cpu_ms:.2f}× | {load} |")
    lines += ["", "Signing in by hand (no DESK_PIN): the sign-in dialog shows once the store is "
              "open (the loader imports the ORM and opens the store while the clerk already "
              "types in the form); from the PIN entered (OK) to Save enabled, the PIN check "
              "on the UI thread included:", "",
              "| store | dialog shown, CPU / wall | PIN entered → saveable, CPU / wall | load |",
              "|---|---|---|---|"]
    for label, figures in ((f"{cases:,} cases", cold), ("20,000 cases", small_cold)):
        if figures:
            load = f"{figures['load']:.1f}" if figures.get("load") is not None else "?"
            s = figures["samples"]
            lines.append(f"| {label} | {_both(s['dialog'])} | "
                         f"{_both(s['pin_entered_to_saveable'])} | {load} |")
    lines += ["", f"On the store of {cases:,} cases (one process, offscreen; goal "
              f"{GOALS['counter_action'].text()}):", "",
              "| action | CPU median | wall median (min–max) |", "|---|---|---|"]
    lines += [f"| {name} | {s.cpu_ms:.1f} ms | {s.wall_ms:.1f} ms ({min(s.wall):.1f}–"
              f"{max(s.wall):.1f}) |" for name, s in results]
    lines += ["", goals(cold, results), "", *NOTES, ""]
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
    block = "\n".join(lines) + "\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: block + "\n", text, count=1)
    else:
        text = text.rstrip("\n") + "\n\n" + block
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def print_cold(label: str, cold: dict) -> None:
    s = cold["samples"]
    print(f"cold start ({label}), CPU / wall: app typing {_both(s['app'])}, saving "
          f"{_both(s['app_save'])}, bare {_both(s['bare'])}; CPU ratios "
          f"{s['app'].cpu_ms / s['bare'].cpu_ms:.2f}x / "
          f"{s['app_save'].cpu_ms / s['bare'].cpu_ms:.2f}x (to exit: {_both(s['app_exit'])} / "
          f"{_both(s['bare_exit'])}; load {cold['load']})", flush=True)
    print(f"  the PIN check {s['pin_own'].cpu_ms:.0f} ms CPU (own) / {s['pin'].wall_ms:.0f} ms "
          f"wall; saving less the check {_both(s['app_save_less_pin'])}, "
          f"{s['app_save_less_pin'].cpu_ms / s['bare'].cpu_ms:.2f}x CPU; signing in by hand: "
          f"dialog at {_both(s['dialog'])}, PIN entered -> saveable "
          f"{_both(s['pin_entered_to_saveable'])}", flush=True)


def summarise(cold: dict, results: list[tuple[str, Samples]], cases: int) -> None:
    """Into the run's summary: both start-up figures against bare Qt, and the slowest
    counter action, each under its goal (bench/goals.py)."""
    import summary
    bare = "bare PySide6 QMainWindow"
    s = cold["samples"]
    summary.add("ui: typing", f"cold start until the intake form takes typing ({cases:,} cases)",
                goal="cold_typing", cpu=s["app"].cpu, wall=s["app"].wall, bare_cpu=s["bare"].cpu,
                bare_wall=s["bare"].wall, baseline_name=bare, load=cold["load"])
    summary.add("ui: saving", f"cold start until a case can be saved ({cases:,} cases)",
                goal="cold_saving", cpu=s["app_save"].cpu, wall=s["app_save"].wall,
                bare_cpu=s["bare"].cpu, bare_wall=s["bare"].wall, baseline_name=bare,
                load=cold["load"])
    summary.add("ui: saving less PIN", f"the same, less the deliberate PIN check (argon2, "
                f"{s['pin_own'].cpu_ms:.0f} ms CPU; {cases:,} cases)", goal="cold_saving",
                cpu=s["app_save_less_pin"].cpu, wall=s["app_save_less_pin"].wall,
                bare_cpu=s["bare"].cpu, bare_wall=s["bare"].wall, baseline_name=bare,
                load=cold["load"])
    if results:
        name, slowest = max(results, key=lambda r: r[1].wall_ms)
        summary.add("ui: slowest", f"slowest counter action of {len(results)} ({name})",
                    goal="counter_action", cpu=slowest.cpu, wall=slowest.wall,
                    load=load_average())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--cold-only", action="store_true", help="only the cold start")
    parser.add_argument("--actions-only", action="store_true",
                        help="only the counter actions on the large store (nothing recorded)")
    args = parser.parse_args()
    store = work_copy(args.cases)
    small = work_copy(20_000) if args.cases != 20_000 else None
    print(f"store: {store.relative_to(ROOT)}", flush=True)
    results = [] if args.cold_only else bench_in_process(store, args.repeat, args.cases)
    for name, s in results:
        print(f"  {name:45s} {s.cpu_ms:8.1f} ms CPU {s.wall_ms:8.1f} ms wall "
              f"{'ok' if GOALS['counter_action'].met(s.wall_ms, None) else 'SLOW'}", flush=True)
    if args.actions_only:
        print(f"load average {load_average() or 0:.1f}")
        return 0
    cold = bench_cold_start(store, args.runs)
    print_cold(f"{args.cases:,}", cold)
    small_cold = bench_cold_start(small, args.runs) if small else None
    if small_cold:
        print_cold("20,000", small_cold)
    summarise(cold, results, args.cases)
    if not args.no_record:
        command = ".venv/bin/python bench/bench_ui.py" + (
            f" --cases {args.cases}" if args.cases != 1_000_000 else "")
        record(cold, small_cold, results, args.cases, command)
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    os._exit(code)   # skip PySide's teardown at interpreter exit, which can crash after Qt ran
