"""The dependency rule: desk never imports Qt; the layers inside desk point one way."""
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint, "import-linter is part of the test extra"
    result = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]


def test_desk_source_never_mentions_qt():
    offenders = [p for p in (ROOT / "desk").rglob("*.py")
                 if "PySide6" in p.read_text(encoding="utf-8")]
    assert offenders == []


def _desk_graph():
    import grimp
    return grimp.build_graph("desk", cache_dir=None)


def _circles(graph) -> list[list[str]]:
    """Strongly connected groups of desk modules (Tarjan); a group of two or more is a
    circle of imports. A package's ``__init__`` importing its own modules is not one."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def edges(module: str) -> list[str]:
        return [m for m in graph.find_modules_directly_imported_by(module)
                if m.startswith("desk") and not m.startswith(module + ".")]

    def visit(module: str) -> None:
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for other in edges(module):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_circles_inside_desk():
    assert _circles(_desk_graph()) == []


def test_the_circle_check_finds_a_circle(tmp_path, monkeypatch):
    pkg = tmp_path / "circ"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from circ import b\n")
    (pkg / "b.py").write_text("from circ import a\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import grimp
    graph = grimp.build_graph("circ", cache_dir=None)
    found = [[m.replace("circ", "desk", 1) for m in group] for group in _circles(
        _Renamed(graph))]
    assert found == [["desk.a", "desk.b"]]


class _Renamed:
    """A graph of package ``circ`` seen as if it were ``desk`` (the check's filter)."""

    def __init__(self, graph) -> None:
        self.graph = graph

    @property
    def modules(self):
        return {m.replace("circ", "desk", 1) for m in self.graph.modules}

    def find_modules_directly_imported_by(self, module: str):
        return {m.replace("circ", "desk", 1) for m in
                self.graph.find_modules_directly_imported_by(module.replace("desk", "circ", 1))}


def test_every_desk_module_sits_in_a_layer():
    import tomllib
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c for c in config["tool"]["importlinter"]["contracts"]
                  if c["name"] == "desk layers")["layers"]
    placed = {name.strip() for layer in layers for name in layer.replace("|", ":").split(":")}
    top_level = {f"desk.{p.stem}" for p in (ROOT / "desk").glob("*.py") if p.stem != "__init__"}
    top_level |= {f"desk.{p.parent.name}" for p in (ROOT / "desk").glob("*/__init__.py")
                  if p.parent.name != "migrations"}
    assert sorted(top_level - placed) == []
