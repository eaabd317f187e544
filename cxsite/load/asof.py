"""The "as of" date shown on pages and briefs (SPEC section 7), reproducible by design."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from pathlib import Path


def _from_epoch(value: str) -> dt.date | None:
    try:
        return dt.datetime.fromtimestamp(int(value.strip()), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        return None


def _last_commit_date(root: Path) -> dt.date | None:
    """The date of the last git commit touching `root`'s repository, or None."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return _from_epoch(result.stdout)


def as_of_date(root: Path) -> dt.date:
    """SOURCE_DATE_EPOCH when set, else the project's last git commit date, else today (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        date = _from_epoch(epoch)
        if date is not None:
            return date
    if Path(root).is_dir():
        date = _last_commit_date(Path(root))
        if date is not None:
            return date
    return dt.datetime.now(tz=dt.UTC).date()
