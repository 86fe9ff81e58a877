"""Typed, checked access to a policy's TOML keys: each failure is a PolicyError naming the
dotted key and the problem (translated when shown)."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from desk.errors import N_, PolicyError


class Reader:
    """Typed access to nested TOML keys by dotted path; every failure names its key."""

    _missing = object()

    def __init__(self, raw: dict) -> None:
        self.raw = raw

    def fail(self, key: str, message: str, **values: object) -> None:
        values = {k: v if len(str(v)) <= 60 else str(v)[:57] + "..." for k, v in values.items()}
        raise PolicyError(N_("policy key {key}: {problem}"), key=key[:80],
                          problem=_Deferred(message, values))

    def has(self, key: str) -> bool:
        absent = object()
        return self.get(key, absent) is not absent

    def get(self, key: str, default: object = _missing) -> object:
        node: object = self.raw
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if default is self._missing:
                    self.fail(key, N_("is missing"))
                return default
            node = node[part]
        return node

    def table(self, key: str) -> list[str]:
        node = self.get(key)
        if not isinstance(node, dict):
            self.fail(key, N_("must be a table"))
        return list(node)

    def str(self, key: str) -> str:
        value = self.get(key)
        if not isinstance(value, str) or not value.strip():
            self.fail(key, N_("must be a non-empty text"))
        return value

    def bool(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            self.fail(key, N_("must be true or false"))
        return value

    def int(self, key: str, minimum: int = 0, maximum: int = 10**9) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(key, N_("must be a whole number"))
        if value < minimum:
            self.fail(key, N_("must be at least {value}"), value=minimum)
        if value > maximum:   # past this, date arithmetic overflows somewhere later
            self.fail(key, N_("must be at most {value}"), value=maximum)
        return value

    def optional_int(self, key: str, default: int, minimum: int = 0,
                     maximum: int = 10**9) -> int:
        """A whole number a policy written before the key existed may leave out."""
        return self.int(key, minimum, maximum) if self.has(key) else default

    def money(self, key: str) -> Decimal:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            self.fail(key, N_("must be an amount"))
        try:
            amount = Decimal(str(value))
        except InvalidOperation:
            self.fail(key, N_("must be an amount"))
        if not amount.is_finite() or amount < 0:
            self.fail(key, N_("must be zero or more"))
        return amount

    def choice(self, key: str, allowed: tuple[str, ...]) -> str:
        value = self.get(key)
        if value not in allowed:
            self.fail(key, N_("must be one of {value}"), value=", ".join(allowed))
        return value

    def list(self, key: str) -> list:
        value = self.get(key)
        if not isinstance(value, list):
            self.fail(key, N_("must be a list"))
        return value


class _Deferred:
    """A nested message translated only when the outer one is shown."""

    def __init__(self, msgid: str, values: dict) -> None:
        self.msgid, self.values = msgid, values

    def __format__(self, spec: str) -> str:
        from desk.i18n import _
        return _(self.msgid).format(**self.values)


__all__ = ["Reader"]
