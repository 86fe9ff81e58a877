#!/usr/bin/env bash
# Make the two Windows installers of a one-folder build, natively on Linux:
#   ComplaintDesk-Setup-<version>.exe  NSIS 3 (Debian's makensis), from complaint_desk.nsi
#   ComplaintDesk-<version>.msi        wixl (Debian's msitools), from complaint_desk.wxs
#
#   bash build_spec/make_installers.sh BUILD_DIR OUT_DIR [VERSION]
#
# BUILD_DIR is the PyInstaller folder (…/dist/ComplaintDesk, with desk.exe and
# complaint-desk.exe); VERSION defaults to desk.__version__ of this checkout (X.Y.Z: both
# installer formats need plain numbers). wine_build.sh runs this after building, then tries
# both installers under Wine. Not a CI step; apt-get installs nsis and wixl unless SKIP_APT=1.
# FAST=1 compresses the setup program with zlib instead of solid LZMA (a quarter of the time,
# a third larger): for packages made only to be tried, never for the ones shipped.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
BUILD_DIR="$(cd "${1:?BUILD_DIR}" && pwd)"
mkdir -p "${2:?OUT_DIR}"
OUT_DIR="$(cd "$2" && pwd)"
VERSION="${3:-$(sed -nE 's/^__version__ = "([^"]+)"/\1/p' "$REPO/desk/__init__.py")}"
ICON="$REPO/resources/icons/complaint-desk.ico"

[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "version '$VERSION' is not X.Y.Z" >&2; exit 1; }
[[ -f "$BUILD_DIR/desk.exe" && -f "$BUILD_DIR/complaint-desk.exe" ]] \
    || { echo "$BUILD_DIR holds no Windows build (desk.exe, complaint-desk.exe)" >&2; exit 1; }

if [[ -z "${SKIP_APT:-}" ]]; then
    need=()
    for p in nsis wixl msitools; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
    if ((${#need[@]})); then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${need[@]}" >/dev/null
    fi
fi

STAGE="$OUT_DIR/stage-$VERSION"
rm -rf "$STAGE"; mkdir -p "$STAGE"
took() { printf '%ss' "$(( $(date +%s) - $1 ))"; }

# --- the uninstaller's list: exactly the files installed, then their folders, deepest first
python3 - "$BUILD_DIR" "$STAGE/uninstall_files.nsh" <<'EOF'
import sys
from pathlib import Path
root, out = Path(sys.argv[1]), Path(sys.argv[2])
files = sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())
folders = sorted({parent for f in files for parent in f.parents if parent != Path(".")},
                 key=lambda p: (-len(p.parts), str(p)))
win = lambda p: str(p).replace("/", "\\")
lines = [f'Delete "$INSTDIR\\{win(f)}"' for f in files]
lines += [f'RMDir "$INSTDIR\\{win(d)}"' for d in folders]
out.write_text("\n".join(lines) + "\n", encoding="utf-8")
print(f"uninstall list: {len(files)} files, {len(folders)} folders")
EOF

# --- NSIS setup program ----------------------------------------------------------------------
t=$(date +%s)
fast=(); [[ -n "${FAST:-}" ]] && fast=("-DFAST_COMPRESSION")
makensis -V2 -INPUTCHARSET UTF8 "${fast[@]}" \
    "-DVERSION=$VERSION" "-DBUILD_DIR=$BUILD_DIR" "-DOUT_DIR=$OUT_DIR" \
    "-DUNINSTALL_LIST=$STAGE/uninstall_files.nsh" "-DICON=$ICON" \
    "$HERE/complaint_desk.nsi"
SETUP="$OUT_DIR/ComplaintDesk-Setup-$VERSION.exe"
echo "setup: $(basename "$SETUP") $(du -h "$SETUP" | cut -f1) in $(took "$t")"

# --- MSI ----------------------------------------------------------------------------------------
# wixl reads sources by paths relative to where it runs: the build and the icon are linked
# into the stage folder.
t=$(date +%s)
ln -s "$BUILD_DIR" "$STAGE/ComplaintDesk"
cp "$ICON" "$STAGE/complaint-desk.ico"
cp "$HERE/complaint_desk.wxs" "$STAGE/"
MSI="$OUT_DIR/ComplaintDesk-$VERSION.msi"
(
    cd "$STAGE"
    find -L ComplaintDesk -type f | LC_ALL=C sort \
        | wixl-heat -p ComplaintDesk/ --component-group ProgramFiles --var var.SourceDir \
            --directory-ref INSTALLDIR --win64 > files.wxs
    wixl -a x64 -D "Version=$VERSION" -D Win64=yes -D SourceDir=ComplaintDesk \
        -D Icon=complaint-desk.ico -o "$MSI" complaint_desk.wxs files.wxs
)
# What wixl cannot say (see complaint_desk.wxs): DESK_DB passes to the elevated part of the
# install, and the older version is removed before the newer one's files are installed.
msibuild "$MSI" -q "UPDATE \`Property\` SET \`Value\` = 'DESK_DB;WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED' WHERE \`Property\` = 'SecureCustomProperties'"
msibuild "$MSI" -q "UPDATE \`InstallExecuteSequence\` SET \`Sequence\` = 1401 WHERE \`Action\` = 'RemoveExistingProducts'"
msiinfo export "$MSI" InstallExecuteSequence | grep -q $'^RemoveExistingProducts\t\t1401' \
    || { echo "RemoveExistingProducts not moved" >&2; exit 1; }
echo "msi: $(basename "$MSI") $(du -h "$MSI" | cut -f1) in $(took "$t")," \
     "$(msiinfo export "$MSI" File | tail -n +4 | wc -l) files"
rm -rf "$STAGE"
