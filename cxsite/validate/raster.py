"""Whether a PNG, JPEG, GIF or WebP photo or logo is the image its name says.

A file named `.png` that holds text, or half a PNG, was published on the site as it was and
left out of the PDF briefs without a word; a small PNG that says it is 40,000 pixels square
would ask a browser and the PDF renderer for gigabytes. Only the first bytes are read: the
format's signature and, where the header holds it (PNG, GIF, WebP), the size in pixels.
"""

from __future__ import annotations

from pathlib import Path

# Far above any photo or logo (a 50-megapixel camera), far below what exhausts memory.
MAX_PIXELS = 60_000_000
_HEAD = 32
_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WebP"}


def raster_refusal(path: Path) -> str | None:
    """Why the image at `path` (by its suffix a PNG, JPEG, GIF or WebP) may not be used, as
    the rest of a sentence that starts with its name, or None."""
    expected = _FORMATS.get(path.suffix.lower())
    if expected is None:
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(_HEAD)
    except OSError:
        return None  # unreadable: reported where the file is used
    found = _format(head)
    if found is None:
        return f"is not a {expected} image (its first bytes are not an image's): export it again"
    if found != expected:
        return f"is a {found} image, not a {expected}: give it the suffix of its format"
    size = _size(head, found)
    if size is not None and size[0] * size[1] > MAX_PIXELS:
        return (
            f"is {size[0]:,} x {size[1]:,} pixels, over {MAX_PIXELS // 1_000_000} million:"
            " scale it down"
        )
    return None


def _format(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WebP"
    return None


def _size(head: bytes, found: str) -> tuple[int, int] | None:
    """Width and height from the header, where it holds them at a fixed place."""
    if found == "PNG" and head[12:16] == b"IHDR":
        return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    if found == "GIF" and len(head) >= 10:
        return int.from_bytes(head[6:8], "little"), int.from_bytes(head[8:10], "little")
    if found == "WebP" and head[12:16] == b"VP8X" and len(head) >= 30:
        width = int.from_bytes(head[24:27], "little") + 1
        return width, int.from_bytes(head[27:30], "little") + 1
    return None
