"""The offline search index: every entity as plain-text documents, written as a JS file.

The index is a `<script>`-loaded file (not fetched JSON) so search works from file://.
All text passes through `plain_text` (Markdown rendered, sanitised, tags stripped) and the
JSON is escaped so no `<`, `>` or `&` appears literally in the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from cxsite.analysis.formats import metric_number, unit_label
from cxsite.analysis.journeys import emotion_word
from cxsite.analysis.types import MetricSummary
from cxsite.i18n.catalogue import Messages
from cxsite.model import Project
from cxsite.render.markup import Memos, plain_text

# The groups of results, in order: kind and the message naming the group.
KINDS: tuple[tuple[str, str], ...] = (
    ("persona", "term.personas"),
    ("journey", "term.journeys"),
    ("stage", "site.search.stages"),
    ("pain", "term.pain_points"),
    ("opportunity", "term.opportunities"),
    ("touchpoint", "term.touchpoints"),
    ("metric", "term.metrics"),
    ("research", "nav.research"),
)


def _text(parts: Iterable[Any], memo: Memos | None) -> str:
    out = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, list | tuple):
            out.append(_text(part, memo))
        elif isinstance(part, dict):
            out.append(
                _text(
                    (
                        f"{k} {_text(v if isinstance(v, list) else [v], memo)}"
                        for k, v in part.items()
                    ),
                    memo,
                )
            )
        else:
            out.append(plain_text(str(part), memo))
    # A separator between list items keeps snippets readable ("time · Accurate stock").
    return " · ".join(p for p in out if p)


# A sample comment in the index is cut here: enough to be found by its words.
COMMENT_CHARS = 300


def _latest(summary: MetricSummary | None, messages: Messages) -> str:
    """` · 44 pts in 2026-10`: a metric's latest value as its pages show it (SPEC 8.13)."""
    if summary is None or summary.latest is None:
        return ""
    unit = unit_label(summary.unit, messages)
    value = messages.number(metric_number(summary.latest.value, summary.kind))
    value += f" {unit}" if unit else ""
    return " · " + messages.text("site.search.latest", value=value, period=summary.latest.period)


def _term(messages: Messages, kind: str, value: str) -> str:
    """A vocabulary word (`channel.web` -> "Web"); a project's own id as it is written."""
    key = f"{kind}.{value}"
    return messages.text(key) if messages.has(key) else value


def search_documents(
    project: Project,
    memo: Memos | None = None,
    metrics: Mapping[str, MetricSummary] | None = None,
    comments: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The documents of the index, in a stable order; urls are relative to the site root.

    `memo` is a session's Markdown memo (text the pages rendered is not rendered again);
    `metrics`, the summaries whose latest values the metric results show; `comments`: metric
    id -> its CommentSummary: theme names and the sample comments a metric page shows
    (personal data already masked) are indexed as plain text, never rendered as Markdown."""
    metrics = metrics or {}
    messages = project.config.messages
    text = messages.text
    docs: list[dict[str, Any]] = []

    def add(kind: str, title: str, subtitle: str, url: str, *text: Any) -> None:
        docs.append(
            {
                "id": len(docs),
                "kind": kind,
                "title": plain_text(title, memo),
                "subtitle": plain_text(subtitle, memo),
                "url": url,
                "text": _text(text, memo),
            }
        )

    for pid, p in project.personas.items():
        add("persona", p.name, p.role, f"personas/{pid}.html", p.quote, p.summary, p.goals,
            p.needs, p.motivations, p.frustrations, p.behaviors, p.need_states, p.channels,
            p.tags, p.demographics, p.psychographics)  # fmt: skip
    for jid, j in project.journeys.items():
        names = ", ".join(project.personas[x].name for x in j.personas if x in project.personas)
        url = f"journeys/{jid}.html"
        kind = text("site.search.journey_future" if j.state == "future" else "term.journey")
        add("journey", j.title, f"{kind} · {names}", url, j.goal, j.summary,
            [s.name for s in j.stages], j.tags)  # fmt: skip
        for index, s in enumerate(j.stages, start=1):
            anchor = f"{url}#stage-{index}"
            sub = text("site.search.stage", journey=j.title, n=index)
            add("stage", s.name, sub, anchor, s.description, s.actions,
                s.feelings, s.thoughts, s.backstage, s.frontstage, s.support_processes,
                s.physical_evidence)  # fmt: skip
            if isinstance(s.emotion, dict):  # curves: whose emotion, in words
                docs[-1]["text"] = " · ".join(
                    t for t in (docs[-1]["text"], _persona_emotions(project, s.emotion)) if t
                )
            where = f"{j.title} › {s.name}"
            for pain in s.pain_points:
                severity = _term(messages, "severity", pain.severity)
                sub = text("site.badge.severity", level=severity) + f" · {where}"
                if pain.personas:  # curves: a pain point of some personas says whose
                    whose = ", ".join(
                        project.personas[x].name if x in project.personas else x
                        for x in pain.personas
                    )
                    sub += " · " + text("site.search.for", names=whose)
                add("pain", pain.text, sub, anchor)
            for o in s.opportunities:
                sub = text(
                    "site.search.opportunity",
                    impact=_term(messages, "level", o.impact).lower(),
                    effort=_term(messages, "level", o.effort).lower(),
                    status=_term(messages, "status", o.status),
                )
                add("opportunity", o.text, f"{sub} · {where}", anchor, o.owner)
    for tid, t in project.touchpoints.items():
        sub = f"{_term(messages, 'channel', t.channel)} · {_term(messages, 'phase', t.phase)}"
        sub += " · " + text("site.search.moment") if t.moment_of_truth else ""
        add("touchpoint", t.name, sub, f"touchpoints/{tid}.html", t.description, t.expectations,
            t.owner, t.pillar, t.pyramid, t.mechanics)  # fmt: skip
    for mid, m in project.metrics.items():
        kind = _term(messages, "kind", m.kind)
        category = _term(messages, "category", m.effective_category)
        sub = f"{kind} · {category}{_latest(metrics.get(mid), messages)}"
        add("metric", m.name, sub, f"metrics/{mid}.html", m.description, m.owner)
        said = (comments or {}).get(mid)
        if said is not None:
            texts = [row.name for row in said.themes]
            texts += [c.text[:COMMENT_CHARS] for row in said.themes for c in row.samples]
            texts += [c.text[:COMMENT_CHARS] for c in said.samples]
            docs[-1]["text"] = " · ".join(t for t in [docs[-1]["text"], *texts] if t)
    for rid, r in project.research.items():
        sub = f"{_term(messages, 'method', r.method)} · {messages.date(r.when, 'long')}"
        add("research", r.title, sub, f"research/{rid}.html", r.summary, r.owner, r.tags)
    return docs


def _persona_emotions(project: Project, emotions: dict[str, float]) -> str:
    """`Dan Whitfield: Very negative` for each persona of a stage's emotion mapping."""
    return " · ".join(
        f"{project.personas[pid].name if pid in project.personas else pid}: "
        f"{emotion_word(project.config, value)}"
        for pid, value in emotions.items()
    )


def safe_json(value: Any, *, indent: int | None = None) -> str:
    """JSON that is also safe inside HTML and JS: `<`, `>`, `&`, U+2028/9 escaped."""
    return escape_json(json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False))


def escape_json(text: str) -> str:
    """JSON text made safe inside HTML and JS: `<`, `>`, `&`, U+2028/9 escaped."""
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escape)
    return text


def search_index_js(
    project: Project,
    memo: Memos | None = None,
    metrics: Mapping[str, MetricSummary] | None = None,
    comments: Mapping[str, Any] | None = None,
) -> str:
    """The search index as a JavaScript file defining `window.CXSITE_SEARCH`."""
    docs = search_documents(project, memo, metrics, comments)
    text = project.config.messages.text
    payload = {"kinds": [[kind, text(key)] for kind, key in KINDS], "docs": docs}
    return "window.CXSITE_SEARCH = " + safe_json(payload) + ";\n"
