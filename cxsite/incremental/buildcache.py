"""Incremental builds: skip work whose inputs did not change, never serving stale output.

Two levels, both keyed by content, both persisted in `<project>/.cxsite-cache/`:

- The whole build: a hash of every project file's bytes, the cxsite code and theme files, the
  library versions, the options and the "as of" date. When it matches the last successful
  build into the same output and that output is untouched (every file's size, mtime and inode
  as written), nothing runs at all.
- Each page: while a page renders, the `project`, `analysis` and `charts` it sees are thin
  recording views (see depgraph.py) noting every entity and analysis value the page reads.
  The next build hashes each distinct value read once (a hash of its `repr`), compares with
  the hashes the last build recorded (see pagerecords.py), and re-uses the previous file only
  if the page's own variables match and none of the values it read changed.

Anything unexpected (a corrupted or foreign cache file, a changed output file, a value whose
`repr` is not stable) only ever makes the cache miss: the page is rendered again.
"""

from __future__ import annotations

import functools
import hashlib
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cxsite import __version__
from cxsite.cachefiles import (
    CACHE_DIR,
    digest,
    file_digest,
    file_entry,
    file_stamp,
    read_json,
    read_pickle,
    write_json,
    write_pickle,
)
from cxsite.incremental.pagerecords import PageRecords, records_from_body
from cxsite.session import Memo

FORMAT = 6
_PAGES_HEAD = f"cxsite pages {FORMAT}\n".encode()
_LIBRARIES = ("jinja2", "markdown", "nh3", "markupsafe", "pydantic", "matplotlib", "weasyprint")


def _tree_files(base: Path, skip: set[Path], skip_prefix: str = "\0") -> list[Path] | None:
    """Every regular file under `base`, sorted; None when a symlink or special file makes
    the set of inputs uncertain (then nothing is skipped). Links are never followed, so
    nothing outside the project is read."""
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            path = here / name
            if path in skip or name.startswith(skip_prefix) or name in (".git", CACHE_DIR):
                continue
            if path.is_symlink():
                return None
            keep.append(name)
        dirnames[:] = keep
        for name in sorted(filenames):
            path = here / name
            if path in skip or name.startswith(skip_prefix):
                continue
            try:
                mode = path.lstat().st_mode
            except OSError:
                return None
            if not stat.S_ISREG(mode):
                return None  # a symlink, FIFO or device: never opened
            files.append(path)
    return files


def _hash_files(h: Any, base: Path, files: list[Path], known: Memo[str, Any] | None = None) -> None:
    for path in files:
        size, sha = file_digest(path, known, limit=None)
        rel = path.relative_to(base).as_posix().encode("utf-8", "surrogateescape")
        h.update(len(rel).to_bytes(8, "little") + rel)
        h.update(size.to_bytes(8, "little") + sha)


@functools.lru_cache(maxsize=1)
def tool_key() -> str:
    """What identifies the code that builds: cxsite's source and themes and library versions."""
    # lazy: read once per process, when the tool key is first needed
    from cxsite.resources import library_versions, themes_dir

    h = hashlib.sha256(f"cxsite {__version__} format {FORMAT}".encode())
    for base in (Path(__file__).resolve().parent.parent, themes_dir()):
        files = _tree_files(base, set())
        if files is None:
            return "uncertain-" + os.urandom(16).hex()
        _hash_files(h, base, [f for f in files if "__pycache__" not in f.parts])
    for name, version in library_versions(_LIBRARIES).items():
        h.update(f"{name}={version};".encode())
    return h.hexdigest()


def inputs_key(
    root: Path, out: Path, options: str, known: Memo[str, Any] | None = None
) -> str | None:
    """The hash of everything a build reads, or None when it cannot be known for sure
    (`known`: a session's `digests`, see `cachefiles.file_digest`)."""
    root = root.resolve()
    files = _tree_files(root, {out}, skip_prefix=f".{out.name}.cxsite-")
    if files is None:
        return None
    h = hashlib.sha256(f"{tool_key()}\n{options}\n{out}\n".encode("utf-8", "surrogateescape"))
    try:
        _hash_files(h, root, files, known)
    except OSError:
        return None
    return h.hexdigest()


def output_manifest(out: Path) -> dict[str, list[int]] | None:
    """Size, mtime and inode of every file of an output folder, by site path (plain strings
    for the paths: an output holds thousands of files)."""
    manifest: dict[str, list[int]] = {}
    base = os.fspath(out)
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False):
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                return None
        folder = os.path.relpath(dirpath, base).replace(os.sep, "/")
        prefix = "" if folder == "." else folder + "/"
        for name in filenames:
            entry = file_entry(os.path.join(dirpath, name))
            if entry is None:
                return None
            manifest[prefix + name] = entry
    return manifest


@dataclass
class BuildCache:
    """What the last successful build into one output folder left for the next one.

    Two files: a small one (inputs hash, output manifest, the job digest of each chart in
    the output) read by every build, and the page records, read only when the build goes
    ahead. `written` is the session's record of what this process last wrote (by cache
    file: checksum, stamp, content), so a long-running process (`cxsite serve`) does not
    read back and decode the large files it wrote itself.
    """

    path: Path
    written: dict[Path, Any] = field(default_factory=dict)
    inputs: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)
    manifest: dict[str, list[int]] = field(default_factory=dict)
    charts: dict[str, str] = field(default_factory=dict)
    pages_check: str | None = None
    _records: PageRecords | None = None

    @property
    def pages_path(self) -> Path:
        return self.path.with_name(self.path.name.replace("site-", "pages-", 1)).with_suffix(
            ".pickle"
        )

    @classmethod
    def open(cls, cache_dir: Path, out: Path, written: dict[Path, Any]) -> BuildCache:
        """The cache for output `out`; empty when missing, corrupted or from another version."""
        cache = cls(cache_dir / ("site-" + digest(str(out.resolve()))[:16] + ".json"), written)
        body = read_json(cache.path)
        try:
            if body["format"] != FORMAT or body["version"] != __version__:
                return cls(cache.path, written)
            cache.inputs = body["inputs"]
            cache.summary = dict(body["summary"])
            cache.messages = [str(m) for m in body["messages"]]
            cache.manifest = {str(k): list(v) for k, v in body["manifest"].items()}
            cache.charts = {str(k): str(v) for k, v in body["charts"].items()}
            cache.pages_check = str(body["pages_check"])
        except (KeyError, TypeError, AttributeError, ValueError):
            return cls(cache.path, written)
        return cache

    @property
    def records(self) -> PageRecords:
        """The page records of the last build (empty when their file does not match)."""
        if self._records is None:
            kept = self.written.get(self.pages_path)
            if (
                kept is not None
                and kept[0] == self.pages_check
                and kept[1] == file_stamp(self.pages_path)
            ):
                self._records = kept[2]  # this process wrote them: no need to read them back
                return self._records
            self._records = PageRecords()
            found = read_pickle(self.pages_path, _PAGES_HEAD)
            body = found[0] if found is not None else None
            if isinstance(body, dict) and body.get("check") == self.pages_check is not None:
                self._records = records_from_body(body.get("records"))
        return self._records

    @records.setter
    def records(self, value: PageRecords) -> None:
        self._records = value

    def output_intact(self, out: Path) -> bool:
        """True when the output folder holds exactly the files this cache recorded, untouched."""
        return bool(self.manifest) and output_manifest(out) == self.manifest

    def file_intact(self, out: Path, rel: str) -> bool:
        """True when output file `rel` is as the last build wrote it (size, mtime, inode)."""
        recorded = self.manifest.get(rel)
        return recorded is not None and file_entry(os.path.join(out, rel)) == recorded

    def save(self) -> None:
        """Write the page records, then the small file that vouches for them."""
        self.pages_check = secrets.token_hex(16)  # names this very file for the small one
        body = {"check": self.pages_check, "records": self.records.to_body()}
        write_pickle(self.pages_path, _PAGES_HEAD, body)
        self.written[self.pages_path] = (
            self.pages_check,
            file_stamp(self.pages_path),
            self.records,
        )
        body = {
            "format": FORMAT,
            "version": __version__,
            "inputs": self.inputs,
            "summary": self.summary,
            "messages": self.messages,
            "manifest": self.manifest,
            "charts": self.charts,
            "pages_check": self.pages_check,
        }
        write_json(self.path, body)
