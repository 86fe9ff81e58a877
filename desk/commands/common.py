"""What the sub-commands of ``desk`` share: a day argument, JSON output and the door."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from desk.i18n import _


class CliError(Exception):
    """A usage problem found by the command itself (already translated)."""


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a date like 2026-11-22").format(
            value=text)) from None


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def counter(ctx, actor=None):
    """The application layer the app uses too, for this command's store and policy; reads
    need no ``actor``, every write is done by the one given."""
    from desk.app.counter import Counter
    return Counter(ctx.store, ctx.policy, actor)
