"""Starting projects (`cxsite init`) and adding entity files from templates (`cxsite new`)."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from contextlib import suppress
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from cxsite import __version__
from cxsite.load.discover import ID_RE, id_advice, other_id, reserved
from cxsite.load.projectroot import not_a_project
from cxsite.problems import CxError
from cxsite.resources import example_dir
from cxsite.write.userfiles import write_text_files

_SKIP_DIRS = {"_site", ".cxsite-cache", "__pycache__", "node_modules"}

BLANK_CONFIG = """\
# cxsite project configuration. Every key is described in docs/yaml-reference.md of
# cxsite; `cxsite schema config` prints the JSON Schema for your editor.
title: {title}
# organization: Example Inc.            # shown in the header and on PDF covers
# description: |                        # home page intro, Markdown
#   What this site is for.
# base_url: https://cx.example.com/     # for sitemap.xml and canonical links
# language: en                          # BCP 47 tag: en, de, fr shipped; others via labels
# labels:                               # rename any interface text (`cxsite labels`)
#   customers: patients
# theme: default                        # or the path of a theme folder in the project
# brand:
#   primary: "#1f4e79"                  # CSS hex colours; quote them (# starts a comment)
#   accent: "#e07a1f"
#   logo: assets/logo.svg               # a path inside the project
# emotion_labels: {{-2: Awful}}           # words for the emotion scores -2..2
# stale_after_months: 18                # evidence older than this is flagged
# min_responses: 30                     # answers a period needs before a change is tested
# review_every_months: 6                # months between reviews of each file
# require_owners: false                 # true: a file without an owner is flagged
# ipa_crosshair: mean                   # or midpoint (3)
# channels: [kiosk]                     # extra channels besides the built-in ones
# briefs:                               # PDF briefs; default: one executive brief
#   - id: executive
#     kind: executive
# show_authors: false                   # true: the author beside each page's last change
# changes_since: v1.0                   # a git revision: changes.html lists what changed
# kpis: [nps, csat]                     # home page KPI tiles, in this order
# health_weights:                       # weight of each journey health component
#   evidence: 1
"""

# The output, the caches, and the folder a build stages beside its output until it swaps it
# in (left only by a build killed outright; the next build removes it).
BLANK_GITIGNORE = "_site/\n.cxsite-cache/\n.*.cxsite-tmp-*/\n"
WORKFLOW = ".github/workflows/cxsite.yml"

# Folders of a blank project; `.gitkeep` lets git keep them empty (dot-files are ignored).
BLANK_DIRS = ("personas", "journeys", "touchpoints", "metrics", "research", "data", "assets")
# The folder of a kind whose plural is not `<kind>s`.
_FOLDERS = {"research": "research"}


def entity_template(kind: str) -> str:
    """The commented template `cxsite new KIND` writes (package data, with `{id}` and
    `{name}` to fill in): every key explained, valid as written."""
    return files("cxsite.commands").joinpath(f"entity_templates/{kind}.yaml").read_text("utf-8")


def github_workflow() -> str:
    """The GitHub Actions workflow `cxsite init` writes (package data): check and diff on
    pull requests, build and publish to GitHub Pages from the default branch."""
    text = files("cxsite.commands").joinpath("ci/github-workflow.yml").read_text("utf-8")
    return text.replace("@CXSITE_VERSION@", __version__)


def _ignore(directory: str, names: list[str]) -> set[str]:
    """What `init --example` never copies: dot-files, caches and build output."""
    return {n for n in names if n.startswith(".") or n in _SKIP_DIRS or n.endswith(".pyc")}


@dataclass(frozen=True)
class Started:
    """A project `init_project` created: where, and from what."""

    directory: Path
    example: bool

    def lines(self) -> list[str]:
        """What `cxsite init` prints: what was created, and what to do next."""
        what = "the example project" if self.example else "a blank project"
        return [
            f"Created {what} in {self.directory}",
            f"CI: {WORKFLOW} checks pull requests and publishes the site to GitHub Pages",
            f"Next: cxsite new persona <id> {self.directory}  |  cxsite check {self.directory}",
        ]


def init_project(directory: Path, *, example: bool = True) -> Started:
    """Create a project in `directory` (new or empty): the example content or a blank one.
    All of it or nothing: a new folder is filled beside it and renamed into place, an
    empty one emptied again on a failure, so a full disk leaves no half project."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise CxError(f"{directory} is a file: choose a new or empty folder")
    if directory.is_dir() and any(directory.iterdir()):
        raise CxError(f"{directory} is not empty: choose a new or empty folder")
    source = example_dir()
    if example and not (source / "cxsite.yaml").is_file():
        raise CxError(f"the example content is missing from this installation ({source})")
    try:
        name = directory.resolve().name  # a blank project's title
        title = _quoted(name.replace("-", " ").replace("_", " ").title())
        if directory.is_dir():
            _fill_in_place(directory, source if example else None, title)
        else:
            _fill_beside(directory, source if example else None, title)
    except OSError as exc:
        raise CxError(f"cannot create a project in {directory}: {exc.strerror or exc}") from None
    return Started(directory, example)


def _fill_beside(directory: Path, example: Path | None, title: str) -> None:
    """A new project folder: made under a temporary name beside it, renamed at the end;
    on a failure the folders made on the way to it (`init a/b/c`: `a/b`) go too."""
    made = [
        folder for folder in (directory.parent, *directory.parent.parents) if not folder.exists()
    ]
    staging = directory.with_name(f".cxsite-init-{os.urandom(6).hex()}")
    try:
        directory.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()  # 0o777 less the umask, as any folder the user makes
        _fill(staging, example, title)
        staging.rename(directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for folder in made:  # the deepest first; only as empty as this left them
            with suppress(OSError):
                folder.rmdir()
        raise


def _fill_in_place(directory: Path, example: Path | None, title: str) -> None:
    """An empty folder the user made (perhaps a link or a mount point): filled where it is,
    emptied again on a failure (all it holds is what this wrote)."""
    try:
        _fill(directory, example, title)
    except BaseException:
        for entry in list(directory.iterdir()):
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)
        raise


def _fill(directory: Path, example: Path | None, title: str) -> None:
    """The project's files in `directory`: a copy of `example`, or a blank skeleton."""
    if example is not None:
        _copy(example, directory)
    else:
        (directory / "cxsite.yaml").write_text(
            BLANK_CONFIG.format(title=title or '"Customer experience"'), encoding="utf-8"
        )
        for name in BLANK_DIRS:
            (directory / name).mkdir()
            (directory / name / ".gitkeep").write_text("", encoding="utf-8")
    (directory / ".gitignore").write_text(BLANK_GITIGNORE, encoding="utf-8")
    workflow = directory / WORKFLOW
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(github_workflow(), encoding="utf-8")


def _copy(source: Path, target: Path) -> None:
    """The example's files into `target`, stopping at the first that cannot be written (the
    bytes only: a new project's files get the umask's mode, as the user's own would)."""
    for folder, dirs, names in os.walk(source):
        dirs[:] = sorted(set(dirs) - _ignore(folder, dirs))
        here = target / Path(folder).relative_to(source)
        here.mkdir(exist_ok=True)
        for name in sorted(set(names) - _ignore(folder, names)):
            shutil.copyfile(Path(folder) / name, here / name)


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False) if text else ""


def _today() -> str:
    """Today's date for a new study's `date` (the user edits it; never part of a build)."""
    return dt.date.today().isoformat()


# Words kept upper-case in a name made from an id ("nps-overall" -> "NPS overall").
_ACRONYMS = frozenset((
    "nps", "csat", "ces", "clv", "cx", "ux", "ui", "faq", "sms", "ivr", "api", "qr", "kpi",
    "crm", "erp", "pos", "atm", "b2b", "b2c", "hr", "ai", "tv", "gp", "icu", "eu", "uk", "vip",
))  # fmt: skip
# An id's words that say which kind of metric or which channel is meant.
_KINDS = {"nps": "nps", "csat": "csat", "ces": "ces", "churn": "churn", "clv": "clv"}
_CHANNELS = {
    "phone": "phone", "call": "phone", "hotline": "phone", "ivr": "phone",
    "email": "email", "newsletter": "email", "app": "mobile-app", "mobile": "mobile-app",
    "web": "web", "website": "web", "online": "web", "portal": "web",
    "store": "store", "shop": "store", "branch": "store", "counter": "store",
    "chatbot": "chatbot", "bot": "chatbot", "chat": "chat", "sms": "sms",
    "social": "social", "event": "event", "mail": "mail", "letter": "mail",
    "partner": "partner",
}  # fmt: skip


def _title(entity_id: str, kind: str) -> str:
    """A name from an id: a person's name in title case, anything else in sentence case;
    acronyms stay upper-case."""
    words = [word for word in entity_id.split("-") if word]
    named = [
        word.upper()
        if word in _ACRONYMS
        else word.capitalize()
        if kind == "persona" or index == 0
        else word
        for index, word in enumerate(words)
    ]
    return " ".join(named)


def _guess(entity_id: str, table: dict[str, str], default: str) -> str:
    """The first word of the id that `table` knows says what is meant; else `default`."""
    return next((table[w] for w in entity_id.split("-") if w in table), default)


def _existing_ids(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(
        p.stem for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and ID_RE.match(p.stem)
    )


def new_entity(kind: str, entity_id: str, project: Path) -> Path:
    """Write `<kind>s/<id>.yaml` from a commented template; refuse bad ids and existing files."""
    project = Path(project)
    if not (project / "cxsite.yaml").is_file():
        raise CxError(not_a_project(project))
    if not ID_RE.match(entity_id):
        raise CxError(f"bad id '{entity_id}': {id_advice(entity_id, 'ana-lopez')}")
    folder = project / _FOLDERS.get(kind, f"{kind}s")
    if why := reserved(entity_id, folder.name):
        raise CxError(f"{why}; choose another id, e.g. '{other_id(entity_id, folder.name)}'")
    for existing in sorted(folder.glob("*")) if folder.is_dir() else []:
        if existing.stem.casefold() == entity_id and existing.suffix in (".yaml", ".yml"):
            raise CxError(f"{existing} already exists: choose another id or edit that file")
    values = {
        "id": entity_id,
        "name": _quoted(_title(entity_id, kind)),
        "kind": _guess(entity_id, _KINDS, "csat"),
        "channel": _guess(entity_id, _CHANNELS, "web"),
        "today": _today(),
    }
    if kind == "journey":
        personas = _existing_ids(project / "personas")
        if not personas:
            raise CxError(
                "a journey needs at least one persona: create one first "
                f"(cxsite new persona <id> {project})"
            )
        values["persona"] = personas[0]
    if folder.exists() and not folder.is_dir():
        raise CxError(f"cannot create {kind} '{entity_id}': {folder} is a file, not a folder")
    target = folder / f"{entity_id}.yaml"
    made = not folder.exists()
    try:
        folder.mkdir(exist_ok=True)
        if not target.resolve().parent.is_relative_to(project.resolve()):
            # A `personas` folder committed as a symlink to ~/.ssh must not make cxsite write
            # there.
            raise CxError(f"refusing to write {target}: '{folder.name}' leads outside the project")
        write_text_files({target: entity_template(kind).format(**values)})
    except OSError as exc:
        if made:
            with suppress(OSError):
                folder.rmdir()
        raise CxError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target
