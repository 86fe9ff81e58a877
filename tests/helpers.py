"""Small builders shared by tests: a standard counter complaint, a case walked to a step, and
the store's whole content to compare before and after a refused attempt."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from desk import services
from desk.enums import Step
from desk.services import CaseInput

T0 = datetime(2026, 11, 22, 14, 0, tzinfo=timezone(timedelta(hours=8)))


def complaint(**changes) -> CaseInput:
    values = dict(desk="A", channel="counter", customer_name="李大華", category="goods_rights",
                  complaint="在好鞋坊買的鞋子一週就開膠", motive="compensation", severity=1,
                  subject_kind="tenant", subject_name="好鞋坊", customer_phone="0912-345-678",
                  request="換一雙新的")
    values.update(changes)
    return CaseInput(**values)


def new_case(store, policy, actor, now=T0, **changes) -> str:
    with store.write(actor) as session:
        return services.take_complaint(session, policy, actor, complaint(**changes),
                                       now=now).case_no


def walk(store, policy, case_no, actor, upto: Step, now=T0) -> datetime:
    """Do the steps up to and including ``upto``; returns the time after the last one."""
    at = now
    with store.write(actor) as session:
        for step in Step:
            at = at + timedelta(minutes=1)
            promised = at + timedelta(hours=2) if step is Step.COMMIT else None
            services.record_step(session, policy, case_no, actor, step.value,
                                 promised_reply_at=promised, now=at)
            if step is upto:
                break
    return at


def run_desk(db: Path, *args: str, as_staff: str | None = None, locale: str = "en",
             data_dir: Path | None = None) -> subprocess.CompletedProcess:
    """The `desk` command in a real subprocess, signed in as ``as_staff`` (PIN from PINS)."""
    from tests.conftest import PINS
    env = dict(os.environ, DESK_LOCALE=locale)
    if data_dir is not None:
        env["DESK_DATA_DIR"] = str(data_dir)
    cmd = [sys.executable, "-m", "desk.cli", "--db", str(db)]
    if as_staff:
        cmd += ["--as", as_staff, "--pin", PINS[as_staff]]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, env=env,
                          timeout=120)



def schema_diff(conn) -> list:
    """Alembic's differences between the store's schema and the model, leaving out the search
    index's tables (declared by its migration, not the model; FTS5 adds its own)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from desk import search_index
    from desk.model import Base
    def include_name(name, kind, parents) -> bool:
        table = name if kind == "table" else parents.get("table_name") or ""
        return not search_index.is_index_table(table)

    context = MigrationContext.configure(conn, opts={"include_name": include_name})
    return compare_metadata(context, Base.metadata)


def store_rows(store, *, pin_counts: bool = True, skip: tuple[str, ...] = ()) -> dict:
    """Every row of every table in the store (the search index's too), as text in a stable
    order: equal before and after means nothing was written. Without ``pin_counts`` the
    staff's wrong-PIN counters and the log entries about staff are left out (a wrong PIN is
    counted even when the attempt it came with is refused)."""
    from sqlalchemy import inspect, text
    out = {}
    with store.engine.connect() as conn:
        schema = inspect(conn)   # one inspector: it caches what it reflects
        for name in sorted(schema.get_table_names()):
            if name in skip:
                continue
            columns = [c["name"] for c in schema.get_columns(name)
                       if pin_counts or not (name == "staff"
                                             and c["name"] in ("failed_pins", "first_failed_at",
                                                              "locked_until"))]
            where = " WHERE entity <> 'staff'" if not pin_counts and name == "audit_log" else ""
            listed = ", ".join(f'"{c}"' for c in columns)
            out[name] = sorted(repr(tuple(row)) for row in conn.execute(
                text(f'SELECT {listed} FROM "{name}"{where}')))
    return out


def desk_cli(db, *args: str, as_staff: str | None = None,
             locale: str = "en") -> subprocess.CompletedProcess:
    """``run_desk``'s command run in this process (``desk.cli.main``, its output caught): the
    same exit status, output and store without starting Python and importing desk again, for
    tests where a separate process proves nothing more."""
    import contextlib
    import io

    from desk import cli
    from tests.conftest import PINS
    argv = ["--db", str(db), "--locale", locale]
    if as_staff:
        argv += ["--as", as_staff, "--pin", PINS[as_staff]]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv + list(args))
    return subprocess.CompletedProcess(["desk", *argv, *args], code, out.getvalue(),
                                       err.getvalue())
