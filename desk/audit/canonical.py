"""Canonical values and the entry hash: one JSON text for a row however it was reached,
personal values salted (purgeable) and secret ones fingerprinted."""
from __future__ import annotations

import hashlib
import json
import secrets
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any, Iterable

from desk.audit.log import Audited


def plain(value: Any) -> Any:
    """A JSON value that reads the same whichever way the row was reached: money without
    trailing zeros, instants in UTC with microseconds."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


# json.dumps(obj, **options) is JSONEncoder(**options).encode(obj); one encoder each spares
# building one for every value hashed (a dozen per row written).
_canonical = json.JSONEncoder(sort_keys=True, ensure_ascii=True, separators=(",", ":")).encode
_stored_text = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
_ascii_string = json.encoder.encode_basestring_ascii


def canonical(obj: Any) -> str:
    return _canonical(obj)


def _stored(obj: Any) -> str:
    return _stored_text(obj)


def _digest(salt: str, value: Any) -> str:
    # A salted value is nearly always text: its canonical JSON straight from the encoder's
    # C routine (the very call JSONEncoder.encode makes for a string), a dozen times a row.
    text = _ascii_string(value) if type(value) is str else canonical(value)
    return hashlib.sha256((salt + text).encode("ascii")).hexdigest()


def _fingerprint(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray, memoryview)):   # a photo: its own digest, whole
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    return "sha256:" + hashlib.sha256(str(value).encode("utf-8")).hexdigest()[:16]


def _is_salted(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$v", "$s"}


def _is_purged(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$h"}


def _committed(value: Any) -> Any:
    """The form that enters the hash: salted values as their digest."""
    if not isinstance(value, dict):
        return value
    if _is_salted(value):
        return {"$h": _digest(value["$s"], value["$v"])}
    return {k: (_committed(v) if isinstance(v, dict) else v) for k, v in value.items()}


def _purge_values(state: dict, fields: Iterable[str]) -> dict:
    return {k: ({"$h": _digest(v["$s"], v["$v"])} if k in fields and _is_salted(v) else v)
            for k, v in state.items()}


def row_state(spec: Audited, row: dict) -> dict:
    """A row as plain values, secret columns as fingerprints (no salts yet)."""
    return {name: (_fingerprint(value) if name in spec.secret else plain(value))
            for name, value in row.items()}


def _salt(spec: Audited, state: dict | None, *, purged: bool = False) -> dict | None:
    if state is None:
        return None
    out = {}
    for name, value in state.items():
        if name in spec.personal:
            salted = {"$v": value, "$s": secrets.token_hex(8)}
            out[name] = _committed(salted) if purged else salted
        else:
            out[name] = value
    return out


def comparable(state: dict | None) -> dict:
    """Plain values of a logged state; purged values are left out (unknown)."""
    if not state:
        return {}
    return {k: (v["$v"] if _is_salted(v) else v) for k, v in state.items() if not _is_purged(v)}


def entry_hash(prev_hash: str, entry_id: int, at: Any, staff_no: str | None, entity: str,
               entity_key: str, case_no: str | None, action: str, before: str | None,
               after: str | None) -> str:
    return _entry_digest(prev_hash, entry_id, at, staff_no, entity, entity_key, case_no, action,
                         json.loads(before) if before is not None else None,
                         json.loads(after) if after is not None else None)


def _entry_digest(prev_hash: str, entry_id: int, at: Any, staff_no: str | None, entity: str,
                  entity_key: str, case_no: str | None, action: str, before: Any,
                  after: Any) -> str:
    """``entry_hash`` of the values themselves: appending hashes what it is about to store
    without parsing it back (canonical JSON of a value and of its stored JSON read back
    are the same text)."""
    payload = {"id": entry_id, "at": plain(at), "staff_no": staff_no, "entity": entity,
               "entity_key": entity_key, "case_no": case_no, "action": action,
               "before": _committed(before) if before is not None else None,
               "after": _committed(after) if after is not None else None}
    return hashlib.sha256((prev_hash + canonical(payload)).encode("ascii")).hexdigest()
