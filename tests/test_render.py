"""render.py: theme loader chain, strict and escaping Jinja, filters, relative links."""

from __future__ import annotations

import dataclasses
import posixpath
import types

import jinja2
import pytest
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from cxsite.problems import CxError
from cxsite.render.env import (
    _relative,
    environment,
    fmt_metric,
    fmt_number,
    fmt_quantity,
    fmt_signed,
    safe_url,
)
from cxsite.render.htmlbits import initials, trend_arrow, trend_class
from cxsite.render.theme import theme_dir
from cxsite.validate.project import load_project


def _project(make_project, files=None):
    result = load_project(make_project(files))
    assert result.project is not None, [p.format() for p in result.problems]
    return result.project


def test_project_override_wins_and_can_extend_the_default(make_project) -> None:
    project = _project(
        make_project,
        {
            "theme/templates/404.html": (
                '{% extends "!default/404.html" %}{% block title %}Lost{% endblock %}'
            )
        },
    )
    env = environment(project)
    source, filename, _ = env.loader.get_source(env, "404.html")
    assert "theme/templates/404.html" in filename
    assert "!default/404.html" in source
    default_source = env.loader.get_source(env, "!default/404.html")[0]
    assert "_('site.missing.title')" in default_source


def test_custom_theme_folder_inside_the_project(make_project) -> None:
    project = _project(
        make_project,
        {
            "cxsite.yaml": "title: T\ntheme: mytheme\n",
            "mytheme/templates/404.html": "custom {{ title }}",
        },
    )
    env = environment(project)
    assert env.get_template("404.html").render(title="x") == "custom x"
    assert "base.html" in env.list_templates()  # the rest falls back to the default theme


def test_theme_outside_the_project_is_refused(make_project, tmp_path) -> None:
    # validate.py reports this as E402; render.py refuses it again should a caller skip that.
    (tmp_path / "elsewhere/templates").mkdir(parents=True)
    valid = _project(make_project)
    config = valid.config.model_copy(update={"theme": "../elsewhere"})
    project = dataclasses.replace(valid, config=config)
    with pytest.raises(CxError, match="must be a folder inside the project"):
        theme_dir(project)


def test_strict_undefined_and_autoescape(make_project) -> None:
    env = environment(_project(make_project))
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    assert env.from_string("{{ v }}").render(v="<b>") == "&lt;b&gt;"
    assert env.from_string("{{ v|md_inline }}").render(v="*a* <b onclick=x>b</b>") == (
        "<em>a</em> <b>b</b>"
    )


@pytest.mark.parametrize(
    ("page", "target", "expected"),
    [
        ("index.html", "personas/maya.html", "personas/maya.html"),
        ("personas/maya.html", "journeys/buy.html#stage-2", "../journeys/buy.html#stage-2"),
        ("personas/maya.html", "personas/index.html", "index.html"),
        ("personas/maya.html", "#top", "#top"),
    ],
)
def test_url_is_relative_to_the_page(make_project, page: str, target: str, expected: str) -> None:
    env = environment(_project(make_project))
    assert env.from_string("{{ url(t) }}").render(page_path=page, t=target) == expected


def test_number_formatting() -> None:
    assert fmt_number(3.0) == "3"
    assert fmt_number(1234.56) == "1,234.6"
    assert fmt_number(None) == "–"
    assert fmt_signed(1.5) == "+1.5"
    assert fmt_signed(-2) == "−2"
    assert fmt_signed(0) == "0"


def test_remembered_metric_texts_equal_fmt_metric(make_project) -> None:
    # The filter remembers each (value, unit, kind) it formatted: values that compare equal
    # (1 and 1.0, 0.0 and -0.0) read the same, and anything but a number is formatted afresh.
    env = environment(_project(make_project))
    values = [1, 1.0, 0.0, -0.0, -0.4, 44.5, 44.5, 611.0, 99.995, None, float("nan"), True]
    template = env.from_string("{% for v in vs %}{{ v|metric_quantity(u, k) }}|{% endfor %}")
    units = [("points", "nps"), ("%", "csat"), ("USD", "clv"), ("score", "ces"), ("", "")]
    for unit, kind in units:  # the same env: what it remembers for one unit is not another's
        expected = "".join(f"{fmt_metric(v, unit, kind)}|" for v in values)
        assert template.render(vs=values, u=unit, k=kind) == expected
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing|metric_quantity('points', 'nps') }}").render()


def test_a_quantity_has_the_unit_the_site_and_the_briefs_show() -> None:
    assert fmt_quantity(44.44, "points") == "44.4 pts"
    assert fmt_quantity(86.4, "%") == "86.4 %"
    assert fmt_quantity(611, "USD") == "611 USD"
    assert fmt_quantity(5.46, "score") == "5.5"
    assert fmt_quantity(5.46, "score", 2) == "5.46"
    assert fmt_quantity(None, "%") == "–"


def test_trend_marks() -> None:
    assert [trend_arrow(d) for d in ("up", "down", "flat")] == ["▲", "▼", "▶"]
    assert [trend_class(v) for v in ("better", "worse", "same")] == ["good", "bad", "flat"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Maya Okafor", "MO"), ("Cher", "CH"), ("Jo-Ann van der Berg", "JB"), ("42", "4"), ("", "?")],
)
def test_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/x", "https://example.com/x"),
        ("mailto:cx@example.com", "mailto:cx@example.com"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,x", None),
        ("relative/page.html", None),
        (None, None),
    ],
)
def test_safe_url(url, expected) -> None:
    assert safe_url(url) == expected


class _Plain:
    upper = "text"


class _Pretender:
    """An object that may report another class (`isinstance` believes it)."""

    def __init__(self, pretend: bool = True) -> None:
        self.pretend = pretend

    @property
    def __class__(self):  # type: ignore[override]
        return types.GeneratorType if self.pretend else _Pretender


def _gen():
    yield 1


def test_remembered_attribute_verdicts_equal_jinjas(make_project) -> None:
    env = environment(_project(make_project, {"theme/templates/.keep": ""}))
    jinja = SandboxedEnvironment()
    objects = [{}, [], "s", Markup("m"), 1, _Plain(), _Pretender(), _gen(), _gen, _Plain.mro,
               _Plain().__init__, _Plain, str, len, (lambda: 0).__code__]  # fmt: skip
    names = ["upper", "mro", "gi_frame", "gi_code", "__globals__", "__code__", "__class__",
             "func_globals", "__self__", "__func__", "co_code", "_x", "ag_frame"]  # fmt: skip
    for _ in range(2):  # the second round answers from the memo where there is one
        for obj in objects:
            for name in names:
                assert env.is_safe_attribute(obj, name, None) == jinja.is_safe_attribute(
                    obj, name, None
                ), (obj, name)
    # a pretender asked after an honest instance of its type still gets Jinja's own verdict
    assert env.is_safe_attribute(_Pretender(pretend=False), "gi_frame", None)
    assert not env.is_safe_attribute(_Pretender(), "gi_frame", None)
    with pytest.raises(jinja2.exceptions.SecurityError):
        env.from_string("{{ g.gi_frame }}").render(g=_gen())


class _Fields:
    def __init__(self) -> None:
        self.name = "Maya"
        self.size = 3
        self.tags = ["a"]
        self.template = "{0.__class__}".format  # a str.format under another name
        self._hidden = "h"


@pytest.mark.parametrize(
    "expression",
    [
        "o.name", "o.size + 1", "o.tags|length", "o.missing is undefined", "d.key",
        "d.items()|list",
        "'{0}!'.format(1)", "'{0.__class__}'.format(1)", "o.template(1)", "o.name.format(1)",
        "m.format_map({'a': '<b>'})", "o._hidden", "g.gi_frame", "o.__class__", "o.name.upper()",
    ],
)  # fmt: skip
def test_attributes_read_as_in_jinjas_sandbox(make_project, expression: str) -> None:
    """`_Sandbox.getattr` skips Jinja's `str.format` check for values that are no method:
    every read, safe or not, a method or a field, must come out as in Jinja's sandbox."""
    env = environment(_project(make_project, {"theme/templates/.keep": ""}))
    assert env.sandboxed
    jinja = SandboxedEnvironment(autoescape=True, undefined=jinja2.StrictUndefined)
    values = {"o": _Fields(), "d": {"key": "v"}, "m": Markup("<i>{a}</i>"), "g": _gen()}

    def rendered(environment_: jinja2.Environment) -> str:
        try:
            return environment_.from_string("{{ " + expression + " }}").render(**values)
        except jinja2.exceptions.SecurityError:
            return "SecurityError"
        except jinja2.exceptions.UndefinedError as error:
            return f"UndefinedError: {error}"

    assert rendered(env) == rendered(jinja)


def test_only_templates_the_project_brings_run_in_the_sandbox(make_project) -> None:
    """cxsite's own theme is its code and renders outside the sandbox; an override folder
    or a theme folder in the project (pull-request input, like content) is sandboxed."""
    own = environment(_project(make_project))
    overridden = environment(_project(make_project, {"theme/templates/.keep": ""}))
    themed = environment(
        _project(
            make_project,
            {
                "cxsite.yaml": "title: T\ntheme: look\n",
                "look/templates/404.html": '{% extends "!default/404.html" %}',
            },
        )
    )
    assert (own.sandboxed, overridden.sandboxed, themed.sandboxed) == (False, True, True)


_PAGES = ("index.html", "a/b.html", "a/b/c.html", "x/y.html")
_TARGETS = ("a/b.html", "a/c/d.html", "x.html", "a", "a/b/c.html#s", "#t", "./a/../b.html",
            "a//b.html", "/abs.html", "../up.html", "a/")  # fmt: skip


@pytest.mark.parametrize(("page", "target"), [(p, t) for p in _PAGES for t in _TARGETS])
def test_links_equal_posixpath_relpath(page: str, target: str) -> None:
    path, _, anchor = target.partition("#")
    folder = posixpath.dirname(page)
    expected = posixpath.relpath(path, folder or ".") if path else ""
    assert _relative(target, folder) == expected + ("#" + anchor if "#" in target else "")


@pytest.mark.parametrize(
    ("value", "word", "colour"),
    [
        (0.5, "Positive", "pos1"),
        (-0.5, "Negative", "neg1"),
        (0.49, "Neutral", "0"),
        (None, "No emotion recorded", "none"),
    ],
)
def test_an_emotion_has_the_word_of_its_colour(make_project, value, word, colour) -> None:
    # Half-way scores round away from zero for the word too, as for the colour and the charts.
    env = environment(_project(make_project))
    assert env.from_string("{{ v|emotion_word }}").render(v=value) == word
    assert env.from_string("{{ v|emotion_class }}").render(v=value) == colour


def test_owners_that_differ_in_case_are_two_filter_options(make_project, tmp_path) -> None:
    # The catalogue's filter matches an owner exactly: one option for "Ops" and "ops"
    # would find only the rows written as the option is
    from cxsite.commands.build import build_site

    second = "name: Kiosk\nchannel: store\nphase: during\nowner: ops\n"
    root = make_project(
        {
            "touchpoints/kiosk.yaml": second,
            "touchpoints/web-shop.yaml": (
                "name: Web shop\nchannel: web\nphase: during\nowner: Ops\nmetrics: [nps]\n"
            ),
        }
    )
    build_site(root, tmp_path / "out", pdf=False)
    page = (tmp_path / "out/touchpoints/index.html").read_text(encoding="utf-8")
    assert '<option value="Ops">Ops</option>' in page and '<option value="ops">ops</option>' in page
    assert 'data-owner="ops"' in page and 'data-owner="Ops"' in page
