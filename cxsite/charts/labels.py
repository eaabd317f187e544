"""How numbers read in chart labels and alt text: at most two decimals, signs shown."""

from __future__ import annotations


def num(x: float) -> str:
    """A number as people write it: 1, 1.5, 32.25 (at most two decimals, no trailing zeros)."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def signed(x: float) -> str:
    """A number with its sign: +1, -0.5, 0."""
    return ("+" if x > 0 else "") + num(x)
