"""Jinja: the template environment (theme loader chain, filters) and page rendering.

Content is never compiled as a template: YAML values only ever reach templates as data,
autoescaped, and Markdown only through the sanitising `md` / `md_inline` filters.
"""

from __future__ import annotations

import math
import posixpath
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from cxsite.markup import plain_text, render_inline, render_md
from cxsite.model import Project
from cxsite.problems import CxError
from cxsite.resources import themes_dir


def theme_dir(project: Project) -> Path:
    """The folder of the project's theme: the built-in `default` or a folder in the project."""
    name = project.config.theme
    if name == "default":
        return themes_dir() / "default"
    root = project.root.resolve()
    path = (root / name).resolve()
    if not path.is_relative_to(root):
        raise CxError(f"cxsite.yaml: theme '{name}' must be a folder inside the project")
    if not (path / "templates").is_dir():
        raise CxError(f"cxsite.yaml: theme '{name}' has no templates/ folder")
    return path


def static_dirs(project: Project) -> list[Path]:
    """Static folders, lowest priority first: default theme, chosen theme, project overrides."""
    dirs = [themes_dir() / "default" / "static", theme_dir(project) / "static"]
    dirs.append(project.root / "theme" / "static")
    unique: list[Path] = []
    for d in dirs:
        if d.is_dir() and d not in unique:
            unique.append(d)
    return unique


def _loader(project: Project) -> jinja2.BaseLoader:
    default = themes_dir() / "default" / "templates"
    theme = theme_dir(project) / "templates"
    chain: list[jinja2.BaseLoader] = []
    override = project.root / "theme" / "templates"
    if override.is_dir():
        chain.append(jinja2.FileSystemLoader(override))
    chain.append(jinja2.FileSystemLoader(theme))
    if theme != default:
        chain.append(jinja2.FileSystemLoader(default))
    # "!default/x.html" is always the built-in original, "!theme/x.html" the chosen theme's,
    # so an override can extend the template it replaces and change only some blocks.
    prefixes = {
        "!default": jinja2.FileSystemLoader(default),
        "!theme": jinja2.FileSystemLoader(theme),
    }
    chain.append(jinja2.PrefixLoader(prefixes, delimiter="/"))
    return jinja2.ChoiceLoader(chain)


def fmt_number(value: float | int | None, digits: int = 1) -> str:
    """A number for people: no trailing `.0`, thousands separated, `–` for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round(float(value), digits)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.{digits}f}".rstrip("0").rstrip(".")


def fmt_signed(value: float | int | None, digits: int = 1) -> str:
    """A number with an explicit sign (`+1.5`, `−2`), for emotions and deltas."""
    if value is None:
        return "–"
    text = fmt_number(abs(value), digits)
    if round(float(value), digits) > 0:
        return "+" + text
    if round(float(value), digits) < 0:
        return "−" + text
    return text


def fmt_percent(value: float | None, digits: int = 0) -> str:
    """A share 0..1 as a percentage."""
    if value is None:
        return "–"
    return fmt_number(value * 100, digits) + " %"


def _title_word(value: str) -> str:
    return str(value).replace("-", " ").replace("_", " ").capitalize()


@jinja2.pass_context
def _url(ctx: jinja2.runtime.Context, target: str) -> str:
    """A link from the page being rendered (`page_path`) to `target`, relative to the file."""
    page = ctx.get("page_path") or "index.html"
    base = posixpath.dirname(page)
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    if not target:
        return anchor
    return posixpath.relpath(target, base or ".") + anchor


def environment(project: Project) -> jinja2.Environment:
    """The Jinja environment for the project's theme, shared by site pages and PDF briefs."""
    env = jinja2.Environment(
        loader=_loader(project),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do"],
    )
    config = project.config

    def emotion_word(value: float | None) -> str:
        if value is None:
            return "No emotion recorded"
        return config.emotion_label(max(-2, min(2, round(value))))

    env.filters.update(
        md=render_md,
        md_inline=render_inline,
        plain=plain_text,
        number=fmt_number,
        signed=fmt_signed,
        percent=fmt_percent,
        words=_title_word,
        emotion_word=emotion_word,
    )
    env.globals.update(url=_url, config=config)
    return env


def render_page(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """Render one template with a page context; the result always ends with one newline."""
    html = env.get_template(template).render(context)
    return html.rstrip() + "\n"


def safe_join(*parts: Markup | str) -> Markup:
    """Join pieces, escaping any that are not already safe markup."""
    return Markup("").join(parts)
