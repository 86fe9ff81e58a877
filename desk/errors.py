"""Domain errors: each carries an untranslated message, the field it concerns, and values.

The message is translated when shown (``str(err)``), so the same error reads right in
whichever language the clerk has chosen, whether it reaches the UI, the CLI or an import.
"""
from __future__ import annotations

from desk.i18n import N_, _, field_label


class DomainError(Exception):
    """A rule of the complaint desk refused an action; nothing was written."""

    def __init__(self, message: str, *, field: str | None = None, **values: object) -> None:
        super().__init__(message)
        self.msgid = message
        self.field = field
        self.values = values

    def message(self) -> str:
        text = _(self.msgid).format(**{k: _value(v) for k, v in self.values.items()})
        if self.field:
            return _("{field}: {reason}").format(field=field_label(self.field), reason=text)
        return text

    def __str__(self) -> str:
        return self.message()


def _value(value: object) -> object:
    if isinstance(value, PolicyKey):
        from desk.enums import policy_label
        return policy_label(value)
    return _(value) if isinstance(value, LazyText) else value


class LazyText(str):
    """A msgid passed as a value into another message; translated when the message is shown."""


class PolicyKey(str):
    """A policy key (role, kind, category) shown by its translated label."""


class ValidationError(DomainError):
    """Input is missing, malformed or out of range."""


class NotFound(DomainError):
    """A case, staff member or offer that does not exist."""


class TransitionError(DomainError):
    """The case's lifecycle does not allow this move now."""


class AuthorityError(DomainError):
    """The actor's role does not cover this; carries the role that would."""

    def __init__(self, message: str, *, needs_role: str | None = None, **kw: object) -> None:
        super().__init__(message, **kw)
        self.needs_role = needs_role


class RecusalError(DomainError):
    """The actor is the subject of the complaint."""


class AuthenticationError(DomainError):
    """Wrong PIN, unknown staff ID or a locked account."""


class ConflictError(DomainError):
    """Someone else changed the record since it was read."""


class PolicyError(DomainError):
    """The policy file is invalid."""


__all__ = [
    "N_", "DomainError", "ValidationError", "NotFound", "TransitionError", "AuthorityError",
    "RecusalError", "AuthenticationError", "ConflictError", "PolicyError", "LazyText", "PolicyKey",
]
