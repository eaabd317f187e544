"""Ids name files (`journeys/<id>.html`, `charts/compare-<id>_<id>.svg`, `briefs/<id>.pdf`):
an id of 249 letters passed `check` and the build then failed on a file name too long for
the file system. An id is at most 100 characters, said where the id is written."""

from __future__ import annotations

from hostilekit import invoke

from cxsite.interop.ids import slug

LONG = "j-" + "y" * 247  # 249 characters: a valid file name, not a valid id


def test_a_file_named_by_a_long_id_is_e114_and_the_build_stops(make_project, tmp_path) -> None:
    root = make_project({f"journeys/{LONG}.yaml": "title: Long\npersonas: [maya]\nstages: []\n"})
    line = (
        f"journeys/{LONG}.yaml:1:1: error E114: bad file name '{LONG}.yaml': an id is at most "
        "100 characters, this one has 249"
    )
    result = invoke("check", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [line]
    out = tmp_path / "site"
    result = invoke("build", str(root), "-o", str(out), "--no-pdf")
    assert result.exit_code == 1
    assert line in result.stdout.splitlines()
    assert not out.exists()


def test_an_id_of_100_characters_builds(make_project, tmp_path) -> None:
    longest = "j" + "-y" * 49 + "z"
    assert len(longest) == 100
    root = make_project(
        {f"journeys/{longest}.yaml": "title: Longest\npersonas: [maya]\nstages:\n  - name: Go\n"}
    )
    out = tmp_path / "site"
    result = invoke("build", str(root), "-o", str(out), "--no-pdf", "-q")
    assert result.exit_code == 0, result.output
    assert (out / f"journeys/{longest}.html").is_file()


def test_a_long_brief_id_is_e204(make_project) -> None:
    root = make_project(
        {"cxsite.yaml": f"title: Test CX\nbriefs:\n  - id: b{'x' * 120}\n    kind: executive\n"}
    )
    result = invoke("check", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "cxsite.yaml:3:5: error E204: 'id' is 121 characters long, at most 100"
    ]


def test_commands_that_make_ids_refuse_a_long_one(make_project, tmp_path, monkeypatch) -> None:
    root = make_project()
    result = invoke("new", "persona", LONG, str(root))
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: bad id '{LONG}': an id is at most 100 characters, this one has 249\n"
    )
    monkeypatch.chdir(tmp_path)
    (tmp_path / "j.csv").write_text("name\nGo\n", encoding="utf-8")
    result = invoke("import", "journey", "j.csv", str(root), "--persona", "maya", "--id", LONG)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: bad journey id '{LONG}': an id is at most 100 characters, this one has 249\n"
    )
    (tmp_path / "tp.csv").write_text(f"id,name,channel,phase\n{LONG},Kiosk,store,during\n")
    result = invoke("import", "touchpoints", "tp.csv", str(root))
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"tp.csv:2:1: error E466: '{LONG}' is not a valid id: an id is at most 100 "
        "characters, this one has 249"
    )
    assert sorted(p.name for p in (root / "journeys").iterdir()) == ["buy.yaml"]


def test_an_id_derived_from_a_long_name_is_short_enough() -> None:
    assert len(slug("Kiosk " * 100, "touchpoint")) <= 100
