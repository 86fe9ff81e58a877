"""Helpers for the approvals-queue and day-pack tests: a pending offer made through the
services, the ``desk`` command run in-process, and a dump of every table to compare."""
from __future__ import annotations

from datetime import timedelta

from desk import cli, services
from desk.enums import Step
from tests.conftest import PINS
from tests.helpers import T0, new_case, store_rows, walk


def dump(store, *, skip: tuple[str, ...] = ()) -> dict:
    """Every row of every table, as text (``tests.helpers.store_rows``)."""
    return store_rows(store, skip=skip)


def pending_offer(store, policy, clerk, *, amount: str = "800", kind: str = "voucher",
                  now=T0, **changes) -> str:
    """A case at the propose step with offer 1 left pending for a supervisor."""
    case_no = new_case(store, policy, clerk, now=now, **changes)
    at = walk(store, policy, case_no, clerk, Step.PROPOSE, now=now)
    with store.write(clerk) as session:
        services.make_offer(session, policy, case_no, clerk, kind, amount,
                            request_approval=True, now=at + timedelta(minutes=1))
    return case_no


def run_cli(store, *args: str, as_staff: str | None = None, pin: str | None = None,
            capsys=None) -> tuple[int, str, str]:
    """``desk --db STORE --locale en [--as X --pin P] ARGS`` in this process."""
    argv = ["--db", store.url, "--locale", "en"]
    if as_staff:
        argv += ["--as", as_staff, "--pin", pin if pin is not None else PINS[as_staff]]
    if capsys is not None:
        capsys.readouterr()
    code = cli.main(argv + list(args))
    if capsys is None:
        return code, "", ""
    captured = capsys.readouterr()
    return code, captured.out, captured.err
