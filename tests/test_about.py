"""``desk --version --verbose`` and what the About box shows: version, the store in use with
where it was set and its size, the policy in force, and the licences of all that is bundled
(every run-time dependency and every font has its entry in resources/licences.toml)."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from desk import __version__
from desk.about import about, bundled
from desk.machine import Origin
from desk.paths import resources_dir

ROOT = Path(__file__).resolve().parent.parent
LICENCES = tomllib.loads((resources_dir() / "licences.toml").read_text(encoding="utf-8"))


def verbose(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desk.cli", "--locale", "en", *args,
                           "--version", "--verbose"], capture_output=True, text=True,
                          timeout=120, env=env, cwd=ROOT)


def test_version_verbose_names_store_policy_and_licences(tmp_path):
    db = tmp_path / "counter.sqlite3"
    made = subprocess.run([sys.executable, "-m", "desk.cli", "--db", str(db), "init", "--demo",
                           "10"], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert made.returncode == 0, made.stderr
    proc = verbose("--db", str(db))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith(f"Complaint Desk {__version__}\n")
    assert f"Store: {db}" in out and "set by: chosen on this PC (--db or Settings)" in out
    size = db.stat().st_size + (Path(f"{db}-wal").stat().st_size
                                if Path(f"{db}-wal").exists() else 0)
    shown = re.search(r"size: ([\d,.]+) (KB|MB)", out)
    assert shown and abs(float(shown[1].replace(",", "")) * (1024 if shown[2] == "KB" else
                                                            1024 * 1024) - size) < 1024 * 1024
    assert "cases: 10" in out
    # the store's own policy (it took the bundled file's text when it was made), who set it
    policy_file = resources_dir() / "policy.toml"
    assert hashlib.sha256(policy_file.read_bytes()).hexdigest() in out
    assert "Policy in force: the store's own, set by the program, when the store was created" \
        in out
    assert "time zone Asia/Taipei" in out and "per-case limits:" in out
    for item in LICENCES["component"] + LICENCES["font"]:
        assert item["name"] in out and item["licence"] in out
    assert f"SQLAlchemy {metadata.version('sqlalchemy')}: MIT" in out
    assert str(resources_dir() / "fonts" / "LICENSE-wqy-microhei.txt") in out


def test_version_verbose_never_creates_the_store(tmp_path):
    db = tmp_path / "not-yet.sqlite3"
    proc = verbose("--db", str(db))
    assert proc.returncode == 0 and "not created yet" in proc.stdout
    assert "Policy in force: the bundled file (a new store takes it as its own)" in proc.stdout
    assert not db.exists()


def test_version_verbose_shows_an_applied_policy_and_changes_nothing(tmp_path):
    """After `desk policy apply`, the policy in force is the store's new one, set by the
    person who applied it; reading it writes nothing (the store's bytes stay the same)."""
    from tests.conftest import PINS
    db = tmp_path / "counter.sqlite3"

    def desk(*args):
        return subprocess.run([sys.executable, "-m", "desk.cli", "--locale", "en", "--db",
                               str(db), *args], capture_output=True, text=True, timeout=120,
                              cwd=ROOT)
    assert desk("init", "--demo", "10").returncode == 0
    text = (resources_dir() / "policy.toml").read_text(encoding="utf-8")
    edited = tmp_path / "policy.toml"
    edited.write_text(text.replace("retention_years = 2", "retention_years = 3"),
                      encoding="utf-8")
    applied = desk("--as", "A001", "--pin", PINS["A001"], "policy", "apply", str(edited),
                   "--reason", "records kept longer")
    assert applied.returncode == 0, applied.stderr
    before = db.read_bytes()
    out = verbose("--db", str(db)).stdout
    assert db.read_bytes() == before
    assert "set by A001 on" in out and "records kept 3 years" in out
    assert hashlib.sha256(edited.read_bytes()).hexdigest() in out


def test_plain_version_is_unchanged():
    proc = subprocess.run([sys.executable, "-m", "desk.cli", "--version"], capture_output=True,
                          text=True, timeout=60, cwd=ROOT)
    assert proc.stdout.strip() == f"desk {__version__}"


def test_store_origin_follows_the_environment_and_the_store_in_use(tmp_path, monkeypatch):
    monkeypatch.setenv("DESK_DB", str(tmp_path / "env.sqlite3"))
    info = about()
    assert info.store.origin is Origin.ENVIRONMENT and info.store.location.endswith("env.sqlite3")
    opened = "sqlite:///" + (tmp_path / "given.sqlite3").as_posix()    # --db at start
    assert about(url=opened).store.origin is Origin.OPTION
    monkeypatch.delenv("DESK_DB")
    assert about().store.origin is Origin.DEFAULT


def runtime_distributions() -> set[str]:
    """Every distribution the installed project needs at run time (on Windows too)."""
    windows = {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
               "extra": ""}
    seen: set[str] = set()
    todo = ["complaint-desk"]
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue                        # a Windows-only package not in this venv
        seen.add(name)
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate(windows):
                todo.append(req.name)
                todo += [f"{req.name}-{extra}" for extra in req.extras]
    return seen - {"complaint-desk"}


def test_every_runtime_dependency_has_its_licence_listed():
    listed = {c["dist"] for c in LICENCES["component"] if "dist" in c}
    missing = runtime_distributions() - listed
    assert not missing, f"add to resources/licences.toml: {sorted(missing)}"
    for dist in listed:
        metadata.version(dist)              # each one listed is really installed


def test_every_font_has_its_licence_text_beside_it():
    fonts = {p.relative_to(resources_dir()).as_posix()
             for p in resources_dir().rglob("*") if p.suffix.lower() in {".ttf", ".ttc", ".otf"}}
    listed = {f["file"] for f in LICENCES["font"] if "file" in f}
    assert fonts == listed
    for item in bundled():
        if not item.where.startswith("https://"):
            assert Path(item.where).is_file(), item
