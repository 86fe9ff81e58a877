"""Static checks of what the Windows build needs, run on Linux in a second.

The real Windows build is checked by build_spec/wine_build.sh (not a CI step: a quarter of an
hour). These guard the two kinds of mistake it found or could find, without PyInstaller:
a file the program reads at run time that the spec does not put in the bundle, and a
POSIX-only call in the program's own code.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build_spec" / "complaint_desk.spec"


def spec_tree_datas() -> set[tuple[str, str]]:
    """The (repository file, bundle folder) pairs of the spec's own tree(...) calls, computed by
    the spec's tree() itself (PyInstaller's collect_* calls need PyInstaller, not run here)."""
    module = ast.parse(SPEC.read_text(encoding="utf-8"))
    namespace: dict = {"Path": Path, "ROOT": ROOT}
    tree_def = next(n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == "tree")
    exec(compile(ast.Module([tree_def], []), str(SPEC), "exec"), namespace)
    datas = next(n for n in module.body if isinstance(n, ast.Assign)
                 and any(isinstance(t, ast.Name) and t.id == "datas" for t in n.targets))
    pairs: set[tuple[str, str]] = set()
    for call in ast.walk(datas.value):
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "tree":
            found = eval(compile(ast.Expression(call), str(SPEC), "eval"), namespace)
            pairs.update((Path(src).resolve().relative_to(ROOT).as_posix(),
                          Path(dest).as_posix()) for src, dest in found)
    return pairs


def files(folder: Path, pattern: str = "**/*") -> list[Path]:
    return [p for p in folder.glob(pattern)
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


@pytest.fixture(scope="module")
def bundled() -> dict[str, str]:
    return dict(spec_tree_datas())


def test_every_resource_is_bundled_where_resources_dir_finds_it(bundled):
    """desk.paths.resources_dir() is <bundle>/resources: the policy, the fonts, the logo."""
    wanted = files(ROOT / "resources")
    assert wanted, "resources/ is empty?"
    for path in wanted:
        rel = path.relative_to(ROOT).as_posix()
        assert rel in bundled, f"{rel} is read at run time but not in the bundle"
        assert bundled[rel] == path.parent.relative_to(ROOT).as_posix()


def test_fonts_travel_with_their_licences(bundled):
    fonts = [p for p in files(ROOT / "resources") if p.suffix.lower() in {".ttf", ".ttc", ".otf"}]
    assert fonts
    for font in fonts:
        licences = [p for p in font.parent.iterdir() if "licen" in p.name.lower()]
        assert licences, f"{font.name} has no licence file beside it"
        for licence in licences:
            assert licence.relative_to(ROOT).as_posix() in bundled


@pytest.mark.parametrize("locale", ["zh_TW", "zh_CN", "en"])
def test_every_catalog_is_bundled_where_i18n_dir_finds_it(bundled, locale):
    catalogs = files(ROOT / "i18n" / locale / "LC_MESSAGES")
    sources = [p for p in catalogs if p.suffix in {".po", ".mo"}]
    assert any(p.suffix == ".po" for p in sources), f"no catalog for {locale}"
    for path in sources:
        rel = path.relative_to(ROOT).as_posix()
        if path.suffix == ".mo" and not _tracked(path):
            continue   # a .mo built locally and not in the repository is not the spec's job
        assert bundled.get(rel) == f"i18n/{locale}/LC_MESSAGES", f"{rel} not in the bundle"


def test_every_migration_is_bundled_beside_the_store_module(bundled):
    """desk/store.py runs the Alembic scripts from desk/migrations next to its own module."""
    wanted = files(ROOT / "desk" / "migrations")
    assert any(p.parent.name == "versions" for p in wanted)
    for path in wanted:
        rel = path.relative_to(ROOT).as_posix()
        assert rel in bundled, f"{rel}: an Alembic script missing from the bundle"
        assert bundled[rel] == path.parent.relative_to(ROOT).as_posix()


def test_spec_collects_package_data_and_runs_in_utf8_mode():
    text = SPEC.read_text(encoding="utf-8")
    for package in ("babel", "tzdata", "reportlab"):   # CLDR for zh_TW/zh_CN/en, zoneinfo, fonts
        assert f'collect_data_files("{package}")' in text
    assert 'collect_submodules("reportlab.graphics.barcode")' in text
    assert 'collect_submodules("alembic.ddl")' in text
    # desk.exe piped to a file on Windows died on a Chinese name without UTF-8 mode.
    assert '("X utf8", None, "OPTION")' in text
    assert text.count("py_options,") == 2


def test_babel_has_the_locales_the_program_offers():
    from babel import localedata
    for locale in ("zh_Hant_TW", "zh_Hans_CN", "en"):
        assert localedata.exists(locale)


# Calls and modules that do not exist, or do something else, on Windows.
POSIX_ONLY = re.compile(
    r"\bos\.(fork|forkpty|getuid|geteuid|getgid|setsid|killpg|getpgid|chown|mkfifo|uname"
    r"|sync|statvfs|WNOHANG)\b"
    r"|\bsignal\.(SIGKILL|SIGHUP|SIGUSR1|SIGUSR2|SIGALRM|SIGCHLD|SIGQUIT|alarm|setitimer)\b"
    r"|^\s*(import|from)\s+(fcntl|pwd|grp|resource|termios|tty|pty|posix)\b"
    r"|\badd_signal_handler\b"
    r"|[\"'](/tmp|/home|/usr|/etc|/var|/opt|/dev/null)\b",
    re.MULTILINE,
)


@pytest.mark.parametrize("package", ["desk", "ui"])
def test_no_posix_only_calls_in_the_program(package):
    hits = []
    for path in sorted((ROOT / package).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in POSIX_ONLY.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            hits.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0).strip()}")
    assert not hits, "POSIX-only in the Windows program:\n" + "\n".join(hits)


def _tracked(path: Path) -> bool:
    import subprocess
    proc = subprocess.run(["git", "ls-files", "--error-unmatch", str(path)], cwd=ROOT,
                          capture_output=True)
    return proc.returncode == 0
