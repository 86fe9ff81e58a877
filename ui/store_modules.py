"""The store's modules (SQLAlchemy, desk's model, services and queries) are imported by one
thread at a time.

At a cold start the store loader imports them on its own thread while the window is already
up (``ui/store_loader.py``). Two threads importing the same modules at once can deadlock in
Python's per-module import locks when the modules import each other (``desk.services`` and
its submodules do), so the UI thread, when it needs one of them early (a field checked before
the store opened), waits here until the loader's imports are done instead.
"""
from __future__ import annotations

import threading

# Set while no other thread is importing the store's modules.
_ready = threading.Event()
_ready.set()


def loading() -> None:
    """Called on the UI thread just before the loader thread starts importing."""
    _ready.clear()


def loaded() -> None:
    """Called by the loader thread once its imports are done (or failed)."""
    _ready.set()


def services_and_queries():
    """``desk.queries`` and ``desk.services``, once no other thread is importing them."""
    _ready.wait()
    from desk import queries, services
    return queries, services


def wait() -> None:
    _ready.wait()
