"""The typed template context: what every page receives, built by one function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from markupsafe import Markup

from cxsite.analysis.analyse import Analysis
from cxsite.i18n.catalogue import Messages, section_key
from cxsite.model import Project
from cxsite.render.htmlbits import brand_css
from cxsite.render.markup import plain_text
from cxsite.site.search import safe_json

# The navigation: section key (its text is the message `nav.<key>`) and page.
NAV: tuple[tuple[str, str], ...] = (
    ("home", "index.html"),
    ("personas", "personas/index.html"),
    ("journeys", "journeys/index.html"),
    ("touchpoints", "touchpoints/index.html"),
    ("metrics", "metrics/index.html"),
    ("insights", "insights.html"),
    ("freshness", "freshness.html"),
    ("search", "search.html"),
)
# With research studies, the navigation links to them (after Metrics; SPEC 8.8).
RESEARCH_NAV = ("research", "research/index.html")
# A brief's link title by kind when the brief has no `title`: the message of each kind.
BRIEF_TITLES = {
    "executive": "site.brief.executive",
    "persona": "site.brief.persona",
    "personas": "term.personas",
    "journey": "site.brief.journey",
}


@dataclass(frozen=True)
class Crumb:
    """One breadcrumb: a label and the site path it links to (None: the current page)."""

    label: str
    path: str | None = None


def home_crumb(messages: Messages) -> Crumb:
    """The first breadcrumb of every page but the home page."""
    return Crumb(messages.text("nav.home"), "index.html")


@dataclass(frozen=True)
class BriefLink:
    """A PDF brief linked from the site."""

    id: str
    title: str
    kind: str
    path: str


@dataclass(frozen=True)
class ChartRef:
    """A chart image of the site: its path, title and alt text."""

    path: str
    title: str
    desc: str


@dataclass(frozen=True)
class Breakdown:
    """One breakdown table of a metric page: the rows shown, of `total` segments.

    `segment`: a column of the `segments` setting (an export header; values are not ids)."""

    column: str
    rows: tuple[tuple[str, Any], ...]
    total: int
    segment: bool = False


@dataclass(frozen=True)
class Site:
    """What every page shows around its content."""

    title: str
    organization: str | None
    language: str
    description: str | None
    description_text: str
    base_url: str | None
    logo: str | None
    css_vars: str
    as_of: dt.date
    as_of_text: str
    nav: tuple[tuple[str, str, str], ...]
    briefs: tuple[BriefLink, ...]
    js_messages: Markup


@dataclass(frozen=True)
class Page:
    """One page to render: output path, template and the page's own variables."""

    path: str
    template: str
    title: str
    section: str
    crumbs: tuple[Crumb, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


def asset_path(rel: str) -> str:
    """Where a project file referenced by content (photo, logo) lands in the site."""
    pure = PurePosixPath(rel.replace("\\", "/"))
    parts = [p for p in pure.parts if p not in ("", ".")]
    if parts and parts[0] == "assets":
        return "/".join(parts)
    return "/".join(["assets", *parts])


CHANGES_NAV = ("changes", "changes.html")
# The texts the theme's scripts show (filter counts, search status, copy buttons), given to
# them in the page as JSON: braces such as `{n}` are left for the script to fill.
JS_MESSAGES: tuple[str, ...] = (
    "count.touchpoints.one",
    "count.touchpoints.other",
    "site.js.touchpoints_shown.one",
    "site.js.touchpoints_shown.other",
    "site.js.pages.one",
    "site.js.pages.other",
    "site.js.pages_shown.one",
    "site.js.pages_shown.other",
    "site.js.results.one",
    "site.js.results.other",
    "site.js.no_results",
    "site.js.copied",
    "site.js.select_to_copy",
)


def make_site(
    project: Project, as_of: dt.date, briefs: tuple[BriefLink, ...], changes: bool = False
) -> Site:
    """The site-wide context of a project; `changes`: changes.html is in the navigation."""
    config = project.config
    base = config.base_url.rstrip("/") + "/" if config.base_url else None
    return Site(
        title=config.title,
        organization=config.organization,
        language=config.language,
        description=config.description,
        description_text=plain_text(config.description),
        base_url=base,
        logo=asset_path(config.brand.logo) if config.brand.logo else None,
        css_vars=brand_css(config.brand.primary, config.brand.accent),
        as_of=as_of,
        as_of_text=config.messages.date(as_of),
        nav=_nav(project, changes),
        briefs=briefs,
        js_messages=js_messages(project),
    )


def js_messages(project: Project) -> Markup:
    """JS_MESSAGES as JSON safe inside a `<script>` element (no `<`, `>` or `&` in it), with
    the plural forms the project's labels add to them (`….few` in Polish)."""
    text = project.config.messages.text
    counted = {key.rsplit(".", 1)[0] for key in JS_MESSAGES if key.endswith(".other")}
    forms = [k for k in sorted(project.config.labels) if k.rsplit(".", 1)[0] in counted]
    keys = dict.fromkeys([*JS_MESSAGES, *forms])
    return Markup(safe_json({key: text(key) for key in keys}))


def _nav(project: Project, changes: bool) -> tuple[tuple[str, str, str], ...]:
    """The navigation: NAV, Research once the project has a study, Changes with
    `changes_since` (before Search, the last entry)."""
    nav = list(NAV)
    if project.research:
        keys = [key for key, _ in nav]
        at = keys.index("metrics") + 1 if "metrics" in keys else len(nav)
        nav.insert(at, RESEARCH_NAV)
    if changes:
        nav.insert(len(nav) - 1, CHANGES_NAV)
    text = project.config.messages.text
    return tuple((key, text(section_key(key)), path) for key, path in nav)


def brief_links(project: Project) -> tuple[BriefLink, ...]:
    """The configured briefs as links (whether or not this build renders the PDFs)."""
    text = project.config.messages.text
    links = []
    for brief in project.config.brief_list():
        title = brief.title or text(BRIEF_TITLES[brief.kind])
        if brief.title is None and brief.kind == "persona" and brief.persona in project.personas:
            title = text("site.brief.persona_of", name=project.personas[brief.persona].name)
        if brief.title is None and brief.kind == "journey" and brief.journey in project.journeys:
            title = text("site.brief.journey_of", name=project.journeys[brief.journey].title)
        links.append(BriefLink(brief.id, title, brief.kind, f"briefs/{brief.id}.pdf"))
    return tuple(links)


def page_context(
    page: Page,
    *,
    site: Site,
    project: Project,
    analysis: Analysis,
    charts: Mapping[str, ChartRef],
) -> dict[str, Any]:
    """The variables a template receives for one page."""
    return {
        "site": site,
        "project": project,
        "analysis": analysis,
        "charts": charts,
        "page_path": page.path,
        "title": page.title,
        "section": page.section,
        "crumbs": page.crumbs,
        **page.extra,
    }


def existing_file(root: Path, rel: str) -> Path | None:
    """The file `rel` inside the project root, or None when it escapes, is hidden or missing."""
    pure = PurePosixPath(rel.replace("\\", "/"))
    if pure.is_absolute() or any(p.startswith(".") and p not in (".",) for p in pure.parts):
        return None
    base = root.resolve()
    path = (base / pure).resolve()
    if not path.is_relative_to(base) or not path.is_file():
        return None
    return path
