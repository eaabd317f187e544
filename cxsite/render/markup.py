"""Markdown fields to sanitised HTML: Python-Markdown, then nh3 with a strict allow-list.

Content is data: the HTML that leaves this module is the only HTML from content ever marked
safe, so no script, event handler, style, frame, form or `javascript:` URL survives it.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable

import markdown
import nh3
from markupsafe import Markup

# `attr_list` is enabled so its `{...}` syntax is consumed rather than shown as text; the
# attributes it sets are then removed by nh3 like any other attribute off the allow-list.
_EXTENSIONS = ("tables", "sane_lists", "fenced_code", "smarty", "attr_list")

_INLINE_TAGS = frozenset(
    {"a", "abbr", "b", "br", "cite", "code", "del", "em", "i", "ins", "kbd", "mark",
     "q", "s", "small", "span", "strong", "sub", "sup", "u"}
)  # fmt: skip
_BLOCK_TAGS = frozenset(
    {"blockquote", "dd", "div", "dl", "dt", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li",
     "ol", "p", "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)  # fmt: skip
# Images are left out: a content image could point off-site and the site makes no external
# requests; photos and logos come from the YAML fields, which the build copies.
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
_SCHEMES = frozenset({"http", "https", "mailto"})
_REL = "noopener noreferrer"


# Building a Markdown instance costs more than converting a short field, so each thread
# keeps one and resets it between fields (a reset clears all per-document state).
_local = threading.local()


# Python-Markdown's link patterns scan ahead from every `[`, which is quadratic in their
# number (10,000 `[` in one field took 9 s). No real field holds hundreds, so past this many
# they are written as `&#91;`: shown as written, never a link.
_MAX_BRACKETS = 200


def _convert(text: str) -> str:
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=list(_EXTENSIONS), output_format="html"
        )
    if text.count("[") > _MAX_BRACKETS:
        text = text.replace("[", "&#91;")
    try:
        return converter.convert(text)
    except RecursionError:
        # Lists or quotes nested hundreds deep recurse past Python's limit: show the text.
        # A parse cut short leaves the parser's state stack behind, which reset() does not
        # clear: drop this converter so the next field starts from a fresh one.
        _local.converter = None
        return f"<p>{html.escape(text)}</p>"
    finally:
        converter.reset()


def _cleaner(tags: frozenset[str]) -> nh3.Cleaner:
    """An nh3 sanitiser that keeps only `tags` and their allowed attributes (made once: nh3
    builds its allow-lists for every `nh3.clean` call, which costs more than the cleaning)."""
    return nh3.Cleaner(
        tags=set(tags),
        attributes={k: set(v) for k, v in _ATTRIBUTES.items() if k in tags},
        url_schemes=set(_SCHEMES),
        link_rel=_REL,
        strip_comments=True,
    )


_BLOCK_CLEANER = _cleaner(_INLINE_TAGS | _BLOCK_TAGS)
_INLINE_CLEANER = _cleaner(_INLINE_TAGS)
_TEXT_CLEANER = nh3.Cleaner(tags=set())  # every tag removed: the visible text


# Conversions are pure functions of the text (and of this code and the library versions,
# which the build cache keys on), so a session remembers them (`Session.markdown`: a table
# per kind) and, through `memo_import` and the memo file, so do later builds.
Memos = dict[str, dict[str, str]]
_MEMO_LIMIT = 500_000


def memo_import(memo: Memos, saved: Memos) -> None:
    """Remember conversions saved by an earlier build (same cxsite, same libraries).

    The saved HTML comes from a file in the project, which anyone can commit: it is cleaned
    again (nh3 is cheap next to Markdown), so nothing from disk is marked safe unsanitised.
    """
    cleaners = {"md": _BLOCK_CLEANER, "inline": _INLINE_CLEANER}
    for kind, table in memo.items():
        extra = saved.get(kind)
        if isinstance(extra, dict) and len(table) + len(extra) < _MEMO_LIMIT:
            cleaner = cleaners.get(kind)
            table.update(
                {
                    k: cleaner.clean(v).strip() if cleaner is not None else v
                    for k, v in extra.items()
                    if isinstance(k, str) and isinstance(v, str)
                }
            )


def _remember(kind: str, text: str, make: Callable[[str], str], memo: Memos | None) -> str:
    if memo is None:
        return make(text)
    table = memo[kind]
    found = table.get(text)
    if found is None:
        if len(table) >= _MEMO_LIMIT:
            table.clear()
        found = table[text] = make(text)
    return found


def render_md(text: str | None, memo: Memos | None = None) -> Markup:
    """A Markdown field as sanitised block HTML (empty for None), remembered in `memo`."""
    if not text:
        return Markup("")
    made = _remember("md", str(text), lambda t: _BLOCK_CLEANER.clean(_convert(t)).strip(), memo)
    return Markup(made)


def render_inline(text: str | None, memo: Memos | None = None) -> Markup:
    """A one-line Markdown field as sanitised inline HTML, without a wrapping paragraph."""
    if not text:
        return Markup("")
    # One line of Markdown: render it as a paragraph, then keep only the inline tags.
    made = _remember(
        "inline", str(text), lambda t: _INLINE_CLEANER.clean(_convert(t)).strip(), memo
    )
    return Markup(made)


def plain_text(text: str | None, memo: Memos | None = None) -> str:
    """A Markdown field reduced to its visible text, for search indexes and alt texts."""
    if not text:
        return ""
    return _remember("plain", str(text), lambda t: _make_plain(t, memo), memo)


# Letters, digits, spaces and punctuation that no Markdown syntax (nor SmartyPants, nor
# HTML) gives a meaning to: a text made only of these reads the same rendered.
_INERT = re.compile(r"[A-Za-z0-9\u00c0-\u024f ,;:()/?%\u00b7\u203a]*")


def _make_plain(text: str, memo: Memos | None) -> str:
    if _INERT.fullmatch(text):
        return " ".join(text.split())
    # Text the pages already rendered: its sanitised HTML has the same visible text.
    rendered = (memo["md"].get(text) or memo["inline"].get(text)) if memo else None
    stripped = _TEXT_CLEANER.clean(rendered or _convert(text))
    return " ".join(html.unescape(stripped).split())
