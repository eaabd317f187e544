"""The fonts of chart text: measured with DejaVu Sans, named as a system stack on the site,
printed in DejaVu Sans in the PDF briefs."""

from __future__ import annotations

# Text is measured with DejaVu Sans (always present, and wider than the fonts a browser
# picks first, so labels that fit here fit there); the site's SVG names a system font stack.
MEASURE_FONT = "DejaVu Sans"
FONT_STACK = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, "
    "'DejaVu Sans', sans-serif"
)
_ON_SCREEN = f"font-family: {FONT_STACK}".encode()
_ON_PAPER = f"font-family: '{MEASURE_FONT}', sans-serif".encode()


def for_print(svg: bytes) -> bytes:
    """A chart's SVG for a PDF brief: its text in the font it was measured with, which the
    briefs embed, not the first of the stack the build machine happens to have (the PDF
    renderer took Arial's stand-in, Liberation Sans, while every other text is DejaVu)."""
    return svg.replace(_ON_SCREEN, _ON_PAPER)
