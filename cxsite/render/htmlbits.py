"""Small pieces of HTML drawn from numbers (avatars, brand colours).

Everything here is built from numbers and validated colours only.
"""

from __future__ import annotations

import hashlib

from cxsite.analysis.journeys import emotion_level

# Dark enough for white initials to pass WCAG AA (contrast >= 4.5).
_AVATAR_COLOURS = (
    "#1f4e79",
    "#6b3fa0",
    "#0f6b5c",
    "#9a3412",
    "#1e40af",
    "#86198f",
    "#3f6212",
    "#7c2d12",
)


def initials(name: str) -> str:
    """Up to two initials of a name ("Maya Okafor" -> "MO")."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return name[:1].upper() or "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def trend_arrow(direction: str) -> str:
    """The arrow of a trend direction: up, down or flat."""
    return {"up": "▲", "down": "▼"}.get(direction, "▶")


def trend_class(verdict: str) -> str:
    """CSS class suffix of a trend verdict: good (better), bad (worse) or flat."""
    return {"better": "good", "worse": "bad"}.get(verdict, "flat")


def avatar_colour(key: str) -> str:
    """A stable avatar background for an id."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return _AVATAR_COLOURS[digest[0] % len(_AVATAR_COLOURS)]


def _hex_rgb(colour: str) -> tuple[float, float, float]:
    value = colour.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return tuple(int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _luminance(rgb: tuple[float, float, float]) -> float:
    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two hex colours."""
    la, lb = sorted((_luminance(_hex_rgb(a)), _luminance(_hex_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """`colour` moved `amount` (0..1) of the way towards `other`, as #rrggbb."""
    a, b = _hex_rgb(colour), _hex_rgb(other)
    return "#" + "".join(
        f"{round((x + (y - x) * amount) * 255):02x}" for x, y in zip(a, b, strict=True)
    )


def readable_on(background: str, candidate: str, target: float = 4.6) -> str:
    """`candidate` moved towards black or white until it reads on `background`."""
    towards = "#000000" if _luminance(_hex_rgb(background)) > 0.4 else "#ffffff"
    for step in range(21):
        colour = mix(candidate, towards, step / 20)
        if contrast(colour, background) >= target:
            return colour
    return towards


# Heat-map cells: the share of the brand colour mixed into the page surface, levels 1..5.
_HEAT_LIGHT = (0.10, 0.22, 0.36, 0.55, 1.0)
_HEAT_DARK = (0.12, 0.22, 0.32, 0.45, 0.60)
_SURFACE, _SURFACE_DARK = "#ffffff", "#171e27"
_INK, _INK_DARK = "#1b2330", "#e7ecf2"


def text_on(background: str, preferred: str, target: float = 4.5) -> str:
    """`preferred` when it reads on `background` at `target`, else white or black, the better."""
    if contrast(preferred, background) >= target:
        return preferred
    return max(("#ffffff", "#000000"), key=lambda c: contrast(c, background))


def heat_css(primary: str, text_dark: str) -> dict[str, str]:
    """Heat-map cell backgrounds per level and mode, each with a text colour chosen by contrast."""
    parts: dict[str, str] = {}
    for level, (light, dark) in enumerate(zip(_HEAT_LIGHT, _HEAT_DARK, strict=True), start=1):
        bg, bg_dark = mix(_SURFACE, primary, light), mix(_SURFACE_DARK, text_dark, dark)
        parts[f"--b-heat-{level}"] = bg
        parts[f"--b-heat-{level}-ink"] = text_on(bg, _INK)
        parts[f"--b-heat-{level}-dark"] = bg_dark
        parts[f"--b-heat-{level}-ink-dark"] = text_on(bg_dark, _INK_DARK)
    return parts


def brand_css(primary: str, accent: str) -> str:
    """CSS custom properties for the brand colours, with readable derived shades."""
    ink = "#ffffff" if contrast(primary, "#ffffff") >= contrast(primary, "#111111") else "#111111"
    tint, tint_dark = mix(primary, "#ffffff", 0.88), mix(primary, "#171e27", 0.6)
    # Brand-coloured text must read on the page, the cards and the brand tint alike.
    text_light = readable_on(tint, primary)
    text_dark = readable_on(tint_dark, primary)
    # The stylesheet maps these onto --brand, --brand-text... per colour scheme.
    parts = {
        "--b-primary": primary.lower(),
        "--b-ink": ink,
        "--b-text": text_light,
        "--b-text-dark": text_dark,
        "--b-tint": tint,
        "--b-tint-dark": tint_dark,
        "--b-accent": accent.lower(),
        "--b-accent-tint": mix(accent, "#ffffff", 0.85),
        "--b-accent-tint-dark": mix(accent, "#171e27", 0.75),
        # the focus ring, 3:1 on the darkest page background of each scheme (WCAG 1.4.11)
        "--b-focus": readable_on("#f0f2f5", accent, 3.0),
        "--b-focus-dark": readable_on("#1e2733", accent, 3.0),
        **heat_css(primary, text_dark),
    }
    return ";".join(f"{k}:{v}" for k, v in parts.items())


def emotion_class(value: float | None) -> str:
    """CSS class suffix for an emotion score: neg2, neg1, 0, pos1, pos2 (or none)."""
    if value is None:
        return "none"
    return {-2: "neg2", -1: "neg1", 0: "0", 1: "pos1", 2: "pos2"}[emotion_level(value)]
