"""The journey health score's result types and its arithmetic (SPEC 8.9), free of the model."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class HealthPart:
    """One component: its value 0..1 (None: no data, left out), its weight, and its share
    of the score (the weight renormalised over the components with data; None if left out).
    `count` of `total` is what the value was computed from, where it is a count."""

    name: str
    value: float | None
    weight: float
    share: float | None = None
    count: float | None = None
    total: int | None = None

    @property
    def points(self) -> float | None:
        """What this component adds to the score, 0..100 * share."""
        if self.value is None or self.share is None:
            return None
        return 100 * self.value * self.share


@dataclass(frozen=True)
class JourneyHealth:
    """A journey's health score (None when no component has data) and every component."""

    journey_id: str
    score: float | None
    parts: tuple[HealthPart, ...]  # in HEALTH_COMPONENTS order

    @property
    def rounded(self) -> int | None:
        """The score as a whole number, halves rounded up."""
        return None if self.score is None else math.floor(self.score + 0.5)

    def part(self, name: str) -> HealthPart:
        """The component called `name`."""
        return next(p for p in self.parts if p.name == name)


def combine(journey_id: str, parts: list[HealthPart]) -> JourneyHealth:
    """The weighted mean of the parts with data (and a weight), their shares filled in."""
    counted = [p for p in parts if p.value is not None and p.weight > 0]
    if not counted:
        return JourneyHealth(journey_id, None, tuple(parts))
    # weights are relative: taken as parts of the largest, so that weights near the
    # largest float (1e308, which `check` accepts) add up without overflowing
    top = max(p.weight for p in counted)
    scaled = {p.name: p.weight / top for p in counted}
    total = sum(scaled.values())
    shared = tuple(
        HealthPart(p.name, p.value, p.weight, scaled[p.name] / total, p.count, p.total)
        if p in counted
        else p
        for p in parts
    )
    score = 100 * sum(scaled[p.name] * p.value for p in counted) / total  # type: ignore[operator]
    return JourneyHealth(journey_id, score, shared)


def health_order(health: Mapping[str, JourneyHealth]) -> list[str]:
    """Journey ids by health, lowest score first (the journeys that need attention), then id;
    journeys without a score last."""
    return sorted(health, key=lambda j: (health[j].score is None, health[j].score or 0.0, j))
