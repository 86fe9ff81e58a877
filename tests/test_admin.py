"""The administrator's staff and policy work without a command prompt: through desk.app.admin
(the screens' door) and the `desk` command alike, each refusal the same and the store
unchanged by it; every change is audited under the administrator's name."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from desk.app.admin import Admin, with_category
from desk.errors import AuthenticationError, AuthorityError, DomainError, ValidationError
from desk.i18n import set_locale
from desk.model import Staff
from desk.services import sign_in
from desk.store_policy import load_store_policy
from tests.conftest import fresh_sqlite_store
from tests.approvals_support import run_cli
from tests.helpers import store_rows


@pytest.fixture
def store(tmp_path, sqlite_template):
    """SQLite only: these are checks of who may, made in the services above the back end."""
    st = fresh_sqlite_store(sqlite_template, tmp_path / "desk.sqlite3")
    yield st
    st.close()


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")


def admin(store, policy, actor) -> Admin:
    return Admin(store, policy, actor)


def test_add_edit_disable_enable_and_reset_a_pin(store, policy, team):
    a = admin(store, policy, team.gm)
    row = a.add_staff("C009", "新同事", "clerk", "2580")
    assert (row.staff_no, row.role, row.active) == ("C009", "clerk", True)
    assert a.edit_staff("C009", name="新同事甲", role="supervisor").role == "supervisor"
    assert not a.edit_staff("C009", active=False).active
    with pytest.raises(AuthenticationError):
        sign_in(store, policy, "C009", "2580")              # disabled: no sign-in
    a.edit_staff("C009", active=True)
    for _ in range(3):                                      # lock the person out
        with pytest.raises(DomainError):
            sign_in(store, policy, "C009", "9999")
    a.reset_pin("C009", "369104")
    assert sign_in(store, policy, "C009", "369104").name == "新同事甲"
    with store.read() as session:
        staff = session.scalar(select(Staff).where(Staff.staff_no == "C009"))
        assert staff.failed_pins == 0 and staff.locked_until is None


REFUSALS = {
    "a clerk edits": (lambda p: (p.clerk, "edit", dict(staff_no="C002", role="supervisor")),
                      AuthorityError, "administrator"),
    "a clerk resets a PIN": (lambda p: (p.clerk, "reset", dict(staff_no="C002",
                                                               new_pin="2580")),
                             AuthorityError, "administrator"),
    "a supervisor adds": (lambda p: (p.supervisor, "add", dict(staff_no="X1", name="x",
                                                                role="general_manager",
                                                                pin="2580")),
                          AuthorityError, "administrator"),
    "the administrator disables themselves": (
        lambda p: (p.gm, "edit", dict(staff_no="A001", active=False)), ValidationError,
        "yourself"),
    "a PIN too easy": (lambda p: (p.gm, "reset", dict(staff_no="C002", new_pin="1111")),
                       ValidationError, "repeated"),
    "nobody of that number": (lambda p: (p.gm, "edit", dict(staff_no="Z999", name="x")),
                              DomainError, "no staff member"),
}


def _service_call(a: Admin, what: str, args: dict):
    if what == "edit":
        return a.edit_staff(args.pop("staff_no"), **args)
    if what == "reset":
        return a.reset_pin(args["staff_no"], args["new_pin"])
    return a.add_staff(**args)


def _cli_args(what: str, args: dict) -> list[str]:
    if what == "edit":
        argv = ["staff", "edit", args["staff_no"]]
        if "role" in args:
            argv += ["--role", args["role"]]
        if "name" in args:
            argv += ["--name", args["name"]]
        if args.get("active") is False:
            argv.append("--disable")
        return argv
    if what == "reset":
        return ["staff", "reset-pin", args["staff_no"], "--new-pin", args["new_pin"]]
    return ["staff", "add", args["staff_no"], "--name", args["name"], "--role", args["role"],
            "--pin", args["pin"]]


def test_refusals_are_the_same_through_the_door_and_the_command(store, policy, team, capsys):
    load_store_policy(store)          # the store keeps its policy, as every surface opens it
    before = store_rows(store, pin_counts=False)
    for case, (make, error, words) in REFUSALS.items():   # one store: the setup is the cost
        actor, what, args = make(team)
        with pytest.raises(error) as info:
            _service_call(admin(store, policy, actor), what, dict(args))
        assert words in str(info.value), case
        code, _out, err = run_cli(store, *_cli_args(what, args), as_staff=actor.staff_no,
                                  capsys=capsys)
        assert code == 2 and words in err, case
        assert store_rows(store, pin_counts=False) == before, case


def test_the_last_administrator_keeps_the_role(store, policy, team, capsys):
    admin(store, policy, team.gm).edit_staff("O001", active=False)   # A001 is the last one
    load_store_policy(store)
    before = store_rows(store, pin_counts=False)
    with pytest.raises(ValidationError) as info:
        admin(store, policy, team.gm).edit_staff("A001", role="clerk")
    assert "last active" in str(info.value) and info.value.field == "role"
    code, _out, err = run_cli(store, "staff", "edit", "A001", "--role", "clerk",
                              as_staff="A001", capsys=capsys)
    assert code == 2 and "last active" in err
    assert store_rows(store, pin_counts=False) == before


def test_the_command_edits_and_resets_too(store, policy, team, capsys):
    code, out, err = run_cli(store, "staff", "edit", "C002", "--disable", as_staff="A001",
                             capsys=capsys)
    assert code == 0 and "(inactive)" in out, err
    code, out, err = run_cli(store, "staff", "reset-pin", "C002", "--new-pin", "3691",
                             as_staff="A001", capsys=capsys)
    assert code == 0, err
    code, out, _err = run_cli(store, "staff", "edit", "C002", "--enable", as_staff="A001",
                              capsys=capsys)
    assert code == 0 and "(inactive)" not in out
    assert sign_in(store, policy, "C002", "3691").staff_no == "C002"


def test_a_category_added_through_the_policy_screen_door(store, policy, team):
    a = admin(store, load_store_policy(store), team.gm)   # opened as every surface opens it
    text = with_category(a.policy_text(), "parking", level="preliminary", unit="security")
    assert "parking" in a.check_policy(text).categories
    new = a.apply_policy(text, "停車場客訴獨立分類")
    assert new.categories["parking"].unit == "security"
    assert load_store_policy(store).categories["parking"].level == "preliminary"
    before = store_rows(store, pin_counts=False)
    with pytest.raises(AuthorityError):
        admin(store, new, team.clerk).apply_policy(
            with_category(text, "x_y", level="preliminary", unit="security"), "試試")
    with pytest.raises(ValidationError):
        with_category(text, 'bad"]\n[roles.clerk', level="preliminary", unit="security")
    with pytest.raises(DomainError):
        a.apply_policy(with_category(text, "parking", level="nowhere", unit="security"), "x")
    assert store_rows(store, pin_counts=False) == before
