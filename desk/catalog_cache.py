"""Compiled message catalogs (.mo) kept in the user cache folder, keyed by the .po's digest.

Compiling a .po with Babel costs about a fifth of a second at every start, so the result is
kept. The cache file is named after the SHA-256 of the .po's bytes: a translation edit makes
a new name, so a stale .mo can never shadow the source (the reason catalogs used to be compiled
in memory every time). Nothing is downloaded; if the cache folder cannot be written (a locked
down PC, a full disk), the catalog is compiled in memory as before.
"""
from __future__ import annotations

import hashlib
import io
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)
# The part of the digest in the file name: enough to tell catalog versions apart.
DIGEST_CHARS = 20


def compile_po(data: bytes, locale: str) -> bytes:
    """The .mo bytes for a .po's bytes (Babel loads only when a catalog must be compiled)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    catalog = read_po(io.BytesIO(data), locale=locale)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def cached_name(locale: str, domain: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:DIGEST_CHARS]
    return f"{domain}-{locale}-{digest}.mo"


def compiled_catalog(po_path: Path, locale: str, domain: str, cache_dir: Path) -> bytes:
    """The compiled catalog for ``po_path``: from the cache when the .po is unchanged,
    otherwise compiled, stored (older versions of the same catalog removed) and returned."""
    data = po_path.read_bytes()
    target = cache_dir / cached_name(locale, domain, data)
    try:
        return target.read_bytes()
    except OSError:
        pass
    compiled = compile_po(data, locale)
    try:
        _store(target, compiled, stale=f"{domain}-{locale}-*.mo")
    except OSError as exc:   # read-only or full: still works, only slower next time
        log.warning("cannot keep the compiled %s catalog in %s: %s", locale, cache_dir, exc)
    return compiled


def _store(target: Path, compiled: bytes, *, stale: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    for old in target.parent.glob(stale):
        if old != target:
            try:
                old.unlink(missing_ok=True)
            except OSError:   # another desk has it open (Windows): removed another time
                pass
    # Written under a name unique to this process and renamed, so two desks starting at once
    # never read a half-written file.
    partial = target.with_name(f"{target.name}.{os.getpid()}.part")
    partial.write_bytes(compiled)
    partial.replace(target)
