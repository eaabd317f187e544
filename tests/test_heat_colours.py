"""Heat-map cells: the text colour is chosen by contrast for every level, in both modes,
whatever the brand colour (WCAG 1.4.3, 4.5:1)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cxsite.render.htmlbits import brand_css, contrast, heat_css, readable_on

hex_colour = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06x}")


def pairs(parts: dict[str, str]) -> list[tuple[str, str, str]]:
    """(name, background, text) for every level and mode."""
    out = []
    for level in range(1, 6):
        for mode in ("", "-dark"):
            bg, ink = parts[f"--b-heat-{level}{mode}"], parts[f"--b-heat-{level}-ink{mode}"]
            out.append((f"heat-{level}{mode}", bg, ink))
    return out


def test_the_default_brand_reads_at_every_level() -> None:
    parts = heat_css("#1f4e79", "#9cc3ea")
    ratios = {name: round(contrast(bg, ink), 2) for name, bg, ink in pairs(parts)}
    assert min(ratios.values()) >= 4.5, ratios
    # The level issue 16 found at 2.96:1 (white on the 55 % mix) now has dark text.
    assert parts["--b-heat-4-ink"] == "#1b2330"


@given(hex_colour)
def test_any_brand_reads_at_every_level(primary: str) -> None:
    text_dark = readable_on("#1c2a3a", primary)
    for name, bg, ink in pairs(heat_css(primary, text_dark)):
        assert contrast(bg, ink) >= 4.5, (primary, name, bg, ink)


def test_the_brand_css_carries_the_heat_colours() -> None:
    css = brand_css("#1d4a3a", "#d9822b")
    assert "--b-heat-4:" in css and "--b-heat-4-ink-dark:" in css
