"""What one PIN check costs with the program's argon2 parameters (desk.security.PRODUCTION),
and so how fast an offline guesser with a stolen store goes on one core.

    python bench/bench_pin_hash.py [--checks 20]

The figure goes to docs/reliability.md (PINs); the parameters are chosen so one check takes
about 0.25 s on a counter PC's class of core.
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.pop("DESK_TEST_CHEAP_PIN_HASH", None)   # the program's own parameters

from argon2 import PasswordHasher  # noqa: E402

from desk.security import PRODUCTION, hash_parameters  # noqa: E402

BEFORE = {"time_cost": 2, "memory_cost": 19456, "parallelism": 1}   # until this issue


def seconds_per_check(parameters: dict, checks: int) -> float:
    hasher = PasswordHasher(**parameters)
    digest = hasher.hash("730519")
    best = float("inf")
    for _ in range(checks):   # the fastest run: what a guesser with the core to itself gets
        start = time.perf_counter()
        hasher.verify(digest, "730519")
        best = min(best, time.perf_counter() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=20)
    args = parser.parse_args(argv)
    assert hash_parameters() == PRODUCTION
    for name, parameters in (("before", BEFORE), ("now", PRODUCTION)):
        cost = seconds_per_check(parameters, args.checks)
        four = 10_000 * cost / 2 / 60            # half the space, on average
        six = 1_000_000 * cost / 2 / 3600
        print(f"{name}: {parameters}: {cost * 1000:.0f} ms per check, {1 / cost:.1f} checks/s "
              f"per core; a 4-digit PIN falls in {four:.0f} min, a 6-digit one in "
              f"{six:.0f} h on one core (on average)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
