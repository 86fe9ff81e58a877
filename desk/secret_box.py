"""Secrets the store keeps (the SMTP password, the text-message gateway's address and body,
which often carry its key) are sealed with a key that lives on this PC, outside the store:
a copied store or backup, an export or the audit log never holds them readable.

The key is a Fernet key in the user's configuration folder (``desk.paths.user_config_dir``),
made on first use, readable by its owner only on POSIX; on Windows the user's profile folder
is the protection. A store opened on another PC, or after the key was lost, cannot open its
sealed values: ``SecretUnavailable`` says so, and the person is asked to enter them again
on this PC (which seals them with this PC's key)."""
from __future__ import annotations

import os
from pathlib import Path

from desk import paths
from desk.errors import N_, ValidationError

KEY_FILE = "store-secrets.key"
SEALED = "sealed:v1:"      # marks a sealed value; anything else is plain text of an old store
PRIVATE = 0o600


class SecretUnavailable(ValidationError):
    """A sealed value this PC cannot open (its key is missing, another PC's, or damaged), or
    nothing can be sealed (the key file cannot be read or made): said in plain words, as any
    refusal, rather than as a crash."""

    def __init__(self, path: object) -> None:
        super().__init__(N_("this PC's key for the store's secrets cannot be used ({path}); "
                            "move it aside if it is damaged, then enter the sending "
                            "settings again"), field="settings", path=str(path))


def key_path() -> Path:
    return paths.user_config_dir() / KEY_FILE


def _fernet(create: bool):
    from cryptography.fernet import Fernet
    path = key_path()
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        if not create:
            return None
        key = _create_key(path)
    except OSError as exc:          # unreadable (permissions, a folder in its place)
        raise SecretUnavailable(path) from exc
    if os.name == "posix" and path.stat().st_mode & 0o077:
        os.chmod(path, PRIVATE)      # a key made readable by others is taken back
    try:
        return Fernet(key)
    except ValueError:               # an empty or damaged key file
        return None


def _create_key(path: Path) -> bytes:
    from cryptography.fernet import Fernet
    key = Fernet.generate_key()
    try:   # O_EXCL: a key another process made meanwhile is kept, never overwritten
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     PRIVATE)
    except FileExistsError:
        return path.read_bytes().strip()
    except OSError as exc:
        raise SecretUnavailable(path) from exc
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    if os.name == "posix":
        os.chmod(path, PRIVATE)      # whatever the umask
    return key


def is_sealed(stored: str | None) -> bool:
    return bool(stored) and str(stored).startswith(SEALED)


def seal(value: str) -> str:
    """``value`` sealed with this PC's key (made on first use); empty stays empty."""
    if not value:
        return ""
    fernet = _fernet(create=True)
    if fernet is None:
        raise SecretUnavailable(str(key_path()))
    return SEALED + fernet.encrypt(value.encode("utf-8")).decode("ascii")


def unseal(stored: str | None) -> str:
    """The value behind ``stored``; plain text of a store older than sealing is returned as
    it is. ``SecretUnavailable`` when this PC cannot open it."""
    if not stored:
        return ""
    if not is_sealed(stored):
        return stored
    from cryptography.fernet import InvalidToken
    fernet = _fernet(create=False)
    if fernet is None:
        raise SecretUnavailable(str(key_path()))
    try:
        return fernet.decrypt(stored[len(SEALED):].encode("ascii")).decode("utf-8")
    except (InvalidToken, ValueError) as exc:
        raise SecretUnavailable(str(key_path())) from exc


def scrub(text: str, secrets) -> str:
    """``text`` with each of ``secrets`` (the longest first; none shorter than 4 characters,
    which would mask ordinary words) replaced by asterisks."""
    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(secret, "********")
    return text
