"""Today's authority total is read from the offer index by time, not by reading every offer:
every offer and the status bar's authority figure ask for it."""
from __future__ import annotations

from sqlalchemy import event

from desk.services.offers import day_total
from tests.helpers import T0, new_case


def test_todays_authority_is_summed_from_the_time_index(tmp_path, policy):
    from desk.store import Store
    from tests.conftest import make_team
    store = Store("sqlite:///" + (tmp_path / "s.sqlite3").as_posix())
    try:
        team = make_team(store, policy)
        new_case(store, policy, team.clerk)
        seen: list[tuple[str, tuple]] = []

        def remember(conn, cursor, statement, parameters, context, executemany):
            if "sum(offer.amount)" in statement:
                seen.append((statement, parameters))

        event.listen(store.engine, "before_cursor_execute", remember)
        with store.read() as session:
            assert day_total(session, policy, team.clerk.id, T0) == 0
        event.remove(store.engine, "before_cursor_execute", remember)
        (statement, parameters), = seen
        with store.engine.connect() as conn:
            plan = " ".join(row[3] for row in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + statement, parameters))
        assert "USING INDEX ix_offer_requested_at" in plan, plan
    finally:
        store.close()
