"""Incremental builds never serve stale output: after every kind of edit, the rebuilt site is
byte for byte the site a clean build (no cache) makes, and only the files whose bytes changed
were rewritten (the others keep their inode and modification time)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from cxsite.cachefiles import CACHE_DIR
from cxsite.commands.build import build_site
from cxsite.resources import example_dir
from cxsite.session import Session


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _stats(out: Path) -> dict[str, tuple[int, int]]:
    return {
        p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in out.rglob("*")
        if p.is_file()
    }


def _copy_project(source: Path, target: Path, *, with_cache: bool) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(CACHE_DIR, "_site"))
    charts = source / CACHE_DIR / "charts"
    if with_cache and charts.is_dir():  # drawn charts only (content-addressed), to save time
        shutil.copytree(charts, target / CACHE_DIR / "charts")
    return target


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    return _copy_project(example_dir(), tmp_path / "project", with_cache=True)


def _build(root: Path, out: Path) -> None:
    build_site(root, out, pdf=False)


@contextmanager
def _yaml_opened(project: Path) -> Iterator[list[str]]:
    """The project's YAML files opened inside the block (project-relative, in order)."""
    opened: list[str] = []
    original = Path.open

    def noting(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.suffix == ".yaml" and project in self.parents:
            opened.append(self.relative_to(project).as_posix())
        return original(self, *args, **kwargs)

    Path.open = noting  # type: ignore[method-assign]
    try:
        yield opened
    finally:
        Path.open = original  # type: ignore[method-assign]


def _clean_build(root: Path, tmp_path: Path) -> dict[str, bytes]:
    fresh = _copy_project(root, tmp_path / "fresh", with_cache=True)
    assert not list((fresh / CACHE_DIR).glob("memo-*.pickle"))
    _build(fresh, tmp_path / "fresh-out")
    return _tree(tmp_path / "fresh-out")


def _replace(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return edit


def _write(rel: str, text: str) -> Callable[[Path], None]:
    def edit(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return edit


EDITS: dict[str, Callable[[Path], None]] = {
    "persona name": _replace("personas/maya-okafor.yaml", "name: Maya Okafor", "name: Maya O."),
    "persona quote": _replace("personas/maya-okafor.yaml", "had better be", "must be"),
    "journey title": _replace(
        "journeys/click-and-collect.yaml", "title: Buy in", "title: Order in"
    ),
    "journey stage": _replace(
        "journeys/click-and-collect.yaml", "name: Notice a need", "name: Need"
    ),
    "touchpoint name": _replace("touchpoints/live-chat.yaml", "name: Live chat", "name: Web chat"),
    "touchpoint description": _replace("touchpoints/live-chat.yaml", "staffed by", "answered by"),
    "touchpoint rating": _replace(
        "touchpoints/live-chat.yaml", "satisfaction: 3.8}", "satisfaction: 1.5}"
    ),
    "metric": _replace("metrics/nps.yaml", "target: 45", "target: 30"),
    "responses CSV": _replace(
        "data/nps-responses.csv", "2026-03-01,10,walt-gruber", "2026-03-01,0,walt-gruber"
    ),
    "config": _replace("cxsite.yaml", "organization: Ridgeline Outfitters", "organization: RO"),
    # compiled templates are kept by their source: none may hold a word of the last language
    "language": _replace("cxsite.yaml", "language: en", "language: de"),
    "label": _replace(
        "cxsite.yaml", "language: en", "language: en\nlabels: {confidence.validated: Proven}"
    ),
    "template override": _write(
        "theme/templates/persona.html",
        '{% extends "!default/persona.html" %}\n'
        "{% block content %}<p>Reviewed</p>{{ super() }}{% endblock %}\n",
    ),
    "stylesheet override": _write("theme/static/cxsite.css", "body { color: black; }\n"),
    "new persona": _write(
        "personas/new-one.yaml",
        "name: New One\nrole: A late addition\nevidence:\n"
        "  - source: Interviews\n    date: 2026-06-01\n",
    ),
    "deleted photo": lambda root: (
        _replace("personas/maya-okafor.yaml", "photo: assets/maya-okafor.svg\n", "")(root),
        (root / "assets/maya-okafor.svg").unlink(),
    ),
    "replaced logo": _write(
        "assets/logo.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8">'
        '<rect width="8" height="8"/></svg>\n',
    ),
}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_rebuild_after_an_edit_equals_a_clean_build(
    project: Path, tmp_path: Path, kind: str
) -> None:
    out = tmp_path / "out"
    _build(project, out)
    before_bytes, before_stats = _tree(out), _stats(out)
    EDITS[kind](project)
    _build(project, out)
    after = _tree(out)
    assert after == _clean_build(project, tmp_path), f"stale output after: {kind}"
    changed = {rel for rel in after if before_bytes.get(rel) != after[rel]}
    assert changed, f"{kind}: the edit changed nothing visible"
    after_stats = _stats(out)
    rewritten = {rel for rel in after_stats if before_stats.get(rel) != after_stats[rel]}
    assert rewritten == changed  # only files whose bytes changed were written


def test_touchpoint_edit_rewrites_only_affected_files(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(project, out)
    before = _stats(out)
    EDITS["touchpoint description"](project)
    _build(project, out)
    after = _stats(out)
    rewritten = {rel for rel in after if before.get(rel) != after[rel]}
    assert "touchpoints/live-chat.html" in rewritten
    assert "personas/maya-okafor.html" not in rewritten
    assert "journeys/click-and-collect.html" not in rewritten
    assert len(rewritten) <= 5, sorted(rewritten)


def test_noop_rebuild_rewrites_nothing(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(project, out)
    before = _stats(out)
    summary = build_site(project, out, pdf=False)
    assert _stats(out) == before
    assert summary.pages > 0 and summary.charts_rendered == 0


def test_changed_or_missing_output_file_is_rebuilt(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _build(project, out)
    expected = _tree(out)
    (out / "personas/maya-okafor.html").write_text("tampered", encoding="utf-8")
    (out / "touchpoints/live-chat.html").unlink()
    _build(project, out)
    assert _tree(out) == expected


@pytest.mark.parametrize("damage", ["garbage", "truncated", "edited", "empty"])
def test_corrupted_cache_is_noticed_and_rebuilt(project: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "out"
    _build(project, out)
    expected = _tree(out)
    EDITS["touchpoint name"](project)
    cache = project / CACHE_DIR
    memos = [p for p in cache.glob("memo-*.pickle") if b"live-chat" in p.read_bytes()]
    files = [*cache.glob("site-*.json"), *cache.glob("pages-*.pickle"), *memos]
    assert len(files) >= 3
    for path in files:
        data = path.read_bytes()
        assert b"live-chat" in data
        path.write_bytes(
            {
                "garbage": b"\x00not json{",
                "truncated": data[: len(data) // 2],
                # the body no longer matches its MAC
                "edited": data.replace(b"live-chat", b"live-chat-x"),
                "empty": b"",
            }[damage]
        )
    _build(project, out)
    assert _tree(out) == _clean_build(project, tmp_path)
    assert _tree(out) != expected


def test_cache_is_per_output_folder(project: Path, tmp_path: Path) -> None:
    _build(project, tmp_path / "a")
    EDITS["persona name"](project)
    _build(project, tmp_path / "b")
    _build(project, tmp_path / "a")
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b") == _clean_build(project, tmp_path)


def test_recording_views_do_not_change_any_page(project: Path, tmp_path: Path) -> None:
    """Pages rendered through the recording views equal pages rendered from the plain model."""
    from cxsite.analysis.analyse import analyse
    from cxsite.charts.keys import plan_charts
    from cxsite.load.asof import as_of_date
    from cxsite.site.context import ChartRef, make_site
    from cxsite.site.render import render_pages
    from cxsite.validate.project import load_project

    out = tmp_path / "out"
    _build(project, out)
    result = load_project(project)
    assert result.project is not None
    analysis = analyse(result.project, result.metric_data, as_of=as_of_date(project))
    jobs = plan_charts(result.project, analysis)
    meta = {k: ChartRef(k, j.title, j.desc) for k, j in jobs.items()}
    site = make_site(result.project, as_of_date(project), ())
    plain = render_pages(result.project, analysis, meta, site)
    for rel, html in plain.items():
        assert (out / rel).read_text(encoding="utf-8") == html, rel


def test_a_forged_cache_file_is_not_trusted(project: Path, tmp_path: Path) -> None:
    """A cache file whose body was rewritten with a recomputed checksum (anyone can compute
    one) is ignored: its MAC needs this user's secret key."""
    from cxsite.cachefiles import MAC_LENGTH, digest, read_json

    _build(project, tmp_path / "out")
    memo = next((project / CACHE_DIR).glob("site-*.json"))
    assert read_json(memo) is not None
    text = '{"tool": "forged"}'
    memo.write_bytes((digest(text) + "\n" + text).encode() + memo.read_bytes()[-MAC_LENGTH:])
    assert read_json(memo) is None


def test_a_cache_moves_between_projects_of_one_user_but_not_between_users(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same user's cache files verify in another project (the MAC covers the file's name
    and body, not where it lies); under another user's key (another key file) none does,
    and the build made with that key is still a clean one."""
    from cxsite.cachefiles import read_json

    _build(project, tmp_path / "out")
    memo = next((project / CACHE_DIR).glob("site-*.json"))
    other = tmp_path / "other-project" / CACHE_DIR / memo.name
    other.parent.mkdir(parents=True)
    shutil.copy2(memo, other)
    assert read_json(other) == read_json(memo) is not None
    monkeypatch.setenv("CXSITE_CACHE_KEY_FILE", str(tmp_path / "another-user" / "key"))
    assert read_json(memo) is None and read_json(other) is None
    EDITS["touchpoint name"](project)
    _build(project, tmp_path / "out")
    assert (tmp_path / "another-user" / "key").stat().st_mode & 0o777 == 0o600
    assert _tree(tmp_path / "out") == _clean_build(project, tmp_path)


def test_a_key_folder_that_is_a_file_turns_the_cache_off(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file where the user's cache folder should be (a mistaken XDG_CACHE_HOME): no key
    can be made, so nothing is cached; the build is still right and says so in one line."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file\n")
    monkeypatch.setenv("CXSITE_CACHE_KEY_FILE", str(blocked / "cxsite" / "key"))
    command = ["build", str(project), "-o", str(tmp_path / "o"), "--no-pdf", "-q"]
    done = subprocess.run(
        [sys.executable, "-m", "cxsite", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    key = blocked / "cxsite" / "key"
    assert done.stderr == f"no usable cache key at {key}: the chart cache is not used\n"
    assert not list((project / CACHE_DIR).glob("*.pickle"))
    assert _tree(tmp_path / "o") == _clean_build(project, tmp_path)
    assert blocked.read_text() == "a file\n"


def test_the_key_is_in_the_user_cache_folder_xdg_says(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XDG_CACHE_HOME when it is an absolute path; a relative one is ignored, as the XDG
    spec says (it used to put a key in whatever folder the build ran from)."""
    from cxsite.cachefiles import key_path

    monkeypatch.delenv("CXSITE_CACHE_KEY_FILE", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert key_path() == tmp_path / "xdg" / "cxsite" / "key"
    for relative in ("rel", "./rel", ""):
        monkeypatch.setenv("XDG_CACHE_HOME", relative)
        assert key_path() == tmp_path / "home" / ".cache" / "cxsite" / "key"


def test_an_unsafe_key_file_turns_the_cache_off(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A key file that others may read (or one that is not 32 bytes) is not used: nothing is
    read from or written to the cache, and the build is still right."""
    from cxsite.cachefiles import cache_key

    key = tmp_path / "key"
    key.write_bytes(b"k" * 32)
    key.chmod(0o644)
    monkeypatch.setenv("CXSITE_CACHE_KEY_FILE", str(key))
    assert cache_key() is None
    _build(project, tmp_path / "out")
    assert not list((project / CACHE_DIR).glob("validated-*.pickle"))
    key.chmod(0o600)
    assert cache_key() == b"k" * 32
    key.write_bytes(b"short")
    assert cache_key() is None


def test_persistent_validation_cache_gives_a_clean_build(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Validation results read back from `.cxsite-cache/validated-NN.pickle` (each build
    below has a new `Session`, as a new process) give the same site and the same problem
    lines as a clean build."""
    out = tmp_path / "out"
    _build(project, out)
    assert len(list((project / CACHE_DIR).glob("validated-*.pickle"))) > 8
    EDITS["touchpoint name"](project)
    EDITS["responses CSV"](project)
    EDITS["metric"](project)
    capsys.readouterr()
    _build(project, out)
    cached_lines = capsys.readouterr().out
    expected = _clean_build(project, tmp_path)
    clean_lines = capsys.readouterr().out
    assert _tree(out) == expected
    assert cached_lines == clean_lines


def test_a_new_process_reads_no_unchanged_responses_csv(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every shard of the validation cache is written (a summary that cannot be pickled
    once dropped four of the example's sixteen, silently), so after a touchpoint edit a new
    process aggregates none of the responses CSVs again."""
    from cxsite.incremental.validcache import SHARDS
    from cxsite.metricdata import read

    out = tmp_path / "out"
    _build(project, out)
    assert len(list((project / CACHE_DIR).glob("validated-*.pickle"))) == SHARDS
    EDITS["touchpoint name"](project)
    aggregated: list[str] = []
    original = read.read_responses

    def counted(*args: object, **kwargs: object) -> object:
        aggregated.append(str(args[2]))
        return original(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(read, "read_responses", counted)
    _build(project, out)
    assert aggregated == []
    assert _tree(out) == _clean_build(project, tmp_path)


def test_pages_name_their_survey_values_by_metric_id(project: Path) -> None:
    """A touchpoint, persona or journey page's values among its own answers are looked up in
    the metric summaries it names by id: the page records hash a few ids and each summary
    once (by identity), not a new object per value and page (63,000 reprs per build at
    N=200), and the values still show."""
    from cxsite.analysis.analyse import analyse
    from cxsite.site.pages import site_pages
    from cxsite.validate.project import load_project

    result = load_project(project)
    assert result.project is not None
    today = dt.date(2026, 11, 27)
    analysis = analyse(result.project, result.metric_data, {}, today)
    pages = site_pages(result.project, analysis, today)
    named = {p.path: p.extra["segment_metrics"] for p in pages if "segment_metrics" in p.extra}
    assert any(named.values())
    assert all(isinstance(mid, str) for ids in named.values() for mid in ids)
    for path, ids in named.items():
        kind, eid = path.removesuffix(".html").split("/")
        for mid in ids:
            assert eid in analysis.metrics[mid].attributed[kind.removesuffix("s")]


def test_serve_reads_the_chart_cache_files_once(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Charts an earlier process drew are read from the cache folder by the first build of a
    session (`serve`) and kept: the next rebuilds read none of those files again."""
    from cxsite.charts import cache

    out, session = tmp_path / "out", Session()
    _build(project, out)  # another process: the charts are in the cache folder
    EDITS["touchpoint name"](project)
    build_site(project, out, pdf=False, session=session)
    reads: list[Path] = []
    original = cache.read_checked

    def counted(path: Path, *args: object) -> bytes | None:
        reads.append(path)
        return original(path, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(cache, "read_checked", counted)
    EDITS["touchpoint description"](project)
    build_site(project, out, pdf=False, session=session)
    assert reads == []
    assert _tree(out) == _clean_build(project, tmp_path)


def test_a_long_session_keeps_the_hashes_of_its_last_build_only(
    project: Path, tmp_path: Path
) -> None:
    """`serve` keeps value hashes by object so unchanged values are not hashed again, and
    forgets those the last build did not use: its memory stays flat over many rebuilds
    (each build's new analysis objects were kept until 200,000 hashes had piled up)."""
    out, session = tmp_path / "out", Session()
    build_site(project, out, pdf=False, session=session)
    sizes = []
    for edit in ("touchpoint name", "touchpoint description", "persona quote", "journey title"):
        EDITS[edit](project)
        build_site(project, out, pdf=False, session=session)
        sizes.append(len(session.hashes.items))
    # A journey edit hashes the new pains and backlog once; the next build is back to flat.
    _replace("touchpoints/live-chat.yaml", "name: Web chat", "name: Live chat")(project)
    build_site(project, out, pdf=False, session=session)
    sizes.append(len(session.hashes.items))
    assert max(sizes) - min(sizes) < 0.15 * min(sizes), sizes
    assert sizes[-1] <= sizes[0] * 1.02, sizes
    assert _tree(out) == _clean_build(project, tmp_path)


def test_serve_updates_its_preview_as_a_new_process_builds_the_site(
    project: Path, tmp_path: Path
) -> None:
    """`serve` keeps each entity's search documents by what they show, and updates its
    preview in place; after every kind of edit in one session the preview is the site a new
    process builds (a persona's new name reaches the journeys that name it), and only the
    files whose bytes changed were written."""
    out, session = tmp_path / "out", Session()
    build_site(project, out, pdf=False, session=session, in_place=True)
    shown = ("persona name", "journey title", "journey stage", "touchpoint name", "metric",
             "responses CSV", "config", "new persona", "deleted photo")  # fmt: skip
    for kind in shown:
        before, before_stats = _tree(out), _stats(out)
        EDITS[kind](project)
        build_site(project, out, pdf=False, session=session, in_place=True)
        fresh = tmp_path / "fresh" / kind.replace(" ", "-")
        build_site(project, fresh, pdf=False)  # a new session, a staged output
        after = _tree(out)
        assert after == _tree(fresh), kind
        changed = {rel for rel in after if before.get(rel) != after[rel]}
        after_stats = _stats(out)
        assert {rel for rel in after_stats if before_stats.get(rel) != after_stats[rel]} == changed
        if kind in ("persona name", "journey title", "touchpoint name"):
            assert "search-index.js" in changed, kind


def test_forged_validation_cache_is_never_unpickled(project: Path, tmp_path: Path) -> None:
    """A validated-NN.pickle not signed with this user's key is ignored without being
    unpickled: even a valid pickle with a release-1 style stamp file that matches the file's
    inode, nanosecond mtime and size (as an unpacked archive could carry)."""
    import os
    import pickle

    from cxsite.cachefiles import stamp_of
    from cxsite.incremental.validcache import _key, restore

    _build(project, tmp_path / "out")
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):  # type: ignore[no-untyped-def]
            return (Path.touch, (marker,))

    target = sorted((project / CACHE_DIR).glob("validated-*.pickle"))[0]  # a signed shard
    signed = target.stat()
    target.write_bytes(_key() + pickle.dumps((Payload(), {}, {}, {}, {})))
    os.utime(target, ns=(signed.st_atime_ns, signed.st_mtime_ns))
    stamp = target.with_name(target.name + ".stamp")
    stamp.write_text(stamp_of(target.stat()), encoding="ascii")
    restore(Session(), project / CACHE_DIR)
    assert not marker.exists()
    _build(project, tmp_path / "out")  # and the build still works, validating in full
    assert not marker.exists()
    from cxsite.commands.check import run_check

    target.write_bytes(_key() + pickle.dumps((Payload(), {}, {}, {}, {})))  # forged again
    assert run_check(project, strict=True).lines() == []  # `check` reads the same tables
    assert not marker.exists()


def test_summaries_from_the_validation_cache_are_those_of_the_same_inputs(
    project: Path, tmp_path: Path
) -> None:
    """A new process takes each metric summary (and its hash) from the validation cache only
    for the very metric and data it was made from: an edited metric or CSV is summarised
    again, so its pages change, while unchanged metrics keep their pages as they were."""
    out = tmp_path / "out"
    _build(project, out)
    before = _stats(out)
    EDITS["responses CSV"](project)
    session = Session()
    build_site(project, out, pdf=False, session=session)
    assert len(session.summaries) > 1
    after = _stats(out)
    rewritten = {rel for rel in after if before.get(rel) != after[rel]}
    assert "metrics/nps.html" in rewritten
    metric_pages = {rel for rel in after if rel.startswith("metrics/")}
    assert len(metric_pages) > 3
    assert metric_pages & rewritten == {"metrics/nps.html", "metrics/index.html"}
    assert _tree(out) == _clean_build(project, tmp_path)


def test_a_page_reading_an_analysis_value_follows_an_edit_of_another_entity(
    project: Path, tmp_path: Path
) -> None:
    """A persona page shows its importance-performance matrix, computed from touchpoint
    ratings: editing a rating in a touchpoint file rewrites that persona's page."""
    out = tmp_path / "out"
    _build(project, out)
    before = _tree(out)
    EDITS["touchpoint rating"](project)
    _build(project, out)
    after = _tree(out)
    assert after["personas/maya-okafor.html"] != before["personas/maya-okafor.html"]
    assert after == _clean_build(project, tmp_path)


def test_ipa_per_persona_is_the_matrix_over_all_touchpoints(project: Path) -> None:
    from cxsite.analysis.analyse import _ipa_by_persona, ipa
    from cxsite.validate.project import load_project

    result = load_project(project)
    assert result.project is not None
    every = {p: ipa(result.project, p) for p in sorted(result.project.personas)}
    assert _ipa_by_persona(result.project) == every
    assert any(m.points for m in every.values())


def _chart_entry(project: Path, out: Path) -> Path:
    """The cache entry of a chart the last build into `out` used (the project's cache may
    also hold entries of older builds, which no build reads: copied from content/, drawn
    by an older version of the drawing code, maybe the same bytes under another digest)."""
    shown = (out / "charts" / "channel-phase.svg").read_bytes()
    entries = sorted((project / CACHE_DIR / "charts").glob("*.svg"))
    used = [entry for entry in entries if entry.read_bytes().startswith(shown)]
    newest = max(used, key=lambda entry: entry.stat().st_mtime_ns)
    assert [e for e in used if e.stat().st_mtime_ns == newest.stat().st_mtime_ns] == [newest]
    return newest


def test_an_altered_chart_cache_entry_is_checked_again(project: Path, tmp_path: Path) -> None:
    """A cache entry an earlier build checked is taken without a new check only while its
    size, mtime and inode are as they were: one rewritten since (even by a local process that
    signs it with this user's key) is checked again, and active content is redrawn."""
    from cxsite.cachefiles import MAC_LENGTH, write_signed

    out = tmp_path / "out"
    _build(project, out)
    expected = _tree(out)
    entry = _chart_entry(project, out)
    svg = entry.read_bytes()[:-MAC_LENGTH]
    write_signed(entry, svg.replace(b"</svg>", b"<script>alert(1)</script></svg>"))
    (out / "charts" / "channel-phase.svg").unlink()  # so the build needs the cache entry
    EDITS["touchpoint description"](project)  # changes no chart
    summary = build_site(project, out, pdf=False)
    assert summary.charts_rendered == 1
    after = _tree(out)
    assert not any(b"<script" in data for rel, data in after.items() if rel.endswith(".svg"))
    assert after == _clean_build(project, tmp_path) != expected


def test_charts_unchanged_in_the_output_are_neither_read_nor_drawn(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chart whose job is the one the last build wrote its output file from, and whose
    file is as written, is kept as it is: no cache entry is read for it (a one-file edit in a
    new process read and verified every chart of the project before)."""
    from cxsite.charts import cache

    out = tmp_path / "out"
    _build(project, out)
    charts = sorted(out.glob("charts/*.svg"))
    read: list[Path] = []
    checked = cache.read_checked

    def noting(path: Path, *args: object) -> bytes | None:
        read.append(path)
        return checked(path, *args)

    monkeypatch.setattr(cache, "read_checked", noting)
    EDITS["touchpoint description"](project)  # changes no chart
    summary = build_site(project, out, pdf=False, session=Session())
    assert read == []
    assert (summary.charts_rendered, summary.charts_cached) == (0, len(charts))
    clean = _clean_build(project, tmp_path)
    assert _tree(out) == clean
    charts[0].unlink()
    summary = build_site(project, out, pdf=False, session=Session())
    assert len(read) == 1 and summary.charts_rendered == 0  # the deleted one, from the cache
    assert _tree(out) == clean


def test_a_deleted_or_altered_chart_file_in_the_output_is_restored(
    project: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _build(project, out)
    expected = _tree(out)
    charts = sorted(out.glob("charts/*.svg"))
    charts[0].unlink()
    charts[1].write_bytes(b"<svg/>")
    summary = build_site(project, out, pdf=False)
    assert summary.charts_rendered == 0
    assert _tree(out) == expected


def test_file_digests_are_remembered_only_for_files_that_cannot_change_unseen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A session keeps each project file's digest by its stat figures, so it reads again
    only the files that changed: never for a file changed in the last two seconds, by its
    mtime or its ctime (it could change again within the same tick, even with its mtime put
    back), and a rewrite is seen even when the size and mtime are put back (the ctime
    changes)."""
    import hashlib
    import os

    from cxsite import cachefiles
    from cxsite.cachefiles import file_digest
    from cxsite.session import Memo

    known: Memo[str, Any] = Memo(10)
    path = tmp_path / "touchpoint.yaml"
    path.write_text("name: aaaa\n")
    assert file_digest(path, known) == (11, hashlib.sha256(b"name: aaaa\n").digest())
    assert known.items == {}  # just written: not remembered
    old = 1_700_000_000_000_000_000
    os.utime(path, ns=(old, old))
    file_digest(path, known)
    assert known.items == {}  # an old mtime, but changed (ctime) just now: not remembered
    monkeypatch.setattr(cachefiles, "_RACY_NS", 0)  # as if read two seconds later
    file_digest(path, known)
    assert list(known.items) == [str(path)]
    path.write_text("name: bbbb\n")
    os.utime(path, ns=(old, old))
    assert file_digest(path, known) == (11, hashlib.sha256(b"name: bbbb\n").digest())


def test_a_new_process_reads_only_the_files_that_changed_to_key_the_build(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The digests of the project's files are kept in the cache folder, signed: after one
    edit a new process reads the edited file again, and for the build's key and the
    responses CSVs no other; the site equals a clean build. An unsigned digests file is
    ignored (every file read again)."""
    from cxsite import cachefiles

    monkeypatch.setattr(cachefiles, "_RACY_NS", 0)  # as if each build ran seconds later
    out = tmp_path / "out"
    _build(project, out)
    digests = project / CACHE_DIR / "digests.pickle"
    assert digests.is_file()
    EDITS["touchpoint name"](project)
    hashed: list[str] = []
    original = cachefiles.read_with_stat

    def counted(path: Path, limit: int | None) -> Any:
        if project in path.parents and CACHE_DIR not in path.parts:
            hashed.append(path.relative_to(project).as_posix())
        return original(path, limit)

    monkeypatch.setattr(cachefiles, "read_with_stat", counted)
    build_site(project, out, pdf=False, session=Session())
    assert hashed == ["touchpoints/live-chat.yaml"]
    assert _tree(out) == _clean_build(project, tmp_path)

    body = digests.read_bytes()  # the MAC's last hex digit changed: it no longer verifies
    digests.write_bytes(body[:-1] + (b"1" if body.endswith(b"0") else b"0"))
    EDITS["touchpoint description"](project)
    hashed.clear()
    build_site(project, out, pdf=False, session=Session())
    assert len(hashed) > 20 and "data/nps-responses.csv" in hashed


def test_a_new_process_opens_only_the_yaml_files_that_changed(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Validation does not even open a YAML file whose digest is known from its stat
    figures and whose parse is kept: after one edit a new process opens the edited file
    and no other, and builds what a clean build does."""
    from cxsite import cachefiles

    monkeypatch.setattr(cachefiles, "_RACY_NS", 0)  # as if each build ran seconds later
    out = tmp_path / "out"
    _build(project, out)
    EDITS["touchpoint name"](project)
    with _yaml_opened(project) as opened:
        build_site(project, out, pdf=False, session=Session())
    assert opened == ["touchpoints/live-chat.yaml"]
    assert _tree(out) == _clean_build(project, tmp_path)


def test_the_project_path_written_another_way_keeps_every_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cxsite build` inside the project after `cxsite build ~/project` elsewhere (an
    editor's task, a script) is the same project: after one edit, only the edited file is
    opened and only the pages that show it are rendered again (before, every file was
    read and hashed, and every page rendered, when the path was written another way)."""
    from cxsite import cachefiles
    from cxsite.site import render

    monkeypatch.setattr(cachefiles, "_RACY_NS", 0)  # as if each build ran seconds later
    out = tmp_path / "out"
    _build(project.absolute(), out)
    EDITS["touchpoint name"](project)
    rendered: list[str] = []
    original = render.render_page

    def counted(env: Any, template: str, ctx: Any) -> str:
        rendered.append(ctx["page_path"])
        return original(env, template, ctx)

    monkeypatch.setattr(render, "render_page", counted)
    monkeypatch.chdir(project)
    with _yaml_opened(Path(".")) as opened:
        build_site(Path("."), out, pdf=False, session=Session())
    assert opened == ["touchpoints/live-chat.yaml"]
    assert "touchpoints/live-chat.html" in rendered
    assert 0 < len(rendered) < len(list(out.rglob("*.html"))) / 2
    assert _tree(out) == _clean_build(project, tmp_path)


def test_check_after_a_build_opens_only_the_edited_files_and_writes_no_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cxsite check` in a new process takes the validation tables the last build kept: it
    opens the edited YAML file and no other, says what a check without any cache says
    (errors and warnings alike), and leaves the cache folder as it was."""
    from cxsite import cachefiles
    from cxsite.commands.check import run_check

    monkeypatch.setattr(cachefiles, "_RACY_NS", 0)  # as if the check ran seconds later
    EDITS["new persona"](project)  # in no journey: a warning from a file read before
    _build(project, tmp_path / "out")
    EDITS["touchpoint name"](project)
    broken = project / "personas" / "maya-okafor.yaml"
    broken.write_text(broken.read_text().replace("name: Maya Okafor", "name: ''"))
    cache = project / CACHE_DIR
    kept = {p: p.read_bytes() for p in cache.rglob("*") if p.is_file()}
    with _yaml_opened(project) as opened:
        cached = run_check(project, strict=False)
    assert sorted(opened) == ["personas/maya-okafor.yaml", "touchpoints/live-chat.yaml"]
    assert {p: p.read_bytes() for p in cache.rglob("*") if p.is_file()} == kept
    shutil.rmtree(cache)
    fresh = run_check(project, strict=False)
    assert not cache.exists()  # nor does a check make a cache folder
    assert cached.lines() == fresh.lines() and cached.summary() == fresh.summary()
    assert any(" error E" in line for line in cached.lines())
    assert any(" warning W" in line for line in cached.lines())


@pytest.mark.parametrize("command", ["export", "labels"])
def test_other_commands_after_a_build_open_only_the_edited_file(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    """`export` and `labels` (as `check`, `pdf`, `diff` for the working tree and serve's
    briefs) validate with what the last build kept: after an edit, the edited file alone
    is opened, and the result is that of a new project copy without a cache."""
    from cxsite import cachefiles
    from cxsite.commands.export import run_export
    from cxsite.commands.labels import label_lines

    def run(root: Path) -> object:
        return run_export("touchpoints-csv", root) if command == "export" else label_lines(root)

    monkeypatch.setattr(cachefiles, "_RACY_NS", 0)  # as if the command ran seconds later
    _build(project, tmp_path / "out")
    EDITS["touchpoint name"](project)
    with _yaml_opened(project) as opened:
        cached = run(project)
    assert opened == ["touchpoints/live-chat.yaml"]
    assert cached == run(_copy_project(project, tmp_path / "fresh", with_cache=False))


def test_a_one_file_edit_rewrites_only_the_memo_shards_whose_entries_changed(
    project: Path, tmp_path: Path
) -> None:
    """The memos (Markdown, cx.json parts, search documents, templates) are kept in 16
    shards: after a touchpoint's description is edited a new process rewrites the few
    shards whose entries changed, not all of them, and builds what a clean build does.
    The one memo file earlier versions wrote is removed."""
    from cxsite.incremental.memos import SHARDS

    out = tmp_path / "out"
    _build(project, out)

    def stamps() -> dict[str, tuple[int, int]]:
        found = (project / CACHE_DIR).glob("memo-*.pickle")
        return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in found}

    before = stamps()
    assert len(before) == SHARDS
    unsharded = project / CACHE_DIR / "memo.pickle"  # as cxsite wrote its memos until now
    unsharded.write_bytes(b"\0" * 1024)
    EDITS["touchpoint description"](project)
    build_site(project, out, pdf=False, session=Session())
    assert not unsharded.exists()
    after = stamps()
    rewritten = [name for name in before if after[name] != before[name]]
    assert 1 <= len(rewritten) <= 4, rewritten
    assert _tree(out) == _clean_build(project, tmp_path)


def test_a_session_reuses_the_pains_and_backlog_until_a_journey_changes(
    project: Path, tmp_path: Path
) -> None:
    """The ranked pains, the backlog and the touchpoint usage are made from the journeys
    only: `serve` keeps them (the same objects, whose hashes it knows) across other edits."""
    out, session = tmp_path / "out", Session()
    build_site(project, out, pdf=False, session=session)
    pains, backlog = session.analyses["pains"][1], session.analyses["backlog"][1]
    EDITS["touchpoint description"](project)
    build_site(project, out, pdf=False, session=session)
    assert session.analyses["pains"][1] is pains and session.analyses["backlog"][1] is backlog
    EDITS["journey stage"](project)
    build_site(project, out, pdf=False, session=session)
    assert session.analyses["pains"][1] is not pains
    assert _tree(out) == _clean_build(project, tmp_path)


def test_a_shard_that_cannot_be_pickled_is_named_in_the_debug_log(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A shard left unwritten only costs speed, but is said (it once went unseen for a day)."""
    import logging

    from cxsite.incremental import validcache

    def unpicklable(*args: object, **kwargs: object) -> str:
        raise TypeError("cannot pickle 'mappingproxy' object")

    monkeypatch.setattr(validcache, "write_pickle", unpicklable)
    with caplog.at_level(logging.DEBUG, logger="cxsite.incremental.validcache"):
        _build(project, tmp_path / "out")
    said = [r.getMessage() for r in caplog.records if "not written" in r.getMessage()]
    assert said and said[0].startswith("validation cache: shard ")
    assert "cannot pickle 'mappingproxy' object" in said[0]
    assert list((project / CACHE_DIR).glob("validated-*.pickle")) == []


def test_library_versions_are_read_as_importlib_metadata_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The library versions in the build's key (and matplotlib's in each chart's) come from
    the dist-info folder names, without importing `importlib.metadata`: the same versions
    it gives, the first folder on `sys.path` winning, "-" for a library not installed."""
    from importlib import metadata

    from cxsite.incremental.buildcache import _LIBRARIES
    from cxsite.resources import library_versions

    found = library_versions([*_LIBRARIES, "PyYAML", "no-such-library"])
    assert found == {
        **{name: metadata.version(name) for name in (*_LIBRARIES, "PyYAML")},
        "no-such-library": "-",
    }
    (tmp_path / "Jinja2-99.1.dist-info").mkdir()  # an older spelling of the name, first
    monkeypatch.syspath_prepend(str(tmp_path))
    assert library_versions(["jinja2"]) == {"jinja2": "99.1"}


def test_validation_runs_no_collection_and_freezes_the_models_it_made(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The models validation makes live as long as the command: no garbage collection runs
    while they are made (it would walk them again and again, freeing nothing), and they
    are frozen after, so later collections skip them; the collector runs again after."""
    import gc

    from cxsite.commands import check
    from cxsite.commands.report import SILENT

    seen: list[int] = []
    inside: list[bool] = []
    require_valid = check.require_valid

    def validating(*args: Any, **kwargs: Any) -> Any:
        inside.append(True)
        try:
            return require_valid(*args, **kwargs)
        finally:
            inside.clear()

    def noted(phase: str, info: dict) -> None:
        if phase == "start" and inside:
            seen.append(info["generation"])

    monkeypatch.setattr(check, "require_valid", validating)

    before = gc.get_threshold()
    gc.set_threshold(100)  # a collection every hundred new objects, were it running
    gc.callbacks.append(noted)
    try:
        result = check.validated(project, strict=False, report=SILENT, session=Session())
        assert result.project is not None
        models = result.project.touchpoints
        walked = any(o is models for o in gc.get_objects())  # the collector's generations
    finally:
        gc.callbacks.remove(noted)
        gc.set_threshold(*before)
        gc.unfreeze()
    assert models and gc.is_tracked(models)
    assert seen == []
    assert not walked  # frozen: in no generation a collection walks
    assert gc.isenabled()
