"""The radar's topic line lists the shared words as the complaints' own language lists
words: Chinese with 、, English with a comma (not "Bought、shop")."""
from __future__ import annotations

from desk.radar_match import complaint_of, topic_of


def _topic(texts: list[str]) -> str:
    group = [complaint_of(id=i, case_no=f"A-{i}", subject_kind=None, subject_name=None,
                          subject_staff_id=None, category="facility", complaint=text,
                          phone=None, member_no=None, name=None)
             for i, text in enumerate(texts)]
    return topic_of(group, None, texts)


def test_english_words_are_listed_with_commas():
    topic = _topic(["The escalator near gate two stopped and the handrail jerked",
                    "Escalator stopped suddenly, handrail jerked my arm",
                    "handrail jerked when the escalator stopped"])
    assert topic and "、" not in topic and ", " in topic


def test_chinese_words_are_listed_with_the_enumeration_comma():
    topic = _topic(["二樓電扶梯突然停止，扶手猛然拉扯", "電扶梯停止時扶手拉扯到手臂",
                    "扶手拉扯，電扶梯停止"])
    assert topic and "、" in topic and ", " not in topic
