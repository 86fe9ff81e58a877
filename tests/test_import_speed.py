"""The cheaper import path changes nothing that can be seen: a search inside a unit of work
finds what that unit just saved (the index is refreshed once, before it is read or the unit
commits), and every audit entry whose "after" was taken from the values a flush sent holds
exactly the row the database keeps."""
from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from desk import services
from desk.audit import LOG, comparable, verify
from desk.audit.canonical import row_state
from desk.audit.chain import one_insert
from desk.audit.log import spec_for
from desk.casedoc import read_documents
from desk.casedoc_import import import_file
from desk.model import Base, Case
from desk.queries import CaseFilter, search_cases
from tests.helpers import T0, new_case

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples"


def test_a_search_in_the_same_unit_finds_what_it_just_saved(store, policy, team):
    case_no = new_case(store, policy, team.clerk, complaint="電扶梯突然停止")
    with store.write(team.clerk) as session:
        services.record_step(session, policy, case_no, team.clerk, "listen",
                             note="顧客要求見經理", now=T0 + timedelta(minutes=1))
        found = [r.case_no for r in search_cases(session, CaseFilter(text="見經理"))]
        assert found == [case_no]
        session.scalars(select(Case).where(Case.case_no == case_no)).one().request = "道歉"
    with store.read() as session:
        assert [r.case_no for r in search_cases(session, CaseFilter(text="道歉"))] == [case_no]


def test_every_logged_after_is_the_row_as_stored(store, policy, team):
    """Import (migrated history and a case of this store) and work a case at the counter,
    then compare the last logged "after" of every audited row with the row itself."""
    docs = read_documents(EXAMPLES / "closed-case.json")
    import_file(store, policy, team.ops, docs, migrated=True)
    case_no = new_case(store, policy, team.clerk, complaint="冷氣太冷")
    with store.write(team.clerk) as session:
        for minute, step in enumerate(("listen", "thank", "apologise"), start=1):
            services.record_step(session, policy, case_no, team.clerk, step,
                                 now=T0 + timedelta(minutes=minute))
    compared = 0
    with store.read() as session:
        conn = session.connection()
        for mapper in Base.registry.mappers:
            spec = spec_for(mapper.class_)
            if spec is None or spec.model is not mapper.class_:
                continue
            for row in conn.execute(select(spec.model.__table__)).mappings():
                state = row_state(spec, dict(row))
                logged = conn.execute(
                    select(LOG.c.after).where(LOG.c.entity == spec.entity,
                                              LOG.c.entity_key == spec.key_of(state))
                    .order_by(LOG.c.id.desc()).limit(1)).scalar()
                if logged is None:
                    continue
                assert comparable(json.loads(logged)) == {
                    k: v for k, v in state.items()
                    if k in comparable(json.loads(logged))}, (spec.entity, state)
                compared += 1
    assert compared > 20
    with store.read() as session:
        assert verify(session).ok


def test_entries_held_for_one_insert_keep_the_chain_across_a_savepoint(store, policy, team):
    """What a document's replay holds back is written before a savepoint begins, and what a
    rolled-back savepoint appended goes with it: the chain verifies, one entry per step."""
    case_no = new_case(store, policy, team.clerk, complaint="電梯門夾到手")
    with store.write(team.clerk) as session:
        with one_insert(session.connection()):
            services.record_step(session, policy, case_no, team.clerk, "listen",
                                 now=T0 + timedelta(minutes=1))
            try:
                with session.begin_nested():
                    services.record_step(session, policy, case_no, team.clerk, "thank",
                                         now=T0 + timedelta(minutes=2))
                    raise RuntimeError("rolled back")
            except RuntimeError:
                pass
            services.record_step(session, policy, case_no, team.clerk, "thank",
                                 now=T0 + timedelta(minutes=3))
    with store.read() as session:
        steps = session.execute(select(LOG.c.action).where(
            LOG.c.entity == "step", LOG.c.case_no == case_no)).scalars().all()
        assert steps == ["insert", "insert"]
        assert verify(session).ok
