; Inno Setup script for Complaint Desk: installs the PyInstaller folder build
; (dist\ComplaintDesk, from build_spec\complaint_desk.spec) for all users.
; Compile from the repository root:  iscc build_spec\complaint_desk.iss
; The result is dist\ComplaintDesk-Setup-<version>.exe.

#define AppName "Complaint Desk"
#define AppVersion "0.1.0"
#define AppPublisher "Complaint Desk"
; iscc /DBuildDir=... builds from another folder (build_spec\wine_build.sh does).
#ifndef BuildDir
  #define BuildDir "..\dist\ComplaintDesk"
#endif

[Setup]
AppId={{6E0B8B62-4C55-4F1A-9C1E-3B7E2D9F5A10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher={#AppPublisher}
DefaultDirName={autopf}\ComplaintDesk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputDir=..\dist
OutputBaseFilename=ComplaintDesk-Setup-{#AppVersion}
Compression=lzma2/max
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
UninstallDisplayIcon={app}\complaint-desk.exe
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
; Inno Setup ships no Chinese wizard texts: ChineseTraditional.isl and ChineseSimplified.isl
; are its site's unofficial translations, copied into Inno Setup's Languages folder by hand.
; Without them the wizard is English (a stock Inno Setup 6.4 stopped on the missing files).
#if FileExists(CompilerPath + "Languages\ChineseTraditional.isl")
Name: "zh_TW"; MessagesFile: "compiler:Languages\ChineseTraditional.isl"
#endif
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "zh_CN"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
; The whole one-folder build: both programs, _internal\ (Python, Qt, resources, i18n,
; fonts and their licences, policy.toml, the Alembic scripts).
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\complaint-desk.exe"
Name: "{group}\{#AppName} (demo)"; Filename: "{app}\complaint-desk.exe"; Parameters: "--demo"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\complaint-desk.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\complaint-desk.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The user's stores, logs and backups live in the user data folder, not in {app}: an
; uninstall or upgrade never touches them.
