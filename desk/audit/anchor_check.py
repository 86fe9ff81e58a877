"""Checking the log against anchors kept elsewhere: a head written down (``--head N:HASH``)
and the anchor folder's journal of every unit of work the desks committed."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from desk.audit.anchors import Head, read_ranges, store_key
from desk.audit.log import LOG
from desk.audit.verify import Finding
from desk.i18n import N_

Finding.MESSAGES.setdefault(
    "unanchored", N_("audit entries {entry} to {detail} were written by no desk that keeps the "
                     "anchor folder: they were added outside Complaint Desk"))


def check_head(conn: Connection, head: Head, source: str) -> Finding | None:
    """Is entry ``head.entry`` still the one remembered (its hash starting ``head.hash``)?"""
    stored = conn.execute(select(LOG.c.hash).where(LOG.c.id == head.entry)).scalar()
    if stored is None:
        return Finding("anchor_missing", head.entry, detail=source)
    if not stored.startswith(head.hash):
        return Finding("anchor", head.entry, detail=source)
    return None


def check_folder(conn: Connection, folder: Path, source: str) -> list[Finding]:
    """Every range the desks journalled must still end in the hash they saw, and every entry
    from the first journalled one on must lie in a journalled range: entries in no range
    were appended by something other than a desk (a forger who knows the algorithm)."""
    key = store_key(conn)
    if key is None:
        return []
    ranges = read_ranges(folder, key)
    if not ranges:
        return []
    findings = []
    for _first, last, digest in ranges:
        found = check_head(conn, Head(last, digest), source)
        if found is not None:
            findings.append(found)
    if findings:
        return findings
    ids = conn.execute(select(LOG.c.id).where(LOG.c.id >= ranges[0][0]).order_by(LOG.c.id))
    covered = iter(ranges)
    current = next(covered)
    loose: list[int] = []
    for (entry,) in ids:
        while current is not None and entry > current[1]:
            current = next(covered, None)
        if current is None or entry < current[0]:
            loose.append(entry)
        elif loose:
            findings.append(Finding("unanchored", loose[0], detail=str(loose[-1])))
            loose = []
    if loose:
        findings.append(Finding("unanchored", loose[0], detail=str(loose[-1])))
    return findings
