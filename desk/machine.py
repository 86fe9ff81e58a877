"""Which store this PC uses and where that choice came from: the PC-wide setting an installer
writes (Windows registry), the DESK_DB variable, or the user's own data folder.

The installers (build_spec/complaint_desk.nsi and .wxs) write the store URL a mall's IT gives
them (``msiexec /i ComplaintDesk.msi /qn DESK_DB=postgresql+psycopg://…``) as the value
``DESK_DB`` under ``HKEY_LOCAL_MACHINE\\SOFTWARE\\ComplaintDesk`` in the 64-bit registry view:
one place per PC that group policy can also set, read by both programs for every user.
A user's own DESK_DB variable, the app's per-PC setting and ``--db`` still come before it.
"""
from __future__ import annotations

import os
from enum import StrEnum
from typing import Callable, Mapping

from desk.i18n import N_, _

MACHINE_KEY = r"SOFTWARE\ComplaintDesk"
STORE_VALUE = "DESK_DB"


class Origin(StrEnum):
    """Where the store location in use was set, from the strongest to the weakest."""

    OPTION = "option"        # --db, or the app's per-PC setting
    ENVIRONMENT = "environment"
    MACHINE = "machine"
    DEFAULT = "default"

    @property
    def label(self) -> str:
        return _(ORIGIN_LABELS[self])


ORIGIN_LABELS = {
    Origin.OPTION: N_("chosen on this PC (--db or Settings)"),
    Origin.ENVIRONMENT: N_("the DESK_DB environment variable"),
    Origin.MACHINE: N_("set for this PC by the installer (DESK_DB)"),
    Origin.DEFAULT: N_("the user's own data folder"),
}


def machine_setting(name: str) -> str | None:
    """A value under HKLM\\SOFTWARE\\ComplaintDesk, or None (not set, or not Windows)."""
    try:
        import winreg
    except ImportError:          # not Windows: an installer never ran here
        return None
    try:
        # KEY_WOW64_64KEY: the 64-bit view the installers write to, whatever reads it.
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, MACHINE_KEY, 0,
                            winreg.KEY_READ | winreg.KEY_WOW64_64KEY) as key:
            value, kind = winreg.QueryValueEx(key, name)
    except OSError:              # no key or no value: nothing set for this PC
        return None
    if kind not in (winreg.REG_SZ, winreg.REG_EXPAND_SZ) or not str(value).strip():
        return None
    return os.path.expandvars(str(value).strip()) if kind == winreg.REG_EXPAND_SZ \
        else str(value).strip()


def configured_store(chosen: str | os.PathLike | None = None, *,
                     environ: Mapping[str, str] | None = None,
                     machine: Callable[[str], str | None] = machine_setting
                     ) -> tuple[str | None, Origin]:
    """The store location to use before the default, and where it came from: ``chosen``
    (--db or the app's setting), then DESK_DB, then the PC-wide installer setting."""
    if chosen is not None and str(chosen) != "":
        return str(chosen), Origin.OPTION
    env = os.environ if environ is None else environ
    if env.get(STORE_VALUE):
        return env[STORE_VALUE], Origin.ENVIRONMENT
    value = machine(STORE_VALUE)
    if value:
        return value, Origin.MACHINE
    return None, Origin.DEFAULT
