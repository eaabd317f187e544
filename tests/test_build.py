"""`cxsite build` end to end: pages, links, safety, reproducibility, failures, overrides."""

from __future__ import annotations

import json
import os
import re
import shutil
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from cxsite.cli import cli
from cxsite.commands.build import BuildSummary, build_site
from cxsite.resources import example_dir

EPOCH = "1790000000"  # 2026-09-21


def run_build(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(
        cli,
        ["build", *args],
        catch_exceptions=False,
        env={"SOURCE_DATE_EPOCH": EPOCH, **(env or {})},
    )


@pytest.fixture(scope="module")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project built once (without PDFs) for the read-only tests of this module."""
    root = tmp_path_factory.mktemp("example") / "content"
    shutil.copytree(example_dir(), root, ignore=shutil.ignore_patterns(".cxsite-cache", "_site"))
    result = run_build(str(root), "-o", str(root / "_site"), "--no-pdf")
    assert result.exit_code == 0, result.output
    return root / "_site"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value is not None:
                self.refs.append((tag, name, value))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_example_has_every_page_of_the_spec(example_site: Path) -> None:
    expected = [
        "index.html", "personas/index.html", "personas/maya-okafor.html", "journeys/index.html",
        "journeys/click-and-collect.html", "touchpoints/index.html",
        "touchpoints/pickup-counter.html",
        "metrics/index.html", "metrics/nps.html", "insights.html", "search.html", "search-index.js",
        "freshness.html",
        "data/cx.json", "404.html", "static/cxsite.css", ".cxsite-output",
    ]  # fmt: skip
    missing = [p for p in expected if not (example_site / p).is_file()]
    assert missing == []
    assert not (example_site / "sitemap.xml").exists()  # the example has no base_url
    assert not list(example_site.glob("briefs/*"))  # --no-pdf


def test_every_link_resolves_to_a_file_and_nothing_is_absolute(example_site: Path) -> None:
    problems = []
    for page in sorted(example_site.rglob("*.html")):
        rel = page.relative_to(example_site).as_posix()
        for tag, attr, value in _parse(page).refs:
            parts = urlsplit(value)
            if parts.scheme in ("http", "https", "mailto") and tag == "a":
                continue  # links out of the site are allowed, resources are not
            if parts.scheme == "data" and value == "data:,":
                continue
            if parts.scheme or value.startswith(("/", "//")):
                problems.append(f"{rel}: absolute {attr}={value}")
                continue
            if not parts.path:
                continue  # same-page anchor
            target = (page.parent / unquote(parts.path)).resolve()
            if parts.path.endswith("/") or not target.is_file():
                problems.append(f"{rel}: broken {attr}={value}")
                continue
            anchors = _parse(target).ids if target.suffix == ".html" else set()
            if parts.fragment and target.suffix == ".html" and parts.fragment not in anchors:
                problems.append(f"{rel}: missing anchor {value}")
    assert problems == []


def test_only_referenced_assets_are_copied(example_site: Path) -> None:
    assets = sorted(
        p.relative_to(example_site).as_posix() for p in (example_site / "assets").rglob("*")
    )
    assert assets == ["assets/logo.svg", "assets/maya-okafor.svg"]
    dotfiles = [p for p in example_site.rglob(".*") if p.name != ".cxsite-output"]
    assert dotfiles == []


def test_chart_images_have_alt_text_and_a_table(example_site: Path) -> None:
    html = (example_site / "metrics/nps.html").read_text()
    img = re.search(r'<img src="../charts/metric-nps-trend.svg" alt="([^"]+)"', html)
    assert img and len(img.group(1)) > 20
    assert "<caption>Values by period</caption>" in html


def test_cx_json_holds_the_model_and_series(example_site: Path) -> None:
    data = json.loads((example_site / "data/cx.json").read_text())
    assert list(data) == [
        "generator",
        "as_of",
        "config",
        "personas",
        "journeys",
        "touchpoints",
        "metrics",
        "research",
        "evidence",
    ]
    assert data["as_of"] == "2026-09-21"
    assert "maya-okafor" in data["personas"]
    series = data["metrics"]["nps"]["computed"]["series"]
    assert series and {"period", "value", "n"} <= set(series[0])
    # the change between two values given in YAML is their decimal difference, as read
    deltas = {
        m: data["metrics"][m]["computed"]["trend"]["delta"]
        for m in ("churn-rate", "pickup-ready-on-time", "store-run-return-rate")
    }
    assert deltas == {"churn-rate": -0.1, "pickup-ready-on-time": 0.7, "store-run-return-rate": 6.7}


def test_search_index_covers_every_kind(example_site: Path) -> None:
    text = (example_site / "search-index.js").read_text()
    assert text.startswith("window.CXSITE_SEARCH = ")
    data = json.loads(text[len("window.CXSITE_SEARCH = ") : -2])
    kinds = {d["kind"] for d in data["docs"]}
    assert kinds == {
        "persona", "journey", "stage", "pain", "opportunity", "touchpoint", "metric", "research"
    }  # fmt: skip


def test_as_of_date_in_footer(example_site: Path) -> None:
    assert (
        'datetime="2026-09-21">21 September 2026</time>'
        in (example_site / "index.html").read_text()
    )


@pytest.mark.slow
def test_builds_are_reproducible_and_noop_rebuild_rewrites_nothing(
    example_site: Path, tmp_path: Path
) -> None:
    project = example_site.parent
    other = tmp_path / "again"
    assert run_build(str(project), "-o", str(other), "--no-pdf", "-q").exit_code == 0
    first = {
        p.relative_to(example_site): p.read_bytes() for p in example_site.rglob("*") if p.is_file()
    }
    second = {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    assert first == second
    stats = {p: os.stat(p) for p in other.rglob("*") if p.is_file()}
    assert run_build(str(project), "-o", str(other), "--no-pdf", "-q").exit_code == 0
    changed = [
        p
        for p, st in stats.items()
        if (os.stat(p).st_ino, os.stat(p).st_mtime_ns) != (st.st_ino, st.st_mtime_ns)
    ]
    assert changed == []


def test_summary_and_quiet(make_project, tmp_path: Path) -> None:
    root = make_project()
    result = run_build(str(root), "-o", str(tmp_path / "out"), "--no-pdf")
    assert result.exit_code == 0
    assert re.search(
        r"^Built \d+ pages, \d+ charts \(\d+ drawn, \d+ cached\), 0 PDF briefs into .* "
        r"in [\d.]+ s$",
        result.stderr,
        re.M,
    )
    quiet = run_build(str(root), "-o", str(tmp_path / "out"), "--no-pdf", "--quiet")
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_invalid_project_writes_nothing(make_project, tmp_path: Path) -> None:
    root = make_project({"personas/maya.yaml": "name: Maya\nrole: R\ngaols: []\n"})
    out = tmp_path / "out"
    result = run_build(str(root), "-o", str(out))
    assert result.exit_code == 1
    assert "personas/maya.yaml:3:1: error E201" in result.stdout
    assert result.stderr.splitlines()[-1] == "Error: 1 error, 1 warning"  # as check counts
    assert not out.exists()


class _Told:
    """A reporter that keeps what a build tells it."""

    def __init__(self) -> None:
        self.steps: list[str] = []
        self.problems_told: list[str] = []
        self.pages_total: list[int] = []

    def step(self, message: str) -> None:
        self.steps.append(message)

    @contextmanager
    def pages(self, total: int):
        self.pages_total.append(total)
        yield None

    def problems(self, lines) -> None:
        self.problems_told.extend(lines)


def test_the_build_prints_nothing_and_tells_its_reporter(
    make_project, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """`build_site` returns its summary and tells progress and problem lines to the
    reporter it is given; printing them is the CLI's business."""
    from cxsite.commands.build import build_site

    root = make_project({"personas/notes.md": "x"})
    warning = "personas/notes.md:1:1: warning W520: file ignored: not a .yaml or .yml file"
    told = _Told()
    summary = build_site(root, tmp_path / "out", pdf=False, report=told)
    assert capfd.readouterr() == ("", "")
    assert told.problems_told == [warning]
    charts = summary.charts_rendered + summary.charts_cached
    assert told.steps == ["Validating", f"Drawing {charts} charts"]
    assert len(told.pages_total) == 1 and told.pages_total[0] >= summary.pages > 0
    again = _Told()
    skipped = build_site(root, tmp_path / "out", pdf=False, report=again)
    assert capfd.readouterr() == ("", "")
    assert (again.steps, again.problems_told) == ([], [warning])  # up to date: lines again
    assert (skipped.pages, skipped.charts_rendered) == (summary.pages, 0)


def test_the_error_boundary_makes_one_line_of_an_unexpected_error() -> None:
    from cxsite.problems import BuildFailed, CxError, error_boundary

    message = "the build failed ({reason}); the previous output is unchanged"
    with pytest.raises(BuildFailed) as failed, error_boundary(BuildFailed, message):
        raise OSError("disk {full}")
    assert failed.value.format_message() == (
        "the build failed (disk {full}); the previous output is unchanged"
    )
    with pytest.raises(BuildFailed, match=r"\(KeyError\)"), error_boundary(BuildFailed, message):
        raise KeyError
    for passes in (CxError("as it is"), KeyboardInterrupt()):
        with pytest.raises(type(passes)), error_boundary(BuildFailed, message):
            raise passes


def _built_then_edited(make_project, tmp_path: Path) -> tuple[Path, Path, dict[Path, bytes]]:
    """A project built into `tmp_path/out`, then edited; the output's files as built."""
    root = make_project()
    out = tmp_path / "out"
    assert run_build(str(root), "-o", str(out), "--no-pdf", "-q").exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (root / "personas/maya.yaml").write_text(
        (root / "personas/maya.yaml").read_text().replace("Maya Chen", "Maya Changed")
    )
    return root, out, before


def test_failure_after_validation_keeps_previous_site(
    make_project, tmp_path: Path, monkeypatch
) -> None:
    root, out, before = _built_then_edited(make_project, tmp_path)

    def explode(*args, **kwargs):
        raise RuntimeError("injected failure while rendering")

    monkeypatch.setattr("cxsite.site.render.render_pages", explode)
    result = run_build(str(root), "-o", str(out), "--no-pdf", "-q")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: the build failed (injected failure while rendering); "
        "the previous output is unchanged"
    )
    after = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        {"out", *(p.name for p in tmp_path.iterdir() if p.name.startswith("project"))}
    )


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_chart_that_fails_to_draw_fails_the_build_and_keeps_previous_site(
    make_project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    from cxsite.charts.draw import DRAWERS

    root, out, before = _built_then_edited(make_project, tmp_path)

    def explode(data, style, words):
        raise RuntimeError("injected failure while drawing")

    monkeypatch.setitem(DRAWERS, "ipa", explode)  # forked chart workers inherit it
    # `cxsite build` has one thread, so its workers are forked; this test process may keep
    # other tests' server threads (which would make the workers start from a fork server).
    monkeypatch.setattr("threading.active_count", lambda: 1)
    result = run_build(str(root), "-o", str(out), "--no-pdf", "-q", "-j", jobs)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == (
        "Error: the build failed (injected failure while drawing); the previous output is unchanged"
    )
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        {"out", *(p.name for p in tmp_path.iterdir() if p.name.startswith("project"))}
    )


def test_charts_drawn_beside_the_pages_give_the_serial_build_bytes(
    make_project, tmp_path: Path
) -> None:
    root = make_project()
    sites = {}
    for jobs in ("1", "2"):
        shutil.rmtree(root / ".cxsite-cache", ignore_errors=True)  # every chart drawn again
        out = tmp_path / f"j{jobs}"
        result = run_build(str(root), "-o", str(out), "--no-pdf", "-j", jobs)
        assert result.exit_code == 0
        assert re.search(r", (\d+) charts \(\1 drawn, 0 cached\)", result.stderr)
        sites[jobs] = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert any(p.suffix == ".svg" for p in sites["1"])
    assert sites["1"] == sites["2"]


@pytest.mark.parametrize("where", ["project", "parent", "foreign"])
def test_cli_refuses_unsafe_output(make_project, tmp_path: Path, where: str) -> None:
    root = make_project()
    out = {"project": root, "parent": root.parent, "foreign": tmp_path / "mine"}[where]
    if where == "foreign":
        out.mkdir()
        (out / "notes.txt").write_text("keep me")
    before = sorted(p.name for p in out.iterdir())
    result = run_build(str(root), "-o", str(out), "--no-pdf")
    assert result.exit_code == 1
    reason = {
        "project": "it is the project folder",
        "parent": "it contains the project folder",
        "foreign": "it is not empty and was not made by cxsite (no .cxsite-output file)",
    }[where]
    assert (
        result.stderr.strip().splitlines()[-1]
        == f"Error: refusing to write the site to {out.resolve()}: {reason}"
    )
    assert sorted(p.name for p in out.iterdir()) == before


HOSTILE = (
    "<script>alert('x')</script> <img src=x onerror=alert(1)> [a](javascript:alert(1)) "
    "[b](JAVASCRIPT:alert(1)) [c](java&#09;script:alert(1)) <iframe src=https://evil.example></iframe>"
)


_THEME_INLINE = 'document.documentElement.classList.add("js")'


class _Dangerous(HTMLParser):
    """Collects every executable or off-site construct in a page (not text that merely says so)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.messages = False  # inside the theme's JSON of interface texts (not run)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.messages = tag == "script" and (
            dict(attrs).get("type"),
            dict(attrs).get("id"),
        ) == ("application/json", "cx-messages")
        theme_form = tag == "form" and dict(attrs).get("id") in (
            "search-form",
            "catalog-filters",
            "freshness-filters",
        )
        if tag in ("iframe", "object", "embed", "form") and not theme_form:
            self.found.append(f"<{tag}>")
        if tag == "script":
            src = dict(attrs).get("src")
            theme = ("static/cxsite.js", "static/search.js", "search-index.js", "umd.js")
            if src is not None and not src.endswith(theme):
                self.found.append(f"script src={src!r}")
        for name, value in attrs:
            v = (value or "").strip().lower()
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            scheme = v.split(":", 1)[0] if ":" in v.split("/")[0] else ""
            unsafe = scheme not in ("", "http", "https", "mailto") and v != "data:,"
            if name in ("href", "src", "action") and unsafe:
                self.found.append(f"{tag} {name}={value}")
            if tag == "img" and name == "src" and v == "x":
                self.found.append("img src=x")

    def handle_data(self, data: str) -> None:
        # The theme's only inline script marks the page as having JavaScript.
        # The theme's JSON of interface texts (for its scripts) is data: texts only.
        if self.lasttag == "script" and self.messages and data.strip():
            texts = json.loads(data)
            if not all(isinstance(v, str) and "<" not in v for v in texts.values()):
                self.found.append(f"messages {data[:40]!r}")
        elif self.lasttag == "script" and data.strip() not in ("", _THEME_INLINE):
            self.found.append(f"inline script {data[:40]!r}")


def _dangerous(html: str) -> list[str]:
    parser = _Dangerous()
    parser.feed(html)
    return parser.found


def test_hostile_content_never_reaches_a_page_or_the_index(make_project, tmp_path: Path) -> None:
    root = make_project(
        {
            "cxsite.yaml": f'title: T\ndescription: "{HOSTILE}"\n',
            "personas/maya.yaml": (
                'name: "<script>alert(1)</script>Maya"\nrole: R\n'
                f'summary: "{HOSTILE} [x](https://ok.example){{onclick=alert(1)}}"\n'
                f'goals: ["{HOSTILE}"]\n'
                'quote: "<img src=x onerror=alert(1)>"\n'
                'evidence:\n  - source: S\n    url: "javascript:alert(1)"\n    date: 2026-06-01\n'
            ),
            "journeys/buy.yaml": (
                f'title: "<svg onload=alert(1)>Buy"\npersonas: [maya]\nsummary: "{HOSTILE}"\n'
                'stages:\n  - name: "<b onmouseover=alert(1)>Pay</b>"\n    emotion: 1\n'
                "    touchpoints: [web-shop]\n    metrics: [nps]\n"
                f'    actions: ["{HOSTILE}"]\n    thoughts: ["<script>alert(2)</script>"]\n'
                f'    pain_points: ["{HOSTILE}"]\n'
                f'    opportunities: [{{text: "{HOSTILE}", owner: "<i onclick=x>o</i>"}}]\n'
            ),
            "touchpoints/web-shop.yaml": (
                "name: Web shop\nchannel: web\nphase: during\nmetrics: [nps]\n"
                f'description: "{HOSTILE}\\n\\nPara\\n{{: onclick=alert(1) }}"\n'
                f'expectations: ["{HOSTILE}"]\nowner: "<script>x</script>"\n'
                "ratings:\n  maya: {importance: 4, satisfaction: 3}\n"
            ),
            "metrics/nps.yaml": (
                'name: "<iframe src=x>NPS"\nkind: nps\ntarget: 40\n'
                f'description: "{HOSTILE}"\n'
                "values:\n  - {period: 2026-Q1, value: 31}\n  - {period: 2026-Q2, value: 35}\n"
            ),
        }
    )
    out = tmp_path / "out"
    result = run_build(str(root), "-o", str(out), "--no-pdf", "-q")
    assert result.exit_code == 0, result.output
    offenders = [
        f"{path.relative_to(out)}: {what}"
        for path in sorted(out.rglob("*.html"))
        for what in _dangerous(path.read_text())
    ]
    assert offenders == []
    index = (out / "search-index.js").read_text()
    assert [w for w in ("<", ">", "javascript:", "onerror", "alert") if w in index.lower()] == []
    # The data export keeps the raw Markdown (it is data), but never a raw "<".
    assert "<" not in (out / "data/cx.json").read_text()
    page = (out / "personas/maya.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Maya" in page  # a name is text, shown escaped
    assert '<a href="https://ok.example" rel="noopener noreferrer">x</a>' in page


def test_theme_overrides_templates_and_static(make_project, tmp_path: Path) -> None:
    root = make_project(
        {
            "theme/templates/base.html": (
                '{% extends "!default/base.html" %}'
                '{% block head %}<meta name="x-override" content="yes">{% endblock %}'
            ),
            "theme/static/cxsite.css": "body { color: red }\n",
            "theme/static/extra.css": "p { margin: 0 }\n",
            "theme/static/.secret": "no",
            "assets/unused.png": b"\x89PNG",
        }
    )
    out = tmp_path / "out"
    assert run_build(str(root), "-o", str(out), "--no-pdf", "-q").exit_code == 0
    assert '<meta name="x-override" content="yes">' in (out / "index.html").read_text()
    assert '<nav class="site-nav"' in (out / "index.html").read_text()  # the rest is the default
    assert (out / "static/cxsite.css").read_text() == "body { color: red }\n"
    assert (out / "static/extra.css").is_file()
    assert (out / "static/cxsite.js").is_file()
    assert not (out / "static/.secret").exists()
    assert not (out / "assets").exists()


def test_sitemap_and_canonical_with_base_url(make_project, tmp_path: Path) -> None:
    root = make_project({"cxsite.yaml": "title: T\nbase_url: https://cx.example.com/site\n"})
    out = tmp_path / "out"
    assert run_build(str(root), "-o", str(out), "--no-pdf", "-q").exit_code == 0
    sitemap = (out / "sitemap.xml").read_text()
    assert "<loc>https://cx.example.com/site/personas/maya.html</loc>" in sitemap
    assert "404.html" not in sitemap
    assert (
        '<link rel="canonical" href="https://cx.example.com/site/journeys/buy.html">'
        in (out / "journeys/buy.html").read_text()
    )


def test_a_project_with_only_a_config_builds_every_page(make_project, tmp_path: Path) -> None:
    root = make_project({"cxsite.yaml": "title: Empty\n"}, base=False)
    out = tmp_path / "out"
    result = run_build(str(root), "-o", str(out), "--no-pdf", "-q")
    assert result.exit_code == 0, result.output
    pages = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))
    assert pages == [
        "404.html", "freshness.html", "index.html", "insights.html", "journeys/index.html",
        "metrics/index.html", "personas/index.html", "research/index.html", "search.html",
        "touchpoints/index.html",
    ]  # fmt: skip
    assert "No personas yet" in (out / "personas/index.html").read_text()
    assert "No studies yet" in (out / "research/index.html").read_text()
    # no study: no Research link in the navigation
    assert "research/index.html" not in (out / "index.html").read_text()


def test_as_of_date_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime as dt
    import subprocess

    from cxsite.load.asof import as_of_date

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert as_of_date(tmp_path) == dt.date(2026, 9, 21)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q"], check=True)
    (repo / "cxsite.yaml").write_text("title: T\n")
    subprocess.run([*git, "add", "."], check=True)
    env = {"GIT_COMMITTER_DATE": "2025-03-04T12:00:00Z", "GIT_AUTHOR_DATE": "2025-03-04T12:00:00Z"}
    subprocess.run([*git, "commit", "-q", "-m", "x"], check=True, env={**os.environ, **env})
    assert as_of_date(repo) == dt.date(2025, 3, 4)
    plain = tmp_path / "plain"
    plain.mkdir()
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert as_of_date(plain) == dt.datetime.now(tz=dt.UTC).date()


@pytest.mark.parametrize("value", ["garbage", "1e9", "1780000000.5", "99999999999999999"])
def test_a_malformed_source_date_epoch_is_an_error(example_site: Path, value: str) -> None:
    """Reproducible builds: a SOURCE_DATE_EPOCH that is not a whole number of seconds
    stops the build in one line; it used to fall back to the git date or today, silently."""
    result = CliRunner(env={"SOURCE_DATE_EPOCH": value}).invoke(
        cli, ["check", str(example_site.parent)]
    )
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"Error: SOURCE_DATE_EPOCH is {value!r}: it must be a whole number of seconds "
        "since 1970-01-01 (UTC)"
    ]


@pytest.mark.pdf
@pytest.mark.slow
def test_brief_links_point_at_the_built_pdfs(example_site: Path, tmp_path: Path) -> None:
    out = tmp_path / "with-pdf"
    assert run_build(str(example_site.parent), "-o", str(out), "-q").exit_code == 0
    links = [v for tag, attr, v in _parse(out / "index.html").refs if v.endswith(".pdf")]
    assert sorted(links) == sorted(f"briefs/{p.name}" for p in (out / "briefs").glob("*.pdf"))
    assert len(links) == 6  # the example has six briefs (one an A3 poster)
    assert all((out / link).read_bytes().startswith(b"%PDF-") for link in links)


def test_example_research_and_evidence_pages(example_site: Path) -> None:
    """The example's studies, what rests on them, and the evidence marks and health of its
    journeys, as a reader sees them."""
    data = json.loads((example_site / "data/cx.json").read_text())
    assert data["evidence"]["tracked"] is True
    assert len(data["research"]) >= 6
    scores = {j: v["health"]["score"] for j, v in data["evidence"]["journeys"].items()}
    assert len(set(round(s) for s in scores.values())) == len(scores)  # they differ
    index = (example_site / "research/index.html").read_text()
    assert "Click &amp; collect diary study" in index
    assert 'href="../research/index.html"' in (example_site / "journeys/index.html").read_text()
    study = (example_site / "research/click-and-collect-diary.html").read_text()
    assert "What rests on this study" in study
    assert "Staff search the back room for orders already marked as ready" in study
    journey = (example_site / "journeys/family-camping-trip.html").read_text()
    assert 'class="badge badge-assumption"' in journey
    assert 'class="curve is-assumption"' in journey
    assert "Journey health:" in journey and "How to raise it" in journey
    # the score and its smaller scale stay on one line in the narrow tile ("82 /" above "100")
    score = round(scores["family-camping-trip"])
    assert (
        f'<div class="kpi-value">{score}<span class="kpi-of">&nbsp;/&nbsp;100</span></div>'
        in journey
    )
    svg = (example_site / "charts/journey-family-camping-trip-emotion.svg").read_text()
    assert "dashed line, hollow point: assumption" in svg


def test_the_summary_line_counts_in_the_singular_and_the_plural() -> None:
    one = BuildSummary(Path("_site"), 1, 1, 0, 1, 3, 0.42)
    assert one.line() == (
        "Built 1 page, 1 chart (1 drawn, 0 cached), 1 PDF brief into _site in 0.4 s"
    )
    two = BuildSummary(Path("out"), 63, 0, 36, 6, 120, 2.0)
    assert two.line() == (
        "Built 63 pages, 36 charts (0 drawn, 36 cached), 6 PDF briefs into out in 2.0 s"
    )


def test_a_kpi_tiles_sparkline_says_only_what_the_tile_does_not(example_site: Path) -> None:
    home = (example_site / "index.html").read_text(encoding="utf-8")
    spark = r'<img class="kpi-spark" src="charts/metric-nps-spark.svg" alt="([^"]*)">'
    alt = re.search(spark, home)
    assert alt is not None
    assert alt.group(1) == (
        "Net Promoter Score (relationship) in points by period: 2026-03 37, 2026-04 36, "
        "2026-05 30, 2026-06 25, 2026-07 31, 2026-08 36, 2026-09 40, 2026-10 44."
    )
    # the tile's text has the latest value, target and change; the trend chart says them too
    trend = (example_site / "charts/metric-nps-trend.svg").read_text(encoding="utf-8")
    assert "Latest 44 points (n=72, margin of error ±16.3); target 45 points: off target" in trend


def test_a_themes_nps_reads_in_whole_points_as_every_nps(example_site: Path) -> None:
    page = (example_site / "metrics/store-visit-nps.html").read_text(encoding="utf-8")
    rows = re.findall(
        r'<tr><th scope="row">([^<]+)</th><td class="num">\d+</td><td class="num">[^<]+</td>'
        r'<td class="num">([^<]+)</td>',
        page,
    )
    assert rows[:3] == [("queues", "10 pts"), ("stock", "-27 pts"), ("advice", "72 pts")]


def test_a_projects_own_channels_are_names_and_take_labels(make_project, tmp_path: Path) -> None:
    # SPEC 3.1: `channels` is [text]; SPEC 8.12: `channel.<id>` labels name a channel
    root = make_project(
        {
            "cxsite.yaml": (
                "title: T\nchannels: [ATM lobby, kiosk]\n"
                "labels: {channel.kiosk: Self-service kiosk}\n"
            ),
            "touchpoints/atm.yaml": "name: ATM\nchannel: ATM lobby\nphase: during\n",
            "touchpoints/kiosk.yaml": "name: Kiosk\nchannel: kiosk\nphase: during\n",
        }
    )
    build_site(root, tmp_path / "out", pdf=False)
    eyebrow = r'<p class="eyebrow">([^<]*)</p>'
    pages = tmp_path / "out/touchpoints"
    atm = re.search(eyebrow, (pages / "atm.html").read_text(encoding="utf-8"))
    kiosk = re.search(eyebrow, (pages / "kiosk.html").read_text(encoding="utf-8"))
    assert atm is not None and kiosk is not None
    assert (atm.group(1), kiosk.group(1)) == (
        "Touchpoint · ATM lobby",
        "Touchpoint · Self-service kiosk",
    )
    catalogue = (pages / "index.html").read_text(encoding="utf-8")
    assert '<tr data-channel="ATM lobby"' in catalogue
    # `cxsite labels` prints every key a label may set, the project's own channels too
    listed = CliRunner().invoke(cli, ["labels", str(root)]).output.splitlines()
    assert "channel.ATM lobby\tATM lobby" in listed
    assert "channel.kiosk\tSelf-service kiosk" in listed
    assert listed == sorted(listed)
