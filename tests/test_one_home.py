"""One home per question: "is it overdue?" answered alike by the case list, the review, the
status bar's query and the `desk` command; "what may this person do with this case?"
answered by ``actions_for`` exactly as the services refuse; "granted" and "paid" money
alike in Python and SQL; privileges one enum behind one ``require``."""
from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from desk import deadlines, money, services
from desk.actions import actions_for
from desk.cli import main as desk_main
from desk.enums import Privilege, Step
from desk.errors import AuthenticationError, AuthorityError, DomainError
from desk.followup import pause
from desk.model import Offer, utcnow
from desk.policy import PRIVILEGES
from desk.privileges import require
from desk.queries import CaseFilter, case_detail, day_cases, overdue, search_cases
from desk.review import review_rows
from desk.store import Store
from tests.conftest import PINS, make_team
from tests.helpers import T0, new_case, walk
from ui.case_table_model import sla_of as list_sla

SOON = timedelta(hours=4)


def _resolve(store, policy, case_no, actor, at):
    with store.write(actor) as s:
        services.resolve(s, policy, case_no, actor, "換了新鞋", "founded", now=at)


@pytest.fixture
def clocks(store, policy, team):
    """Cases around each deadline, all received at T0 (★: first contact 2 h, resolution
    24 h, statutory 15 days)."""
    made = {
        "email_new": new_case(store, policy, team.clerk, channel="email"),
        "email_reached": new_case(store, policy, team.clerk, channel="email"),
        "counter_new": new_case(store, policy, team.clerk),
        "promised": new_case(store, policy, team.clerk),
        "paused": new_case(store, policy, team.clerk, channel="letter"),
        "resolved_late": new_case(store, policy, team.clerk),
        "resolved_on_time": new_case(store, policy, team.clerk),
        "not_accepted": new_case(store, policy, team.clerk),
    }
    walk(store, policy, made["email_reached"], team.clerk, Step.LISTEN)
    walk(store, policy, made["promised"], team.clerk, Step.COMMIT)   # reply by T0+2h04
    walk(store, policy, made["paused"], team.clerk, Step.LISTEN)
    with store.write(team.clerk) as s:
        pause(s, policy, made["paused"], team.clerk, "customer", "收據正本",
              now=T0 + timedelta(minutes=30))
        services.not_accept(s, policy, made["not_accepted"], team.clerk, "settled",
                            "已簽和解書", now=T0 + timedelta(minutes=5))
    for key, at in (("resolved_late", T0 + timedelta(hours=25)),
                    ("resolved_on_time", T0 + timedelta(hours=1))):
        walk(store, policy, made[key], team.clerk, Step.CONFIRM)
        _resolve(store, policy, made[key], team.clerk, at)
    return made


MOMENTS = {
    "first contact soon": (T0 + timedelta(minutes=115), {"email_new": "due_soon"}),
    "5 min past first contact": (T0 + timedelta(minutes=125),
                                 {"email_new": "overdue", "email_reached": "ok",
                                  "counter_new": "ok", "promised": "overdue"}),
    "just before resolution": (T0 + timedelta(hours=24) - timedelta(seconds=1),
                               {"counter_new": "due_soon", "paused": "ok"}),
    "just after resolution": (T0 + timedelta(hours=24, seconds=1),
                              {"counter_new": "overdue", "email_reached": "overdue",
                               "paused": "ok"}),
    "past the statutory limit": (T0 + timedelta(days=15, minutes=1), {"paused": "overdue"}),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_the_list_the_review_and_the_status_bar_agree_on_overdue(store, policy, clocks,
                                                                 moment):
    now, expected = MOMENTS[moment]
    numbers = {no: key for key, no in clocks.items()}
    with store.read() as s:
        truth = {numbers[no]: deadlines.sla_state(case_detail(s, no), now, SOON).state
                 for no in numbers}
        listed = {numbers[r.case_no]: list_sla(r, now, SOON)
                  for r in search_cases(s, CaseFilter(), limit=50)}
        reviewed = {numbers[r.case_no]: r.sla for r in review_rows(s, policy, T0.date(), now=now)}
        late = {numbers[r.case_no] for r in overdue(s, policy, now)}
        late_or_soon = {numbers[r.case_no] for r in overdue(s, policy, now, within=SOON)}
    assert listed == truth and reviewed == truth
    assert late == {k for k, state in truth.items() if state == "overdue"}
    assert late_or_soon == {k for k, state in truth.items() if state in ("overdue", "due_soon")}
    for key, state in expected.items():
        assert truth[key] == state, key
    assert (truth["resolved_late"], truth["resolved_on_time"], truth["not_accepted"]) == (
        "missed", "met", "done")


def test_an_email_complaint_5_minutes_past_first_contact_is_overdue_everywhere(store, policy,
                                                                                team):
    case_no = new_case(store, policy, team.clerk, channel="email")
    now = T0 + timedelta(hours=2, minutes=5)
    with store.read() as s:
        row = day_cases(s, T0.date())[0]
        assert list_sla(row, now, SOON) == "overdue"
        assert review_rows(s, policy, T0.date(), now=now)[0].sla == "overdue"
        assert [r.case_no for r in overdue(s, policy, now)] == [case_no]
        state = deadlines.sla_state(row, now, SOON)
    assert (state.clock, state.due) == ("first_contact", T0 + timedelta(hours=2))


def test_the_desk_command_says_what_the_screens_say(tmp_path, policy, capsys):
    """`desk day` and `desk review` on cases received around their deadlines, now."""
    db = tmp_path / "cli.sqlite3"
    store = Store("sqlite:///" + db.as_posix())
    team = make_team(store, policy)
    now = utcnow()
    received = {"late_email": ("email", now - timedelta(hours=2, minutes=30)),
                "soon_email": ("email", now - timedelta(minutes=30)),
                "counter": ("counter", now - timedelta(hours=2, minutes=30)),
                "fresh_letter": ("letter", now - timedelta(minutes=1))}
    made = {new_case(store, policy, team.clerk, now=at, channel=channel): key
            for key, (channel, at) in received.items()}
    with store.read() as s:
        truth = {no: deadlines.sla_state(case_detail(s, no), utcnow(), SOON).state for no in made}
        late = {r.case_no for r in overdue(s, policy)}
        days = sorted({case_detail(s, no).day for no in made})
    store.close()
    listed, reviewed = {}, {}
    for day in days:
        capsys.readouterr()
        assert desk_main(["--db", str(db), "--locale", "en", "day", day.isoformat(),
                          "--json"]) == 0
        listed.update({r["case_no"]: r["sla"] for r in json.loads(capsys.readouterr().out)})
        assert desk_main(["--db", str(db), "--locale", "en", "review", day.isoformat(),
                          "--json"]) == 0
        reviewed.update({r["case_no"]: r["sla"]
                         for r in json.loads(capsys.readouterr().out)["cases"]})
    assert listed == truth == reviewed
    assert late == {no for no, state in truth.items() if state == "overdue"}
    assert {made[no]: truth[no] for no in made} == {
        "late_email": "overdue", "soon_email": "due_soon", "counter": "ok",
        "fresh_letter": "due_soon"}


# --- what a case allows ----------------------------------------------------------------------

def test_actions_for_a_new_case_and_a_clerk(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    with store.read() as s:
        case = case_detail(s, case_no)
    acts = actions_for(case, team.clerk, policy)
    assert acts.allowed("record_step") and acts["record_step"].step == "listen"
    assert not acts.allowed("offer")
    with pytest.raises(DomainError) as err:
        with store.write(team.clerk) as s:
            services.make_offer(s, policy, case_no, team.clerk, "voucher", "100")
    assert str(err.value) == acts.reason("offer")
    assert not acts.allowed("resolve") and acts.reason("resolve")
    assert not acts.allowed("close") and acts.reason("close")
    assert not acts.allowed("follow_up") and not acts.allowed("resume")
    assert acts.allowed("void") and acts.allowed("escalate") and acts.allowed("print")
    nobody = actions_for(case, None, policy)
    assert not any(a.allowed for a in nobody.actions.values())


def test_every_refusal_is_the_services_own(store, policy, team):
    """Where actions_for says no, the service refuses with the same words; where it says
    yes, the service goes through."""
    case_no = new_case(store, policy, team.clerk)
    at = walk(store, policy, case_no, team.clerk, Step.CONFIRM)
    with store.read() as s:
        case = case_detail(s, case_no)
    clerk, boss = actions_for(case, team.clerk, policy), actions_for(case, team.supervisor,
                                                                     policy)
    assert clerk.allowed("resolve") and not clerk.allowed("record_step")
    assert not clerk.allowed("close") and not boss.allowed("close")   # not resolved yet
    with pytest.raises(DomainError) as err:
        with store.write(team.supervisor) as s:
            services.close(s, policy, case_no, team.supervisor, now=at)
    assert str(err.value) == boss.reason("close")
    _resolve(store, policy, case_no, team.clerk, at)
    with store.read() as s:
        case = case_detail(s, case_no)
    clerk, boss = actions_for(case, team.clerk, policy), actions_for(case, team.supervisor,
                                                                     policy)
    assert not clerk.allowed("close") and boss.allowed("close")
    assert clerk.allowed("follow_up") and not clerk.allowed("resolve")
    with pytest.raises(AuthorityError) as err:
        with store.write(team.clerk) as s:
            services.close(s, policy, case_no, team.clerk, now=at)
    assert str(err.value) == clerk.reason("close")
    with store.write(team.supervisor) as s:
        services.close(s, policy, case_no, team.supervisor, now=at)


def test_the_subject_of_a_complaint_is_offered_nothing_to_handle(store, policy, team):
    case_no = new_case(store, policy, team.clerk, subject_kind="staff", subject_staff="C002",
                       subject_name=None)
    with store.read() as s:
        case = case_detail(s, case_no)
    named = actions_for(case, team.clerk2, policy)
    for key in ("record_step", "work", "not_accept", "pause"):
        assert not named.allowed(key), key
        assert "張雅婷" in named.reason(key)
    with pytest.raises(DomainError) as err:
        with store.write(team.clerk2) as s:
            services.record_step(s, policy, case_no, team.clerk2, "listen")
    assert str(err.value) == named.reason("record_step")
    assert actions_for(case, team.clerk, policy).allowed("record_step")


def test_void_is_for_the_recorder_or_a_supervisor(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    with store.read() as s:
        case = case_detail(s, case_no)
    assert actions_for(case, team.clerk, policy).allowed("void")
    assert actions_for(case, team.supervisor, policy).allowed("void")
    other = actions_for(case, team.clerk2, policy)
    assert not other.allowed("void")
    with pytest.raises(AuthorityError) as err:
        with store.write(team.clerk2) as s:
            services.void(s, policy, case_no, team.clerk2, "打錯了")
    assert str(err.value) == other.reason("void")


def test_answers_and_approvals_name_their_offers(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    at = walk(store, policy, case_no, team.clerk, Step.CONFIRM)
    with store.write(team.clerk) as s:
        services.make_offer(s, policy, case_no, team.clerk, "voucher", "300", serials=("V1",),
                            now=at)
    with store.read() as s:
        case = case_detail(s, case_no)
    acts = actions_for(case, team.clerk, policy)
    with pytest.raises(DomainError) as err:
        _resolve(store, policy, case_no, team.clerk, at)
    assert str(err.value) == acts.reason("resolve")
    assert acts.allowed("answer") and acts["answer"].offers == (1,)
    assert not acts.allowed("approve")
    with store.write(team.clerk) as s:
        services.make_offer(s, policy, case_no, team.clerk, "voucher", "1500", serials=("V2",),
                            request_approval=True, now=at)
    with store.read() as s:
        waiting = case_detail(s, case_no)
    assert actions_for(waiting, team.supervisor, policy)["approve"].offers == (2,)
    assert actions_for(waiting, team.supervisor, policy).allowed("approve")
    assert not actions_for(waiting, team.clerk2, policy).allowed("approve")
    assert not acts.allowed("resolve") and "1" in acts.reason("resolve")


# --- granted and paid ------------------------------------------------------------------------

@pytest.mark.parametrize("approval,answer,granted,counted,paid", [
    ("not_needed", "pending", True, True, False), ("not_needed", "accepted", True, True, True),
    ("not_needed", "refused", True, False, False), ("approved", "accepted", True, True, True),
    ("pending", "pending", False, False, False), ("refused", "pending", False, False, False)])
def test_granted_counted_and_paid(approval, answer, granted, counted, paid):
    offer = SimpleNamespace(approval=approval, answer=answer)
    assert (money.is_granted(offer), money.counts(offer), money.is_paid(offer)) == (
        granted, counted, paid)


def test_sql_and_python_agree_on_granted_and_paid(store, policy, team):
    case_no = new_case(store, policy, team.clerk)
    at = walk(store, policy, case_no, team.clerk, Step.PROPOSE)
    with store.write(team.clerk) as s:
        for seq, (amount, answer) in enumerate((("100", "accepted"), ("120", "refused"),
                                               ("50", None)), start=1):
            services.make_offer(s, policy, case_no, team.clerk, "voucher", amount,
                                serials=(f"V{seq}",), now=at)
            if answer:
                services.record_answer(s, policy, case_no, seq, team.clerk, answer, now=at)
        services.make_offer(s, policy, case_no, team.clerk, "voucher", "1500",
                            serials=("V9",), request_approval=True, now=at)
    with store.read() as s:
        offers = list(s.scalars(select(Offer)))
        for clause, predicate in ((money.granted_clause(), money.is_granted),
                                  (money.counted_clause(), money.counts),
                                  (money.paid_clause(), money.is_paid)):
            chosen = set(s.scalars(select(Offer.id).where(clause)))
            assert chosen == {o.id for o in offers if predicate(o)}
        detail = case_detail(s, case_no)
        row = day_cases(s, T0.date())[0]
    assert detail.granted_total == row.total == 150
    assert detail.paid_total == 100
    assert [o.granted for o in detail.offers] == [True, True, True, False]


# --- privileges ------------------------------------------------------------------------------

def test_privileges_are_one_enum_and_one_check(policy, team):
    assert PRIVILEGES == tuple(p.value for p in Privilege)
    for role in policy.roles.values():
        assert role.privileges <= set(PRIVILEGES)
    require(policy, team.gm, Privilege.ADMIN)
    with pytest.raises(AuthorityError) as err:
        require(policy, team.clerk, Privilege.REPORTS)
    assert err.value.field == "role"
    with pytest.raises(AuthorityError) as err:
        require(policy, team.supervisor, Privilege.ADMIN, field="staff_id")
    assert err.value.field == "staff_id"
    with pytest.raises(AuthenticationError):
        require(policy, None, Privilege.REVIEW)


def test_a_policy_naming_an_unknown_privilege_is_refused(tmp_path):
    from desk.errors import PolicyError
    from desk.paths import resources_dir
    from desk.policy import load_policy
    text = (resources_dir() / "policy.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace('privileges = []', 'privileges = ["everything"]', 1),
                   encoding="utf-8")
    with pytest.raises(PolicyError) as err:
        load_policy(bad)
    assert "everything" in str(err.value)


def test_the_desk_command_refuses_a_clerk_a_report(tmp_path, policy, capsys):
    db = tmp_path / "r.sqlite3"
    store = Store("sqlite:///" + db.as_posix())
    make_team(store, policy)
    store.close()
    status = desk_main(["--db", str(db), "--locale", "en", "--as", "C001", "--pin",
                        PINS["C001"], "report", "day", T0.date().isoformat(), "--out",
                        str(tmp_path / "r.csv")])
    assert status == 2
    assert "reports need a supervisor" in capsys.readouterr().err
    assert not (tmp_path / "r.csv").exists()


def test_the_status_bar_counts_overdue_cases_and_follow_ups(store, policy, team):
    from desk.followup import overdue_follow_ups
    from ui.session import Desk
    new_case(store, policy, team.clerk, channel="email")
    done = new_case(store, policy, team.clerk)
    at = walk(store, policy, done, team.clerk, Step.CONFIRM)
    _resolve(store, policy, done, team.clerk, at)
    desk = Desk(store, policy)
    desk.sign_in("C001", PINS["C001"])
    with store.read() as s:
        cases, calls = len(overdue(s, policy)), overdue_follow_ups(s, policy)
    assert cases == 1   # the e-mail complaint, long past its deadlines; the other is resolved
    assert desk.overdue_count() == cases + calls
