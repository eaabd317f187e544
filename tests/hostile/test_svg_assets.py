"""SVG photos and logos are parsed as XML and judged by namespace and local name, after
entities and character references are decoded: prefixes, encodings, entity encoding,
CDATA and case cannot hide active content, and ordinary exported SVGs still pass.

Each bypass below passed the byte regex that came before (an auditor's report), and
Chromium ran the first two scripts when the published file was opened.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hostilekit import LONE_PERSONA_LINT, invoke, write_project

SVG = "http://www.w3.org/2000/svg"
OPEN = f'<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink">'


def _utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


# case -> (file, what the E405 line says, after "'assets/a.svg' ")
HOSTILE: dict[str, tuple[bytes, str]] = {
    "xhtml-prefixed-script": (
        f'<svg xmlns="{SVG}" xmlns:h="http://www.w3.org/1999/xhtml">'
        '<h:script>document.documentElement.setAttribute("data-pwned","yes-ns")</h:script>'
        "</svg>".encode(),
        "is an SVG with active content (<h:script>): remove it",
    ),
    "utf-16-script": (
        _utf16(
            '<?xml version="1.0" encoding="UTF-16"?>'
            f'<svg xmlns="{SVG}"><script>document.documentElement.setAttribute('
            '"data-pwned","yes-u16")</script></svg>'
        ),
        "is an SVG with active content (<script>): remove it",
    ),
    "entity-encoded-javascript": (
        f'{OPEN}<a xlink:href="&#106;avascript&#58;alert(1)">'
        '<rect width="100" height="100"/></a></svg>'.encode(),
        "is an SVG with active content (a javascript: URL in xlink:href): remove it",
    ),
    "foreignObject": (
        f"{OPEN}<foreignObject><div>x</div></foreignObject></svg>".encode(),
        "is an SVG with active content (<foreignObject>): remove it",
    ),
    "xhtml-element": (
        f'{OPEN}<iframe:x xmlns:iframe="http://www.w3.org/1999/xhtml"/></svg>'.encode(),
        "is an SVG with active content (<iframe:x>, an XHTML element): remove it",
    ),
    "animate-retargets-href": (
        f'{OPEN}<a href="#top"><set attributeName="xlink:href" to="javascript:alert(1)"/>'
        "<rect width='9' height='9'/></a></svg>".encode(),
        "is an SVG with active content (<set> animating xlink:href): remove it",
    ),
    "javascript-with-tab-and-case": (
        f'{OPEN}<a href=" JaVa&#9;Script:alert(1)"><text>x</text></a></svg>'.encode(),
        "is an SVG with active content (a javascript: URL in href): remove it",
    ),
    "data-html": (
        f'{OPEN}<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">x</a>'
        "</svg>".encode(),
        "is an SVG with active content (a data: URL in href): remove it",
    ),
    "external-use": (
        f'{OPEN}<use href="http://127.0.0.1:9/x.svg#a"/></svg>'.encode(),
        "is an SVG with active content (an external reference in <use href>): remove it",
    ),
    "import-escaped-in-cdata": (
        f"{OPEN}<style><![CDATA[@\\69mport url(http://127.0.0.1:9/a.css);]]></style></svg>".encode(),
        "is an SVG with active content (@import in <style>): remove it",
    ),
    "doctype-entity": (
        b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        + f'<svg xmlns="{SVG}"><text>&b;</text></svg>'.encode(),
        "is an SVG with active content (a DOCTYPE with declarations): remove it",
    ),
    "entity-from-an-external-dtd": (
        b'<!DOCTYPE svg PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x.dtd">'
        + f'{OPEN}<a xlink:href="javascript&colon;alert(1)">x</a></svg>'.encode(),
        "is an SVG with active content (the undeclared entity &colon;): remove it",
    ),
    "xml-stylesheet": (
        b'<?xml-stylesheet type="text/xsl" href="x.xsl"?>' + f"{OPEN}</svg>".encode(),
        "is an SVG with active content (<?xml-stylesheet?>): remove it",
    ),
    "not-well-formed": (
        f"{OPEN}<g><rect/></svg>".encode(),
        "is not a well-formed SVG (mismatched tag at line 1, column 96): fix it or remove it",
    ),
}

# An export as Inkscape writes one: a BOM, comments, metadata in other namespaces, CDATA in
# <style>, gradients, internal references, an embedded PNG, a link to a web page.
ORDINARY = (
    "\ufeff"
    '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
    "<!-- Created with Inkscape (http://www.inkscape.org/) -->\n"
    f'<svg xmlns="{SVG}" xmlns:xlink="http://www.w3.org/1999/xlink"\n'
    '   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"\n'
    '   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"\n'
    '   xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"\n'
    '   xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
    '   width="64" height="64" viewBox="0 0 64 64" sodipodi:docname="maya.svg"'
    ' inkscape:version="1.3 (0e150ed6c4, 2023-07-21)">\n'
    '  <sodipodi:namedview id="nv" pagecolor="#ffffff" inkscape:zoom="4"/>\n'
    "  <metadata><rdf:RDF><cc:Work rdf:about=''><dc:format>image/svg+xml</dc:format>"
    '<cc:license rdf:resource="http://creativecommons.org/licenses/by/4.0/"/>'
    "<dc:title>Maya &amp; &#169; 2026</dc:title></cc:Work></rdf:RDF></metadata>\n"
    "  <style><![CDATA[ .face { fill: url(#skin); } /* soft */ .eye{stroke:#123} ]]></style>\n"
    '  <defs><linearGradient id="skin-base"><stop offset="0" stop-color="#c96"/></linearGradient>'
    '<linearGradient id="skin" xlink:href="#skin-base" x2="1"/>'
    '<clipPath id="c"><circle cx="32" cy="32" r="30"/></clipPath></defs>\n'
    '  <g clip-path="url(#c)" style="opacity:0.9;fill:url( \'#skin\' )">'
    '<circle class="face" cx="32" cy="32" r="30"/>'
    '<use href="#skin-base"/><use xlink:href="#c"/>'
    '<image width="4" height="4" xlink:href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUg=="/>'
    "</g>\n"
    '  <a href="https://example.com/maya"><text x="4" y="60">Maya</text></a>\n'
    "</svg>\n"
)


def _project(tmp_path: Path, field: str, svg: bytes) -> Path:
    files: dict[str, str | bytes] = {
        "cxsite.yaml": "title: T\n" + ("brand:\n  logo: assets/a.svg\n" if field == "logo" else ""),
        "personas/maya.yaml": "name: M\nrole: R\n"
        + ("photo: assets/a.svg\n" if field == "photo" else ""),
        "assets/a.svg": svg,
    }
    return write_project(tmp_path / "project", files)


LINT = LONE_PERSONA_LINT


@pytest.mark.parametrize("case", list(HOSTILE))
@pytest.mark.parametrize("field", ["photo", "logo"])
def test_hidden_active_content_in_an_svg_is_refused(tmp_path: Path, case: str, field: str) -> None:
    """`cxsite check` refuses each SVG with one exact E405 line and exit 1."""
    svg, says = HOSTILE[case]
    root = _project(tmp_path, field, svg)
    result = invoke("check", str(root))
    where = "cxsite.yaml:3:3" if field == "logo" else "personas/maya.yaml:3:1"
    assert result.stdout.splitlines() == [f"{where}: error E405: 'assets/a.svg' {says}", *LINT]
    assert result.exit_code == 1


@pytest.mark.parametrize("field", ["photo", "logo"])
def test_an_ordinary_exported_svg_passes(tmp_path: Path, field: str) -> None:
    """Metadata, CDATA styles, gradients, internal references, an embedded PNG, a BOM and a
    link to a web page are a picture, not a program."""
    root = _project(tmp_path, field, ORDINARY.encode())
    result = invoke("check", str(root))
    assert result.stdout.splitlines() == LINT
    assert result.exit_code == 0
