"""Bad input: property-based fuzzing of intake validation, taking a complaint, amounts, the
policy loader and case-document import. Emoji, right-to-left text, control characters,
SQL-looking text, 1 MB fields, huge, negative and NaN amounts, odd time zones and wrong types
must end in success or a ``DomainError`` carrying a short, clear message; a refused write
leaves the store as it was.

DESK_FUZZ_EXAMPLES scales the number of inputs per target; DESK_FUZZ_REPORT names a file
that receives one JSON line per target with the inputs tried (bench/reliability.py uses it).
"""
from __future__ import annotations

import copy
import json
import os
import tomllib
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from desk import rules, services
from desk.errors import DomainError, PolicyError
from desk.i18n import format_money, set_locale
from desk.model import Base
from desk.policy import default_policy_path, load_policy, parse_policy
from desk.services.intake import CaseInput, check_input
from desk.store import Store
from tests.helpers import T0

SCALE = int(os.environ.get("DESK_FUZZ_EXAMPLES", "0"))


def budget(default: int) -> settings:
    return settings(max_examples=SCALE or default, deadline=None, database=None,
                    derandomize=not SCALE, suppress_health_check=list(HealthCheck))


class Counter:
    """Counts inputs per target and reports them for docs/reliability.md."""

    def __init__(self, target: str) -> None:
        self.target, self.inputs = target, 0

    def __enter__(self) -> "Counter":
        return self

    def __exit__(self, *exc) -> None:
        report = os.environ.get("DESK_FUZZ_REPORT")
        if report:
            with open(report, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"target": self.target, "inputs": self.inputs}) + "\n")


def clear(exc: DomainError) -> None:
    """A message a clerk can read: present, short, placeholders filled, no code dump."""
    for locale in ("en", "zh_TW"):
        set_locale(locale)
        text = str(exc)
        assert text.strip() and len(text) < 600, text[:200]
        assert "Traceback" not in text, text[:200]
    set_locale("zh_TW")


# --- the nasty values ------------------------------------------------------------------------

NASTY_STRINGS = [
    "😡🛍️👩‍👩‍👧‍👦 客人很生氣", "שלום עולם مرحبا بالعالم", "\u202egnp.exe", "abc\u200b\u200d",
    "\x00\x07\x1b[31mred\x7f", "line\r\nbreak\ttab", "'; DROP TABLE complaint_case; --",
    "Robert'); DELETE FROM staff WHERE ('1'='1", "%s%n%x{0}{value}", "\ud800lone surrogate",
    "０９１２３４５６７８", "NaN", "-Infinity", "1e309", "-0", "0x1F", "  ", "", "　",
    "e\u0301" * 3000, "${jndi:ldap://x}", "<script>x</script>", "x" * 5001, "客" * 2001,
]
HUGE_STRINGS = ["A" * 1_000_000, "客" * 400_000, "\x00" * 1_000_000]

TEXT = st.one_of(st.text(max_size=60), st.sampled_from(NASTY_STRINGS * 8 + HUGE_STRINGS),
                 st.text(alphabet=st.characters(codec="utf-8"), max_size=20))

AMOUNT = st.one_of(
    st.integers(min_value=-10**30, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from(["1,200", "1.005", "nan", "-50", "1e400", "１００", "", " 99 ", "0.00"]),
    TEXT, st.none(), st.booleans())

ZONES = st.one_of(st.none(), st.timezones(),
                  st.integers(min_value=-1439, max_value=1439).map(
                      lambda m: timezone(timedelta(minutes=m))))

INSTANT = st.one_of(
    st.datetimes(timezones=ZONES),
    st.datetimes(min_value=datetime(2026, 11, 1), max_value=datetime(2026, 11, 23),
                 timezones=ZONES),
    st.sampled_from(["2026-11-22T14:05:00+08:00", "2026-11-22T14:05:00", "2026-02-30T10:00:00Z",
                     "2026-11-22T14:05:00+25:00", "0001-01-01T00:00:00+14:00",
                     "9999-12-31T23:59:59-12:00", "yesterday", "2026-11-22 14:05+0800"]))

ANYTHING = st.one_of(st.none(), st.booleans(), st.integers(), AMOUNT, TEXT, INSTANT,
                     st.lists(st.integers(), max_size=3), st.dictionaries(TEXT, st.integers(),
                                                                          max_size=2))


VALID = dict(
    desk=st.sampled_from(["A", "B2"]),
    channel=st.sampled_from(["counter", "phone", "email", "fax"]),
    customer_name=st.sampled_from(["李大華", "Ann", "王小明"]),
    category=st.sampled_from(["goods_rights", "tenant", "lost_property"]),
    complaint=st.sampled_from(["鞋子開膠", "停車場太暗"]),
    motive=st.sampled_from(["vent", "respect", "compensation"]),
    severity=st.sampled_from([1, 2, 3]),
    subject_kind=st.sampled_from(["tenant", "facility", "staff"]),
    subject_name=st.sampled_from(["好鞋坊", None]),
    subject_staff=st.sampled_from([None, "C002", "C001", "ZZZ"]),
    customer_phone=st.sampled_from([None, "0912-345-678", "+886 2 2345 6789"]),
    customer_member_no=st.sampled_from([None, "M12345678"]),
    customer_address=st.sampled_from([None, "台北市信義區松高路19號"]),
    request=st.sampled_from(["", "換新"]),
    level=st.sampled_from([None, "level1", "level2"]),
    responsible_unit=st.sampled_from([None, "service_desk", "legal"]),
    handler=st.sampled_from([None, "C001", "C002", "S001"]),
    assisting=st.sampled_from([(), (("legal", "查閱合約"),)]),
    received_at=st.one_of(st.none(), INSTANT),
    text_locale=st.sampled_from(["zh_TW", "en"]),
)
NASTY = dict(VALID, assisting=st.one_of(ANYTHING, st.lists(st.tuples(TEXT, TEXT), max_size=2)
                                        .map(tuple)),
             received_at=st.one_of(INSTANT, ANYTHING))


@st.composite
def case_inputs(draw):
    """Mostly valid (so the checks deep inside are reached), a few fields nasty."""
    values = {name: draw(strategy) for name, strategy in VALID.items()}
    for name in draw(st.lists(st.sampled_from(sorted(VALID)), max_size=3, unique=True)):
        values[name] = draw(st.one_of(NASTY.get(name, ANYTHING), TEXT, ANYTHING))
    return CaseInput(**values)


CASE_INPUT = case_inputs()


def counts(store) -> dict[str, int]:
    with store.read() as session:
        return {t.name: session.scalar(select(func.count()).select_from(t))
                for t in Base.metadata.sorted_tables
                if t.name in ("complaint_case", "audit_log", "case_sequence", "staff",
                              "status_change", "assisting_unit", "offer")}


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory, policy):
    st_ = Store("sqlite:///" + (tmp_path_factory.mktemp("fuzz") / "fuzz.sqlite3").as_posix())
    with st_.write(system="test") as session:
        first = None
        for staff_no, role in (("A001", "general_manager"), ("C001", "clerk"),
                               ("C002", "clerk"), ("S001", "supervisor")):
            services.add_staff(session, policy, staff_no, staff_no, role, "730519", actor=first)
            first = first or services.actor_for(session, staff_no)
    yield st_
    st_.close()


# --- intake ----------------------------------------------------------------------------------

def test_check_input_never_crashes(policy):
    with Counter("desk.services.intake.check_input") as seen:
        @budget(600)
        @given(CASE_INPUT)
        def run(inp):
            seen.inputs += 1
            try:
                check_input(policy, inp)
            except DomainError as exc:
                clear(exc)
        run()


def test_take_complaint_saves_whole_cases_or_nothing(policy, fuzz_store):
    with fuzz_store.read() as session:
        clerk = services.actor_for(session, "C001")
    with Counter("desk.services.intake.take_complaint") as seen:
        @budget(150)
        @given(CASE_INPUT)
        def run(inp):
            seen.inputs += 1
            before = counts(fuzz_store)
            try:
                with fuzz_store.write(system="test") as session:
                    case = services.take_complaint(session, policy, clerk, inp,
                                                   now=T0 + timedelta(minutes=seen.inputs))
                    assert case.case_no.startswith(case.desk + "-")
            except DomainError as exc:
                clear(exc)
                assert counts(fuzz_store) == before
        run()


def test_amounts_never_crash(policy):
    with Counter("desk.rules.parse_amount") as seen:
        @budget(600)
        @given(AMOUNT, st.booleans())
        def run(value, allow_zero):
            seen.inputs += 1
            try:
                amount = rules.parse_amount(value, allow_zero=allow_zero)
            except DomainError as exc:
                clear(exc)
            else:
                assert amount.is_finite() and 0 <= amount <= rules.MAX_AMOUNT
                format_money(amount, policy.currency)
        run()


def test_offers_with_bad_amounts_write_nothing(policy, fuzz_store):
    from desk.enums import Step
    from tests.helpers import complaint, walk
    with fuzz_store.read() as session:
        clerk = services.actor_for(session, "C001")
        supervisor = services.actor_for(session, "S001")
    with fuzz_store.write(system="test") as session:
        case_no = services.take_complaint(session, policy, clerk, complaint(), now=T0).case_no
    at = walk(fuzz_store, policy, case_no, clerk, Step.PROPOSE)
    with Counter("desk.services.offers.make_offer") as seen:
        @budget(150)
        @given(st.sampled_from(["voucher", "refund", "cash", "overcharge_refund", "nope", None]),
               AMOUNT, AMOUNT, AMOUNT, st.booleans(), st.lists(TEXT, max_size=2))
        def run(kind, amount, charged, due, approve, serials):
            seen.inputs += 1
            before = counts(fuzz_store)
            try:
                with fuzz_store.write(system="test") as session:
                    services.make_offer(session, policy, case_no, clerk, kind, amount,
                                        charged=charged, due=due, serials=tuple(serials),
                                        approver=supervisor if approve else None, now=at)
                    raise _Undo()
            except _Undo:
                pass
            except DomainError as exc:
                clear(exc)
            assert counts(fuzz_store) == before
        run()


class _Undo(Exception):
    """Roll back an accepted offer so every input meets the same case."""


# --- the policy --------------------------------------------------------------------------------

BASE_POLICY = tomllib.loads(default_policy_path().read_text(encoding="utf-8"))


def _paths(node, prefix=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))


PATHS = list(_paths(BASE_POLICY))
TOML_VALUE = st.one_of(
    st.integers(min_value=-2**63, max_value=2**63 - 1), st.floats(allow_nan=True), st.booleans(),
    TEXT, st.lists(st.one_of(st.integers(), TEXT), max_size=3),
    st.dictionaries(st.sampled_from(["rank", "x", "kinds", "level"]), st.integers(), max_size=2),
    st.sampled_from(["all", "Mars/Olympus", "../../etc/passwd", "XXX", "#GGGGGG", 10**18]))


@st.composite
def mutated_policy(draw):
    raw = copy.deepcopy(BASE_POLICY)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(PATHS))
        node = raw
        for key in path[:-1]:
            if not isinstance(node, dict) or key not in node:
                break
            node = node[key]
        else:
            if isinstance(node, dict):
                if draw(st.booleans()) and path[-1] in node:
                    del node[path[-1]]
                else:
                    node[path[-1]] = draw(TOML_VALUE)
    return raw


def usable(policy) -> None:
    """A policy the loader accepts must work everywhere it is used."""
    for severity in (1, 2, 3):
        rules.deadlines(policy, T0, severity, "email")
        rules.follow_up_due(policy, T0, severity)
    policy.tz
    format_money(Decimal("1234.5"), policy.currency)
    for role in policy.roles.values():
        rules.compensation_options(policy, role, rules.OfferContext(Decimal(0), Decimal(0), None))
    policy.top_role


def test_parse_policy_never_crashes():
    with Counter("desk.policy.parse_policy") as seen:
        @budget(500)
        @given(mutated_policy())
        def run(raw):
            seen.inputs += 1
            try:
                policy = parse_policy(raw)
            except PolicyError as exc:
                clear(exc)
            else:
                usable(policy)
        run()


def any_bytes_or_damaged(text: bytes, *, max_size: int, insert: int):
    """Bytes of any kind, or a good file with a few bytes pushed in somewhere: the second
    gets past the first line of checks and into the parser's corners."""
    return st.one_of(st.binary(max_size=max_size),
                     st.tuples(st.integers(0, len(text)), st.binary(min_size=1, max_size=insert))
                     .map(lambda c: text[:c[0]] + c[1] + text[c[0]:]))


def test_a_policy_file_of_any_bytes_is_refused_clearly(tmp_path):
    text = default_policy_path().read_bytes()
    path = tmp_path / "policy.toml"
    with Counter("desk.policy.load_policy") as seen:
        @budget(200)
        @given(any_bytes_or_damaged(text, max_size=200, insert=8))
        def run(data):
            seen.inputs += 1
            path.write_bytes(data)
            try:
                usable(load_policy(path))
            except PolicyError as exc:
                clear(exc)
        run()


# --- case documents ----------------------------------------------------------------------------

def _document() -> dict:
    at = "2026-11-22T14:{:02d}:00+08:00"
    return {
        "desk": "A", "received_at": at.format(5), "channel": "counter", "recorder": "C001",
        "customer": {"name": "李大華", "phone": "0912-345-678"},
        "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
        "complaint": "鞋子一週就開膠", "request": "換新", "motive": "compensation", "severity": 1,
        "steps": [{"step": s, "at": at.format(10 + i), "by": "C001",
                   **({"promised_reply_at": "2026-11-22T18:00:00+08:00"} if s == "commit" else {})}
                  for i, s in enumerate(["listen", "thank", "apologise", "commit", "propose",
                                         "confirm"])],
        "offers": [{"kind": "voucher", "amount": "800", "serials": ["V1001"], "by": "C001",
                    "at": at.format(15), "answer": "accepted", "answered_at": at.format(16),
                    "approval": {"by": "S001", "pin": "730519"}}],
        "resolution": {"at": at.format(21), "by": "C001", "handling_result": "禮券800元",
                       "validity": "founded"},
    }


DOC_PATHS = list(_paths(_document()))


@st.composite
def mutated_document(draw):
    doc = _document()
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(DOC_PATHS))
        node = doc
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict):
            if draw(st.booleans()) and path[-1] in node:
                del node[path[-1]]
            else:
                node[path[-1]] = draw(ANYTHING)
    if draw(st.integers(0, 9)) == 0:
        doc = draw(ANYTHING)
    return doc


def test_case_document_import_is_all_or_nothing(policy, fuzz_store):
    from desk.casedoc_import import import_documents
    from desk.casedoc_trust import verify_credentials
    importer = services.sign_in(fuzz_store, policy, "C001", "730519")
    with Counter("desk.casedoc_import.import_documents") as seen:
        @budget(150)
        @given(st.lists(mutated_document(), min_size=1, max_size=2))
        def run(docs):
            seen.inputs += 1
            docs = json.loads(json.dumps(docs, default=str, ensure_ascii=False))
            try:
                # The PINs first, each a sign-in of its own (a wrong one is counted and
                # logged, as at the counter); then the batch, all or nothing.
                credentials = verify_credentials(fuzz_store, policy, docs)
            except DomainError as exc:
                clear(exc)
                return
            before = counts(fuzz_store)
            try:
                with fuzz_store.write(importer) as session:
                    import_documents(session, policy, docs, importer, credentials=credentials)
                    raise _Undo()
            except _Undo:
                pass
            except DomainError as exc:
                clear(exc)
            assert counts(fuzz_store) == before
        run()


def test_case_document_text_of_any_shape_is_refused_clearly(tmp_path):
    from desk.casedoc import read_documents as reader
    path = tmp_path / "doc.json"
    text = json.dumps(_document(), ensure_ascii=False).encode("utf-8")
    with Counter("desk.casedoc.read_documents") as seen:
        @budget(200)
        @given(any_bytes_or_damaged(text, max_size=100, insert=6))
        def run(data):
            seen.inputs += 1
            path.write_bytes(data)
            try:
                reader(Path(path))
            except DomainError as exc:
                clear(exc)
        run()


# --- what fuzzing found, kept as plain regressions ------------------------------------------

FOUND = [
    dict(handler="\ud800"), dict(subject_kind="staff", subject_staff="\ud800x"),
    dict(severity=Decimal("sNaN")), dict(assisting=None), dict(assisting=5),
    dict(received_at="0001-01-01T00:00:00+14:00"), dict(received_at="9999-12-31T23:59:59-12:00"),
    dict(received_at=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))),
    dict(complaint="客" * 1_000_000),
]


@pytest.mark.parametrize("change", FOUND, ids=[next(iter(c)) for c in FOUND])
def test_inputs_fuzzing_found_are_refused_cleanly(policy, fuzz_store, change):
    from tests.helpers import complaint
    with fuzz_store.read() as session:
        clerk = services.actor_for(session, "C001")
    before = counts(fuzz_store)
    with pytest.raises(DomainError) as err:
        with fuzz_store.write(system="test") as session:
            services.take_complaint(session, policy, clerk, complaint(**change), now=T0)
    clear(err.value)
    assert counts(fuzz_store) == before


def test_a_case_number_that_cannot_exist_is_not_found(fuzz_store):
    from desk.queries import load_case
    with fuzz_store.read() as session:
        with pytest.raises(DomainError):
            load_case(session, "A-\ud800")


@pytest.mark.parametrize("path,value", [(("form", "logo"), 5), (("roles", "clerk", "privileges"), 5),
                                        (("roles", "clerk", "kinds"), [["cash"]]),
                                        (("sla", "1", "resolution"), 2**62),
                                        (("site", "retention_years"), 10**6)])
def test_policy_values_fuzzing_found_are_refused_cleanly(path, value):
    raw = copy.deepcopy(BASE_POLICY)
    node = raw
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(PolicyError) as err:
        parse_policy(raw)
    clear(err.value)


def test_a_policy_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_bytes(b"\x80\xff")
    with pytest.raises(PolicyError, match="UTF-8"):
        load_policy(path)
