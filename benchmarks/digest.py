"""One SHA-256 per output file of `content/` and a generated N=50 project, to prove a
refactor changes no byte of output.

    python benchmarks/digest.py [--source CHECKOUT] [--n 50] [-o digests.txt]
    diff before.txt after.txt

Each project is copied into a temporary folder (no cache) and built with the real command
line, PDFs included, with a fixed SOURCE_DATE_EPOCH. `--source` picks the checkout whose
`cxsite` package builds (default: this one), so an older commit checked out with
`git worktree add` can be digested by the same script.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from cxsitecmd import cxsite_command  # noqa: E402
from generate import generate  # noqa: E402

EPOCH = "1793750400"  # 2026-11-04, UTC


def build(source: Path, project: Path, site: Path) -> None:
    """Build `project` into `site` with the cxsite package of the checkout `source`."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(
        [*cxsite_command(source), "build", str(project), "-o", str(site), "--quiet"],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"build of {project} failed:\n{done.stdout}{done.stderr}")


def digests(site: Path, label: str) -> list[str]:
    """`sha256  label/path` for every file of a built site, sorted by path."""
    return [
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {label}/{path.relative_to(site)}"
        for path in sorted(site.rglob("*"))
        if path.is_file()
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=HERE.parent, help="checkout to build with")
    parser.add_argument("--n", type=int, default=50, help="scale of the generated project")
    parser.add_argument("-o", "--output", type=Path, help="write the digests here too")
    args = parser.parse_args()
    lines: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        content = work / "content"
        shutil.copytree(
            HERE.parent / "content", content, ignore=shutil.ignore_patterns(".cxsite-cache")
        )
        generated = work / f"n{args.n}"
        generate(args.n, generated)
        for label, project in (("content", content), (f"n{args.n}", generated)):
            site = work / f"site-{label}"
            build(args.source.resolve(), project, site)
            lines += digests(site, label)
    text = "".join(f"{line}\n" for line in lines)
    sys.stdout.write(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
