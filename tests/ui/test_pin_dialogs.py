"""The app's PIN dialogs: the first administrator's PIN in the set-up dialog and a new PIN
asked at sign-in when the old one is below the policy; both refuse what the policy refuses,
inline, and write nothing."""
from __future__ import annotations

from argon2 import PasswordHasher

from desk.app.setup import set_up
from desk.services.auth import staff_by_no
from desk.store import Store
from tests.conftest import PINS
from tests.helpers import store_rows
from ui.session import Desk
from ui.setup_dialog import SetupDialog
from ui.signin import SignInDialog


def test_the_set_up_dialog_refuses_a_weak_administrator_pin(qtbot, tmp_path, policy):
    store = Store("sqlite:///" + (tmp_path / "new.sqlite3").as_posix())
    dialog = SetupDialog(policy, lambda values: set_up(store, policy, **values))
    qtbot.addWidget(dialog)
    f = dialog.fields
    for key, value in (("mall_name", "晴空廣場"), ("desk", "B"), ("admin_no", "A100"),
                       ("admin_name", "周經理")):
        f[key].setText(value)
    before = store_rows(store)
    for weak in ("2580", "123456", "１２１２１２", "12a456"):
        f["pin"].setText(weak)
        f["pin2"].setText(weak)
        assert not dialog.run()
        assert dialog.errors["pin"].text(), weak
        assert store_rows(store) == before
    f["pin"].setText("258036")
    f["pin2"].setText("258036")
    assert dialog.run()
    store.close()


def test_sign_in_asks_for_a_new_pin_when_the_old_one_is_below_the_policy(qtbot, store, policy,
                                                                          team):
    with store.write(system="test") as session:   # set before the policy grew stricter
        staff_by_no(session, "S001").pin_hash = PasswordHasher().hash("1234")
    desk = Desk(store, policy, desk_letter="A")
    dialog = SignInDialog(desk)
    qtbot.addWidget(dialog)
    assert not dialog.sign_in_with("S001", "1234")         # signed in, asked for a new one
    assert dialog.changing_pin and desk.actor.staff_no == "S001"
    before = store_rows(store)
    dialog.new_pin.setText("654321")
    dialog.new_pin2.setText("654321")
    assert not dialog.try_sign_in() and dialog.error.text()   # a run: refused inline
    dialog.new_pin.setText("491736")
    dialog.new_pin2.setText("491735")
    assert not dialog.try_sign_in() and dialog.error.text()   # the two differ
    assert store_rows(store) == before
    dialog.new_pin.setText("491736")
    dialog.new_pin2.setText("491736")
    assert dialog.try_sign_in() and dialog.result() == SignInDialog.DialogCode.Accepted
    assert not desk.actor.pin_change_due
    assert not Desk(store, policy).sign_in("S001", "491736").pin_change_due


def test_later_keeps_the_old_pin_and_a_good_pin_is_not_asked(qtbot, store, policy, team):
    with store.write(system="test") as session:
        staff_by_no(session, "S001").pin_hash = PasswordHasher().hash("1234")
    dialog = SignInDialog(Desk(store, policy, desk_letter="A"))
    qtbot.addWidget(dialog)
    dialog.sign_in_with("S001", "1234")
    dialog.buttons.rejected.emit()
    assert dialog.result() == SignInDialog.DialogCode.Accepted   # "Later": signed in
    good = SignInDialog(Desk(store, policy, desk_letter="A"))
    qtbot.addWidget(good)
    assert good.sign_in_with("C001", PINS["C001"]) and not good.changing_pin
