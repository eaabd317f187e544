"""The inert stand-ins a partial model (validate/partial.py) gives a required key that is
missing or was dropped, so that the rest of its file, or of its list item, is still read.

A stand-in is never shown: the file's errors are already recorded, and its place is a gap,
so lint stays silent about it (and a message never names it).
"""

from __future__ import annotations

from typing import Any

# Required top-level keys: (a value that validates, the value the partial entity keeps). The
# kept value reads as "nothing here" to every check: no references, a built-in channel, and
# `ces`, the one metric kind no model rule objects to (a metric's data is not read without
# its own kind, see project.py). A required key without a stand-in leaves the file unread.
TOP_LEVEL: dict[str, tuple[Any, Any]] = {
    "name": ("-", "-"),
    "role": ("-", "-"),
    "title": ("-", "-"),
    "channel": ("other", "other"),
    "phase": ("during", "during"),
    "kind": ("ces", "ces"),
    "method": ("other", "other"),
    "personas": (["-"], []),
    "stages": ([{"name": "-"}], []),
    # Keys a rule needs (`rule_error(..., needs=...)`); a gap keeps lint off them.
    "category": ("operational", "operational"),
    "higher_is_better": (True, True),
    "date": ("2000-01-01", None),  # a study's, when its 'start' and 'end' could not be read
}

# Required keys of list items and nested mappings, by their model: the value that validates
# (and is kept). An item missing one is read with it, so its references and the rest of it
# are still checked; an item missing a key without a stand-in is left out whole.
ITEMS: dict[str, dict[str, Any]] = {
    "Stage": {"name": "-"},
    "PainPoint": {"text": "-"},
    "Opportunity": {"text": "-"},
    "Brief": {"id": "x", "kind": "executive"},
    "PeriodValue": {"value": 0},  # a partial metric's series is checked, never shown
    "Evidence": {"source": "-"},
    "Responses": {"file": "-"},  # read as a CSV's name; the data is not read without its own
}

# Item keys the item's own rules read, with the keys those rules are about (None: all of
# them): while one is a stand-in, those rules say nothing (a brief's rules all depend on its
# kind; of a survey export's, those that tell a spreadsheet from a CSV by its file name).
READ_BY_RULES: dict[tuple[str, str], frozenset[str] | None] = {
    ("Brief", "kind"): None,
    ("Responses", "file"): frozenset({"sheet", "delimiter", "encoding"}),
}


def item_stand_in(model: Any, key: Any) -> tuple[bool, Any]:
    """Whether an item of `model` (a pydantic model class or None) missing `key` gets a
    stand-in, and its value."""
    values = ITEMS.get(getattr(model, "__name__", ""), {})
    return (key in values, values.get(key))
