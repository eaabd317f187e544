"""The example project in German and in a clinic's words (issue 16, SPEC 8.12).

- Built with `language: de`, no English interface word is left on any page, chart, the
  search index or a brief. Interface words are the words of the English interface before
  the catalogue existed (tests/fixtures/english_interface_words.txt) and of today's English
  catalogue; a word the German catalogue uses too ("Marketing", "Personas") is German as well.
  Text that is the project's own (the example is written in English) is recognised as a
  piece of the project's files.
- Built with the clinic labels of the issue (`customers: patients`, the phases renamed), no
  "customer" or "purchase" is left anywhere.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from projectfiles import CLINIC_LABELS
from pypdf import PdfReader

from cxsite.commands.build import build_site
from cxsite.i18n.catalogue import shipped_texts
from cxsite.resources import example_dir

WORDS_FILE = Path(__file__).parent / "fixtures" / "english_interface_words.txt"
_WORD = re.compile(r"\b[A-Za-z][a-z]{2,}\b")
# Not interface text: scripts, styles, and commands or sources shown as code.
_SKIPPED = ("script", "style", "code", "pre")
_VISIBLE_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder", "value")


def _words(text: str) -> set[str]:
    return {word.lower() for word in _WORD.findall(text)}


def _english_words() -> set[str]:
    listed = {
        line.strip()
        for line in WORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    english = listed | {w for text in shipped_texts("en").values() for w in _words(text)}
    german = {w for text in shipped_texts("de").values() for w in _words(text)}
    return english - german


class _Text(HTMLParser):
    """The text a reader meets on a page: text nodes and the attributes read aloud."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self._skip += 1
        for name, value in attrs:
            # An input's or an option's value is a code for the script, never shown or read.
            code = tag in ("input", "option") and name == "value"
            if name in _VISIBLE_ATTRIBUTES and value and not code:
                self.nodes.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.nodes.append(data)


_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def _squash(text: str) -> str:
    """Whitespace folded and typographic quotes made plain (Markdown curls them)."""
    return re.sub(r"\s+", " ", text).translate(_QUOTES).strip()


def _phrases(root: Path) -> list[str]:
    """The project's own texts (every YAML value and key, every file path), longest first."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                found.add(str(key))
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            found.add(_squash(value))

    for path in sorted(root.rglob("*")):
        if path.is_file():
            found.add(path.relative_to(root).as_posix())
        if path.suffix == ".yaml":
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted((p for p in found if len(p) > 2), key=len, reverse=True)


Content = tuple[str, list[str]]
Finder = Callable[[str], set[str]]


def _content(root: Path) -> Content:
    """The project's own words: its files as one text, and its texts one by one."""
    return _corpus(root), _phrases(root)


def _corpus(root: Path) -> str:
    """Every file of the project as one text."""
    parts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in (".yaml", ".csv", ".md", ".txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            parts.append(text.replace("''", "'"))
    return _squash("\n".join(parts))


# Where a text of the project may be cut in a piece of interface text: numbers, separators,
# an ellipsis (a long name shortened), a run of spaces (PDF table cells side by side).
_CUTS = re.compile(r"\s{2,}|[+−-]?\d[\d.,]*|[·|…›→()]")


def _found(piece: str, content: Content, look: Finder) -> set[str]:
    """What `look` finds in a piece of text once the project's own texts are taken out of
    it (a chart description names stages, a table row holds a pain point...)."""
    corpus, phrases = content
    if not piece or piece in corpus or piece.rstrip("…") in corpus:
        return set()
    # A survey comment as published: e-mail addresses and phone numbers masked (SPEC 8.3).
    if all(part.strip() in corpus for part in re.split(r"\[(?:email|phone)\]", piece)):
        return set()
    if not look(piece):
        return set()
    for phrase in phrases:
        if phrase in piece:
            piece = piece.replace(phrase, " ")
    rest = [f.strip() for f in _CUTS.split(piece)]
    return {word for f in rest if f and f not in corpus for word in look(f)}


def _leftovers(nodes: list[str], content: Content, english: set[str]) -> set[str]:
    """The English interface words in a page's texts."""
    found = set()
    for node in nodes:
        for piece in re.split(r" · |\s[–—]\s", _squash(html.unescape(node))):
            found |= _found(piece, content, lambda text: _words(text) & english)
    return found


def _site_leftovers(site: Path, content: Content, english: set[str]) -> dict[str, set[str]]:
    found = {}
    for path in sorted(site.rglob("*")):
        if path.suffix not in (".html", ".svg") or path.relative_to(site).parts[0] == "assets":
            continue
        parser = _Text()
        parser.feed(path.read_text(encoding="utf-8"))
        words = _leftovers(parser.nodes, content, english)
        if words:
            found[path.relative_to(site).as_posix()] = words
    index = (site / "search-index.js").read_text(encoding="utf-8")
    data = json.loads(index[index.index("{") : index.rindex("}") + 1])
    nodes = [label for _, label in data["kinds"]]
    nodes += [doc["subtitle"] for doc in data["docs"] if doc.get("subtitle")]
    words = _leftovers(nodes, content, english)
    if words:
        found["search-index.js"] = words
    return found


def _pdf_leftovers(site: Path, content: Content, english: set[str]) -> dict[str, set[str]]:
    """Words of the briefs' lines that are interface English and not the project's own (a
    line of a PDF may end inside a text of the project: its words count as the project's)."""
    own = _words(content[0])
    found = {}
    for path in sorted((site / "briefs").glob("*.pdf")):
        text = "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)
        words = set()
        for line in text.splitlines():
            words |= _found(_squash(line), content, lambda text: _words(text) & english) - own
        if words:
            found[path.name] = words
    return found


def _copy_example(tmp_path: Path, config_lines: str) -> Path:
    root = tmp_path / "content"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    config = root / "cxsite.yaml"
    text = config.read_text(encoding="utf-8")
    assert "\nlanguage: en\n" in text
    config.write_text(text.replace("\nlanguage: en\n", "\n" + config_lines), encoding="utf-8")
    return root


@pytest.mark.slow
@pytest.mark.pdf
def test_the_example_in_german_has_no_english_interface_word(tmp_path: Path) -> None:
    root = _copy_example(tmp_path, "language: de\n")
    site = tmp_path / "site"
    build_site(root, site, pdf=True, strict=False, jobs=2)
    english = _english_words()
    content = _content(root)
    assert 'lang="de"' in (site / "index.html").read_text(encoding="utf-8")
    assert _site_leftovers(site, content, english) == {}
    assert _pdf_leftovers(site, content, english) == {}


# The example files touchpoints under the CX pillar `purchase`: a pillar's display name is
# a label too (its id stays, as data).
EXAMPLE_CLINIC = "language: en\n" + CLINIC_LABELS + '  pillar.purchase: "Payment"\n'
_CLINIC_WORDS = re.compile(r"\w*(?:customer|purchase)\w*", re.IGNORECASE)


def _clinic_words(text: str) -> set[str]:
    return {word.lower() for word in _CLINIC_WORDS.findall(text)}


def _clinic_leftovers(site: Path, content: Content) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(site.rglob("*")):
        if path.suffix in (".html", ".svg"):
            parser = _Text()
            parser.feed(path.read_text(encoding="utf-8"))
            nodes = parser.nodes
        elif path.name == "search-index.js":
            text = path.read_text(encoding="utf-8")
            data = json.loads(text[text.index("{") : text.rindex("}") + 1])
            nodes = [label for _, label in data["kinds"]] + [
                doc["subtitle"] for doc in data["docs"] if doc.get("subtitle")
            ]
        elif path.suffix == ".pdf":
            reader = PdfReader(path)
            nodes = [line for page in reader.pages for line in page.extract_text().splitlines()]
        else:
            continue
        bad = [
            node
            for node in (_squash(html.unescape(n)) for n in nodes)
            if _found(node, content, _clinic_words)
        ]
        if bad:
            found[path.relative_to(site).as_posix()] = bad
    return found


@pytest.mark.slow
@pytest.mark.pdf
def test_the_clinic_words_leave_no_customer_or_purchase(tmp_path: Path) -> None:
    root = _copy_example(tmp_path, EXAMPLE_CLINIC)
    site = tmp_path / "site"
    build_site(root, site, pdf=True, strict=False, jobs=2)
    assert "Before the visit" in (site / "touchpoints" / "index.html").read_text(encoding="utf-8")
    assert _clinic_leftovers(site, _content(root)) == {}
