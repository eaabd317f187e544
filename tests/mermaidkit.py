"""Run Mermaid's own parser (the npm package, from node) on diagram texts."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "tools" / "mermaid_check.mjs"


def mermaid_parse(texts: list[str]) -> list[dict[str, Any]]:
    """Mermaid's verdict on each text: ok, the diagram's config, title, sections, tasks."""
    node = shutil.which("node")
    assert node, "node is missing: run `make node-deps` (installs nodejs, npm and mermaid)"
    assert (ROOT / "node_modules" / "mermaid").is_dir(), (
        "the npm package mermaid is missing: run `make node-deps`"
    )
    done = subprocess.run(
        [node, str(SCRIPT)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)
