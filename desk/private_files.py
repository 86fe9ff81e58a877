"""Files the program writes for one person (reports, backups, forms, packs) are readable by
that person only, as ``tempfile.mkstemp`` makes them: customers' names and phones in a CSV
or a backup are nobody else's business on a shared PC. On Windows the mode bits are not
used; a file in the user's folders is theirs by the folder's permissions."""
from __future__ import annotations

import os
from pathlib import Path
from typing import IO

PRIVATE = 0o600


def create_private(path: Path) -> None:
    """Create ``path`` empty and private (or make an existing one private), for a writer
    that opens it itself afterwards (SQLite's backup keeps the mode of the file it finds)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    os.close(fd)
    os.chmod(path, PRIVATE)


def open_private(path: Path, mode: str = "wb", **kwargs) -> IO:
    """``open(path, mode)`` for writing, the file created private (``kwargs`` as for
    ``open``: encoding, newline)."""
    if not mode.startswith("w"):
        raise ValueError("open_private writes a new file: mode 'w' or 'wb'")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0),
                 PRIVATE)
    os.chmod(path, PRIVATE)   # an existing file keeps its mode through os.open
    return os.fdopen(fd, mode, **kwargs)
