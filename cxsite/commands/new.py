"""Starting projects (`cxsite init`) and adding entity files from templates (`cxsite new`)."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from cxsite import __version__
from cxsite.load.discover import ID_RE
from cxsite.problems import CxError
from cxsite.resources import example_dir

_SKIP_DIRS = {"_site", ".cxsite-cache", "__pycache__", "node_modules"}

BLANK_CONFIG = """\
# cxsite project configuration. Every key is described in the cxsite README
# ("YAML reference"); `cxsite schema config` prints the JSON Schema for your editor.
title: {title}
# organization: Example Inc.            # shown in the header and on PDF covers
# description: |                        # home page intro, Markdown
#   What this site is for.
# base_url: https://cx.example.com/     # for sitemap.xml and canonical links
# language: en                          # BCP 47 tag
# brand:
#   primary: "#1f4e79"                  # CSS hex colours; quote them (# starts a comment)
#   accent: "#e07a1f"
#   logo: assets/logo.svg               # a path inside the project
# stale_after_months: 18                # evidence older than this is flagged
# ipa_crosshair: mean                   # or midpoint (3)
# channels: [kiosk]                     # extra channels besides the built-in ones
# briefs:                               # PDF briefs; default: one executive brief
#   - id: executive
#     kind: executive
"""

BLANK_GITIGNORE = "_site/\n.cxsite-cache/\n"
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
    """Create a project in `directory` (new or empty): the example content or a blank one."""
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise CxError(f"{directory} is a file: choose a new or empty folder")
    if directory.is_dir() and any(directory.iterdir()):
        raise CxError(f"{directory} is not empty: choose a new or empty folder")
    if example:
        source = example_dir()
        if not (source / "cxsite.yaml").is_file():
            raise CxError(f"the example content is missing from this installation ({source})")
        shutil.copytree(source, directory, ignore=_ignore, dirs_exist_ok=True)
        (directory / ".gitignore").write_text(BLANK_GITIGNORE, encoding="utf-8")
    else:
        directory.mkdir(parents=True, exist_ok=True)
        title = _quoted(directory.resolve().name.replace("-", " ").replace("_", " ").title())
        (directory / "cxsite.yaml").write_text(
            BLANK_CONFIG.format(title=title or '"Customer experience"'), encoding="utf-8"
        )
        (directory / ".gitignore").write_text(BLANK_GITIGNORE, encoding="utf-8")
        for name in BLANK_DIRS:
            (directory / name).mkdir(exist_ok=True)
            (directory / name / ".gitkeep").write_text("", encoding="utf-8")
    workflow = directory / WORKFLOW
    workflow.parent.mkdir(parents=True, exist_ok=True)
    workflow.write_text(github_workflow(), encoding="utf-8")
    return Started(directory, example)


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
        raise CxError(f"{project} has no cxsite.yaml: not a cxsite project (see 'cxsite init')")
    if not ID_RE.match(entity_id):
        raise CxError(
            f"bad id '{entity_id}': use lowercase letters, digits and hyphens, starting with a "
            "letter (e.g. 'ana-lopez')"
        )
    folder = project / _FOLDERS.get(kind, f"{kind}s")
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
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{entity_id}.yaml"
    if not target.resolve().parent.is_relative_to(project.resolve()):
        # A `personas` folder committed as a symlink to ~/.ssh must not make cxsite write there.
        raise CxError(f"refusing to write {target}: '{folder.name}' leads outside the project")
    target.write_text(entity_template(kind).format(**values), encoding="utf-8")
    return target
