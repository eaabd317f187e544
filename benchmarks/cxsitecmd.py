"""The `cxsite` command line of a given checkout, for the benchmark scripts.

`python -c` puts the current folder first on sys.path, ahead of PYTHONPATH, so a script run
from one checkout would build with that checkout's code whatever PYTHONPATH says. The
command therefore puts the chosen checkout first itself.
"""

from __future__ import annotations

import compileall
import json
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def cxsite_command(source: Path = REPO) -> list[str]:
    """`python -c ...` running the cxsite CLI of the checkout `source`.

    The checkout's modules are compiled to bytecode first, as an installed package's are
    (pip compiles at install): with PYTHONDONTWRITEBYTECODE set, as in some sandboxes and
    CI images, every command would otherwise compile every module again (0.1-0.2 s)."""
    compileall.compile_dir(str(Path(source) / "cxsite"), quiet=1)
    code = f"import sys; sys.path.insert(0, {str(Path(source).resolve())!r}); "
    # cxsite.client is the entry point since the build server (older checkouts: cxsite.cli)
    entry = (
        "from cxsite.client import main"
        if (Path(source) / "cxsite/client.py").is_file()
        else "from cxsite.cli import main"
    )
    return [sys.executable, "-c", f"{code}{entry}; main()"]


def serve_status(url: str, deadline: float, timeout: float = 5) -> dict:
    """`cxsite serve`'s live-reload status at `url`, asked again until it answers: the server
    answers only once its first build is done, which takes a while for a large project.
    `timeout`: how long one request may take (a `?since=` request waits for a change)."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                return json.loads(response.read())
        except (TimeoutError, OSError):
            if time.time() > deadline:
                raise
            time.sleep(0.5)
