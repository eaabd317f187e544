"""Rendering the site's pages: each page's context through its template, re-using the
previous output of a page whose inputs did not change (see incremental/pagecache.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from cxsite.analysis.analyse import Analysis
from cxsite.halves import in_two
from cxsite.incremental.depgraph import Recorder, RecordingMapping, RecordingObject
from cxsite.model import Project
from cxsite.render.env import environment
from cxsite.render.theme import static_dirs
from cxsite.session import Session
from cxsite.site.context import ChartRef, Page, Site, page_context
from cxsite.site.pages import site_pages

if TYPE_CHECKING:
    from cxsite.incremental.pagecache import PageCache


def render_page(env: jinja2.Environment, template: str, context: dict[str, Any]) -> str:
    """Render one template with a page context; the result always ends with one newline."""
    html = env.get_template(template).render(context)
    return html.rstrip() + "\n"


def _not_found_extras(project: Project, site: Site) -> dict[str, object]:
    """A static host serves 404.html at any depth: inline the stylesheet (theme code, not
    content) so it never loads relative to a wrong folder, and link through base_url."""
    css = ""
    for folder in static_dirs(project):
        if (folder / "cxsite.css").is_file():
            css = (folder / "cxsite.css").read_text(encoding="utf-8")
    return {"inline_css": Markup(css.replace("</", "<\\/")), "link_base": site.base_url}


def render_pages(
    project: Project,
    analysis: Analysis,
    charts_meta: Mapping[str, ChartRef],
    site: Site,
    progress: Callable[[str], None] | None = None,
    cache: PageCache | None = None,
    pages: Sequence[Page] | None = None,
    session: Session | None = None,
    workers: int = 1,
) -> dict[str, str | Path]:
    """Every HTML page (and the sitemap when `base_url` is set), keyed by site path.

    `pages` is `site_pages(project, analysis, site.as_of)` when the caller has it already.

    With a `cache`, a page whose inputs did not change is not rendered: its value is the
    previous output file (a Path) to keep as it is. With `workers` > 1, a forked process may
    render every other page (see halves.py).
    """
    session = session or Session()
    recorder = Recorder()
    seen_project: Any = project
    seen_analysis: Any = analysis
    seen_charts: Mapping[str, ChartRef] = charts_meta
    if cache is not None:
        # Templates and filters see recording views, so each page's reads are known.
        seen_project = RecordingObject(project, recorder, "project")
        seen_analysis = RecordingObject(analysis, recorder, "analysis")
        seen_charts = RecordingMapping(charts_meta, recorder, "charts", "map")
    env = environment(seen_project, session)
    out: dict[str, str | Path] = {}
    if pages is None:
        pages = site_pages(project, analysis, site.as_of)
    todo: list[Page] = []
    for page in pages:
        previous = cache.reusable(page) if cache is not None else None
        if previous is not None:
            out[page.path] = previous
            if progress:
                progress(page.path)
        else:
            todo.append(page)

    def render(page: Page) -> tuple[str, set | None]:
        ctx = page_context(
            page, site=site, project=seen_project, analysis=seen_analysis, charts=seen_charts
        )
        if page.path == "404.html":
            ctx.update(_not_found_extras(project, site))
        recorder.deps = set() if cache is not None else None
        try:
            return render_page(env, page.template, ctx), recorder.deps
        finally:
            recorder.deps = None

    def keep(page: Page, made: tuple[str, set | None]) -> None:
        html, deps = made
        out[page.path] = html
        if cache is not None and deps is not None:
            cache.rendered(page, deps)
        if progress:
            progress(page.path)

    known = {kind: set(table) for kind, table in session.markdown.items()}

    def learnt() -> dict[str, dict[str, str]]:
        # the helper's new Markdown conversions, for the memos the next build reads
        return {
            kind: {k: v for k, v in table.items() if k not in known.get(kind, ())}
            for kind, table in session.markdown.items()
        }

    theirs = in_two(todo, render, keep, workers=workers, done=learnt)
    for kind, table in (theirs or {}).items():
        session.markdown.setdefault(kind, {}).update(table)
    out = {page.path: out[page.path] for page in pages}  # in page order, as always
    if site.base_url:
        paths = [p.path for p in pages if p.path != "404.html"]
        ctx = {"site": site, "sitemap_paths": paths, "page_path": "sitemap.xml"}
        out["sitemap.xml"] = render_page(env, "sitemap.xml", ctx)
    return out
