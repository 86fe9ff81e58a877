"""The shape of a day pack's manifest and decisions, checked once when the pack is read, so
the review and the import never meet a value of the wrong type (anyone can edit these two
members and recompute their digests). A refusal names the member and the key."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from desk.errors import N_, ValidationError

_TEXT, _INT = (str,), (int,)
_ROW_TEXTS = ("case_no", "desk", "received_at", "status", "level", "category", "customer_name",
              "handler", "summary", "sla", "review")
_ROW_INTS = ("severity", "version", "approvals_pending", "approvals_given")


def check_manifest(manifest: dict) -> None:
    _keys(manifest, "manifest.json", {"pack_id": _TEXT, "day": _TEXT, "exported_at": _TEXT,
                                      "content_sha256": _TEXT, "files": (dict,)})
    _optional(manifest, "manifest.json", {"desk": _TEXT, "desks": (list,), "staff": (dict,),
                                          "cases": (list,), "closes": (list,),
                                          "mall_name": _TEXT})
    _day(manifest["day"], "manifest.json.day")
    _keys(manifest.get("exported_by") or {}, "manifest.json.exported_by", {"staff_no": _TEXT})
    _instant(manifest["exported_at"], "manifest.json.exported_at")
    for name, digest in manifest["files"].items():
        if not isinstance(digest, str):
            _fail(f"manifest.json.files.{name[:40]}")
    _texts(manifest.get("desks") or [], "manifest.json.desks")
    for key, person in (manifest.get("staff") or {}).items():
        if not isinstance(person, dict) or not isinstance(person.get("name", ""), str):
            _fail(f"manifest.json.staff.{key[:20]}")
    for i, row in enumerate(manifest.get("cases") or []):
        where = f"manifest.json.cases[{i}]"
        _keys(row, where, {**dict.fromkeys(_ROW_TEXTS, _TEXT), **dict.fromkeys(_ROW_INTS, _INT)})
        _optional(row, where, {"subject_name": _TEXT, "reviewer": _TEXT,
                               "review_comment": _TEXT, "compensation": (str, int, float)})
        _instant(row["received_at"], f"{where}.received_at")
        if row.get("reviewed_at") is not None:
            _instant(row["reviewed_at"], f"{where}.reviewed_at")
        try:
            Decimal(str(row.get("compensation") or 0))
        except ArithmeticError:
            _fail(f"{where}.compensation")
    for i, close in enumerate(manifest.get("closes") or []):
        where = f"manifest.json.closes[{i}]"
        _keys(close, where, {"day": _TEXT, "closed_at": _TEXT})
        _day(close["day"], f"{where}.day")
        _instant(close["closed_at"], f"{where}.closed_at")
        if close.get("reopened_at"):
            _instant(close["reopened_at"], f"{where}.reopened_at")


def check_decisions(decisions: dict) -> None:
    _keys(decisions, "decisions.json", {"decisions": (list,)})
    _optional(decisions, "decisions.json", {"reviewer": (dict,), "close_days": (list,),
                                            "pin_failures": (dict,)})
    reviewer = decisions.get("reviewer")
    if reviewer is not None:
        _keys(reviewer, "decisions.json.reviewer", {"staff_no": _TEXT})
    _texts(decisions.get("close_days") or [], "decisions.json.close_days")
    for i, item in enumerate(decisions["decisions"]):
        where = f"decisions.json.decisions[{i}]"
        _keys(item, where, {"uid": _TEXT, "case_no": _TEXT, "decision": _TEXT, "at": _TEXT,
                            "seen_version": _INT})
        # "by" is missing from packs written before reviewers signed in: refused by the
        # import's own check, which names the case
        _optional(item, where, {"comment": _TEXT, "by": _TEXT})
        _instant(item["at"], f"{where}.at")


def _keys(node: object, where: str, wanted: dict[str, tuple]) -> None:
    if not isinstance(node, dict):
        _fail(where)
    for key, types in wanted.items():
        value = node.get(key)
        if not isinstance(value, types) or isinstance(value, bool):
            _fail(f"{where}.{key}")


def _optional(node: dict, where: str, wanted: dict[str, tuple]) -> None:
    for key, types in wanted.items():
        value = node.get(key)
        if value is not None and (not isinstance(value, types) or isinstance(value, bool)):
            _fail(f"{where}.{key}")


def _texts(values: list, where: str) -> None:
    if not all(isinstance(v, str) for v in values):
        _fail(where)


def _day(value: str, where: str) -> None:
    try:
        date.fromisoformat(value)
    except ValueError:
        _fail(where)


def _instant(value: str, where: str) -> None:
    try:
        aware = datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        aware = False
    if not aware:
        _fail(where)


def _fail(where: str) -> None:
    raise ValidationError(N_("{name} is not in the shape this program writes; the pack was "
                             "altered and is refused"), field="pack", name=where)
