"""The small views and helpers both brief contexts share: labels, dates, curves, places."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from cxsite.analysis.scores import health_order
from cxsite.analysis.types import Analysis, EmotionCurve, StageRef
from cxsite.charts.curves import line_look
from cxsite.i18n.bidi import text_dir
from cxsite.i18n.catalogue import Messages
from cxsite.model import Project, Stage
from cxsite.render.evidence import assumed_stages

STAGES_PER_PART = 6  # stage columns per landscape page of a journey map
STAGES_PER_PART_A3 = 9  # on an A3 landscape page (a wall poster)
# A journey map's list lanes (stage fields) and the size of a map's type (briefs.css .jmap):
# a stage column's text width in mm (page text width less the lane labels, split among the
# columns, less a cell's padding, border and list indent), characters and lines a mm.
MAP_LIST_LANES = (
    "actions",
    "thoughts",
    "pain_points",
    "opportunities",
    "backstage",
    "physical_evidence",
    "frontstage",
    "support_processes",
)
MAP_TEXT_MM = {"A4": (263, 172), "Letter": (245.4, 177.9), "A3": (386, 259)}  # width, height
CHARS_PER_MM = 1 / 1.4  # DejaVu Sans Condensed at 7.4 pt
LINE_MM = 3.4  # 7.4 pt at line-height 1.3
# A lane taller than this share of the page's text area may split across pages; a shorter
# one moves whole (a lane cut after a line or two is harder to read than a gap).
SPLIT_SHARE = 1 / 3
# A persona's lists in the briefs: field, and its heading is the message `brief.persona.<field>`.
PERSONA_LISTS = ("goals", "needs", "motivations", "frustrations", "behaviors", "need_states")


@dataclass(frozen=True)
class Prepared:
    """One brief ready for the PDF renderer: HTML, in-memory resources, resource origins."""

    html: str
    memory: Mapping[str, bytes]
    origins: Mapping[str, str]  # resolved URL -> "file: field" it comes from


@dataclass(frozen=True)
class StagePoint:
    """A stage on an emotion curve drawn by the templates."""

    name: str
    emotion: float | None
    is_peak: bool
    is_end: bool
    assumed: bool = False  # an assumption (SPEC 8.8): hollow point, dashed line


@dataclass(frozen=True)
class LineView:
    """One persona's line on a brief's emotion curve: its look (charts/curves.py), its points."""

    name: str
    short: str
    colour: str
    marker: str
    dash: str
    points: list[StagePoint]


@dataclass(frozen=True)
class CurveView:
    """A journey's emotion curve for a brief; `lines`: one per persona when the journey
    gives emotions per persona, else empty."""

    title: str
    personas: list[str]
    points: list[StagePoint]
    peak: str | None
    end: str | None
    lines: list[LineView] = field(default_factory=list)


def kind_label(messages: Messages, kind: str) -> str:
    """What a brief of `kind` is (`Journey map`): its cover line and its PDF's subject."""
    return messages.text(f"brief.kind.{kind}")


@dataclass(frozen=True)
class PageCounter:
    """ "Page x of y" in the brief's language for the page footer: the message's texts go
    into body attributes (`texts`), the stylesheet only names them and the counters."""

    texts: tuple[str, ...]
    content: str  # the CSS `content` value
    strings: str  # the `string-set` entries, each after a comma


def page_counter(messages: Messages) -> PageCounter:
    """The footer's page counter from the message `brief.page` ("Page {page} of {pages}")."""
    marks = {"\x00page\x00": "counter(page)", "\x00pages\x00": "counter(pages)"}
    filled = messages.text("brief.page", page="\x00page\x00", pages="\x00pages\x00")
    texts: list[str] = []
    content: list[str] = []
    for index, part in enumerate(re.split("(\x00pages?\x00)", filled)):
        if index % 2:
            content.append(marks[part])
        elif part:
            content.append(f"string(brief-page-{len(texts)})")
            texts.append(part)
    strings = "".join(f", brief-page-{i} attr(data-page-{i})" for i in range(len(texts)))
    return PageCounter(tuple(texts), " ".join(content) or "counter(page)", strings)


def tall_lanes(stages: Sequence[Stage], paper: str) -> frozenset[str]:
    """The list lanes of a map part whose tallest cell would fill more than SPLIT_SHARE of
    a page: an estimate from the length of each item in a stage column's width."""
    width, height = MAP_TEXT_MM.get(paper, MAP_TEXT_MM["A4"])
    chars = max(8, int(((width - 24) / max(1, len(stages)) - 7.7) * CHARS_PER_MM))
    limit = height * SPLIT_SHARE / LINE_MM
    tall = set()
    for lane in MAP_LIST_LANES:
        for stage in stages:
            items = getattr(stage, lane)
            # a pain point's badges, an assumption's badge: about a line more each
            extra = 1 if lane in ("pain_points", "opportunities") else 0
            texts = [getattr(item, "text", item) for item in items]
            if sum(-(-len(t) // chars) + extra for t in texts) > limit:
                tall.add(lane)
                break
    return frozenset(tall)


def print_bdi(value: object) -> Markup:
    """A value the user wrote, isolated for print: `<bdi>` with the direction `text_dir`
    finds (the site's `bdi` leaves it to the browser's dir=auto, which WeasyPrint ignores)."""
    plain = value.striptags() if isinstance(value, Markup) else value
    return Markup('<bdi dir="{}">{}</bdi>').format(text_dir(plain), value)


def wrap_lines(name: str, width: int, lines: int = 2) -> list[str]:
    """A stage name in at most `lines` lines of about `width` characters (… when cut)."""
    out: list[str] = []
    for word in name.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: max(1, width - 1)].rstrip() + "…"
    return [line if len(line) <= width else line[: width - 1] + "…" for line in out]


def curve_view(
    project: Project, curve: EmotionCurve, persona_id: str | None = None, tracked: bool = False
) -> CurveView:
    """The template view of one emotion curve with its peak and end; with `persona_id`, on a
    journey with a curve per persona, that persona's own curve; with `tracked` (the project
    records evidence), its assumed stages marked."""
    journey = project.journeys[curve.journey_id]
    assumed = assumed_stages(journey, tracked)
    own = [p for p in curve.personas if p.persona_id == persona_id]
    if own:
        mine = own[0]
        return CurveView(
            title=curve.title,
            personas=[mine.name],
            points=[
                StagePoint(s.name, e, i == mine.peak, i == mine.end, assumed[i])
                for i, (s, e) in enumerate(zip(curve.stages, mine.emotions, strict=True))
            ],
            peak=curve.stages[mine.peak].name if mine.peak is not None else None,
            end=curve.stages[mine.end].name,
        )
    points = [
        StagePoint(s.name, s.emotion, s.index == curve.peak, s.index == curve.end, assumed[s.index])
        for s in curve.stages
    ]
    peak = curve.stages[curve.peak].name if curve.peak is not None else None
    lines = [
        LineView(
            name=p.name,
            short=p.short,
            **line_look(k),
            points=[
                StagePoint(s.name, e, i == p.peak, i == p.end and e is not None)
                for i, (s, e) in enumerate(zip(curve.stages, p.emotions, strict=True))
            ],
        )
        for k, p in enumerate(curve.personas)
    ]
    return CurveView(
        title=curve.title,
        personas=[project.personas[p].name for p in journey.personas if p in project.personas],
        points=points,
        peak=peak,
        end=curve.stages[curve.end].name,
        lines=lines,
    )


def where_text(project: Project, ref: StageRef, more: int = 0) -> str:
    """`Journey title › Stage` for a stage reference, with `(+N more)` other places."""
    messages = project.config.messages
    title = project.journeys[ref.journey_id].title
    place = messages.text("brief.where", journey=title, stage=ref.stage_name)
    if not more:
        return place
    count = messages.number(f"{more:,}")
    return messages.plural("brief.where.more", more, place=place, count=count)


def health_rows(project: Project, analysis: Analysis) -> list[dict[str, Any]]:
    """One row per journey, lowest health first: score, coverage and component values."""
    rows = []
    for jid in health_order(analysis.health):
        health = analysis.health[jid]
        coverage = analysis.evidence.coverage.get(jid) if analysis.evidence.tracked else None
        rows.append(
            {
                "title": project.journeys[jid].title,
                "score": health.rounded,
                "coverage": coverage.share if coverage is not None else None,
                "parts": {p.name: p.value for p in health.parts if p.share is not None},
            }
        )
    return rows
