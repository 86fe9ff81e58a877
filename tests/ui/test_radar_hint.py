"""The intake shows the batch radar's word while the complaint is typed, before saving; the
watch-list panel shows the batch to a supervisor and takes a decision with a reason."""
from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QLineEdit

from desk import services
from desk.clock import utcnow
from tests.helpers import complaint
from ui.intake import IntakeForm
from ui.radar_hint import RadarHint


def earlier_cases(store, policy, clerk, customers: int) -> None:
    now = utcnow()
    for n in range(customers):
        with store.write(clerk) as session:
            services.take_complaint(session, policy, clerk, complaint(
                customer_name=f"顧客{n}", customer_phone=f"0912-000-{n:03d}"),
                now=now - timedelta(hours=5 - n))


def type_into(qtbot, form, name: str, text: str) -> None:
    field = form.fields[name]
    if isinstance(field, QLineEdit):
        field.setText(text)
        field.textEdited.emit(text)
    else:
        field.setPlainText(text)


def test_the_intake_shows_the_batch_before_saving(qtbot, desk, store, policy, team, drafts,
                                                  language):
    earlier_cases(store, policy, team.clerk, 2)
    form = IntakeForm(desk, drafts, autosave_ms=60_000)
    qtbot.addWidget(form)
    form.show()
    hint = form.findChild(RadarHint, "radar_hint")
    type_into(qtbot, form, "customer.name", "王小明")
    type_into(qtbot, form, "customer.phone", "0933-111-222")
    form.fields["subject.kind"].set_key("tenant")
    type_into(qtbot, form, "subject.name", "好鞋坊")
    type_into(qtbot, form, "complaint", "鞋子穿兩天就開膠了")
    qtbot.waitUntil(lambda: hint.isVisible(), timeout=3000)
    assert "好鞋坊" in hint.text() and "2" in hint.text() and "batch" in hint.text()
    assert hint.hint.makes_batch and hint.hint.batch_no is None
    form.fields["motive"].set_key("compensation")
    case = form.save()
    assert case is not None and case.severity == 3 and case.level == "level2"
    assert not hint.isVisible()
    form.clear()
    type_into(qtbot, form, "customer.name", "趙小姐")
    type_into(qtbot, form, "customer.phone", "0955-444-333")
    form.fields["subject.kind"].set_key("tenant")
    type_into(qtbot, form, "subject.name", "好鞋坊")
    qtbot.waitUntil(lambda: hint.isVisible() and hint.hint.batch_no is not None, timeout=3000)
    assert hint.hint.batch_no in hint.text() and "3 customers" in hint.text()


def test_the_watch_list_shows_the_batch_and_takes_a_decision(qtbot, store, policy, team,
                                                            language, tmp_path, window):
    from tests.conftest import PINS
    from ui.session import Desk
    from ui.watch_list import WatchList
    earlier_cases(store, policy, team.clerk, 3)
    assert not window.actions["watch_list"].isVisible()     # the clerk signed in
    assert window.open_watch_list() is None
    supervisor = Desk(store, policy, desk_letter="A")
    supervisor.sign_in("S001", PINS["S001"])
    watch = WatchList(supervisor)
    qtbot.addWidget(watch)
    watch.show()
    assert watch.batches.rowCount() == 1 and watch.members.rowCount() == 3
    batch_no = watch.batches.rows[0].batch_no
    watch.confirm_button.click()                             # no reason: refused, said
    assert watch.error.text() and watch.batches.rows[0].status == "open"
    watch.reason.setText("同一批鞋，通知廠商回收")
    watch.confirm_button.click()
    assert watch.batches.rows[0].status == "confirmed"
    assert not watch.confirm_button.isEnabled()
    saved = watch.save_notice(str(tmp_path / "notice.pdf"))
    assert saved.read_bytes().startswith(b"%PDF") and batch_no in watch.heading.text()


def test_the_review_screen_shows_the_weeks_patterns(qtbot, store, policy, team, language):
    from desk.app.review import StoreReview
    from ui.review import ReviewWindow
    earlier_cases(store, policy, team.clerk, 3)
    win = ReviewWindow(StoreReview(store, policy, team.supervisor), policy, day=utcnow().date())
    qtbot.addWidget(win)
    win.show()
    win.tabs.setCurrentWidget(win.patterns)
    qtbot.waitUntil(lambda: win.patterns.batches.rowCount() == 1)
    assert win.tabs.tabText(win.tabs.indexOf(win.patterns)) == "Patterns"
    assert win.patterns.subjects.item(0, 0).text() == "好鞋坊"
    assert win.patterns.chart.surge and "Batches: 1" in win.patterns.heading.text()
    clerk = ReviewWindow(StoreReview(store, policy, team.clerk), policy, day=utcnow().date())
    qtbot.addWidget(clerk)
    assert clerk.patterns is None                       # no reports privilege, no tab
