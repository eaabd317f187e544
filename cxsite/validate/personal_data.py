"""Finding e-mail addresses and phone numbers in free text: lint rule W511, masking comments.

Phone numbers are the hard part: years, prices, dates, times, ranges and order numbers
are also runs of digits, so a run only counts as a phone number when its shape says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Bounded like real addresses (RFC 5321: 64-character local part, 63-character labels), so
# a long run of letters without an `@` is scanned in linear time, not quadratic (a 2 MB
# quote of "aaaa..." would otherwise keep `cxsite check` busy for half an hour).
EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}"
    r"(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}(?![A-Za-z])"
)
# A run of digits with the separators phone numbers use; a leading + or ( is kept.
_DIGIT_RUN = re.compile(r"(?:\+|\(\+?)?\d(?:[\d \u00a0().\-/]*\d)?\)?")
_CURRENCY = "$€£¥₹#"
_ENOUGH_DIGITS = re.compile(r"(?:\d\D*){8}")  # eight digits, anywhere in the text
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
_YEAR = re.compile(r"(?:19|20)\d\d")


def _is_phone(run: str) -> bool:
    digits = sum(c.isdigit() for c in run)
    if digits > 15 or _DATE.search(run):
        return False
    groups = [g for g in re.split(r"[^\d]+", run) if g]
    if run.startswith(("+", "(+")):
        return digits >= 8
    if digits < 9:
        return False
    if len(groups) == 1:
        # A bare run of digits is an order or account number, unless it is dialled like
        # a national number (leading 0) or is exactly ten digits after "tel"-like context.
        return run.startswith("0") and digits >= 10
    if all(_YEAR.fullmatch(g) for g in groups):
        return False  # a list of years such as "2024 2025 2026"
    # Phone numbers come in small groups (555 123 4567, 06 12 34 56 78).
    return all(len(g) <= 4 for g in groups) or (groups[0].startswith("0") and len(groups) >= 2)


def _phones(masked: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, run) of each phone number in text whose e-mail addresses are blanked."""
    for match in _DIGIT_RUN.finditer(masked):
        run = match.group(0).strip(" \u00a0.-/")
        start = match.start()
        before = masked[start - 1] if start else ""
        if before and (before in _CURRENCY or before.isalnum() or before in ".,"):
            continue  # a price, an order "#123", or digits glued to a word or a decimal
        end = match.end()
        after = masked[end : end + 1]
        if after and (after.isalnum() or after == "%"):
            continue
        if _is_phone(run):
            at = start + match.group(0).index(run)
            yield at, at + len(run), run


def find_personal_data(text: str) -> Iterator[tuple[str, str]]:
    """Yield ("e-mail address" | "phone number", the match) for each one found in text."""
    masked = text
    if "@" in text:  # no address without one (most texts: the e-mail pattern is not run)
        for match in EMAIL.finditer(text):
            yield "e-mail address", match.group(0)
        masked = EMAIL.sub(lambda m: " " * len(m.group(0)), text)
    if _ENOUGH_DIGITS.search(masked) is None:
        return  # a phone number has eight digits at least (most texts have none)
    for _, _, run in _phones(masked):
        yield "phone number", run


def mask_personal_data(text: str) -> str:
    """`text` with each e-mail address replaced by `[email]` and phone number by `[phone]`."""
    spans = [(m.start(), m.end(), "[email]") for m in EMAIL.finditer(text)]
    if not spans and not any(c.isdigit() for c in text):
        return text
    masked = EMAIL.sub(lambda m: " " * len(m.group(0)), text)
    spans += [(start, end, "[phone]") for start, end, _ in _phones(masked)]
    parts, last = [], 0
    for start, end, word in sorted(spans):
        parts += [text[last:start], word]
        last = end
    return "".join([*parts, text[last:]])
