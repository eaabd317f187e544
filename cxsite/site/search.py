"""The offline search index: every entity as plain-text documents, written as a JS file.

The index is a `<script>`-loaded file (not fetched JSON) so search works from file://.
All text passes through `plain_text` (Markdown rendered, sanitised, tags stripped) and the
JSON is escaped so no `<`, `>` or `&` appears literally in the file.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import partial
from typing import Any

from cxsite.analysis.formats import metric_number, unit_label
from cxsite.analysis.journeys import emotion_word
from cxsite.analysis.types import MetricSummary
from cxsite.i18n.bidi import isolate
from cxsite.i18n.catalogue import Messages
from cxsite.incremental.depgraph import parts_hash
from cxsite.model import Project
from cxsite.render.markup import Memos, plain_text
from cxsite.session import Session

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


Doc = dict[str, Any]


class _Docs:
    """The documents of one entity, made by the functions below (ids are given later)."""

    def __init__(self, memo: Memos | None) -> None:
        self.memo = memo
        self.items: list[Doc] = []

    def add(self, kind: str, title: str, subtitle: str, url: str, *text: Any) -> Doc:
        doc = {
            "kind": kind,
            "title": plain_text(title, self.memo),
            "subtitle": plain_text(subtitle, self.memo),
            "url": url,
            "text": _text(text, self.memo),
        }
        self.items.append(doc)
        return doc


def _persona_docs(project: Project, pid: str, memo: Memos | None) -> list[Doc]:
    p = project.personas[pid]
    docs = _Docs(memo)
    docs.add("persona", p.name, p.role, f"personas/{pid}.html", p.quote, p.summary, p.goals,
             p.needs, p.motivations, p.frustrations, p.behaviors, p.need_states, p.channels,
             p.tags, p.demographics, p.psychographics)  # fmt: skip
    return docs.items


def _journey_docs(project: Project, jid: str, memo: Memos | None) -> list[Doc]:
    """The journey, each of its stages, pain points and opportunities."""
    j = project.journeys[jid]
    messages = project.config.messages
    text = messages.text
    docs = _Docs(memo)
    personas = project.personas
    # values beside interface words in a plain-text subtitle: isolated (FSI … PDI) if RTL
    names = ", ".join(isolate(personas[x].name) for x in j.personas if x in personas)
    url = f"journeys/{jid}.html"
    kind = text("site.search.journey_future" if j.state == "future" else "term.journey")
    docs.add("journey", j.title, f"{kind} · {names}", url, j.goal, j.summary,
             [s.name for s in j.stages], j.tags)  # fmt: skip
    for index, s in enumerate(j.stages, start=1):
        anchor = f"{url}#stage-{index}"
        sub = text("site.search.stage", journey=isolate(j.title), n=index)
        stage = docs.add("stage", s.name, sub, anchor, s.description, s.actions,
                         s.feelings, s.thoughts, s.backstage, s.frontstage, s.support_processes,
                         s.physical_evidence)  # fmt: skip
        if isinstance(s.emotion, dict):  # curves: whose emotion, in words
            whose = _persona_emotions(project, s.emotion)
            stage["text"] = " · ".join(t for t in (stage["text"], whose) if t)
        where = f"{isolate(j.title)} › {isolate(s.name)}"
        for pain in s.pain_points:
            severity = _term(messages, "severity", pain.severity)
            sub = text("site.badge.severity", level=severity) + f" · {where}"
            if pain.personas:  # curves: a pain point of some personas says whose
                whose = ", ".join(
                    isolate(project.personas[x].name if x in project.personas else x)
                    for x in pain.personas
                )
                sub += " · " + text("site.search.for", names=whose)
            docs.add("pain", pain.text, sub, anchor)
        for o in s.opportunities:
            sub = text(
                "site.search.opportunity",
                impact=_term(messages, "level", o.impact).lower(),
                effort=_term(messages, "level", o.effort).lower(),
                status=_term(messages, "status", o.status),
            )
            docs.add("opportunity", o.text, f"{sub} · {where}", anchor, o.owner)
    return docs.items


def _touchpoint_docs(project: Project, tid: str, memo: Memos | None) -> list[Doc]:
    t = project.touchpoints[tid]
    messages = project.config.messages
    sub = f"{_term(messages, 'channel', t.channel)} · {_term(messages, 'phase', t.phase)}"
    sub += " · " + messages.text("site.search.moment") if t.moment_of_truth else ""
    docs = _Docs(memo)
    docs.add("touchpoint", t.name, sub, f"touchpoints/{tid}.html", t.description,
             t.expectations, t.owner, t.pillar, t.pyramid, t.mechanics)  # fmt: skip
    return docs.items


def _metric_docs(
    project: Project, mid: str, memo: Memos | None, latest: str, said: Any | None
) -> list[Doc]:
    """The metric; `latest` ends its subtitle, `said` (its CommentSummary) adds theme names
    and sample comments (personal data already masked) as plain text, never as Markdown."""
    m = project.metrics[mid]
    messages = project.config.messages
    kind = _term(messages, "kind", m.kind)
    category = _term(messages, "category", m.effective_category)
    docs = _Docs(memo)
    doc = docs.add("metric", m.name, f"{kind} · {category}{latest}", f"metrics/{mid}.html",
                   m.description, m.owner)  # fmt: skip
    if said is not None:
        texts = [row.name for row in said.themes]
        texts += [c.text[:COMMENT_CHARS] for row in said.themes for c in row.samples]
        texts += [c.text[:COMMENT_CHARS] for c in said.samples]
        doc["text"] = " · ".join(t for t in [doc["text"], *texts] if t)
    return docs.items


def _research_docs(project: Project, rid: str, memo: Memos | None) -> list[Doc]:
    r = project.research[rid]
    messages = project.config.messages
    sub = f"{_term(messages, 'method', r.method)} · {messages.date(r.when, 'long')}"
    docs = _Docs(memo)
    docs.add("research", r.title, sub, f"research/{rid}.html", r.summary, r.owner, r.tags)
    return docs.items


def _entities(
    project: Project,
    metrics: Mapping[str, MetricSummary],
    comments: Mapping[str, Any],
) -> Iterator[tuple[tuple[Any, ...], Callable[[Memos | None], list[Doc]]]]:
    """Each entity's documents in index order: what they are made from (the entity, the
    project's settings and what else they show), and how to make them."""
    config = project.config
    # journeys name their personas: their documents change with any persona's name
    names = "\x1f".join(f"{pid}\x1d{p.name}" for pid, p in project.personas.items())
    people = hashlib.sha256(names.encode("utf-8", "surrogatepass")).hexdigest()
    for pid, p in project.personas.items():
        yield ("persona", config, p), partial(_persona_docs, project, pid)
    for jid, j in project.journeys.items():
        yield ("journey", config, j, people), partial(_journey_docs, project, jid)
    for tid, t in project.touchpoints.items():
        yield ("touchpoint", config, t), partial(_touchpoint_docs, project, tid)
    for mid, m in project.metrics.items():
        latest, said = _latest(metrics.get(mid), messages=config.messages), comments.get(mid)
        yield (
            ("metric", config, m, latest, said),
            partial(_metric_docs, project, mid, latest=latest, said=said),
        )
    for rid, r in project.research.items():
        yield ("research", config, r), partial(_research_docs, project, rid)


def search_documents(
    project: Project,
    memo: Memos | None = None,
    metrics: Mapping[str, MetricSummary] | None = None,
    comments: Mapping[str, Any] | None = None,
) -> list[Doc]:
    """The documents of the index, in a stable order; urls are relative to the site root.

    `memo` is a session's Markdown memo (text the pages rendered is not rendered again);
    `metrics`, the summaries whose latest values the metric results show; `comments`: metric
    id -> its CommentSummary: theme names and the sample comments a metric page shows
    (personal data already masked) are indexed as plain text, never rendered as Markdown."""
    docs: list[Doc] = []
    for _parts, make in _entities(project, metrics or {}, comments or {}):
        docs += ({"id": len(docs), **doc} for doc in make(memo))
    return docs


def _persona_emotions(project: Project, emotions: dict[str, float]) -> str:
    """`Dan Whitfield: Very negative` for each persona of a stage's emotion mapping."""
    return " · ".join(
        f"{isolate(project.personas[pid].name if pid in project.personas else pid)}: "
        f"{emotion_word(project.config, value)}"
        for pid, value in emotions.items()
    )


def _json(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent, allow_nan=False)


def safe_json(value: Any, *, indent: int | None = None) -> str:
    """JSON that is also safe inside HTML and JS: `<`, `>`, `&`, U+2028/9 escaped."""
    return escape_json(_json(value, indent))


def escape_json(text: str) -> str:
    """JSON text made safe inside HTML and JS: `<`, `>`, `&`, U+2028/9 escaped."""
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escape)
    return text


def search_index_js(
    project: Project,
    session: Session | None = None,
    metrics: Mapping[str, MetricSummary] | None = None,
    comments: Mapping[str, Any] | None = None,
) -> str:
    """The search index as a JavaScript file defining `window.CXSITE_SEARCH`.

    The same text as `search_documents` dumped with `safe_json`, assembled from each
    entity's documents as JSON, kept in the session (`search_docs`) by what they are made
    from, so that only changed entities are turned into documents again."""
    session = session or Session()
    text = project.config.messages.text
    docs: list[str] = []
    for parts, make in _entities(project, metrics or {}, comments or {}):
        key = parts_hash(parts, session.hashes)
        made = session.search_docs.get(key)
        if made is None:
            # each document without its id, which depends on the documents before it
            made = session.search_docs.put(
                key, tuple(_json(doc)[1:] for doc in make(session.markdown))
            )
        docs += (f'{{"id": {len(docs)}, {doc}' for doc in made)
    kinds = _json([[kind, text(key)] for kind, key in KINDS])
    payload = f'{{"kinds": {kinds}, "docs": [{", ".join(docs)}]}}'
    return "window.CXSITE_SEARCH = " + escape_json(payload) + ";\n"
