"""`cxsite build`: validate, analyse, draw charts, render pages and briefs, swap the output in.

Nothing touches the output folder until the whole build is staged (see write/output.py). The build
returns a `BuildSummary` and tells its progress and problem lines to a `Reporter`; the CLI
prints them. This module decides whether a build is needed at all; what a build does once it
goes ahead is in produce.py, imported only then (an up-to-date build stays light).
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cxsite.cachefiles import usable_cache_dir
from cxsite.commands.report import SILENT, Reporter
from cxsite.english import counted
from cxsite.gcpause import fewer_collections
from cxsite.incremental.buildcache import BuildCache, inputs_key
from cxsite.incremental.digests import load_digests, save_digests
from cxsite.load.asof import as_of_date
from cxsite.load.history import head_commit, shallow_cut
from cxsite.load.refs import compares_with_a_revision, refs_digest
from cxsite.problems import BuildFailed, error_boundary
from cxsite.session import Session
from cxsite.write.output import check_output


@dataclass(frozen=True)
class BuildSummary:
    """What a build produced, for the summary line and for callers such as `serve`."""

    output: Path
    pages: int
    charts_rendered: int
    charts_cached: int
    briefs: int
    files: int
    seconds: float

    def line(self) -> str:
        """The one-line summary printed at the end of a build."""
        charts = self.charts_rendered + self.charts_cached
        return (
            f"Built {counted(self.pages, 'page')}, {counted(charts, 'chart')} "
            f"({self.charts_rendered} drawn, {self.charts_cached} cached), "
            f"{counted(self.briefs, 'PDF brief')}"
            f" into {self.output} in {self.seconds:.1f} s"
        )


@dataclass(frozen=True)
class _Caches:
    """The persistent caches of one build: their folder, the build cache, the inputs key."""

    folder: Path | None = None
    build: BuildCache | None = None
    key: str | None = None


@fewer_collections()
def build_site(
    project_dir: Path,
    output: Path | None,
    *,
    pdf: bool = True,
    strict: bool = False,
    jobs: int | None = None,
    briefs_later: bool = False,
    in_place: bool = False,
    report: Reporter = SILENT,
    built: Callable[[BuildSummary], None] | None = None,
    session: Session | None = None,
) -> BuildSummary:
    """Validate the project, then build the site (and briefs) into `output` atomically.

    `briefs_later`: pages link to the briefs (with `pdf`) but the briefs are not rendered
    (`serve` renders them in the background). `in_place`: the output is updated in place
    when the build is complete (`serve`'s preview; see write/inplace.py), not swapped for a staged
    copy; never with briefs rendered. `built` is called as soon as the new output is
    in place, before the caches for the next build are written (`serve` announces the new
    build then). `session` keeps what this process has read for the next build (`serve`
    passes its own; a new one when None).
    """
    started = time.perf_counter()
    if in_place and pdf and not briefs_later:
        raise ValueError("briefs are rendered into a staged output only")
    session = session or Session()
    root = Path(project_dir)
    out = Path(output) if output is not None else root / "_site"
    resolved = check_output(out, root)  # refuse a dangerous output before any work
    pdf_option = "links" if pdf and briefs_later else str(pdf)
    head = head_commit(root)  # pages show history up to HEAD: a new commit is a new input
    as_of = as_of_date(root, head)  # once per build: lint, pages and the cache key agree
    session.new_build(as_of)
    gc.unfreeze()  # what the last build in this process kept (`serve`) can be collected again
    options = (
        f"pdf={pdf_option} strict={strict} as-of={as_of.isoformat()}"
        f" head={head[0] if head else '-'}"
    )
    cut = shallow_cut(root) if head else ""
    if cut:  # a shallow clone made deeper shows other last changes, with the same HEAD
        options += f" shallow={cut}"
    if head and compares_with_a_revision(root):  # a tag moved: other changes since it
        options += f" refs={refs_digest(root)}"
    caches = _open_caches(root, resolved, options, session)
    if _up_to_date(caches, resolved):
        summary = _unchanged(caches, out, started, report)
        if built is not None:
            built(summary)
        _save_digests(caches, session)
        return summary
    # lazy: an up-to-date build stops above, before the models and analyses are imported
    from cxsite.analysis.analyse import analyse
    from cxsite.commands import produce  # lazy: as above

    validated = produce.read_caches(caches.folder, session)
    result = produce.validate(root, strict, report, session, jobs)
    project = result.project
    assert project is not None  # validation raises when there are errors
    with produce.early_drawing(root, project, jobs) as early:
        analysis = analyse(project, result.metric_data, session.summaries, as_of, session.analyses)
        result = produce.with_git(result, analysis, head, as_of, strict, report, session)
        if pdf:
            result = produce.with_fonts(root, result, strict, report, session)
        gc.freeze()  # the project and its analysis live to the end: later collections skip
        with error_boundary(
            BuildFailed, "the build failed ({reason}); the previous output is unchanged"
        ):
            produced = produce.produce(
                project,
                analysis,
                root=root,
                out=out,
                as_of=as_of,
                head=head,
                pdf=pdf,
                render_briefs=not briefs_later,
                in_place=in_place,
                jobs=jobs,
                report=report,
                session=session,
                cache=caches.build,
                early=early,
                meanwhile=lambda: produce.keep_for_next_build(caches.folder, validated, session),
            )
    summary = BuildSummary(
        output=out,
        pages=produced.pages,
        charts_rendered=produced.charts.rendered,
        charts_cached=produced.charts.cached,
        briefs=len(produced.briefs),
        files=produced.files,
        seconds=time.perf_counter() - started,
    )
    if built is not None:
        built(summary)
    produce.save_caches(
        caches.folder, caches.build, caches.key, resolved, produced, result, validated, session
    )
    _save_digests(caches, session)
    if session.keep_made:
        session.made = (project, analysis, result, produced)
    return summary


def _open_caches(root: Path, resolved: Path, options: str, session: Session) -> _Caches:
    """The build cache of output `resolved`, and the key of everything this build reads."""
    folder = usable_cache_dir(root) if root.is_dir() else None
    if folder is None:
        return _Caches()
    cache = BuildCache.open(folder, resolved, session.written)
    load_digests(session, folder)
    key = inputs_key(root, resolved, options, session.digests)
    return _Caches(folder, cache, key)


def _save_digests(caches: _Caches, session: Session) -> None:
    """Keep the project files' digests for the next process (only with a cache folder)."""
    if caches.folder is not None:
        save_digests(session, caches.folder)


def _up_to_date(caches: _Caches, resolved: Path) -> bool:
    """Nothing the build reads changed since the last build and its output is as written."""
    cache = caches.build
    return (
        cache is not None
        and caches.key is not None
        and caches.key == cache.inputs
        and cache.output_intact(resolved)
    )


def _unchanged(caches: _Caches, out: Path, started: float, report: Reporter) -> BuildSummary:
    """The summary of an up-to-date build: the last build's, with its problem lines again."""
    assert caches.build is not None  # only up to date with a build cache
    report.problems(caches.build.messages)  # the same warnings as the build that made it
    counts = caches.build.summary
    return BuildSummary(
        output=out,
        pages=int(counts.get("pages", 0)),
        charts_rendered=0,
        charts_cached=int(counts.get("charts", 0)),
        briefs=int(counts.get("briefs", 0)),
        files=int(counts.get("files", 0)),
        seconds=time.perf_counter() - started,
    )
