"""The message catalogues: every interface text by dotted key, per shipped language.

Each language is a folder of Babel `.po` files under `locale/` (one file per area of the
interface); a message's `msgid` is its key (`phase.before`, `nav.journeys`) and its
`msgstr` the text. A text may name parameters and other messages in braces: `{n}` is a
parameter given by the caller, `{customers}` the text of the message `customers` (so a
project that calls its customers patients says so once), `{Customers}` the same with a
capital first letter. Counted messages have one key per CLDR plural category
(`count.responses.one`, `count.responses.other`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGES: tuple[str, ...] = ("en", "de", "fr")
DEFAULT_LANGUAGE = "en"
# A BCP 47 language tag as a page's `lang` can carry it (`es`, `pt-BR`, `zh-Hant-TW`), with
# `_` taken for `-` as locale names write it: never a path or a POSIX locale (`C`, `es.UTF-8`).
_TAG = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
_PLACEHOLDER = re.compile(r"\{([A-Za-z][A-Za-z0-9_.-]*)\}")
# A label naming a label naming a label...: the braces are kept from this depth on.
_MAX_DEPTH = 4
# The longest a label may be once the labels it names are filled in: as long as any text a
# YAML value may hold (MAX_TEXT in model/fields.py), some hundred times the longest message
# of the catalogues. Each level of braces multiplies the one below (ten `{b}` in `a`, ten
# `{c}` in `b`...), so without a bound four levels of a 10,000-character file make gigabytes.
MAX_FILLED = 10_000


def shipped_language(tag: str) -> str | None:
    """The shipped language for a BCP 47 tag (`de-CH` -> `de`), or None."""
    primary = re.split(r"[-_]", tag.strip(), maxsplit=1)[0].lower()
    return primary if primary in LANGUAGES else None


@functools.cache
def text_locale(tag: str) -> str | None:
    """The CLDR locale whose dates, numbers and plural forms a project in language `tag`
    shows: a shipped language's own (`de-CH` -> `de`, as its catalogue is written), else the
    tag's (`pt-BR` -> `pt_BR`: English words under the project's labels, SPEC 8.12); None
    when CLDR knows no such language."""
    shipped = shipped_language(tag)
    if shipped is not None:
        return shipped
    if not _TAG.fullmatch(tag):
        return None
    # Babel is imported here, not at start-up: only a language cxsite does not ship needs it.
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(tag.strip().replace("-", "_")))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


@functools.cache
def label_keys(tag: str) -> frozenset[str]:
    """Every key a project in language `tag` may label: each message, and each counted
    message in every plural form of the language (`count.personas.few` in Polish)."""
    keys = set(message_keys())
    locale = text_locale(tag)
    if locale is not None:
        from babel import Locale  # lazy, as above

        forms = Locale.parse(locale).plural_form.tags
        # a counted message has `.one` and `.other` (`channel.other` is a channel's name)
        ones = {k.removesuffix("one") for k in keys if k.endswith(".one")}
        for base in ones & {k.removesuffix("other") for k in keys if k.endswith(".other")}:
            keys.update(f"{base}{form}" for form in forms)
    return frozenset(keys)


@functools.cache
def shipped_texts(language: str) -> Mapping[str, str]:
    """Key -> text of one shipped language, read from its `.po` files (package data)."""
    # Babel is imported here, not at start-up: only commands that render text need it.
    from babel.messages.pofile import read_po

    texts: dict[str, str] = {}
    for path in sorted((LOCALE_DIR / language).glob("*.po")):
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        for message in catalog:
            if message.id and isinstance(message.id, str):
                texts[message.id] = message.string
    return texts


# The site sections named by an entity's plural term (`term.journeys`), not `nav.<section>`.
TERM_SECTIONS = ("personas", "journeys", "touchpoints", "metrics")


def section_key(section: str) -> str:
    """The message naming a site section: `term.journeys` for an entity, else `nav.<section>`."""
    return f"term.{section}" if section in TERM_SECTIONS else f"nav.{section}"


def message_keys() -> tuple[str, ...]:
    """Every message key, in order (the English catalogue is the reference)."""
    return tuple(sorted(shipped_texts(DEFAULT_LANGUAGE)))


_ID_LIKE = re.compile(r"[a-z0-9_-]+")  # a whole value like this is an id, not words
_WORDS = {"sms": "SMS", "nps": "NPS", "csat": "CSAT", "ces": "CES", "clv": "CLV"}


def id_words(value: str) -> str:
    """A vocabulary word for people: `mobile-app` -> "Mobile app", `sms` -> "SMS"; a name
    the project wrote as words (a channel `ATM lobby`) stays as written."""
    text = str(value)
    if not _ID_LIKE.fullmatch(text):
        return text
    return _WORDS.get(text, text.replace("-", " ").replace("_", " ").capitalize())


class Messages:
    """The interface text of one project: its language's catalogue under its `labels`."""

    def __init__(self, language: str = DEFAULT_LANGUAGE, labels: Mapping[str, str] | None = None):
        self._tag = language
        self.language = shipped_language(language) or DEFAULT_LANGUAGE  # its catalogue
        self.locale = text_locale(language) or DEFAULT_LANGUAGE  # dates, numbers, plurals
        self._texts = shipped_texts(self.language)
        self._labels = dict(labels or {})
        # A page asks for the same few hundred messages again and again: each one without
        # parameters is filled once (key, escaped) -> text.
        self._filled: dict[tuple[str, bool], str] = {}
        self._split: dict[str, list[str]] = {}  # message text -> `_PLACEHOLDER.split` of it
        self._lengths: dict[tuple[str, int], int] = {}  # (key, depth) -> length filled
        self._plural_rule: Any = None

    def raw(self, key: str) -> str:
        """A message before its braces are filled: the project's label, else the catalogue's."""
        found = self._labels.get(key)
        if found is None:
            found = self._texts.get(key)
        if found is None:
            raise KeyError(f"no interface message {key!r} in the catalogue")
        return found

    def _parts(self, text: str) -> list[str]:
        """Literal text and placeholder names of a message text, in turn."""
        parts = self._split.get(text)
        if parts is None:
            parts = self._split[text] = _PLACEHOLDER.split(text)
        return parts

    def _length(self, key: str, depth: int) -> int:
        """How long the message `key` is filled at `depth` (without parameters), counted
        without making the text: a label bomb is measured, never built."""
        found = self._lengths.get((key, depth))
        if found is None:
            parts = self._parts(self.raw(key))
            found = sum(len(part) for part in parts[::2])
            for name in parts[1::2]:
                inner = name[0].lower() + name[1:]
                if depth >= _MAX_DEPTH or not self.has(inner):
                    found += len(name) + 2  # kept in braces
                else:
                    found += self._length(inner, depth + 1)  # capitalised: about as long
            self._lengths[(key, depth)] = found
        return found

    def filled_length(self, key: str) -> int:
        """The most characters the message `key` takes filled in, wherever it is used (on
        its own, or inside another message, where fewer levels of braces are left)."""
        return max(self._length(key, depth) for depth in range(_MAX_DEPTH + 1))

    def _fill(self, text: str, params: Mapping[str, object], esc: bool, depth: int) -> str:
        parts = self._parts(text)
        out = []
        for index, part in enumerate(parts):
            if not index % 2:
                out.append(str(escape(part)) if esc else part)
            elif part in params:
                value = params[part]
                out.append(str(escape(value)) if esc else str(value))
            else:
                out.append(self._nested(part, esc, depth))
        return "".join(out)

    def _nested(self, name: str, esc: bool, depth: int) -> str:
        """`{name}` filled with the message `name` (capitalised if `name` is), else as is."""
        key = name[0].lower() + name[1:]
        if depth >= _MAX_DEPTH or not self.has(key) or self._length(key, depth + 1) > MAX_FILLED:
            return "{" + name + "}"  # validation reports a label longer filled (E204)
        filled = self._fill(self.raw(key), {}, esc, depth + 1)
        return filled[:1].upper() + filled[1:] if name != key else filled

    def _message(self, key: str, params: Mapping[str, object], esc: bool) -> str:
        # A label too long filled in keeps its braces (validation reports it, E204): the
        # text is never made, whichever command skips validation.
        depth = _MAX_DEPTH if key in self._labels and self._length(key, 0) > MAX_FILLED else 0
        if params:
            return self._fill(self.raw(key), params, esc, depth)
        found = self._filled.get((key, esc))
        if found is None:
            found = self._filled[(key, esc)] = self._fill(self.raw(key), params, esc, depth)
        return found

    def text(self, key: str, **params: object) -> str:
        """The plain text of a message, its braces filled (for charts, search, PDFs' metadata)."""
        return self._message(key, params, False)

    def markup(self, key: str, **params: object) -> Markup:
        """A message as safe HTML: its own text and every parameter escaped."""
        return Markup(self._message(key, params, True))

    def plural_key(self, key: str, n: float) -> str:
        """The key of the plural form of `key` for the count `n` (CLDR categories)."""
        if self._plural_rule is None:
            # Babel is imported here, not at start-up: only commands that render text need it.
            from babel import Locale

            self._plural_rule = Locale.parse(self.locale).plural_form
        form = self._plural_rule(abs(n))
        wanted = f"{key}.{form}"
        return wanted if wanted in self._labels or wanted in self._texts else f"{key}.other"

    def plural(self, key: str, n: float, **params: object) -> str:
        """The plain text of a counted message, `{n}` filled with the count."""
        return self.text(self.plural_key(key, n), n=params.pop("count", n), **params)

    def plural_markup(self, key: str, n: float, **params: object) -> Markup:
        """A counted message as safe HTML."""
        return self.markup(self.plural_key(key, n), n=params.pop("count", n), **params)

    def number(self, text: str) -> str:
        """A number written the English way (`1,234.5`) with the language's separators."""
        if self.locale == DEFAULT_LANGUAGE:
            return text
        # Babel is imported here, not at start-up: only commands that render text need it.
        from babel.numbers import get_decimal_symbol, get_group_symbol

        table = str.maketrans(
            {",": get_group_symbol(self.locale), ".": get_decimal_symbol(self.locale)}
        )
        return text.translate(table)

    def date(self, day: dt.date, form: str = "long") -> str:
        """A date in the language: `long` (5 April 2026), `short` (5 Apr 2026), `month`
        (Apr 2026) or `month_long` (April 2026); the patterns are messages too."""
        # Babel is imported here, not at start-up: only commands that render text need it.
        from babel.dates import format_date

        return format_date(day, self.text(f"format.date.{form}"), locale=self.locale)

    def has(self, key: str) -> bool:
        """Whether `key` is a message (of the catalogue, or a project's label of its own
        channel, `channel.kiosk`)."""
        return key in self._texts or key in self._labels

    def listing(self) -> list[tuple[str, str]]:
        """Every key a label may set with its current text (labels applied, braces left as
        written); a plural form the catalogue lacks shows the `.other` text it falls back to."""
        return [(key, self._shown(key)) for key in sorted(label_keys(self._tag))]

    def _shown(self, key: str) -> str:
        if key in self._labels or key in self._texts:
            return self.raw(key)
        return self.raw(f"{key.rsplit('.', 1)[0]}.other")  # a plural form with no text
