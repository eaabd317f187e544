"""A small project for the curve tests: a 9-stage journey whose three personas each have an
emotion per stage, and an as-is journey with its to-be (SPEC 8.7)."""

from __future__ import annotations

PERSONAS = {
    f"personas/{pid}.yaml": (
        f"name: {name}\nrole: Patient\nevidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    )
    for pid, name in (("ana", "Ana Silva"), ("joe", "Joe Park"), ("lea", "Lea Roux"))
}
TOUCHPOINT = {"touchpoints/desk.yaml": "name: Desk\nchannel: store\nphase: during\n"}

# Nine stages, three personas: the peaks of all three fall on one stage and so do their ends,
# so the chart must stack six labels around two points.
NINE = [f"Stage {i} with a long name" for i in range(1, 10)]
VALUES = {
    "ana": [1, 0.5, 0, -0.5, -2, -1, 0, 0.5, 1],
    "joe": [0.5, 0, -0.5, -1, -2, -1.5, -0.5, 0, 1],
    "lea": [0, 0, -1, -1.5, -2, -1, 0.5, 1, 1],
}


def _nine_stage_journey() -> str:
    lines = ["title: Visit the clinic", "personas: [ana, joe, lea]", "stages:"]
    for i, name in enumerate(NINE):
        emotion = ", ".join(f"{pid}: {VALUES[pid][i]}" for pid in VALUES)
        lines += [f"  - name: {name}", "    touchpoints: [desk]", f"    emotion: {{{emotion}}}"]
    lines[-1:] = [
        lines[-1],
        "    pain_points:",
        "      - text: Interpreter not booked",
        "        severity: high",
        "        personas: [lea]",
        "      - No parking",
        "    opportunities: [Book the interpreter with the visit]",
    ]
    return "\n".join(lines) + "\n"


AS_IS = """title: Visit today
personas: [ana, joe]
stages:
  - name: Book
    touchpoints: [desk]
    emotion: 1
  - name: Wait
    touchpoints: [desk]
    emotion: {ana: -1, joe: -2}
    pain_points: [No idea how long the wait is, Cold waiting room]
    opportunities: [Show the wait on a screen]
  - name: Pay
    touchpoints: [desk]
    emotion: 0
    pain_points: [Card machine broken]
    opportunities: [Two card machines]
"""
TO_BE = """title: Visit in 2027
personas: [ana, joe]
state: future
compare_to: visit
stages:
  - name: book
    touchpoints: [desk]
    emotion: 1.5
  - name: Check in at a kiosk
    touchpoints: [desk]
    emotion: 0.5
    pain_points: [Kiosk queue at 9 am]
    opportunities: [A second kiosk]
  - name: Wait
    touchpoints: [desk]
    emotion: 0.5
    pain_points: [cold  waiting room]
    opportunities: [Blankets]
"""


def curve_files(**extra: str) -> dict[str, str]:
    """A project with a 9-stage journey of three personas and an as-is / to-be pair."""
    return {
        "cxsite.yaml": "title: Clinic\n",
        **PERSONAS,
        **TOUCHPOINT,
        "journeys/clinic.yaml": _nine_stage_journey(),
        "journeys/visit.yaml": AS_IS,
        "journeys/visit-2027.yaml": TO_BE,
        **extra,
    }
