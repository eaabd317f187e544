"""Validation of one file on its own (phase 1): its model, its problems and, for a file
with schema errors, its partial model (SPEC 8.14), remembered by the session while the
file's bytes stay the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from cxsite.load.discover import EntityFile
from cxsite.load.reader import Loaded, Marks, load_yaml, load_yaml_bytes, position
from cxsite.model import KINDS
from cxsite.problems import Problem
from cxsite.session import Memo, Session
from cxsite.validate.partial import Partial, best_effort
from cxsite.validate.schema_errors import model_problems


@dataclass(frozen=True)
class FileRead:
    """A file's model as the cross-file checks see it: whole, or partial (validate/partial.py)."""

    entity: Any
    rel: str
    marks: Marks
    partial: bool = False
    gaps: frozenset[tuple[Any, ...]] = frozenset()


def read_file_model(
    model: type[BaseModel],
    loaded: Any,
    rel: str,
    memo: Memo[Any, Any],
    entity_id: str | None = None,
) -> tuple[FileRead | None, list[Problem]]:
    """`_validate` of a parsed file, remembered in `memo` (a session's `validated`, by model,
    file and id, with the parsed file it came from) while the file's bytes stay the same:
    load_yaml returns the very same `Loaded` object for unchanged bytes. Models are frozen.
    A file with schema errors has no model there (None), only its partial model."""
    key = (model.__name__, rel, entity_id)
    found = memo.get(key)
    if found is None or found[0] is not loaded:
        found = memo.put(
            key, (loaded, *_validate(model, loaded.data, rel, loaded.marks, entity_id))
        )
    _, entity, problems, partial = found
    if entity is not None:
        return FileRead(entity, rel, loaded.marks), list(problems)
    if partial is not None and partial.entity is not None:
        return FileRead(partial.entity, rel, partial.marks, True, partial.gaps), list(problems)
    return None, list(problems)


def _validate(
    model: type[BaseModel], data: Any, rel: str, marks: Marks, entity_id: str | None = None
) -> tuple[Any, list[Problem], Partial | None]:
    """The model instance (or None), the problems of one file's data, and the partial model
    of a file with schema errors (None if it has none or none can be made)."""
    problems: list[Problem] = []
    if entity_id is not None:
        if "id" in data:
            line, col = position(marks, ("id",))
            message = "unknown key 'id' (the id comes from the file name)"
            problems.append(Problem(rel, line, col, "error", "E201", message))
        data = {**{k: v for k, v in data.items() if k != "id"}, "id": entity_id}
    try:
        return model.model_validate(data), problems, None
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        problems += model_problems(errors, model, data, rel, marks)
        partial = best_effort(model, data, errors, rel, marks)
        return None, problems + list(partial.problems), partial


def read_entity_file(
    entity_file: EntityFile, session: Session, text: str | None = None
) -> tuple[Loaded | None, FileRead | None, list[Problem]]:
    """One entity file parsed (`load_yaml`) and checked against its kind's model, both
    remembered in the session; the parsed file, its model as read, and their problems.
    With `text`, the file as it is about to be written is read instead (never remembered)."""
    if text is not None:
        loaded, problems = load_yaml_bytes(
            text.encode("utf-8"), entity_file.rel, despite_duplicates=True
        )
    else:
        loaded, problems = load_yaml(
            entity_file.path,
            entity_file.rel,
            session.parsed,
            session.digests,
            despite_duplicates=True,
        )
    if loaded is None:
        return None, None, problems
    model = KINDS[entity_file.kind]
    read, found = read_file_model(model, loaded, entity_file.rel, session.validated, entity_file.id)
    return loaded, read, problems + found
