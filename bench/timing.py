"""Interleaved timing on both clocks: every contender called in turn, so a machine busy
with something else slows them alike, and each call's CPU time (this process, all threads)
and wall time kept, in milliseconds."""
from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field


@dataclass
class Samples:
    cpu: list[float] = field(default_factory=list)
    wall: list[float] = field(default_factory=list)

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu)

    @property
    def wall_ms(self) -> float:
        return statistics.median(self.wall)

    def add(self, cpu_s: float, wall_s: float) -> None:
        self.cpu.append(cpu_s * 1000)
        self.wall.append(wall_s * 1000)


def interleaved(repeat: int, *fns, warm: bool = True, settle=None) -> list[Samples]:
    """Samples of each function over ``repeat`` rounds, the functions called in turn; one
    untimed warm call each first (page cache, statement caches, fonts). ``settle`` (e.g.
    Qt's processEvents) runs inside each timed call."""
    if warm:
        for fn in fns:
            fn()
            if settle:
                settle()
    samples = [Samples() for _ in fns]
    for _ in range(repeat):
        for fn, s in zip(fns, samples):
            wall, cpu = time.perf_counter(), time.process_time()
            fn()
            if settle:
                settle()
            s.add(time.process_time() - cpu, time.perf_counter() - wall)
    return samples


def load_average() -> float | None:
    """The 1-minute load average (POSIX only; a benchmark, never the app)."""
    return os.getloadavg()[0] if hasattr(os, "getloadavg") else None
