"""What the sub-commands of ``desk`` share: a day argument and JSON output."""
from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from desk.i18n import _


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a date like 2026-11-22").format(
            value=text)) from None


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
