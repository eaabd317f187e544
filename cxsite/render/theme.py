"""Where a project's theme lives: its template folders in override order, its static folders."""

from __future__ import annotations

from pathlib import Path

import jinja2

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


def loader(project: Project) -> tuple[jinja2.BaseLoader, bool]:
    """The template loader (project overrides, the chosen theme, the default, prefixes), and
    whether it can load a template from the project: an override folder or a theme folder
    of its own, which come through pull requests like content and are not to be trusted."""
    default = themes_dir() / "default" / "templates"
    theme = theme_dir(project) / "templates"
    chain: list[jinja2.BaseLoader] = []
    override = project.root / "theme" / "templates"
    overridden = override.is_dir()
    if overridden:
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
    return jinja2.ChoiceLoader(chain), overridden or theme != default
