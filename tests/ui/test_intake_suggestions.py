"""The intake's suggestions as the clerk types: the panel suggests, a risk word shows the
warning, "Use suggestion" fills only what the clerk has not chosen, and the saved case keeps
the clerk's classifications and the member tier."""
from __future__ import annotations

from PySide6.QtCore import Qt


def _type_complaint(window, qtbot, text: str):
    form = window.intake
    form.fields["complaint"].setPlainText(text)
    panel = form.suggestions
    qtbot.waitUntil(lambda: panel.ready and panel.suggestion is not None, timeout=15000)
    return form, panel


def test_a_risk_word_warns_and_the_suggestion_fills_what_is_not_chosen(window, qtbot):
    form, panel = _type_complaint(window, qtbot,
                                  "保全對我大吼大叫,還推了我一把,我要找記者和律師。")
    assert not panel.isHidden() and not panel.risk.isHidden()
    assert "記者" in panel.risk.text() and "Level 2" in panel.risk.text()
    form.fields["degree"].set_key("critical")       # the clerk's own choice ...
    form.fields["degree"].activated.emit(form.fields["degree"].currentIndex())
    qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    assert form.fields["category"].key() == "service_attitude"
    assert form.fields["content_class"].key() == "service"
    assert form.fields["degree"].key() == "critical"   # ... is never overridden
    assert form.fields["level"].key() == "level2"
    assert form.fields["severity"].key() == 3


def test_the_saved_case_keeps_the_classifications_and_the_tier(window, qtbot):
    form, panel = _type_complaint(window, qtbot, "結帳時同一件商品被刷了兩次,多收了錢。")
    assert panel.risk.isHidden()
    form.fields["customer.name"].setText("王先生")
    form.fields["customer.tier"].set_key("vip")
    qtbot.mouseClick(panel.use_button, Qt.MouseButton.LeftButton)
    assert form.fields["category"].key() == "overcharge"
    case = form.save()
    assert case is not None
    assert (case.category, case.content_class, case.degree, case.customer_tier) == \
        ("overcharge", "price", "critical", "vip")
    form.show_case(case)
    assert form.fields["customer.tier"].key() == "vip"
    assert form.fields["content_class"].key() == "price"
