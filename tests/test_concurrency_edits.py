"""Two desks editing the same case: the second writer is told, nothing is silently lost."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from desk import services
from desk.errors import ConflictError
from desk.i18n import set_locale
from desk.model import Case
from desk.queries import case_detail
from desk.services.handling import open_case

NOW = datetime(2026, 11, 20, 3, 0, tzinfo=timezone.utc)


@pytest.fixture
def case_no(store, policy, team) -> str:
    inp = services.CaseInput(
        desk="A", channel="counter", customer_name="李小姐", category="service_attitude",
        complaint="結帳時店員態度很差", motive="respect", severity=2, subject_kind="tenant",
        subject_name="某專櫃", received_at=NOW)
    with store.write(system="test") as session:
        return services.take_complaint(session, policy, team.clerk, inp, now=NOW).case_no


def test_a_stale_expected_version_is_refused_and_both_stories_survive(store, policy, team,
                                                                      case_no):
    with store.read() as session:
        seen = case_detail(session, case_no)                      # desk 1 opens the case
    with store.write(system="test") as session:                                # desk 2 saves first
        services.escalate(session, policy, case_no, team.supervisor, "level1", "客人要求主管",
                          now=NOW + timedelta(minutes=1))
    set_locale("en")
    with pytest.raises(ConflictError, match="changed by someone else") as err:
        with store.write(system="test") as session:                            # desk 1 saves its old view
            services.record_step(session, policy, case_no, team.clerk, "listen", note="desk 1",
                                 now=NOW + timedelta(minutes=2), expected_version=seen.version)
    assert case_no in str(err.value)

    with store.read() as session:
        after = case_detail(session, case_no)
    assert after.level == "level1" and after.steps == ()          # desk 2 kept, nothing half-done
    with store.write(system="test") as session:                                # desk 1 reopens and saves
        services.record_step(session, policy, case_no, team.clerk, "listen", note="desk 1",
                             now=NOW + timedelta(minutes=3), expected_version=after.version)
    with store.read() as session:
        final = case_detail(session, case_no)
    assert final.level == "level1" and [s.note for s in final.steps] == ["desk 1"]
    assert [h.reason for h in final.history if h.reason] == ["客人要求主管"]


def test_an_edit_held_across_someone_elses_save_raises_conflict(store, policy, team, case_no):
    """The ORM's own version check (StaleDataError) reaches the caller as a ConflictError."""
    session = store.read()
    case = session.scalars(select(Case).where(Case.case_no == case_no)).one()
    session.commit()                                              # desk 1 keeps the object
    with store.write(system="test") as other:
        services.escalate(other, policy, case_no, team.supervisor, "level1", "客人要求主管",
                          now=NOW + timedelta(minutes=1))
    case.handling_result = "desk 1's version"
    set_locale("en")
    with pytest.raises(ConflictError, match=f"case {case_no} was changed by someone else"):
        session.commit()
    session.close()
    with store.read() as check:
        kept = check.scalars(select(Case).where(Case.case_no == case_no)).one()
        assert (kept.level, kept.handling_result, kept.version) == ("level1", "", 2)


def test_two_sessions_racing_on_one_case(store, policy, team, case_no):
    """Desk 1 loads the case inside its write, desk 2 saves meanwhile, desk 1 saves last.

    PostgreSQL lets both transactions run: desk 1's UPDATE finds a newer version and is
    refused. SQLite queues desk 2 behind desk 1 (BEGIN IMMEDIATE), so desk 2 reads desk 1's
    result and both changes land. Either way neither change overwrites the other."""
    loaded, saved = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def desk1():
        try:
            with store.write(system="test") as session:
                case = open_case(session, case_no, team.supervisor, handling=False)
                loaded.set()
                saved.wait(timeout=1.5)       # on SQLite desk 2 is blocked: go on after a while
                case.handling_result = "desk 1"
                case.updated_at = NOW + timedelta(minutes=2)
            outcome["desk1"] = "saved"
        except ConflictError as exc:
            outcome["desk1"] = exc

    def desk2():
        loaded.wait(timeout=10)
        with store.write(system="test") as session:
            services.escalate(session, policy, case_no, team.supervisor2, "level1", "desk 2",
                              now=NOW + timedelta(minutes=1))
        saved.set()
        outcome["desk2"] = "saved"

    threads = [threading.Thread(target=desk1), threading.Thread(target=desk2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    with store.read() as session:
        final = case_detail(session, case_no)

    assert outcome["desk2"] == "saved" and final.level == "level1"
    if store.backend == "postgresql":
        assert isinstance(outcome["desk1"], ConflictError)
        assert final.handling_result == "" and final.version == 2
    else:
        assert outcome["desk1"] == "saved"
        assert final.handling_result == "desk 1" and final.version == 3
