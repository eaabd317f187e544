"""Page records: which dependencies changed between two builds, and the records' file form."""

from __future__ import annotations

from array import array
from types import SimpleNamespace

from cxsite.incremental.depgraph import Recorder, RecordingObject
from cxsite.incremental.pagerecords import PageRecords, make_records, records_from_body

NAME = "project\x1ftouchpoints\x1ffield\x1ftp-1\nname"
WHOLE = "project\x1ftouchpoints\x1fget\x1ftp-1"
USAGE = "analysis\x1fusage\x1fget\x1ftp-1"


def _page_deps(records: PageRecords, path: str) -> tuple[str, ...]:
    """The dependencies (encoded) a recorded page read."""
    return tuple(records.deps[i] for i in records.pages[path][1])


def _records(values: dict[str, str]) -> PageRecords:
    entries = {"a.html": ("static-a", {NAME}), "b.html": ("static-b", {USAGE})}
    return make_records(entries, values.__getitem__)


def test_the_table_holds_each_read_entity_as_a_whole() -> None:
    records = _records({NAME: "n1", WHOLE: "w1", USAGE: "u1"})
    assert set(records.deps) == {NAME, WHOLE, USAGE}
    assert _page_deps(records, "a.html") == (NAME,)


def test_a_field_of_a_changed_entity_is_compared_by_its_own_value() -> None:
    records = _records({NAME: "n1", WHOLE: "w1", USAGE: "u1"})
    now = {NAME: "n1", WHOLE: "w2", USAGE: "u2"}  # another field of tp-1 changed
    changed = {records.deps[i] for i in records.changed(now.__getitem__)}
    assert changed == {WHOLE, USAGE}
    now[NAME] = "n2"
    changed = {records.deps[i] for i in records.changed(now.__getitem__)}
    assert changed == {WHOLE, USAGE, NAME}


def test_a_dependency_that_cannot_be_hashed_counts_as_changed() -> None:
    records = _records({NAME: "n1", WHOLE: "w1", USAGE: "u1"})

    def broken(dep: str) -> str:
        raise ValueError(dep)

    assert len(records.changed(broken)) == 3


def test_records_survive_their_file_form_and_damage_empties_them() -> None:
    import pickle

    records = _records({NAME: "n1", WHOLE: "w1", USAGE: "u1"})
    assert records_from_body(pickle.loads(pickle.dumps(records.to_body()))) == records
    body = records.to_body()
    body["pages"]["a.html"] = ("static-a", array("I", [99]))  # an index outside the table
    assert records_from_body(body) == PageRecords()
    body["pages"]["a.html"] = ("static-a", (0,))  # not the array the records keep
    assert records_from_body(body) == PageRecords()
    assert records_from_body({"deps": ["x"], "hashes": []}) == PageRecords()
    assert records_from_body(None) == PageRecords()


def test_pages_re_used_keep_their_dependencies_as_the_table_changes() -> None:
    """A page re-used as it was (None) keeps what it read, whether the new table is the
    same (its indices taken as they are) or other pages now read new values (moved)."""
    values = {NAME: "n1", WHOLE: "w1", USAGE: "u1"}
    previous = _records(values)
    same = make_records({"a.html": None, "b.html": ("static-b", {USAGE})}, values.__getitem__,
                        previous, set())  # fmt: skip
    assert same == previous
    assert same.pages["a.html"][1] is previous.pages["a.html"][1]
    first = "analysis\x1faaa\x1fget\x1fx"  # sorts before every other: all indices move
    values[first] = "f1"
    moved = make_records({"a.html": None, "b.html": ("static-b", {USAGE, first})},
                         values.__getitem__, previous, set())  # fmt: skip
    assert _page_deps(moved, "a.html") == (NAME,)
    assert set(_page_deps(moved, "b.html")) == {USAGE, first}
    assert list(moved.deps) == sorted(moved.deps) and first in moved.deps


def test_known_hashes_are_taken_and_the_rest_computed() -> None:
    """Hashes still current are taken from the previous records, the rest computed; the
    table is kept while the pages read nothing new, and made again (without what no page
    reads any more) when they do."""
    records = _records({NAME: "n1", WHOLE: "w1", USAGE: "u1"})
    other = "analysis\x1fother\x1fget\x1fx"
    now = {NAME: "n1", WHOLE: "w1", USAGE: "u2", other: "o1"}
    changed = records.changed(now.__getitem__)
    assert {records.deps[i] for i in changed} == {USAGE}
    asked: list[str] = []

    def value_hash(dep: str) -> str:
        asked.append(dep)
        return now[dep]

    for b_reads, computed, table in (
        ({USAGE}, [USAGE], {NAME, WHOLE, USAGE}),  # the same table
        (set(), [USAGE], {NAME, WHOLE, USAGE}),  # nothing new read: the table is kept
        ({other}, [other], {NAME, WHOLE, other}),  # something new: a new table
    ):
        asked.clear()
        entries = {"a.html": ("static-a", {NAME}), "b.html": ("static-b", b_reads)}
        again = make_records(entries, value_hash, records, changed)
        assert asked == computed
        assert set(again.deps) == table
        assert dict(zip(again.deps, again.hashes, strict=True)) == {d: now[d] for d in table}
        assert set(_page_deps(again, "b.html")) == b_reads


def test_each_page_records_its_own_reads_through_views_shared_by_all_pages() -> None:
    """An entity's view is made once per render and shared by every page that looks it up,
    yet each page's dependencies are exactly what that page read: the same reads on a later
    page are noted again, and nothing is noted between pages."""
    maya = SimpleNamespace(name="Maya", role="Nurse")
    project = SimpleNamespace(personas={"maya": maya}, title="Clinic")
    recorder = Recorder()
    seen = RecordingObject(project, recorder, "project")
    personas = "project\x1fpersonas\x1f"
    recorder.deps = set()
    assert seen.personas["maya"].name == "Maya"
    first = recorder.deps
    recorder.deps = None
    assert seen.personas["maya"].role == "Nurse"  # between pages: noted nowhere
    recorder.deps = set()
    view = seen.personas.get("maya")
    assert view is seen.personas["maya"] and [p.name for p in seen.personas.values()] == ["Maya"]
    assert seen.title == "Clinic" and "nobody" not in seen.personas
    assert first == {personas + "has\x1fmaya", personas + "field\x1fmaya\nname"}
    assert recorder.deps == {
        personas + "has\x1fmaya",
        personas + "keys\x1f",
        personas + "field\x1fmaya\nname",
        personas + "has\x1fnobody",
        "project\x1ftitle\x1fvalue\x1f",
    }
