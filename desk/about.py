"""What the About box and ``desk --version --verbose`` show: the version, where the program
runs from, the store in use (where it was set, its location and size), the policy in force
and the licences of everything the program bundles (resources/licences.toml)."""
from __future__ import annotations

import hashlib
import platform
import sys
import tomllib
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

from desk import __version__
from desk.enums import policy_label
from desk.i18n import N_, _, format_datetime, format_money, format_number
from desk.machine import Origin, configured_store
from desk.paths import install_root, resources_dir

LICENCES = "licences.toml"
SYSTEM_SETTERS = {"store_created": N_("the program, when the store was created"),
                  "store_upgraded": N_("the program, when the store was upgraded")}


@dataclass(frozen=True)
class StoreInfo:
    location: str           # a file path, or a server URL without its password
    backend: str            # "sqlite" or "postgresql"
    origin: Origin
    size: int | None        # bytes; None when it does not exist yet or cannot be reached
    cases: int | None


@dataclass(frozen=True)
class PolicyInfo:
    """The policy in force: the store's own (``set_by``/``set_at`` say who and when), or the
    bundled file when the store keeps none yet (a new store takes it as its own)."""

    in_store: bool
    sha256: str | None
    set_by: str             # a staff number, or what the system did ("store created")
    set_at: datetime | None
    mall_name: str
    currency: str
    timezone: str
    cash_threshold: str
    retention_years: int
    limits: tuple[tuple[str, str], ...]     # (role key, per-case limit) from the lowest rank


@dataclass(frozen=True)
class Bundled:
    name: str
    version: str            # "" when the bundle does not say (Python's is shown above)
    licence: str
    where: str              # the licence file inside the program, else its web page


@dataclass(frozen=True)
class About:
    version: str
    python: str
    system: str
    install_folder: str
    store: StoreInfo
    policy: PolicyInfo
    bundled: tuple[Bundled, ...]


def about(db: str | None = None, *, demo: bool = False, url: str | None = None) -> About:
    """Everything the About box shows: ``db`` as chosen (--db, the app's setting), ``url`` the
    store actually open when there is one. Reads the store (its size, its policy) without
    creating, migrating or writing it."""
    store, url = store_info(db, demo=demo, url=url)
    return About(version=__version__,
                 python=f"{platform.python_version()} ({platform.architecture()[0]})",
                 system=f"{platform.system()} {platform.release()} ({platform.machine()})",
                 install_folder=str(program_folder()),
                 store=store, policy=policy_info(url, store), bundled=bundled())


def program_folder() -> Path:
    """Where the programs were installed (the .exe files), or the checkout."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return install_root()


def store_info(db: str | None = None, *, demo: bool = False, url: str | None = None
               ) -> tuple[StoreInfo, str]:
    """The store in use and the URL it was read at."""
    from sqlalchemy.engine import make_url

    from desk.health import location_of
    from desk.store import resolve_url
    _chosen, origin = configured_store(db)
    if demo and origin is Origin.MACHINE:    # resolve_url keeps the demo off the shared store
        origin = Origin.DEFAULT
    resolved = resolve_url(db, demo=demo)
    if url is not None and url != resolved:  # opened from somewhere else: --db at start
        origin = Origin.OPTION
    url = url or resolved
    backend = make_url(url).get_backend_name()
    size, cases = (_sqlite_size(url) if backend == "sqlite" else _server_size(url))
    return StoreInfo(location=location_of(url), backend=backend, origin=origin, size=size,
                     cases=cases), url


def _sqlite_size(url: str) -> tuple[int | None, int | None]:
    """The file and its write-ahead log; the case count read-only (never creating it)."""
    import sqlite3
    from sqlalchemy.engine import make_url
    path = Path(make_url(url).database or "")
    if not path.is_file():
        return None, None
    size = sum(p.stat().st_size for p in (path, Path(f"{path}-wal")) if p.is_file())
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=2)
        try:
            cases = conn.execute("SELECT COUNT(*) FROM complaint_case").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        cases = None
    return size, cases


def _server_size(url: str) -> tuple[int | None, int | None]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool
    engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            size = conn.execute(text("SELECT pg_database_size(current_database())")).scalar()
            try:
                cases = conn.execute(text("SELECT COUNT(*) FROM complaint_case")).scalar()
            except SQLAlchemyError:
                cases = None
        return size, cases
    except SQLAlchemyError:
        return None, None
    finally:
        engine.dispose()


def policy_info(url: str, store: StoreInfo) -> PolicyInfo:
    """The store's own policy, read without opening the store for work; the bundled file when
    the store does not exist yet, keeps no policy yet, or cannot be reached."""
    from desk.policy import load_policy
    from desk.store_policy import policy_from_store_text
    record = _policy_record(url) if store.size is not None else None
    if record is None:
        policy = load_policy()
        digest = hashlib.sha256(Path(policy.source).read_bytes()).hexdigest()
        return _summary(policy, False, digest, "", None)
    return _summary(policy_from_store_text(record.text), True, record.sha256,
                    record.set_by or record.system or "", record.set_at)


def _policy_record(url: str):
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import Session
    from sqlalchemy.pool import NullPool

    from desk.store_policy import policy_record
    if make_url(url).get_backend_name() == "sqlite":   # read-only: never a journal or a lock
        path = quote(Path(make_url(url).database or "").resolve().as_posix(), safe="/:")
        engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true", poolclass=NullPool,
                               connect_args={"timeout": 2})
    else:
        engine = create_engine(url, poolclass=NullPool, connect_args={"connect_timeout": 3})
    try:
        with Session(engine) as session:
            return policy_record(session)
    except SQLAlchemyError:      # an older store keeping no policy yet, or out of reach
        return None
    finally:
        engine.dispose()


def _summary(policy, in_store: bool, digest: str | None, set_by: str,
             set_at: datetime | None) -> PolicyInfo:
    limits = tuple((role.key, format_money(role.per_case, policy.currency)
                    if role.per_case is not None else _("no limit"))
                   for role in policy.roles_by_rank())
    return PolicyInfo(in_store=in_store, sha256=digest, set_by=set_by, set_at=set_at,
                      mall_name=policy.mall_name, currency=policy.currency,
                      timezone=policy.timezone,
                      cash_threshold=format_money(policy.cash_threshold, policy.currency),
                      retention_years=policy.retention_years, limits=limits)


def policy_source(policy: PolicyInfo) -> str:
    if not policy.in_store:
        return _("the bundled file (a new store takes it as its own)")
    who = SYSTEM_SETTERS.get(policy.set_by)
    when = policy.set_at
    if when is not None and when.tzinfo is None:     # stored in UTC
        when = when.replace(tzinfo=timezone.utc)
    return _("the store's own, set by {who} on {when}").format(
        who=_(who) if who else policy.set_by,
        when=format_datetime(when, ZoneInfo(policy.timezone)) if when else "-")


def bundled() -> tuple[Bundled, ...]:
    raw = tomllib.loads((resources_dir() / LICENCES).read_text(encoding="utf-8"))
    items = [Bundled(c["name"], _version(c.get("dist")) if c["name"] != "Python" else
                     platform.python_version(), c["licence"], c["url"])
             for c in raw.get("component", [])]
    for font in raw.get("font", []):
        items.append(Bundled(font["name"], "", font["licence"], _licence_file(font)))
    return tuple(items)


def _version(dist: str | None) -> str:
    if not dist:
        return ""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:   # a bundle built without its metadata
        return ""


def _licence_file(font: dict) -> str:
    if "licence_file" in font:
        return str(resources_dir() / font["licence_file"])
    # A library's own font: its licence sits beside it, wherever the library is.
    package, _sep, rest = font["library_file"].partition("/")
    module = sys.modules.get(package) or __import__(package)
    return str(Path(module.__file__).resolve().parent / rest)


def size_text(size: int | None) -> str:
    if size is None:
        return _("not created yet or not reachable")
    if size < 1024 * 1024:
        return _("{size} KB").format(size=format_number(max(1, round(size / 1024))))
    return _("{size} MB").format(size=format_number(round(size / (1024 * 1024), 1)))


def limits_text(policy: PolicyInfo) -> str:
    return ", ".join(f"{policy_label(role)} {limit}" for role, limit in policy.limits)


def about_lines(info: About) -> list[str]:
    """The text of ``desk --version --verbose`` (and what the About box copies)."""
    store, policy = info.store, info.policy
    lines = [
        _("Complaint Desk {version}").format(version=info.version),
        _("Python {python} on {system}").format(python=info.python, system=info.system),
        _("Program folder: {path}").format(path=info.install_folder),
        "",
        _("Store: {location}").format(location=store.location),
        "  " + _("set by: {origin}").format(origin=store.origin.label),
        "  " + _("size: {size}").format(size=size_text(store.size)),
    ]
    if store.cases is not None:
        lines.append("  " + _("cases: {count}").format(count=format_number(store.cases)))
    lines += [
        "",
        _("Policy in force: {source}").format(source=policy_source(policy)),
        f"  SHA-256: {policy.sha256 or '-'}",
        "  " + _("mall: {mall}; currency {currency}; time zone {tz}").format(
            mall=policy.mall_name, currency=policy.currency, tz=policy.timezone),
        "  " + _("cash threshold: {amount}; records kept {years} years").format(
            amount=policy.cash_threshold, years=policy.retention_years),
        "  " + _("per-case limits: {limits}").format(
            limits=limits_text(policy)),
        "",
        _("Bundled software and fonts, and their licences:"),
    ]
    for item in info.bundled:
        version = f" {item.version}" if item.version else ""
        lines.append(f"  {item.name}{version}: {item.licence} ({item.where})")
    return lines
