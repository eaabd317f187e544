"""`export mermaid`: each journey as a Mermaid `journey` diagram, every user text escaped.

Sections are the stages, tasks the stage's actions (the stage name when it has none),
each scored with the stage emotion mapped -2..2 -> 1..5 (rounded half away from zero; a
stage without emotion scores 3, neutral), and the actors are the journey's personas.

Mermaid's journey grammar ends a label at `:`, `;`, `#` and a line break, reads `%%` as a
comment or a directive (`%%{init: ...}%%`) anywhere in the text, and takes a line that
starts with `title`, `section`, `accTitle`, `accDescr` or `journey` for that keyword. So
those characters are replaced by look-alikes, `<` and `>` too, actors lose their commas,
and a label starting with a keyword gets a zero-width space in front: nothing a label
holds can end it, start another line, or configure the diagram.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from cxsite.model import Journey, Project

_LOOKALIKES = str.maketrans(
    {
        ":": "\ua789",  # modifier letter colon
        ";": "\uff1b",  # fullwidth semicolon
        "#": "\uff03",  # fullwidth number sign
        "%": "\uff05",  # fullwidth percent sign
        "<": "\u2039",  # single left-pointing angle quotation mark
        ">": "\u203a",
        "{": "\uff5b",
        "}": "\uff5d",
        "`": "\u02cb",
    }
)
_KEYWORD = re.compile(r"^(?:title|section|acctitle|accdescr|journey)\b", re.IGNORECASE)
# Line breaks, controls, and the bidi and zero-width formatting characters.
_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")


def label(text: str, *, starts_line: bool = False) -> str:
    """`text` as one safe Mermaid label: one line, no character the grammar reacts to
    (and, for a task, which `starts_line`, no keyword at its start)."""
    text = " ".join(_INVISIBLE.sub(" ", text).split()).translate(_LOOKALIKES)
    if starts_line and _KEYWORD.match(text):
        text = "\u200b" + text
    return text or "\u2013"


def actor(text: str) -> str:
    """A persona name as an actor: a label without commas (they separate actors)."""
    return label(text).replace(",", "\u201a")


def score(emotion: float | None) -> int:
    """Emotion -2..2 as a Mermaid score 1..5, rounded half away from zero; None is 3."""
    if emotion is None:
        return 3
    rounded = int(math.copysign(math.floor(abs(emotion) + 0.5), emotion))
    return max(1, min(5, rounded + 3))


def diagram(journey: Journey, persona_names: Iterable[str]) -> str:
    """One journey as the text of a Mermaid `journey` diagram."""
    actors = ", ".join(actor(name) for name in persona_names)
    lines = ["journey", f"  title {label(journey.title)}"]
    for stage in journey.stages:
        lines.append(f"  section {label(stage.name)}")
        points = score(stage.mean_emotion)  # per persona: their mean
        for task in stage.actions or [stage.name]:
            lines.append(f"    {label(task, starts_line=True)}: {points}: {actors}".rstrip(": "))
    return "\n".join(lines) + "\n"


def journey_diagram(project: Project, journey_id: str) -> str:
    """The diagram of one journey of the project, actors named as its personas."""
    journey = project.journeys[journey_id]
    names = [project.personas[p].name if p in project.personas else p for p in journey.personas]
    return diagram(journey, names)


def markdown(project: Project) -> str:
    """Every journey as a heading and a ```mermaid block, for a README or a wiki page."""
    parts = []
    for journey_id in sorted(project.journeys):
        title = label(project.journeys[journey_id].title)
        parts.append(f"## {title}\n\n```mermaid\n{journey_diagram(project, journey_id)}```\n")
    return "\n".join(parts)
