"""What WeasyPrint's PDF/UA-1 tagging leaves out, added before the PDF is written.

- every table header cell gets a `Scope` (`Row` or `Column`): the cell's `scope` attribute,
  else `Column` in a table head and `Row` in a table body;
- every link annotation gets a `Contents` description: the link's title attribute, else its
  text (for a table-of-contents entry, the title of the section it leads to), not the
  anchor name WeasyPrint puts there.

Works on the rendered boxes (`box.mark` is the cell's structure element, `box.link_annotation`
the annotation), so nothing here parses PDF bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

_SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


def _boxes(box: Any, in_head: bool = False) -> Iterator[tuple[Any, bool]]:
    """Every box under `box` with whether it is inside a table head."""
    tag = getattr(box, "element_tag", None)
    in_head = in_head or tag == "thead"
    yield box, in_head
    for child in getattr(box, "children", ()):
        yield from _boxes(child, in_head)


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def complete_tags(document: Any, string_type: Any) -> None:
    """Add header scopes and link descriptions to a rendered, tagged WeasyPrint document."""
    for page in document.pages:
        for box, in_head in _boxes(page._page_box):
            element = getattr(box, "element", None)
            mark = getattr(box, "mark", None)
            if mark is not None and getattr(box, "element_tag", None) == "th" and "A" in mark:
                scope = _SCOPES.get(str(element.get("scope", "")).lower())
                mark["A"]["Scope"] = scope or ("/Column" if in_head else "/Row")
            annotation = getattr(box, "link_annotation", None)
            if annotation is not None and element is not None:
                label = element.get("title") or element.get("aria-label") or _text(element)
                annotation["Contents"] = string_type(label or element.get("href", "link"))
