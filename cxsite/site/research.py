"""The research pages (SPEC 8.8): `research/index.html` and one page per study."""

from __future__ import annotations

from cxsite.analysis.analyse import Analysis
from cxsite.model import Project
from cxsite.site.context import Crumb, Page, home_crumb


def research_pages(project: Project, analysis: Analysis) -> list[Page]:
    """The research index (also without studies: it says how to add one) and study pages."""
    messages = project.config.messages
    home = home_crumb(messages)
    title = messages.text("nav.research")
    pages = [Page("research/index.html", "research.html", title, "research", (home, Crumb(title)))]
    index = Crumb(title, "research/index.html")
    for rid, study in project.research.items():
        extra = {"study": study, "uses": analysis.evidence.uses.get(rid, ())}
        crumbs = (home, index, Crumb(study.title))
        pages.append(
            Page(f"research/{rid}.html", "study.html", study.title, "research", crumbs, extra)
        )
    return pages
