"""The batch radar on real stores: three different customers about one tenant within the
window make one batch (★★★, level 2, on the watch-list); one customer three times does not;
the same through case import and the `desk` command; confirm and dismiss with a reason."""
from __future__ import annotations

import io
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from desk.app.batches import Batches
from desk.audit import LOG
from desk.batch_model import Batch
from desk.errors import AuthorityError, TransitionError, ValidationError
from desk.model import Case, StatusChange
from tests.conftest import PINS
from tests.helpers import T0, complaint, new_case, store_rows


# The rules run on both back ends in the first tests; the rest on SQLite only, to keep the
# suite fast (the queries are the same).
sqlite_only = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


def customer(n: int) -> dict:
    return dict(customer_name=f"顧客{n}", customer_phone=f"0912-000-{n:03d}")


def three_customers(store, policy, actor, **changes) -> list[str]:
    """Three customers about 好鞋坊 over two days."""
    return [new_case(store, policy, actor, now=T0 + timedelta(days=n // 2, hours=n),
                     **customer(n), **changes) for n in range(3)]


def cases(store, numbers) -> list[Case]:
    with store.read() as session:
        return [session.scalar(select(Case).where(Case.case_no == no)) for no in numbers]


def test_three_customers_same_tenant_in_two_days_make_one_batch(store, policy, team):
    numbers = three_customers(store, policy, team.clerk)
    watch = Batches(store, policy, team.gm).watch_list()
    assert len(watch) == 1 and watch[0].customers == 3 and watch[0].cases == 3
    assert watch[0].batch_no.startswith("B-") and watch[0].topic == "好鞋坊"
    for case in cases(store, numbers):
        assert (case.severity, case.level) == (3, "level2")
        # the ★★★ limits, counted from when the complaint came in
        assert case.resolution_due == case.received_at + timedelta(hours=policy.sla[3].resolution_h)
    with store.read() as session:
        reasons = session.scalars(select(StatusChange.reason).where(
            StatusChange.to_level == "level2")).all()
        assert sorted(reasons) == [f"batch {watch[0].batch_no}"] * 3
        logged = session.execute(select(LOG.c.entity, LOG.c.entity_key).where(
            LOG.c.entity.in_(["batch", "batch_member"]))).all()
    assert ("batch", watch[0].batch_no) in logged and len(logged) == 4
    detail = Batches(store, policy, team.supervisor).detail(watch[0].batch_no)
    assert [m.case_no for m in detail.members] == numbers


def test_same_customer_three_times_is_no_batch(store, policy, team):
    numbers = [new_case(store, policy, team.clerk, now=T0 + timedelta(hours=n),
                        customer_name=name) for n, name in enumerate(["李大華", "李先生", "李大華"])]
    assert Batches(store, policy, team.gm).watch_list() == []
    assert {(c.severity, c.level) for c in cases(store, numbers)} == {(1, "preliminary")}


@sqlite_only
def test_outside_the_window_or_another_tenant_is_no_batch(store, policy, team):
    new_case(store, policy, team.clerk, now=T0, **customer(1))
    new_case(store, policy, team.clerk, now=T0 + timedelta(days=8), **customer(2))
    new_case(store, policy, team.clerk, now=T0 + timedelta(days=8), subject_name="別家店",
             complaint="店員態度很差", **customer(3))
    assert Batches(store, policy, team.gm).watch_list() == []


@sqlite_only
def test_one_tenant_name_at_two_malls_of_a_group_is_two_shops(store, policy, team):
    from desk.services import malls
    with store.write(team.ops) as session:
        malls.set_mall(session, policy, team.ops, "KH", "高雄店", ["K1"])
        malls.set_mall(session, policy, team.ops, "TP", "台北店", ["T1"])
    for n, desk in enumerate(["K1", "T1", "K1"]):
        new_case(store, policy, team.clerk, now=T0 + timedelta(hours=n), desk=desk, **customer(n))
    assert Batches(store, policy, team.gm).watch_list() == []
    new_case(store, policy, team.clerk, now=T0 + timedelta(hours=5), desk="K1", **customer(5))
    assert [b.cases for b in Batches(store, policy, team.gm).watch_list()] == [3]


@sqlite_only
def test_shared_key_words_across_scripts_make_a_batch(store, policy, team):
    texts = ["三樓電梯故障卡住十分鐘沒人處理", "三楼电梯故障卡住了，很久才有人来", "電梯故障卡住，小孩嚇哭"]
    for n, text in enumerate(texts):
        new_case(store, policy, team.clerk, now=T0 + timedelta(hours=n), category="facility",
                 subject_kind="facility", subject_name=None, complaint=text, **customer(n))
    watch = Batches(store, policy, team.gm).watch_list()
    assert len(watch) == 1 and watch[0].basis == "keywords" and "電梯故障卡住" in watch[0].topic


@sqlite_only
def test_a_fourth_customer_joins_and_a_dismissed_batch_does_not_come_back(store, policy, team):
    three_customers(store, policy, team.clerk)
    door = Batches(store, policy, team.supervisor)
    batch_no = door.watch_list()[0].batch_no
    fourth = new_case(store, policy, team.clerk, now=T0 + timedelta(days=2), **customer(4))
    assert door.detail(batch_no).batch.customers == 4
    assert cases(store, [fourth])[0].severity == 3
    door.dismiss(batch_no, "同一批鞋已全數下架，個別處理")
    fifth = new_case(store, policy, team.clerk, now=T0 + timedelta(days=3), **customer(5))
    assert door.watch_list() == [] and cases(store, [fifth])[0].severity == 1
    assert len(door.watch_list(include_decided=True)) == 1


def test_confirm_and_dismiss_need_the_privilege_and_a_reason(store, policy, team):
    three_customers(store, policy, team.clerk)
    batch_no = Batches(store, policy, team.gm).watch_list()[0].batch_no
    before = store_rows(store)
    clerk = Batches(store, policy, team.clerk)
    with pytest.raises(AuthorityError):
        clerk.watch_list()
    with pytest.raises(AuthorityError):
        clerk.detail(batch_no)
    with pytest.raises(AuthorityError):
        clerk.confirm(batch_no, "看起來是同一批貨")
    with pytest.raises(ValidationError) as refused:
        Batches(store, policy, team.supervisor).confirm(batch_no, "  ")
    assert refused.value.field == "reason"
    assert store_rows(store) == before
    detail = Batches(store, policy, team.supervisor).confirm(batch_no, "同一批貨，通知廠商")
    assert (detail.batch.status, detail.batch.decided_by) == ("confirmed", team.supervisor.name)
    with pytest.raises(TransitionError):
        Batches(store, policy, team.gm).dismiss(batch_no, "改變主意")
    with store.read() as session:
        after = session.execute(select(LOG.c.staff_no, LOG.c.after).where(
            LOG.c.entity == "batch", LOG.c.action == "update")).all()
    assert [(s, json.loads(a)["status"]) for s, a in after] == [("S001", "confirmed")]


@sqlite_only
def test_the_preview_says_it_before_saving(store, policy, team):
    door = Batches(store, policy, team.clerk)
    draft = complaint(received_at=T0 + timedelta(days=1), **customer(9))
    assert door.preview(draft) is None
    for n in range(2):
        new_case(store, policy, team.clerk, now=T0 + timedelta(hours=n), **customer(n))
    hint = door.preview(draft)
    assert (hint.batch_no, hint.others, hint.customers, hint.makes_batch) == (None, 2, 3, True)
    assert door.preview(complaint(received_at=T0 + timedelta(days=1), **customer(0))).others == 1
    new_case(store, policy, team.clerk, now=T0 + timedelta(hours=5), **customer(2))
    hint = door.preview(draft)
    assert hint.batch_no is not None and hint.customers == 4 and hint.others == 3


# --- the `desk` command and case import ---------------------------------------------------------

def document(n: int, *, phone: str | None = None, **changes) -> dict:
    doc = {"desk": "A", "received_at": (T0 + timedelta(hours=n)).isoformat(),
           "channel": "counter", "recorder": "C001",
           "customer": {"name": f"顧客{n}", "phone": phone or f"0912-000-{n:03d}"},
           "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
           "complaint": "鞋子一週就開膠", "request": "換新", "motive": "compensation",
           "severity": 1}
    doc.update(changes)
    return doc


@pytest.fixture
def store_file(tmp_path, policy):
    from desk.store import Store
    from tests.conftest import make_team
    path = tmp_path / "desk.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    make_team(store, policy)
    store.close()
    from desk.cli import main
    assert main(["--db", str(path), "day", "2026-11-22"]) == 0   # the policy in force logged
    return path


def desk(path, capsys, *args, as_staff="C001"):
    from desk.cli import main
    capsys.readouterr()
    status = main(["--db", str(path), "--locale", "en", "--as", as_staff, "--pin",
                   PINS[as_staff], *args])
    out = capsys.readouterr()
    return status, out.out, out.err


def write_docs(tmp_path, docs, name="cases.json"):
    path = tmp_path / name
    path.write_text(json.dumps(docs, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_three_customers_in_one_import_make_a_batch_through_the_command(
        store_file, tmp_path, capsys):
    status, out, err = desk(store_file, capsys, "case", "import",
                            write_docs(tmp_path, [document(n) for n in range(3)]))
    assert status == 0, err
    numbers = out.split()[:3]
    status, out, err = desk(store_file, capsys, "batch", "list")
    assert status == 2 and "watch_list" in err          # a clerk does not see the watch-list
    status, out, _err = desk(store_file, capsys, "batch", "list", "--json", as_staff="A001")
    listed = json.loads(out)
    assert status == 0 and [(b["customers"], b["cases"]) for b in listed] == [(3, 3)]
    batch_no = listed[0]["batch_no"]
    from desk.cli import main
    capsys.readouterr()
    assert main(["--db", str(store_file), "--locale", "en", "batch", "confirm", batch_no,
                 "--reason", "同一批貨", "--as", "S001", "--pin", PINS["S001"]]) == 0
    assert "Confirmed" in capsys.readouterr().out
    pdf = tmp_path / "notice.pdf"
    status, out, err = desk(store_file, capsys, "batch", "notice", batch_no, "-o", str(pdf),
                            "--locale", "zh_TW", as_staff="S001")
    assert status == 0, err
    from pypdf import PdfReader
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 1 and batch_no in text
    assert all(no in text for no in numbers)
    status, out, _err = desk(store_file, capsys, "case", "show", numbers[0])
    assert "★★★" in out


def test_import_can_neither_fake_nor_dodge_a_batch(store_file, tmp_path, capsys):
    from desk.store import Store
    store = Store("sqlite:///" + store_file.as_posix())
    before = store_rows(store)
    store.close()
    fake = document(0, batch="B-20261122-01")
    status, _out, err = desk(store_file, capsys, "case", "import", write_docs(tmp_path, [fake]))
    assert status == 2 and "batch" in err
    # one customer three times in one file: cases, no batch
    same = [document(n, phone="0912-345-678") for n in range(3)]
    store = Store("sqlite:///" + store_file.as_posix())
    assert store_rows(store) == before
    store.close()
    assert desk(store_file, capsys, "case", "import", write_docs(tmp_path, same))[0] == 0
    store = Store("sqlite:///" + store_file.as_posix())
    with store.read() as session:
        assert session.scalars(select(Batch)).all() == []
    store.close()
    # two more customers in a later file: with the first, three customers
    more = [document(n) for n in (5, 6)]
    assert desk(store_file, capsys, "case", "import", write_docs(tmp_path, more, "more.json"))[0] == 0
    status, out, _err = desk(store_file, capsys, "batch", "list", "--json", as_staff="A001")
    assert [(b["customers"], b["cases"]) for b in json.loads(out)] == [(3, 5)]


@sqlite_only
def test_a_day_pack_carries_no_batch(store, policy, team, tmp_path):
    """Batches are found by the store that saves the cases; a pack brings review decisions
    back and nothing else, so a batch written into one changes nothing."""
    from desk import packs
    from tests.test_bypass_packs import _members, _rewrite
    three = [new_case(store, policy, team.clerk, now=T0 + timedelta(hours=n), **customer(n),
                      subject_name=f"店{n}", complaint=f"第{n}件不同的事") for n in range(3)]
    path = tmp_path / "A.deskpack"
    with store.write(team.supervisor) as s:
        packs.export_pack(s, policy, team.supervisor, T0.date(), path, "A",
                          now=T0 + timedelta(hours=8))
    decisions = json.loads(_members(path)["decisions.json"])
    decisions["batches"] = [{"batch_no": "B-20261122-01", "cases": three, "status": "confirmed"}]
    _rewrite(path, {"decisions.json": json.dumps(decisions).encode()}, content_digest=True)
    before = store_rows(store)
    with store.write(team.supervisor) as s:
        packs.import_pack(s, policy, team.supervisor, path, now=T0 + timedelta(hours=9))
    assert store_rows(store) == before


@sqlite_only
@pytest.mark.parametrize("changes", [{}, dict(subject_kind="staff", subject_name=None)])
def test_the_neighbours_of_a_save_are_read_by_range_not_by_mall(store, policy, team,
                                                                 changes):
    """Each alternative of the radar's read (same category; same subject, a tenant or one
    of the staff) is a range of receipt times in its own index: the mall's index alone read
    every case of the mall at every save."""
    from sqlalchemy import event
    if changes:
        changes = dict(changes, subject_staff=team.supervisor.staff_no)
    seen = []

    def keep(_conn, _cursor, statement, parameters, _context, _many):
        if "batch_member" in statement and "LIMIT" in statement:
            seen.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", keep)
    try:
        new_case(store, policy, team.clerk, **customer(1), **changes)
    finally:
        event.remove(store.engine, "before_cursor_execute", keep)
    [(statement, parameters)] = seen
    with store.engine.connect() as conn:
        plan = " / ".join(r[3] for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters))
    assert "MULTI-INDEX OR" in plan and "ix_case_radar_category" in plan, plan
    assert ("ix_case_radar_staff" if changes else "ix_case_radar_subject") in plan, plan
