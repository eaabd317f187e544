"""Jinja: the template environment (theme loader chain, filters) and page rendering.

Content is never compiled as a template: YAML values only ever reach templates as data,
autoescaped, and Markdown only through the sanitising `md` / `md_inline` filters.
"""

from __future__ import annotations

import functools
import itertools
import math
import posixpath
import types
from typing import TYPE_CHECKING, Any

import jinja2
from jinja2 import nodes
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment
from jinja2.utils import missing
from markupsafe import Markup

from cxsite.analysis.formats import (
    gap_text,
    interval_text,
    metric_delta,
    metric_number,
    p_text,
    percent_number,
    trend_text,
    unit_label,
    verdict_text,
)
from cxsite.analysis.journeys import emotion_word
from cxsite.analysis.scores import health_order
from cxsite.analysis.touchpoints import quadrant_name
from cxsite.analysis.types import EmotionCurve
from cxsite.charts import keys as charts
from cxsite.i18n.bidi import isolate
from cxsite.i18n.catalogue import Messages, id_words
from cxsite.model import MECHANICS, Persona, Project
from cxsite.model.research import confidence_of
from cxsite.render.evidence import assumed_stages, emotion_runs
from cxsite.render.htmlbits import (
    avatar_colour,
    emotion_class,
    initials,
    trend_arrow,
    trend_class,
)
from cxsite.render.markup import plain_text, render_inline, render_md
from cxsite.render.theme import loader
from cxsite.session import Session
from cxsite.site.context import asset_path, existing_file

if TYPE_CHECKING:
    pass


def fmt_number(value: float | int | None, digits: int = 1) -> str:
    """A number for people: no trailing `.0`, thousands separated, `–` for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    rounded = round(float(value), digits)
    if rounded == int(rounded):
        return f"{int(rounded):,}"
    return f"{rounded:,.{digits}f}".rstrip("0").rstrip(".")


def fmt_signed(value: float | int | None, digits: int = 1) -> str:
    """A number with an explicit sign (`+1.5`, `−2`), for emotions and deltas."""
    if value is None:
        return "–"
    text = fmt_number(abs(value), digits)
    if round(float(value), digits) > 0:
        return "+" + text
    if round(float(value), digits) < 0:
        return "−" + text
    return text


def fmt_percent(value: float | None, digits: int = 0) -> str:
    """A share 0..1 as a percentage, rounded as the charts round it (halves away from zero)."""
    if value is None:
        return "–"
    return percent_number(value, digits) + " %"


def fmt_quantity(
    value: float | int | None, unit: str, digits: int = 1, messages: Messages | None = None
) -> str:
    """A value with its unit, as the site and the briefs show it: `44.4 pts`, `86.4 %`."""
    words = messages or Messages()
    label = unit_label(unit, words)
    text = words.number(fmt_number(value, digits))
    return f"{text} {label}" if label and value is not None else text


def fmt_metric(value: float | None, unit: str, kind: str, messages: Messages | None = None) -> str:
    """A metric's value with its unit, by the kind's rule (SPEC 8.13): `44 pts`, `86.4 %`."""
    words = messages or Messages()
    label = unit_label(unit, words)
    text = words.number(metric_number(value, kind))
    return f"{text} {label}" if label and value is not None else text


def _plain_path(path: str) -> bool:
    """Whether `path` is relative and already normal (no empty, `.` or `..` segment)."""
    return not any(part in ("", ".", "..") for part in path.split("/"))


@functools.lru_cache(maxsize=65536)
def _relative(target: str, base: str) -> str:
    """The link to `target` from a page in the folder `base` (every page of a folder shares
    the remembered answers)."""
    anchor = ""
    if "#" in target:
        target, anchor = target.split("#", 1)
        anchor = "#" + anchor
    if not target:
        return anchor
    if not (_plain_path(target) and (not base or _plain_path(base))):
        return posixpath.relpath(target, base or ".") + anchor
    # Both normal and relative: what `posixpath.relpath` gives, without its abspath calls.
    up = base.split("/") if base else []
    down = target.split("/")
    common = 0
    while common < min(len(up), len(down)) and up[common] == down[common]:
        common += 1
    return ("/".join([".."] * (len(up) - common) + down[common:]) or ".") + anchor


@jinja2.pass_context
def _url(ctx: jinja2.runtime.Context, target: str) -> str:
    """A link from the page being rendered (`page_path`) to `target`, relative to the file."""
    # resolve_or_missing, not get: `get` raises and catches a KeyError for the absent link_base
    absolute = ctx.resolve_or_missing("link_base")
    if absolute is not missing and absolute:
        # the 404 page, served at any depth, links through base_url when set
        return absolute + target
    page = ctx.resolve_or_missing("page_path")
    if page is missing or not page:
        page = "index.html"
    return _relative(target, posixpath.dirname(page))


def bdi(value: object) -> Markup:
    """A value the user wrote, isolated from the text around it (`<bdi>`, escaped): an Arabic
    or Hebrew name does not reorder the interface words, numbers and separators beside it."""
    return Markup("<bdi>{}</bdi>").format(value)


def safe_url(value: str | None) -> str | None:
    """A URL from content if it is http(s) or mailto, else None (never `javascript:`)."""
    if not value:
        return None
    text = str(value).strip()
    scheme = text.split(":", 1)[0].lower() if ":" in text else ""
    if scheme in ("http", "https", "mailto") and not any(c in text for c in "\x00\n\r\t"):
        return text
    return None


def emotion_segments(curve: EmotionCurve) -> list[list[tuple[int, float]]]:
    """The recorded points of an emotion curve as runs of consecutive stages (gaps break)."""
    segments: list[list[tuple[int, float]]] = [[]]
    for stage in curve.stages:
        if stage.emotion is None:
            segments.append([])
        else:
            segments[-1].append((stage.index, stage.emotion))
    return [seg for seg in segments if seg]


def value_runs(values: tuple[float | None, ...]) -> list[list[tuple[int, float]]]:
    """The recorded values of one persona's curve as runs of consecutive stages."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, value in enumerate(values):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


# Objects whose attribute verdict `is_internal_attribute` works out from the object itself
# (functions, methods, classes, code, frames, generators...): never remembered.
_JUDGED_BY_OBJECT = (
    types.FunctionType,
    types.MethodType,
    types.BuiltinFunctionType,
    type,
    types.CodeType,
    types.TracebackType,
    types.FrameType,
    types.GeneratorType,
    types.CoroutineType,
    types.AsyncGeneratorType,
)


# What Jinja's sandbox checks for `str.format` in every attribute it reads.
_METHODS = (types.MethodType, types.BuiltinMethodType)


class _CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates kept in this process, by template file and source checksum (Jinja
    checks both), so `serve` does not compile the theme again on every rebuild; apart for
    the sandbox (`kind`), whose compiled code calls through the environment."""

    def __init__(self, code: dict[str, tuple[str, bytes]], kind: str) -> None:
        self._code, self._kind = code, kind

    def load_bytecode(self, bucket: Any) -> None:
        """Give `bucket` the code compiled earlier from the same source, if any."""
        found = self._code.get(f"{self._kind}:{bucket.key}")
        if found is not None and found[0] == bucket.checksum:
            bucket.bytecode_from_string(found[1])

    def dump_bytecode(self, bucket: Any) -> None:
        """Keep what Jinja just compiled."""
        self._code[f"{self._kind}:{bucket.key}"] = (bucket.checksum, bucket.bytecode_to_string())


class _Compiler(CodeGenerator):
    """Jinja's compiler, writing only template text into the compiled code as it is.

    Jinja calls a filter whose arguments are constants while it compiles, and writes the
    result into the code (`'validated'|term('confidence')` -> "Validated"; its optimizer,
    off here, does the same elsewhere). cxsite's filters read the project (its language,
    labels, entities), but compiled code is kept by template source alone (`serve`, the
    cache): it must hold no word of the project it was first compiled for."""

    def _output_child_to_const(self, node: nodes.Expr, frame: Any, finalize: Any) -> str:
        if not isinstance(node, nodes.TemplateData):
            raise nodes.Impossible()  # evaluated when the page renders
        return super()._output_child_to_const(node, frame, finalize)


class _Environment(jinja2.Environment):
    code_generator_class = _Compiler


class _Sandbox(SandboxedEnvironment):
    """The sandbox (compiled as `_Compiler` compiles), with its attribute verdicts
    remembered per (type, attribute name).

    Jinja's verdict for any other object depends only on the name and on `isinstance` checks
    against the types above, which a type answers the same way for all its instances (unless
    an instance reports another `__class__`: those are judged afresh every time).
    """

    code_generator_class = _Compiler

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._verdicts: dict[tuple[type, str], bool] = {}

    def getattr(self, obj: Any, attribute: str) -> Any:
        """Jinja's `getattr`, less its check for a `str.format` method on values that are no
        method at all (most reads: fields, numbers, strings, lists); methods and attributes
        that are not there take Jinja's own way."""
        try:
            value = getattr(obj, attribute)
        except AttributeError:
            return super().getattr(obj, attribute)
        if isinstance(value, _METHODS):
            return super().getattr(obj, attribute)
        if self.is_safe_attribute(obj, attribute, value):
            return value
        return self.unsafe_undefined(obj, attribute)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Jinja's verdict, remembered for ordinary objects and plain string names."""
        cls = type(obj)
        if type(attr) is not str or obj.__class__ is not cls:
            return super().is_safe_attribute(obj, attr, value)
        key = (cls, attr)
        found = self._verdicts.get(key)
        if found is None:
            found = super().is_safe_attribute(obj, attr, value)
            if not issubclass(cls, _JUDGED_BY_OBJECT):
                self._verdicts[key] = found
        return found


def environment(project: Project, session: Session | None = None) -> jinja2.Environment:
    """The Jinja environment for the project's theme, shared by site pages and PDF briefs.

    The session keeps compiled templates and Markdown conversions for the next build."""
    session = session or Session()
    memo = session.markdown
    templates, untrusted = loader(project)
    # Sandboxed when the project brings templates of its own: theme overrides arrive through
    # pull requests like content, and a template must not reach Python internals
    # (`cycler.__init__.__globals__.os`) on the build machine. cxsite's own theme is its
    # code, and renders about a fifth faster outside the sandbox.
    kind = _Sandbox if untrusted else _Environment
    env = kind(
        loader=templates,
        # one environment per build: a template cannot change while it renders, so its
        # file is not checked again for every page (a stat per template per page)
        auto_reload=False,
        optimized=False,  # no folding of constants while compiling (see _Compiler)
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.do", "jinja2.ext.i18n"],
        bytecode_cache=_CompiledTemplates(session.templates, kind.__name__),
    )
    config = project.config
    messages = config.messages
    # `_('key', name=value)` and `ngettext('key', n)`: catalogue text under the project's
    # labels, escaped with its parameters (old-style: no `%` formatting on top).
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=messages.markup, ngettext=messages.plural_markup, newstyle=False
    )
    # `_` straight to the messages: the extension's alias looks `gettext` up on every call
    # (three calls through the sandbox per message, a few hundred messages a page).
    env.globals["_"] = messages.markup

    def emotion_text(value: float | None) -> str:
        # Rounded as emotion_class colours it and as the chart descriptions word it.
        return messages.text("emotion.none") if value is None else emotion_word(config, value)

    def term(value: str, kind: str) -> str:
        # A vocabulary word (`channel.mobile-app`); a project's own id reads as words.
        key = f"{kind}.{value}"
        return messages.text(key) if messages.has(key) else id_words(value)

    def localised(format_number: Any) -> Any:
        return lambda *args, **kwargs: messages.number(format_number(*args, **kwargs))

    def tp_name(tid: str) -> str:
        tp = project.touchpoints.get(tid)
        return tp.name if tp else tid

    # A metric's value among all answers, its target...: the same few thousand values come back
    # on page after page, so each is formatted once per environment (plain numbers only).
    metric_texts: dict[tuple[type, float, str, str], str] = {}

    def metric_quantity(value: Any, unit: Any, kind: Any) -> str:
        if type(value) not in (int, float) or type(unit) is not str or type(kind) is not str:
            return fmt_metric(value, unit, kind, messages)
        key = (type(value), value, unit, kind)  # 1 and 1.0 are equal keys otherwise
        text = metric_texts.get(key)
        if text is None:
            text = metric_texts[key] = fmt_metric(value, unit, kind, messages)
        return text

    def persona_photo(persona: Persona) -> str | None:
        # The same rule the build uses to copy photos: only existing files in the project.
        if persona.photo and existing_file(project.root, persona.photo):
            return asset_path(persona.photo)
        return None

    env.filters.update(
        tp_name=tp_name,
        bdi=bdi,
        isolate=isolate,
        safe_url=safe_url,
        emotion_class=emotion_class,
        md=lambda text: render_md(text, memo),
        md_inline=lambda text: render_inline(text, memo),
        plain=lambda text: plain_text(text, memo),
        number=localised(fmt_number),
        signed=localised(fmt_signed),
        percent=localised(fmt_percent),
        quantity=functools.partial(fmt_quantity, messages=messages),
        metric=localised(metric_number),
        metric_quantity=metric_quantity,
        metric_delta=localised(metric_delta),
        words=id_words,
        term=term,
        date=messages.date,
        emotion_word=emotion_text,
        confidence=confidence_of,
        quadrant_name=functools.partial(quadrant_name, messages=messages),
        zip_pairs=lambda seq: list(itertools.pairwise(seq)),
    )
    env.tests["contains"] = lambda seq, item: item in seq
    env.globals.update(
        url=_url,
        config=config,
        persona_photo=persona_photo,
        initials=initials,
        trend_arrow=trend_arrow,
        trend_class=trend_class,
        trend_text=functools.partial(trend_text, messages=messages),
        verdict_text=functools.partial(verdict_text, messages=messages),
        interval_text=functools.partial(interval_text, messages=messages),
        gap_text=functools.partial(gap_text, messages=messages),
        p_text=functools.partial(p_text, messages=messages),
        avatar_colour=avatar_colour,
        emotion_segments=emotion_segments,
        value_runs=value_runs,
        compare_chart=charts.compare_chart_key,
        unit_label=functools.partial(unit_label, messages=messages),
        journey_chart=charts.journey_chart_key,
        changes_chart=charts.changes_chart_key,
        metric_chart=charts.metric_trend_key,
        metric_nps_chart=charts.metric_composition_key,
        metric_spark_chart=charts.metric_sparkline_key,
        ipa_chart=charts.ipa_chart_key,
        insight_chart=lambda name: f"charts/{name}.svg",
        mechanic_names=MECHANICS,
        assumed_stages=assumed_stages,
        emotion_runs=emotion_runs,
        health_order=health_order,
    )
    return env
