"""PINs: digits normalised, the checks a new PIN must pass, and argon2id hashing with
parameters measured so one check costs about a quarter of a second (docs/reliability.md).

``DESK_TEST_CHEAP_PIN_HASH=1`` (set by the test suite's conftest, never by the program)
hashes new PINs with cheap parameters so thousands of test sign-ins stay fast; a hash made
that way is rehashed with the production parameters at its next sign-in without it.
"""
from __future__ import annotations

import hashlib
import os
import unicodedata

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from desk.errors import N_, ValidationError

# Measured by bench/bench_pin_hash.py: about 0.25 s per check on a counter PC's class of
# core, so an offline guesser with a stolen store tries about 4 PINs a second per core.
# 19 MiB of working memory keeps the counter app within its memory goal (docs/benchmarks.md);
# the passes over it are raised until one check costs about 0.25 s (bench/bench_pin_hash.py).
PRODUCTION = {"time_cost": 28, "memory_cost": 19456, "parallelism": 1}
CHEAP = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}   # tests only
TEST_SETTING = "DESK_TEST_CHEAP_PIN_HASH"
MIN_DIGITS, MAX_DIGITS = 4, 12

_hasher = PasswordHasher(**(CHEAP if os.environ.get(TEST_SETTING) == "1" else PRODUCTION))


def normalise_pin(pin: object, field: str = "pin") -> str:
    """ASCII digits from any script's decimal digits (full-width １２３４, Arabic-Indic
    ١٢٣٤, Devanagari ...); anything else, superscripts and letters included, is refused."""
    if not isinstance(pin, str):
        raise ValidationError(N_("a PIN is digits only"), field=field)
    digits = []
    for char in pin.strip():
        value = unicodedata.decimal(char, None)
        if value is None:
            raise ValidationError(N_("a PIN is digits only"), field=field)
        digits.append(str(value))
    return "".join(digits)


def validate_pin(pin: object, min_digits: int = MIN_DIGITS, field: str = "pin") -> str:
    """The normalised PIN if it may be set: ``min_digits`` to 12 digits, not a trivial
    pattern. Returns the ASCII digits that are hashed."""
    digits = normalise_pin(pin, field)
    if not max(min_digits, MIN_DIGITS) <= len(digits) <= MAX_DIGITS:
        raise ValidationError(N_("a PIN is {minimum} to {maximum} digits"), field=field,
                              minimum=max(min_digits, MIN_DIGITS), maximum=MAX_DIGITS)
    if len(set(digits)) == 1:
        raise ValidationError(N_("a PIN of one repeated digit is too easy to guess"),
                              field=field)
    if trivial(digits):
        raise ValidationError(N_("a PIN in a run or a repeated pattern (like 123456, 654321 "
                                 "or 121212) is too easy to guess"), field=field)
    return digits


def trivial(digits: str) -> bool:
    """A run with one step (123456, 654321, 246802, 890123), a block repeated, whole or in
    part (121212, 123123, 12121), or doubled digits in a run (112233, 998877)."""
    steps = {(int(b) - int(a)) % 10 for a, b in zip(digits, digits[1:])}
    if len(steps) == 1:
        return True
    for size in range(1, len(digits) // 2 + 1):   # 121212, 12121, 2580258025
        if (digits[:size] * len(digits))[:len(digits)] == digits:
            return True
    pairs = digits[::2]
    return len(digits) % 2 == 0 and digits[1::2] == pairs and len(pairs) > 1 and \
        len({(int(b) - int(a)) % 10 for a, b in zip(pairs, pairs[1:])}) == 1


def meets_policy(pin: object, min_digits: int) -> bool:
    """Whether a PIN that was just accepted still meets the policy (or must be changed)."""
    try:
        validate_pin(pin, min_digits)
    except ValidationError:
        return False
    return True


def hash_pin(pin: object, min_digits: int = MIN_DIGITS) -> str:
    return _hasher.hash(validate_pin(pin, min_digits))


def rehash_pin(pin: object) -> str:
    """A PIN that just signed in, hashed again with the current parameters (no strength
    check: a PIN that no longer meets the policy is asked to change, not locked out)."""
    return _hasher.hash(normalise_pin(pin))


# Digests of (hash, PIN) pairs that matched in ``check_ahead``, each good for one later
# ``pin_matches`` of the same pair: the counter app checks a PIN before SQLAlchemy loads, so
# argon2's working memory and the ORM's are never held at once, and the sign-in that follows
# (failure counts, locks, rehash) does not pay for a second check. A wrong PIN is never kept.
_checked_ahead: set[bytes] = set()


def _pair(pin_hash: str, pin: str) -> bytes:
    return hashlib.sha256(f"{pin_hash}\0{pin}".encode("utf-8", "surrogatepass")).digest()


def check_ahead(pin_hash: str, pin: object) -> bool:
    """``pin_matches``, remembered once for the sign-in that follows in this process."""
    matched = pin_matches(pin_hash, pin)
    if matched:
        _checked_ahead.add(_pair(pin_hash, pin))
    return matched


def pin_matches(pin_hash: str, pin: object) -> bool:
    """Whether ``pin`` (normalised) opens ``pin_hash``. A hash made before digits were
    normalised (a PIN typed as full-width digits) is tried with the PIN as typed too."""
    if not isinstance(pin, str) or not pin:
        return False
    if _checked_ahead:
        pair = _pair(pin_hash, pin)
        if pair in _checked_ahead:
            _checked_ahead.discard(pair)
            return True
    try:
        digits = normalise_pin(pin)
    except ValidationError:
        digits = None
    for candidate in dict.fromkeys(c for c in (digits, pin) if c):
        try:
            if _hasher.verify(pin_hash, candidate):
                return True
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            continue
    return False


def needs_rehash(pin_hash: str) -> bool:
    """An older or cheaper hash: replaced with the current parameters at the next sign-in."""
    try:
        return _hasher.check_needs_rehash(pin_hash)
    except (InvalidHashError, ValueError):
        return False


def hash_parameters() -> dict[str, int]:
    """The parameters new hashes are made with (a test checks production's are measured)."""
    return {"time_cost": _hasher.time_cost, "memory_cost": _hasher.memory_cost,
            "parallelism": _hasher.parallelism}
