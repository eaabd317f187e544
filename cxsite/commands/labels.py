"""`cxsite labels`: every interface message key with the text a project shows for it."""

from __future__ import annotations

from pathlib import Path

from cxsite.commands.check import kept_validation
from cxsite.i18n.catalogue import id_words
from cxsite.session import Session
from cxsite.validate.project import require_valid


def label_lines(root: Path) -> list[str]:
    """`key<TAB>text` per message, in key order, for the project's language and labels."""
    session = Session()
    kept_validation(root, session)
    result = require_valid(root, strict=False, session=session)
    assert result.project is not None
    config = result.project.config
    messages = config.messages
    lines = dict(messages.listing())
    for name in config.channels:  # the project's own channels take labels too (SPEC 8.12)
        key = f"channel.{name}"
        lines.setdefault(key, messages.raw(key) if messages.has(key) else id_words(name))
    return [f"{key}\t{text}" for key, text in sorted(lines.items())]
