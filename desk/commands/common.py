"""What the sub-commands of ``desk`` share: a day argument, JSON output and the door."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date, timedelta

from desk.i18n import _


class CliError(Exception):
    """A usage problem found by the command itself (already translated)."""


RELATIVE_DAYS = {"today": 0, "yesterday": 1}


def mall_today() -> date:
    """Today at the mall (the policy's time zone), which is not always this PC's date."""
    from desk.clock import utcnow
    from desk.policy import load_policy
    return utcnow().astimezone(load_policy().tz).date()


def parse_day(text: str) -> date:
    """2026-11-22, or "today" / "yesterday" at the mall."""
    if text.strip().lower() in RELATIVE_DAYS:
        return mall_today() - timedelta(days=RELATIVE_DAYS[text.strip().lower()])
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a date like 2026-11-22").format(
            value=text)) from None


def case_number(text: str) -> str:
    """A case number as typed: A-20261122-0007, or with the day said as "today" or
    "yesterday" and the number short (A-today-7), as the demo's examples are written."""
    parts = text.strip().split("-")
    if len(parts) == 3 and parts[1].lower() in RELATIVE_DAYS and parts[2].isdigit():
        day = parse_day(parts[1])
        return f"{parts[0].upper()}-{day:%Y%m%d}-{int(parts[2]):04d}"
    return text


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def counter(ctx, actor=None):
    """The application layer the app uses too, for this command's store and policy; reads
    need no ``actor``, every write is done by the one given."""
    from desk.app.counter import Counter
    return Counter(ctx.store, ctx.policy, actor)
