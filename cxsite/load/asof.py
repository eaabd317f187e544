"""The "as of" date shown on pages and briefs (SPEC section 7), reproducible by design."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cxsite.load.history import head_commit
from cxsite.problems import CxError


def _from_epoch(value: str) -> dt.date | None:
    try:
        return dt.datetime.fromtimestamp(int(value.strip()), tz=dt.UTC).date()
    except (ValueError, OverflowError, OSError):
        return None


def as_of_date(root: Path, head: tuple[str, int] | None = None) -> dt.date:
    """SOURCE_DATE_EPOCH when set, else the project's last git commit date, else today (UTC).

    `head` is `load.history.head_commit(root)` when the caller has it already."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        date = _from_epoch(epoch)
        if date is None:  # a build that silently fell back would not be reproducible
            raise CxError(
                f"SOURCE_DATE_EPOCH is {epoch!r}: it must be a whole number of seconds "
                "since 1970-01-01 (UTC)"
            )
        return date
    head = head or head_commit(Path(root))
    if head is not None:
        date = _from_epoch(str(head[1]))
        if date is not None:
            return date
    return dt.datetime.now(tz=dt.UTC).date()
