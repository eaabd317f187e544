"""Git history in a build (SPEC 8.4, 8.5): the last change on each entity page, changes.html
between `changes_since` and the built version, the executive brief's "What changed", the
W526/W527 warnings, reproducibility and incremental builds. Real repositories, fixed dates."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from gitkit import commit, git, init

from cxsite.analysis.analyse import analyse
from cxsite.briefs.context import brief_html
from cxsite.cli import cli
from cxsite.commands.build import build_site
from cxsite.commands.living import living_data
from cxsite.session import Session
from cxsite.validate.project import load_project

EPOCH = "1790000000"  # 21 September 2026
AS_OF = dt.date(2026, 9, 21)


def _last_change(html: str) -> str | None:
    """The text of the page's last-change line, tags removed, or None."""
    found = re.search(r'<p class="last-change[^"]*">(.*?)</p>', html, re.S)
    if found is None:
        return None
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def _build(root: Path, out: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        cli,
        ["build", str(root), "-o", str(out), "--no-pdf", *args],
        catch_exceptions=False,
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )


@pytest.fixture
def repo(make_project, tmp_path: Path) -> Path:
    """The small base project as a repository: two commits on different days."""
    root = make_project()
    init(root)
    commit(root, "first", date="2026-03-02T10:00:00Z")
    text = (root / "journeys/buy.yaml").read_text().replace("emotion: 1", "emotion: -1")
    commit(root, "second", {"journeys/buy.yaml": text}, date="2026-04-15T23:30:00Z")
    return root


def short(root: Path, rev: str) -> str:
    return git(root, "rev-parse", "--short", rev).strip()


def test_entity_pages_show_their_last_commit(repo: Path, tmp_path: Path) -> None:
    result = _build(repo, tmp_path / "site")
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    first, second = short(repo, "HEAD~1"), short(repo, "HEAD")
    assert _last_change((site / "journeys/buy.html").read_text()) == (
        f"Last changed 15 April 2026 in commit {second}"
    )
    for page in ("personas/maya.html", "touchpoints/web-shop.html", "metrics/nps.html"):
        assert _last_change((site / page).read_text()) == (
            f"Last changed 2 March 2026 in commit {first}"
        )
    assert "Ana Ruiz" not in (site / "journeys/buy.html").read_text()  # show_authors is off


def test_authors_only_with_show_authors(repo: Path, tmp_path: Path) -> None:
    config = repo / "cxsite.yaml"
    commit(repo, "authors", {"cxsite.yaml": config.read_text() + "show_authors: true\n"},
           date="2026-05-01T10:00:00Z", author="Bo Berg")  # fmt: skip
    _build(repo, tmp_path / "site")
    assert _last_change((tmp_path / "site/journeys/buy.html").read_text()) == (
        f"Last changed 15 April 2026 in commit {short(repo, 'HEAD~1')} by Ana Ruiz"
    )


def test_uncommitted_and_new_files(repo: Path, tmp_path: Path) -> None:
    persona = repo / "personas/maya.yaml"
    persona.write_text(persona.read_text() + "quote: Faster, please.\n")
    (repo / "personas/dan.yaml").write_text(
        "name: Dan\nrole: Camper\nevidence:\n  - source: Interviews\n    date: 2026-06-01\n"
    )
    _build(repo, tmp_path / "site")
    site = tmp_path / "site"
    assert _last_change((site / "personas/maya.html").read_text()) == (
        f"Last changed 2 March 2026 in commit {short(repo, 'HEAD~1')}"
        " · changed since the last commit"
    )
    assert _last_change((site / "personas/dan.html").read_text()) == (
        "Not committed yet: this file is new since the last commit"
    )


def test_a_new_process_reads_only_the_changed_files_to_compare_them_with_head(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The id git gives each file's bytes is kept with its digest (signed, between
    processes): after one edit a new process reads only that file to tell what changed
    since the last commit, and sees the edit even when its size and mtime were put back."""
    import os

    from cxsite import cachefiles

    monkeypatch.setattr(cachefiles, "_RACY_NS", 0)  # as if each build ran seconds later
    _build(repo, tmp_path / "site")
    persona = repo / "personas/maya.yaml"
    before = persona.stat()
    persona.write_text(persona.read_text().replace("Maya", "Mara", 1))
    os.utime(persona, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert persona.stat().st_size == before.st_size
    read: list[str] = []
    original = cachefiles.read_with_stat

    def counted(path: Path, limit: int | None) -> object:
        if repo in path.parents and ".cxsite-cache" not in path.parts:
            read.append(path.relative_to(repo).as_posix())
        return original(path, limit)

    monkeypatch.setattr(cachefiles, "read_with_stat", counted)
    _build(repo, tmp_path / "site")
    assert set(read) == {"personas/maya.yaml"}
    assert _last_change((tmp_path / "site/personas/maya.html").read_text()).endswith(
        " · changed since the last commit"
    )


def test_the_history_is_read_again_only_when_head_or_the_files_change(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last commit of each file is kept (signed, between processes) with the HEAD it
    was read at: an edit's build in a new process asks git for no log, a new commit or a
    new file has it read again, and the pages say what a build without the kept history
    says."""
    from cxsite.incremental import fromgit

    _build(repo, tmp_path / "site")
    logs: list[str] = []
    original = fromgit.read_history

    def noted(root, head, wanted):  # type: ignore[no-untyped-def]
        logs.append(head[0])
        return original(root, head, wanted)

    monkeypatch.setattr(fromgit, "read_history", noted)
    persona = repo / "personas/maya.yaml"
    persona.write_text(persona.read_text().replace("Busy", "Very busy", 1))
    _build(repo, tmp_path / "site")
    assert logs == []  # HEAD and the files as before: the kept history
    assert _last_change((tmp_path / "site/personas/maya.html").read_text()) == (
        f"Last changed 2 March 2026 in commit {short(repo, 'HEAD~1')}"
        " · changed since the last commit"
    )
    (repo / "personas/dan.yaml").write_text("name: Dan\nrole: Camper\n")
    _build(repo, tmp_path / "site")
    assert len(logs) == 1  # a file the kept history was not read for
    commit(repo, "third", date="2026-05-20T08:00:00Z")
    _build(repo, tmp_path / "site")
    assert len(logs) == 2  # a new HEAD
    third = short(repo, "HEAD")
    for page in ("personas/maya.html", "personas/dan.html"):
        text = _last_change((tmp_path / "site" / page).read_text())
        assert text == f"Last changed 20 May 2026 in commit {third}"
    shutil.rmtree(repo / ".cxsite-cache")
    _build(repo, tmp_path / "fresh")
    assert _files(tmp_path / "fresh") == _files(tmp_path / "site")


def test_a_shallow_clone_made_deeper_shows_the_last_changes_of_the_deeper_history(
    repo: Path, tmp_path: Path
) -> None:
    """CI clones one commit deep, and a cache folder kept between jobs outlives the clone's
    depth: with the whole history fetched (same HEAD, same files), the pages must say each
    file's real last commit, as a build without any cache says, not the shallow one's."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    _build(clone, tmp_path / "site")
    first, second = short(repo, "HEAD~1"), short(repo, "HEAD")
    page = tmp_path / "site/personas/maya.html"
    assert _last_change(page.read_text()) == f"Last changed 15 April 2026 in commit {second}"
    git(clone, "fetch", "-q", "--unshallow")
    assert _build(clone, tmp_path / "site").exit_code == 0
    assert _last_change(page.read_text()) == f"Last changed 2 March 2026 in commit {first}"
    # the freshness table writes the date as its other date columns do
    table = (tmp_path / "site/freshness.html").read_text(encoding="utf-8")
    assert f"<td>2 Mar 2026 · {first}</td>" in table
    shutil.rmtree(clone / ".cxsite-cache")
    _build(clone, tmp_path / "fresh")
    assert _files(tmp_path / "fresh") == _files(tmp_path / "site")


def test_a_metric_shows_the_newer_of_its_file_and_its_responses(repo: Path, tmp_path) -> None:
    metric = "name: NPS\nkind: nps\ntarget: 40\nresponses: data/nps.csv\nperiod: quarter\n"
    commit(repo, "responses", {"metrics/nps.yaml": metric,
           "data/nps.csv": "date,score\n2026-01-10,9\n"}, date="2026-05-01T10:00:00Z")  # fmt: skip
    commit(repo, "more answers", {"data/nps.csv": "date,score\n2026-01-10,9\n2026-02-10,7\n"},
           date="2026-06-01T10:00:00Z")  # fmt: skip
    _build(repo, tmp_path / "site")
    assert _last_change((tmp_path / "site/metrics/nps.html").read_text()) == (
        f"Last changed 1 June 2026 in commit {short(repo, 'HEAD')}"
    )


def test_nothing_is_shown_outside_git(make_project, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = make_project()
    result = _build(root, tmp_path / "site")
    assert result.exit_code == 0
    assert "last-change" not in (tmp_path / "site/journeys/buy.html").read_text()
    assert not (tmp_path / "site/changes.html").exists()


def test_history_builds_are_reproducible(repo: Path, tmp_path: Path) -> None:
    _build(repo, tmp_path / "one")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", f"file://{repo}", str(clone))
    _build(clone, tmp_path / "two")
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*")
           if p.is_file()}  # fmt: skip
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*")
           if p.is_file()}  # fmt: skip
    assert one == two


def test_a_commit_without_file_changes_updates_the_pages(repo: Path, tmp_path: Path) -> None:
    """The cache key holds the HEAD commit: the files are the same bytes, the history is
    not, so the next build is not skipped, and equals a clean build."""
    out = tmp_path / "site"
    build_site(repo, out, pdf=False)
    persona = repo / "personas/maya.yaml"
    persona.write_text(persona.read_text() + "quote: Faster.\n")
    build_site(repo, out, pdf=False)
    assert "changed since the last commit" in (out / "personas/maya.html").read_text()
    commit(repo, "quote", date="2026-06-02T10:00:00Z")
    build_site(repo, out, pdf=False, session=Session())
    page = (out / "personas/maya.html").read_text()
    assert _last_change(page) == f"Last changed 2 June 2026 in commit {short(repo, 'HEAD')}"
    clean = tmp_path / "clean"
    shutil.copytree(repo, tmp_path / "copy", ignore=shutil.ignore_patterns(".cxsite-cache"))
    build_site(tmp_path / "copy", clean, pdf=False)
    assert (clean / "personas/maya.html").read_bytes() == page.encode()


def test_changes_page_with_both_curves_and_nav_link(repo: Path, tmp_path: Path) -> None:
    git(repo, "tag", "v1", "HEAD~1")
    config = repo / "cxsite.yaml"
    config.write_text(config.read_text() + "changes_since: v1\n")
    result = _build(repo, tmp_path / "site", "--strict")
    assert result.exit_code == 0, result.output
    site = tmp_path / "site"
    page = (site / "changes.html").read_text()
    assert '<a href="changes.html" aria-current="page">Changes</a>' in page
    assert '<a href="../changes.html">Changes</a>' in (site / "personas/maya.html").read_text()
    assert "What changed" in page
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Emotion Purchase +1 -1" in text  # the change table
    assert "Purchase +1 −1 ▼ −2" in text  # the chart's table of numbers
    assert "Changed changes_since – v1" in text
    svg = (site / "charts/changes-buy-emotion.svg").read_text()
    assert re.search(r'<title id="[^"]+">Emotion curve before and after: Buy running shoes<', svg)
    assert "Emotion per stage of Buy running shoes at v1 (dashed) and now (solid). " in svg
    assert 'src="charts/changes-buy-emotion.svg"' in page


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_a_new_process_takes_the_revision_an_earlier_build_kept(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project at `changes_since` is read from git, validated and analysed once, then
    kept (signed) for the next process: an edit's build does not read that commit again,
    and its site is the one a build without the kept version makes. A damaged file is not
    trusted; at most KEPT versions stay."""
    from cxsite.commands import living
    from cxsite.incremental import fromgit as versions

    git(repo, "tag", "v1", "HEAD~1")
    v1 = git(repo, "rev-parse", "v1").strip()
    config = repo / "cxsite.yaml"
    config.write_text(config.read_text() + "changes_since: v1\n")
    assert _build(repo, tmp_path / "site").exit_code == 0
    cache = repo / ".cxsite-cache"
    assert [p.name for p in cache.glob("version-*.pickle")] == [f"version-{v1}.pickle"]
    read: list[str] = []
    original = living.revision_version

    def noted(root, repo_, revision, as_of, **options):  # type: ignore[no-untyped-def]
        read.append(revision)
        return original(root, repo_, revision, as_of, **options)

    monkeypatch.setattr(living, "revision_version", noted)
    persona = repo / "personas/maya.yaml"
    persona.write_text(persona.read_text().replace("Maya Chen", "Maya C."))
    assert _build(repo, tmp_path / "site").exit_code == 0
    assert read == []  # taken from the cache folder
    kept = cache / f"version-{v1}.pickle"
    body = kept.read_bytes()  # damaged: the MAC no longer verifies
    kept.write_bytes(body[:-1] + (b"1" if body.endswith(b"0") else b"0"))
    assert _build(repo, tmp_path / "again").exit_code == 0
    assert read == [v1]  # read from git again
    assert _files(tmp_path / "again") == _files(tmp_path / "site")
    as_of = dt.date(2026, 9, 21)  # SOURCE_DATE_EPOCH's
    version = versions.kept_version(cache, v1, as_of)
    assert version is not None and version.project.personas["maya"].name == "Maya Chen"
    for n in range(versions.KEPT + 2):  # other commits' versions: only the newest stay
        versions.keep_version(cache, f"{n:040x}", as_of, version)
    assert len(list(cache.glob("version-*.pickle"))) == versions.KEPT
    assert versions.kept_version(cache, f"{versions.KEPT + 1:040x}", as_of) is not None
    assert versions.kept_version(cache, "../../etc/passwd", as_of) is None  # ids only


def test_no_changes_page_without_changes_since(repo: Path, tmp_path: Path) -> None:
    _build(repo, tmp_path / "site")
    assert not (tmp_path / "site/changes.html").exists()
    assert "changes.html" not in (tmp_path / "site/index.html").read_text()


def test_w526_unknown_changes_since_revision(repo: Path, tmp_path: Path) -> None:
    config = repo / "cxsite.yaml"
    config.write_text(config.read_text() + "changes_since: v9\n")
    result = _build(repo, tmp_path / "site")
    assert result.exit_code == 0
    line = ("cxsite.yaml:2:1: warning W526: changes_since 'v9' cannot be compared: "
            "bad revision 'v9': fatal: Needed a single revision")  # fmt: skip
    assert result.stdout.splitlines() == [line]
    page = (tmp_path / "site/changes.html").read_text()
    assert "could not be shown: bad revision" in page
    strict = _build(repo, tmp_path / "strict", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.splitlines() == [line]
    again = _build(repo, tmp_path / "site")  # up to date: the same warning again
    assert again.stdout.splitlines() == [line]


def test_w527_changes_since_a_revision_with_errors(repo: Path, tmp_path: Path) -> None:
    good = (repo / "personas/maya.yaml").read_text()
    commit(repo, "broken", {"personas/maya.yaml": "name: Maya\n"}, tag="broken",
           date="2026-05-01T10:00:00Z")  # fmt: skip
    config = "title: Test CX\nchanges_since: broken\n"
    commit(repo, "fixed", {"personas/maya.yaml": good, "cxsite.yaml": config},
           date="2026-05-02T10:00:00Z")  # fmt: skip
    result = _build(repo, tmp_path / "site")
    assert result.stdout.splitlines() == [
        "cxsite.yaml:2:1: warning W527: changes_since 'broken' cannot be compared: the project "
        "at that revision has 1 error, the first: personas/maya.yaml:1:1: error E202: "
        "missing required key 'role'"
    ]


def test_changes_since_outside_git_is_w526(make_project, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    root = make_project({"cxsite.yaml": "title: T\nchanges_since: v1\n"})
    result = _build(root, tmp_path / "site")
    assert result.stdout.splitlines() == [
        "cxsite.yaml:2:1: warning W526: changes_since 'v1' cannot be compared: "
        "the project is not in a git repository"
    ]


def test_changes_since_without_git_says_git_is_missing(repo: Path, monkeypatch) -> None:
    """Inside a repository, with no git program on PATH: the warning names the real cause."""
    empty = repo.parent / "no-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    (repo / "cxsite.yaml").write_text("title: T\nchanges_since: v1\n")
    result = _build(repo, repo.parent / "site")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "cxsite.yaml:2:1: warning W526: changes_since 'v1' cannot be compared: "
        "git is not installed (no 'git' program on PATH)"
    ]


def test_executive_brief_what_changed_page(repo: Path) -> None:
    git(repo, "tag", "v1", "HEAD~1")
    (repo / "cxsite.yaml").write_text(
        "title: Test CX\nbriefs:\n  - {id: board, kind: executive, since: v1}\n"
        "  - {id: plain, kind: executive}\n"
    )
    session = Session()
    session.new_build(AS_OF)
    checked = load_project(repo, session)
    assert checked.project is not None
    analysis = analyse(checked.project, checked.metric_data)
    session.living, problems = living_data(
        checked.project, analysis, head=None, as_of=AS_OF, session=session, history=False
    )
    assert problems == []
    briefs = {b.id: b for b in checked.project.config.brief_list()}
    html = brief_html(checked.project, analysis, {}, briefs["board"], AS_OF, session).html
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "What changed since v1" in text
    assert "Emotion Purchase +1 -1 ▼" in text
    plain = brief_html(checked.project, analysis, {}, briefs["plain"], AS_OF, session).html
    assert "What changed since" not in plain


@pytest.mark.pdf
@pytest.mark.slow
def test_executive_brief_pdf_has_the_what_changed_page(repo: Path, tmp_path: Path) -> None:
    from pypdf import PdfReader

    git(repo, "tag", "v1", "HEAD~1")
    (repo / "cxsite.yaml").write_text(
        "title: Test CX\nbriefs:\n  - {id: board, kind: executive, since: v1}\n"
    )
    result = CliRunner().invoke(
        cli, ["pdf", str(repo), "-o", str(tmp_path / "out")], env={"SOURCE_DATE_EPOCH": EPOCH}
    )
    assert result.exit_code == 0, result.output
    reader = PdfReader(tmp_path / "out/briefs/board.pdf")
    texts = [page.extract_text() for page in reader.pages]
    # the summary on page 1 counts the changes; a section before Methods lists them
    assert "WHAT CHANGED SINCE V1" in texts[0].upper()
    summary = " ".join(texts[0].split())
    assert "4 changes: 1 journey, the project settings. Details on the last pages." in summary
    listed = next(t for t in texts[1:] if "What changed since v1" in t)
    assert "Purchase" in listed.split("What changed since v1", 1)[1]
    assert texts[-1].startswith("Methods")


def test_a_moved_tag_changes_the_report_of_an_incremental_build(repo: Path, tmp_path: Path) -> None:
    """`changes_since: v1` shows the changes since the commit v1 names now: a tag moved (or
    a branch fetched, a tag made) with HEAD and the files as they were is another input."""
    git(repo, "tag", "v1", "HEAD~1")
    config = repo / "cxsite.yaml"
    config.write_text(config.read_text() + "changes_since: v1\n")
    site = tmp_path / "site"
    assert _build(repo, site).exit_code == 0
    assert "4 changes in 2 items since <code>v1</code>" in (site / "changes.html").read_text()
    git(repo, "tag", "-f", "v1", "HEAD")
    assert _build(repo, site).exit_code == 0
    fresh = tmp_path / "fresh"
    shutil.rmtree(repo / ".cxsite-cache")
    assert _build(repo, fresh).exit_code == 0
    assert (site / "changes.html").read_bytes() == (fresh / "changes.html").read_bytes()
    assert "4 changes in 2 items" not in (site / "changes.html").read_text()


def test_a_tag_made_after_a_build_is_found_by_the_next(repo: Path, tmp_path: Path) -> None:
    config = repo / "cxsite.yaml"
    config.write_text(config.read_text() + "changes_since: later\n")
    first = _build(repo, tmp_path / "site")
    assert "W526: changes_since 'later' cannot be compared: bad revision 'later'" in first.stdout
    git(repo, "tag", "later", "HEAD~1")
    again = _build(repo, tmp_path / "site")
    assert again.exit_code == 0 and "W526" not in again.stdout
    assert "since <code>later</code>" in (tmp_path / "site/changes.html").read_text()


def test_warnings_of_unreadable_revisions_come_in_line_order(repo: Path, tmp_path: Path) -> None:
    config = repo / "cxsite.yaml"
    config.write_text(
        config.read_text()
        + "briefs:\n  - {id: board, kind: executive, since: later}\nchanges_since: later\n"
    )
    result = _build(repo, tmp_path / "site")
    found = [line for line in result.stdout.splitlines() if "W526" in line]
    assert len(found) == 2
    assert found == sorted(found, key=lambda line: int(line.split(":")[1]))


def test_control_characters_in_authors_and_file_names_keep_each_commit(
    repo: Path, tmp_path: Path
) -> None:
    """`log -z` separates only by NUL: a \\x01 or \\x1f in a file name or an author name
    (anyone who commits chooses both) must not hide a commit, which would credit an older
    one. The author is shown with the control character replaced."""
    config = repo / "cxsite.yaml"
    commit(repo, "names", {"cxsite.yaml": config.read_text() + "show_authors: true\n",
           "notes/a\x01b\x1fc.txt": "x\n", "notes/\nnew-line.txt": "y\n",
           "personas/maya.yaml": (repo / "personas/maya.yaml").read_text() + "# a\n"},
           date="2026-05-01T10:00:00Z")  # fmt: skip
    text = (repo / "journeys/buy.yaml").read_text() + "# b\n"
    commit(repo, "eve", {"journeys/buy.yaml": text}, date="2026-05-02T10:00:00Z",
           author="Eve\x1fX")  # fmt: skip
    text = (repo / "touchpoints/web-shop.yaml").read_text() + "# c\n"
    commit(repo, "mallory", {"touchpoints/web-shop.yaml": text}, date="2026-05-03T10:00:00Z",
           author="Mal\x01lory")  # fmt: skip
    assert _build(repo, tmp_path / "site").exit_code == 0
    site = tmp_path / "site"
    pages = {
        "personas/maya.html": f"1 May 2026 in commit {short(repo, 'HEAD~2')} by Ana Ruiz",
        "journeys/buy.html": f"2 May 2026 in commit {short(repo, 'HEAD~1')} by Eve\ufffdX",
        "touchpoints/web-shop.html": f"3 May 2026 in commit {short(repo, 'HEAD')} by Mal\ufffdlory",
    }
    for page, said in pages.items():
        assert _last_change((site / page).read_text()) == f"Last changed {said}"
    clone = tmp_path / "clone"  # one commit deep: Mallory's is the only one
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert _build(clone, tmp_path / "shallow").exit_code == 0
    page = (tmp_path / "shallow/personas/maya.html").read_text()
    assert _last_change(page) == (
        f"Last changed 3 May 2026 in commit {short(repo, 'HEAD')} by Mal\ufffdlory"
    )


def _merge_history(top: Path, project: str, make_project) -> Path:  # type: ignore[no-untyped-def]
    """A repository with the small project at `project` ('' or 'cx/') and merges: a side
    commit the merge discarded (-s ours for that file), a conflict the merge resolved, a
    side commit the merge took as it was, and a file both sides changed."""
    root = top / project if project else top
    shutil.copytree(make_project(), root)
    init(top)
    p = project
    persona, journey = f"{p}personas/maya.yaml", f"{p}journeys/buy.yaml"
    metric, touchpoint = f"{p}metrics/nps.yaml", f"{p}touchpoints/web-shop.yaml"
    commit(top, "base", date="2026-01-01T10:00:00Z")
    base = {rel: (top / rel).read_text() for rel in (persona, journey, metric, touchpoint)}
    git(top, "checkout", "-q", "-b", "side")
    commit(top, "side", {persona: base[persona] + "# side\n", journey: base[journey] + "# s\n",
           metric: base[metric] + "# s\n", touchpoint: "# s\n" + base[touchpoint]},
           date="2026-02-01T10:00:00Z", author="Sid Side")  # fmt: skip
    git(top, "checkout", "-q", "main")
    commit(top, "main", {journey: base[journey] + "# m\n", touchpoint: base[touchpoint] + "# m\n"},
           date="2026-01-15T10:00:00Z", author="Mia Main")  # fmt: skip
    with pytest.raises(subprocess.CalledProcessError):  # the journey's conflict
        git(top, "merge", "-q", "--no-commit", "side")
    resolved = {persona: base[persona], journey: base[journey] + "# m\n# s\n",
                touchpoint: "# s\n" + base[touchpoint] + "# m\n"}  # fmt: skip
    commit(top, "merge", resolved, date="2026-03-01T10:00:00Z", author="Max Merger")
    return root


@pytest.mark.parametrize("project", ["", "cx/"])
def test_the_last_change_is_the_commit_git_log_names_merges_included(
    make_project, tmp_path: Path, project: str
) -> None:
    """SPEC 8.4: the commit `git log -1 -- FILE` names, wherever the project sits: a merge
    that resolved a conflict (or merged both sides' edits) is the file's last change, a side
    commit whose edit the merge discarded is not, and one the merge took is."""
    top = tmp_path / "repo"
    root = _merge_history(top, project, make_project)
    (root / "cxsite.yaml").write_text("title: Test CX\nshow_authors: true\n")
    commit(top, "authors", date="2026-03-02T10:00:00Z")
    assert _build(root, tmp_path / "site").exit_code == 0
    for page in ("personas/maya", "journeys/buy", "metrics/nps", "touchpoints/web-shop"):
        rel = f"{page}.yaml"
        said = git(top, "log", "-1", "--format=%h %cs %an", "--", project + rel).strip()
        short_id, day_text, author = said.split(" ", 2)
        day = dt.date.fromisoformat(day_text)
        expected = f"Last changed {day.day} {day:%B %Y} in commit {short_id} by {author}"
        assert _last_change((tmp_path / "site" / f"{page}.html").read_text()) == expected, page
    pages = tmp_path / "site"
    assert "Sid Side" in _last_change((pages / "metrics/nps.html").read_text())
    assert "Max Merger" in _last_change((pages / "journeys/buy.html").read_text())
    assert "Ana Ruiz" in _last_change((pages / "personas/maya.html").read_text())


def test_crlf_line_endings_from_gits_conversion_are_not_an_edit(repo: Path, tmp_path) -> None:
    """With `core.autocrlf` (Git for Windows' default) or `eol=crlf`, a checkout has CRLF
    where the blobs have LF: `git status` is clean, and so are the pages. An edit to such a
    file is still one, and a file that is not text is compared byte for byte."""
    git(repo, "config", "core.autocrlf", "true")
    commit(repo, "eol", {".gitattributes": "*.yaml text eol=crlf\n"}, date="2026-05-01T10:00:00Z")
    for folder in ("personas", "journeys", "touchpoints", "metrics"):
        shutil.rmtree(repo / folder)
    git(repo, "checkout", "-q", "--", ".")
    assert b"\r\n" in (repo / "personas/maya.yaml").read_bytes()
    assert git(repo, "status", "--porcelain") == ""
    assert _build(repo, tmp_path / "site").exit_code == 0
    for page in ("personas/maya.html", "journeys/buy.html", "touchpoints/web-shop.html"):
        assert "changed since" not in _last_change((tmp_path / "site" / page).read_text()), page
    persona = repo / "personas/maya.yaml"
    persona.write_bytes(persona.read_bytes() + b"quote: Faster.\r\n")
    assert _build(repo, tmp_path / "site").exit_code == 0
    assert _last_change((tmp_path / "site/personas/maya.html").read_text()).endswith(
        " · changed since the last commit"
    )
    from cxsite.cachefiles import blob_ids

    assert len(blob_ids(b"a: 1\r\nb: 2\r\n")) == 2
    for binary in (b"a\r\nb\0", b"a\r\nb\rc\n", b"a\nb\n"):  # NUL, a CR alone, no CRLF
        assert len(blob_ids(binary)) == 1
