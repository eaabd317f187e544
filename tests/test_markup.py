"""Markdown rendering and sanitising: formatting survives, anything executable does not."""

from __future__ import annotations

import html
import re

import nh3
import pytest

from cxsite.render import markup
from cxsite.render.markup import plain_text, render_inline, render_md
from cxsite.session import Session

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "<style>body{display:none}</style>",
    "<form action=https://evil.example><input name=p></form>",
    "[a](javascript:alert(1))",
    "[b](JaVaScRiPt:alert(1))",
    "[c](java&#09;script:alert(1))",
    "[d](&#106;avascript:alert(1))",
    "[e]( javascript:alert(1))",
    "[f](vbscript:msgbox(1))",
    "[g](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">h</a>',
    '<a href="jav&#x09;ascript:alert(1)">i</a>',
    "[j](https://ok.example){onclick=alert(1)}",
    "Paragraph\n{: onmouseover=alert(1) style='color:red' }",
    '<div style="background:url(javascript:alert(1))">k</div>',
    '<p onclick="alert(1)">l</p>',
    "<object data=x></object><embed src=x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
]

_DANGEROUS = re.compile(
    r"<\s*(script|iframe|style|form|input|object|embed|svg|img|math)\b"
    r"|\son[a-z]+\s*="
    r"|\sstyle\s*="
    r"|(href|src)\s*=\s*[\"']?\s*(javascript|vbscript|data):",
    re.IGNORECASE,
)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_is_neutralised(text: str) -> None:
    for rendered in (render_md(text), render_inline(text)):
        assert not _DANGEROUS.search(str(rendered)), rendered


def test_formatting_survives() -> None:
    html = str(render_md("# Title\n\nSome **bold**, *em* and `code`.\n\n- one\n- two\n\n> quote"))
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<code>code</code>" in html
    assert "<ul>" in html and "<li>one</li>" in html
    assert "<blockquote>" in html


def test_tables_render() -> None:
    html = str(render_md("| a | b |\n|---|---|\n| 1 | 2 |"))
    assert "<table>" in html and "<td>1</td>" in html


def test_links_keep_safe_schemes_and_get_rel() -> None:
    html = str(render_md("[site](https://example.com) [mail](mailto:cx@example.com) [rel](x.html)"))
    assert 'href="https://example.com"' in html
    assert 'href="mailto:cx@example.com"' in html
    assert 'href="x.html"' in html
    assert html.count('rel="noopener noreferrer"') == 3


def test_inline_has_no_paragraph_or_blocks() -> None:
    html = str(render_inline("Buy *today*\n\n# not a heading"))
    assert "<p>" not in html and "<h1>" not in html
    assert "<em>today</em>" in html


def test_attr_list_syntax_is_consumed_and_attributes_dropped() -> None:
    html = str(render_md('Some text\n{: #id .cls onclick="alert(1)" }'))
    assert html == "<p>Some text</p>"


def test_empty_and_none() -> None:
    assert render_md(None) == "" and render_inline("") == ""


def test_plain_text_strips_markup_and_script_content() -> None:
    assert plain_text("**a** <script>evil()</script> &amp; <b>c</b>") == "a & c"


PLAIN_CASES = [
    *HOSTILE,
    "Persona 12",
    "  Touchpoint 7 · during purchase ›  (moment of truth)",
    "    indented like code",
    "Déjà vu, 50% off: why? (and/or)",
    "**a** <script>evil()</script> &amp;lt; <b>c</b>",
    "<textarea>a<b>c</b></textarea> <pre>\nx</pre> <noscript><i>n</i></noscript>",
    "<table><tr><td>a</td></tr>b</table> a<br>b <!-- c -->d",
    "\"quoted\" -- 'single' ... <<angled>> mobile-app snake_case",
    "1. one\n2. two\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\n<b>\n```",
]


def _plain_by_converting(text: str) -> str:
    """What `plain_text` has always been: a fresh Markdown pass, tags stripped."""
    return " ".join(html.unescape(nh3.clean(markup._convert(text), tags=set())).split())


@pytest.mark.parametrize("render", [None, render_md, render_inline])
@pytest.mark.parametrize("text", PLAIN_CASES)
def test_plain_text_is_the_same_from_rendered_html_or_a_fresh_pass(render, text: str) -> None:
    # plain_text re-uses what the pages rendered (or skips Markdown for inert text); the
    # result must be what a fresh Markdown pass gives
    memo = Session().markdown
    if render is not None:
        render(text, memo)
    assert plain_text(text, memo) == _plain_by_converting(text)
