"""Money on screen (pytest-qt): the finance queue worked with the keyboard -- finance
approves, another finance officer pays, the desk records the signature -- and a settlement
signed on the screen with the mouse and with a pen tablet (QTabletEvent)."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QInputDevice, QPointingDevice, QTabletEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desk.app.money import Money
from tests.conftest import PINS
from tests.money_support import FINANCE_PINS, accepted_cost, add_finance
from tests.ui.conftest import fill_form_dialog
from ui.finance import FinanceQueue
from ui.signature import SettlementDialog, SignaturePad


def _queue(qtbot, desk) -> FinanceQueue:
    queue = FinanceQueue(desk)
    qtbot.addWidget(queue)
    queue.show()
    qtbot.waitExposed(queue)
    queue.table.setFocus()
    return queue


def _press(qtbot, queue, key, values: dict) -> list:
    errors, _seen = fill_form_dialog(qtbot, [values])
    qtbot.keyClick(queue.table, key)
    qtbot.waitUntil(lambda: len(errors) == 1)
    return errors


def test_finance_approves_another_pays_and_the_recipient_signs(
        qtbot, window, desk, store, policy, team):
    add_finance(store, policy, team.gm)
    case_no = accepted_cost(store, policy, team.clerk)
    assert not window.actions["finance"].isVisible()          # a clerk
    desk.sign_in("F001", FINANCE_PINS["F001"])
    window.refresh_status()
    action = window.actions["finance"]
    assert action.isVisible() and action.shortcut().toString() == "Ctrl+Shift+F"
    queue = window.open_finance()
    qtbot.addWidget(queue)
    qtbot.waitExposed(queue)
    assert queue.model.rowCount() == 1 and "1 costs open" in queue.count_label.text()
    assert queue.width() <= 1366 and queue.height() <= 768
    queue.table.setFocus()
    assert _press(qtbot, queue, Qt.Key.Key_A, {"note": "receipt seen"}) == [""]
    assert queue.model.rows[0].state == "approved"
    # The one who approved may not pay: desk's refusal is shown in the form.
    errors, _seen = fill_form_dialog(qtbot, [{"how": "cash"}], cancel_after=True)
    qtbot.keyClick(queue.table, Qt.Key.Key_P)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert "other than who approved" in errors[0]
    desk.sign_in("F002", FINANCE_PINS["F002"])
    assert _press(qtbot, queue, Qt.Key.Key_P, {"how": "voucher", "refs": "V-0001 V-0002"}) \
        == [""]
    assert queue.model.rows[0].state == "paid"
    desk.sign_in("S001", PINS["S001"])
    assert _press(qtbot, queue, Qt.Key.Key_S, {"recipient": "李大華"}) == [""]
    assert queue.model.rowCount() == 0 and "No cost" in queue.count_label.text()
    rows = Money(store, policy, lambda: team.supervisor).case_costs(case_no)
    assert rows[0].state == "signed" and rows[0].steps[1].refs == ("V-0001", "V-0002")


def _drag(pad: SignaturePad, points: list[tuple[int, int]]) -> None:
    QTest.mousePress(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(*points[0]))
    for x, y in points[1:]:
        QTest.mouseMove(pad, QPoint(x, y))
    QTest.mouseRelease(pad, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                       QPoint(*points[-1]))


def test_a_settlement_signed_on_screen_with_the_mouse(qtbot, desk, store, policy, team,
                                                      tmp_path):
    case_no = accepted_cost(store, policy, team.clerk, category="safety_legal")
    saved: list = []
    dialog = SettlementDialog(desk, desk.detail(case_no),
                              save_pdf=lambda name: saved.append(tmp_path / name) or saved[-1])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.print_agreement() == tmp_path / f"{case_no}-agreement.pdf"
    assert saved[0].read_bytes().startswith(b"%PDF")
    dialog.save_drawn()                       # nothing signed yet
    from desk.i18n import _
    assert dialog.error.text() == _("The customer has not signed on the pad yet.")
    assert dialog.isVisible()
    _drag(dialog.pad, [(40, 100), (90, 60), (140, 110), (200, 50), (260, 95)])
    assert not dialog.pad.is_empty()
    dialog.save_drawn()
    assert dialog.result_value is not None and not dialog.isVisible()
    settled = dialog.result_value.settlement
    assert settled.method == "screen" and settled.signer == "李大華"
    with store.read() as session:
        from desk.attachments import read_bytes
        assert read_bytes(session, settled.signature_sha256).startswith(b"\x89PNG")


def test_the_pad_draws_a_pen_tablets_strokes_by_pressure(qtbot):
    pad = SignaturePad()
    qtbot.addWidget(pad)
    pad.resize(500, 200)
    pad.show()
    qtbot.waitExposed(pad)
    pen = QPointingDevice("test pen", 4711, QInputDevice.DeviceType.Stylus,
                          QPointingDevice.PointerType.Pen,
                          QInputDevice.Capability.Position | QInputDevice.Capability.Pressure,
                          1, 2)

    def tablet(kind, x, y, pressure):
        event = QTabletEvent(kind, pen, QPointF(x, y), pad.mapToGlobal(QPointF(x, y)),
                             pressure, 0, 0, 0, 0, 0, Qt.KeyboardModifier.NoModifier,
                             Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton)
        QApplication.sendEvent(pad, event)
        assert event.isAccepted()

    tablet(QEvent.Type.TabletPress, 20, 120, 0.2)
    tablet(QEvent.Type.TabletMove, 80, 60, 0.9)
    tablet(QEvent.Type.TabletMove, 150, 130, 0.6)
    tablet(QEvent.Type.TabletRelease, 150, 130, 0.0)
    tablet(QEvent.Type.TabletMove, 300, 30, 0.5)    # the pen lifted: hovering draws nothing
    assert pad.strokes == [[(20.0, 120.0, 0.2), (80.0, 60.0, 0.9), (150.0, 130.0, 0.6)]]
    assert pad.png().startswith(b"\x89PNG")
    pad.clear()
    assert pad.is_empty()


def test_a_complaint_about_a_settled_matter_proposes_not_accepted(qtbot, desk, store, policy,
                                                                  team):
    from datetime import timedelta

    from tests.helpers import T0, new_case
    from tests.test_money_settlement import signature_png
    from ui.case_actions import not_accept_dialog
    first = accepted_cost(store, policy, team.clerk, category="safety_legal")
    Money(store, policy, lambda: team.clerk).sign_settlement(first, "李大華", "screen",
                                                           signature_png())
    later = new_case(store, policy, team.clerk, now=T0 + timedelta(days=2),
                     category="safety_legal")
    dialog = not_accept_dialog(desk, desk.detail(later), None)
    qtbot.addWidget(dialog)
    values = dialog.values()
    assert values["reason"] == "settled" and first in values["note"]
    fresh = new_case(store, policy, team.clerk, now=T0 + timedelta(days=2),
                     subject_name="別家店")
    other = not_accept_dialog(desk, desk.detail(fresh), None)
    qtbot.addWidget(other)
    assert other.values()["note"] == ""


def test_the_supervisor_names_the_staff_at_fault_from_the_case_detail(
        qtbot, window, desk, store, policy, team):
    from tests.helpers import new_case
    case_no = new_case(store, policy, team.clerk, category="service_attitude",
                       subject_kind="staff", subject_name=None, subject_staff="C002")
    window.open_case(case_no)
    button = window.detail.buttons["finding"]
    assert not button.isEnabled()                       # a clerk
    desk.sign_in("S001", PINS["S001"])
    window.open_case(case_no)
    assert button.isEnabled()
    errors, _seen = fill_form_dialog(qtbot, [{"finding": " "},
                                             {"finding": "raised her voice"}])
    button.click()
    qtbot.waitUntil(lambda: len(errors) == 2)
    assert "finding" in errors[0] and errors[1] == ""
    detail = desk.detail(case_no)
    assert detail.finding.staff_no == "C002" and detail.finding.finding == "raised her voice"
