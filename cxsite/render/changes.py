"""A change report as a reader sees it: one line per change for the terminal, tables for a
pull-request comment, and the documented JSON for tools; `change_rows` feeds changes.html
and the executive brief too."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from cxsite.analysis.changes import Change, ChangeReport
from cxsite.analysis.formats import metric_number
from cxsite.i18n.catalogue import Messages

_LEVELS = {"low": 0, "medium": 1, "high": 2}
_LONG = 80


@dataclass(frozen=True)
class ChangeRow:
    """One change in words: what, where (stage, item, field), before, after, and an arrow
    (▲ ▼ or '') when a number or level went up or down."""

    label: str
    subject: str
    before: str
    after: str
    arrow: str


def _text(value: Any, words: Messages) -> str:
    """A JSON value in a few words."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return words.text("change.value.yes" if value else "change.value.no")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float):
        return words.number(f"{value:g}")
    if isinstance(value, list):
        return ", ".join(_text(v, words) for v in value) or words.text("change.value.none")
    if isinstance(value, dict):
        return ", ".join(f"{k} {_text(v, words)}" for k, v in value.items())
    text = " ".join(str(value).split())
    return text if len(text) <= _LONG else text[: _LONG - 1] + "…"


def _emotion(value: Any, words: Messages) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return words.number(f"{value:+g}") if value else "0"
    return _text(value, words)


def _arrow(before: Any, after: Any) -> str:
    if isinstance(before, str) and isinstance(after, str):
        before, after = _LEVELS.get(before), _LEVELS.get(after)
    numbers = (int, float)
    if not isinstance(before, numbers) or not isinstance(after, numbers) or before == after:
        return ""
    return "▲" if after > before else "▼"


def _highlight(value: Mapping[str, Any] | None, words: Messages) -> str:
    if not value:
        return "–"
    return f"{value['stage']} ({_emotion(value['emotion'], words)})"


def _verdict(verdict: str, words: Messages) -> str:
    """A verdict id (`significant`, `noise`, `too-few`) in words."""
    key = "stats.word.significant" if verdict == "significant" else f"stats.verdict.{verdict}"
    return words.text(key) if words.has(key) else verdict


def _metric_value(value: Any, kind: str | None, words: Messages) -> str:
    """A metric's value as its pages show it (NPS in whole points, SPEC 8.13)."""
    if kind is None or not isinstance(value, int | float) or isinstance(value, bool):
        return _text(value, words)
    return words.number(metric_number(value, kind))


def _latest(c: Change, label: str, words: Messages) -> ChangeRow:
    """A metric's latest value, before and after, in its kind's digits, with the verdict of
    SPEC 8.1; the arrow only when the values as shown differ (never `▲` between two `30`)."""
    kind = c.detail.get("kind")
    before, after = _metric_value(c.before, kind, words), _metric_value(c.after, kind, words)
    arrow = _arrow(c.before, c.after) if before != after else ""
    verdict = c.detail.get("verdict")
    shown = after + (f" · {_verdict(verdict, words)}" if verdict else "")
    before_p, after_p = c.detail.get("before_period"), c.detail.get("after_period")
    return ChangeRow(label, f"{before_p or '–'} → {after_p or '–'}", before, shown, arrow)


# The changes named by the word of what changed (`Peak`), one term everywhere.
_TERM_CHANGES = ("emotion", "peak", "end", "target")


def describe(change: Change, messages: Messages | None = None) -> ChangeRow:
    """The words of one change (in the messages' language; English without)."""
    c, words = change, messages or Messages()
    key = f"term.{c.change}" if c.change in _TERM_CHANGES else f"change.{c.change}"
    label = words.text(key) if words.has(key) else c.change
    in_stage = f"{c.where}: " if c.where else ""
    if c.change == "renamed":
        before, after = (words.text("change.value.id", id=x) for x in (c.before, c.after))
        return ChangeRow(label, "", before, after, "")
    if c.change in ("added", "removed"):
        return ChangeRow(label, "", "", "", "")
    if c.change == "fields":
        return ChangeRow(label, _text(c.after, words), "", "", "")
    if c.change in ("stage-added", "stage-removed", "stage-moved"):
        was = words.text("change.value.position", n=c.before) if c.before else ""
        now = words.text("change.value.position", n=c.after) if c.after else ""
        return ChangeRow(label, c.subject or "", was, now, "")
    if c.change == "emotion":
        whose = c.detail.get("persona") or c.subject  # curves: one persona's emotion
        for_whose = words.text("change.value.for", name=whose)
        where = f"{c.where or ''} · {for_whose}" if whose else c.where or ""
        return ChangeRow(label, where, _emotion(c.before, words), _emotion(c.after, words),
                         _arrow(c.before, c.after))  # fmt: skip
    if c.change in ("peak", "end"):
        before, after = _highlight(c.before, words), _highlight(c.after, words)
        return ChangeRow(label, "", before, after, "")
    if c.change == "rating":
        who = words.text("change.value.by", name=c.detail.get("persona") or c.subject or "")
        return ChangeRow(label, who, _text(c.before, words), _text(c.after, words), "")
    if c.change == "latest":
        return _latest(c, label, words)
    if c.change == "period-added":
        value = _metric_value(c.after, c.detail.get("kind"), words)
        return ChangeRow(label, c.subject or "", "–", value, "")
    subject = c.subject or ""
    if c.change in ("field", "stage-field") or c.where:
        subject = f"{in_stage}{subject}"
    arrow = _arrow(c.before, c.after) if c.change in ("target", "pain-severity") else ""
    return ChangeRow(label, subject, _text(c.before, words), _text(c.after, words), arrow)


def change_rows(changes: list[Change], messages: Messages | None = None) -> list[ChangeRow]:
    """The words of each change, in order (in the messages' language; English without)."""
    return [describe(c, messages) for c in changes]


def kind_title(kind: str, messages: Messages | None = None) -> str:
    """The heading word of a kind of entity: `Journey`, `Project settings (cxsite.yaml)`."""
    key = "change.kind.config" if kind == "config" else f"term.{kind}"
    return (messages or Messages()).text(key)


def _heading(kind: str, eid: str, name: str) -> str:
    if kind == "config":
        return kind_title(kind)
    return f"{kind_title(kind)}: {name} ({eid})"


def _count(report: ChangeReport) -> str:
    n, entities = len(report.changes), len(report.entities())
    if not n:
        return "No changes."
    return f"{n} change{'s' * (n != 1)} in {entities} entit{'ies' if entities != 1 else 'y'}."


def as_text(report: ChangeReport, title: str) -> str:
    """The report for a terminal: a heading per entity, one indented line per change."""
    lines = [title, _count(report)]
    for kind, eid, name, changes in report.entities():
        lines.append("")
        lines.append(_one_line(_heading(kind, eid, name)))
        for row in change_rows(changes):
            what = row.label + (f" · {row.subject}" if row.subject else "")
            if row.before and row.after:
                what += f": {row.before} -> {row.after}"
            elif row.after or row.before:
                what += f": {row.after}" if row.after else f": was {row.before}"
            what += f" {row.arrow}" if row.arrow else ""
            lines.append(f"  {_one_line(what)}")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    """Text from the YAML on one line of the report (a name written over several lines)."""
    return " ".join(text.split())


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")


def md_escape(text: str) -> str:
    """Text that Markdown shows as it is, inside a table cell too."""
    return _MD_SPECIAL.sub(r"\\\1", _one_line(text))


def as_markdown(report: ChangeReport, title: str) -> str:
    """The report for a pull-request comment: a heading per entity, a table of changes."""
    out = [f"## {md_escape(title)}", "", _count(report)]
    for kind, eid, name, changes in report.entities():
        out += ["", f"### {md_escape(_heading(kind, eid, name))}", ""]
        out += ["| Change | Where / what | Before | After |", "|---|---|---|---|"]
        for row in change_rows(changes):
            after = f"{row.after} {row.arrow}".strip()
            cells = [row.label, row.subject, row.before, after]
            out.append("| " + " | ".join(md_escape(c) if c else " " for c in cells) + " |")
    return "\n".join(out) + "\n"


def as_json(
    report: ChangeReport,
    base: Mapping[str, Any],
    head: Mapping[str, Any],
    notes: Sequence[str] = (),
) -> str:
    """The documented JSON document: base, head, changed, changes, notes."""
    document = {
        "base": dict(base),
        "head": dict(head),
        "changed": bool(report),
        "changes": [c.as_json() for c in report.changes],
        "notes": list(notes),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
