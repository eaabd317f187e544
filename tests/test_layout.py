"""The package's shape stays as built: no import cycles, no module-level caches, and
function-level imports only where a comment says why (start-up time)."""

from __future__ import annotations

import ast
from pathlib import Path

CXSITE = Path(__file__).resolve().parent.parent / "cxsite"


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(CXSITE.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        parts = path.relative_to(CXSITE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


MODULES = _modules()


def _targets(node: ast.Import | ast.ImportFrom, importer: str) -> list[str]:
    """The cxsite modules an import statement runs: a package's __init__ included, unless
    the package is one of the importer's own (Python has already begun importing it)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif node.module is None or node.level:
        return []
    else:
        base = node.module
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    found = []
    for name in names:
        parts = name.split(".")
        found += [".".join(parts[:i]) for i in range(2, len(parts) + 1)]
    own = {".".join(importer.split(".")[:i]) for i in range(1, importer.count(".") + 2)}
    return [name for name in found if name in MODULES and name not in own]


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Every edge module -> cxsite module it imports, at any level (lazy imports included)."""
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        edges = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                edges.update(_targets(node, name))
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles_between_modules() -> None:
    assert cycles(import_graph(MODULES)) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    graph = import_graph(MODULES)
    graph["cxsite.problems"] = graph["cxsite.problems"] | {"cxsite.cli"}
    assert any("cxsite.problems" in c and "cxsite.cli" in c for c in cycles(graph))


def test_nothing_imports_the_commands_but_the_cli() -> None:
    graph = import_graph(MODULES)
    wrong = sorted(
        f"{name} -> {target}"
        for name, targets in graph.items()
        for target in targets
        if target.startswith("cxsite.commands")
        and not name.startswith(("cxsite.commands", "cxsite.cli", "cxsite.__main__"))
    )
    assert wrong == []


def lazy_imports_without_a_reason(path: Path) -> list[str]:
    """Imports inside functions with no comment on their line or the line above."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    for func in ast.walk(ast.parse(text)):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import | ast.ImportFrom):
                here = lines[node.lineno - 1]
                above = lines[node.lineno - 2] if node.lineno > 1 else ""
                if "#" not in here and not above.strip().startswith("#"):
                    found.append(f"{path.relative_to(CXSITE.parent)}:{node.lineno}")
    return sorted(set(found))


def test_function_level_imports_say_why() -> None:
    missing = [where for path in MODULES.values() for where in lazy_imports_without_a_reason(path)]
    assert missing == []
