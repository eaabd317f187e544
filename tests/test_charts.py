"""Chart planning, drawing, caching and parallel rendering (SVG bytes, title/desc, edge cases)."""

from __future__ import annotations

import dataclasses
import io
import math
import signal
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import matplotlib.text
import pytest

from cxsite.analysis.analyse import analyse
from cxsite.charts.draw import draw, figure
from cxsite.charts.keys import (
    CHANNEL_PHASE_KEY,
    IMPACT_EFFORT_KEY,
    IMPORTANCE_KEY,
    PILLARS_KEY,
    PYRAMID_KEY,
    ChartJob,
    ipa_chart_key,
    job_digest,
    journey_chart_key,
    metric_composition_key,
    metric_sparkline_key,
    metric_trend_key,
    plan_charts,
    render_charts,
)
from cxsite.metricdata.types import MetricData, PeriodPoint
from cxsite.model import Config, Journey, Metric, Persona, Project, Touchpoint
from cxsite.session import Session

SVG = "{http://www.w3.org/2000/svg}"
KINDS = {"emotion", "trend", "sparkline", "composition", "ipa", "heatmap", "impact_effort",
         "bars", "pyramid"}  # fmt: skip


def make(
    stages: list[dict[str, Any]] | None = None,
    touchpoints: list[Touchpoint] | None = None,
    metrics: list[Metric] | None = None,
    personas: tuple[str, ...] = ("ann", "bob"),
) -> Project:
    if stages is None:
        stages = [
            {"name": "Discover", "emotion": 1, "touchpoints": ["web"]},
            {"name": "Pay $5 \\ fee", "emotion": -2, "touchpoints": ["shop"],
             "pain_points": ["Slow"], "opportunities": [{"text": "Faster", "impact": "high"}]},
            {"name": "Use", "emotion": 1.5},
        ]  # fmt: skip
    if touchpoints is None:
        touchpoints = [
            Touchpoint(id="web", name="Web $ite", channel="web", phase="before", pillar="digital",
                       pyramid="utility", ratings={"ann": {"importance": 5, "satisfaction": 2},
                                                   "bob": {"importance": 3, "satisfaction": 4}}),
            Touchpoint(id="shop", name="Shop", channel="store", phase="during",
                       ratings={"ann": {"importance": 2, "satisfaction": 5}}),
        ]  # fmt: skip
    if metrics is None:
        metrics = [
            Metric(id="nps", name="NPS", kind="nps", target=20, responses="data/nps.csv"),
            Metric(id="churn", name="Churn", kind="churn", target=5,
                   values=[{"period": "2025", "value": 6}, {"period": "2026", "value": 4.5}]),
        ]  # fmt: skip
    return Project(
        root=Path("."),
        config=Config(title="T", brand={"primary": "#123456"}),
        personas={p: Persona(id=p, name=p.title(), role="R") for p in personas},
        journeys={"buy": Journey(id="buy", title="Buy", personas=list(personas), stages=stages)},
        touchpoints={t.id: t for t in touchpoints},
        metrics={m.id: m for m in metrics},
        sources={},
    )


NPS = MetricData(
    "nps",
    (
        PeriodPoint("2026-01", -30.0, 10, 25.1, 0.2, 0.3, 0.5),
        PeriodPoint("2026-02", 10.0, 20, 20.2, 0.4, 0.3, 0.3),
    ),
    "responses",
)


def plan(project: Project | None = None, data: dict[str, MetricData] | None = None):
    project = project or make()
    return plan_charts(project, analyse(project, {"nps": NPS} if data is None else data))


def parse(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)


def test_plan_keys_and_every_kind():
    jobs = plan()
    assert list(jobs) == sorted(jobs)
    assert set(jobs) == {
        journey_chart_key("buy"),
        metric_trend_key("nps"), metric_sparkline_key("nps"), metric_composition_key("nps"),
        metric_trend_key("churn"), metric_sparkline_key("churn"),
        ipa_chart_key(), ipa_chart_key("ann"), ipa_chart_key("bob"),
        IMPORTANCE_KEY, CHANNEL_PHASE_KEY, IMPACT_EFFORT_KEY, PILLARS_KEY, PYRAMID_KEY,
    }  # fmt: skip
    assert {j.kind for j in jobs.values()} == KINDS
    assert journey_chart_key("buy") == "charts/journey-buy-emotion.svg"
    assert ipa_chart_key("ann") == "charts/ipa-persona-ann.svg"


def test_every_svg_parses_with_title_desc_and_aria(tmp_path: Path):
    jobs = plan()
    result = render_charts(jobs, tmp_path, 1)
    assert result.rendered == len(jobs) and result.cached == 0
    for key, job in jobs.items():
        root = parse(result.svgs[key])
        title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
        assert (title.text, desc.text) == (job.title, job.desc), key
        assert root.get("role") == "img"
        assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert job.alt == job.desc
        assert b"<metadata>" not in result.svgs[key]  # no date, no generator noise


def test_alt_text_carries_the_numbers():
    jobs = plan()
    assert jobs[journey_chart_key("buy")].desc == (
        "Emotion across the 3 stages of Buy. Discover: Positive (+1); "
        "Pay $5 \\ fee: Very negative (-2); Use: Very positive (+1.5). "
        "Peak: Pay $5 \\ fee (-2). End: Use (+1.5)."
    )
    assert jobs[metric_trend_key("churn")].desc == (
        # churn reads with one decimal everywhere (SPEC 8.13), as the table beside it
        "Churn in % by period: 2025 6.0, 2026 4.5. Latest 4.5 %; target 5.0 %: on target; "
        "down 1.5 vs 2025 (better)."
    )
    assert "2026-01: 20 % promoters, 30 % passives, 50 % detractors (n=10)" in (
        jobs[metric_composition_key("nps")].desc
    )


def test_dollar_and_backslash_stay_literal_text():
    svgs = render_charts(plan(), Path("/nonexistent/cache"), 1).svgs  # unwritable cache: fine
    emotion = svgs[journey_chart_key("buy")].decode()
    assert "Pay $5 \\ fee" in emotion  # drawn as text, not parsed as mathtext
    assert "Web $ite" in svgs[ipa_chart_key()].decode()
    assert "font-family: system-ui" in emotion


def test_two_renders_are_byte_identical(tmp_path: Path):
    first = render_charts(plan(), tmp_path / "a", 1).svgs
    second = render_charts(plan(), tmp_path / "b", 1).svgs
    assert first == second


def test_cache_hit_renders_nothing(tmp_path: Path):
    jobs = plan()
    render_charts(jobs, tmp_path, 1)
    files = sorted((tmp_path / "charts").glob("*.svg"))
    assert [f.stem for f in files] == sorted(job_digest(j) for j in jobs.values())
    again = render_charts(jobs, tmp_path, 1)
    assert (again.rendered, again.cached) == (0, len(jobs))
    assert not list((tmp_path / "charts").glob(".tmp-*"))


def test_changed_data_or_corrupt_entry_is_redrawn(tmp_path: Path):
    jobs = plan()
    first = render_charts(jobs, tmp_path, 1)
    key = metric_trend_key("churn")
    path = tmp_path / "charts" / f"{job_digest(jobs[key])}.svg"
    path.write_bytes(first.svgs[key][:200])  # truncated by a crash
    again = render_charts(jobs, tmp_path, 1)
    assert (again.rendered, again.cached) == (1, len(jobs) - 1)
    assert again.svgs == first.svgs
    changed = dict(jobs)
    job = jobs[key]
    changed[key] = dataclasses.replace(job, data={**job.data, "target": 4})
    assert render_charts(changed, tmp_path, 1).rendered == 1


@pytest.mark.slow
def test_two_workers_give_the_same_bytes(tmp_path: Path):
    jobs = plan()
    one = render_charts(jobs, tmp_path / "one", 1)
    two = render_charts(jobs, tmp_path / "two", 2)
    assert two.rendered == len(jobs)
    assert one.svgs == two.svgs


def test_a_chart_is_drawn_without_collections_and_its_cycles_freed_after():
    import gc

    from cxsite.charts.pool import _draw_one

    job = next(j for j in plan().values() if j.kind == "ipa")
    _draw_one(("warm", job))  # matplotlib's first-use caches are not the chart's garbage
    seen: list[tuple[str, int]] = []

    def noted(phase: str, info: dict) -> None:
        if phase == "start":
            seen.append(("collect", info["generation"]))

    gc.collect()  # the garbage of what came before is not the chart's
    before = gc.get_threshold()
    gc.set_threshold(50)  # without the pause, a chart's objects would trigger collections
    gc.callbacks.append(noted)
    try:
        _draw_one(("a", job))
        assert seen == [("collect", 0)]  # one young collection, after the drawing
        assert gc.isenabled()
        assert gc.collect() == 0  # nothing of the chart was left for a later collection
        seen.clear()
        gc.disable()  # a caller that paused the collector (reading caches) keeps it paused
        try:
            _draw_one(("b", job))
            assert seen == [] and not gc.isenabled()
        finally:
            gc.enable()
    finally:
        gc.callbacks.remove(noted)
        gc.set_threshold(*before)


def test_drawing_in_background_waits_and_cancels(tmp_path: Path):
    from cxsite.charts.pool import charts_in_background

    jobs = plan()
    interval = sys.getswitchinterval()
    with charts_in_background(lambda render: render(jobs, tmp_path / "a", 2), 2) as wait:
        # the threads that pass charts and chunks to and from the worker get the GIL soon
        assert sys.getswitchinterval() == min(interval, 0.0005)
        result = wait()
    assert sys.getswitchinterval() == interval
    assert result.rendered == len(jobs)
    assert result.svgs == render_charts(jobs, tmp_path / "b", 1).svgs
    with (  # leaving early cancels the drawing and leaves nothing running
        pytest.raises(KeyError, match="raised while drawing"),
        charts_in_background(lambda render: render(jobs, tmp_path / "c", 2), 2),
    ):
        raise KeyError("raised while drawing")


def test_charts_drawn_by_workers_and_this_process_keep_their_order_and_bytes(tmp_path):
    """Whoever draws a chart (a worker, or this process taking over chunks no worker has
    started) writes its signed cache entry, so the build does not end writing them all."""
    from cxsite.cachefiles import read_signed
    from cxsite.charts.pool import DrawingPool

    items = [(job_digest(job), job) for job in plan().values()] * 3
    folder = tmp_path / "charts"
    folder.mkdir()
    pool = DrawingPool(1)
    try:
        chunks = pool.submit(items, 1, folder)
        here = pool.help()  # the chunks the one worker has not started yet
        assert 0 <= here <= len(chunks)
        expected = [draw(job) for _digest, job in items]
        assert pool.collect(chunks) == expected
    finally:
        pool.close(cancel=False)
    for (digest, _job), data in zip(items, expected, strict=True):
        found = read_signed(folder / f"{digest}.svg")
        assert found is not None and found[0] == data


def _worker_signals() -> tuple[object, object, int]:
    import ctypes

    death = ctypes.c_int()
    ctypes.CDLL(None).prctl(2, ctypes.byref(death))  # PR_GET_PDEATHSIG
    return signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM), death.value


def test_a_worker_leaves_signals_to_its_starter_and_ends_with_it():
    """A chart or brief worker ignores Ctrl+C and SIGTERM (its starter cancels the work and
    ends it: a worker killed while sending its result back left half a message, and the
    build waited for the rest forever, 1 run in 40 of a build sent SIGTERM as a group) and
    gets SIGKILL when its starter ends, however it was started (forked or not)."""
    from cxsite.charts.pool import worker_pool

    with worker_pool(1) as pool:
        found = pool.submit(_worker_signals).result()
    assert found == (signal.SIG_IGN, signal.SIG_IGN, signal.SIGKILL)


def test_an_abandoned_drawing_leaves_no_chunk_waiting_forever():
    """Ctrl+C between this process claiming a chunk (taken from the workers) and drawing it
    left the chunk with no result: the thread collecting the charts waited forever, and so
    did the build as it ended. Abandoning the drawing cancels such a chunk."""
    from concurrent.futures import CancelledError, Future

    from cxsite.charts.pool import DrawingPool, _Chunk

    pool = DrawingPool(1)
    taken = Future()
    taken.cancel()  # as `help` cancels the workers' copy of a chunk it takes over
    chunk = _Chunk([], None, taken, claimed=True)
    pool._chunks.append(chunk)
    pool.close(cancel=True)
    with pytest.raises(CancelledError):
        pool.collect([chunk])


def test_a_first_build_starts_its_drawing_workers_before_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """With no chart ever cached, the workers start (and import matplotlib) while this
    process analyses, and what the session keeps for the next build is written while they
    draw; with chart entries in the cache they are started only when charts are missing,
    after the plan. Either way the same bytes come out."""
    import shutil

    from cxsite.analysis import analyse as analysis_module
    from cxsite.charts import pool
    from cxsite.commands import produce
    from cxsite.commands.build import build_site
    from cxsite.resources import example_dir

    events: list[str] = []
    start, analyse_ = pool.DrawingPool.__init__, analysis_module.analyse

    def started(self, workers):
        events.append("workers")
        start(self, workers)

    def analysed(*args, **kwargs):
        events.append("analysis")
        return analyse_(*args, **kwargs)

    def kept(*args, **kwargs):
        events.append("kept")
        keep(*args, **kwargs)

    def joined(self):
        events.append("joined")
        return help_(self)

    keep, help_ = produce.keep_for_next_build, pool.DrawingPool.help
    monkeypatch.setattr(pool.DrawingPool, "__init__", started)
    monkeypatch.setattr(pool.DrawingPool, "help", joined)
    monkeypatch.setattr(analysis_module, "analyse", analysed)
    monkeypatch.setattr(produce, "keep_for_next_build", kept)
    root = tmp_path / "content"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    build_site(root, tmp_path / "site", pdf=False, jobs=2)
    # memos and validation tables are written while the workers draw, before joining them
    assert events == ["workers", "analysis", "kept", "joined"]
    assert len(list((root / ".cxsite-cache").glob("validated-*.pickle"))) == 16
    assert len(list((root / ".cxsite-cache").glob("memo-*.pickle"))) == 16
    first = {p.name: p.read_bytes() for p in (tmp_path / "site" / "charts").iterdir()}
    events.clear()
    with (root / "cxsite.yaml").open("a", encoding="utf-8") as config:
        config.write("\n# an input change: the build runs, every chart cached\n")
    build_site(root, tmp_path / "site", pdf=False, jobs=2)
    assert events == ["analysis", "kept"]  # no chart to draw: written at the end
    shutil.rmtree(root / ".cxsite-cache")
    build_site(root, tmp_path / "again", pdf=False, jobs=1)  # one process: no workers
    again = {p.name: p.read_bytes() for p in (tmp_path / "again" / "charts").iterdir()}
    assert again == first and len(first) > 16


def test_pools_fork_only_while_this_process_has_one_thread():
    """Forking a process with threads can deadlock the child (a lock held by another
    thread stays held there): with a second thread, every pool starts its workers from a
    fork server (or spawns them); in a fresh single-threaded process it forks."""
    import threading

    import cxsite.briefs.render
    from cxsite.charts.pool import pool_context, process_pool, worker_pool

    assert cxsite.briefs.render.worker_pool is worker_pool  # one policy for briefs too
    stop = threading.Event()
    extra = threading.Thread(target=stop.wait, name="like-an-http-server-thread")
    extra.start()
    try:
        assert pool_context().get_start_method() != "fork"
        with process_pool(1) as pool:
            assert pool._mp_context.get_start_method() != "fork"
            assert (
                pool.submit(draw, plan()[journey_chart_key("buy")]).result().startswith(b"<?xml")
            )  # and the workers it starts draw
    finally:
        stop.set()
        extra.join()
    fresh = subprocess.run(
        [sys.executable, "-c", "from cxsite.charts.pool import pool_context as c\n"
         "print(c().get_start_method())"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert fresh.stdout.strip() == "fork"


def test_the_briefs_take_their_charts_by_the_builds_route(tmp_path: Path):
    """`cxsite pdf` needs a few of the charts: it reads them as `build` does (memory, then
    entries a build checked), and keeps the build's table of checked entries whole."""
    from cxsite.charts.cache import CheckedEntries
    from cxsite.charts.pool import charts_drawn

    jobs = plan()
    cache = tmp_path / "project" / ".cxsite-cache"
    cache.mkdir(parents=True)
    with charts_drawn(jobs, cache, 1, Session().svgs) as drawn:
        full = drawn()
    table = CheckedEntries(cache).previous
    assert len(table) == len({job_digest(job) for job in jobs.values()})
    few = dict(sorted(jobs.items())[:2])
    with charts_drawn(few, cache, 1, Session().svgs, complete=False) as drawn:
        part = drawn()
    assert part.svgs == {key: full.svgs[key] for key in few}
    assert (part.rendered, part.cached) == (0, 2)
    assert CheckedEntries(cache).previous == table


def test_emotion_curve_spans_the_stage_columns():
    job = plan()[journey_chart_key("buy")]
    ax = figure(job).axes[0]
    box = ax.get_position()
    assert (box.x0, box.x1) == (0, 1)  # no side margins: stage i owns [i/n, (i+1)/n]
    assert ax.get_xlim() == (-0.5, 2.5)


# --- edge cases ---------------------------------------------------------------------------------


def _render_all(project: Project, data: dict[str, MetricData], tmp_path: Path) -> dict[str, bytes]:
    jobs = plan(project, data)
    svgs = render_charts(jobs, tmp_path, 1).svgs
    for svg in svgs.values():
        parse(svg)
    return svgs


def test_one_stage_one_period_no_ratings(tmp_path: Path):
    project = make(
        stages=[{"name": "Only", "emotion": 0}],
        touchpoints=[Touchpoint(id="web", name="Web", channel="web", phase="after")],
        metrics=[Metric(id="m", name="M", kind="csat", values=[{"period": "2026", "value": 80}])],
    )
    svgs = _render_all(project, {}, tmp_path)
    assert ipa_chart_key() not in svgs and IMPORTANCE_KEY not in svgs  # nothing to draw
    assert IMPACT_EFFORT_KEY not in svgs
    assert {journey_chart_key("buy"), metric_trend_key("m"), metric_sparkline_key("m"),
            PILLARS_KEY, PYRAMID_KEY, CHANNEL_PHASE_KEY} <= set(svgs)  # fmt: skip


def test_all_zero_and_no_emotions(tmp_path: Path):
    project = make(
        stages=[{"name": "A"}, {"name": "B"}],
        touchpoints=[Touchpoint(id="web", name="Web", channel="web", phase="after")],
        metrics=[Metric(id="m", name="M", kind="custom", category="operational",
                        higher_is_better=True, target=0,
                        values=[{"period": p, "value": 0} for p in ("2026-01", "2026-02")])],
    )  # fmt: skip
    svgs = _render_all(project, {}, tmp_path)
    assert journey_chart_key("buy") not in svgs
    assert "without a pillar" in svgs[PILLARS_KEY].decode()


def test_negative_nps_long_names_emoji_rtl(tmp_path: Path):
    forty = "A forty character stage name, no less!!!"
    long = "A stage name so long that it cannot fit in three lines of its column at all, no way"
    project = make(
        stages=[{"name": forty, "emotion": -1}, {"name": "Ready 🚀", "emotion": 2},
                {"name": "שלום עולם", "emotion": -0.5}, {"name": long, "emotion": 1}],
        personas=("ann",),
    )  # fmt: skip
    negative = MetricData("nps", (PeriodPoint("2026-Q1", -100.0, 3, 0.0, 0.0, 0.0, 1.0),),
                          "responses")  # fmt: skip
    svgs = _render_all(project, {"nps": negative}, tmp_path)
    text = svgs[journey_chart_key("buy")].decode()
    assert "Ready 🚀" in text and "שלום עולם" in text
    assert "-100" in svgs[metric_composition_key("nps")].decode()
    drawn = " ".join(t.text or "" for t in parse(text.encode()).iter(f"{SVG}text"))
    assert "A forty character" in drawn
    assert "cannot fit in…" in drawn and "no way" not in drawn  # cut in the chart ...
    assert long in parse(svgs[journey_chart_key("buy")]).find(f"{SVG}desc").text  # not here


def test_non_finite_values_are_skipped_and_said(tmp_path: Path):
    data = MetricData("nps", (PeriodPoint("2026-01", math.nan), PeriodPoint("2026-02", 12.0),
                              PeriodPoint("2026-03", math.inf)), "values")  # fmt: skip
    jobs = plan(data={"nps": data})
    job = jobs[metric_trend_key("nps")]
    assert job.data["values"] == [12.0]
    assert "2 non-numeric values not shown" in job.desc
    parse(draw(job))
    empty = {**job.data, "values": [None], "periods": ["x"], "moe": [None], "n": [None]}
    raw = ChartJob("trend", "T", "D", empty, job.style, job.words)
    parse(draw(raw))


def test_charts_module_does_not_import_matplotlib():
    code = (
        "import sys, cxsite.charts.keys, cxsite.analysis.analyse;"
        " print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _many_touchpoints(count: int, personas: int) -> Project:
    tps = [
        Touchpoint(id=f"t{i:03d}", name=f"Touchpoint {i}", channel="web", phase="during",
                   ratings={f"p{k:02d}": {"importance": 1 + (i * 7 + k) % 5,
                                          "satisfaction": 1 + (i * 3 + k) % 5}
                            for k in range(personas) if (i + k) % 3 == 0})
        for i in range(count)
    ]  # fmt: skip
    return make(touchpoints=tps, personas=tuple(f"p{k:02d}" for k in range(personas)))


def test_large_heatmap_is_capped_and_says_so(tmp_path: Path):
    jobs = plan(_many_touchpoints(70, 20), {})
    heat = jobs[IMPORTANCE_KEY]
    assert len(heat.data["rows"]) == 40 and len(heat.data["cols"]) == 16
    assert (
        "Showing the 40 touchpoints rated by the most of these personas, of 70, and the 16 "
        "personas with the most ratings, of 20. " in heat.desc
    )
    # the drawn touchpoints are rated by at least as many of the drawn personas as any other
    project = _many_touchpoints(70, 20)
    names = {tp.name: tp for tp in project.touchpoints.values()}
    cols = {pid for pid, p in project.personas.items() if p.name in heat.data["cols"]}

    def rated(tp: Touchpoint) -> int:
        return len(cols & set(tp.ratings))

    drawn = [rated(names[row]) for row in heat.data["rows"]]
    left = [rated(tp) for tp in project.touchpoints.values() if tp.name not in heat.data["rows"]]
    assert min(drawn) >= max(left)
    ipa = jobs[ipa_chart_key()]
    assert len(ipa.data["points"]) == 70
    svgs = render_charts({IMPORTANCE_KEY: heat, ipa_chart_key(): ipa}, tmp_path, 1).svgs
    texts = [t.text for t in parse(svgs[ipa_chart_key()]).iter(f"{SVG}text")]
    assert "70 touchpoints: see the table for their names" in texts
    assert "Touchpoint 5" not in texts  # no labels beyond 60 points


def test_ipa_numbers_points_with_a_key_beyond_twelve():
    job = plan(_many_touchpoints(15, 3), {})[ipa_chart_key()]
    assert len(job.data["points"]) == 15
    texts = [t.text for t in parse(draw(job)).iter(f"{SVG}text")]
    assert "Touchpoint 0" in texts and "15" in texts  # the key and the numbers


def test_cache_key_depends_on_data_and_drawing_engine(monkeypatch: pytest.MonkeyPatch):
    from cxsite.charts import jobs as chartjobs

    job = plan()[journey_chart_key("buy")]
    same = dataclasses.replace(job, data=dict(job.data))
    assert job_digest(job) == job_digest(same)
    assert job_digest(job) != job_digest(dataclasses.replace(job, style={"primary": "#000000"}))
    before = job_digest(job)
    monkeypatch.setattr(chartjobs, "_engine_version", lambda: "other matplotlib or drawing code")
    assert job_digest(job) != before


def test_example_content_has_every_chart_kind(tmp_path: Path):
    from cxsite.resources import example_dir
    from cxsite.validate.project import load_project

    checked = load_project(example_dir())
    assert checked.project is not None
    jobs = plan_charts(checked.project, analyse(checked.project, checked.metric_data))
    kinds = {job.kind for job in jobs.values()}
    assert kinds == KINDS | {"emotion_lines"}  # a curve per persona, as-is and to-be
    result = render_charts(jobs, tmp_path, 2)
    assert result.rendered == len(jobs)
    for svg in result.svgs.values():
        assert parse(svg).find(f"{SVG}desc").text


def test_the_svg_canvas_writes_what_matplotlib_writes():
    """`chartdraw.svg` measures each text once per process with its own canvas; for every
    chart kind the SVG must stay byte for byte what matplotlib's own SVG backend writes
    (this fails if a matplotlib upgrade changes how its canvas draws)."""
    import io

    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from cxsite.charts.draw.svg import _Canvas

    def svg(job, canvas) -> str:
        fig = figure(job)
        canvas(fig)
        buf = io.StringIO()
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        return buf.getvalue()

    jobs = list(plan().values())
    assert len({job.kind for job in jobs}) >= 5
    for job in jobs:
        assert svg(job, _Canvas) == svg(job, FigureCanvasSVG), job.kind


def test_texts_laid_out_once_draw_what_matplotlib_texts_draw(monkeypatch: pytest.MonkeyPatch):
    """Chart texts remember their layout per process and skip the axes clip path
    (charts/draw/text.py); every chart kind must stay byte for byte what matplotlib's own
    `ax.text`, `fig.text` and `ax.annotate` draw, also when every layout is remembered."""
    from matplotlib.axes import Axes
    from matplotlib.text import Annotation, Text

    from cxsite.charts.draw import text

    jobs = list(plan().values())
    assert len({job.kind for job in jobs}) >= 5
    text._layout.cache_clear()
    first = [draw(job) for job in jobs]
    again = [draw(job) for job in jobs]  # every layout now comes from the memo
    info = text._layout.cache_info()
    assert info.hits > info.misses > 0

    add = Axes._add_text

    def clipped(ax, txt):  # what ax.text does before it adds a text
        if not isinstance(txt, Annotation) and txt.get_clip_path() is None:
            txt.set_clip_path(ax.patch)
        return add(ax, txt)

    monkeypatch.setattr(text, "Label", Text)
    monkeypatch.setattr(text, "_label", lambda x, y, s, options: Text(x, y, s, **options))
    monkeypatch.setattr(text, "Note", Annotation)
    monkeypatch.setattr(Axes, "_add_text", clipped)
    plain = [draw(job) for job in jobs]
    assert first == again
    for job, ours, theirs in zip(jobs, first, plain, strict=True):
        assert ours == theirs, job.kind


def test_chart_axes_keep_no_data_limits_and_draw_what_matplotlib_draws(
    monkeypatch: pytest.MonkeyPatch,
):
    """Chart axes add bars, lines and collections without widening their data limits
    (charts/draw/base.py): every chart kind sets both limits itself, so nothing is scaled
    to the data, and draws byte for byte what axes keeping their data limits draw."""
    from cxsite.charts.draw import base

    jobs = list(plan().values())
    assert {job.kind for job in jobs} == KINDS
    figures = [figure(job) for job in jobs]
    for job, fig in zip(jobs, figures, strict=True):
        for ax in fig.axes:
            assert not ax.get_autoscalex_on() and not ax.get_autoscaley_on(), job.kind
            assert not math.isfinite(ax.dataLim.x0), job.kind  # still Bbox.null()
    skipped: list[str] = []
    shortcut = base._not_kept

    def noted(*args: object, **kwargs: object) -> None:
        skipped.append("skipped")
        shortcut(*args, **kwargs)

    monkeypatch.setattr(base, "_not_kept", noted)
    ours = [draw(job) for job in jobs]
    assert len(skipped) > 50  # the artists went the short way
    monkeypatch.setattr(base, "_DATA_LIMITS", ())
    theirs = [draw(job) for job in jobs]
    for job, a, b in zip(jobs, ours, theirs, strict=True):
        assert a == b, job.kind


def test_chart_texts_take_the_short_way_to_svg(monkeypatch: pytest.MonkeyPatch):
    """Every text a chart adds (charts/draw/text.py) is written by the SVG canvas's short
    way (`draw_plain_text`), not by matplotlib's `Text.draw`; the bytes stay matplotlib's
    (the two tests above)."""
    from matplotlib.text import Text

    from cxsite.charts.draw import text

    slow: list[str] = []
    draw_text = Text.draw

    def counted(self, renderer):
        if isinstance(self, text.Label | text.Note):
            slow.append(self.get_text())
        return draw_text(self, renderer)

    monkeypatch.setattr(Text, "draw", counted)
    jobs = list(plan().values())
    svgs = [draw(job) for job in jobs]
    assert slow == []
    assert sum(svg.count(b"<text ") for svg in svgs) > 100  # the texts were drawn


def test_a_remembered_layout_is_one_of_the_same_string_and_style():
    """The same string in every alignment, rotation, spacing, size and font: each text must
    be drawn where matplotlib's own text is, not where an earlier one of the string was."""
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from cxsite.charts.draw.base import configure, new_axes
    from cxsite.charts.draw.text import add_annotation, add_figure_text, add_text

    configure()
    styles = [
        {"ha": ha, "va": va, "rotation": rotation, "rotation_mode": mode, "linespacing": spacing,
         "fontsize": size, "multialignment": align}
        for ha in ("left", "center")
        for va in ("top", "baseline")
        for rotation in (0, 90)
        for mode in ("anchor", "default")
        for spacing in (None, 1.6)
        for size in (8, 11)
        for align in (None, "right")
    ]  # fmt: skip
    centred = {"ha": "center", "va": "top", "rotation": 0, "rotation_mode": "anchor",
               "linespacing": None, "fontsize": 11, "multialignment": None}  # fmt: skip
    assert centred in styles  # each font below differs from it in one property only
    styles += [{**centred, key: value} for key, value in (
        ("fontweight", "bold"), ("fontfamily", "monospace"), ("fontstyle", "italic"),
        ("fontstretch", "condensed"), ("fontvariant", "small-caps"))]  # fmt: skip

    def drawn(ours: bool, form: str = "svg", dpi: float = 72) -> bytes:
        fig, ax = new_axes(4, 3, (0.1, 0.1, 0.8, 0.8))
        for i, style in enumerate(styles):
            for s in ("Wait", "Wait\nat the\ncounter"):
                if ours:
                    add_text(ax, i / 100, 0.5, s, **style)
                    add_figure_text(fig, 0.5, i / 100, s, **style)
                    add_annotation(ax, s, (0.5, i / 100), xytext=(3, 3), textcoords="offset points",
                                   **style)  # fmt: skip
                else:
                    ax.text(i / 100, 0.5, s, **style)
                    fig.text(0.5, i / 100, s, **style)
                    ax.annotate(s, (0.5, i / 100), xytext=(3, 3), textcoords="offset points",
                                **style)  # fmt: skip
        FigureCanvasSVG(fig)
        buf = io.BytesIO()
        fig.savefig(
            buf,
            format=form,
            dpi=dpi,
            metadata={"Software": None} if form == "png" else {"Date": None},
        )
        return buf.getvalue()

    plain = drawn(False)
    assert drawn(True) == plain
    assert drawn(True) == plain  # with every layout remembered
    assert drawn(True, "png") == drawn(False, "png")  # measured by its own renderer
    assert drawn(True, "png", 60) == drawn(False, "png", 60)  # and at its own dpi


@pytest.mark.parametrize(
    ("metric", "least"),
    [
        (Metric(id="ces", name="CES", kind="ces", values=[
            {"period": "2026-Q1", "value": 5.2}, {"period": "2026-Q2", "value": 5.5}]), 1.5),
        (Metric(id="ces5", name="CES", kind="ces", scale=[1, 5], values=[
            {"period": "2026-Q1", "value": 4.9}, {"period": "2026-Q2", "value": 4.95}]), 1.0),
        (Metric(id="nps", name="NPS", kind="nps", values=[
            {"period": "2026-Q1", "value": 31}, {"period": "2026-Q2", "value": 33}]), 20),
        (Metric(id="csat", name="CSAT", kind="csat", values=[
            {"period": "2026-Q1", "value": 99.1}, {"period": "2026-Q2", "value": 99.6}]), 10),
    ],
)  # fmt: skip
def test_a_small_change_never_looks_like_a_cliff(metric: Metric, least: float):
    """A trend axis spans at least 20 NPS points, 10 CSAT points or a quarter of the CES
    scale, and stays within the scale (CSAT near 100 does not run past 100 + padding)."""
    project = make(metrics=[metric])
    jobs = plan(project, {})
    job = next(j for j in jobs.values() if j is not None and j.kind == "trend")
    y0, y1 = figure(job).axes[0].get_ylim()
    assert y1 - y0 >= least
    low, high = job.data["bounds"]
    pad = (y1 - y0) * 0.15
    assert low - pad <= y0 and y1 <= high + pad


def test_tick_and_target_labels_of_values_in_the_billions_stay_on_the_chart():
    """Revenue in the billions: every y tick label and the target's label lie inside the
    figure (they were cut at its edges: "00,000,000", "Target 2,500,000,0")."""
    gmv = Metric(id="gmv", name="GMV", kind="custom", category="financial", unit="€",
                 higher_is_better=True, target=2_500_000_000, values=[
        {"period": "2026-Q1", "value": 1_800_000_000},
        {"period": "2026-Q2", "value": 1_999_999_999}])  # fmt: skip
    job = next(j for j in plan(make(metrics=[gmv]), {}).values() if j and j.kind == "trend")
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = figure(job)
    renderer = FigureCanvasAgg(fig).get_renderer()
    width = fig.bbox.width
    texts = [t for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]
    assert any("2,500,000,000" in t.get_text() for t in texts)
    for text in texts:
        box = text.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width, (text.get_text(), box.x0, box.x1, width)


def test_other_kinds_keep_their_own_range():
    churn = Metric(id="churn", name="Churn", kind="churn", values=[
        {"period": "2025", "value": 4.1}, {"period": "2026", "value": 4.3}])  # fmt: skip
    job = next(j for j in plan(make(metrics=[churn]), {}).values() if j and j.kind == "trend")
    y0, y1 = figure(job).axes[0].get_ylim()
    assert y1 - y0 < 1


def test_a_heatmap_of_few_columns_keeps_readable_cells_and_full_names():
    """Two personas: the figure is as wide as a half-page card's other charts, its cells as
    wide as with many columns, and a long touchpoint name is shown in full."""
    from cxsite.charts.draw.matrix import _MIN_WIDTH
    from cxsite.charts.jobs import ChartJob

    name = "Online booking with insurance check"  # 35 characters: once cut at 30
    data = {"rows": [name, "Front desk"], "cols": ["Ana", "Joe"],
            "values": [[4, 5], [5, None]], "vmin": 1, "vmax": 5}  # fmt: skip
    fig = figure(ChartJob("heatmap", "Importance", "Importance by persona", data, {}))
    assert fig.get_size_inches()[0] == pytest.approx(_MIN_WIDTH)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert name in texts and "Front desk" in texts
    cells = fig.axes[0].get_position().width * _MIN_WIDTH / 2
    assert cells == pytest.approx(0.95)  # inches per cell, as with many columns
