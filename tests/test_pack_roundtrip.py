"""Day packs: export at the desk, review on another PC with no store, import back -- idempotent,
conflicts left alone, altered packs refused with nothing written."""
from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from desk import audit, packs
from desk import review as rv
from desk.errors import TransitionError
from desk.model import Case
from desk.review_model import DayClose, Review
from desk.services import handling
from desk.pack_review import PackReview
from desk.store import Store
from tests.conftest import PINS
from tests.review_support import at, make_case

DAY = "2026-11-16"
LATE = at(DAY, "21:30")
NEXT = LATE + timedelta(hours=11)


@pytest.fixture
def exported(store, policy, team, tmp_path):
    closed = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="closed",
                       closer=team.supervisor, offer=("voucher", "300", ["V1"]))
    resolved = make_case(store, policy, team.clerk, at(DAY, "11:00"), stage="resolved")
    active = make_case(store, policy, team.clerk, at(DAY, "12:00"), stage="in_progress")
    path = tmp_path / "pack" / f"A-{DAY}.deskpack"
    with store.write(team.supervisor) as s:
        summary = packs.export_pack(s, policy, team.supervisor, LATE.date(), path, "A",
                                    now=LATE)
    return path, summary, (closed, resolved, active)


def _state(store) -> tuple:
    """Everything an import could change: reviews, case versions and statuses, closes."""
    with store.read() as s:
        return (s.scalar(select(func.count(Review.id))),
                tuple(s.execute(select(Case.case_no, Case.version, Case.status)
                                .order_by(Case.id)).all()),
                s.scalar(select(func.count(DayClose.id))))


def test_the_pack_holds_documents_forms_and_a_manifest_of_digests(exported):
    path, summary, cases = exported
    assert summary.cases == 3
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
        for name, digest in manifest["files"].items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
        doc = json.loads(zf.read(f"cases/{cases[0]}.json"))
        assert zf.read(f"forms/{cases[0]}.pdf").startswith(b"%PDF")
    assert names == {"manifest.json", "signature.json", "decisions.json", "reviewers.json"} | {
        f"{kind}/{no}.{ext}" for no in cases for kind, ext in (("cases", "json"), ("forms", "pdf"))}
    assert doc["format"] == "complaint-desk/case@1" and doc["case_no"] == cases[0]
    assert manifest["day"] == DAY and manifest["desk"] == "A"


def _review_offline(path, policy, cases, *, close=True):
    closed, resolved, active = cases
    review = PackReview(path, policy)     # no store anywhere near
    assert review.review_day().unreviewed == 3
    review.sign_in("S001", PINS["S001"])
    review.decide(closed, "approved", now=LATE)
    review.decide(resolved, "signed_off", now=LATE)
    with pytest.raises(TransitionError):
        review.decide(active, "signed_off", now=LATE)
    review.decide(active, "returned", "Call the tenant back first.", now=LATE)
    assert review.review_day().unreviewed == 1
    if close:
        with pytest.raises(TransitionError):      # a returned, active case keeps it open
            review.request_close("A")
    review.save(now=LATE)
    return review


def test_review_from_the_pack_then_import_and_import_again(store, policy, team, exported):
    path, _summary, cases = exported
    closed, resolved, active = cases
    _review_offline(path, policy, cases)
    reopened = PackReview(path, policy)     # the decisions are in the file
    assert {r.case_no: r.review for r in reopened.rows()} == {
        closed: "approved", resolved: "signed_off", active: "returned"}
    with store.write(system="test") as s:
        report = packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    assert sorted(report.applied) == sorted(cases) and not report.conflicts
    with store.read() as s:
        rows = {r.case_no: r for r in rv.review_rows(s, policy, LATE.date(), "A", now=NEXT)}
    assert rows[resolved].status == "closed" and rows[resolved].review == "signed_off"
    assert rows[active].review == "returned"
    assert rows[active].reviewed_at == LATE      # when the reviewer decided, not imported
    before = _state(store)
    with store.write(system="test") as s:
        again = packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    assert again.applied == [] and sorted(again.already) == sorted(cases)
    assert _state(store) == before
    with store.read() as s:   # the imported decisions continue each row's history
        report = audit.verify(s)
    assert report.ok, report.first and report.first.message


def test_a_day_close_requested_in_the_pack_is_applied_on_import(store, policy, team, tmp_path):
    a = make_case(store, policy, team.clerk, at(DAY, "10:00"), stage="closed",
                  closer=team.supervisor)
    b = make_case(store, policy, team.clerk, at(DAY, "11:00"), stage="resolved")
    path = tmp_path / "day.deskpack"
    with store.write(system="test") as s:
        packs.export_pack(s, policy, team.supervisor, LATE.date(), path, "A", now=LATE)
    review = PackReview(path, policy)
    review.sign_in("S001", PINS["S001"])
    review.decide(a, "approved", now=LATE)
    review.decide(b, "signed_off", now=LATE)
    review.request_close("A")
    review.save(now=LATE)
    with store.write(system="test") as s:
        report = packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    assert report.closed == ["A"]
    with pytest.raises(TransitionError), store.write(system="test") as s:
        handling.add_attachment(s, a, team.clerk, b"photo x", "x.jpg", now=NEXT)
    before = _state(store)
    with store.write(system="test") as s:
        again = packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    assert again.closed == [] and not again.changed and _state(store) == before
    with store.read() as s:
        assert audit.verify(s).ok


def test_a_case_changed_at_the_desk_since_export_is_a_conflict(store, policy, team, exported):
    path, _summary, cases = exported
    closed, resolved, active = cases
    _review_offline(path, policy, cases, close=False)
    with store.write(system="test") as s:      # the desk kept working while the supervisor was away
        handling.record_step(s, policy, active, team.clerk, "confirm", now=NEXT)
    with store.write(system="test") as s:
        report = packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    assert [c for c, _why in report.conflicts] == [active]
    assert sorted(report.applied) == sorted([closed, resolved])
    with store.read() as s:
        history = rv.review_history(s, active)
    assert history == []


def _rewrite(path, name, data: bytes, *, fix_manifest=False):
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[name] = data
    if fix_manifest:
        manifest = json.loads(members["manifest.json"])
        manifest["files"][name] = hashlib.sha256(data).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as zf:
        for n, d in members.items():
            zf.writestr(n, d)


@pytest.mark.parametrize("how", ["decision edited", "case edited", "case edited, manifest too",
                                 "member added", "not a zip"])
def test_an_altered_pack_is_refused_and_nothing_is_written(store, policy, team, exported, how):
    path, _summary, cases = exported
    _review_offline(path, policy, cases, close=False)
    with zipfile.ZipFile(path) as zf:
        decisions = json.loads(zf.read("decisions.json"))
        doc = json.loads(zf.read(f"cases/{cases[2]}.json"))
    if how == "decision edited":
        decisions["decisions"][2]["decision"] = "approved"
        _rewrite(path, "decisions.json", json.dumps(decisions).encode())
    elif how.startswith("case edited"):
        doc["status"] = "closed"
        _rewrite(path, f"cases/{cases[2]}.json", json.dumps(doc).encode(),
                 fix_manifest=how.endswith("too"))
    elif how == "member added":
        _rewrite(path, "cases/extra.json", b"{}")
    else:
        path.write_bytes(b"PK\x03\x04 this is not a pack")
    before = _state(store)
    with pytest.raises(packs.PackError) as err, store.write(system="test") as s:
        packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    assert err.value.message()
    assert _state(store) == before
    with pytest.raises(packs.PackError):         # the reviewer's app refuses it too
        PackReview(path, policy)


def test_only_the_reviewer_imports_and_only_into_the_store_that_exported(
        store, policy, team, exported, tmp_path):
    path, _summary, cases = exported
    _review_offline(path, policy, cases, close=False)
    with pytest.raises(packs.PackError) as err, store.write(system="test") as s:
        packs.import_pack(s, policy, team.supervisor2, path, now=NEXT)
    assert "S001" in str(err.value)
    other = Store("sqlite:///" + (tmp_path / "other.sqlite3").as_posix())
    try:
        with pytest.raises(packs.PackError), other.write(system="test") as s:
            packs.import_pack(s, policy, team.supervisor, path, now=NEXT)
    finally:
        other.close()
