"""Characters the PDF briefs cannot print on this machine, said before they print as boxes.

WeasyPrint lays text out with Pango, which takes each character from the first font that
fontconfig finds having it; a character no installed font has prints as an empty box. The
briefs use DejaVu, which has Latin, Greek, Cyrillic, Arabic and Hebrew, not Chinese,
Japanese, Korean or emoji: those print only where a font for them is installed. So a build
with briefs warns (W529) at the first text of each file that holds such a character.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from pathlib import Path

import yaml

from cxsite.cachefiles import known_digest
from cxsite.problems import Problem
from cxsite.session import Session

# Characters that are never drawn as glyphs of their own: variation selectors (the emoji
# presentation after a symbol), joiners and other format characters, line and space marks.
_NOT_DRAWN = frozenset(("Cf", "Cc", "Zs", "Zl", "Zp", "Cs"))
_SELECTORS = (range(0xFE00, 0xFE10), range(0xE0100, 0xE01F0))
_SHOWN = 3  # characters named in a warning; the rest are counted

_FONTCONFIG_API = """
    typedef int FcBool;
    typedef unsigned int FcChar32;
    typedef struct _FcConfig FcConfig;
    typedef struct _FcPattern FcPattern;
    typedef struct _FcCharSet FcCharSet;
    typedef struct _FcFontSet { int nfont; int sfont; FcPattern **fonts; } FcFontSet;
    FcConfig * FcInitLoadConfigAndFonts (void);
    void FcConfigDestroy (FcConfig *config);
    FcFontSet * FcConfigGetFonts (FcConfig *config, int set);
    int FcPatternGetCharSet (FcPattern *p, const char *object, int n, FcCharSet **c);
    FcBool FcCharSetHasChar (const FcCharSet *fcs, FcChar32 ucs4);
"""


def _drawn(char: str) -> bool:
    code = ord(char)
    if any(code in r for r in _SELECTORS):
        return False
    return unicodedata.category(char) not in _NOT_DRAWN


def unprintable(chars: Iterable[str]) -> set[str]:
    """The characters of `chars` that no font fontconfig finds on this machine has (none
    when fontconfig cannot be asked: the briefs' own check, `require_fonts`, says so)."""
    wanted = sorted({c for c in chars if not c.isascii() and _drawn(c)})
    if not wanted:
        return set()
    # lazy: cffi and fontconfig are needed only with PDFs, and only for such characters
    import cffi

    ffi = cffi.FFI()
    ffi.cdef(_FONTCONFIG_API)
    for name in ("libfontconfig.so.1", "libfontconfig.1.dylib", "libfontconfig-1.dll"):
        try:
            lib = ffi.dlopen(name)
            break
        except OSError:
            continue
    else:
        return set()
    config = ffi.gc(lib.FcInitLoadConfigAndFonts(), lib.FcConfigDestroy)
    fonts = lib.FcConfigGetFonts(config, 0)  # FcSetSystem
    if fonts == ffi.NULL:
        return set()
    charset = ffi.new("FcCharSet **")
    sets = [
        charset[0]
        for i in range(fonts.nfont)
        if lib.FcPatternGetCharSet(fonts.fonts[i], b"charset", 0, charset) == 0  # FcResultMatch
    ]
    return {c for c in wanted if not any(lib.FcCharSetHasChar(s, ord(c)) for s in sets)}


def _texts(text: str) -> Iterable[tuple[str, int, int]]:
    """Each scalar of a YAML text (keys and values, not comments) with its 1-based line and
    column; nothing more from a text the scanner refuses (validation said why)."""
    try:
        for token in yaml.scan(text):
            if isinstance(token, yaml.ScalarToken):
                mark = token.start_mark
                yield token.value, mark.line + 1, mark.column + 1
    except yaml.YAMLError:
        return


def _quoted(chars: list[str]) -> str:
    names = ", ".join(f"'{c}'" for c in chars[:_SHOWN])
    more = len(chars) - _SHOWN
    return names + (f" and {more} more" if more > 0 else "")


def font_problems(root: Path, files: Iterable[str], session: Session) -> list[Problem]:
    """W529 for each project file (relative to `root`) whose texts hold characters no font
    on this machine can print: at the first such text, naming the characters. A file the
    session knows unchanged (its digest) is not read again (`serve` rebuilds often)."""
    beyond: dict[str, str] = {}  # each file's characters beyond ASCII, if any
    for rel in files:
        path = root / rel
        sha = known_digest(path, session.digests)
        chars = session.glyphs.get(sha) if sha is not None else None
        if chars is None:
            try:
                raw = path.read_bytes()
            except OSError:
                continue
            chars = "" if raw.isascii() else "".join(set(raw.decode("utf-8", "replace")))
            session.glyphs.put(hashlib.sha256(raw).digest(), chars)
        if chars:
            beyond[rel] = chars
    missing = unprintable(c for chars in beyond.values() for c in chars)
    if not missing:
        return []
    found = [
        _problem(root, rel, missing)
        for rel in sorted(beyond)
        if not missing.isdisjoint(beyond[rel])
    ]
    return [p for p in found if p is not None]


def _problem(root: Path, rel: str, missing: set[str]) -> Problem | None:
    try:  # read again: only a file holding such a character, rare
        text = (root / rel).read_bytes().decode("utf-8", "replace")
    except OSError:
        return None
    found: dict[str, None] = {}  # in the order they first occur
    where: tuple[int, int] | None = None
    for value, line, col in _texts(text):
        chars = [c for c in value if c in missing]
        if chars and where is None:
            where = (line, col)
        found.update(dict.fromkeys(chars))
    if where is None:
        return None
    chars = list(found)
    it, prints = ("it", "it prints") if len(chars) == 1 else ("them", "they print")
    return Problem(
        rel,
        *where,
        "warning",
        "W529",
        f"{_quoted(chars)} cannot be printed in the PDF briefs: no font on this machine has "
        f"{it}, so {prints} as empty boxes; install a font that has {it} (Debian: "
        "fonts-noto-cjk for Chinese, Japanese and Korean, fonts-noto-color-emoji for emoji)",
    )
