"""Who has a SQLite store open: every program that opens one holds a lock file of its own in
the folder beside it (``<store>.open/``) for as long as it is open, with a note of its machine,
user and process. A restore takes the folder's gate, finds every lock still held (a process
that died leaves only a stale file, which is cleared) and refuses while anyone else has the
store open, naming them: a store replaced under a running desk would lose what that desk
saves afterwards.

``filelock`` locks on Windows (``msvcrt``) and elsewhere alike, on local disks and shares."""
from __future__ import annotations

import getpass
import json
import os
import platform
import secrets
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from desk.errors import N_, ConflictError
from desk.i18n import FIELD_LABELS

FIELD_LABELS.setdefault("store", N_("store"))
GATE = "gate.lock"          # held briefly by an opening program, for the whole restore
GATE_WAIT_S = 30.0


@dataclass(frozen=True)
class Holder:
    machine: str
    user: str
    pid: int
    since: str

    def __str__(self) -> str:
        return f"{self.user}@{self.machine} (process {self.pid}, since {self.since[:19]})"


def folder_of(store_path: Path) -> Path:
    return Path(store_path).with_name(Path(store_path).name + ".open")


def _lock(path: Path):
    from filelock import FileLock
    return FileLock(str(path), thread_local=False)


def _me() -> dict:
    try:
        user = getpass.getuser()
    except Exception:   # no user name in the environment (a service): say so, do not fail
        user = "?"
    return {"machine": platform.node() or "?", "user": user, "pid": os.getpid(),
            "since": datetime.now(timezone.utc).isoformat()}


class OpenMark:
    """This program's mark on an open store; ``release`` when the store is closed."""

    def __init__(self, store_path: Path) -> None:
        folder = folder_of(store_path)
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{os.getpid()}-{secrets.token_hex(4)}"
        self.note = folder / f"{name}.json"
        self.lock = _lock(folder / f"{name}.lock")
        with _lock(folder / GATE).acquire(timeout=GATE_WAIT_S):   # a restore in progress
            self.lock.acquire(timeout=0)
            self.note.write_text(json.dumps(_me()), encoding="utf-8")

    def release(self) -> None:
        if self.lock.is_locked:
            self.lock.release()
            for path in (self.note, Path(self.lock.lock_file)):
                try:
                    path.unlink()
                except OSError:
                    pass


def _holders(folder: Path, mine: set[str]) -> list[Holder]:
    """Every program still holding its lock in ``folder``; stale files are removed."""
    from filelock import Timeout
    found = []
    for lock_file in sorted(folder.glob("*.lock")):
        if lock_file.name == GATE or lock_file.stem in mine:
            continue
        probe = _lock(lock_file)
        try:
            probe.acquire(timeout=0)
        except Timeout:
            note = lock_file.with_suffix(".json")
            try:
                found.append(Holder(**json.loads(note.read_text(encoding="utf-8"))))
            except (OSError, ValueError, TypeError):
                found.append(Holder("?", "?", 0, "?"))
            continue
        probe.release()
        for path in (lock_file.with_suffix(".json"), lock_file):
            try:
                path.unlink()
            except OSError:
                pass
    return found


@contextmanager
def alone(store_path: Path, *, except_marks: tuple[OpenMark, ...] = ()) -> Iterator[None]:
    """Hold the store's gate (no program can open it meanwhile) and check that no other
    program has it open; raise ``StoreInUse`` naming them otherwise."""
    folder = folder_of(store_path)
    if not folder.is_dir():
        yield
        return
    mine = {Path(m.lock.lock_file).stem for m in except_marks}
    with _lock(folder / GATE).acquire(timeout=GATE_WAIT_S):
        holders = _holders(folder, mine)
        if holders:
            raise StoreInUse(N_("the store is open in {count} other program(s): {holders}; close "
                                "Complaint Desk there before restoring, or the work saved there "
                                "afterwards would be lost"),
                             field="store", count=len(holders),
                             holders="; ".join(str(h) for h in holders))
        yield


class StoreInUse(ConflictError):
    """A restore refused because another program has the store open."""
