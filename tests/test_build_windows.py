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


# --- The installers (build_spec/make_installers.sh; tried under Wine by wine_build.sh) --------
NSI = ROOT / "build_spec" / "complaint_desk.nsi"
WXS = ROOT / "build_spec" / "complaint_desk.wxs"
MAKE = ROOT / "build_spec" / "make_installers.sh"
WIX = "{http://schemas.microsoft.com/wix/2006/wi}"


@pytest.fixture(scope="module")
def wxs():
    import xml.etree.ElementTree as ET
    return ET.parse(WXS).getroot()


def test_one_version_everywhere():
    """The installers take desk.__version__ (make_installers.sh reads it); pyproject agrees."""
    import tomllib
    from desk import __version__
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__), "both installer formats need X.Y.Z"
    make = MAKE.read_text(encoding="utf-8")
    assert "desk/__init__.py" in make and "__version__" in make
    assert '"-DVERSION=$VERSION"' in make and '-D "Version=$VERSION"' in make
    nsi = NSI.read_text(encoding="utf-8")
    assert 'OutFile "${OUT_DIR}\\ComplaintDesk-Setup-${VERSION}.exe"' in nsi
    assert '"DisplayVersion" "${VERSION}"' in nsi and 'VIProductVersion "${VERSION}.0"' in nsi


def test_nsis_setup_is_per_machine_64_bit_with_icon_and_publisher():
    nsi = NSI.read_text(encoding="utf-8")
    for line in ("Target amd64-unicode", "RequestExecutionLevel admin",
                 'InstallDir "$PROGRAMFILES64\\ComplaintDesk"', "SetShellVarContext all",
                 "SetRegView 64", 'Icon "${ICON}"', '"Publisher" "${PUBLISHER}"'):
        assert line in nsi, line
    assert re.search(r'!define PUBLISHER "[^"]+"', nsi)
    assert '"-DICON=$ICON"' in MAKE.read_text(encoding="utf-8")
    assert (ROOT / "resources" / "icons" / "complaint-desk.ico").is_file()


def test_nsis_start_menu_entries_for_the_app_and_the_demo():
    nsi = NSI.read_text(encoding="utf-8")
    shortcuts = re.findall(r'CreateShortcut "([^"]+)" "([^"]+)"(?: "([^"]*)")?', nsi)
    by_name = {name.rsplit("\\", 1)[1]: (target, args) for name, target, args in shortcuts}
    assert by_name["${APP_NAME}.lnk"] == ("$INSTDIR\\complaint-desk.exe", "")
    assert by_name["${APP_NAME} (demo).lnk"] == ("$INSTDIR\\complaint-desk.exe", "--demo")
    assert by_name["Uninstall ${APP_NAME}.lnk"][0] == "$INSTDIR\\uninstall.exe"
    assert '!define MENU_DIR "$SMPROGRAMS\\${APP_NAME}"' in nsi


def test_nsis_uninstaller_removes_only_what_it_installed_and_keeps_user_data():
    nsi = NSI.read_text(encoding="utf-8")
    assert 'WriteUninstaller "$INSTDIR\\uninstall.exe"' in nsi
    uninstall = nsi[nsi.index('Section "Uninstall"'):]
    assert '!include "${UNINSTALL_LIST}"' in uninstall
    assert "RMDir /r" not in nsi, "a recursive delete could take a folder chosen by mistake"
    for user_place in ("$LOCALAPPDATA", "$APPDATA", "HKCU"):
        assert user_place not in uninstall, f"the uninstaller must not touch {user_place}"
    assert '"QuietUninstallString" \'"$INSTDIR\\uninstall.exe" /S\'' in nsi
    # An upgrade runs the older version's own uninstaller in place, then installs.
    assert "ExecWait '\"$0\\uninstall.exe\" /S _?=$0'" in nsi


def test_nsis_takes_desk_db_and_an_upgrade_keeps_it():
    from desk.machine import MACHINE_KEY, STORE_VALUE
    nsi = NSI.read_text(encoding="utf-8")
    assert f'!define MACHINE_KEY "{MACHINE_KEY}"' in nsi
    assert 'StrCmp $R4 "/DESK_DB=" found' in nsi
    assert f'WriteRegStr HKLM "${{MACHINE_KEY}}" "{STORE_VALUE}" "$DeskDb"' in nsi
    init = nsi[nsi.index("Function .onInit"):nsi.index("FunctionEnd")]
    assert f'ReadRegStr $DeskDb HKLM "${{MACHINE_KEY}}" "{STORE_VALUE}"' in init


def test_msi_is_per_machine_64_bit_and_upgrades(wxs):
    product = wxs.find(f"{WIX}Product")
    assert product.get("Version") == "$(var.Version)" and product.get("Id") == "*"
    assert re.fullmatch(r"[0-9A-F-]{36}", product.get("UpgradeCode"))
    assert product.get("Manufacturer")
    assert product.find(f"{WIX}Package").get("InstallScope") == "perMachine"
    assert product.find(f"{WIX}MajorUpgrade") is not None
    folders = {d.get("Id") for d in wxs.iter(f"{WIX}Directory")}
    assert {"ProgramFiles64Folder", "INSTALLDIR", "ProgramMenuFolder"} <= folders
    assert all(c.get("Win64") == "yes" for c in wxs.iter(f"{WIX}Component"))
    icon = product.find(f"{WIX}Icon").get("Id")
    assert {p.get("Id"): p.get("Value") for p in product.iter(f"{WIX}Property")
            }["ARPPRODUCTICON"] == icon
    make = MAKE.read_text(encoding="utf-8")
    assert "wixl -a x64" in make and "wixl-heat" in make and "--component-group ProgramFiles" in make
    assert "'RemoveExistingProducts'" in make    # the older version leaves first


def test_msi_start_menu_entries_for_the_app_and_the_demo(wxs):
    shortcuts = {s.get("Id"): s for s in wxs.iter(f"{WIX}Shortcut")}
    assert shortcuts["AppShortcut"].get("Target") == "[INSTALLDIR]complaint-desk.exe"
    assert shortcuts["AppShortcut"].get("Arguments") is None
    assert shortcuts["DemoShortcut"].get("Target") == "[INSTALLDIR]complaint-desk.exe"
    assert shortcuts["DemoShortcut"].get("Arguments") == "--demo"
    assert shortcuts["UninstallShortcut"].get("Arguments") == "/x [ProductCode]"


def test_msi_public_property_desk_db_is_what_the_program_reads(wxs):
    """msiexec /i … /qn DESK_DB=… writes the value desk.machine reads, and keeps it on upgrade."""
    from desk.machine import MACHINE_KEY, STORE_VALUE
    written = [r for r in wxs.iter(f"{WIX}RegistryValue") if r.get("Name") == STORE_VALUE]
    assert len(written) == 1
    assert written[0].get("Root") == "HKLM" and written[0].get("Key") == MACHINE_KEY
    assert written[0].get("Value") == f"[{STORE_VALUE}]" and written[0].get("Type") == "string"
    prop = next(p for p in wxs.iter(f"{WIX}Property") if p.get("Id") == STORE_VALUE)
    assert STORE_VALUE == STORE_VALUE.upper(), "a public MSI property is upper case"
    search = prop.find(f"{WIX}RegistrySearch")
    assert (search.get("Root"), search.get("Key"), search.get("Name"), search.get("Win64")) == \
        ("HKLM", MACHINE_KEY, STORE_VALUE, "yes")
    # The value given on the command line wins over the remembered one.
    customs = {c.get("Action"): c for c in wxs.iter(f"{WIX}Custom")}
    assert customs["KeepGivenDeskDb"].get("Before") == "AppSearch"
    make = MAKE.read_text(encoding="utf-8")   # and it reaches the elevated part of the install
    assert f"'{STORE_VALUE};" in make and "'SecureCustomProperties'" in make


def test_no_ci_step_needs_the_installer_tools():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for tool in ("nsis", "makensis", "wixl", "msitools", "wine"):
        assert tool not in ci
    assert not list((ROOT / "build_spec").glob("*.iss")), "NSIS and wixl replaced Inno Setup"


def test_spec_bundles_the_metadata_the_about_box_reads():
    """Versions shown in About come from the bundled metadata of what licences.toml lists."""
    text = SPEC.read_text(encoding="utf-8")
    assert 'copy_metadata(component["dist"])' in text and "+ licence_metadata()" in text
    assert '(ROOT / "resources" / "licences.toml")' in text
