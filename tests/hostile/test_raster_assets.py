"""A PNG, JPEG, GIF or WebP photo or logo is the image its name says (signature and, where
the header holds it, size): text named `.png` was published as it was and left out of the
PDF briefs without a word, and a small PNG that says it is 40,000 pixels square would ask a
browser and the PDF renderer for gigabytes (found by the hostile audit)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from hostilekit import LONE_PERSONA_LINT, invoke, write_project


def _png(width: int, height: int) -> bytes:
    """A PNG header whose IHDR says `width` x `height` (the pixel data is not needed)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = b"IHDR" + ihdr
    return (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", len(ihdr))
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def _project(tmp_path: Path, name: str, data: bytes) -> Path:
    files: dict[str, str | bytes] = {
        "cxsite.yaml": "title: T\n",
        "personas/maya.yaml": f"name: M\nrole: R\nphoto: assets/{name}\n",
        f"assets/{name}": data,
    }
    return write_project(tmp_path / "project", files)


LINT = LONE_PERSONA_LINT

REFUSED = {
    "text.png": (
        b"not a png\n",
        "is not a PNG image (its first bytes are not an image's): export it again",
    ),
    "empty.jpg": (b"", "is not a JPEG image (its first bytes are not an image's): export it again"),
    "jpeg.png": (
        b"\xff\xd8\xff\xe0" + bytes(28),
        "is a JPEG image, not a PNG: give it the suffix of its format",
    ),
    "huge.png": (_png(40_000, 40_000), "is 40,000 x 40,000 pixels, over 60 million: scale it down"),
    "huge.gif": (
        b"GIF89a" + struct.pack("<HH", 65535, 65535) + bytes(22),
        "is 65,535 x 65,535 pixels, over 60 million: scale it down",
    ),
}


@pytest.mark.parametrize("name", list(REFUSED))
def test_an_image_that_is_not_what_its_name_says_is_refused(tmp_path: Path, name: str) -> None:
    data, says = REFUSED[name]
    result = invoke("check", str(_project(tmp_path, name, data)))
    assert result.stdout.splitlines() == [
        f"personas/maya.yaml:3:1: error E405: 'assets/{name}' {says}",
        *LINT,
    ]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("photo.png", _png(800, 600)),
        ("photo.jpeg", b"\xff\xd8\xff\xe1" + bytes(28)),
        ("photo.gif", b"GIF87a" + struct.pack("<HH", 64, 64) + bytes(22)),
        ("photo.webp", b"RIFF" + struct.pack("<I", 100) + b"WEBPVP8 " + bytes(20)),
    ],
)
def test_an_ordinary_image_passes(tmp_path: Path, name: str, data: bytes) -> None:
    result = invoke("check", str(_project(tmp_path, name, data)))
    assert result.stdout.splitlines() == LINT
    assert result.exit_code == 0
