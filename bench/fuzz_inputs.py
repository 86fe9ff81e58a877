"""Fuzzed case documents and day packs against real stores: every input must be imported or
refused with a DomainError (a clean refusal, exit status 2 at the command), never a
traceback, and a refused input must leave every row of the store as it was
(tests.helpers.store_rows, the staff's wrong-PIN counters aside: they count by design).

    python bench/fuzz_inputs.py [--docs 10000] [--packs 1000] [--seed 1]

prints the counts; tests/test_fuzz_inputs.py runs a small share of the same in the suite.
Hypothesis draws the inputs: documents mutated from a valid one (wrong types, deep
nesting, integers past Python's 4,300-digit limit, paths of every flavour, odd times) or
damaged byte by byte; packs exported and reviewed for real, then edited by someone who
recomputes the digests (decisions, manifest, reviewers), or damaged at the zip level (a
bomb, thousands of members, names leaving the folder, a truncated file).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
import traceback
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DESK_TEST_CHEAP_PIN_HASH", "1")   # thousands of sign-ins

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import seed as hypothesis_seed  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

BOMB = b"\x00" * (40 * 1024 * 1024)   # inflates 1,000 times and past a member's limit
BIG_INT, LONG_INT, DEEP = "__BIG_INT__", "__LONG_INT__", "__DEEP__"
SPLICE = {f'"{BIG_INT}"': "9" * 5000, f'"{LONG_INT}"': "1" * 60,
          f'"{DEEP}"': "[" * 400 + "]" * 400}
PATHS = ["\\\\server\\share\\x.jpg", "//server/share/x.jpg", "C:x.jpg", "C:\\x.jpg", "/etc/passwd",
         "../../x.jpg", "NUL", "con.txt", "COM1.jpg", "x.jpg:stream", "\\\\?\\C:\\x", "a/b.jpg"]
ODD = ["", " ", "\x00", "\ud800", "9" * 400, "-1", "1e309", "NaN", "2026-11-22T14:10:00",
       "2026-11-22T14:10:00+08:00", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00",
       "客" * 3000, "S001", "C001", "voucher", "cash", "approved", "signed_off"]
ANY = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(-3, 3),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
    st.sampled_from(PATHS + ODD + [BIG_INT, LONG_INT, DEEP]),
    st.lists(st.one_of(st.integers(), st.text(max_size=5)), max_size=3),
    st.dictionaries(st.text(max_size=6), st.integers(), max_size=3))


@dataclass
class Tally:
    """What happened to the inputs of one kind."""

    inputs: int = 0
    refused: int = 0
    imported: int = 0
    partial: int = 0                       # a refused input that changed a row
    tracebacks: list[str] = field(default_factory=list)

    def count_import(self, store, run_import) -> None:
        """Run one import and count it: imported, refused (and partial when the refusal
        left a row changed), or a traceback."""
        from desk.errors import DomainError
        from tests.helpers import store_rows
        before = store_rows(store, pin_counts=False)
        try:
            run_import()
        except DomainError:
            self.refused += 1
            if store_rows(store, pin_counts=False) != before:
                self.partial += 1
            return
        except Exception as exc:   # noqa: BLE001 -- what this script counts
            self.tracebacks.append(_where(exc))
            return
        self.imported += 1

    def summary(self, what: str) -> str:
        return (f"{what}: {self.inputs} inputs, {self.refused} clean refusals, {self.imported} "
                f"imported, {len(self.tracebacks)} tracebacks, {self.partial} partial writes")


def _where(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return f"{type(exc).__name__}: {str(exc)[:120]} at {Path(frame.filename).name}:{frame.lineno}"


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


@st.composite
def mutated(draw, base: dict) -> bytes:
    """``base`` with a few values replaced, removed or added, as JSON text (the sentinels
    spliced in as text JSON itself cannot write); or the text damaged at the byte level."""
    doc = json.loads(json.dumps(base))
    spots = [p for p in _paths(doc) if p]
    for _ in range(draw(st.integers(1, 4))):
        path = draw(st.sampled_from(spots))
        node = doc
        for key in path[:-1]:
            node = node[key] if isinstance(node, (dict, list)) and _has(node, key) else None
        if node is None or not _has(node, path[-1]):
            continue
        action = draw(st.integers(0, 9))
        if action == 0 and isinstance(node, dict):
            del node[path[-1]]
        elif action == 1 and isinstance(node, dict):
            node[draw(st.text(max_size=8))] = draw(ANY)
        elif action <= 5:   # a value of the same type: gets past the shape into the rules
            node[path[-1]] = draw(_alike(node[path[-1]]))
        else:
            node[path[-1]] = draw(ANY)
    text = json.dumps(doc, ensure_ascii=False, allow_nan=True)
    for sentinel, raw in SPLICE.items():
        text = text.replace(sentinel, raw)
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.integers(0, 9)) == 0:       # a tenth damaged byte by byte
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at + 1:]
    return data


def _alike(value):
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return st.one_of(st.integers(-3, 10), st.integers(), st.sampled_from([LONG_INT]))
    if isinstance(value, str):
        return st.one_of(st.text(max_size=12), st.sampled_from(PATHS + ODD + [value[:-1]]))
    return ANY


def _has(node, key) -> bool:
    if isinstance(node, dict):
        return key in node
    return isinstance(node, list) and isinstance(key, int) and key < len(node)


def _hypothesis(examples: int, seed: int):
    """Hypothesis settings: the same inputs every run (seed 0), or those of ``seed``."""
    chosen = settings(max_examples=examples, deadline=None, database=None,
                      derandomize=seed == 0, suppress_health_check=list(HealthCheck))
    return chosen if seed == 0 else (lambda test: chosen(hypothesis_seed(seed)(test)))


# --- stores -----------------------------------------------------------------------------------

def make_store(folder: Path):
    """A store with one of each role the documents and packs name (PINs of the test team)."""
    from desk import services
    from desk.store import Store
    from desk.store_policy import apply_policy, load_store_policy
    from tests.conftest import PINS, TEAM
    store = Store("sqlite:///" + (folder / "fuzz.sqlite3").as_posix())
    policy = load_store_policy(store)
    with store.write(system="test") as session:
        first = None
        for staff_no, name, role in TEAM:
            services.add_staff(session, policy, staff_no, name, role, PINS[staff_no], actor=first)
            first = first or services.actor_for(session, staff_no)
    # Many fuzzed PINs are wrong: a higher count keeps the approvers from locking out, so
    # the inputs reach past the sign-in into the rules.
    gm = services.sign_in(store, policy, "A001", PINS["A001"])
    text = (ROOT / "resources" / "policy.toml").read_text(encoding="utf-8")
    with store.write(gm) as session:
        apply_policy(session, gm, text.replace("pin_attempts = 5", "pin_attempts = 100"),
                     "fuzzing")
    return store, load_store_policy(store)


def base_document() -> dict:
    at = "2026-11-22T14:{:02d}:00+08:00"
    steps = ["listen", "thank", "apologise", "commit", "propose", "confirm"]
    return {
        "format": "complaint-desk/case@1", "desk": "A", "received_at": at.format(5),
        "channel": "counter", "recorder": "C001",
        "customer": {"name": "李大華", "phone": "0912-345-678", "member_no": "M12345"},
        "subject": {"kind": "tenant", "name": "好鞋坊"}, "category": "goods_rights",
        "complaint": "鞋子一週就開膠", "request": "換新", "motive": "compensation", "severity": 1,
        "assisting_units": [{"unit": "floor_management", "task": "check"}],
        "steps": [{"step": s, "at": at.format(10 + i), "by": "C001",
                   **({"promised_reply_at": "2026-11-22T18:00:00+08:00"} if s == "commit"
                      else {})} for i, s in enumerate(steps)],
        "offers": [{"kind": "voucher", "amount": "800", "serials": ["V1001"], "by": "C001",
                    "at": at.format(17), "answer": "accepted", "answered_at": at.format(18),
                    "approval": {"by": "S001", "pin": _pin("S001")}}],
        "attachments": [{"path": "receipt.jpg", "data": "cGhvdG8=",
                         "sha256": hashlib.sha256(b"photo").hexdigest(),
                         "at": at.format(19), "by": "C001"}],
        "resolution": {"at": at.format(21), "by": "C001", "handling_result": "禮券800元",
                       "validity": "founded"},
        "follow_ups": [{"at": "2026-11-23T10:00:00+08:00", "by": "C001", "reached": True,
                        "satisfaction": 4}],
    }


def _pin(staff_no: str) -> str:
    from tests.conftest import PINS
    return PINS[staff_no]


# --- case documents ---------------------------------------------------------------------------

def fuzz_documents(store, policy, folder: Path, examples: int, seed: int = 0) -> Tally:
    from desk import services
    from desk.casedoc import read_documents
    from desk.casedoc_import import import_file
    from desk.errors import DomainError
    base = base_document()
    importer = services.sign_in(store, policy, "C001", _pin("C001"))
    path = folder / "case.json"
    tally = Tally()

    @_hypothesis(examples, seed)
    @given(st.one_of(mutated(base), mutated({"list": [base, base]}).map(_unwrap_list)))
    def run(data: bytes) -> None:
        tally.inputs += 1
        path.write_bytes(data)
        try:
            docs = read_documents(path)
        except DomainError:
            tally.refused += 1
            return
        except Exception as exc:   # noqa: BLE001 -- what this script counts
            tally.tracebacks.append(_where(exc))
            return
        tally.count_import(store, lambda: import_file(store, policy, importer, docs))

    run()
    return tally


def _unwrap_list(data: bytes) -> bytes:
    """The {"list": [...]} wrapper mutated as a whole, then unwrapped: a file of two cases."""
    start, end = data.find(b"["), data.rfind(b"]")
    return data[start:end + 1] if 0 <= start < end else data


# --- day packs --------------------------------------------------------------------------------

def reviewed_pack(store, policy, folder: Path, cases: int = 3) -> Path:
    """Cases on a day, exported as a pack, reviewed offline by S001 (decisions saved)."""
    from datetime import datetime, timedelta, timezone

    from desk import packs, services
    from desk.pack_review import PackReview
    from tests.helpers import complaint
    tz = timezone(timedelta(hours=8))
    day = datetime(2026, 11, 20, 10, 0, tzinfo=tz)
    clerk = services.sign_in(store, policy, "C001", _pin("C001"))
    supervisor = services.sign_in(store, policy, "S001", _pin("S001"))
    numbers = []
    for i in range(cases):
        with store.write(clerk) as session:
            numbers.append(services.take_complaint(
                session, policy, clerk, complaint(), now=day + timedelta(hours=i)).case_no)
    path = folder / "day.deskpack"
    late = day + timedelta(hours=10)
    with store.write(supervisor) as session:
        packs.export_pack(session, policy, supervisor, day.date(), path, "A", now=late)
    review = PackReview(path, policy)
    review.sign_in("S001", _pin("S001"), now=late)
    review.decide(numbers[0], "approved", now=late)
    if cases > 1:
        review.decide(numbers[1], "returned", "請補件", now=late)
    review.save(now=late)
    return path


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _rezip(path: Path, members: dict[str, bytes], *, extra: list | None = None) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        for name, data in extra or []:
            zf.writestr(name, data)


@st.composite
def edited_pack(draw, members: dict[str, bytes]):
    """What to write: (members, extra members, raw bytes or None)."""
    from desk.packs import DECISIONS, MANIFEST, sha256
    kind = draw(st.integers(0, 9))
    members = dict(members)
    if kind <= 4:     # the decisions or the manifest rewritten, digests recomputed
        name = DECISIONS if kind <= 2 else MANIFEST
        members[name] = draw(mutated(json.loads(members[name])))
        if name == DECISIONS:
            manifest = json.loads(members[MANIFEST])
            manifest["files"][DECISIONS] = sha256(members[DECISIONS])
            members[MANIFEST] = json.dumps(manifest).encode()
        return members, [], None
    if kind == 5:     # a case document or the reviewers edited (the content digest differs)
        name = draw(st.sampled_from(sorted(n for n in members if n.endswith(".json"))))
        members[name] = draw(mutated(json.loads(members[name])))
        return members, [], None
    if kind == 6:     # a zip bomb, many members, a name leaving the folder, a duplicate
        extra = draw(st.sampled_from([
            [("cases/bomb.json", BOMB)],
            [(f"x/{i}", b"") for i in range(5_001)],
            [("../../evil.json", b"{}")], [("C:/evil.json", b"{}")],
            [(MANIFEST, members[MANIFEST])]]))
        return members, extra, None
    raw = draw(st.binary(min_size=0, max_size=64))
    return members, [], raw


def fuzz_packs(store, policy, folder: Path, examples: int, seed: int = 0) -> Tally:
    from desk import packs, services
    from desk.errors import DomainError
    from desk.pack_review import PackReview
    base_path = reviewed_pack(store, policy, folder)
    members = _members(base_path)
    original = base_path.read_bytes()
    supervisor = services.sign_in(store, policy, "S001", _pin("S001"))
    path = folder / "fuzzed.deskpack"
    tally = Tally()

    @_hypothesis(examples, seed)
    @given(edited_pack(members), st.integers(0, 3))
    def run(edit, damage: int) -> None:
        tally.inputs += 1
        edited, extra, raw = edit
        if raw is not None:   # the genuine pack cut short or with bytes pushed in
            at = len(raw) * 97 % max(len(original), 1)
            path.write_bytes(original[:at] + raw if damage else original[:at])
        else:
            _rezip(path, edited, extra=extra)
        try:
            review = PackReview(path, policy)
            review.sign_in("S001", _pin("S001"))
            review.rows()
            review.review_day()
        except DomainError:
            pass
        except Exception as exc:   # noqa: BLE001
            tally.tracebacks.append("review: " + _where(exc))
        def import_it() -> None:
            with store.write(supervisor) as session:
                packs.import_pack(session, policy, supervisor, path)
        tally.count_import(store, import_it)

    run()
    return tally


def main(argv: list[str] | None = None) -> int:
    import logging
    logging.disable(logging.CRITICAL)   # refused PINs are logged; the counts are the output
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--packs", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=0, help="0: the same inputs every run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store, policy = make_store(folder)
        try:
            docs = packs = Tally()
            if args.docs:
                start = time.perf_counter()
                docs = fuzz_documents(store, policy, folder, args.docs, args.seed)
                print(docs.summary("case documents"), f"({time.perf_counter() - start:.0f} s)",
                      flush=True)
            if args.packs:
                start = time.perf_counter()
                packs = fuzz_packs(store, policy, folder, args.packs, args.seed)
                print(packs.summary("day packs"), f"({time.perf_counter() - start:.0f} s)",
                      flush=True)
        finally:
            store.close()
    for line in sorted(set(docs.tracebacks + packs.tracebacks)):
        print("  traceback:", line)
    bad = docs.tracebacks or packs.tracebacks or docs.partial or packs.partial
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
