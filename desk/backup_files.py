"""Where a store's daily backups are and what they are called: the folder, the file behind
a store, and its backups newest first (read by the health check to offer a restore)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy.engine import make_url

from desk.errors import DomainError
from desk.i18n import N_
from desk.paths import user_data_dir

SUFFIX = ".sqlite3"
_DAILY = re.compile(r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})\.sqlite3$")


class BackupError(DomainError):
    """A backup could not be made, or a file is not a usable backup."""


def backup_folder(folder: Path | None = None) -> Path:
    path = Path(folder) if folder else user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_file(store) -> Path:
    """The SQLite file behind a ``Store``, a URL or a path."""
    if hasattr(store, "engine"):
        url = store.engine.url
    elif isinstance(store, (str, os.PathLike)) and "://" in str(store):
        url = make_url(str(store))
    else:
        return Path(store)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise BackupError(N_("a database server is backed up on the server itself (for example "
                             "with pg_dump); desk backups copy SQLite stores only"))
    return Path(url.database)


def list_backups(store, folder: Path | None = None) -> list[Path]:
    """This store's daily backups, newest first."""
    try:
        stem = store_file(store).stem
    except BackupError:
        return []
    folder = Path(folder) if folder else user_data_dir() / "backups"
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _DAILY.match(path.name)
        if match and match["stem"] == stem and path.is_file():
            found.append((match["day"], path))
    return [p for _day, p in sorted(found, reverse=True)]


def latest_backup(store, folder: Path | None = None) -> Path | None:
    backups = list_backups(store, folder)
    return backups[0] if backups else None
