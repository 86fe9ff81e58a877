"""Authority and lifecycle holes, attacked through every surface that reaches them: the
services, the `desk` command (case import, review sign-off) and the case document. Each
attempt must be refused with a message naming its field, and leave every table as it was.

Day packs carry review decisions only (never cases or offers); a pack's sign-off is
``review.decide`` -> ``handling.close``, the same call `desk decide` makes, tried below.
"""
from __future__ import annotations

import hashlib
import json
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from desk import services
from desk.errors import AuthorityError, DomainError, ValidationError
from desk.i18n import set_locale
from desk.model import utcnow
from desk.policy import load_policy
from desk.queries import case_detail, load_case
from desk.services.offers import day_total
from desk.store import Store
from tests.conftest import PINS, SQLITE_ONLY, TEAM, Team
from tests.helpers import complaint, desk_cli, store_rows

STEPS = ("listen", "thank", "apologise", "commit", "propose")


@pytest.fixture(autouse=True)
def _english():
    set_locale("en")   # messages are matched in English


# --- the store's whole content ---------------------------------------------------------------

def dump(store) -> dict:
    """Every row of every table: before == after means nothing written."""
    return store_rows(store)


def refused(store, actor, attempt, error=DomainError, field=None, match=None):
    """``attempt(session)`` in a unit of work of ``actor`` must raise ``error`` (naming
    ``field``) and leave every table unchanged."""
    before = dump(store)
    with pytest.raises(error, match=match) as caught:
        with store.write(actor) as session:
            attempt(session)
    if field is not None:
        assert caught.value.field == field, caught.value.message()
    assert dump(store) == before
    return caught.value


# --- times: everything today, close to the real clock -----------------------------------------

def real_now(policy) -> datetime:
    """Now, but never in the first minutes of a local day, so that a few minutes back is
    still today (day limits count the day a grant is made, on the real clock)."""
    now = utcnow()
    into_day = now.astimezone(policy.tz) - now.astimezone(policy.tz).replace(
        hour=0, minute=0, second=0, microsecond=0)
    if into_day < timedelta(minutes=6):
        time.sleep((timedelta(minutes=6) - into_day).total_seconds())
        now = utcnow()
    return now


def people_of(store) -> Team:
    """The conftest team of a store made from the ``desk`` command (one of each role)."""
    with store.read() as s:
        return Team(*[services.actor_for(s, staff_no) for staff_no, _name, _role in TEAM])


def ready_case(store, policy, actor, start: datetime, **changes) -> tuple[str, datetime]:
    """A case taken by ``actor`` at ``start`` and walked to the propose step (10 s apart)."""
    with store.write(actor) as s:
        no = services.take_complaint(s, policy, actor, complaint(received_at=start, **changes),
                                     now=start).case_no
        at = start
        for step in STEPS:
            at += timedelta(seconds=10)
            services.record_step(s, policy, no, actor, step, now=at,
                                 promised_reply_at=at + timedelta(hours=2)
                                 if step == "commit" else None)
    return no, at + timedelta(seconds=10)


def grant(store, policy, actor, amounts, start, approver=None) -> None:
    """``actor`` grants each amount (a voucher) on a case of its own, today."""
    for i, amount in enumerate(amounts):
        no, at = ready_case(store, policy, actor, start)
        with store.write(actor) as s:
            services.make_offer(s, policy, no, actor, "voucher", amount, serials=(f"P{i}",),
                                approver=approver, now=at)


def offer(session, policy, no, actor, amount, at, kind="voucher", **kw):
    serials = ("V1",) if policy.kinds[kind].serials else ()
    return services.make_offer(session, policy, no, actor, kind, amount, serials=serials,
                               now=at, **kw)


def resolved(store, policy, actor, resolver, start, **changes) -> str:
    no, at = ready_case(store, policy, actor, start, **changes)
    with store.write(actor) as s:
        services.record_step(s, policy, no, actor, "confirm", now=at)
    with store.write(resolver) as s:
        services.resolve(s, policy, no, resolver, "settled", "founded", now=at)
    return no


# --- 1. the per-day limit beaten by a second person of the same role --------------------------

def test_a_peer_cannot_approve_past_the_requesters_day_limit(store, policy, team):
    p, start = team, real_now(policy) - timedelta(minutes=5)
    grant(store, policy, p.clerk, ["500"] * 5 + ["320"], start)   # 2,820 of 3,000 today
    no, at = ready_case(store, policy, p.clerk, start)
    alone = refused(store, p.clerk, lambda s: offer(s, policy, no, p.clerk, "400", at),
                    AuthorityError, "amount", "per-day")
    assert alone.needs_role == "supervisor" and "needs approval by Desk supervisor" in str(alone)
    error = refused(store, p.clerk, lambda s: offer(s, policy, no, p.clerk, "400", at,
                                                    approver=p.clerk2),
                    AuthorityError, "approver", "higher role")
    assert "Desk supervisor" in str(error)
    with store.write(p.clerk) as s:   # the control: a supervisor may, and it is on their day
        assert offer(s, policy, no, p.clerk, "400", at, approver=p.supervisor).approval \
            == "approved"
    with store.read() as s:
        assert day_total(s, policy, p.supervisor.id, at) == Decimal(400)
        assert day_total(s, policy, p.clerk.id, at) == Decimal(2820)


def test_an_approver_needs_room_in_their_own_day(store, policy, team):
    p, start = team, real_now(policy) - timedelta(minutes=5)
    grant(store, policy, p.supervisor, ["2000"] * 4 + ["1800"], start)   # 9,800 of 10,000
    no, at = ready_case(store, policy, p.clerk, start)
    error = refused(store, p.clerk, lambda s: offer(s, policy, no, p.clerk, "800", at,
                                                    approver=p.supervisor),
                    AuthorityError, "approver", "own day total")
    assert "Desk supervisor" in str(error)   # another supervisor still could
    with store.write(p.clerk) as s:
        offer(s, policy, no, p.clerk, "800", at, approver=p.supervisor2)


@pytest.mark.parametrize("requester,decider,amount,approve", [
    ("clerk", "clerk2", "800", True), ("clerk", "clerk2", "800", False),
    ("supervisor", "supervisor2", "2500", True), ("supervisor", "supervisor2", "2500", False),
    ("supervisor", "clerk", "2500", False)])
@SQLITE_ONLY
def test_a_pending_offer_is_decided_only_by_a_higher_role(store, policy, team, requester,
                                                          decider, amount, approve):
    p, start = team, real_now(policy) - timedelta(minutes=5)
    who = getattr(p, requester)
    no, at = ready_case(store, policy, who, start)
    with store.write(who) as s:
        offer(s, policy, no, who, amount, at, request_approval=True)
    refused(store, getattr(p, decider), lambda s: services.decide_approval(
        s, policy, no, 1, getattr(p, decider),
                                                      approve, "no", now=at),
            AuthorityError, "approver")
    with store.write(p.manager) as s:   # the control
        services.decide_approval(s, policy, no, 1, p.manager, approve, "no", now=at)


# --- 2. an approval that is not needed ---------------------------------------------------------

NOT_NEEDED = {   # name: (make_offer arguments, field, words)
    "an approver on a supervisor's own 1,800": (dict(approver="ops"), "approver",
                                                "needs no approval"),
    "a refusal on an offer that needs none": (dict(approver="ops", approver_refuses=True),
                                              "approver", "needs no approval"),
    "a refusal with nobody refusing": (dict(approver_refuses=True), "approval",
                                       "no approval to request or refuse"),
    "a request for approval that is not needed": (dict(request_approval=True), "approval",
                                                  "no approval to request or refuse"),
}


@pytest.mark.parametrize("name", list(NOT_NEEDED))
@SQLITE_ONLY
def test_an_approval_that_is_not_needed_is_refused(store, policy, team, name):
    args, field, words = NOT_NEEDED[name]
    args = {k: getattr(team, v) if k == "approver" else v for k, v in args.items()}
    no, at = ready_case(store, policy, team.supervisor, real_now(policy) - timedelta(minutes=5))
    refused(store, team.supervisor,
            lambda s: offer(s, policy, no, team.supervisor, "1800", at, **args),
            ValidationError, field, words)


def test_an_approval_block_says_one_thing(store, policy, team):
    no, at = ready_case(store, policy, team.clerk, real_now(policy) - timedelta(minutes=5))
    refused(store, team.clerk, lambda s: offer(s, policy, no, team.clerk, "800", at,
                                              approver=team.supervisor,
                                              request_approval=True),
            ValidationError, "approval")
    refused(store, team.clerk,
            lambda s: offer(s, policy, no, team.clerk, "800", at, approver_refuses=True),
            ValidationError, "approver")


# --- 3 and 4. who resolves and closes each level, who handles each severity --------------------

@SQLITE_ONLY
def test_who_decides_each_level_and_severity(store, policy, team):
    p, start = team, real_now(policy) - timedelta(minutes=5)
    legal, at = ready_case(store, policy, p.clerk, start, category="safety_legal")
    with store.write(p.clerk) as s:
        services.record_step(s, policy, legal, p.clerk, "confirm", now=at)
    error = refused(store, p.clerk,
                    lambda s: services.resolve(s, policy, legal, p.clerk, "ok", "founded", now=at),
                    AuthorityError, "status", "may not resolve a Level 2 case")
    assert "Operations manager" in str(error)
    refused(store, p.manager,
            lambda s: services.not_accept(s, policy, legal, p.manager, "settled", "x", now=at),
            AuthorityError, "status", "Level 2")
    serious, at = ready_case(store, policy, p.clerk, start, severity=3)
    with store.write(p.clerk) as s:
        services.record_step(s, policy, serious, p.clerk, "confirm", now=at)
    refused(store, p.supervisor,
            lambda s: services.resolve(s, policy, serious, p.supervisor, "ok", "founded", now=at),
            AuthorityError, "status", "★★★")
    both = resolved(store, policy, p.clerk, p.ops, start, category="safety_legal")
    refused(store, p.supervisor, lambda s: services.close(s, policy, both, p.supervisor, now=at),
            AuthorityError, "status", "may not close a Level 2 case")
    with store.write(p.ops) as s:   # the control
        services.close(s, policy, both, p.ops, now=at)


def test_a_named_handler_holds_the_severitys_role(store, policy, team):
    p, start = team, real_now(policy) - timedelta(minutes=5)
    refused(store, p.clerk, lambda s: services.take_complaint(s, policy, p.clerk, complaint(
        severity=2, handler="C002"), now=start), AuthorityError, "handler", "may not handle")
    no, _at = ready_case(store, policy, p.clerk, start)   # the recorder may start any case
    refused(store, p.clerk, lambda s: services.escalate(s, policy, no, p.clerk, "level2", "legal",
                                               severity=3, handler="M001", now=start),
            AuthorityError, "handler", "Operations manager")
    with store.write(p.clerk) as s:
        services.take_complaint(s, policy, p.clerk, complaint(severity=2, handler="O001"),
                                now=start)


# --- 5. an offer beyond the handler raises the level; escalation moves the deadlines -----------

@pytest.mark.parametrize("how", ["approved", "requested"])
@SQLITE_ONLY
def test_an_offer_beyond_the_handler_makes_the_case_level_1(store, policy, team, how):
    no, at = ready_case(store, policy, team.clerk, real_now(policy) - timedelta(minutes=5))
    with store.write(team.clerk) as s:
        offer(s, policy, no, team.clerk, "300", at)   # within the clerk: stays preliminary
        assert load_case(s, no).level == "preliminary"
        args = dict(approver=team.supervisor) if how == "approved" else \
            dict(request_approval=True)
        offer(s, policy, no, team.clerk, "150", at, kind="discount", **args)
    with store.read() as s:
        detail = case_detail(s, no)
    assert detail.level == "level1"
    assert [(h.from_level, h.to_level) for h in detail.history if h.to_level and h.from_level] \
        == [("preliminary", "level1")]


def test_a_refused_offer_leaves_the_level(store, policy, team):
    no, at = ready_case(store, policy, team.clerk, real_now(policy) - timedelta(minutes=5))
    with store.write(team.clerk) as s:
        offer(s, policy, no, team.clerk, "800", at, approver=team.supervisor,
              approver_refuses=True, approval_note="too much")
    with store.read() as s:
        assert case_detail(s, no).level == "preliminary"


def test_a_new_severity_recomputes_the_deadlines(store, policy, team):
    received = datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    with store.write(team.clerk) as s:
        no = services.take_complaint(s, policy, team.clerk, complaint(
            channel="email", received_at=received), now=received).case_no
        services.escalate(s, policy, no, team.clerk, "level1", "customer called the media",
                          severity=3, now=received + timedelta(minutes=5))
    with store.read() as s:
        case = load_case(s, no)
        sla = policy.sla[3]
        assert case.first_contact_due == received + timedelta(hours=sla.first_contact_h)
        assert case.resolution_due == min(received + timedelta(hours=sla.resolution_h),
                                          case.statutory_due)


# --- the same through the `desk` command and a case document ----------------------------------
# (the command in this process: the refusals are its own, not the process's)

@pytest.fixture(scope="module")
def cli_base(tmp_path_factory):
    db = tmp_path_factory.mktemp("bypass_authority") / "desk.sqlite3"
    assert desk_cli(db, "init").returncode == 0
    for i, (staff_no, role) in enumerate([
            ("A001", "general_manager"), ("C001", "clerk"), ("C002", "clerk"),
            ("S001", "supervisor"), ("S002", "supervisor"), ("M001", "store_manager"),
            ("O001", "operations_manager")]):
        result = desk_cli(db, "staff", "add", staff_no, "--role", role, "--name", staff_no,
                          "--pin", PINS[staff_no], as_staff=None if i == 0 else "A001")
        assert result.returncode == 0, result.stderr
    return db


@pytest.fixture
def cli(cli_base, tmp_path):
    copy = tmp_path / "desk.sqlite3"
    copy.write_bytes(cli_base.read_bytes())
    return copy


def at_iso(start: datetime, seconds: int) -> str:
    return (start + timedelta(seconds=seconds)).isoformat()


def document(importer: str, start: datetime, *, offers=(), resolution=False, **changes) -> dict:
    """A case whose every action is the importer's own, ``start`` a few minutes ago."""
    steps = list(STEPS) + (["confirm"] if resolution else [])
    doc = {"desk": "A", "received_at": start.isoformat(), "channel": "counter",
           "recorder": importer, "customer": {"name": "李大華", "phone": "0912-345-678"},
           "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
           "complaint": "鞋子一週就開膠", "request": "換新", "motive": "compensation",
           "severity": 1,
           "steps": [{"step": s, "at": at_iso(start, 10 * (i + 1)), "by": importer,
                      **({"promised_reply_at": at_iso(start, 7200)} if s == "commit" else {})}
                     for i, s in enumerate(steps)],
           "offers": [dict(o, by=importer, at=at_iso(start, 55 + i))
                      for i, o in enumerate(offers)]}
    if resolution:
        doc["resolution"] = {"at": at_iso(start, 70), "by": importer, "handling_result": "ok",
                             "validity": "founded"}
    doc.update(changes)
    return doc


def approval(staff_no: str, decision: str = "approved") -> dict:
    block = {"by": staff_no, "decision": decision, "note": "no" if decision == "refused" else ""}
    if decision != "pending":
        block["pin"] = PINS[staff_no]
    return block


def voucher(amount: str, **more) -> dict:
    return {"kind": "voucher", "amount": amount, "serials": ["V1"], **more}


CLI_IMPORTS = {   # name: (importer, prior grants {staff: amounts}, document changes, words)
    "a clerk's 400 at 2,820 approved by another clerk": (
        "C001", {"C001": ["500"] * 5 + ["320"]},
        dict(offers=[voucher("400", approval=approval("C002"))]), "higher role"),
    "a supervisor approving past their own day": (
        "C001", {"S001": ["2000"] * 4 + ["1800"]},
        dict(offers=[voucher("800", approval=approval("S001"))]), "own day total"),
    "an approval on a supervisor's own 1,800": (
        "S001", {}, dict(offers=[voucher("1800", approval=approval("O001"))]),
        "needs no approval"),
    "a refusal on a supervisor's own 1,800": (
        "S001", {}, dict(offers=[voucher("1800", approval=approval("O001", "refused"))]),
        "needs no approval"),
    "a pending approval nobody needs": (
        "S001", {}, dict(offers=[voucher("1800", approval=approval("O001", "pending"))]),
        "no approval to request"),
    "a clerk resolving a level-2 case": (
        "C001", {}, dict(category="safety_legal", resolution=True), "Level 2"),
    "a clerk declining a level-2 case": (
        "C001", {}, dict(category="safety_legal", not_accepted={
            "at": None, "by": "C001", "reason": "settled", "note": "signed"}), "Level 2"),
    "a clerk resolving a serious case": (
        "C001", {}, dict(severity=3, resolution=True), "★★★"),
    "a clerk named to handle a fairly serious case": (
        "C001", {}, dict(severity=2, handler="C002"), "may not handle"),
    "a store manager named on escalation to a serious case": (
        "C001", {}, dict(escalations=[{"at": None, "by": "C001", "to_level": "level2",
                                       "reason": "legal", "severity": 3, "handler": "M001"}]),
        "Operations manager"),
}


def fill_times(doc: dict, start: datetime) -> dict:
    for key in ("not_accepted",):
        if doc.get(key):
            doc[key]["at"] = at_iso(start, 60)
    for esc in doc.get("escalations", []):
        esc["at"] = at_iso(start, 5)
    return doc


@pytest.mark.parametrize("name", list(CLI_IMPORTS))
def test_through_case_import(cli, tmp_path, name):
    importer, prior, changes, words = CLI_IMPORTS[name]
    policy = load_policy()
    start = real_now(policy) - timedelta(minutes=4)
    if prior:
        store = Store("sqlite:///" + cli.as_posix())
        try:
            p = people_of(store)
            by_no = {a.staff_no: a for a in vars(p).values()}
            for staff_no, amounts in prior.items():
                grant(store, policy, by_no[staff_no], amounts,
                      start - timedelta(minutes=1))
        finally:
            store.close()
    doc = fill_times(document(importer, start, **changes), start)
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before, before_bytes = _cli_state(cli)
    result = desk_cli(cli, "case", "import", str(path), as_staff=importer)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert words in lines[0]
    assert _cli_state(cli) == (before, before_bytes)


def test_case_import_control_within_the_rules(cli, tmp_path):
    """The same shapes pass when nobody exceeds a role (so the refusals above are the rules,
    not a broken document)."""
    policy = load_policy()
    start = real_now(policy) - timedelta(minutes=4)
    for i, (importer, changes) in enumerate([
            ("C001", dict(offers=[voucher("800", approval=approval("S001"), answer="accepted",
                                          answered_at=at_iso(start, 58))], resolution=True)),
            ("O001", dict(category="safety_legal", resolution=True)),
            ("S001", dict(offers=[voucher("1800")]))]):
        path = tmp_path / f"ok{i}.json"
        path.write_text(json.dumps(document(importer, start, **changes), ensure_ascii=False),
                        encoding="utf-8")
        result = desk_cli(cli, "case", "import", str(path), as_staff=importer)
        assert result.returncode == 0, result.stderr


def test_a_supervisor_signing_off_a_level_2_case_through_desk_decide(cli):
    policy = load_policy()
    start = real_now(policy) - timedelta(minutes=4)
    store = Store("sqlite:///" + cli.as_posix())
    try:
        p = people_of(store)
        no = resolved(store, policy, p.clerk, p.ops, start, category="safety_legal")
    finally:
        store.close()
    before = _cli_state(cli)
    result = desk_cli(cli, "decide", no, "sign-off", as_staff="S001")
    assert result.returncode == 2 and "Level 2" in result.stderr, result.stderr
    assert _cli_state(cli) == before
    assert desk_cli(cli, "decide", no, "sign-off", as_staff="O001").returncode == 0


def _cli_state(db) -> tuple[dict, str]:
    store = Store("sqlite:///" + db.as_posix())
    try:
        content = dump(store)
    finally:
        store.close()
    return content, hashlib.sha256(db.read_bytes()).hexdigest()


# --- the policy keys behind these rules --------------------------------------------------------

def _bundled() -> dict:
    import tomllib
    from desk.policy import default_policy_path
    return tomllib.loads(default_policy_path().read_text(encoding="utf-8"))


@pytest.mark.parametrize("edit,key", [
    (lambda d: d["levels"]["level2"].update(resolve="janitor"), "levels.level2.resolve"),
    (lambda d: d["levels"]["level1"].pop("close"), "levels.level1.close"),
    (lambda d: d["levels"].update(level9={"resolve": "clerk", "close": "clerk"}),
     "levels.level9"),
    (lambda d: d["levels"].pop("preliminary"), "levels.preliminary.resolve"),
    (lambda d: d["severity"]["2"].update(handler=7), "severity.2.handler"),
    (lambda d: d["severity"].update({"4": {"handler": "clerk"}}), "severity.4"),
])
def test_a_bad_level_or_severity_key_is_named(edit, key):
    from desk.errors import PolicyError
    from desk.policy import parse_policy
    data = _bundled()
    edit(data)
    with pytest.raises(PolicyError) as err:
        parse_policy(data)
    assert key in str(err.value)


def test_a_policy_written_before_these_tables_gets_the_domain_rules():
    from desk.policy import parse_policy
    data = _bundled()
    del data["levels"], data["severity"]
    policy = parse_policy(data)
    assert policy.levels["level2"].resolve == "operations_manager"
    assert [policy.handlers[n] for n in (1, 2, 3)] == ["clerk", "operations_manager",
                                                      "operations_manager"]


# --- a day pack's sign-off of a case the reviewer's role may not close ---------------------------

def test_a_pack_sign_off_of_a_level_2_case_needs_its_role(store, policy, team, tmp_path,
                                                          capsys):
    """Offline, a supervisor signs off a level-2 case in the pack; on import the decision is
    refused by the level rule (listed with the reason) and nothing of it is written."""
    from desk import packs
    from desk.pack_review import PackReview
    from tests.approvals_support import run_cli
    from tests.review_support import at, make_case
    day, late = "2026-11-16", at("2026-11-16", "21:30")
    legal = make_case(store, policy, team.clerk, at(day, "10:00"), category="safety_legal",
                      resolver=team.ops)
    path = tmp_path / f"A-{day}.deskpack"
    with store.write(team.supervisor) as s:
        packs.export_pack(s, policy, team.supervisor, late.date(), path, "A", now=late)
    assert run_cli(store, "approval", "list", as_staff="S001")[0] == 0   # policy recorded
    review = PackReview(path, policy)
    review.sign_in("S001", PINS["S001"])
    review.decide(legal, "signed_off", now=late)
    review.save(now=late)
    before = dump(store)
    code, out, err = run_cli(store, "pack", "import", str(path), as_staff="S001", capsys=capsys)
    assert "Level 2" in out + err and legal in out + err
    assert dump(store) == before
    with store.read() as s:
        assert load_case(s, legal).status == "resolved"


@pytest.mark.parametrize("decision", [("approve",), ("refuse", "--note", "no")])
@SQLITE_ONLY
def test_a_peer_deciding_through_desk_approval_decide(store, policy, team, capsys, decision):
    from tests.approvals_support import run_cli
    no, at = ready_case(store, policy, team.supervisor, real_now(policy) - timedelta(minutes=5))
    with store.write(team.supervisor) as s:
        offer(s, policy, no, team.supervisor, "2500", at, request_approval=True)
    assert run_cli(store, "approval", "list", as_staff="S002")[0] == 0   # policy recorded
    before = dump(store)
    code, _out, err = run_cli(store, "approval", "decide", no, "1", *decision, as_staff="S002",
                              capsys=capsys)
    assert code == 2 and len(err.strip().splitlines()) == 1, err
    assert "Store / floor manager" in err   # who can decide it
    assert dump(store) == before


def test_a_new_severity_while_the_clock_is_stopped_moves_the_time_left(store, policy, team):
    from desk import followup
    from desk.review_model import Pause
    received = datetime(2026, 11, 22, 10, 0, tzinfo=timezone(timedelta(hours=8)))
    no, at = ready_case(store, policy, team.clerk, received)
    with store.write(team.clerk) as s:
        followup.pause(s, policy, no, team.clerk, "tenant", "waiting for the shop", now=at)
    with store.read() as s:
        left = s.scalar(select(Pause.remaining_s))
    with store.write(team.clerk) as s:   # ★ 24 h -> ★★ 48 h: a day more on the stopped clock
        services.escalate(s, policy, no, team.clerk, "level1", "the shop disputes it",
                          severity=2, now=at)
    with store.read() as s:
        assert s.scalar(select(Pause.remaining_s)) == left + 24 * 3600
        assert load_case(s, no).resolution_due == load_case(s, no).statutory_due


def test_actions_for_shows_who_decides(store, policy, team):
    """The screens' answer follows the same rule: resolve greyed out for a clerk on a level-2
    case, with the reason; allowed for the operations manager."""
    from desk.actions import actions_for
    no, at = ready_case(store, policy, team.clerk, real_now(policy) - timedelta(minutes=5),
                        category="safety_legal")
    with store.write(team.clerk) as s:
        services.record_step(s, policy, no, team.clerk, "confirm", now=at)
    with store.read() as s:
        detail = case_detail(s, no)
    clerk = actions_for(detail, team.clerk, policy)
    assert not clerk.allowed("resolve") and "Level 2" in clerk.reason("resolve")
    assert not clerk.allowed("not_accept")
    assert actions_for(detail, team.ops, policy).allowed("resolve")
