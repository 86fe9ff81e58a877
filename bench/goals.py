"""The speed and memory goals, declared once.

Every benchmark names the goal its figure answers to; the summary at the top of
docs/benchmarks.md, each benchmark's own section and its printed verdict all read them from
here, so they cannot disagree. A ratio goal is judged on CPU time (steadier on a shared
machine) against the bare contender measured in the same run; an absolute goal is judged on
what the clerk waits for (wall time) unless it says otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    what: str
    max_ratio: float | None = None     # against the bare baseline of the same run
    max_value: float | None = None     # absolute, in ``unit``
    unit: str = "ms"
    clock: str = "cpu"                 # the clock the verdict reads: "cpu", "wall" or "peak"

    def text(self, against: str = "bare") -> str:
        """The goal in words; ``against`` names the contender a ratio is taken against."""
        if self.max_ratio is not None:
            return f"≤ {self.max_ratio:g}× {against} ({self.clock})"
        return f"< {self.max_value:g} {self.unit} ({self.clock})"

    def met(self, value: float | None, ratio: float | None) -> bool | None:
        if self.max_ratio is not None:
            return None if ratio is None else ratio <= self.max_ratio
        return None if value is None else value < self.max_value


GOALS: dict[str, Goal] = {
    "cold_saving": Goal("cold start until a case can be saved", max_ratio=2, clock="wall"),
    "cold_typing": Goal("cold start until the intake form takes typing", max_ratio=1.5,
                        clock="wall"),
    "day_list": Goal("a day's case list, 1,000,000 cases", max_ratio=1.5),
    "list_search": Goal("a list or number search answered by an index", max_ratio=3),
    "text_search": Goal("a free-text search, any length, match or not", max_value=50,
                        clock="wall"),
    "save_case": Goal("saving a case at the counter", max_value=100, clock="wall"),
    "counter_action": Goal("the slowest counter action", max_value=100, clock="wall"),
    "form": Goal("the triplicate form PDF", max_ratio=1.5),
    "import": Goal("case import, per document", max_value=2),
    "weekly_query": Goal("the weekly statistics query", max_ratio=3),
    "weekly_report": Goal("the weekly report, store to PDF", max_value=1000, clock="wall"),
    "memory": Goal("peak memory, signed in, 1,000,000 cases, every feature loaded",
                   max_value=120, unit="MiB", clock="peak"),
    "chain_save": Goal("p99 of saving a case, 50 desks on one PostgreSQL", max_value=100,
                       clock="wall"),
    "chain_search": Goal("p99 of a search, 50 desks on one PostgreSQL", max_value=100,
                         clock="wall"),
}
