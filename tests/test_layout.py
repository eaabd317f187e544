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


# Memos of pure functions whose results depend on nothing of a project (the code, the
# library versions, a font's glyphs): process-wide by nature, never a project's state.
PURE_MEMOS = {
    "cxsite/render/env.py:_relative": "a relative URL from two site paths",
    "cxsite/charts/draw/svg.py:_text_to_path": "a glyph outline, in drawing workers",
    "cxsite/charts/draw/svg.py:_extent": "a text's measured size, in drawing workers",
    "cxsite/charts/draw/svg.py:_font_style": "the CSS matplotlib writes for a font, likewise",
    "cxsite/charts/draw/svg.py:_colour_style": "the CSS matplotlib writes for a colour, likewise",
    "cxsite/charts/draw/text.py:_layout": "a text's layout from its string and style, likewise",
    "cxsite/charts/draw/text.py:_style_state": "a new text's attributes for its style, likewise",
    "cxsite/charts/draw/base.py:_blank": "an empty matplotlib figure to copy",
    "cxsite/charts/jobs.py:_engine_version": "matplotlib's version and the drawing code",
    "cxsite/incremental/buildcache.py:tool_key": "cxsite's source, themes and libraries",
    "cxsite/i18n/catalogue.py:shipped_texts": "a shipped language's catalogue (package data)",
    "cxsite/i18n/catalogue.py:text_locale": "the CLDR locale of a language tag (Babel's data)",
    "cxsite/i18n/catalogue.py:label_keys": "the keys a language's labels may set, likewise",
    # Not module state: kept on each (frozen) configuration, built from its own keys.
    "cxsite/model/config.py:messages": "the configuration's catalogue under its labels",
}
_MUTATORS = {"append", "add", "update", "setdefault", "pop", "clear", "extend", "insert"}


def module_state(path: Path, base: Path = CXSITE.parent) -> list[str]:
    """Module-level tables that code changes at run time, memoised functions, `global`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    rel = path.relative_to(base).as_posix()
    tables = set()
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and isinstance(
            value, ast.Dict | ast.List | ast.Set | ast.Call | ast.DictComp | ast.ListComp
        ):
            tables.add(target.id)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found += [f"{rel}: global {name}" for name in node.names]
        if isinstance(node, ast.FunctionDef):
            for deco in node.decorator_list:
                name = ast.unparse(deco)
                if "cache" in name and f"{rel}:{node.name}" not in PURE_MEMOS:
                    found.append(f"{rel}:{node.name}: @{name}")
        stored = isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store | ast.Del)
        mutated = isinstance(node, ast.Attribute) and node.attr in _MUTATORS
        changed = node.value if stored or mutated else None  # type: ignore[attr-defined]
        if isinstance(changed, ast.Name) and changed.id in tables:
            found.append(f"{rel}: {changed.id} changed at line {node.lineno}")
    return found


def test_no_module_level_caches() -> None:
    """Caches live on the `Session`: no module keeps a table it fills at run time."""
    found = [line for path in MODULES.values() for line in module_state(path)]
    assert found == []


def test_the_module_state_check_finds_a_cache(tmp_path: Path) -> None:
    module = tmp_path / "cxsite" / "bad.py"
    module.parent.mkdir()
    module.write_text(
        "import functools\n_SEEN: dict[str, int] = {}\n\n\ndef f(k):\n    _SEEN[k] = 1\n\n\n"
        "@functools.lru_cache\ndef g():\n    global _X\n",
        encoding="utf-8",
    )
    assert len(module_state(module, tmp_path)) == 3


def _prints(path: Path) -> list[str]:
    """Calls that write to the terminal: print, click.echo/secho, click.progressbar."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = ast.unparse(node.func)
            if name in {"print", "click.echo", "click.secho", "click.progressbar"}:
                found.append(f"{path.relative_to(CXSITE.parent)}:{node.lineno}: {name}")
    return found


def test_only_the_cli_layer_prints() -> None:
    """The library returns results; cli.py and commands/ print them (STYLE)."""
    library = [
        path
        for name, path in MODULES.items()
        if not name.startswith(("cxsite.cli", "cxsite.commands", "cxsite.__main__"))
    ]
    assert [line for path in library for line in _prints(path)] == []
