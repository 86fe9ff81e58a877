"""``desk db copy``: a desk's SQLite store moved into an empty store (SQLite or PostgreSQL),
verified by counts and hashes, refused or rolled back whole when anything is wrong."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text

from desk import services
from desk.cli import main
from desk.dbcopy import CopyError, canonical_value, copy_store, table_digest
from desk.errors import DomainError
from desk.i18n import set_locale
from desk.demo import fill_demo
from desk.model import Base, Case, Setting
from desk.queries import case_detail
from desk.store import Store
from tests.conftest import fresh_sqlite_store

ADMIN = {"staff_no": "A001", "pin": "730519"}   # the demo general manager

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")   # the messages below are matched in English


@pytest.fixture
def source(tmp_path, policy, sqlite_template):
    """A desk's store with demo cases, a duplicate pointing at a later case, and a setting."""
    st = fresh_sqlite_store(sqlite_template, tmp_path / "desk-a.sqlite3")
    fill_demo(st, policy, 60, today=TODAY)
    with st.write(system="test") as session:
        numbers = session.scalars(select(Case.case_no).order_by(Case.id)).all()
        first, last = numbers[0], numbers[-1]          # points at a row copied after it
        gm = services.actor_for(session, "A001")
        services.link_duplicate(session, first, last, gm, "同一事件")
        session.add(Setting(key="mall_name", value="日昇廣場"))
    yield st
    st.close()


def counts(st: Store) -> dict[str, int]:
    with st.engine.connect() as conn:
        return {t.name: conn.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables}


def test_copy_moves_every_row_and_verifies_both_sides(source, store, policy):
    report = copy_store(source.url, store.url, **ADMIN)

    assert report.ok and report.rows == sum(counts(source).values())
    assert counts(store) == counts(source)
    assert {c.table for c in report.tables} >= {"complaint_case", "offer", "step_record"}
    with source.read() as a, store.read() as b:
        numbers = a.scalars(select(Case.case_no).order_by(Case.id)).all()
        for case_no in numbers:
            assert case_detail(a, case_no) == case_detail(b, case_no)
        assert case_detail(b, numbers[0]).duplicate_of == numbers[-1]


def test_the_audit_chain_still_verifies_in_the_copy(source, store):
    from desk import audit
    copy_store(source.url, store.url, **ADMIN)
    with source.read() as a, store.read() as b:
        before, after = audit.verify(a), audit.verify(b)
    # Demo cases are bulk-inserted without audit entries, so both sides report them alike.
    assert after.findings == before.findings
    assert not [f for f in after.findings if f.kind in ("gap", "link", "hash")]
    assert (after.entries, after.head) == (before.entries, before.head) and after.entries > 0


def test_the_copied_store_takes_new_cases_after_the_copied_ids(source, store, policy):
    copy_store(source.url, store.url, **ADMIN)
    with store.read() as session:
        top = session.scalar(select(func.max(Case.id)))
        clerk = services.actor_for(session, "C001")
        last_seq = session.scalar(select(func.max(Case.seq)).where(Case.desk == "A",
                                                                  Case.day == TODAY))
    received = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
    with store.write(system="test") as session:
        case = services.take_complaint(session, policy, clerk, services.CaseInput(
            desk="A", channel="phone", customer_name="周先生", category="facility",
            complaint="停車場照明不足", motive="vent", severity=1, subject_kind="facility",
            received_at=received), now=received + timedelta(minutes=1))
        assert case.id == top + 1
        assert case.seq == (last_seq or 0) + 1


def test_a_store_that_holds_data_is_refused(source, store):
    copy_store(source.url, store.url, **ADMIN)
    before = counts(store)
    with pytest.raises(CopyError, match="already holds data"):
        copy_store(source.url, store.url, **ADMIN)
    assert counts(store) == before


def test_a_copy_that_fails_half_way_leaves_the_target_empty(source, store):
    def stop_after_cases(table: str, rows: int) -> None:
        if table == "complaint_case":
            raise KeyboardInterrupt  # the clerk pressed Ctrl+C
    with pytest.raises(KeyboardInterrupt):
        copy_store(source.url, store.url, **ADMIN, progress=stop_after_cases)
    assert set(counts(store).values()) == {0}


def test_copying_a_store_onto_itself_is_refused(source):
    with pytest.raises(CopyError, match="the same store"):
        copy_store(source.url, source.url, **ADMIN)


def test_the_digest_sees_one_changed_character(source):
    table = Base.metadata.tables["complaint_case"]
    with source.engine.connect() as conn:
        rows, before = table_digest(conn, table)
        conn.execute(text("UPDATE complaint_case SET complaint = complaint || '.' WHERE id = 7"))
        assert table_digest(conn, table) != (rows, before)
        conn.rollback()


def test_values_have_one_spelling_whichever_database_returned_them():
    assert canonical_value(Decimal("2980.00")) == canonical_value(Decimal("2980")) == "2980"
    assert canonical_value(Decimal("12.50")) == "12.5"
    assert canonical_value(Decimal("0.00")) == "0"
    taipei = timezone(timedelta(hours=8))
    aware = datetime(2026, 11, 20, 11, 0, tzinfo=taipei)
    assert canonical_value(aware) == canonical_value(datetime(2026, 11, 20, 3, 0))
    assert canonical_value(True) is True and canonical_value(None) is None


def test_desk_db_copy_command(source, store, capsys):
    code = main(["--locale", "en", "--as", "A001", "--pin", "730519", "db", "copy", "--from", source.url, "--to", store.url])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "copy verified" in out.out and "complaint_case" in out.out
    assert main(["--locale", "en", "--as", "A001", "--pin", "730519", "db", "copy", "--from", source.url, "--to", store.url]) == 2
    assert "already holds data" in capsys.readouterr().err


def test_an_unreachable_server_is_one_clear_error(source):
    with pytest.raises(DomainError, match="cannot be reached"):
        copy_store(source.url, "postgresql+psycopg://desk@127.0.0.1:1/complaints", **ADMIN)
