"""Attachments' bytes live in the store: stored once per SHA-256, bounded in size, read back
for the screen and the printed form. A name is only a label: it is never opened as a path."""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
from pathlib import PurePosixPath, PureWindowsPath

from sqlalchemy import select
from sqlalchemy.orm import Session

from desk.errors import N_, LazyText, ValidationError
from desk.model import AttachmentBlob

MAX_BYTES = 20 * 1024 * 1024    # a phone photo is 2-8 MB; more is a video or a mistake
FIELD = "attachment"
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


def digest_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def safe_name(name: object, field: str = FIELD) -> str:
    """The attachment's file name, kept as a label (a relative path keeps its last part).
    Anything that could point the program at a file is refused on every OS, by Windows and
    POSIX rules alike: an absolute path, a drive (``C:\\x``, drive-relative ``C:x``), a UNC
    share or device path (``\\\\server\\share``, ``\\\\?\\``, ``//server/share``), a
    ``..``, a stream (``photo.jpg:x``) and a device name (``NUL``, ``CON``, ``COM1``, ``LPT1``
    also with an extension)."""
    text = str(name or "").strip()
    if not text or len(text) > 500 or not text.isprintable():
        raise ValidationError(N_("needs a file name of at most 500 characters"), field=field)
    problem = path_problem(text)
    if problem is not None:
        raise ValidationError(N_("{value} is {problem}; only a file name is accepted"),
                              field=field, value=text[:60], problem=LazyText(problem))
    label = re.split(r"[\\/]", text)[-1]
    if label in ("", "."):
        raise ValidationError(N_("needs a file name of at most 500 characters"), field=field)
    return label


def path_problem(text: str) -> str | None:
    """Why ``text`` is not a plain relative name under either path flavour (a msgid), or
    None. Only the text is looked at: nothing is resolved or opened."""
    parts = re.split(r"[\\/]", text)
    win = PureWindowsPath(text)
    if text.startswith(("/", "\\")) or win.drive or win.root or PurePosixPath(text).is_absolute():
        return N_("an absolute path, a drive or a network share")
    if ":" in text:
        return N_("a drive or a stream name")
    if ".." in parts:
        return N_("a path that leads out of its folder")
    if any(_is_device(part) for part in parts):
        return N_("a Windows device name")
    return None


def _is_device(part: str) -> bool:
    """``NUL``, ``con.txt``, ``COM1 .jpg``: Windows opens the device whatever follows."""
    stem = part.split(".")[0].rstrip(" .").upper()
    return stem in _DEVICES


_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"}
                     | {f"{kind}{n}" for kind in ("COM", "LPT")
                        for n in "0123456789\u00b9\u00b2\u00b3"})


def check_size(data: bytes, field: str = FIELD) -> None:
    if not isinstance(data, (bytes, bytearray)) or not data:
        raise ValidationError(N_("the file is empty"), field=field)
    if len(data) > MAX_BYTES:
        raise ValidationError(N_("the file is larger than {limit} MB"), field=field,
                              limit=MAX_BYTES // (1024 * 1024))


def store_bytes(session: Session, data: bytes, name: object, field: str = FIELD) -> str:
    """Keep ``data`` in the store (once per digest) and return its SHA-256. ``name`` is
    checked as a label (see ``safe_name``); the caller records it with the attachment."""
    safe_name(name, field)
    check_size(data, field)
    data = bytes(data)
    digest = digest_of(data)
    if session.get(AttachmentBlob, digest) is None:
        session.add(AttachmentBlob(sha256=digest, size=len(data), data=data))
        session.flush()
    return digest


def read_bytes(session: Session, sha256: str) -> bytes | None:
    """The bytes of an attachment, or None when this store does not hold them (recorded
    before attachments lived in the store, or brought in by a document without them)."""
    if not isinstance(sha256, str) or not _DIGEST.match(sha256):
        return None
    return session.scalar(select(AttachmentBlob.data).where(AttachmentBlob.sha256 == sha256))


def check_digest(sha256: object, field: str = FIELD) -> str:
    if not isinstance(sha256, str) or not _DIGEST.match(sha256):
        raise ValidationError(N_("is not a SHA-256 digest"), field=field)
    return sha256


def from_document(entry: dict, field: str) -> bytes | None:
    """The bytes an attachment entry of a case document carries (``data``, base64, checked
    against its ``sha256``), or None when it only names a photo by its digest (a record
    from another store or system: the reference is kept, the bytes are not in this store
    until attached here). Its ``path`` is only the name: never opened."""
    safe_name(entry.get("path"), f"{field}.path")
    encoded = entry.get("data")
    if encoded is None:
        check_digest(entry.get("sha256"), f"{field}.sha256")
        return None
    try:
        data = base64.b64decode(str(encoded), validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError(N_("is not base64"), field=f"{field}.data") from None
    check_size(data, field)
    expected = entry.get("sha256")
    if expected is not None and expected != digest_of(data):
        raise ValidationError(N_("does not match the attached bytes"), field=f"{field}.sha256")
    return data
