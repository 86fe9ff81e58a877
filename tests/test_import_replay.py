"""A fast import changes nothing: an imported case is the case a clerk enters event by event,
a refused batch leaves the store as it was, and the audit chain holds after a big import."""
import hashlib
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, select

from desk import services
from desk.audit import LOG, comparable, verify
from desk.casedoc import export_case, read_documents
from desk.casedoc_import import import_documents, import_file
from desk.demo import DEMO_STAFF, fill_demo
from desk.errors import DomainError
from desk.model import Case, Staff
from desk.store import Store
from tests.conftest import PINS as TEAM_PINS, make_team
from tests.helpers import store_rows

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "closed-case.json"


def at(text: str) -> datetime:
    return datetime.fromisoformat(f"2026-11-22T{text}:00+08:00")


# The example is imported after its closure: its grant is made then (the day limit counts the
# day a grant is made), so the clerk at the counter makes the offer at that time too.
IMPORTED_AT = at("18:30")


def clerk_enters_the_example(store, policy, team) -> str:
    """docs/examples/closed-case.json by hand at the counter, every event its own unit of work."""
    clerk = team.clerk
    with store.write(system="test") as s:
        case_no = services.take_complaint(s, policy, clerk, services.CaseInput(
            desk="A", channel="counter", customer_name="李大華", customer_phone="0912-345-678",
            subject_kind="tenant", subject_name="好鞋坊", category="goods_rights",
            complaint="鞋子一週就開膠", request="換新", motive="compensation", severity=1,
            content_class="quality", degree="critical", customer_tier="vip",
            received_at=at("14:05")), now=at("14:05")).case_no
    calls = [
        lambda s: services.record_step(s, policy, case_no, clerk, "listen", now=at("14:10")),
        lambda s: services.record_step(s, policy, case_no, clerk, "thank", now=at("14:11")),
        lambda s: services.record_step(s, policy, case_no, clerk, "apologise", now=at("14:12")),
        lambda s: services.record_step(s, policy, case_no, clerk, "commit", now=at("14:13"),
                                       promised_reply_at=at("16:00")),
        lambda s: services.record_step(s, policy, case_no, clerk, "propose", now=at("14:14")),
        lambda s: services.make_offer(s, policy, case_no, clerk, "voucher", "800",
                                      serials=("V1001",), approver=team.supervisor,
                                      now=IMPORTED_AT),
        lambda s: services.record_answer(s, policy, case_no, 1, clerk, "accepted",
                                         now=at("14:16")),
        lambda s: services.record_step(s, policy, case_no, clerk, "confirm", now=at("14:20")),
        lambda s: services.resolve(s, policy, case_no, clerk, "禮券800元", "founded",
                                   now=at("14:21")),
        lambda s: services.close(s, policy, case_no, team.supervisor, recipient_name="李大華",
                                 now=at("18:00")),
    ]
    for call in calls:
        with store.write(system="test") as s:
            call(s)
    return case_no


def logged(store, case_no: str) -> list[tuple]:
    """The audit entries about a case, without what differs by nature (clock, salts, and
    the time an imported offer's document gave, which the counter has no need to state)."""
    with store.read() as s:
        rows = s.execute(select(LOG).where(LOG.c.case_no == case_no).order_by(LOG.c.id)).all()
    return [(r.entity, r.entity_key, r.action, r.staff_no,
             _unstated(comparable(json.loads(r.before) if r.before else None)),
             _unstated(comparable(json.loads(r.after) if r.after else None))) for r in rows]


def _unstated(state: dict) -> dict:
    return {k: v for k, v in state.items() if k != "stated_at"}


def test_an_imported_case_is_the_case_a_clerk_enters_event_by_event(store, policy, team,
                                                                     tmp_path):
    counter = Store("sqlite:///" + (tmp_path / "counter.sqlite3").as_posix())
    try:
        by_hand = clerk_enters_the_example(counter, policy, make_team(counter, policy))
        with counter.read() as s:
            entered = export_case(s, by_hand)
        clerk = services.sign_in(store, policy, "C001", TEAM_PINS["C001"])
        imported = import_file(store, policy, clerk, read_documents(EXAMPLE),
                               now=IMPORTED_AT)[0].case_no
        with store.read() as s:
            again = export_case(s, imported)
        assert again["offers"][0]["at"] == "2026-11-22T06:15:00+00:00"   # as the document said
        again["offers"][0]["at"] = entered["offers"][0]["at"]
        assert again == entered
        assert imported == by_hand
        # Entries written by one flush may come in another order (the session's own order
        # of its changed objects); each entry is the same.
        assert sorted(logged(store, imported), key=repr) == sorted(logged(counter, by_hand),
                                                                   key=repr)
        assert len(logged(store, imported)) > 20
    finally:
        counter.close()


# --- a realistic batch: demo cases exported, moved back in time, imported --------------------

TODAY = date(2026, 11, 20)
PINS = {staff_no: pin for staff_no, _name, _role, pin in DEMO_STAFF}


def _shifted(value, delta: timedelta):
    if isinstance(value, dict):
        return {k: _shifted(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [_shifted(v, delta) for v in value]
    if isinstance(value, str) and len(value) >= 19 and value[4] == "-" and value[10] == "T":
        return (datetime.fromisoformat(value) + delta).isoformat()
    return value


def demo_documents(store, policy, n: int) -> list[dict]:
    """``n`` demo cases of the store as documents for days long before, approvals with PINs
    (imported as migrated history, which needs none, they are still checked)."""
    with store.read() as s:
        numbers = s.scalars(select(Case.case_no).order_by(Case.id).limit(n)).all()
        docs = [export_case(s, no) for no in numbers]
    for i, doc in enumerate(docs):
        docs[i] = doc = _shifted(doc, -timedelta(days=90))
        doc.pop("case_no")
        doc.pop("duplicate_of", None)
        for offer in doc.get("offers") or ():
            if isinstance(offer.get("approval"), dict):
                offer["approval"]["pin"] = PINS[offer["approval"]["by"]]
    return docs


def snapshot(store, *, pin_counts: bool = True) -> dict:
    """Every row of every table; without ``pin_counts`` the staff's wrong-PIN counters and
    the log entries of those are left out."""
    return store_rows(store, pin_counts=pin_counts)


def operations_manager(store, policy) -> services.Actor:
    """The importer of migrated history, signed in."""
    return services.sign_in(store, policy, "O001", PINS["O001"])


@pytest.fixture
def demo_store(store, policy):
    fill_demo(store, policy, 120, per_day=60, today=TODAY)
    return store


def test_a_big_import_keeps_the_audit_chain_whole(demo_store, policy):
    docs = demo_documents(demo_store, policy, 120)
    assert sum(1 for d in docs for o in d["offers"] if o.get("approval")) >= 3
    done = import_file(demo_store, policy, operations_manager(demo_store, policy), docs,
                       migrated=True)
    assert len(done) == 120
    with demo_store.read() as s:
        report = verify(s)
    assert report.ok, [f.message for f in report.findings[:3]]
    with demo_store.read() as s:   # every imported case equals its document, times moved
        again = [export_case(s, d.case_no) for d in done[:20]]
    for doc, case in zip(docs, again):
        assert case["steps"] == doc["steps"] and case["history"] == doc["history"]


@pytest.mark.parametrize("spoil", ["wrong_pin", "closed_day", "bad_step"])
def test_a_refused_batch_leaves_the_store_exactly_as_it_was(demo_store, policy, tmp_path,
                                                            spoil):
    docs = demo_documents(demo_store, policy, 60)
    approved = next(i for i, d in enumerate(docs) if any(o.get("approval") for o in d["offers"]))
    if spoil == "wrong_pin":
        spoilt = approved
        next(o for o in docs[spoilt]["offers"] if o.get("approval"))["approval"]["pin"] = "0000"
    elif spoil == "bad_step":
        spoilt = 59
        docs[spoilt]["steps"][2]["step"] = "confirm"   # out of order
    else:   # the last document's day was closed after review: its first case is refused
        from desk.review_model import DayClose

        def desk_day(doc):
            return doc["desk"], datetime.fromisoformat(doc["received_at"]).astimezone(
                policy.tz).date()
        desk, day = desk_day(docs[59])
        spoilt = next(i for i, d in enumerate(docs) if desk_day(d) == (desk, day))
        with demo_store.write(system="test") as s:
            s.add(DayClose(desk=desk, day=day, closed_at=datetime.now(policy.tz),
                           closed_by_id=services.actor_for(s, "S001").id, cases=0))
    importer = operations_manager(demo_store, policy)
    counted = spoil == "wrong_pin"   # a wrong PIN counts toward lock-out, as at sign-in
    before = snapshot(demo_store, pin_counts=not counted)
    file_before = _file_digest(demo_store)
    with pytest.raises(DomainError) as err:
        import_file(demo_store, policy, importer, docs, migrated=True)
    assert err.value.values["index"] == spoilt + 1
    assert snapshot(demo_store, pin_counts=not counted) == before
    if counted:
        with demo_store.read() as s:
            assert sum(s.scalars(select(Staff.failed_pins))) == 1
    else:
        assert _file_digest(demo_store) == file_before
    with demo_store.read() as s:
        assert verify(s).ok


def _file_digest(store) -> str | None:
    """The SQLite file's bytes after a checkpoint (None on PostgreSQL)."""
    if store.path is None:
        return None
    with store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return hashlib.sha256(store.path.read_bytes()).hexdigest()


def test_an_import_asks_for_each_staff_member_and_day_once(demo_store, policy):
    docs = demo_documents(demo_store, policy, 30)
    statements = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    for doc in docs:   # migrated history needs no PINs: this counts the import's own reads
        for offer in doc["offers"]:
            if isinstance(offer.get("approval"), dict):
                offer["approval"].pop("pin", None)
    importer = operations_manager(demo_store, policy)
    event.listen(demo_store.engine, "before_cursor_execute", seen)
    try:
        with demo_store.write(importer) as s:
            import_documents(s, policy, docs, importer, migrated=True)
    finally:
        event.remove(demo_store.engine, "before_cursor_execute", seen)
    selects = [q for q in statements if q.lstrip().upper().startswith("SELECT")]
    staff = [q for q in selects if "FROM staff" in q and "JOIN" not in q]
    days = {(d["desk"], datetime.fromisoformat(d["received_at"]).astimezone(policy.tz).date())
            for d in docs}
    assert len(staff) <= len(DEMO_STAFF)
    assert len([q for q in selects if "FROM day_close" in q]) <= len(days)
    assert len([q for q in selects if "FROM audit_log" in q]) <= 1
