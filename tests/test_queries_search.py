"""Searching the case list on both back ends: every filter, text with LIKE's own characters,
sort orders and pages (the statements are built once per shape of filter and reused)."""
from __future__ import annotations

from datetime import timedelta

from desk.queries import CaseFilter, search_cases
from tests.helpers import T0, new_case

DAY = T0.date()


def _numbers(store, flt: CaseFilter, **page) -> list[str]:
    with store.read() as session:
        return [r.case_no for r in search_cases(session, flt, **page)]


def test_every_filter_and_their_combinations(store, policy, team):
    a1 = new_case(store, policy, team.clerk, customer_name="王100%先生", severity=1)
    a2 = new_case(store, policy, team.clerk, customer_name="李_小姐", severity=3)
    b1 = new_case(store, policy, team.clerk, desk="B", complaint="電梯故障 a/b")
    old = new_case(store, policy, team.clerk, now=T0 - timedelta(days=3))
    newest_first = [b1, a2, a1, old]
    assert _numbers(store, CaseFilter()) == newest_first
    assert _numbers(store, CaseFilter(desks=("B",))) == [b1]
    assert _numbers(store, CaseFilter(desks=("A", "B"), severities=(3,))) == [a2]
    assert _numbers(store, CaseFilter(statuses=("open",), day_from=DAY)) == [b1, a2, a1]
    assert _numbers(store, CaseFilter(day_to=DAY - timedelta(days=1))) == [old]
    assert _numbers(store, CaseFilter(statuses=("closed",), open_or_day=DAY)) == []
    assert _numbers(store, CaseFilter(open_or_day=DAY)) == newest_first
    assert _numbers(store, CaseFilter(levels=("nonexistent",))) == []
    # LIKE's own characters are matched as themselves.
    assert _numbers(store, CaseFilter(text="100%")) == [a1]
    assert _numbers(store, CaseFilter(text="%")) == [a1]
    assert _numbers(store, CaseFilter(text="_")) == [a2]
    assert _numbers(store, CaseFilter(text="a/b")) == [b1]
    assert _numbers(store, CaseFilter(text="電梯", desks=("A",))) == []
    assert _numbers(store, CaseFilter(text="  電梯 ")) == [b1]


def test_sort_orders_and_pages(store, policy, team):
    numbers = [new_case(store, policy, team.clerk, severity=s, now=T0 + timedelta(minutes=i))
               for i, s in enumerate((2, 1, 3))]
    assert _numbers(store, CaseFilter(), descending=False) == numbers
    assert _numbers(store, CaseFilter(), sort="severity") == [numbers[2], numbers[0],
                                                               numbers[1]]
    assert _numbers(store, CaseFilter(), sort="no such column") == numbers[::-1]
    assert _numbers(store, CaseFilter(), offset=1, limit=1) == [numbers[1]]
    assert _numbers(store, CaseFilter(), offset=3) == []
