"""render.py: theme loader chain, strict and escaping Jinja, filters, relative links."""

from __future__ import annotations

import dataclasses

import jinja2
import pytest

from cxsite.problems import CxError
from cxsite.render import environment, fmt_number, fmt_signed, safe_url, theme_dir
from cxsite.validate import load_project


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
    assert "This page does not exist" in default_source


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
