"""The message catalogues (SPEC 8.12): complete in every shipped language, every key a
template or module uses exists, and `labels` / `language` in cxsite.yaml checked with exact
problem lines."""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli
from cxsite.i18n.catalogue import LANGUAGES, LOCALE_DIR, Messages, message_keys, shipped_texts

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "themes" / "default" / "templates"
PACKAGE = ROOT / "cxsite"
_TEMPLATE_KEY = re.compile(r"""\b(_|gettext|ngettext)\(\s*['"]([^'"]+)['"]""")
_PY_CALLS = {"text", "markup", "plural", "plural_markup", "raw"}


def _po_keys(path: Path) -> list[str]:
    return re.findall(r'^msgid "(.+)"$', path.read_text(encoding="utf-8"), re.MULTILINE)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_key_and_no_empty_text(language: str) -> None:
    texts = shipped_texts(language)
    assert sorted(texts) == sorted(message_keys())
    assert [key for key, text in texts.items() if not text.strip()] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_key_is_in_one_file_of_a_language(language: str) -> None:
    keys = [key for path in sorted((LOCALE_DIR / language).glob("*.po")) for key in _po_keys(path)]
    assert len(keys) == len(set(keys))
    files = {path.name for path in (LOCALE_DIR / language).glob("*.po")}
    assert files == {path.name for path in (LOCALE_DIR / "en").glob("*.po")}


def _keys_used_in_templates() -> set[str]:
    used = set()
    for path in TEMPLATES.rglob("*.html"):
        for func, key in _TEMPLATE_KEY.findall(path.read_text(encoding="utf-8")):
            used.add(f"{key}.other" if func == "ngettext" else key)
    return used


def _keys_used_in_python() -> set[str]:
    used = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in _PY_CALLS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and re.fullmatch(r"[a-z][a-z0-9_.-]*", node.args[0].value)
            ):
                key = node.args[0].value
                used.add(f"{key}.other" if node.func.attr.startswith("plural") else key)
    return used


def test_every_key_a_template_uses_is_in_the_catalogue() -> None:
    used = _keys_used_in_templates()
    assert used, "the templates use no message: the check would find nothing"
    assert sorted(used - set(message_keys())) == []


def test_every_key_the_code_uses_is_in_the_catalogue() -> None:
    assert sorted(_keys_used_in_python() - set(message_keys())) == []


def test_braces_fill_parameters_and_other_messages() -> None:
    messages = Messages("en", {"customers": "patients", "x.test": "What {customers} say, {n}"})
    assert messages.text("x.test", n=3) == "What patients say, 3"
    messages = Messages("en", {"customers": "patients", "x.test": "{Customers} first {nope}"})
    assert messages.text("x.test") == "Patients first {nope}"


def test_markup_escapes_the_text_and_every_parameter() -> None:
    messages = Messages("en", {"customers": "<b>pat</b>", "x.test": "<i>{customers}</i> {v}"})
    assert str(messages.markup("x.test", v="a&b")) == (
        "&lt;i&gt;&lt;b&gt;pat&lt;/b&gt;&lt;/i&gt; a&amp;b"
    )


def test_a_label_naming_itself_stops() -> None:
    messages = Messages("en", {"customers": "{customers}s"})
    assert messages.text("customers").startswith("{customers}")


def test_region_tags_use_their_language_and_numbers_and_dates_follow_it() -> None:
    import datetime as dt

    german = Messages("de-CH")
    assert german.language == "de"
    assert german.number("1,234.5") == "1.234,5"
    assert german.date(dt.date(2026, 4, 15)) == "15. April 2026"
    assert Messages("fr").date(dt.date(2026, 4, 15)) == "15 avril 2026"
    assert Messages("en").date(dt.date(2026, 4, 15)) == "15 April 2026"


def _check(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["check", str(root)], catch_exceptions=False)
    return result.exit_code, [line for line in result.output.splitlines() if ": error " in line]


MakeProject = Callable[..., Path]


def _with_config(make_project: MakeProject, extra: str) -> tuple[Path, int]:
    """A valid project whose cxsite.yaml ends with `extra`; the line `extra` starts on."""
    root = make_project()
    config = root / "cxsite.yaml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + extra, encoding="utf-8")
    return root, len(text.splitlines()) + 1


def test_an_unknown_label_key_is_an_error_with_a_did_you_mean(make_project: MakeProject) -> None:
    root, line = _with_config(make_project, 'labels:\n  phase.befor: "Before the visit"\n')
    line += 1
    assert _check(root) == (
        1,
        [
            f"cxsite.yaml:{line}:3: error E201: unknown label 'phase.befor' "
            "(did you mean 'phase.before'?)"
        ],
    )


def test_a_label_that_is_not_text_is_an_error(make_project: MakeProject) -> None:
    root, line = _with_config(make_project, "labels:\n  customers: [a, b]\n")
    line += 1
    assert _check(root) == (
        1,
        [f"cxsite.yaml:{line}:3: error E203: 'customers': expected text, got a list"],
    )


def _label_bomb(fan_out: int, length: int) -> str:
    """`labels` where each of four levels names the next `fan_out` times: filled in, the first
    label is `fan_out ** 4 * length` characters long."""
    keys = ["phase.before", "pillar.marketing", "pillar.communication", "pillar.digital"]
    names = [*keys, "pillar.content"]
    lines = [f'  {a}: "{("{" + b + "}") * fan_out}"' for a, b in zip(keys, names[1:], strict=True)]
    return "labels:\n" + "\n".join(lines) + f'\n  {names[-1]}: "{"x" * length}"\n'


def test_labels_that_fill_in_too_long_are_an_error_and_never_built(
    make_project: MakeProject, tmp_path: Path
) -> None:
    root = make_project()
    out = tmp_path / "site"
    built = CliRunner().invoke(cli, ["build", str(root), "-o", str(out), "--no-pdf", "-q"])
    assert built.exit_code == 0, built.output
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    root, line = _with_config(lambda: root, _label_bomb(10, 1000))
    too_long = (
        "error E204: label '{}' is {} characters long once the labels it names in braces are "
        "filled in, at most 10,000: name fewer labels in it, or shorter ones"
    )
    assert _check(root) == (
        1,
        [
            f"cxsite.yaml:{line + 1}:3: {too_long.format('phase.before', '10,000,000')}",
            f"cxsite.yaml:{line + 2}:3: {too_long.format('pillar.marketing', '1,000,000')}",
            f"cxsite.yaml:{line + 3}:3: {too_long.format('pillar.communication', '100,000')}",
        ],
    )
    start = time.monotonic()
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(out), "--no-pdf", "-q"])
    assert result.exit_code == 1
    assert time.monotonic() - start < 20  # a build filling the labels takes minutes
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_a_label_too_long_filled_in_keeps_its_braces() -> None:
    """Whichever command skips validation, the text of a label bomb is never made."""
    messages = Messages("en", {"customers": "{customers}" * 900, "x.test": "{Customers}!"})
    assert messages.filled_length("customers") == 900**5 * len("{customers}")
    assert messages.text("customers") == "{customers}" * 900
    assert messages.text("x.test") == "{Customers}!"
    assert Messages("en", {"customers": "{customers}s"}).filled_length("customers") == 16


UNKNOWN_LANGUAGE = (
    "error E205: unknown language '{}': not a BCP 47 language tag CLDR knows (cxsite ships "
    "en, de, fr; any other language takes its words from labels)"
)


# `xx`: no such language; a path and a POSIX locale name are not tags (and never reach the
# locale data's file names).
@pytest.mark.parametrize("tag", ["xx", "../../../etc/passwd", "es.UTF-8", "C"])
def test_an_unknown_language_lists_the_shipped_ones(make_project: MakeProject, tag: str) -> None:
    root, line = _with_config(make_project, f"language: '{tag}'\n")
    assert _check(root) == (1, [f"cxsite.yaml:{line}:1: {UNKNOWN_LANGUAGE.format(tag)}"])


def test_a_language_cxsite_does_not_ship_speaks_english_with_its_own_dates_and_numbers() -> None:
    import datetime as dt

    spanish = Messages("es", {"term.journeys": "Recorridos"})
    assert (spanish.language, spanish.locale) == ("en", "es")
    assert spanish.text("term.journeys") == "Recorridos"
    assert spanish.text("term.personas") == "Personas"  # English where no label is given
    assert spanish.number("1,234.5") == "1.234,5"
    assert spanish.date(dt.date(2026, 4, 15)) == "15 abril 2026"
    assert Messages("pt-BR").locale == "pt_BR"


def test_labels_take_the_plural_forms_of_the_project_language(make_project: MakeProject) -> None:
    few = 'labels:\n  count.touchpoints.few: "{n} punkty styku"\n'
    root, _ = _with_config(make_project, "language: pl\n" + few)
    assert _check(root) == (0, [])
    listed = CliRunner().invoke(cli, ["labels", str(root)], catch_exceptions=False).output
    assert "count.touchpoints.few\t{n} punkty styku" in listed.splitlines()
    assert "count.touchpoints.many\t{n} touchpoints" in listed.splitlines()  # falls back
    polish = Messages("pl", {"count.touchpoints.few": "{n} punkty styku"})
    assert polish.plural("count.touchpoints", 3) == "3 punkty styku"
    assert polish.plural("count.touchpoints", 5) == "5 touchpoints"  # `many`: not labelled
    root, line = _with_config(make_project, few)  # English has no `few`
    assert _check(root) == (
        1,
        [
            f"cxsite.yaml:{line + 1}:3: error E201: unknown label 'count.touchpoints.few' "
            "(did you mean 'count.touchpoints.one'?)"
        ],
    )


def test_labels_lists_every_key_with_the_project_text(make_project: MakeProject) -> None:
    root, _ = _with_config(make_project, "language: de-CH\nlabels:\n  customers: Patienten\n")
    result = CliRunner().invoke(cli, ["labels", str(root)], catch_exceptions=False)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert len(lines) == len(message_keys())
    assert "customers\tPatienten" in lines
    assert "phase.before\tVor dem Kauf" in lines


def test_labels_of_an_invalid_project_prints_its_problems(make_project: MakeProject) -> None:
    root, _ = _with_config(make_project, "language: xx\n")
    result = CliRunner().invoke(cli, ["labels", str(root)])
    assert result.exit_code == 1
    assert UNKNOWN_LANGUAGE.format("xx") in result.output


# Keys built from a prefix and a value (`f"phase.{x}"`, `|term('channel')`,
# `f"change.{c.change}"`): every key under one of these is reachable without being written out.
DYNAMIC_PREFIXES = (
    "brief.kind.",  # briefs/views.py: f"brief.kind.{kind}"
    "brief.persona.",  # briefs/context.py: f"brief.persona.{key}"
    "brief.target.",  # briefs/_macros.html: term("brief.target")
    "category.",
    "change.",  # render/changes.py: f"change.{c.change}", "change.kind.config"
    "channel.",
    "charts.phase.",  # charts/planmatrix.py: f"charts.phase.{phase}"
    "confidence.",
    "emotion.",  # model/config.py: f"emotion.{value}"
    "exec.changes.group.",  # briefs/executive.py
    "exec.changes.kind.",  # briefs/summary.py
    "exec.matrix.impact.",
    "exec.methods.formula.",
    "exec.methods.health.",
    "exec.methods.moe.",
    "exec.methods.test.",
    "exec.status.",
    "format.date.",  # i18n/catalogue.py: f"format.date.{form}"
    "kind.",
    "mechanic.",
    "method.",
    "phase.",
    "pillar.",
    "provider.",
    "pyramid.",
    "severity.",
    "stats.word.",  # macros.html: term("stats.word")
    "status.",
)
_QUOTED = re.compile(r"""['"]([a-z][a-z0-9_.-]*)['"]""")


def _strings_in_code() -> set[str]:
    """Every string constant of the package and every quoted word of the theme."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    theme = ROOT / "themes" / "default"
    for path in [*theme.rglob("*.html"), *theme.rglob("*.js")]:
        found.update(_QUOTED.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_catalogue_key_is_used_somewhere() -> None:
    """No key is dead: written out in code or a template, named in braces by another message,
    or under one of the explicit dynamic prefixes (a deleted use leaves a key to delete)."""
    used = _strings_in_code()
    for text in shipped_texts("en").values():
        used.update(
            name[0].lower() + name[1:] for name in re.findall(r"\{([A-Za-z][\w.-]*)\}", text)
        )
    unused = [
        key
        for key in message_keys()
        if key not in used
        and re.sub(r"\.(zero|one|two|few|many|other)$", "", key) not in used
        and not key.startswith(DYNAMIC_PREFIXES)
    ]
    assert unused == []
