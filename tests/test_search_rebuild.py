"""`desk search rebuild-index`: an administrator builds the search index again from every
case (an index emptied behind the program's back finds nothing until then); anyone else is
refused with the store unchanged."""
from __future__ import annotations

import sqlite3

from desk.cli import main
from desk.queries import CaseFilter, search_cases
from desk.store import Store
from tests.conftest import PINS, make_team
from tests.helpers import new_case


def _found(db, text: str) -> list[str]:
    store = Store("sqlite:///" + db.as_posix())
    try:
        with store.read() as session:
            return [r.case_no for r in search_cases(session, CaseFilter(text=text))]
    finally:
        store.close()


def test_an_administrator_rebuilds_the_index_and_a_clerk_may_not(tmp_path, policy, capsys):
    db = tmp_path / "desk.sqlite3"
    store = Store("sqlite:///" + db.as_posix())
    team = make_team(store, policy)
    numbers = [new_case(store, policy, team.clerk, complaint=f"電梯故障第{i}次")
               for i in range(3)]
    store.close()
    assert sorted(_found(db, "电梯故障")) == sorted(numbers)
    raw = sqlite3.connect(db)   # another tool empties the index behind the program's back
    raw.execute("INSERT INTO case_grams (case_grams) VALUES ('delete-all')")
    raw.execute("DELETE FROM case_search")
    raw.commit()
    raw.close()
    assert _found(db, "电梯故障") == []
    assert main(["--db", str(db), "day", "2026-11-22"]) == 0   # the policy in force logged
    before = db.read_bytes()
    capsys.readouterr()
    assert main(["--db", str(db), "--locale", "en", "--as", "C001", "--pin", PINS["C001"],
                 "search", "rebuild-index"]) == 2
    assert "staff ID" in capsys.readouterr().err and db.read_bytes() == before
    assert main(["--db", str(db), "--locale", "en", "--as", "A001", "--pin", PINS["A001"],
                 "search", "rebuild-index"]) == 0
    out = capsys.readouterr().out
    assert "3 of 3 cases" in out and "rebuilt: 3 cases" in out
    assert sorted(_found(db, "電梯故障")) == sorted(numbers)
