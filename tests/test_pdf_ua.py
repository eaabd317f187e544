"""PDF/UA-1 machine checks on every brief of the example, by walking the structure tree with
pikepdf (veraPDF is the full validator; these are the rules cxsite's briefs once broke):

- 7.18.5: every link annotation belongs to a Link structure element and has a description
  (`Contents`) that is the target's title, not an anchor name; no Link inside a Link; one
  link per table-of-contents entry.
- 7.4.2: heading levels never jump (H1 then H2, never H1 then H4).
- 7.5: every table header cell has a Scope (Row or Column).
- 7.1: no content outside marked content (untagged paint from semi-transparent elements).
"""

from __future__ import annotations

import itertools
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

pytestmark = [pytest.mark.pdf, pytest.mark.slow]

PAINT = {"Tj", "TJ", "'", '"', "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "Do", "sh"}


@pytest.fixture(scope="module")
def briefs(example_build: Path) -> list[Path]:
    found = sorted((example_build / "briefs").glob("*.pdf"))
    assert len(found) >= 4
    return found


def elements(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, tuple[str, ...]]]:
    """Every structure element in document order with the types of its ancestors."""
    out: list[tuple[pikepdf.Dictionary, tuple[str, ...]]] = []

    def walk(node: object, ancestors: tuple[str, ...]) -> None:
        if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
            return
        out.append((node, ancestors))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            walk(kid, (*ancestors, str(node.S)))

    top = pdf.Root.StructTreeRoot.K
    for node in top if isinstance(top, pikepdf.Array) else [top]:
        walk(node, ())
    return out


def holds_link(node: object) -> bool:
    """Whether a structure element holds a Link element anywhere below it."""
    if not isinstance(node, pikepdf.Dictionary) or "/S" not in node:
        return False
    kids = node.get("/K")
    return any(
        isinstance(kid, pikepdf.Dictionary) and (kid.get("/S") == "/Link" or holds_link(kid))
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids])
    )


def parent_tree(pdf: pikepdf.Pdf) -> dict[int, object]:
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def link_problems(pdf: pikepdf.Pdf) -> list[str]:
    owners = parent_tree(pdf)
    problems = []
    for number, page in enumerate(pdf.pages, start=1):
        targets: Counter[str] = Counter()
        for annot in page.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            owner = owners.get(int(annot.get("/StructParent", -1)))
            if not isinstance(owner, pikepdf.Dictionary) or owner.get("/S") != "/Link":
                problems.append(f"page {number}: a link annotation outside a Link element")
            text = str(annot.get("/Contents", "")).strip()
            dest = str(annot.get("/Dest", annot.get("/A", {}).get("/URI", "")))
            if not text or text == dest.lstrip("#"):
                problems.append(f"page {number}: link to {dest} described as {text!r}")
            targets[dest] += 1
        problems += [f"page {number}: {n} links to {d}" for d, n in targets.items() if n > 1]
    return problems


def test_links_are_tagged_described_and_single(briefs: list[Path]) -> None:
    linked = 0
    for path in briefs:
        with pikepdf.open(path) as pdf:
            assert link_problems(pdf) == [], path.name
            nested = [a for e, a in elements(pdf) if e.S == "/Link" and "/Link" in a]
            assert nested == [], path.name
            linked += sum(1 for e, _ in elements(pdf) if e.S == "/Link")
    assert linked >= 10  # the tables of contents of the executive and personas briefs


def test_table_of_contents_has_one_link_per_entry_named_by_its_section(
    briefs: list[Path],
) -> None:
    path = next(p for p in briefs if p.name == "executive.pdf")
    with pikepdf.open(path) as pdf:
        annots = [a for a in pdf.pages[0].get("/Annots", []) if a.Subtype == "/Link"]
        # the contents: the list whose entries link (page 1 also has lists of risks and asks)
        toc = next(e for e, _ in elements(pdf) if e.S == "/L" and holds_link(e))
        entries = [k for k in toc.K if isinstance(k, pikepdf.Dictionary) and k.S == "/LI"]
        assert len(annots) == len(entries) >= 5
        assert str(annots[0].Contents) == "Key performance indicators"


def test_heading_levels_never_jump(briefs: list[Path]) -> None:
    for path in briefs:
        with pikepdf.open(path) as pdf:
            levels = [int(str(e.S)[2]) for e, _ in elements(pdf) if str(e.S) in HEADINGS]
        assert levels and levels[0] == 1, path.name
        jumps = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
        assert jumps == [], path.name


HEADINGS = {f"/H{n}" for n in range(1, 7)}


def test_every_table_header_cell_has_a_scope(briefs: list[Path]) -> None:
    scopes: Counter[str] = Counter()
    for path in briefs:
        with pikepdf.open(path) as pdf:
            for element, _ in elements(pdf):
                if element.S == "/TH":
                    scopes[str(element.get("/A", {}).get("/Scope", "none"))] += 1
    assert scopes["none"] == 0
    assert scopes["/Row"] > 0 and scopes["/Column"] > 0  # persona facts are row headers


def untagged_operations(pdf: pikepdf.Pdf) -> list[str]:
    """Painting operators outside any marked-content sequence, per page."""
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        depth = 0
        for _operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BMC", "BDC"):
                depth += 1
            elif op == "EMC":
                depth -= 1
            elif depth == 0 and op in PAINT:
                found.append(f"page {number}: {op}")
    return found


def test_no_content_is_left_untagged(briefs: list[Path]) -> None:
    for path in briefs:
        with pikepdf.open(path) as pdf:
            assert untagged_operations(pdf) == [], path.name
