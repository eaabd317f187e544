"""The docs match the code: commands, options, problem codes, the module map and links.

Two blocks of the docs are generated from the code and checked here: the options table of
`docs/cli.md` and the module map of `docs/contributing.md`. After an intended change,
refresh them with `CXSITE_UPDATE_EXPECTED=1 pytest tests/test_docs.py`.
"""

from __future__ import annotations

import ast
import difflib
import os
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from cxsite.cli import cli

ROOT = Path(__file__).resolve().parent.parent
CXSITE = ROOT / "cxsite"
DOCS = ROOT / "docs"
README = ROOT / "README.md"
README_LIMIT = 12 * 1024

UPDATE = os.environ.get("CXSITE_UPDATE_EXPECTED", "") not in ("", "0")
EXAMPLE_LINE = re.compile(r"^\S+:\d+:\d+: (error|warning) [EW]\d{3}: ")
PROBLEM_ROW = re.compile(r"^\| ([EW]\d{3}) \| (.*) \| `([^`]+)` \|$")
CODE_LITERAL = re.compile(r"\"([EW][1-5]\d\d)\"")


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


# --- Generated blocks -------------------------------------------------------------------


def _cell(text: str) -> str:
    """Text made safe for one Markdown table cell."""
    return " ".join(text.split()).replace("|", "\\|")


def _param_name(param: click.Parameter) -> str:
    if isinstance(param, click.Argument):
        name = (param.metavar or param.name or "").upper()
        return f"`{name}` ({'argument' if param.required else 'optional argument'})"
    names = ", ".join(f"`{opt}`" for opt in param.opts)
    if param.secondary_opts:
        names += " / " + ", ".join(f"`{opt}`" for opt in param.secondary_opts)
    return names


def _param_type(param: click.Parameter) -> str:
    kind = param.type
    if isinstance(param, click.Option) and param.is_flag:
        text = "flag"
    elif isinstance(kind, click.Choice):
        text = " / ".join(f"`{choice}`" for choice in kind.choices)
    elif isinstance(kind, click.IntRange | click.FloatRange):
        text = "integer" if isinstance(kind, click.IntRange) else "number"
        if kind.min is not None and kind.max is not None:
            text += f" {kind.min}..{kind.max}"
        elif kind.min is not None or kind.max is not None:
            text += f" ≥ {kind.min}" if kind.min is not None else f" ≤ {kind.max}"
    elif isinstance(kind, click.Path):
        text = "folder" if not kind.file_okay else "path"
    else:
        text = kind.name
    if param.multiple:
        text += ", repeatable"
    return text


def _param_default(param: click.Parameter) -> str:
    default = param.to_info_dict()["default"]  # public, and the same across click versions
    if isinstance(param, click.Option) and param.is_flag and param.secondary_opts:
        chosen = param.opts if default else param.secondary_opts
        return f"`{chosen[-1]}`"
    if default is None or default is False or default == ():
        return ""
    return f"`{default}`"


def cli_options_block() -> str:
    """The table of every command's arguments and options, from the click commands."""
    lines = [
        "| command | argument or option | type | default | help |",
        "|---|---|---|---|---|",
    ]
    for name in sorted(cli.commands):
        for param in cli.commands[name].params:
            help_text = getattr(param, "help", None) or ""
            row = [
                f"`cxsite {name}`",
                _param_name(param),
                _param_type(param),
                _param_default(param),
                _cell(help_text),
            ]
            lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def _docstring_line(path: Path) -> str:
    """The summary line of a module's docstring (joined when it wraps), or an empty string."""
    docstring = ast.get_docstring(ast.parse(_read(path))) or ""
    summary: list[str] = []
    for line in docstring.strip().splitlines():
        if not line.strip():
            break
        summary.append(line.strip())
        if line.rstrip().endswith((".", "!", "?")):
            break
    return " ".join(summary)


def _module_sort_key(path: Path) -> tuple[tuple[str, ...], int, str]:
    # Package by package (the top level first), each package's __init__ before its modules.
    relative = path.relative_to(CXSITE)
    return relative.parent.parts, path.stem != "__init__", path.stem


def module_map_block() -> str:
    """The table of every module of the package: dotted path and its docstring's summary.

    No line counts: the map changes when a module is added, moved or renamed, not on every
    edit."""
    modules = sorted(
        (p for p in CXSITE.rglob("*.py") if "__pycache__" not in p.parts), key=_module_sort_key
    )
    lines = ["| module | what it is |", "|---|---|"]
    for path in modules:
        dotted = ".".join(path.relative_to(CXSITE).with_suffix("").parts)
        lines.append(f"| `{dotted}` | {_cell(_docstring_line(path))} |")
    return "\n".join(lines)


def _check_block(path: Path, name: str, generated: str) -> None:
    """Assert the block between `<!-- name:start -->` and `<!-- name:end -->` is `generated`.

    With CXSITE_UPDATE_EXPECTED=1 the block is rewritten instead.
    """
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    text = _read(path)
    assert text.count(start) == 1 and text.count(end) == 1, (
        f"{path.name} needs exactly one {start} and one {end}"
    )
    head, rest = text.split(start)
    current, tail = rest.split(end)
    wanted = f"\n{generated}\n"
    if UPDATE:
        if current != wanted:
            path.write_text(head + start + wanted + end + tail, encoding="utf-8")
        return
    diff = "\n".join(
        difflib.unified_diff(current.splitlines(), wanted.splitlines(), "docs", "code", lineterm="")
    )
    assert current == wanted, (
        f"the {name} block of {path.relative_to(ROOT)} is out of date; refresh it with "
        f"CXSITE_UPDATE_EXPECTED=1 pytest tests/test_docs.py\n{diff}"
    )


def test_cli_options_table_is_generated_from_the_code() -> None:
    _check_block(DOCS / "cli.md", "cli-options", cli_options_block())


def test_module_map_is_generated_from_the_package() -> None:
    _check_block(DOCS / "contributing.md", "module-map", module_map_block())


# --- Commands ---------------------------------------------------------------------------


def _readme_table_commands() -> list[str]:
    """The commands named by the rows of the README's command table."""
    return re.findall(r"^\|\s*\[?`cxsite ([a-z-]+)\b", _read(README), re.MULTILINE)


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_command_has_help_a_docs_section_and_a_readme_row(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert len(cli.commands[name].get_short_help_str()) > 10
    assert re.search(rf"^## `cxsite {name}`", _read(DOCS / "cli.md"), re.MULTILINE), (
        f"no '## `cxsite {name}`' section in docs/cli.md"
    )
    assert name in _readme_table_commands(), f"no row for cxsite {name} in README's command table"


def test_docs_and_readme_name_no_command_that_does_not_exist() -> None:
    sections = re.findall(r"^## `cxsite ([a-z-]+)\b", _read(DOCS / "cli.md"), re.MULTILINE)
    assert sorted(sections) == sorted(set(sections)), "a command has two sections in docs/cli.md"
    assert set(sections) <= set(cli.commands), "docs/cli.md documents an unknown command"
    rows = _readme_table_commands()
    assert set(rows) <= set(cli.commands), "README's command table names an unknown command"


# --- Problem codes ----------------------------------------------------------------------


def _codes_in_the_package() -> set[str]:
    codes: set[str] = set()
    for path in CXSITE.rglob("*.py"):
        if "__pycache__" not in path.parts:
            codes.update(CODE_LITERAL.findall(_read(path)))
    return codes


def _problem_rows() -> list[tuple[int, str, str, str]]:
    """(line number, code, meaning, example line) of each row of docs/problems.md's table."""
    rows = []
    for number, line in enumerate(_read(DOCS / "problems.md").splitlines(), 1):
        if re.match(r"^\|\s*`?[EW]\d{3}`?\s*\|", line):
            match = PROBLEM_ROW.match(line)
            assert match, f"docs/problems.md:{number}: not a 'code | meaning | `example`' row"
            rows.append((number, *match.groups()))
    return rows


def test_every_problem_code_has_one_row_and_every_row_is_a_real_code() -> None:
    codes = _codes_in_the_package()
    assert codes, "no problem codes found in the package"
    rows = _problem_rows()
    documented = [code for _, code, _, _ in rows]
    missing = sorted(codes - set(documented))
    stale = sorted(set(documented) - codes)
    twice = sorted({code for code in documented if documented.count(code) > 1})
    assert not missing, f"codes with no row in docs/problems.md: {missing}"
    assert not stale, f"rows in docs/problems.md for codes the code does not have: {stale}"
    assert not twice, f"codes with several rows in docs/problems.md: {twice}"
    numbers = [number for number, _, _, _ in rows]
    assert numbers == list(range(numbers[0], numbers[0] + len(numbers))), (
        "the codes of docs/problems.md must be rows of one table"
    )


def test_every_problem_row_has_an_example_line_in_the_spec_format() -> None:
    for number, code, meaning, example in _problem_rows():
        severity = "error" if code.startswith("E") else "warning"
        assert meaning.strip(), f"docs/problems.md:{number}: {code} has no meaning"
        assert EXAMPLE_LINE.match(example), f"docs/problems.md:{number}: bad example {example!r}"
        assert f": {severity} {code}: " in example, (
            f"docs/problems.md:{number}: the example of {code} is not a '{severity} {code}' line"
        )


# --- README size and links --------------------------------------------------------------


def test_readme_is_short() -> None:
    size = len(README.read_bytes())
    assert size <= README_LIMIT, f"README.md is {size} bytes, over {README_LIMIT}"


def test_readme_links_the_problem_codes() -> None:
    assert "(docs/problems.md)" in _read(README)


def _without_fences(text: str) -> str:
    """The text without fenced code blocks, which hold no headings and no links."""
    return re.sub(r"^ *(```|~~~).*?^ *\1", "", text, flags=re.MULTILINE | re.DOTALL)


def _without_code(text: str) -> str:
    """The text without code blocks and inline code."""
    return re.sub(r"`[^`\n]*`", "", _without_fences(text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link counts as its text
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor GitHub gives the headings of a Markdown file (repeats get -1, -2...)."""
    seen: dict[str, int] = {}
    found: set[str] = set()
    for match in re.finditer(r"^#{1,6} +(.+?) *#*$", _without_fences(_read(path)), re.MULTILINE):
        base = slug(match.group(1))
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def _links(path: Path) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)", _without_code(_read(path)))


MARKDOWN_FILES = [README, *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("path", MARKDOWN_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_and_anchors_exist(path: Path) -> None:
    broken = []
    for link in _links(path):
        if re.match(r"^[a-z][a-z0-9+.-]*:", link):  # http:, https:, mailto:
            continue
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        if not file.exists():
            broken.append(f"{link}: no such file")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            broken.append(f"{link}: no heading with that anchor in {file.name}")
    assert not broken, f"broken links in {path.relative_to(ROOT)}: {broken}"


def test_docs_index_lists_every_page() -> None:
    linked = {link.partition("#")[0] for link in _links(DOCS / "index.md")}
    pages = {p.name for p in DOCS.glob("*.md")} - {"index.md"}
    assert pages <= linked, f"pages missing from docs/index.md: {sorted(pages - linked)}"


def test_getting_started_counts_the_example_as_it_is() -> None:
    text = " ".join((DOCS / "getting-started.md").read_text(encoding="utf-8").split())
    found = re.search(
        r"(\d+) personas, (\d+) journeys .*?, (\d+) touchpoints, (\d+) metrics \((\d+) of them "
        r"computed from survey CSVs\), (\d+) research studies and (\d+) PDF briefs",
        text,
    )
    assert found is not None
    content = ROOT / "content"
    kinds = ("personas", "journeys", "touchpoints", "metrics")
    counts = [len(list((content / kind).glob("*.yaml"))) for kind in kinds]
    metrics = [p.read_text(encoding="utf-8") for p in (content / "metrics").glob("*.yaml")]
    counts.append(sum("\nresponses:" in text for text in metrics))
    counts.append(len(list((content / "research").glob("*.yaml"))))
    config = (content / "cxsite.yaml").read_text(encoding="utf-8")
    counts.append(len(re.findall(r"^  - id: ", config.split("\nbriefs:")[1], re.M)))
    assert [int(n) for n in found.groups()] == counts


_TEST_REF = re.compile(r"`(?:tests/)?((?:[\w/]+/)?test_\w+\.py)?(?:::(\w+))?`")


def _test_files() -> dict[str, list[Path]]:
    found: dict[str, list[Path]] = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        found.setdefault(path.name, []).append(path)
        found.setdefault(path.relative_to(ROOT / "tests").as_posix(), []).append(path)
    return found


def test_every_test_the_docs_name_exists() -> None:
    """`test_x.py::test_name` (or `::test_name` after one) in the docs names a real test, so
    that a guarantee in security.md always points at the test that keeps it."""
    files, missing = _test_files(), []
    for page in sorted(DOCS.glob("*.md")):
        for number, line in enumerate(_read(page).splitlines(), 1):
            current: str | None = None
            for name, test in _TEST_REF.findall(line):
                current = name or current
                if not name and not test:
                    continue
                paths = files.get(current or "", [])
                where = f"{page.name}:{number}: {current}::{test}"
                if not paths:
                    missing.append(f"{page.name}:{number}: no test file {current}")
                elif test and not any(
                    re.search(rf"^(?:async )?def {test}\(", _read(p), re.MULTILINE) for p in paths
                ):
                    missing.append(where)
    assert missing == [], "\n".join(missing)
