"""The lexicon and the intake's suggestions: category, content class, degree and severity
from a complaint in any of the three languages; escalation-risk words warn and suggest
level 2; the store keeps its own lexicon, changed only by the policy privilege with a reason,
audited with the hash and version before and after; a malformed file is refused naming its
key, through the service and the `desk` command, with nothing written."""
from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import select

from desk.audit import LOG
from desk.classify import suggest
from desk.cli import main
from desk.errors import AuthorityError, ValidationError
from desk.lexicon import parse_lexicon, read_lexicon_text
from desk.store import Store
from desk.store_lexicon import apply_lexicon, ensure_store_lexicon, lexicon_record
from desk.store_policy import ensure_store_policy
from tests.conftest import PINS, make_team
from tests.helpers import store_rows


@pytest.fixture(scope="module")
def lexicon():
    return parse_lexicon(read_lexicon_text())


SAMPLES = [   # text, category, content class, degree, severity
    ("專櫃買的外套洗一次就褪色,店員說不能退貨。", "goods_rights", "quality", "critical", 1),
    ("收银员态度很差,还对我翻白眼。", "service_attitude", "service", "critical", 2),
    ("The escalator has been out of order all week, please fix it.", "facility", "function",
     "constructive", 1),
    ("結帳時同一件商品被刷了兩次,多收了錢。", "overcharge", "price", "critical", 1),
    ("I was charged twice for the same item, this is a scam.", "overcharge", "price",
     "accusatory", 2),
    ("孩子在游戏区被铁架砸到头流血送医,我要告你们。", "safety_legal", "quality", "accusatory", 3),
]


@pytest.mark.parametrize("text, category, content, degree, severity", SAMPLES)
def test_suggestions_in_the_three_languages(lexicon, text, category, content, degree, severity):
    found = suggest(lexicon, text)
    assert (found.category, found.content_class, found.degree, found.severity) == \
        (category, content, degree, severity)


@pytest.mark.parametrize("text, word", [
    ("我要投訴到總公司,還要找記者。", "記者"), ("我要投诉到12315。", "12315"),
    ("消保官會知道這件事。", "消保官"), ("I have called my lawyer about this.", "lawyer"),
])
def test_a_risk_word_warns_and_suggests_level_2(lexicon, text, word):
    found = suggest(lexicon, text)
    assert found.escalation_risk and word in found.risk_words
    assert found.level == "level2" and found.severity >= 2


def test_words_are_matched_whole_not_inside_another(lexicon):
    """告 (to sue) is a risk word; 公告 (a notice) and 警告 (a warning) are not."""
    assert not suggest(lexicon, "公告上寫的時間和現場不一樣,警告標示也看不清楚。").escalation_risk
    assert suggest(lexicon, "").category is None


def test_the_suggestions_are_decent_on_text_written_apart(lexicon):
    """The honest figure (bench/bench_classify.py prints it with the demo data's)."""
    import tomllib
    from pathlib import Path
    samples = tomllib.loads((Path(__file__).parent.parent / "bench" /
                             "classify_samples.toml").read_text("utf-8"))["sample"]
    right = sum(suggest(lexicon, s["text"]).category == s["category"] for s in samples)
    assert right / len(samples) >= 0.85


@pytest.fixture
def seeded(store, team):
    """A store with its team, its policy and its lexicon (as the first start leaves it)."""
    ensure_store_policy(store)
    ensure_store_lexicon(store)
    return store


def _lexicon_entries(store) -> list:
    with store.engine.connect() as conn:
        return conn.execute(select(LOG.c.staff_no, LOG.c.action, LOG.c.before, LOG.c.after)
                            .where(LOG.c.entity == "store_lexicon").order_by(LOG.c.id)).all()


def test_applying_a_lexicon_is_audited_with_hash_and_version(seeded, policy, team):
    store = seeded
    text = read_lexicon_text().replace("accusatory = 4", "accusatory = 5")
    with store.write(team.ops) as session:
        record = apply_lexicon(session, team.ops, text, "fewer accusatory suggestions")
    assert record.version == 2 and record.set_by == "O001"
    seeded, changed = _lexicon_entries(store)
    assert seeded.staff_no is None and seeded.action == "insert"
    before, after = json.loads(changed.before), json.loads(changed.after)
    assert changed.staff_no == "O001" and changed.action == "update"
    assert (before["version"], after["version"]) == (1, 2)
    assert before["sha256"] != after["sha256"] == record.sha256
    assert after["reason"] == "fewer accusatory suggestions"


BAD = {   # a change to the bundled text, and the key the refusal names
    "weight": (lambda t: t.replace('"騙" = 4', '"騙" = 40'), "negative.騙"),
    "category": (lambda t: t.replace("[categories.tenant]", "[categories.shoes]"),
                 "categories.shoes"),
    "content": (lambda t: t.replace("[content.price]", "[content.cost]"), "content.cost"),
    "threshold": (lambda t: t.replace("critical = 2", 'critical = "two"'),
                  "thresholds.critical"),
    "word": (lambda t: t.replace('"鞋子",', '"",'), "categories.goods_rights.words["),
    "toml": (lambda t: t + "\n[risk\n", "lexicon"),
}


def test_a_malformed_lexicon_is_refused_by_the_service(seeded, policy, team):
    store = seeded
    before = store_rows(store)
    for bad, (change, key) in BAD.items():
        with pytest.raises(ValidationError) as err, store.write(team.ops) as session:
            apply_lexicon(session, team.ops, change(read_lexicon_text()), "a change")
        assert err.value.field.startswith(key), bad
    assert store_rows(store) == before


def test_only_the_policy_privilege_changes_the_lexicon(seeded, policy, team):
    store = seeded
    text = read_lexicon_text().replace("accusatory = 4", "accusatory = 5")
    before = store_rows(store)
    for who in (team.clerk, team.supervisor, team.manager):
        with pytest.raises(AuthorityError), store.write(who) as session:
            apply_lexicon(session, who, text, "a change")
    with pytest.raises(ValidationError) as err, store.write(team.ops) as session:
        apply_lexicon(session, team.ops, read_lexicon_text(), "the same again")
    assert err.value.field == "lexicon"
    assert store_rows(store) == before


@pytest.fixture(scope="module")
def base_db(tmp_path_factory, policy):
    path = tmp_path_factory.mktemp("lexicon") / "desk.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    make_team(store, policy)
    store.close()
    assert main(["--db", str(path), "lexicon", "show"]) == 0   # seeded, logged
    return path


def _desk(db, capsys, *args, as_staff="O001"):
    capsys.readouterr()
    status = main(["--db", str(db), "--locale", "en", "--as", as_staff, "--pin",
                   PINS[as_staff], *args])
    out = capsys.readouterr()
    return status, out.out, out.err.strip().splitlines()


def test_a_malformed_lexicon_is_refused_by_the_command(base_db, tmp_path, capsys):
    db = tmp_path / "desk.sqlite3"
    db.write_bytes(base_db.read_bytes())
    before = db.read_bytes()
    for bad in ("weight", "category", "toml"):
        change, key = BAD[bad]
        path = tmp_path / f"{bad}.toml"
        path.write_text(change(read_lexicon_text()), encoding="utf-8")
        for action in (["check", str(path)], ["apply", str(path), "--reason", "x"]):
            status, _out, err = _desk(db, capsys, "lexicon", *action)
            assert status == 2 and len(err) == 1 and err[0].startswith(f"error: {key}"), err
    assert db.read_bytes() == before


def test_the_command_applies_shows_and_suggests(base_db, tmp_path, capsys):
    db = tmp_path / "desk.sqlite3"
    db.write_bytes(base_db.read_bytes())
    path = tmp_path / "lexicon.toml"
    path.write_text(read_lexicon_text().replace("accusatory = 4", "accusatory = 5")
                    .replace('"媒體", ', '"媒體", "電視台", '), "utf-8")
    status, out, _err = _desk(db, capsys, "lexicon", "check", str(path))
    assert status == 0 and "1 words added, 0 removed" in out
    status, _out, err = _desk(db, capsys, "lexicon", "apply", str(path), "--reason", "x",
                              as_staff="C001")
    assert status == 2 and len(err) == 1 and "lexicon" in err[0], err
    status, out, _err = _desk(db, capsys, "lexicon", "apply", str(path), "--reason", "stricter")
    assert status == 0 and "version 2" in out
    status, out, _err = _desk(db, capsys, "lexicon", "show")
    assert status == 0 and "version 2" in out and "O001" in out and "stricter" in out
    status, out, _err = _desk(db, capsys, "lexicon", "suggest", "我要找記者,還要投訴到12315")
    assert status == 0 and re.search(r"escalation risk: .*記者.*12315", out)
    store = Store("sqlite:///" + db.as_posix())
    try:
        with store.read() as session:
            assert lexicon_record(session).version == 2
    finally:
        store.close()
