"""The README's promise: a Quick start of exactly two commands, the second being what CI runs."""
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def quick_start_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## Quick start\n(.*?)^## ", text, re.S | re.M).group(1)
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_has_two_commands_app_then_tests():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert "complaint-desk --demo" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert quick_start_commands()[1] in ci.splitlines()


def demo_examples() -> list[list[str]]:
    """The `desk` lines the README says run as printed on the demo store."""
    import shlex
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^## The `desk` command.*?```sh\n(.*?)```", text, re.S | re.M).group(1)
    lines = [line.split("  #")[0].strip() for line in section.splitlines()]
    return [shlex.split(line) for line in lines if line]


def test_each_desk_example_runs_as_printed_on_the_demo_store(tmp_path, monkeypatch, capsys):
    """Every line of the README's demo block, in order, on a fresh demo store: exit 0."""
    from desk.cli import main
    from desk.i18n import set_locale
    monkeypatch.setenv("DESK_DATA_DIR", str(tmp_path / "data"))
    for name in ("DESK_DB", "DESK_AS", "DESK_PIN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    examples = demo_examples()
    assert len(examples) >= 12 and all(e[:2] == ["desk", "--demo"] for e in examples)
    try:
        for argv in examples:
            code = main(argv[1:])
            captured = capsys.readouterr()
            assert code == 0, f"{' '.join(argv)}: {captured.err}"
    finally:
        set_locale("en")
    assert (tmp_path / "form.pdf").read_bytes().startswith(b"%PDF")
    assert (tmp_path / "day.deskpack").exists() and (tmp_path / "backup.sqlite3").exists()
