"""`cxsite init` and `cxsite new`: what they write passes `check`, and what they refuse."""

from __future__ import annotations

import errno
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from cxsite.cli import cli
from cxsite.commands.new import entity_template
from cxsite.model import (
    KINDS,
    Evidence,
    Opportunity,
    PainPoint,
    PeriodValue,
    Rating,
    Scope,
    Stage,
)
from cxsite.resources import example_dir


def _invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_init_blank_passes_strict_check(tmp_path: Path) -> None:
    target = tmp_path / "my-cx"
    result = _invoke("init", str(target), "--blank")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"Created a blank project in {target}"
    assert sorted(p.name for p in target.iterdir()) == [
        ".github",
        ".gitignore",
        "assets",
        "cxsite.yaml",
        "data",
        "journeys",
        "metrics",
        "personas",
        "research",
        "touchpoints",
    ]
    assert 'title: "My Cx"' in (target / "cxsite.yaml").read_text()
    check = _invoke("check", str(target), "--strict")
    assert (check.exit_code, check.stdout) == (0, "")


def test_the_blank_config_shows_every_other_key_in_a_comment(tmp_path: Path) -> None:
    """A blank project's cxsite.yaml names each key of the configuration, commented out
    with an example, so that a new key cannot be left out of it."""
    import yaml

    from cxsite.model import Config

    target = tmp_path / "cx"
    _invoke("init", str(target), "--blank")
    text = (target / "cxsite.yaml").read_text(encoding="utf-8")
    shown = set(re.findall(r"^# ([a-z_]+):", text, re.MULTILINE))
    assert shown == set(Config.model_fields) - {"title"}
    uncommented = "\n".join(line[2:].split("  #")[0] for line in text.splitlines()[3:])
    assert set(yaml.safe_load(uncommented)) == shown  # each example is valid YAML


def test_a_failed_init_leaves_no_folder_it_made(tmp_path: Path, monkeypatch) -> None:
    """`init a/b/c` on a full disk: nothing is left, not even the folders `a/b` on the way."""
    (tmp_path / "kept").mkdir()

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("cxsite.commands.new._fill", full)
    target = tmp_path / "kept" / "a" / "b" / "c"
    result = _invoke("init", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"Error: cannot create a project in {target}: No space left on device\n"
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")] == ["kept"]


def test_a_new_project_ignores_what_builds_leave(tmp_path: Path) -> None:
    """git ignores the output, the caches and a staged folder a killed build left."""
    target = tmp_path / "cx"
    assert _invoke("init", str(target), "--blank").exit_code == 0
    subprocess.run(["git", "init", "-q", str(target)], check=True)
    paths = ["_site/index.html", ".cxsite-cache/key", "._site.cxsite-tmp-k2x9/index.html"]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", *paths],
        cwd=target,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.splitlines() == paths
    kept = subprocess.run(
        ["git", "check-ignore", "--no-index", "cxsite.yaml", "personas/a.yaml"],
        cwd=target,
        capture_output=True,
        text=True,
        check=False,
    )
    assert kept.stdout == ""


def test_init_example_copies_the_example_without_dot_files(tmp_path: Path) -> None:
    source = example_dir()
    target = tmp_path / "x"
    result = _invoke("init", str(target))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == f"Created the example project in {target}"
    copied = {p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()}
    expected = {
        p.relative_to(source).as_posix()
        for p in source.rglob("*")
        if p.is_file()
        and not any(
            part.startswith(".") or part in ("_site", "__pycache__")
            for part in p.relative_to(source).parts
        )
    }
    assert copied == expected | {".gitignore", ".github/workflows/cxsite.yml"}
    assert "personas/maya-okafor.yaml" in copied


@pytest.mark.slow
def test_init_example_then_new_persona_passes_check(tmp_path: Path) -> None:
    """The issue's acceptance: init, check --strict, new persona, check."""
    target = tmp_path / "x"
    assert _invoke("init", str(target)).exit_code == 0
    # as of the example's own date: its reviews fall due from December 2026 on (W512)
    strict = CliRunner(env={"SOURCE_DATE_EPOCH": "1795737600"}).invoke(
        cli, ["check", str(target), "--strict"], catch_exceptions=False
    )
    assert (strict.exit_code, strict.stdout) == (0, "")
    assert _invoke("new", "persona", "ana-lopez", str(target)).exit_code == 0
    check = _invoke("check", str(target))
    assert check.exit_code == 0, check.stdout
    assert "error" not in check.stdout


def test_init_refuses_a_non_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    result = _invoke("init", str(tmp_path), "--blank")
    assert result.exit_code == 1
    assert result.stderr == f"Error: {tmp_path} is not empty: choose a new or empty folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_init_into_an_existing_empty_folder(tmp_path: Path) -> None:
    assert _invoke("init", str(tmp_path), "--blank").exit_code == 0
    assert (tmp_path / "cxsite.yaml").is_file()


def test_init_refuses_a_file(tmp_path: Path) -> None:
    target = tmp_path / "file"
    target.write_text("x")
    result = _invoke("init", str(target))
    assert result.exit_code == 1
    assert "is a file" in result.stderr


def test_new_every_kind_in_a_blank_project_passes_check(tmp_path: Path) -> None:
    _invoke("init", str(tmp_path), "--blank")
    for kind in ("persona", "journey", "touchpoint", "metric"):
        result = _invoke("new", kind, "ana-lopez", str(tmp_path))
        assert result.exit_code == 0
        path = tmp_path / f"{kind}s" / "ana-lopez.yaml"
        assert result.stdout == f"Created {path}\n"
    check = _invoke("check", str(tmp_path))
    assert check.exit_code == 0, check.stdout
    assert all(" warning W5" in line for line in check.stdout.splitlines())


def test_new_journey_uses_an_existing_persona(make_project) -> None:
    root = make_project()
    assert _invoke("new", "journey", "return-shoes", str(root)).exit_code == 0
    text = (root / "journeys" / "return-shoes.yaml").read_text()
    assert "personas: [maya]" in text
    assert 'title: "Return shoes"' in text


@pytest.mark.parametrize(
    ("kind", "entity_id", "lines"),
    [
        ("metric", "nps-overall", ['name: "NPS overall"', "kind: nps "]),
        ("metric", "csat-after-visit", ['name: "CSAT after visit"', "kind: csat "]),
        ("metric", "customer-churn", ['name: "Customer churn"', "kind: churn "]),
        ("metric", "clv", ['name: "CLV"', "kind: clv "]),
        ("metric", "wait-time", ['name: "Wait time"', "kind: csat "]),  # no guess: the default
        ("touchpoint", "phone-line", ['name: "Phone line"', "channel: phone "]),
        ("touchpoint", "booking-app", ['name: "Booking app"', "channel: mobile-app "]),
        ("touchpoint", "appointment-email", ['name: "Appointment email"', "channel: email "]),
        ("touchpoint", "front-desk", ['name: "Front desk"', "channel: web "]),
        ("touchpoint", "sms-reminder", ['name: "SMS reminder"', "channel: sms "]),
        ("persona", "ana-lopez", ['name: "Ana Lopez"']),
    ],
)
def test_new_guesses_kind_and_channel_and_keeps_acronyms(
    make_project, kind: str, entity_id: str, lines: list[str]
) -> None:
    root = make_project()
    assert _invoke("new", kind, entity_id, str(root)).exit_code == 0
    text = (root / f"{kind}s" / f"{entity_id}.yaml").read_text()
    for line in lines:
        assert f"\n{line}" in text, line
    check = _invoke("check", str(root))
    assert check.exit_code == 0, check.stdout


def test_new_templates_are_neutral() -> None:
    """No retail example (names, cities, teams, shoes) in what `cxsite new` writes."""
    for kind in ("persona", "journey", "touchpoint", "metric"):
        text = entity_template(kind).casefold()
        for word in ("maya", "denver", "running", "race", "shelf", "e-commerce", "the purchase"):
            assert word not in text, (kind, word)


def test_new_journey_needs_a_persona(tmp_path: Path) -> None:
    _invoke("init", str(tmp_path), "--blank")
    result = _invoke("new", "journey", "buy", str(tmp_path))
    assert result.exit_code == 1
    assert "a journey needs at least one persona" in result.stderr
    assert not (tmp_path / "journeys" / "buy.yaml").exists()


@pytest.mark.parametrize("bad_id", ["Ana", "ana lopez", "1ana", "ana_lopez", "ana.x", "ana/x"])
def test_new_refuses_bad_ids(make_project, bad_id: str) -> None:
    root = make_project()
    result = _invoke("new", "persona", bad_id, str(root))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: bad id '{bad_id}': use lowercase letters")
    assert sorted(p.name for p in (root / "personas").iterdir()) == ["maya.yaml"]


def test_an_error_shows_control_characters_of_a_value_as_escapes(make_project) -> None:
    """A bell and an escape sequence in an id reached the terminal as they were (hostile
    audit): every error message shows them as escapes, as problem lines do."""
    root = make_project()
    result = _invoke("new", "persona", "a\x07b\x1b[31m", str(root))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: bad id 'a\\x07b\\x1b[31m': use lowercase letters")
    assert "\x07" not in result.stderr and "\x1b" not in result.stderr


def test_new_refuses_an_existing_file(make_project) -> None:
    root = make_project({"touchpoints/app.yml": "name: App\nchannel: mobile-app\nphase: during\n"})
    before = (root / "personas" / "maya.yaml").read_text()
    result = _invoke("new", "persona", "maya", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {root / 'personas' / 'maya.yaml'} already exists: choose another id or edit "
        "that file\n"
    )
    assert (root / "personas" / "maya.yaml").read_text() == before
    assert _invoke("new", "touchpoint", "app", str(root)).exit_code == 1


def test_new_outside_a_project(tmp_path: Path) -> None:
    result = _invoke("new", "persona", "ana", str(tmp_path))
    assert result.exit_code == 1
    assert "has no cxsite.yaml" in result.stderr


@pytest.mark.parametrize("kind", ["persona", "journey", "touchpoint", "metric", "research"])
def test_templates_mention_every_key(kind: str) -> None:
    """Comments explain every key, so a user never needs to guess one."""
    model = KINDS["research" if kind == "research" else kind + "s"]
    text = entity_template(kind)
    for name, field in model.model_fields.items():
        if not field.exclude:
            assert f"{name}:" in text, f"{kind} template does not mention '{name}'"


@pytest.mark.parametrize(
    ("kind", "model"),
    [
        ("journey", Stage),
        ("journey", PainPoint),
        ("journey", Opportunity),
        ("persona", Evidence),
        ("touchpoint", Rating),
        ("metric", Scope),
        ("metric", PeriodValue),
    ],
)
def test_templates_mention_every_nested_key(kind: str, model: type) -> None:
    text = entity_template(kind)
    for name in model.model_fields:
        assert f"{name}:" in text, f"{kind} template does not mention {model.__name__}.{name}"


@pytest.mark.parametrize(
    ("kind", "folder"),
    [
        ("persona", "personas"),
        ("journey", "journeys"),
        ("touchpoint", "touchpoints"),
        ("metric", "metrics"),
        ("research", "research"),
    ],
)
def test_new_refuses_the_id_of_the_list_page(make_project, kind: str, folder: str) -> None:
    """`<folder>/index.html` is the list of the kind: an entity `index` would replace it."""
    root = make_project()
    before = sorted(p.relative_to(root) for p in root.rglob("*"))
    result = _invoke("new", kind, "index", str(root))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: the id 'index' is reserved: its page would replace the list of {folder} "
        f"({folder}/index.html); choose another id, e.g. '{kind}-index'\n"
    )
    assert sorted(p.relative_to(root) for p in root.rglob("*")) == before
