"""Anchors: the chain's head (entry number and hash) kept where whoever edits the store cannot
reach it — printed on day closes and reports, carried in day packs, and journalled in a second
folder by policy (``[anchors] folder``). A head remembered elsewhere shows a rewritten or
cut-off history; the folder's journal of every unit of work's entries also shows entries that
no desk wrote (forged ones appended between or after the desks' own).

Each line of a journal file is one unit of work: ``{"from": first entry, "to": last entry,
"hash": the last entry's hash, "at": when}``. Files are named by the store (its first entry's
hash) and the machine, so desks sharing a folder never write to the same file."""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from desk.audit.log import LOG
from desk.errors import N_, ValidationError
from desk.i18n import FIELD_LABELS

FIELD_LABELS.setdefault("head", N_("audit head"))
RANGE = "audit_range"          # connection.info key: (first id, last id, last hash) this unit
_HEAD = re.compile(r"^\s*(\d{1,12})\s*:\s*([0-9a-fA-F]{8,64})\s*$")


@dataclass(frozen=True)
class Head:
    """An entry number and (a prefix of) its hash, as remembered outside the store."""

    entry: int
    hash: str

    def __str__(self) -> str:
        return f"{self.entry}:{self.hash}"

    @property
    def short(self) -> str:
        """As printed for people to copy: the number and 16 hex digits (64 bits)."""
        return f"{self.entry}:{self.hash[:16]}"


def parse_head(text: object, field: str = "head") -> Head:
    match = _HEAD.match(str(text or ""))
    if not match or int(match.group(1)) < 1:
        raise ValidationError(N_("{value} is not an audit head like 1234:9f2c4e1a07b3d5e6 (entry "
                                 "number, colon, at least 8 hex digits of its hash)"),
                              field=field, value=str(text or "")[:80])
    return Head(int(match.group(1)), match.group(2).lower())


def head_of(conn: Connection) -> Head | None:
    row = conn.execute(select(LOG.c.id, LOG.c.hash).order_by(LOG.c.id.desc()).limit(1)).first()
    return Head(row.id, row.hash) if row else None


def store_key(conn: Connection) -> str | None:
    """The store's identity for anchor files: its first entry's hash (a copy of the store,
    with the same history, shares it)."""
    first = conn.execute(select(LOG.c.hash).where(LOG.c.id == 1)).scalar()
    return first[:16] if first else None


def note_append(conn: Connection, first: int, last: int, last_hash: str) -> None:
    """Called by every append: this transaction's range grows to take it in (a range left
    from an earlier transaction on the same connection is dropped)."""
    transaction = conn.get_transaction()
    known = conn.info.get(RANGE)
    start = known[1] if known and known[0] is transaction else first
    conn.info[RANGE] = (transaction, start, last, last_hash)


def take_range(conn: Connection) -> tuple[int, int, str] | None:
    """The entries this transaction appended: (first, last, last hash), or None."""
    known = conn.info.pop(RANGE, None)
    if known is None or known[0] is not conn.get_transaction():
        return None
    return known[1], known[2], known[3]


def _journal(folder: Path, key: str) -> Path:
    import platform
    machine = re.sub(r"[^A-Za-z0-9_-]", "_", platform.node())[:40] or "pc"
    return Path(folder) / f"{key}.{machine}.anchors"


def write_range(folder: Path, key: str, first: int, last: int, last_hash: str,
                at: str, *, reset: bool = False) -> None:
    """Append one unit of work's range to this machine's journal, flushed to disk. ``reset``
    marks the first unit after a restore: the entries journalled before from ``first`` on
    were replaced by the backup's (a restore is logged, and journalled, as such)."""
    Path(folder).mkdir(parents=True, exist_ok=True)
    item = {"from": first, "to": last, "hash": last_hash, "at": at}
    if reset:
        item["reset"] = True
    line = json.dumps(item, separators=(",", ":"))
    with open(_journal(folder, key), "a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


def read_ranges(folder: Path, key: str) -> list[tuple[int, int, str]]:
    """Every journalled range of this store in the folder (all machines), by first entry;
    ranges a restore replaced are left out. A line cut short by a crash is skipped: it
    never named an entry."""
    lines = []
    for path in sorted(Path(folder).glob(f"{key}.*.anchors")):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                item = json.loads(line)
                lines.append((str(item["at"]), int(item["from"]), int(item["to"]),
                               str(item["hash"]), bool(item.get("reset"))))
            except (ValueError, KeyError, TypeError, AttributeError):
                continue
    ranges: list[tuple[int, int, str]] = []
    for _at, first, last, digest, reset in sorted(lines):
        if reset:
            ranges = [r for r in ranges if r[1] < first]
        ranges.append((first, last, digest))
    return sorted(set(ranges))
