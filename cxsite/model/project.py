"""The whole project: every entity kind by folder, and the validated `Project`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from cxsite.model.config import Config
from cxsite.model.fields import Model
from cxsite.model.journey import Journey
from cxsite.model.metric import Metric
from cxsite.model.persona import Persona
from cxsite.model.research import Research
from cxsite.model.touchpoint import Touchpoint

KINDS: dict[str, type[Model]] = {
    "personas": Persona,
    "journeys": Journey,
    "touchpoints": Touchpoint,
    "metrics": Metric,
    "research": Research,
}


@dataclass(frozen=True)
class Project:
    """A validated project: the config and every entity, keyed by id in id order.

    `sources` maps "personas/maya-chen" style keys (and "cxsite") to the file path
    relative to the project root, for messages and links back to the source.
    """

    root: Path
    config: Config
    personas: Mapping[str, Persona]
    journeys: Mapping[str, Journey]
    touchpoints: Mapping[str, Touchpoint]
    metrics: Mapping[str, Metric]
    sources: Mapping[str, str]
    research: Mapping[str, Research] = field(default_factory=dict)
