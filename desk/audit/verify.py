"""Verifying the log: walk the chain (each entry's "before" continuing the same row's previous
"after"), then compare every audited row with its last logged state; and check an anchor (a
backup's or a report's last entry) against the log."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from desk.audit.canonical import comparable, entry_hash, row_state
from desk.audit.log import AUDITED, GENESIS, LOG, _discover, entity_label
from desk.i18n import N_, _
from desk.model import Case


@dataclass(frozen=True)
class Finding:
    """One problem found by ``verify``; ``message`` is translated when read."""

    kind: str                     # a key of MESSAGES
    entry_id: int | None = None
    entity: str | None = None
    entity_key: str | None = None
    fields: tuple[str, ...] = ()
    detail: str = ""
    case_no: str | None = None

    MESSAGES = {
        "gap": N_("audit entry {entry} follows entry {previous}: the entries between were deleted"),
        "link": N_("audit entry {entry} does not link to the entry before it: an entry was "
                   "inserted, removed or rewritten"),
        "hash": N_("audit entry {entry} was altered after it was written"),
        "unlogged": N_("{entity} {key} has no audit entry: it was added or changed outside "
                       "Complaint Desk"),
        "altered": N_("{entity} {key} differs from its last audit entry {entry} in {fields}: it "
                      "was changed outside Complaint Desk"),
        "deleted": N_("{entity} {key} is missing although audit entry {entry} records it: it "
                      "was deleted outside Complaint Desk"),
        "reappeared": N_("{entity} {key} exists although audit entry {entry} records its "
                         "deletion: it was put back outside Complaint Desk"),
        "anchor": N_("audit entry {entry} differs from the same entry in {detail}: the log was "
                     "rewritten since then"),
        "anchor_missing": N_("audit entry {entry} recorded in {detail} is missing: the log was "
                             "cut short since then"),
        "continuity": N_("{entity} {key} was changed outside Complaint Desk between audit "
                         "entries {previous} and {entry}: entry {entry} found {fields} other "
                         "than entry {previous} left them"),
        "numbering": N_("desk {key}'s case counter says {detail}, its cases say otherwise: the "
                        "case numbering was changed outside Complaint Desk"),
    }

    @property
    def message(self) -> str:
        return _(self.MESSAGES[self.kind]).format(
            entry=self.entry_id, previous=self.detail, entity=entity_label(self.entity or ""),
            key=self.shown_key, fields=", ".join(self.fields), detail=self.detail)

    @property
    def shown_key(self) -> str | None:
        """A part of a case is named by the case and its row number: "A-20261122-0007 #12"."""
        if self.case_no and self.case_no != self.entity_key:
            return f"{self.case_no} #{self.entity_key}"
        return self.entity_key


@dataclass(frozen=True)
class AuditReport:
    entries: int
    rows: int
    head: str
    findings: tuple[Finding, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.findings

    @property
    def first(self) -> Finding | None:
        return self.findings[0] if self.findings else None


MAX_FINDINGS = 200


def verify(session: Session, *, rows: bool = True) -> AuditReport:
    """Walk the chain from the first entry, each row's entries continuing one another; then
    (``rows``) compare every audited row with its last logged state. Findings are in the
    order met, chain problems first."""
    conn = session.connection()
    findings: list[Finding] = []
    expected, prev_hash, count = 1, GENESIS, 0
    latest: dict[tuple[str, str], tuple[int, str, str | None, str | None]] = {}
    result = conn.execution_options(yield_per=2000).execute(select(LOG).order_by(LOG.c.id))
    for row in result:
        count += 1
        if len(findings) < MAX_FINDINGS:
            if row.id != expected:
                findings.append(Finding("gap", row.id, detail=str(expected - 1)))
            elif row.prev_hash != prev_hash:
                findings.append(Finding("link", row.id))
            if entry_hash(row.prev_hash, row.id, row.at, row.staff_no, row.entity,
                          row.entity_key, row.case_no, row.action, row.before,
                          row.after) != row.hash:
                findings.append(Finding("hash", row.id))
        expected, prev_hash = row.id + 1, row.hash
        previous = latest.get((row.entity, row.entity_key))
        if (row.before is not None and previous is not None and previous[2] is not None
                and row.action in CONTINUED and len(findings) < MAX_FINDINGS):
            differ = _broken(previous[2], row.before)
            if differ:
                findings.append(Finding("continuity", row.id, row.entity, row.entity_key,
                                        differ, detail=str(previous[0]), case_no=row.case_no))
        latest[(row.entity, row.entity_key)] = (row.id, row.action, row.after, row.case_no)
    checked = 0
    if rows:
        _discover()
        case_nos = dict(conn.execute(select(Case.id, Case.case_no)).all())
        for spec in list(AUDITED.values()):
            seen = set()
            table = spec.model.__table__
            for row in conn.execution_options(yield_per=2000).execute(select(table)).mappings():
                checked += 1
                state = row_state(spec, dict(row))
                key = spec.key_of(state)
                seen.add(key)
                if len(findings) >= MAX_FINDINGS:
                    continue
                case_no = case_nos.get(state.get(spec.case_id)) if spec.case_id else None
                logged = latest.get((spec.entity, key))
                if logged is None:
                    findings.append(Finding("unlogged", None, spec.entity, key, case_no=case_no))
                    continue
                entry_id, action, after, _case = logged
                if action == "delete" or after is None:
                    findings.append(Finding("reappeared", entry_id, spec.entity, key,
                                            case_no=case_no))
                    continue
                was = comparable(json.loads(after))
                differ = tuple(sorted(k for k in was if k in state and was[k] != state[k]))
                if differ:
                    findings.append(Finding("altered", entry_id, spec.entity, key, differ,
                                            case_no=case_no))
            for (entity, key), (entry_id, action, _after, case_no) in latest.items():
                if (entity == spec.entity and action != "delete" and key not in seen
                        and len(findings) < MAX_FINDINGS):
                    findings.append(Finding("deleted", entry_id, entity, key, case_no=case_no))
        checked += check_rules(conn, findings)
    return AuditReport(count, checked, prev_hash, tuple(findings[:MAX_FINDINGS]))


# Entries whose "before" the program read back from the row itself just before changing it:
# it must be what the row's previous entry left, or the row was edited in between (an edit
# that a later ordinary write would otherwise carry into the log as its starting point).
CONTINUED = frozenset({"update", "delete"})


def _broken(previous_after: str, before: str) -> tuple[str, ...]:
    """The fields an entry's "before" gives otherwise than the previous entry's "after".
    Compared only where both hold a value: a column added by a later migration is absent
    from the earlier entry, and a purged value is known by its digest only."""
    if previous_after == before:
        return ()
    was, now = comparable(json.loads(previous_after)), comparable(json.loads(before))
    return tuple(sorted(k for k in now if k in was and was[k] != now[k]))


def check_rules(conn: Connection, findings: list[Finding]) -> int:
    """The tables ``desk.audit.coverage`` lists as checked by a rule: each desk's day counter
    against the numbers its cases use. Returns the rows checked."""
    from desk.model import CaseSequence
    checked = 0
    counters = {(r.desk, r.day): r.last for r in conn.execute(select(CaseSequence))}
    used = {(r.desk, r.day): r.top for r in conn.execute(
        select(Case.desk, Case.day, func.max(Case.seq).label("top")).group_by(Case.desk, Case.day))}
    for desk, day in sorted(set(counters) | set(used), key=str):
        checked += 1
        if counters.get((desk, day)) != used.get((desk, day)):
            findings.append(Finding("numbering", entity_key=f"{desk} {day.isoformat()}",
                                    detail=str(counters.get((desk, day), "-"))))
    return checked


def tail_of(conn: Connection) -> tuple[int, str] | None:
    """The last entry's id and hash (an anchor to check later logs against)."""
    row = conn.execute(select(LOG.c.id, LOG.c.hash).order_by(LOG.c.id.desc()).limit(1)).first()
    return (row.id, row.hash) if row else None


def check_anchor(session: Session, entry_id: int, entry_hash_: str, source: str) -> Finding | None:
    """Is entry ``entry_id`` still the one a backup (or a printed report) recorded?"""
    stored = session.connection().execute(
        select(LOG.c.hash).where(LOG.c.id == entry_id)).scalar()
    if stored is None:
        return Finding("anchor_missing", entry_id, detail=source)
    if stored != entry_hash_:
        return Finding("anchor", entry_id, detail=source)
    return None
