"""Offline day packs: one zip file with a day's cases (case documents), their printed forms
and a manifest of SHA-256 digests, reviewed on a PC with no link to the store and merged back.

Members:
  manifest.json    format, pack id, day, desk(s), who exported it, staff names, each case's
                   review row as exported, and the SHA-256 of every other member
  cases/<no>.json  the case in the case document format (``desk.casedoc``)
  forms/<no>.pdf   the printed form (rendered, not recorded as a print)
                   (both with personal data as the exporter may see it: ``desk.privacy``)
  reviewers.json   who may review from the pack: staff number, name, role and argon2 PIN hash
                   of each reviewer, and the store's PIN attempts (``desk.pack_review`` checks
                   the PIN offline)
  decisions.json   the reviewer's decisions and day-close requests (``desk.pack_review``)
  policy.toml      the exporting store's own policy, which governs the review from the file

Import trusts nothing in the file: the digests must match, the pack must have been exported
by this store (its cases, forms and reviewers still hashing as exported), and the decisions
are recorded only when their reviewer is the importing, signed-in person, through the same
rules as at the desk.
"""
from __future__ import annotations

from collections.abc import Callable
import hashlib
import json
import os
import tempfile
import uuid
import zipfile
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from desk import pack_shape
from desk import review as rv
from desk.casedoc import export_case
from desk.enums import Privilege
from desk.errors import N_, DomainError, ValidationError
from desk.i18n import _
from desk.input_limits import DAY_PACK, parse_json, read_zip
from desk.model import Case, Setting, Staff, utcnow
from desk.policy import Policy
from desk.privacy import document_mask, for_viewer
from desk.privileges import require
from desk.queries import detail_of, load_case
from desk.review_model import PackExport, Review, closed_day
from desk.services.auth import Actor
from desk.store_policy import policy_record

FORMAT = "complaint-desk/day-pack@1"
MANIFEST = "manifest.json"
DECISIONS = "decisions.json"
POLICY = "policy.toml"
REVIEWERS = "reviewers.json"
SUFFIX = ".deskpack"


class PackError(DomainError):
    """The pack is damaged, altered, or not from this store; nothing was written."""


# --- writing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PackSummary:
    pack_id: str
    path: Path
    day: date
    desk: str | None
    cases: int
    size: int


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _content_digest(files: dict[str, str]) -> str:
    """One digest over the exported cases, forms and reviewers (names and digests, sorted):
    the store keeps it, so none of them can be changed after the export."""
    lines = "".join(f"{name}\t{files[name]}\n" for name in sorted(files)
                    if name.startswith(("cases/", "forms/")) or name == REVIEWERS)
    return sha256(lines.encode("utf-8"))


def _json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True,
                      default=_json_default).encode("utf-8")


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in a pack")


def _row_out(row: rv.ReviewRow) -> dict:
    return asdict(row)


def _row_in(data: dict) -> rv.ReviewRow:
    values = {}
    for f in fields(rv.ReviewRow):
        value = data.get(f.name)
        if f.name in ("received_at", "reviewed_at") and value:
            value = datetime.fromisoformat(value)
        elif f.name == "compensation":
            value = Decimal(str(value or 0))
        values[f.name] = value
    return rv.ReviewRow(**values)


@dataclass(frozen=True)
class PreparedPack:
    """A pack built from a read: written to a file and recorded by ``save_pack``."""

    pack_id: str
    day: date
    desk: str | None
    cases: int
    content_sha256: str
    exported_at: datetime
    members: dict


def prepare_pack(session: Session, policy: Policy, actor: Actor, day: date,
                 desk: str | None = None, *, now: datetime | None = None,
                 locale: str | None = None, copies=(1,),
                 reviewers: tuple[str, ...] | None = None,
                 progress: Callable[[int, int], None] | None = None) -> PreparedPack:
    """Read the day and render its forms (slow: done in a read, so the counter never waits
    on the write lock while forms render). ``reviewers`` limits who may review from the
    pack (default: every active member of staff whose role has the review privilege);
    ``progress(done, total)`` is told after each case's form."""
    from desk.forms import render_triplicate

    now = now or utcnow()
    require(policy, actor, Privilege.REVIEW,
            N_("exporting a day pack needs a supervisor or higher"))
    rows = rv.review_rows(session, policy, day, desk, now=now)
    if not rows:
        raise ValidationError(N_("there are no cases on {day}{desk_text}"), field="date",
                              day=day.isoformat(), desk_text=f" ({desk})" if desk else "")
    pack_id = str(uuid.uuid4())
    mall = session.get(Setting, "mall_name")
    mall_name = mall.value if mall else policy.mall_name
    members: dict[str, bytes] = {}
    for done, row in enumerate(rows, 1):
        # What leaves the store is what the exporter may see.
        members[f"cases/{row.case_no}.json"] = _json_bytes(
            export_case(session, row.case_no, mask=document_mask(policy, actor)))
        detail = for_viewer(detail_of(load_case(session, row.case_no), session), policy, actor)
        members[f"forms/{row.case_no}.pdf"] = render_triplicate(
            detail, policy, printed_by=f"{actor.name} ({actor.staff_no})",
            locale=locale or policy.locale, paper=policy.paper, copies=copies,
            printed_at=now, mall_name=mall_name)
        if progress is not None:
            progress(done, len(rows))
    members[DECISIONS] = _json_bytes(_empty_decisions())
    members[REVIEWERS] = _json_bytes(_reviewers(session, policy, reviewers))
    record = policy_record(session)
    if record is not None:
        members[POLICY] = record.text.encode("utf-8")
    files = {name: sha256(data) for name, data in members.items()}
    staff = {s.staff_no: {"name": s.name, "role": s.role}
             for s in session.scalars(select(Staff))}
    manifest = {
        "format": FORMAT, "pack_id": pack_id, "day": day.isoformat(), "desk": desk,
        "desks": sorted({r.desk for r in rows}), "mall_name": mall_name,
        "exported_at": now.isoformat(),
        "exported_by": {"staff_no": actor.staff_no, "name": actor.name},
        "staff": staff, "cases": [_row_out(r) for r in rows],
        "closes": [asdict(c) for c in rv.day_closes(session, day, desk)],
        "files": files, "content_sha256": _content_digest(files),
        # The exporting store's audit head when the pack was read: kept by whoever holds the
        # pack, it shows a history rewritten before it (desk audit verify --head).
        "audit_head": _audit_head(session),
    }
    members[MANIFEST] = _json_bytes(manifest)
    return PreparedPack(pack_id, day, desk, len(rows), manifest["content_sha256"], now, members)


def _audit_head(session: Session) -> str | None:
    from desk.audit.anchors import head_of
    head = head_of(session.connection())
    return str(head) if head else None


def save_pack(session: Session, actor: Actor, pack: PreparedPack, out: Path) -> PackSummary:
    """Record the pack in the store and write its file, in one unit of work: if the file
    cannot be written, nothing is recorded."""
    session.add(PackExport(pack_id=pack.pack_id, desk=pack.desk, day=pack.day,
                           exported_at=pack.exported_at, exported_by_id=actor.id,
                           cases=pack.cases, content_sha256=pack.content_sha256))
    session.flush()
    from desk.pack_signing import SIGNATURE, sign
    members = dict(pack.members)
    members[SIGNATURE] = sign(session, json.loads(members[MANIFEST]), DECISIONS)
    size = _write_zip(Path(out), members)
    return PackSummary(pack.pack_id, Path(out), pack.day, pack.desk, pack.cases, size)


def export_pack(session: Session, policy: Policy, actor: Actor, day: date, out: Path,
                desk: str | None = None, *, now: datetime | None = None,
                locale: str | None = None, copies=(1,)) -> PackSummary:
    """Prepare and save in one session (tests, scripts); the app and the command prepare
    in a read and save in a short write."""
    pack = prepare_pack(session, policy, actor, day, desk, now=now, locale=locale,
                        copies=copies)
    return save_pack(session, actor, pack, out)


def _empty_decisions() -> dict:
    return {"reviewer": None, "decisions": [], "close_days": [], "saved_at": None,
            "pin_failures": {}}


def _reviewers(session: Session, policy: Policy, only: tuple[str, ...] | None) -> dict:
    """Each reviewer's PIN hash (argon2id, salted), so a PIN can be checked with no store."""
    people = {}
    for staff in session.scalars(select(Staff).where(Staff.active.is_(True))
                                 .order_by(Staff.staff_no)):
        role = policy.roles.get(staff.role)
        if role is None or not role.has(Privilege.REVIEW):
            continue
        if only is not None and staff.staff_no not in only:
            continue
        people[staff.staff_no] = {"name": staff.name, "role": staff.role,
                                  "pin_hash": staff.pin_hash}
    missing = sorted(set(only or ()) - set(people))
    if missing:
        raise ValidationError(N_("{value} is not an active member of staff who may review"),
                              field="reviewer", value=missing[0][:40])
    return {"staff": people, "pin_attempts": policy.pin_attempts,
            "pin_lock_minutes": policy.pin_lock_minutes,
            "pin_window_minutes": policy.pin_window_minutes}


def _write_zip(path: Path, members: dict[str, bytes]) -> int:
    """Write atomically: a temporary file beside the target, then one rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr(MANIFEST, members[MANIFEST])
                for name in sorted(members):
                    if name != MANIFEST:
                        # PDFs are compressed already: store them as they are.
                        kind = zipfile.ZIP_STORED if name.endswith(".pdf") else zipfile.ZIP_DEFLATED
                        zf.writestr(name, members[name], compress_type=kind)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path.stat().st_size


# --- reading and checking ----------------------------------------------------------------------

@dataclass(frozen=True)
class Pack:
    """A pack read into memory whose every digest matched."""

    path: Path
    manifest: dict
    members: dict[str, bytes]
    decisions: dict

    @property
    def pack_id(self) -> str:
        return self.manifest["pack_id"]

    @property
    def day(self) -> date:
        return date.fromisoformat(self.manifest["day"])


def read_pack(path: Path, trusted: dict[str, str] | None = None) -> Pack:
    """Open and verify a pack; any damage or alteration is a ``PackError`` naming it. With
    ``trusted`` (public key hex -> name, ``desk.pack_signing.trusted_keys``) the pack must be
    signed by one of those keys."""
    path = Path(path)
    try:
        members = read_zip(path, DAY_PACK, "pack")
    except ValidationError as exc:   # a limit of desk.input_limits: refused as a pack
        raise PackError(exc.msgid, field=exc.field, **exc.values) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise PackError(N_("{path} is not a day pack (not a readable zip file)"),
                        path=path.name) from None
    except (KeyError, ValueError, OSError, RuntimeError) as exc:
        # RuntimeError: an encrypted member; ValueError / OSError: a damaged stream
        raise PackError(N_("the day pack {path} cannot be read: {detail}"), path=path.name,
                        detail=str(exc)[:200]) from None
    manifest = _load_json(members, MANIFEST)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackError(N_("{path} is not a day pack of this program"), path=path.name)
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise PackError(N_("the day pack's manifest lists no files; it was altered"))
    _shaped(pack_shape.check_manifest, manifest)
    for name, digest in files.items():
        if name not in members:
            raise PackError(N_("{name} is missing from the day pack"), name=name)
        if sha256(members[name]) != digest:
            raise PackError(N_("{name} in the day pack does not match its SHA-256 digest; the "
                               "pack was altered or damaged and is refused"), name=name)
    from desk.pack_signing import SIGNATURE, check
    extra = sorted(set(members) - set(files) - {MANIFEST, SIGNATURE})
    if extra:
        raise PackError(N_("{name} in the day pack is not in its manifest; the pack was "
                           "altered and is refused"), name=extra[0])
    if _content_digest(files) != manifest.get("content_sha256"):
        raise PackError(N_("the day pack's cases do not match its manifest; the pack was "
                           "altered and is refused"))
    if trusted is not None:
        from desk.pack_signing import SignatureRefused
        try:
            check(members, manifest, DECISIONS, trusted)
        except SignatureRefused as exc:
            raise PackError(exc.msgid, field=exc.field, **exc.values) from None
    decisions = _load_json(members, DECISIONS)
    if not isinstance(decisions, dict) or not isinstance(decisions.get("decisions"), list):
        raise PackError(N_("the decisions in the day pack cannot be read"))
    _shaped(pack_shape.check_decisions, decisions)
    return Pack(path, manifest, members, decisions)


def _shaped(check, member: dict) -> None:
    try:
        check(member)
    except ValidationError as exc:
        raise PackError(exc.msgid, field=exc.field, **exc.values) from None


def _load_json(members: dict[str, bytes], name: str) -> object:
    if name not in members:
        raise PackError(N_("{name} is missing from the day pack"), name=name)
    try:
        return parse_json(members[name], DAY_PACK, name)
    except ValidationError:
        raise PackError(N_("{name} in the day pack is not valid JSON"), name=name) from None


# --- merging back ----------------------------------------------------------------------------

@dataclass
class PackImport:
    """What an import did, case by case."""

    pack_id: str
    applied: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    already_closed: list[str] = field(default_factory=list)
    close_refused: list[tuple[str, str]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.applied or self.closed)

    def lines(self) -> list[str]:
        out = [_("{count} decisions applied").format(count=len(self.applied)),
               _("{count} already imported before").format(count=len(self.already))]
        out += [_("conflict, not applied: {case}: {reason}").format(case=c, reason=r)
                for c, r in self.conflicts]
        out += [_("refused: {case}: {reason}").format(case=c, reason=r) for c, r in self.refused]
        out += [_("day closed for desk {desk}").format(desk=d) for d in self.closed]
        out += [_("day already closed for desk {desk}").format(desk=d)
                for d in self.already_closed]
        out += [_("day not closed for desk {desk}: {reason}").format(desk=d, reason=r)
                for d, r in self.close_refused]
        return out


def import_pack(session: Session, policy: Policy, actor: Actor, path: Path, *,
                now: datetime | None = None) -> PackImport:
    """Merge a reviewed pack's decisions into the store. A damaged or foreign pack raises
    ``PackError`` before anything is written; a decision already imported is skipped; a case
    changed at the desk since the export is a conflict and left alone."""
    now = now or utcnow()
    from desk.pack_signing import own_key
    own = own_key(session)
    pack = read_pack(path, {own.public_key: "this store"} if own is not None else {})
    export = session.scalar(select(PackExport).where(PackExport.pack_id == pack.pack_id))
    if export is None:
        raise PackError(N_("this day pack was not exported from this store"))
    if export.content_sha256 != pack.manifest.get("content_sha256"):
        raise PackError(N_("the day pack's cases differ from what this store exported; the "
                           "pack was altered and is refused"))
    items = pack.decisions.get("decisions") or []
    report = PackImport(pack.pack_id)
    if not items and not pack.decisions.get("close_days"):
        return report
    _check_reviewer(policy, actor, pack, items)
    _check_times(policy, export, items, now)
    exported = {r["case_no"]: r for r in pack.manifest.get("cases", [])}
    for item in sorted(items, key=lambda i: (i.get("at") or "", i.get("case_no") or "")):
        _import_decision(session, policy, actor, pack, export, exported, item, now, report)
    for desk in pack.decisions.get("close_days") or []:
        if desk not in pack.manifest.get("desks", []):
            report.close_refused.append((str(desk), _("not a desk of this pack")))
            continue
        if closed_day(session, desk, pack.day) is not None:
            report.already_closed.append(desk)
            continue
        try:
            with session.begin_nested():
                rv.close_day(session, policy, actor, desk, pack.day, now=now)
            report.closed.append(desk)
        except DomainError as exc:
            report.close_refused.append((desk, exc.message()))
    if report.changed:
        export.last_import_at = now
        session.flush()
    return report


def _check_reviewer(policy: Policy, actor: Actor, pack: Pack, items: list) -> None:
    """Nobody acts for another: every decision (and the day-close requests) must be the
    importer's own, taken after they gave their PIN to the pack; and the importer's role in
    this store must still hold the review privilege."""
    reviewer = str((pack.decisions.get("reviewer") or {}).get("staff_no") or "?")
    for item in items:
        by = str(item.get("by") or "?")
        if by != actor.staff_no or reviewer != actor.staff_no:
            raise PackError(N_("the decision on {case} was made by {reviewer}; only {reviewer}, "
                               "signed in, may import it"), field="reviewer",
                            case=str(item.get("case_no"))[:40], reviewer=by[:40])
    if reviewer != actor.staff_no:
        raise PackError(N_("the decisions in this pack were made by {reviewer}; {reviewer} must "
                           "sign in to import them"), field="reviewer", reviewer=reviewer[:40])
    require(policy, actor, Privilege.REVIEW)


def _check_times(policy: Policy, export: PackExport, items: list, now: datetime) -> None:
    """A decision was taken after the pack left the store and before it came back (the
    clock's skew allowed); any other time was written into the file, and the pack is
    refused whole."""
    latest = now + timedelta(minutes=policy.clock_skew_minutes)
    earliest = _aware(export.exported_at)
    for i, item in enumerate(items):
        try:
            at = datetime.fromisoformat(str(item.get("at")))
        except ValueError:
            continue   # no valid time: refused with the decision itself
        if at.tzinfo is not None and not earliest <= at <= latest:
            raise PackError(N_("{value} is not between the pack's export and now: the pack "
                               "was altered and is refused"), field=f"decisions[{i}].at",
                            value=str(item.get("at"))[:40])


def _aware(value: datetime) -> datetime:
    """SQLite gives back instants without their zone; they are stored in UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)


def _import_decision(session, policy, actor, pack, export, exported, item, now, report) -> None:
    case_no = str(item.get("case_no"))
    uid = str(item.get("uid"))
    if session.scalar(select(Review.id).where(Review.uid == uid)) is not None:
        report.already.append(case_no)
        return
    if case_no not in exported:
        report.refused.append((case_no, _("not a case of this pack")))
        return
    case = session.scalar(select(Case).where(Case.case_no == case_no))
    if case is None:
        report.refused.append((case_no, _("no longer in the store")))
        return
    if case.version != exported[case_no]["version"]:
        report.conflicts.append((case_no, _("changed at the desk since the pack was "
                                            "exported")))
        return
    newer = session.scalar(select(Review.id).where(
        Review.case_id == case.id, Review.recorded_at > export.exported_at,
        or_(Review.pack_id.is_(None), Review.pack_id != pack.pack_id)).limit(1))
    if newer is not None:
        report.conflicts.append((case_no, _("reviewed at the desk since the pack was "
                                            "exported")))
        return
    try:
        at = datetime.fromisoformat(str(item.get("at")))
        if at.tzinfo is None:
            raise ValueError
        with session.begin_nested():
            rv.decide(session, policy, case_no, actor, item.get("decision"),
                      item.get("comment") or "", now=now, at=at,
                      expected_version=case.version, uid=uid, pack_id=pack.pack_id)
        report.applied.append(case_no)
    except ValueError:
        report.refused.append((case_no, _("the decision has no valid time")))
    except DomainError as exc:
        report.refused.append((case_no, exc.message()))


__all__ = ["FORMAT", "Pack", "PackError", "PackImport", "PackSummary", "PreparedPack",
           "export_pack", "import_pack", "prepare_pack", "read_pack", "save_pack"]
