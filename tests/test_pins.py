"""PINs: the policy by role (length, no runs or repeats) through every surface that sets a
PIN, digits of any script normalised, a wrong-PIN window a right PIN does not reset (at the
counter and in a day pack), older hashes rehashed, a PIN below the policy asked to change,
and the production argon2 parameters being the measured ones."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from desk import services
from desk.errors import AuthenticationError, AuthorityError, DomainError, ValidationError
from desk.security import PRODUCTION, TEST_SETTING, normalise_pin, trivial, validate_pin
from desk.services.auth import staff_by_no
from tests.conftest import PINS
from tests.helpers import T0, store_rows

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def sq(tmp_path, policy):
    """A SQLite store with the team (the PIN rules sit above the back ends)."""
    from desk.store import Store
    from desk.store_policy import load_store_policy
    from tests.conftest import make_team
    store = Store("sqlite:///" + (tmp_path / "desk.sqlite3").as_posix())
    load_store_policy(store)
    team = make_team(store, policy)
    yield store, team
    store.close()


def desk(store, *args, as_staff="A001", pin=None, capsys=None):
    from desk.cli import main
    if capsys:
        capsys.readouterr()
    return main(["--db", store.engine.url.database, "--locale", "en", "--as", as_staff,
                 "--pin", pin or PINS[as_staff], *args])


@pytest.mark.parametrize("pin", ["123456", "111111", "654321", "121212", "123123", "112233",
                                 "246802", "890123", "1234", "4321", "1212", "0000", "1357",
                                 "9630", "2580258025"])
def test_runs_and_repeats_are_trivial(pin):
    assert trivial(pin)


@pytest.mark.parametrize("pin", ["4821", "730519", "258036", "2580", "907316", "1593720"])
def test_ordinary_pins_are_not(pin):
    assert not trivial(pin)


def test_digits_of_any_script_are_normalised_and_others_refused():
    assert normalise_pin("１２３４") == "1234"             # full-width
    assert normalise_pin("٤٨٢١") == "4821"                 # Arabic-Indic
    assert normalise_pin("۷۳۰۵۱۹") == "730519"             # Extended Arabic-Indic (Persian)
    assert normalise_pin("४८२१") == "4821"                 # Devanagari
    for bad in ("12a4", "²⁴⁸¹", "12 34", "一二三四", "", None, 4821):
        with pytest.raises(ValidationError) as err:
            validate_pin(bad)
        assert err.value.field == "pin"
    with pytest.raises(ValidationError, match="1234"):
        validate_pin("１２３４")                              # a run in full-width is a run


# --- the policy by role, through every surface ------------------------------------------------

REFUSED = [("clerk", "1234"), ("clerk", "121212"), ("clerk", "12a4"), ("supervisor", "4821"),
           ("general_manager", "１２３４５６")]


@pytest.mark.parametrize("role,pin", REFUSED)
def test_desk_staff_add_refuses_a_pin_below_the_policy(sq, capsys, role, pin):
    store, _team = sq
    before = store_rows(store)
    assert desk(store, "staff", "add", "X100", "--role", role, "--name", "新人", "--pin", pin,
                capsys=capsys) == 2
    err = capsys.readouterr().err
    assert "PIN" in err and len(err.strip().splitlines()) == 1
    assert store_rows(store) == before
    with store.read() as session:
        with pytest.raises(DomainError):
            staff_by_no(session, "X100")


def test_desk_staff_add_takes_a_good_pin_in_any_script(sq, policy):
    store, _team = sq
    assert desk(store, "staff", "add", "X100", "--role", "clerk", "--name", "新人",
                "--pin", "٤٩١٧") == 0                         # Arabic-Indic 4917
    assert desk(store, "staff", "add", "X200", "--role", "supervisor", "--name", "主管",
                "--pin", "５１７３９２") == 0                  # full-width 517392
    assert services.sign_in(store, policy, "X100", "4917").staff_no == "X100"
    assert services.sign_in(store, policy, "X200", "517392").staff_no == "X200"
    assert services.sign_in(store, policy, "X200", "５１７３９２").staff_no == "X200"


def test_desk_staff_pin_changes_ones_own_or_an_administrators_reset(sq, policy, capsys):
    store, _team = sq
    before = store_rows(store, pin_counts=False)
    assert desk(store, "staff", "pin", "S001", "--new-pin", "123456", as_staff="S001",
                capsys=capsys) == 2                           # a run
    assert desk(store, "staff", "pin", "S001", "--new-pin", "4917", as_staff="S001") == 2
    assert desk(store, "staff", "pin", "S002", "--new-pin", "491736", as_staff="S001") == 2
    assert "administrator" in capsys.readouterr().err
    assert store_rows(store, pin_counts=False) == before
    assert desk(store, "staff", "pin", "S001", "--new-pin", "491736", as_staff="S001") == 0
    assert services.sign_in(store, policy, "S001", "491736").staff_no == "S001"
    with pytest.raises(AuthenticationError):
        services.sign_in(store, policy, "S001", PINS["S001"])
    assert desk(store, "staff", "pin", "C001", "--new-pin", "5283") == 0   # A001 resets it
    assert services.sign_in(store, policy, "C001", "5283").staff_no == "C001"


def test_first_run_set_up_refuses_a_weak_administrator_pin(tmp_path, policy):
    from desk.app.setup import needs_setup, set_up
    from desk.store import Store
    store = Store("sqlite:///" + (tmp_path / "new.sqlite3").as_posix())
    values = dict(mall_name="晴空廣場", desk="B", currency="TWD", locale="zh_TW",
                  admin_no="A100", admin_name="周經理")
    try:
        for weak in ("2580", "123456", "111111"):
            with pytest.raises(ValidationError) as err:
                set_up(store, policy, **values, pin=weak)
            assert err.value.field == "pin"
            assert needs_setup(store)
        set_up(store, policy, **values, pin="258036")
        assert not needs_setup(store)
    finally:
        store.close()


def test_the_demo_staff_meet_the_policy(policy):
    from desk.demo import DEMO_STAFF
    for staff_no, _name, role, pin in DEMO_STAFF:
        assert validate_pin(pin, policy.roles[role].pin_digits) == pin, staff_no


def test_a_policy_may_not_shorten_the_pins_of_a_role_that_approves(policy):
    from desk.errors import PolicyError
    from desk.policy import default_policy_path, policy_from_text
    text = default_policy_path().read_text(encoding="utf-8")
    shorter = text.replace("[roles.supervisor]\nrank = 2\n", "[roles.supervisor]\nrank = 2\n"
                           "pin_digits = 4\n")
    with pytest.raises(PolicyError, match="pin_digits"):
        policy_from_text(shorter)
    assert policy.roles["clerk"].pin_digits == 4 and policy.roles["supervisor"].pin_digits == 6


# --- the lock-out window ----------------------------------------------------------------------

def test_a_right_pin_in_between_does_not_reset_the_count(store, team, policy):
    """On both back ends: the window's start is a new column (migration 0009_inputs14)."""
    at = T0
    for _ in range(policy.pin_attempts - 1):
        with pytest.raises(AuthenticationError):
            services.sign_in(store, policy, "C001", "0000", now=at)
        at += timedelta(minutes=1)
    assert services.sign_in(store, policy, "C001", PINS["C001"], now=at)   # the victim
    with pytest.raises(AuthenticationError):
        services.sign_in(store, policy, "C001", "9999", now=at + timedelta(minutes=1))
    with pytest.raises(AuthenticationError) as err:
        services.sign_in(store, policy, "C001", PINS["C001"], now=at + timedelta(minutes=2))
    assert err.value.msgid.startswith("too many wrong PINs")
    assert services.sign_in(store, policy, "C001", PINS["C001"], now=at + timedelta(
        minutes=2 + policy.pin_lock_minutes)).staff_no == "C001"


def test_wrong_pins_outside_the_window_start_a_new_count(sq, policy):
    store, _team = sq
    for i in range(policy.pin_attempts - 1):
        with pytest.raises(AuthenticationError):
            services.sign_in(store, policy, "C002", "0000", now=T0 + timedelta(seconds=i))
    later = T0 + timedelta(minutes=policy.pin_window_minutes + 1)
    for i in range(policy.pin_attempts - 1):
        with pytest.raises(AuthenticationError):
            services.sign_in(store, policy, "C002", "0000", now=later + timedelta(seconds=i))
    assert services.sign_in(store, policy, "C002", PINS["C002"], now=later).staff_no == "C002"


def test_the_pack_counts_in_a_window_too(sq, policy, tmp_path):
    from bench.fuzz_inputs import reviewed_pack
    from desk.pack_review import PackReview
    store, _team = sq
    review = PackReview(reviewed_pack(store, policy, tmp_path, cases=1), policy)
    at = T0 + timedelta(days=1)
    for i in range(review.pin_attempts - 1):
        with pytest.raises(AuthenticationError):
            review.sign_in("S001", "0000", now=at + timedelta(seconds=i))
    review.sign_in("S001", PINS["S001"], now=at + timedelta(seconds=10))
    with pytest.raises(AuthenticationError):
        review.sign_in("S001", "0000", now=at + timedelta(seconds=11))
    with pytest.raises(AuthenticationError) as err:
        PackReview(review.path, policy).sign_in("S001", PINS["S001"],
                                                now=at + timedelta(seconds=12))
    assert err.value.msgid.startswith("too many wrong PINs")


# --- hashes: older ones rehashed, a PIN below the policy asked to change ------------------------

def test_an_older_hash_signs_in_and_is_rehashed(sq, policy):
    store, _team = sq
    old = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(PINS["S001"])
    with store.write(system="test") as session:
        staff_by_no(session, "S001").pin_hash = old
    assert services.sign_in(store, policy, "S001", PINS["S001"]).staff_no == "S001"
    with store.read() as session:
        new = staff_by_no(session, "S001").pin_hash
    assert new != old and "m=19456" not in new
    assert services.sign_in(store, policy, "S001", PINS["S001"]).staff_no == "S001"


def test_a_pin_below_the_policy_signs_in_and_is_asked_to_change(sq, policy, capsys):
    store, _team = sq
    with store.write(system="test") as session:   # set before the policy grew stricter
        staff_by_no(session, "S002").pin_hash = PasswordHasher().hash("1234")
    actor = services.sign_in(store, policy, "S002", "1234")
    assert actor.pin_change_due
    assert not services.sign_in(store, policy, "S001", PINS["S001"]).pin_change_due
    assert desk(store, "approval", "list", as_staff="S002", pin="1234", capsys=capsys) == 0
    assert "desk staff pin S002" in capsys.readouterr().err
    assert desk(store, "staff", "pin", "S002", "--new-pin", "318264", as_staff="S002",
                pin="1234") == 0
    assert not services.sign_in(store, policy, "S002", "318264").pin_change_due


def test_a_clerk_may_not_reset_anothers_pin(sq, policy):
    store, team = sq
    from desk.services.staff import change_pin
    before = store_rows(store)
    with pytest.raises(AuthorityError), store.write(team.clerk) as session:
        change_pin(session, policy, team.clerk, "S001", "491736")
    assert store_rows(store) == before


def test_the_production_parameters_are_the_measured_ones():
    """The suite hashes cheaply (tests/conftest.py); the program itself never does."""
    env = {k: v for k, v in os.environ.items() if k != TEST_SETTING}
    out = subprocess.run([sys.executable, "-c", "from desk.security import hash_parameters; "
                          "print(sorted(hash_parameters().items()))"], cwd=ROOT, env=env,
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == str(sorted(PRODUCTION.items()))
    figures = (ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")
    found = re.search(r"time_cost=(\d+), memory_cost=(\d+), parallelism=(\d+)", figures)
    assert found and tuple(map(int, found.groups())) == (
        PRODUCTION["time_cost"], PRODUCTION["memory_cost"], PRODUCTION["parallelism"])
