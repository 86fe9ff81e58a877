"""A group of malls on one store: each case keeps the mall whose desk took it, numbers stay
unique, and the weekly figures per mall and for the group come from the same code, through
the service, the `desk` command and case import; a store without malls is unchanged."""
from __future__ import annotations

import io
import sqlite3
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from desk.audit.verify import verify
from desk.casedoc_import import import_file
from desk.errors import AuthorityError, DomainError, ValidationError
from desk.model import Case
from desk.reports.stats import week_stats
from desk.services import malls
from tests.approvals_support import run_cli
from tests.helpers import T0, new_case, store_rows


def group(store, policy, team) -> None:
    with store.write(team.ops) as session:
        malls.set_mall(session, policy, team.ops, "KH", "高雄夢時代", ["K1", "K2"])
        malls.set_mall(session, policy, team.ops, "tp", "台北微風", ["t1"])


def test_a_store_without_malls_keeps_cases_without_one(store, policy, team):
    no = new_case(store, policy, team.clerk)
    with store.read() as session:
        assert session.scalar(select(Case.mall).where(Case.case_no == no)) is None
        stats = week_stats(session, policy, T0.date())
    assert stats.total == 1 and stats.by_mall == () and stats.mall is None


def test_each_case_keeps_its_desks_mall_and_numbers_stay_unique(store, policy, team):
    group(store, policy, team)
    numbers = [new_case(store, policy, team.clerk, desk=d) for d in ("K1", "K2", "K1", "T1")]
    assert numbers[0].startswith("K1-") and numbers[2].endswith("-0002")
    assert len(set(numbers)) == 4
    with store.read() as session:
        by_case = dict(session.execute(select(Case.case_no, Case.mall)).all())
        assert [by_case[n] for n in numbers] == ["KH", "KH", "KH", "TP"]
        kh = week_stats(session, policy, T0.date(), mall="KH")
        tp = week_stats(session, policy, T0.date(), mall="TP")
        whole = week_stats(session, policy, T0.date())
    assert (kh.total, tp.total, whole.total) == (3, 1, 4)
    assert [(c.key, c.count) for c in whole.by_mall] == [("KH", 3), ("TP", 1)]
    assert kh.by_mall == () and {c.key for c in kh.by_desk} == {"K1", "K2"}
    # One code path: the group's table is the malls' tables added up.
    for dim in ("by_category", "by_subject", "by_status"):
        summed: dict = {}
        for part in (kh, tp):
            for c in getattr(part, dim):
                summed[c.key] = summed.get(c.key, 0) + c.count
        assert summed == {c.key: c.count for c in getattr(whole, dim)}


def test_a_desk_no_mall_lists_is_refused_in_a_groups_store(store, policy, team):
    group(store, policy, team)
    before = store_rows(store)
    with pytest.raises(ValidationError) as err:
        new_case(store, policy, team.clerk, desk="Z1")
    assert err.value.field == "desk" and "Z1" in str(err.value)
    assert store_rows(store) == before


def test_only_an_administrator_sets_malls_and_a_desk_serves_one(store, policy, team):
    group(store, policy, team)
    before = store_rows(store)
    for actor, code, desks, error in (
            (team.supervisor, "NEW", ["N1"], AuthorityError),
            (team.ops, "TP", ["K1"], ValidationError),          # K1 serves KH
            (team.ops, "TOO-LONG-CODE", [], ValidationError),
            (team.ops, "NEW", ["k1x"], ValidationError)):       # not a desk code
        with pytest.raises(error):
            with store.write(actor) as session:
                malls.set_mall(session, policy, actor, code, "名字", desks)
    assert store_rows(store) == before


def test_the_command_sets_malls_and_reports_one_mall_or_the_group(store, policy, team,
                                                                  tmp_path, capsys):
    code, out, _err = run_cli(store, "mall", "set", "KH", "--name", "高雄夢時代", "--desk", "K1",
                              as_staff="O001", capsys=capsys)
    assert code == 0 and "KH" in out
    assert run_cli(store, "mall", "set", "TP", "--name", "台北微風", "--desk", "T1",
                   as_staff="O001")[0] == 0
    code, _out, err = run_cli(store, "mall", "set", "XX", "--name", "x", "--desk", "K9",
                              as_staff="C001", capsys=capsys)
    assert code == 2 and "administrator" in err
    for desk in ("K1", "K1", "T1"):
        new_case(store, policy, team.clerk, desk=desk)
    code, out, _err = run_cli(store, "mall", "list", capsys=capsys)
    assert "KH\t高雄夢時代\tK1" in out and "TP\t台北微風\tT1" in out
    pdf = tmp_path / "kh.pdf"
    assert run_cli(store, "report", "week", T0.date().isoformat(), "--mall", "KH", "--out",
                   str(pdf), as_staff="S001")[0] == 0
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "高雄夢時代" in text and "mall KH" in text
    group_csv = tmp_path / "group.csv"
    assert run_cli(store, "report", "week", T0.date().isoformat(), "--out", str(group_csv),
                   as_staff="S001")[0] == 0
    by_mall = (tmp_path / "group-mall.csv").read_text(encoding="utf-8-sig")
    assert "KH,2" in by_mall and "TP,1" in by_mall
    code, _out, err = run_cli(store, "report", "week", T0.date().isoformat(), "--mall", "NOPE",
                              "--out", str(tmp_path / "x.pdf"), as_staff="S001", capsys=capsys)
    assert code == 2 and "mall" in err


def test_an_imported_case_takes_its_desks_mall_or_is_refused(store, policy, team):
    from desk.casedoc import export_case
    group(store, policy, team)
    original = new_case(store, policy, team.clerk, desk="K2")
    with store.read() as session:
        doc = export_case(session, original)
    doc.pop("case_no")
    [done] = import_file(store, policy, team.clerk, [doc], now=T0 + timedelta(hours=1))
    with store.read() as session:
        assert session.scalar(select(Case.mall).where(Case.case_no == done.case_no)) == "KH"
    before = store_rows(store)
    with pytest.raises(DomainError) as err:
        import_file(store, policy, team.clerk, [dict(doc, desk="Q7")], now=T0 + timedelta(hours=1))
    assert "Q7" in str(err.value)
    assert store_rows(store) == before


def test_malls_are_audited_and_an_edit_behind_the_programs_back_is_found(tmp_path, policy):
    from desk.store import Store
    from tests.conftest import make_team
    path = tmp_path / "group.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    team = make_team(store, policy)
    group(store, policy, team)
    with store.read() as session:
        assert verify(session).findings == ()
    store.close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE mall_desk SET mall = 'TP' WHERE desk = 'K2'")
    raw.commit()
    raw.close()
    store = Store("sqlite:///" + path.as_posix())
    with store.read() as session:
        findings = verify(session).findings
    store.close()
    assert [(f.kind, f.entity, f.entity_key) for f in findings] == [("altered", "mall_desk", "K2")]
