"""Reviewing a day pack on a PC with no store: the reviewer signs in against the PIN hashes
the pack carries (wrong PINs counted in the pack, locked out as at the counter), then every
decision is taken, and saved into the pack, under their name.

The PIN check here keeps the wrong person out of the program; it is not what the store
trusts. On import the store accepts the decisions only from their reviewer, signed in at the
store with the PIN it holds (``desk.packs.import_pack``).
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from desk import review as rv
from desk import rules
from desk.enums import Privilege, Status
from desk.errors import N_, AuthenticationError, AuthorityError, TransitionError, ValidationError
from desk.i18n import format_datetime
from desk.model import utcnow
from desk.packs import DECISIONS, MANIFEST, POLICY, REVIEWERS, PackError, _json_bytes, \
    _load_json, _row_in, _write_zip, read_pack, sha256
from desk.policy import Policy, load_policy
from desk.security import pin_matches
from desk.services import validate
from desk.store_policy import policy_from_store_text


@dataclass(frozen=True)
class PackDecision:
    uid: str
    case_no: str
    decision: str
    comment: str
    at: datetime
    seen_version: int
    by: str             # the staff number of the reviewer who signed in and decided


class PackReview:
    """Review straight from a pack file, with no store: the same rows, documents and forms
    the desk has, decisions kept in memory and written into the pack by ``save()``.
    Nothing is decided until someone has signed in with ``sign_in``."""

    def __init__(self, path: Path, policy: Policy | None = None, *,
                 trusted: dict[str, str] | None = None) -> None:
        # ``trusted``: the reviewing store's trusted pack keys (desk.pack_signing); every
        # surface passes them, so a pack forged or from an unknown store is refused here.
        self.pack = read_pack(path, trusted)
        try:
            self._read(policy)
        except (KeyError, TypeError, ValueError, ArithmeticError, AttributeError,
                UnicodeDecodeError):
            # The digests matched, but the exported or saved JSON is not in the shape this
            # program writes: edited by hand, and refused like any altered pack.
            raise PackError(N_("the decisions in the day pack cannot be read")) from None

    def _read(self, policy: Policy | None) -> None:
        # The exporting store's policy travels in the pack and governs the review; an older
        # pack without it is reviewed under ``policy`` (or the bundled one).
        if POLICY in self.pack.members:
            policy = policy_from_store_text(self.pack.members[POLICY].decode("utf-8"))
        self.policy = policy = policy or load_policy()
        m = self.pack.manifest
        self.day = self.pack.day
        self.desk: str | None = m.get("desk")
        self.desks: list[str] = list(m.get("desks") or [])
        self.staff: dict[str, dict] = dict(m.get("staff") or {})
        self._rows = {r["case_no"]: _row_in(r) for r in m.get("cases", [])}
        gate = self._load(REVIEWERS) if REVIEWERS in self.pack.members else {}
        self.reviewers: dict[str, dict] = _records(gate.get("staff"))
        # The store's own limits, exported with the hashes (the local policy may differ).
        self.pin_attempts = int(gate.get("pin_attempts") or policy.pin_attempts)
        self.pin_lock = timedelta(minutes=int(gate.get("pin_lock_minutes")
                                              or policy.pin_lock_minutes))
        self.pin_window = int(gate.get("pin_window_minutes") or policy.pin_window_minutes)
        d = self.pack.decisions
        reviewer = d.get("reviewer") or {}
        self.reviewer_no: str | None = reviewer.get("staff_no")
        self.signed_in: str | None = None
        self.failures: dict[str, dict] = _records(d.get("pin_failures"))
        self.decisions: dict[str, PackDecision] = {}
        for item in d.get("decisions", []):
            dec = PackDecision(item["uid"], item["case_no"], item["decision"],
                               item.get("comment") or "", datetime.fromisoformat(item["at"]),
                               int(item["seen_version"]), str(item.get("by") or ""))
            self.decisions[dec.case_no] = dec
        self.close_requests: list[str] = list(d.get("close_days") or [])
        self.dirty = False

    def _load(self, name: str) -> dict:
        data = _load_json(self.pack.members, name)
        return data if isinstance(data, dict) else {}

    @property
    def path(self) -> Path:
        return self.pack.path

    @property
    def exported_at(self) -> datetime:
        return datetime.fromisoformat(self.pack.manifest["exported_at"])

    def staff_name(self, staff_no: str | None) -> str:
        return (self.staff.get(staff_no or "") or {}).get("name") or (staff_no or "")

    # --- who is reviewing ------------------------------------------------------------------
    def sign_in(self, staff_no: str, pin: str, *, now: datetime | None = None) -> None:
        """Check the reviewer's PIN against the pack. A wrong PIN is counted and saved in
        the pack at once; after the store's number of attempts the person is locked out."""
        now = now or utcnow()
        staff_no = str(staff_no).strip()
        if not self.reviewers:
            raise ValidationError(N_("this day pack carries no reviewer's PIN check (it was "
                                     "exported by an older version); export the day again"),
                                  field="staff_id")
        person = self.reviewers.get(staff_no)
        if person is None:
            if staff_no in self.staff:
                raise AuthorityError(N_("reviewing cases needs a supervisor or higher"),
                                     field="role")
            raise ValidationError(N_("no staff member with ID {value}"), field="staff_id",
                                  value=staff_no[:40])
        role = self.policy.roles.get(person.get("role", ""))
        if role is None or not role.has(Privilege.REVIEW):
            raise AuthorityError(N_("reviewing cases needs a supervisor or higher"),
                                 field="role")
        record = self.failures.get(staff_no) or {}
        until = _instant(record.get("locked_until"))
        if until and until > now:
            raise AuthenticationError(N_("too many wrong PINs; {value} is locked until {until}"),
                                      field="staff_id", value=staff_no,
                                      until=format_datetime(until, self.policy.tz))
        window = timedelta(minutes=self.pin_window)
        since = _instant(record.get("since"))
        if not pin_matches(str(person.get("pin_hash") or ""), pin):
            # counted within the window, as at the counter (desk.services.auth)
            wrong = _count(record.get("count"))
            if since is None or now - since >= window:
                since, wrong = now, 0
            wrong += 1
            locked = None
            if wrong >= self.pin_attempts:
                wrong, since, locked = 0, None, (now + self.pin_lock).isoformat()
            self.failures[staff_no] = {"count": wrong, "locked_until": locked,
                                       "since": since.isoformat() if since else None}
            self._save(now=now)
            raise AuthenticationError(N_("wrong PIN for {value}"), field="pin", value=staff_no)
        if self.decisions and self.reviewer_no and staff_no != self.reviewer_no:
            raise ValidationError(N_("this pack already holds decisions by {value}; one pack "
                                     "is reviewed by one person"), field="staff_id",
                                  value=self.staff_name(self.reviewer_no))
        if staff_no in self.failures and (since is None or now - since >= window):
            del self.failures[staff_no]   # only a window that is over is forgotten
            self.dirty = True
        if self.reviewer_no != staff_no:
            self.reviewer_no = staff_no
            self.dirty = True
        self.signed_in = staff_no

    def _require_signed_in(self) -> str:
        if not self.signed_in or self.signed_in != self.reviewer_no:
            raise ValidationError(N_("sign in as the reviewer first"), field="staff_id")
        return self.signed_in

    # --- the day, as reviewed so far -------------------------------------------------------
    def rows(self) -> list[rv.ReviewRow]:
        """The exported rows with this pack's decisions laid over them."""
        out = []
        for row in self._rows.values():
            dec = self.decisions.get(row.case_no)
            if dec:
                row = replace(row, review=dec.decision, reviewer=self.staff_name(dec.by),
                              review_comment=dec.comment, reviewed_at=dec.at)
            out.append(row)
        return out

    def review_day(self) -> rv.ReviewDay:
        closes = tuple(rv.DayCloseRow(**{**c, "day": date.fromisoformat(c["day"]),
                                         "closed_at": datetime.fromisoformat(c["closed_at"]),
                                         "reopened_at": _dt(c.get("reopened_at"))})
                       for c in self.pack.manifest.get("closes", []))
        return rv.ReviewDay(self.day, self.desk, tuple(self.rows()), closes)

    def document(self, case_no: str) -> dict:
        return _load_json(self.pack.members, f"cases/{case_no}.json")

    def form_pdf(self, case_no: str) -> bytes:
        return self.pack.members[f"forms/{case_no}.pdf"]

    # --- deciding --------------------------------------------------------------------------
    def decide(self, case_no: str, decision: str, comment: str = "", *,
               now: datetime | None = None) -> PackDecision:
        """Record (or replace) the decision on one case; the same checks as at the desk,
        as far as they can be made without the store."""
        by = self._require_signed_in()
        row = self._rows.get(case_no)
        if row is None:
            raise ValidationError(N_("no case numbered {value}"), field="case_no",
                                  value=str(case_no)[:40])
        self._check_open(row.desk)
        choice = rv.Decision(validate.choice(rv.Decision, decision, "status"))
        comment = validate.text(comment, "reason", required=choice is rv.Decision.RETURNED,
                                max_len=2000)
        if choice is rv.Decision.SIGNED_OFF and Status(row.status) in rules.ACTIVE:
            raise TransitionError(N_("case {value} is still being handled ({status}); approve "
                                     "it or return it to the desk, and sign it off once it "
                                     "is resolved"), value=row.case_no,
                                  status=Status(row.status).label)
        dec = PackDecision(str(uuid.uuid4()), case_no, choice.value, comment,
                           now or utcnow(), row.version, by)
        self.decisions[case_no] = dec
        self.dirty = True
        return dec

    def _check_open(self, desk: str) -> None:
        if self.review_day().closed(desk) is not None or desk in self.close_requests:
            raise TransitionError(N_("desk {desk}'s day is closed; nothing more can be "
                                     "decided in this pack"), desk=desk)

    def close_blockers(self, desk: str) -> list[str]:
        """As at the desk, counting a signed-off resolved case as finished (signing off
        closes it when the pack is imported)."""
        rows = [r for r in self.rows() if r.desk == desk]
        rows = [replace(r, status=Status.CLOSED.value)
                if r.status == Status.RESOLVED and r.review == rv.Decision.SIGNED_OFF else r
                for r in rows]
        return rv.close_blockers(rows)

    def request_close(self, desk: str) -> None:
        """Ask for the desk's day to be closed when the pack is imported."""
        self._require_signed_in()
        if desk not in self.desks:
            raise ValidationError(N_("this pack holds no cases of desk {value}"), field="desk",
                                  value=str(desk)[:4])
        self._check_open(desk)
        problems = self.close_blockers(desk)
        if problems:
            raise TransitionError(N_("desk {desk}'s day {day} cannot close yet: {problems}"),
                                  field="date", desk=desk, day=self.day.isoformat(),
                                  problems="; ".join(problems))
        self.close_requests.append(desk)
        self.dirty = True

    def save(self, *, now: datetime | None = None) -> None:
        """Write the decisions into the pack (a new decisions.json and manifest digest)."""
        self._require_signed_in()
        self._save(now=now)

    def _save(self, *, now: datetime | None = None) -> None:
        decisions = {
            "reviewer": ({"staff_no": self.reviewer_no, "name": self.staff_name(self.reviewer_no)}
                         if self.reviewer_no else None),
            "decisions": [{"uid": d.uid, "case_no": d.case_no, "decision": d.decision,
                           "comment": d.comment, "at": d.at.isoformat(),
                           "seen_version": d.seen_version, "by": d.by}
                          for d in sorted(self.decisions.values(), key=lambda d: d.case_no)],
            "close_days": self.close_requests, "saved_at": (now or utcnow()).isoformat(),
            "pin_failures": self.failures,
        }
        members = dict(self.pack.members)
        members[DECISIONS] = _json_bytes(decisions)
        manifest = dict(self.pack.manifest)
        manifest["files"] = {**manifest["files"], DECISIONS: sha256(members[DECISIONS])}
        members[MANIFEST] = _json_bytes(manifest)
        _write_zip(self.path, members)
        self.pack = replace(self.pack, manifest=manifest, members=members, decisions=decisions)
        self.dirty = False


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _instant(value: object) -> datetime | None:
    """A time from the pack's failure record; anything else (edited into the file) is none."""
    try:
        at = datetime.fromisoformat(value) if isinstance(value, str) and value else None
    except ValueError:
        return None
    return at if at is not None and at.tzinfo is not None else None


def _records(value: object) -> dict[str, dict]:
    """Staff number -> record, keeping only entries in the shape this program writes."""
    if not isinstance(value, dict):
        return {}
    return {str(k): v for k, v in value.items() if isinstance(v, dict)}


def _count(value: object) -> int:
    return value if isinstance(value, int) and 0 <= value < 1000 else 0


__all__ = ["PackDecision", "PackReview"]
