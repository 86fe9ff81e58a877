"""Where the program finds its own files and the user's data, on any platform."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "ComplaintDesk"
APP_AUTHOR = "ComplaintDesk"


def install_root() -> Path:
    """The folder holding resources/ and i18n/: the checkout, or the frozen bundle."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def resources_dir() -> Path:
    return install_root() / "resources"


def i18n_dir() -> Path:
    return install_root() / "i18n"


def user_data_dir() -> Path:
    override = os.environ.get("DESK_DATA_DIR")
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_log_dir() -> Path:
    override = os.environ.get("DESK_DATA_DIR")
    path = Path(override) / "logs" if override else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))
    path.mkdir(parents=True, exist_ok=True)
    return path


def user_config_dir() -> Path:
    """This PC's settings for the user (the key that opens the store's sealed secrets);
    created on first write."""
    override = os.environ.get("DESK_DATA_DIR")
    if override:
        return Path(override) / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR))


def user_cache_dir() -> Path:
    """Things the program can rebuild (compiled catalogs); created on first write."""
    override = os.environ.get("DESK_DATA_DIR")
    if override:
        return Path(override) / "cache"
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def default_store_path(demo: bool = False) -> Path:
    """The embedded store; the demo store is a separate file so real data never mixes with it."""
    return user_data_dir() / ("demo.sqlite3" if demo else "complaints.sqlite3")
