"""The search index follows every write to the searched text, whatever the surface: the
services, a purge, a deleted case, a case import, a demo fill, a copy to another store;
and the migration indexes the cases of a store made before it."""
from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from desk import services
from desk.casedoc import read_documents
from desk.casedoc_import import import_file
from desk.dbcopy import copy_store
from desk.enums import Step
from desk.demo import fill_demo
from desk.model import Case
from desk.retention import purge
from desk.queries import CaseFilter, search_cases
from desk.store import Store
from tests.conftest import PINS, make_team
from tests.helpers import T0, new_case, run_desk
from tests.test_trust_privacy import old_settled_case

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def _found(store, query: str) -> list[str]:
    with store.read() as session:
        return [r.case_no for r in search_cases(session, CaseFilter(text=query), limit=1000)]


def _indexed(store) -> tuple[int, int]:
    with store.engine.connect() as conn:
        return (conn.scalar(select(func.count()).select_from(Case)),
                conn.scalar(text("SELECT count(*) FROM case_search")))


def test_steps_results_and_notes_are_found_as_soon_as_saved(store, policy, team):
    case_no = new_case(store, policy, team.clerk, complaint="電扶梯突然停止", request="賠償醫藥費")
    assert _found(store, "扶梯") == [case_no] and _found(store, "医药") == [case_no]
    assert _found(store, "見經理") == []
    with store.write(team.clerk) as session:
        services.record_step(session, policy, case_no, team.clerk, "listen",
                             note="顧客要求見經理", now=T0)
    assert _found(store, "見經理") == [case_no] == _found(store, "见经理")
    with store.write(team.clerk) as session:
        for at, step in enumerate(list(Step)[1:], start=1):
            services.record_step(session, policy, case_no, team.clerk, step.value,
                                 now=T0 + timedelta(minutes=at),
                                 promised_reply_at=T0 + timedelta(hours=2)
                                 if step is Step.COMMIT else None)
        services.resolve(session, policy, case_no, team.clerk, "已更換電扶梯零件", "founded",
                         now=T0)
    assert _found(store, "更换电扶梯") == [case_no]
    with store.write(team.clerk) as session:   # an edit that drops a word drops it from search
        session.scalars(select(Case).where(Case.case_no == case_no)).one().request = "道歉"
    assert _found(store, "醫藥費") == [] and _found(store, "道歉") == [case_no]


def test_a_purged_case_is_no_longer_found_by_what_it_said(store, policy, team):
    old = old_settled_case(store, policy, team, "0933-111-222")
    for words in ("李先生滿意", "給李先生禮券", "李大華"):
        assert old in _found(store, words), words
    with store.write(team.gm) as session:
        assert purge(session, policy, team.gm, now=T0).cases == 1
    for words in ("李先生滿意", "給李先生禮券", "李大華"):
        assert old not in _found(store, words), words


def test_a_deleted_case_leaves_the_index(store, policy, team):
    keep = new_case(store, policy, team.clerk, complaint="停車場收費錯誤")
    gone = new_case(store, policy, team.clerk, complaint="停車場柵欄壞了")
    with store.write(system="test") as session:
        session.delete(session.scalars(select(Case).where(Case.case_no == gone)).one())
    assert _found(store, "停車場") == [keep]
    assert _indexed(store) == (1, 1)


def test_imported_and_demo_cases_are_indexed(store, policy, team):
    docs = read_documents(EXAMPLES / "closed-case.json")
    recorder = docs[0]["recorder"]
    importer = services.sign_in(store, policy, recorder, PINS[recorder])
    done = import_file(store, policy, importer, docs)
    assert _found(store, "鞋子一周就开胶") == [done[0].case_no]
    fill_demo(store, policy, 40, today=date(2026, 11, 22), audit=False)
    cases, indexed = _indexed(store)
    assert cases == indexed == 41
    with store.read() as session:
        bodies = session.execute(text("SELECT body FROM case_search")).scalars().all()
    assert sum("顾客" in body for body in bodies) == len(_found(store, "顧客")) > 0


def test_a_copy_to_another_store_is_indexed_there(tmp_path, store, policy):
    source = Store("sqlite:///" + (tmp_path / "source.sqlite3").as_posix())
    try:
        fill_demo(source, policy, 30, today=date(2026, 11, 22), audit=False)
        copy_store(source.url, store.url, staff_no="A001", pin=PINS["A001"])   # its administrator
        for query in ("顧客", "服务台", "a", "不存在的字"):
            assert sorted(_found(store, query)) == sorted(_found(source, query)), query
        assert _indexed(store) == (30, 30)
    finally:
        source.close()


def _heads_without(revision: str) -> set[str]:
    """The heads of the migrations that neither are ``revision`` nor follow it (later merge
    migrations follow every head)."""
    from alembic.script import ScriptDirectory
    from desk.store import MIGRATIONS
    scripts = list(ScriptDirectory(str(MIGRATIONS)).walk_revisions())
    parents = {s.revision: set(s._all_down_revisions) for s in scripts}
    after = {revision}
    while grown := {r for r, ps in parents.items() if ps & after and r not in after}:
        after |= grown
    kept = set(parents) - after
    return kept - {p for r in kept for p in parents[r]}


def test_the_migration_indexes_a_store_made_before_it(tmp_path, policy):
    # SQLite only: the same migration builds every PostgreSQL test's store, and the copy
    # test above indexes a PostgreSQL store that already holds cases.
    store = Store("sqlite:///" + (tmp_path / "older.sqlite3").as_posix())
    team = make_team(store, policy)
    numbers = [new_case(store, policy, team.clerk, complaint=f"專櫃第{i}號的鞋子開膠")
               for i in range(3)]
    path = store.path
    store.close()
    # Back to the store as it was at 0006 (plus the sibling heads): no index. The merge
    # migrations that follow every head (0010_chain17b, 0010_list17: indexes only) are undone
    # with it.
    from alembic.script import ScriptDirectory

    from desk.store import alembic_config
    older = Store("sqlite:///" + path.as_posix())
    merge = ScriptDirectory.from_config(alembic_config(older.engine)).get_revision(
        "0010_list17")
    with older.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE case_grams")
        conn.exec_driver_sql("DROP VIEW case_grams_content")
        conn.exec_driver_sql("DROP TABLE case_search")
        # ... and before the merge migrations that follow every head (0010: indexes only).
        for index in merge.module.INDEXES:
            conn.exec_driver_sql(f"DROP INDEX {index}")
        conn.exec_driver_sql("DROP INDEX ix_case_list_order")
        conn.exec_driver_sql("CREATE INDEX ix_case_day_desk ON complaint_case (day, desk)")
        conn.exec_driver_sql("DELETE FROM alembic_version")
        for head in _heads_without("0007_search_index"):
            conn.exec_driver_sql("INSERT INTO alembic_version VALUES (?)", (head,))
    older.close()
    done = run_desk(path, "day", "2026-11-22", as_staff="C001")
    assert done.returncode == 0, done.stderr
    reopened = Store("sqlite:///" + path.as_posix())
    try:
        assert sorted(_found(reopened, "专柜")) == sorted(numbers)
        assert _found(reopened, "第1號") == [numbers[1]]
        assert _indexed(reopened) == (3, 3)
    finally:
        reopened.close()
