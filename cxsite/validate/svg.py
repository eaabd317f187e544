"""Whether an SVG photo or logo is a picture and nothing more.

Photos and logos are published as files on the site's origin: opened directly, a script in
one would run as the site. So the file is parsed as XML (expat, in the encoding the file
declares) and its elements, attributes and style sheets are judged by namespace and local
name after entities and character references are decoded: no prefix (`<h:script>`), encoding
(UTF-16), entity (`&#106;avascript:`), CDATA section or case can hide what a browser would see.
"""

from __future__ import annotations

import re
from pathlib import Path
from xml.parsers import expat

SVG_SCAN_BYTES = 20 * 1024 * 1024

_XHTML = "http://www.w3.org/1999/xhtml"
_XML = "http://www.w3.org/XML/1998/namespace"
# Cannot occur in a name, nor in XML 1.0 text at all: splits "uri<SEP>local<SEP>prefix".
_SEP = "\x01"
# Elements that run code or embed a document, in any namespace and any case.
_ACTIVE_ELEMENTS = frozenset(
    ("script", "foreignobject", "iframe", "embed", "object", "handler", "listener")
)
_ANIMATIONS = frozenset(("set", "animate", "animatemotion", "animatetransform", "animatecolor"))
# Encodings expat decodes itself, as a browser does; any other is refused rather than guessed.
_ENCODINGS = frozenset(("utf-8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "iso-8859-1"))
_PREDEFINED = frozenset(("amp", "lt", "gt", "quot", "apos"))
_IMAGE_DATA = re.compile(r"data:image/(png|jpeg|gif|webp)[;,]")
_INVISIBLE = re.compile(r"[\s\x00-\x1f\x7f-\x9f]+")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\r\n\f]?|(.))", re.DOTALL)
_CSS_URL = re.compile(r"(?:url|src)\(['\"]?")
_ENTITY_REF = re.compile(r"&([^#;]+);")


class _Refused(Exception):
    """Raised from an expat handler to stop at the first thing that is not a picture."""


def svg_refusal(path: Path) -> str | None:
    """Why the SVG file at `path` may not be published, as the rest of a sentence that
    starts with its name ("is an SVG with active content (<script>): remove it"), or None."""
    try:
        with path.open("rb") as handle:
            data = handle.read(SVG_SCAN_BYTES + 1)
    except OSError:
        return None  # unreadable: reported where the file is used
    if len(data) > SVG_SCAN_BYTES:
        return "is an SVG with active content (over 20 MB): remove it"
    checker = _Checker()
    try:
        checker.parse(data)
        if checker.external_dtd:
            _check_entity_refs(data)
    except _Refused as refused:
        what = str(refused)
        if what.startswith("encoding "):
            return f"is an SVG in {what}: save it as UTF-8"
        return f"is an SVG with active content ({what}): remove it"
    except expat.ExpatError as error:
        where = f"line {error.lineno}, column {error.offset + 1}"
        reason = expat.ErrorString(error.code)
        return f"is not a well-formed SVG ({reason} at {where}): fix it or remove it"
    return None


def _split(name: str) -> tuple[str, str, str]:
    """(namespace, local name, name as written) of an expat name."""
    parts = name.split(_SEP)
    if len(parts) == 1:
        return "", name, name
    shown = f"{parts[2]}:{parts[1]}" if len(parts) == 3 else parts[1]
    return parts[0], parts[1], shown


def _compact(value: str) -> str:
    """A URL as a browser reads its scheme: without whitespace or control characters."""
    return _INVISIBLE.sub("", value).lower()


def _css_escape(found: re.Match[str]) -> str:
    if found.group(1) is None:
        return found.group(2)
    code = int(found.group(1), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _css_refusal(text: str, where: str) -> str | None:
    """What in CSS text would fetch a resource from elsewhere, or None."""
    if not any(c in text for c in "(@\\"):
        return None  # fast path: most attribute values
    css = _compact(_CSS_ESCAPE.sub(_css_escape, _CSS_COMMENT.sub("", text)))
    if "@import" in css:
        return f"@import in {where}"
    if "image-set(" in css:
        return f"image-set() in {where}"
    for found in _CSS_URL.finditer(css):
        target = css[found.end() :]
        if not (target.startswith(("#", ")")) or _IMAGE_DATA.match(target)):
            return f"an external url() in {where}"
    return None


class _Checker:
    """One pass of expat over a file, refusing at the first thing that is not a picture."""

    def __init__(self) -> None:
        self.external_dtd = False
        self.in_style = 0  # how many <style> elements are open
        self.style: list[str] = []  # the text inside the outermost open one

    def parse(self, data: bytes) -> None:
        parser = expat.ParserCreate(namespace_separator=_SEP)
        parser.namespace_prefixes = True
        parser.XmlDeclHandler = self.xml_decl
        parser.StartDoctypeDeclHandler = self.doctype
        parser.EntityDeclHandler = self.entity_decl
        parser.SkippedEntityHandler = self.skipped_entity
        parser.ProcessingInstructionHandler = self.instruction
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.CharacterDataHandler = self.text
        parser.Parse(data, True)

    def xml_decl(self, version: str, encoding: str | None, standalone: int) -> None:
        if encoding is not None and encoding.lower() not in _ENCODINGS:
            raise _Refused(f"encoding '{encoding[:40]}'")

    def doctype(self, name: str, system_id: str | None, public_id: str | None, subset: int) -> None:
        # An internal subset declares entities (expansion bombs, hidden text) or default
        # attributes; no photo needs one. An external DTD is never read, by us or a browser,
        # but a browser may know its entities (Firefox and Chromium do for XHTML and MathML).
        if subset:
            raise _Refused("a DOCTYPE with declarations")
        self.external_dtd = bool(system_id or public_id)

    def entity_decl(self, name: str, *args: object) -> None:
        raise _Refused("<!ENTITY>")

    def skipped_entity(self, name: str, is_parameter: int) -> None:
        raise _Refused(f"the undeclared entity &{name};")

    def instruction(self, target: str, data: str) -> None:
        if target.lower() == "xml-stylesheet":  # CSS or XSLT from elsewhere
            raise _Refused("<?xml-stylesheet?>")

    def start(self, name: str, attributes: dict[str, str]) -> None:
        uri, local, shown = _split(name)
        low = local.lower()
        if low in _ACTIVE_ELEMENTS:
            raise _Refused(f"<{shown}>")
        if uri == _XHTML:
            raise _Refused(f"<{shown}>, an XHTML element")
        if low in _ANIMATIONS:
            for key, value in attributes.items():
                target = value.strip().lower().rpartition(":")[2]
                if _split(key)[1] == "attributeName" and (target == "href" or target[:2] == "on"):
                    raise _Refused(f"<{shown}> animating {_printable(value.strip())}")
        for key, value in attributes.items():
            refusal = _attribute_refusal(key, value, shown)
            if refusal:
                raise _Refused(refusal)
        if low == "style":
            self.in_style += 1

    def end(self, name: str) -> None:
        if _split(name)[1].lower() == "style":
            self.in_style -= 1
            if not self.in_style:
                refusal = _css_refusal("".join(self.style), "<style>")
                self.style = []
                if refusal:
                    raise _Refused(refusal)

    def text(self, data: str) -> None:
        if self.in_style:  # a child's text too: a browser may not use it, but it could
            self.style.append(data)


def _attribute_refusal(key: str, value: str, element: str) -> str | None:
    """What makes one attribute of `element` (as written) active or a fetch from elsewhere."""
    uri, local, shown = _split(key)
    low = local.lower()
    if low.startswith("on"):
        return f"an {shown} handler"
    if uri == _XML and local == "base":
        return "xml:base"
    url = _compact(value)
    for scheme in ("javascript:", "vbscript:"):
        if url.startswith(scheme):
            return f"a {scheme} URL in {shown}"
    if url.startswith("data:") and not _IMAGE_DATA.match(url):
        return f"a data: URL in {shown}"
    # A link (<a href>) is followed only when clicked; any other href is fetched or used.
    fetched = element.rpartition(":")[2] != "a" and url and not url.startswith("#")
    if low == "href" and fetched and not _IMAGE_DATA.match(url):
        return f"an external reference in <{element} {shown}>"
    return _css_refusal(value, f"the {shown} attribute")


def _check_entity_refs(data: bytes) -> None:
    """Refuse an entity a browser might know and expat does not (a document with an external
    DTD): expat drops such a reference in an attribute value silently, so `&colon;` would
    hide a `javascript:` URL from the first pass. Start tags are read as written."""

    def default(text: str) -> None:
        if text[:1] == "<" and text[1:2] not in ("!", "?", "/"):
            for name in _ENTITY_REF.findall(text):
                if name not in _PREDEFINED:
                    raise _Refused(f"the undeclared entity &{name};")

    parser = expat.ParserCreate()
    parser.DefaultHandler = default
    parser.Parse(data, True)


def _printable(text: str) -> str:
    """`text` safe to print on one line, at most 40 characters."""
    shown = "".join(c if c.isprintable() else "?" for c in text)
    return shown if len(shown) <= 40 else shown[:39] + "…"
