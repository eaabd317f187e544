"""`cxsite labels`: every interface message key with the text a project shows for it."""

from __future__ import annotations

from pathlib import Path

from cxsite.commands.check import kept_validation
from cxsite.session import Session
from cxsite.validate.project import require_valid


def label_lines(root: Path) -> list[str]:
    """`key<TAB>text` per message, in key order, for the project's language and labels."""
    session = Session()
    kept_validation(root, session)
    result = require_valid(root, strict=False, session=session)
    assert result.project is not None
    messages = result.project.config.messages
    return [f"{key}\t{text}" for key, text in messages.listing()]
