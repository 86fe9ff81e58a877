; NSIS 3 script for Complaint Desk: a 64-bit setup program that installs the PyInstaller
; one-folder build (both programs) for every user of the PC. build_spec/make_installers.sh
; compiles it with Debian's makensis (native on Linux), passing:
;   -DVERSION=0.1.0                  desk.__version__ (pyproject.toml says the same)
;   -DBUILD_DIR=…/dist/ComplaintDesk the one-folder build
;   -DOUT_DIR=…                      where ComplaintDesk-Setup-<version>.exe is written
;   -DUNINSTALL_LIST=…/files.nsh     Delete/RMDir lines for exactly the files installed
;   -DICON=resources/icons/complaint-desk.ico
;   [-DFAST_COMPRESSION]             zlib instead of solid LZMA, for packages only tried
;
; Silent use (what a mall's IT runs):
;   ComplaintDesk-Setup-0.1.0.exe /S [/DESK_DB=postgresql+psycopg://desk@db-server/complaints]
;                                    [/D=C:\Program Files\ComplaintDesk]   (/D last, no quotes)
;   "C:\Program Files\ComplaintDesk\uninstall.exe" /S
; /DESK_DB= writes the shared store's URL where both programs read it for every user
; (HKLM\SOFTWARE\ComplaintDesk, value DESK_DB; see desk/machine.py); an upgrade keeps the
; value already there. The users' stores, settings, logs and backups live in their own
; folders (%LOCALAPPDATA%\ComplaintDesk, HKCU\Software\ComplaintDesk): neither an upgrade nor
; the uninstaller touches them.

Unicode true
Target amd64-unicode
ManifestDPIAware true

!include MUI2.nsh
!include FileFunc.nsh
!include LogicLib.nsh
!include WordFunc.nsh

!define APP_NAME "Complaint Desk"
!define PUBLISHER "Complaint Desk"
!define ARP_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\ComplaintDesk"
!define MACHINE_KEY "SOFTWARE\ComplaintDesk"
!define MENU_DIR "$SMPROGRAMS\${APP_NAME}"

Name "${APP_NAME} ${VERSION}"
OutFile "${OUT_DIR}\ComplaintDesk-Setup-${VERSION}.exe"
InstallDir "$PROGRAMFILES64\ComplaintDesk"
InstallDirRegKey HKLM "${MACHINE_KEY}" "InstallDir"
RequestExecutionLevel admin
!ifdef FAST_COMPRESSION          ; make_installers.sh FAST=1: a package only to be tried
    SetCompressor zlib
!else
    SetCompressor /SOLID lzma
!endif
Icon "${ICON}"
UninstallIcon "${ICON}"
BrandingText "${APP_NAME} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP_NAME}"
VIAddVersionKey /LANG=0 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP_NAME} ${VERSION} setup"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "LegalCopyright" "${PUBLISHER}"

Var DeskDb

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\complaint-desk.exe"
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "TradChinese"
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
    SetShellVarContext all
    SetRegView 64
    ; /DESK_DB=… on the command line, else the value an earlier install left.
    Call GivenDeskDb
    ${If} $DeskDb == ""
        ReadRegStr $DeskDb HKLM "${MACHINE_KEY}" "DESK_DB"
    ${EndIf}
FunctionEnd

; $DeskDb = what follows /DESK_DB= up to the next " /" option or the end, without quotes.
; (FileFunc's GetOptions ends a value at any "/", and every URL has some.)
Function GivenDeskDb
    StrCpy $DeskDb ""
    ${GetParameters} $R0
    StrLen $R2 $R0
    StrCpy $R3 0
    find:
        IntCmp $R3 $R2 done 0 done
        StrCpy $R4 $R0 9 $R3
        StrCmp $R4 "/DESK_DB=" found
        IntOp $R3 $R3 + 1
        Goto find
    found:
        IntOp $R3 $R3 + 9
        StrCpy $R1 $R0 "" $R3
        StrLen $R2 $R1
        StrCpy $R3 0
    cut:
        IntCmp $R3 $R2 unquote 0 unquote
        StrCpy $R4 $R1 2 $R3
        StrCmp $R4 " /" 0 +3
            StrCpy $R1 $R1 $R3
            Goto unquote
        IntOp $R3 $R3 + 1
        Goto cut
    unquote:
        ${WordReplace} $R1 '\"' "" "+" $R1
        ${WordReplace} $R1 '"' "" "+" $R1
    trim:
        StrCpy $R4 $R1 1 -1
        StrCmp $R4 " " 0 +3
            StrCpy $R1 $R1 -1
            Goto trim
        StrCpy $DeskDb $R1
    done:
FunctionEnd

Section "Complaint Desk" SecProgram
    SectionIn RO
    SetShellVarContext all
    SetRegView 64
    ; An earlier version: its own uninstaller takes its files away first (it never touches
    ; the users' data), so no file a newer version dropped is left behind.
    ReadRegStr $0 HKLM "${ARP_KEY}" "InstallLocation"
    ${If} $0 != ""
    ${AndIf} ${FileExists} "$0\uninstall.exe"
        ExecWait '"$0\uninstall.exe" /S _?=$0'
        Delete "$0\uninstall.exe"
        RMDir "$0"
    ${EndIf}

    SetOutPath "$INSTDIR"
    File /r "${BUILD_DIR}\*.*"
    WriteUninstaller "$INSTDIR\uninstall.exe"

    SetOutPath "$INSTDIR"
    CreateDirectory "${MENU_DIR}"
    CreateShortcut "${MENU_DIR}\${APP_NAME}.lnk" "$INSTDIR\complaint-desk.exe" "" \
        "$INSTDIR\complaint-desk.exe" 0
    CreateShortcut "${MENU_DIR}\${APP_NAME} (demo).lnk" "$INSTDIR\complaint-desk.exe" "--demo" \
        "$INSTDIR\complaint-desk.exe" 0
    CreateShortcut "${MENU_DIR}\Uninstall ${APP_NAME}.lnk" "$INSTDIR\uninstall.exe"

    WriteRegStr HKLM "${MACHINE_KEY}" "InstallDir" "$INSTDIR"
    WriteRegStr HKLM "${MACHINE_KEY}" "Version" "${VERSION}"
    ${If} $DeskDb != ""
        WriteRegStr HKLM "${MACHINE_KEY}" "DESK_DB" "$DeskDb"
    ${EndIf}

    ; Apps & features (Add/Remove Programs)
    WriteRegStr HKLM "${ARP_KEY}" "DisplayName" "${APP_NAME}"
    WriteRegStr HKLM "${ARP_KEY}" "DisplayVersion" "${VERSION}"
    WriteRegStr HKLM "${ARP_KEY}" "Publisher" "${PUBLISHER}"
    WriteRegStr HKLM "${ARP_KEY}" "DisplayIcon" "$INSTDIR\complaint-desk.exe,0"
    WriteRegStr HKLM "${ARP_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKLM "${ARP_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
    WriteRegStr HKLM "${ARP_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
    WriteRegDWORD HKLM "${ARP_KEY}" "NoModify" 1
    WriteRegDWORD HKLM "${ARP_KEY}" "NoRepair" 1
    ${GetSize} "$INSTDIR" "/S=0K" $1 $2 $3
    WriteRegDWORD HKLM "${ARP_KEY}" "EstimatedSize" $1
SectionEnd

Section "Uninstall"
    SetShellVarContext all
    SetRegView 64
    ; Exactly the files and folders the setup put there (generated from the build), not a
    ; recursive delete: a folder chosen by mistake (C:\Program Files) keeps everything else.
    !include "${UNINSTALL_LIST}"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR"

    Delete "${MENU_DIR}\${APP_NAME}.lnk"
    Delete "${MENU_DIR}\${APP_NAME} (demo).lnk"
    Delete "${MENU_DIR}\Uninstall ${APP_NAME}.lnk"
    RMDir "${MENU_DIR}"
    DeleteRegKey HKLM "${ARP_KEY}"
    ; The PC-wide settings go with the program; each user's data stays where it is.
    DeleteRegKey HKLM "${MACHINE_KEY}"
SectionEnd
