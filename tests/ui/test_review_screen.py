"""The review window on the main store and straight from a day pack (pytest-qt)."""
from __future__ import annotations

import pytest

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from desk import packs
from desk.app.review import StoreReview, trusted_pack_keys
from desk.pack_review import PackReview
from tests.conftest import PINS
from tests.review_support import at, make_case
from tests.ui.conftest import when_modal
from ui.review import ReviewWindow, open_pack
from ui.review_model import Column, ReviewTableModel

DAY = "2026-11-16"


def _cases(store, policy, team):
    return (make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="closed",
                      closer=team.supervisor, offer=("voucher", "300", ["V1"])),
            make_case(store, policy, team.clerk, at(DAY, "11:00"), stage="resolved"),
            make_case(store, policy, team.clerk, at(DAY, "12:00"), stage="in_progress"))


def _dismiss(qtbot, texts: list):
    def handle(box):
        texts.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()
    return when_modal(qtbot, handle)


def test_the_table_model_needs_no_view(store, policy, team, language):
    _cases(store, policy, team)
    model = ReviewTableModel(currency=policy.currency, tz=policy.tz)
    model.set_rows(list(StoreReview(store, policy, team.supervisor)
                        .review_day(at(DAY, "00:00").date(), "A").rows))
    assert model.rowCount() == 3 and model.columnCount() == len(Column)
    assert model.data(model.index(0, Column.REVIEW)) == "Not reviewed"
    assert model.data(model.index(0, Column.COMPENSATION)) == "NT$300"
    assert model.headerData(Column.SLA, Qt.Orientation.Horizontal) == "Time limit"


def test_review_a_day_on_the_store(qtbot, store, policy, team, language):
    first, resolved, active = _cases(store, policy, team)
    source = StoreReview(store, policy, team.supervisor)
    win = ReviewWindow(source, policy, day=at(DAY, "00:00").date())
    qtbot.addWidget(win)
    win.show()
    assert win.count_label.text() == "3 of 3 cases not reviewed"
    assert win.current.case_no == first
    assert first in win.case_view.toPlainText() and "V1" in win.case_view.toPlainText()
    qtbot.mouseClick(win.approve_button, Qt.MouseButton.LeftButton)
    assert win.count_label.text() == "2 of 3 cases not reviewed"
    assert win.current.case_no == resolved          # moves on to the next unreviewed case
    qtbot.mouseClick(win.sign_off_button, Qt.MouseButton.LeftButton)
    assert win.current.case_no == active
    messages: list = []
    _dismiss(qtbot, messages)
    qtbot.mouseClick(win.return_button, Qt.MouseButton.LeftButton)   # no comment yet
    qtbot.waitUntil(lambda: bool(messages))
    assert "required" in messages[0]
    win.comment.setPlainText("Call the shop before noon.")
    qtbot.mouseClick(win.return_button, Qt.MouseButton.LeftButton)
    assert win.count_label.text() == "1 of 3 cases not reviewed"
    row = win.model.rows[win.model.index_of(active)]
    assert row.review == "returned" and row.review_comment == "Call the shop before noon."
    assert win.model.rows[win.model.index_of(resolved)].status == "closed"
    assert "not reviewed" in win.state_label.text()
    closing: list = []
    _dismiss(qtbot, closing)
    qtbot.mouseClick(win.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(closing))
    assert active in closing[0]
    # review, follow-ups, corrective actions, promises, patterns
    assert win.tabs.count() == 5 and win.follow_ups.model.rowCount() == 2


def test_review_from_a_pack_file_with_no_store(qtbot, store, policy, team, language, tmp_path):
    first, resolved, _active = _cases(store, policy, team)
    path = tmp_path / "A.deskpack"
    with store.write(team.supervisor) as s:
        packs.export_pack(s, policy, team.supervisor, at(DAY, "00:00").date(), path, "A",
                          now=at(DAY, "21:00"))
    win = open_pack(path, policy, trusted_pack_keys(store))
    qtbot.addWidget(win)
    win.show()
    assert win.pack_mode and not win.day_edit.isEnabled()
    assert "A.deskpack" in win.windowTitle()
    messages: list = []
    _dismiss(qtbot, messages)
    qtbot.mouseClick(win.approve_button, Qt.MouseButton.LeftButton)   # who is reviewing?
    qtbot.waitUntil(lambda: bool(messages))
    win.reviewer_edit.setText("S001")
    win.reviewer_pin.setText("0000")                  # a wrong PIN: refused, counted
    wrong: list = []
    _dismiss(qtbot, wrong)
    qtbot.mouseClick(win.reviewer_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(wrong))
    assert "S001" in wrong[0] and win.reviewer_pin.text() == ""
    assert PackReview(path, policy).failures["S001"]["count"] == 1
    assert team.supervisor.name not in win.status.text()
    win.reviewer_pin.setText(PINS["S001"])
    qtbot.mouseClick(win.reviewer_button, Qt.MouseButton.LeftButton)
    assert team.supervisor.name in win.status.text()
    qtbot.mouseClick(win.approve_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(win.sign_off_button, Qt.MouseButton.LeftButton)
    assert win.count_label.text() == "1 of 3 cases not reviewed"
    saved = PackReview(path, policy)            # written into the pack at once
    assert {d.case_no: d.decision for d in saved.decisions.values()} == {
        first: "approved", resolved: "signed_off"}
    assert saved.reviewer_no == "S001"


def test_follow_up_panel_records_a_call(qtbot, store, policy, team, language):
    _cases(store, policy, team)
    win = ReviewWindow(StoreReview(store, policy, team.supervisor), policy,
                       day=at(DAY, "00:00").date())
    qtbot.addWidget(win)
    panel = win.follow_ups
    panel.table.selectRow(0)
    panel.reached.setChecked(True)
    panel.satisfaction.setValue(5)
    panel.comment.setText("Very happy")
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 1


def test_the_main_window_opens_the_review_and_the_app_takes_a_pack(qtbot, window, policy,
                                                                  store, team):
    from ui.app import parse_args
    assert window.findChild(type(window.actions["review"]), "action_review") is not None
    messages: list = []
    _dismiss(qtbot, messages)
    assert window.open_review() is None              # a clerk may not review
    qtbot.waitUntil(lambda: bool(messages))
    window.desk.sign_in("S001", PINS["S001"])
    review = window.open_review()
    qtbot.addWidget(review)
    assert review.isVisible() and not review.pack_mode
    assert parse_args(["--review", "A.deskpack"]).review == "A.deskpack"
    assert parse_args(["--review"]).review is True and parse_args([]).review is None


def test_a_pack_this_pc_does_not_trust_is_refused_on_screen(qtbot, store, policy, team, tmp_path):
    """The screen checks a pack's signature against the keys this PC's store trusts, as
    ``desk pack show`` does: a store that never registered the exporter's key opens nothing."""
    from desk.packs import PackError
    _cases(store, policy, team)
    path = tmp_path / "A.deskpack"
    with store.write(team.supervisor) as s:
        packs.export_pack(s, policy, team.supervisor, at(DAY, "00:00").date(), path, "A",
                          now=at(DAY, "21:00"))
    with pytest.raises(PackError):
        open_pack(path, policy, {})
    other = {"00" * 32: "another mall"}
    with pytest.raises(PackError):
        open_pack(path, policy, other)
