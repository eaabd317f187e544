"""Generate a synthetic cxsite project at scale factor N, for benchmarks.

    python benchmarks/generate.py N DIR

N personas, N journeys of 8 stages (3 touchpoints, 2 pain points and 2 opportunities
each), 5N touchpoints rated by 3 personas each, N/2 metrics of which half read a
2,000-row responses CSV. That is 7.5 N + 1 YAML files (N=200: 1,501). The project passes
`cxsite check --strict`. Output is deterministic for a given N.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

from cxsite.model import PHASES, PILLARS

CHANNELS = ("web", "mobile-app", "store", "email", "phone", "chat", "social", "sms")
STAGES = ("Notice", "Explore", "Compare", "Decide", "Buy", "Receive", "Use", "Get help")
WORDS = ("quick", "clear", "friendly", "slow", "confusing", "helpful", "late", "easy")


def _persona(i: int, n: int) -> str:
    return (
        f"name: Persona {i}\n"
        f"role: Customer segment number {i}\n"
        f"quote: I want things to be {WORDS[i % len(WORDS)]}.\n"
        f"segment_share: {1 / n:.4f}\n"
        "summary: |\n  A synthetic persona for benchmarks.\n"
        "demographics:\n  Age: 34\n  Location: Denver, CO\n"
        "psychographics:\n  Interests: [running, hiking]\n"
        "goals:\n  - Get the right gear\n  - Spend little time\n"
        "frustrations:\n  - Waiting in line\n"
        f"channels: [{CHANNELS[i % len(CHANNELS)]}, {CHANNELS[(i + 1) % len(CHANNELS)]}]\n"
        "evidence:\n  - source: Interviews\n    date: 2026-06-01\n"
        "tags: [synthetic]\n"
    )


def _journey(j: int, n: int, touchpoints: int) -> str:
    lines = [
        f"title: Journey {j}",
        f"personas: [persona-{j}, persona-{(j + 1) % n}]",
        "goal: Get the job **done**",
        "summary: |",
        "  A synthetic journey for benchmarks.",
        "tags: [synthetic]",
        "stages:",
    ]
    for s, stage in enumerate(STAGES):
        used = [f"touchpoint-{(j * 24 + s * 3 + k) % touchpoints}" for k in range(3)]
        lines += [
            f"  - name: {stage}",
            f"    phase: {PHASES[min(s * 3 // len(STAGES), 2)]}",
            f"    description: Stage {s} of journey {j}.",
            "    actions:",
            "      - Looks around",
            "      - Asks a friend",
            f"    emotion: {((j + s) % 5) - 2}",
            f"    feelings: [{WORDS[s]}, {WORDS[(s + j) % len(WORDS)]}]",
            '    thoughts: ["Is this the right one?"]',
            f"    touchpoints: [{', '.join(used)}]",
            "    pain_points:",
            f"      - text: It is {WORDS[(s + 3) % len(WORDS)]}",
            "        severity: high",
            f"        touchpoint: {used[0]}",
            "      - Too many steps",
            "    opportunities:",
            "      - text: Remove a step",
            "        impact: high",
            "        effort: low",
            "        status: planned",
            "        owner: Product",
            "      - Explain better",
            "    backstage:",
            "      - Stock feed",
        ]
    return "\n".join(lines) + "\n"


def _touchpoint(t: int, n: int, metric_ids: list[str]) -> str:
    raters = [f"persona-{(t + k) % n}" for k in range(3)]
    ratings = "".join(
        f"  {p}: {{importance: {1 + (t + k) % 5}, satisfaction: {1 + (t * 3 + k) % 5}}}\n"
        for k, p in enumerate(dict.fromkeys(raters))
    )
    metric = metric_ids[t % len(metric_ids)]
    return (
        f"name: Touchpoint {t}\n"
        f"channel: {CHANNELS[t % len(CHANNELS)]}\n"
        f"phase: {PHASES[t % 3]}\n"
        f"pillar: {PILLARS[t % len(PILLARS)]}\n"
        "owner: Digital team\n"
        "provider: company\n"
        "description: A synthetic touchpoint.\n"
        "expectations:\n  - It works\n"
        f"moment_of_truth: {'true' if t % 7 == 0 else 'false'}\n"
        "pyramid: usability\n"
        f"ratings:\n{ratings}"
        f"metrics: [{metric}]\n"
    )


def _metric(m: int, responses: bool) -> str:
    head = f"name: Metric {m}\nowner: CX team\ndescription: A synthetic metric.\n"
    if responses:
        return head + f"kind: nps\ntarget: 30\nresponses: data/metric-{m}.csv\nperiod: month\n"
    values = "".join(
        f"  - {{period: {year}-{month:02d}, value: {50 + (m + month) % 20}}}\n"
        for year in (2025, 2026)
        for month in range(1, 13)
    )
    return head + f"kind: csat\ntarget: 80\nvalues:\n{values}"


def _responses(m: int, n: int, rng: random.Random) -> str:
    rows = ["date,score,persona,journey,touchpoint"]
    for _ in range(2000):
        month = rng.randint(1, 12)
        day = rng.randint(1, 28)
        rows.append(
            f"2026-{month:02d}-{day:02d},{rng.randint(0, 10)},persona-{rng.randrange(n)},"
            f"journey-{rng.randrange(n)},touchpoint-{rng.randrange(5 * n)}"
        )
    return "\n".join(rows) + "\n"


def generate(n: int, root: Path) -> int:
    """Write the project into `root` (which must not exist or be empty); return the file count."""
    if n < 2:
        raise ValueError("N must be at least 2")
    rng = random.Random(n)
    touchpoints = 5 * n
    metric_count = max(n // 2, 2)
    metric_ids = [f"metric-{m}" for m in range(metric_count)]
    files: dict[str, str] = {
        "cxsite.yaml": (
            f"title: Synthetic CX (N={n})\norganization: Benchmark Inc.\n"
            "stale_after_months: 1200\nchannels: [kiosk]\n"
        )
    }
    for i in range(n):
        files[f"personas/persona-{i}.yaml"] = _persona(i, n)
        files[f"journeys/journey-{i}.yaml"] = _journey(i, n, touchpoints)
    for t in range(touchpoints):
        files[f"touchpoints/touchpoint-{t}.yaml"] = _touchpoint(t, n, metric_ids)
    for m in range(metric_count):
        from_csv = m % 2 == 1
        files[f"metrics/metric-{m}.yaml"] = _metric(m, from_csv)
        if from_csv:
            files[f"data/metric-{m}.csv"] = _responses(m, n, rng)
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return sum(rel.endswith(".yaml") for rel in files)


def main(argv: list[str] | None = None) -> int:
    """Command line: generate.py N DIR."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="scale factor (200 gives 1,501 YAML files)")
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    if args.directory.exists() and any(args.directory.iterdir()):
        parser.error(f"{args.directory} is not empty")
    count = generate(args.n, args.directory)
    print(f"wrote {count} YAML files into {args.directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
