"""PIN hashing (argon2id) and the checks a PIN must pass before it is stored."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from desk.errors import N_, ValidationError

# A PIN is typed at a busy counter: keep the hash quick (~20 ms) but memory-hard.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


def validate_pin(pin: str) -> str:
    if not isinstance(pin, str) or not pin.isdigit() or not 4 <= len(pin) <= 12:
        raise ValidationError(N_("a PIN is 4 to 12 digits"), field="pin")
    if len(set(pin)) == 1:
        raise ValidationError(N_("a PIN of one repeated digit is too easy to guess"), field="pin")
    return pin


def hash_pin(pin: str) -> str:
    return _hasher.hash(validate_pin(pin))


def pin_matches(pin_hash: str, pin: str) -> bool:
    if not isinstance(pin, str) or not pin:
        return False
    try:
        return _hasher.verify(pin_hash, pin)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
