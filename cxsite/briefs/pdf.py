"""HTML to PDF with WeasyPrint: a fetcher that reads nothing outside the project, no
attachments, fixed metadata so identical input gives identical bytes, tagged PDF/UA-1.

This is the only module that imports WeasyPrint, and only inside functions, so commands
that render no PDF never pay for its start-up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import stat
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_to_bytes, urlsplit

from cxsite.briefs.pdftags import complete_tags
from cxsite.problems import CxError

# Memory resources (chart SVGs) are addressed as `cxsite:<key>`; nothing else uses it.
MEMORY_SCHEME = "cxsite"
# A photo or logo above this is refused: a brief has no use for it and it could be /dev/zero
# in disguise or simply exhaust memory.
MAX_RESOURCE_BYTES = 20 * 1024 * 1024
PDF_VARIANT = "pdf/ua-1"

_MIME = {
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".css": "text/css",
}


class Refused(Exception):
    """A resource the fetcher will not serve; the message says why."""


def memory_url(key: str) -> str:
    """The URL under which the fetcher serves the in-memory resource `key`."""
    return f"{MEMORY_SCHEME}:{key}"


def project_base_url(root: Path) -> str:
    """The base URL that resolves relative content paths against the project root."""
    return root.resolve().as_uri() + "/"


def resolve_project_file(root: Path, url: str, max_bytes: int = MAX_RESOURCE_BYTES) -> Path:
    """The real path of a `file:` URL if it is a regular, non-hidden file inside `root`."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise Refused("only files inside the project may be used")
    real_root = root.resolve()
    raw = Path(os.fsdecode(unquote_to_bytes(parts.path)))  # as `Path.as_uri` encoded it
    try:
        # resolve() follows every symlink, so a link leading out of the project is caught here.
        real = raw.resolve(strict=True)
    except (OSError, RuntimeError) as error:
        raise Refused(f"file not found ({error.__class__.__name__})") from None
    if not real.is_relative_to(real_root):
        raise Refused("file outside the project")
    if any(part.startswith(".") for part in real.relative_to(real_root).parts):
        raise Refused("hidden files are never used")
    info = real.stat()
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file")
    if info.st_size > max_bytes:
        raise Refused(f"file larger than {max_bytes // (1024 * 1024)} MB")
    return real


def read_project_file(root: Path, url: str, max_bytes: int = MAX_RESOURCE_BYTES) -> bytes:
    """The bytes of a project file, re-checked after opening so a swapped file is refused."""
    real = resolve_project_file(root, url, max_bytes)
    # O_NOFOLLOW and O_NONBLOCK: a path swapped for a symlink or a FIFO since the check
    # fails or returns at once instead of escaping or hanging the build.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(real, flags)
    except OSError as error:
        raise Refused(f"cannot open ({error.strerror})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise Refused("not a regular file")
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Refused(f"file larger than {max_bytes // (1024 * 1024)} MB")
    return data


def make_fetcher(root: Path, memory: Mapping[str, bytes]) -> Any:
    """A WeasyPrint URL fetcher serving project files and `memory`, refusing the rest.

    Refused URLs are recorded in the fetcher's `blocked` list as (url, reason).
    """
    # lazy: WeasyPrint takes a second to import; only PDF rendering needs it
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class SafeFetcher(URLFetcher):
        """Serves `cxsite:` keys from memory and regular files inside the project only."""

        def __init__(self) -> None:
            # No redirects, and errors stay ordinary so that every refusal gets recorded.
            super().__init__(allow_redirects=False, fail_on_errors=False)
            self.blocked: list[tuple[str, str]] = []
            self.read: dict[str, str] = {}  # project file URL -> SHA-256 of what was served

        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            try:
                body, mime = self._serve(url)
            except Refused as error:
                self.blocked.append((url, str(error)))
                raise
            return URLFetcherResponse(url, body, {"Content-Type": mime})

        def _serve(self, url: str) -> tuple[bytes, str]:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == MEMORY_SCHEME:
                key = url.split(":", 1)[1]
                if key not in memory:
                    raise Refused("no such chart")
                return memory[key], _MIME.get(Path(key).suffix.lower(), "image/svg+xml")
            if scheme != "file":
                raise Refused(f"'{scheme or url}' resources are never fetched")
            data = read_project_file(root, url)
            self.read[url] = hashlib.sha256(data).hexdigest()
            return data, _MIME.get(Path(urlsplit(url).path).suffix.lower(), "")

    return SafeFetcher()


@dataclass(frozen=True)
class PdfResult:
    """The PDF bytes, every resource the fetcher refused while rendering, every project
    file it read (URL, SHA-256 of the bytes), and what the layout measured of the content
    meant for page 1 (`spill_mm`, `measures`: see `page_one`)."""

    data: bytes
    blocked: tuple[tuple[str, str], ...] = field(default=())
    read: tuple[tuple[str, str], ...] = field(default=())
    spill_mm: float = 0.0
    measures: tuple[tuple[str, float], ...] = field(default=())


# The element that ends what must fit on page 1 (the executive summary), and the margins
# (briefs/_executive.css) below page 1's content and above a later page's, between which
# a spilled part is measured.
PAGE_ONE_END = "summary-end"
FIRST_BOTTOM_MM = 7.0
LATER_TOP_MM = 20.0
# The entries of a list meant for page 1 are `fit-<list>-<n>`; `fit-<list>-end` ends it
# (or a block that is no list).
_FIT_ANCHOR = re.compile(r"fit-([a-z]+)-(\d+|end)")
_MM_PER_PX = 25.4 / 96


def page_one(document: Any) -> tuple[float, tuple[tuple[str, float], ...]]:
    """How many millimetres more page 1 would need to hold what ends at the PAGE_ONE_END
    element (0 when it is on page 1 or absent): what was laid out past page 1 (a page's
    worth for each further page it is on), less the room left below the last `fit-` end
    on page 1. And of each `fit-` list: how many entries it has (`<list>.count`), where it
    ends on page 1 and the mean height of its entries there (`<list>.end`, `<list>.mm`)."""
    spill = 0.0
    tops: dict[str, list[float]] = {}
    measures: dict[str, float] = {}
    for number, page in enumerate(document.pages):
        for name, position in page.anchors.items():
            if name == PAGE_ONE_END and number > 0:
                whole = (number - 1) * page.height * _MM_PER_PX
                spill = whole + position[1] * _MM_PER_PX - LATER_TOP_MM
            match = _FIT_ANCHOR.fullmatch(name)
            if match is None:
                continue
            which, entry = match[1], match[2]
            if entry != "end":
                measures[f"{which}.count"] = measures.get(f"{which}.count", 0) + 1
            if number > 0:
                continue
            y = position[1] * _MM_PER_PX
            if entry == "end":
                measures[f"{which}.end"] = y
            else:
                tops.setdefault(which, []).append(y)
    for which, ys in tops.items():
        end = measures.get(f"{which}.end")
        if end is not None and end > min(ys):
            measures[f"{which}.mm"] = (end - min(ys)) / len(ys)
    if spill > 0:
        ends = [y for name, y in measures.items() if name.endswith(".end")]
        room = document.pages[0].height * _MM_PER_PX - FIRST_BOTTOM_MM - max(ends, default=0)
        spill = max(spill - max(room, 0.0), 1.0)
    return spill, tuple(sorted(measures.items()))


_LINK_SCHEMES = ("http", "https", "mailto")


def _kept_link(link: Any) -> bool:
    """A brief keeps internal links and web/mail links only: no attachment, and no link that
    resolved against the project folder (a relative link in Markdown would otherwise become
    `file:///<build machine path>/...`, leaking the path and pointing at nothing)."""
    kind, target = link[0], link[1]
    if kind == "internal":
        return True
    if kind != "external" or not isinstance(target, str):
        return False
    return target.split(":", 1)[0].lower() in _LINK_SCHEMES if ":" in target else False


def _strip_attachments(document: Any) -> None:
    """Drop `<link rel=attachment>`, `<a rel=attachment>` and links other than web, mail and
    internal ones: a brief embeds no files and links to nothing on the build machine."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if _kept_link(link)]


def _finish(document: Any, pdf: Any) -> None:
    """Complete the PDF/UA tags, then refuse a PDF that would carry embedded files."""
    # pydyf comes with WeasyPrint, which is loaded only when a PDF is rendered.
    import pydyf

    complete_tags(document, pydyf.String)
    names = pdf.catalog.get("Names")
    if names is not None and "EmbeddedFiles" in names:
        raise CxError("a PDF brief would embed files; attachments are never allowed")


def require_fonts() -> str:
    """A fingerprint of the text stack: Pango's version and the fonts fontconfig finds on
    this machine (each font file's path, size and modification time), hashed: a brief laid
    out with another Pango or other fonts has other bytes.
    CxError with none: WeasyPrint lays text out with Pango, which on a machine with no font
    (a slim container) kills the process."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # WeasyPrint's own "no fonts" warning: said below
        # lazy: WeasyPrint takes a second to import; only PDF rendering needs it
        from weasyprint.text.ffi import ffi, fontconfig, pango

    config = ffi.gc(fontconfig.FcInitLoadConfigAndFonts(), fontconfig.FcConfigDestroy)
    fonts = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
    if fonts == ffi.NULL or fonts.nfont == 0:
        raise CxError(
            "the PDF briefs need fonts, and fontconfig finds none on this machine: install"
            " some (Debian: fonts-dejavu-core); 'cxsite build --no-pdf' builds the site"
            " without briefs"
        )
    found = [b"pango %d" % pango.pango_version()]
    name = ffi.new("FcChar8 **")
    for i in range(fonts.nfont):
        if fontconfig.FcPatternGetString(fonts.fonts[i], b"file", 0, name) == 0:  # FcResultMatch
            path = ffi.string(name[0])
            try:
                info = os.stat(path)
            except OSError:
                continue
            found.append(b"%s\0%d\0%d" % (path, info.st_size, info.st_mtime_ns))
    return hashlib.sha256(b"\n".join(sorted(found))).hexdigest()


def render_pdf(html: str, root: Path, memory: Mapping[str, bytes]) -> PdfResult:
    """Render one brief's HTML to PDF bytes, resolving paths against the project root.

    The document's own `<meta name=dcterms.created/modified>` fix the dates, so the bytes
    depend only on the input.
    """
    # lazy: WeasyPrint takes a second to import; only PDF rendering needs it
    from weasyprint import HTML

    # WeasyPrint logs every refused resource and unknown CSS property; refusals become one
    # cxsite error instead, so keep its log lines off the terminal unless logging is set up.
    weasy_log = logging.getLogger("weasyprint")
    if not weasy_log.handlers:
        weasy_log.addHandler(logging.NullHandler())
    fetcher = make_fetcher(root, memory)
    document = HTML(string=html, base_url=project_base_url(root), url_fetcher=fetcher).render(
        pdf_variant=PDF_VARIANT
    )
    _strip_attachments(document)
    data = document.write_pdf(
        pdf_variant=PDF_VARIANT,
        # True: the identifier is a hash of the content, so it is stable for stable input.
        pdf_identifier=True,
        attachments=None,
        custom_metadata=False,
        finisher=_finish,
    )
    spill, measures = page_one(document)
    read = tuple(sorted(fetcher.read.items()))
    return PdfResult(data, tuple(fetcher.blocked), read, spill, measures)


def pdf_date(day: dt.date) -> str:
    """The W3C date-time WeasyPrint reads from `dcterms.created` for a given day."""
    return f"{day.isoformat()}T00:00:00Z"
