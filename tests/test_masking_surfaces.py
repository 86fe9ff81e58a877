"""Personal data is masked at the door: every surface that hands case rows to a person
without the ``personal_data`` privilege (the app's reads, the store review, the follow-up
queue, `desk case show|export`, `desk day`, `desk followup list`, day packs, reports) masks
phone, member number and address with one function; a supervisor sees them in full."""
from __future__ import annotations

import dataclasses
import json

import pytest

from desk import services
from desk.app.review import StoreReview
from desk.cli import main as desk_main
from desk.enums import Step
from desk.packs import prepare_pack
from desk.privacy import mask_phone
from desk.reports.stats import day_stats
from tests.conftest import PINS, fresh_sqlite_store, make_team
from tests.helpers import T0, new_case, walk
from ui.session import Desk

PHONE, MEMBER, ADDRESS = "0912-345-678", "M12345678", "台北市信義區松高路19號"
MASKED = ("0912-***-678", "M1*****78", "台北市信義區***")
FULL = (PHONE, MEMBER, ADDRESS)


def _customer_case(store, policy, team, *, resolve: bool = False) -> str:
    case_no = new_case(store, policy, team.clerk, customer_member_no=MEMBER,
                       customer_address=ADDRESS)
    if resolve:
        at = walk(store, policy, case_no, team.clerk, Step.CONFIRM)
        with store.write(team.clerk) as s:
            services.resolve(s, policy, case_no, team.clerk, "換了新鞋", "founded", now=at)
    return case_no


def _seen(obj) -> tuple:
    return (obj.customer_phone, obj.customer_member_no, obj.customer_address)


def _doc(doc: dict) -> tuple:
    c = doc["customer"]
    return (c["phone"], c["member_no"], c["address"])


@pytest.fixture
def cli_store(tmp_path, policy, sqlite_template):
    """A SQLite file the `desk` command opens, with the team and one resolved case."""
    db = tmp_path / "mask.sqlite3"
    store = fresh_sqlite_store(sqlite_template, db)
    team = make_team(store, policy)
    case_no = _customer_case(store, policy, team, resolve=True)
    store.close()
    return db, case_no


def _desk(db, capsys, *args, as_staff: str | None = None) -> str:
    who = ["--as", as_staff, "--pin", PINS[as_staff]] if as_staff else []
    capsys.readouterr()
    assert desk_main(["--db", str(db), "--locale", "en", *who, *args]) == 0
    return capsys.readouterr().out


# --- the app ---------------------------------------------------------------------------------

@pytest.mark.parametrize("staff_no,expected", [("C001", MASKED), ("S001", FULL)])
def test_the_apps_reads_mask_for_a_clerk(store, policy, team, staff_no, expected):
    case_no = _customer_case(store, policy, team)
    desk = Desk(store, policy)
    desk.sign_in(staff_no, PINS[staff_no])
    assert _seen(desk.detail(case_no)) == expected
    from desk.queries import CaseFilter
    assert desk.search(CaseFilter(), 0, 10)[0].customer_phone == expected[0]
    assert desk.customer_history(PHONE, None)[0].customer_phone == expected[0]
    assert desk.overdue()[0].customer_phone == expected[0]


# --- the review screen and the follow-up queue -----------------------------------------------

@pytest.mark.parametrize("who,expected", [("clerk", MASKED), ("supervisor", FULL)])
def test_the_store_review_and_follow_ups_mask_for_a_clerk(store, policy, team, who, expected):
    case_no = _customer_case(store, policy, team, resolve=True)
    review = StoreReview(store, policy, getattr(team, who))
    assert _doc(review.document(case_no)) == expected
    assert review.follow_ups()[0].customer_phone == expected[0]


# --- the desk command ------------------------------------------------------------------------

@pytest.mark.parametrize("staff_no,expected", [(None, MASKED), ("C001", MASKED),
                                               ("S001", FULL)])
def test_desk_case_show_and_export(cli_store, capsys, staff_no, expected):
    db, case_no = cli_store
    shown = _desk(db, capsys, "case", "show", case_no, as_staff=staff_no)
    for value in expected:
        assert value in shown
    hidden = set(FULL) - set(expected)
    assert not any(value in shown for value in hidden)
    exported = json.loads(_desk(db, capsys, "case", "export", case_no, as_staff=staff_no))
    assert _doc(exported) == expected


@pytest.mark.parametrize("staff_no,phone", [(None, MASKED[0]), ("C001", MASKED[0]),
                                            ("S001", PHONE)])
def test_desk_day_and_the_follow_up_list(cli_store, capsys, staff_no, phone):
    db, _case_no = cli_store
    day = json.loads(_desk(db, capsys, "day", T0.date().isoformat(), "--json",
                           as_staff=staff_no))
    assert [r["phone"] for r in day] == [phone]
    text = _desk(db, capsys, "day", T0.date().isoformat(), as_staff=staff_no)
    assert phone in text and (phone == PHONE or PHONE not in text)
    queue = json.loads(_desk(db, capsys, "followup", "list", "--json", as_staff=staff_no))
    assert [r["phone"] for r in queue] == [phone]


# --- day packs -------------------------------------------------------------------------------

def _without_personal_data(policy):
    role = policy.roles["supervisor"]
    plain = dataclasses.replace(role, privileges=role.privileges - {"personal_data"})
    return dataclasses.replace(policy, roles={**policy.roles, "supervisor": plain})


@pytest.mark.parametrize("personal,expected", [(False, MASKED), (True, FULL)])
def test_a_day_pack_holds_what_its_exporter_may_see(store, policy, team, personal, expected):
    case_no = _customer_case(store, policy, team)
    in_force = policy if personal else _without_personal_data(policy)
    with store.read() as s:
        pack = prepare_pack(s, in_force, team.supervisor, T0.date(), "A", now=T0)
    doc = json.loads(pack.members[f"cases/{case_no}.json"])
    assert _doc(doc) == expected


# --- reports ---------------------------------------------------------------------------------

def test_reports_mask_phones_with_the_screens_mask(store, policy, team):
    _customer_case(store, policy, team)
    _customer_case(store, policy, team)
    with store.read() as s:
        stats = day_stats(s, policy, T0.date(), now=T0)
    assert [r.phone for r in stats.repeat_complainants] == [mask_phone(PHONE)] == [MASKED[0]]
