"""The two classifications and the member tier on a case: checked at the door (service, case
import, the `desk` command), carried by case documents and day packs, shown on the detail;
a VIP's deadlines are shorter by policy and a VIP never lifts anyone's authority."""
from __future__ import annotations

import json
import re
import zipfile
from datetime import timedelta

import pytest

from desk import packs, services
from desk.casedoc import export_case
from desk.casedoc_import import import_file
from desk.cli import main
from desk.enums import Step
from desk.errors import AuthorityError, ValidationError
from desk.i18n import set_locale
from desk.queries import case_detail
from desk.store import Store
from tests.conftest import PINS, make_team
from tests.helpers import T0, complaint, new_case, store_rows, walk

DOC = {
    "desk": "A", "received_at": "2026-11-22T14:05:00+08:00", "channel": "counter",
    "recorder": "C001", "customer": {"name": "李大華", "phone": "0912-345-678", "tier": "vip"},
    "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
    "complaint": "鞋子一週就開膠", "request": "換新", "motive": "compensation", "severity": 1,
    "content_class": "quality", "degree": "critical",
}
# each hole: what the document says, and the field the refusal names
HOLES = {
    "content": ({"content_class": "taste"}, "content_class"),
    "degree": ({"degree": "furious"}, "degree"),
    "tier": ({"customer": {"name": "李大華", "tier": "platinum"}}, "customer.tier"),
}


def test_the_clerk_s_choices_are_kept_and_shown(store, policy, team):
    no = new_case(store, policy, team.clerk, content_class="quality", degree="accusatory",
                  customer_tier="member")
    with store.read() as session:
        detail = case_detail(session, no)
    assert (detail.content_class, detail.degree, detail.customer_tier) == \
        ("quality", "accusatory", "member")
    plain = new_case(store, policy, team.clerk)     # not classified yet, not a member
    with store.read() as session:
        detail = case_detail(session, plain)
    assert (detail.content_class, detail.degree, detail.customer_tier) == (None, None, "none")


def test_a_bad_classification_or_tier_is_refused_by_the_service(store, policy, team):
    before = store_rows(store)
    for hole, (change, field) in HOLES.items():
        values = {"content_class": change.get("content_class"), "degree": change.get("degree"),
                  "customer_tier": change.get("customer", {}).get("tier")}
        with pytest.raises(ValidationError) as err, store.write(team.clerk) as session:
            services.take_complaint(session, policy, team.clerk,
                                    complaint(**{k: v for k, v in values.items() if v}), now=T0)
        assert err.value.field == field, hole
    assert store_rows(store) == before


def test_classifications_and_tier_round_trip_through_a_case_document(store, policy, team):
    done = import_file(store, policy, team.clerk, [dict(DOC)])
    with store.read() as session:
        doc = export_case(session, done[0].case_no)
    assert (doc["content_class"], doc["degree"], doc["customer"]["tier"]) == \
        ("quality", "critical", "vip")
    again = dict(doc)
    for key in ("case_no", "status", "history", "validity"):
        again.pop(key)
    second = import_file(store, policy, team.clerk, [again])
    with store.read() as session:
        detail = case_detail(session, second[0].case_no)
    assert (detail.content_class, detail.degree, detail.customer_tier) == \
        ("quality", "critical", "vip")


def test_a_day_pack_carries_the_classifications(store, policy, team, tmp_path):
    no = new_case(store, policy, team.clerk, content_class="price", degree="constructive",
                  customer_tier="vip")
    path = tmp_path / "A.deskpack"
    with store.write(team.supervisor) as session:
        packs.export_pack(session, policy, team.supervisor, T0.date(), path, "A",
                          now=T0 + timedelta(hours=6))
    with zipfile.ZipFile(path) as zf:
        doc = json.loads(zf.read(f"cases/{no}.json"))
    assert (doc["content_class"], doc["degree"], doc["customer"]["tier"]) == \
        ("price", "constructive", "vip")


@pytest.fixture(scope="module")
def base_db(tmp_path_factory, policy):
    path = tmp_path_factory.mktemp("classes") / "desk.sqlite3"
    store = Store("sqlite:///" + path.as_posix())
    make_team(store, policy)
    store.close()
    assert main(["--db", str(path), "day", "2026-11-22"]) == 0   # the policy in force logged
    return path


def test_a_bad_classification_or_tier_is_refused_by_case_import(base_db, tmp_path, capsys):
    db = tmp_path / "desk.sqlite3"
    db.write_bytes(base_db.read_bytes())
    before = db.read_bytes()
    for hole, (change, field) in HOLES.items():
        path = tmp_path / f"{hole}.json"
        path.write_text(json.dumps([{**DOC, **change}], ensure_ascii=False), encoding="utf-8")
        capsys.readouterr()
        status = main(["--db", str(db), "--locale", "en", "--as", "C001", "--pin",
                       PINS["C001"], "case", "import", str(path)])
        lines = capsys.readouterr().err.strip().splitlines()
        assert status == 2 and len(lines) == 1 and f"{field}:" in lines[0], lines
    assert db.read_bytes() == before


def test_a_vip_s_deadlines_are_shorter_by_policy(store, policy, team):
    plain = new_case(store, policy, team.clerk, channel="email")
    vip = new_case(store, policy, team.clerk, channel="email", customer_tier="vip")
    with store.read() as session:
        a, b = case_detail(session, plain), case_detail(session, vip)
    sla, tier = policy.sla[1], policy.tiers["vip"]
    assert tier.resolution_percent < 100 and tier.first_contact_percent < 100
    assert a.resolution_due - a.received_at == timedelta(hours=sla.resolution_h)
    assert b.resolution_due - b.received_at == \
        timedelta(hours=sla.resolution_h) * tier.resolution_percent / 100
    assert b.first_contact_due - b.received_at == \
        timedelta(hours=sla.first_contact_h) * tier.first_contact_percent / 100
    assert b.statutory_due == a.statutory_due      # the law's limit is the same for everyone


def test_a_raised_severity_keeps_the_vip_s_shorter_limits(store, policy, team):
    vip = new_case(store, policy, team.clerk, customer_tier="vip")
    with store.write(team.ops) as session:
        services.escalate(session, policy, vip, team.ops, "level1", "serious after all",
                          severity=2, now=T0 + timedelta(minutes=5))
    with store.read() as session:
        detail = case_detail(session, vip)
    assert detail.resolution_due - detail.received_at == \
        timedelta(hours=policy.sla[2].resolution_h) * policy.tiers["vip"].resolution_percent / 100


def test_a_vip_never_lifts_anyone_s_authority(store, policy, team):
    """A clerk may grant 500; a VIP customer's case changes nothing of it."""
    limit = policy.roles["clerk"].per_case
    for tier in ("none", "vip"):
        no = new_case(store, policy, team.clerk, customer_tier=tier)
        walk(store, policy, no, team.clerk, Step.PROPOSE)
        before = store_rows(store)
        with pytest.raises(AuthorityError), store.write(team.clerk) as session:
            services.make_offer(session, policy, no, team.clerk, "voucher", limit + 1,
                                serials=("V1",), now=T0 + timedelta(minutes=30))
        assert store_rows(store) == before
        with pytest.raises(AuthorityError), store.write(team.clerk) as session:
            services.make_offer(session, policy, no, team.clerk, "cash", 100,
                                now=T0 + timedelta(minutes=30))
        assert store_rows(store) == before


def test_the_weekly_table_counts_both_classifications_and_the_tiers(store, policy, team):
    from desk.reports.stats import week_stats
    from desk.reports.tables import build_tables
    new_case(store, policy, team.clerk, content_class="quality", degree="critical",
             customer_tier="vip")
    new_case(store, policy, team.clerk, content_class="quality", degree="accusatory")
    new_case(store, policy, team.clerk)
    with store.read() as session:
        stats = week_stats(session, policy, T0.date(), now=T0 + timedelta(hours=1))
    counts = lambda rows: {c.key: c.count for c in rows}   # noqa: E731
    assert counts(stats.by_content) == {"quality": 2, "unclassified": 1}
    assert counts(stats.by_degree) == {"critical": 1, "accusatory": 1, "unclassified": 1}
    assert counts(stats.by_tier) == {"none": 2, "vip": 1}
    set_locale("en")
    tables = {t.key: t for t in build_tables(stats, policy)}
    assert [row[:2] for row in tables["degree"].rows] == \
        [("Critical", 1), ("Accusatory", 1), ("Not classified", 1)]
    assert [row[:2] for row in tables["tier"].rows] == [("Not a member", 2), ("VIP", 1)]


def test_desk_case_show_prints_the_classifications_and_the_tier(base_db, tmp_path, capsys):
    db = tmp_path / "desk.sqlite3"
    db.write_bytes(base_db.read_bytes())
    path = tmp_path / "doc.json"
    path.write_text(json.dumps([DOC], ensure_ascii=False), encoding="utf-8")
    args = ["--db", str(db), "--locale", "en", "--as", "C001", "--pin", PINS["C001"]]
    assert main(args + ["case", "import", str(path)]) == 0
    case_no = re.search(r"[A-Z]-\d{8}-\d{4}", capsys.readouterr().out).group(0)
    assert main(args + ["case", "show", case_no]) == 0
    out = capsys.readouterr().out
    assert "Member tier: VIP" in out and "Classification: Quality · Critical" in out
