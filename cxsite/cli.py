"""The command line: parses options and calls one library function per command."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import click

from cxsite import __version__

project_argument = click.argument(
    "project", type=click.Path(file_okay=False, path_type=Path), default=Path(".")
)
strict_option = click.option("--strict", is_flag=True, help="Fail on warnings too.")
jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for charts and PDFs (default: all cores).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    default=None,
    help="Output folder (default PROJECT/_site).",
)
no_pdf_option = click.option("--no-pdf", is_flag=True, help="Skip the PDF briefs.")


def _setup_logging(quiet: bool) -> None:
    """Progress lines on stderr unless --quiet."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("cxsite")
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING if quiet else logging.INFO)
    root.propagate = False


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cxsite")
def cli() -> None:
    """cxsite: customer-experience documentation as code.

    Turns a folder of YAML personas, journeys, touchpoints and metrics into a static
    website and PDF briefs.
    """


@cli.command()
@project_argument
@output_option
@no_pdf_option
@strict_option
@jobs_option
@quiet_option
def build(
    project: Path, output: Path | None, no_pdf: bool, strict: bool, jobs: int | None, quiet: bool
) -> None:
    """Validate PROJECT, then build the site (and PDF briefs) into the output folder."""
    # lazy: `cxsite --help` and each command import only what that command needs
    from cxsite.commands.build import build_site

    _setup_logging(quiet)
    build_site(project, output, pdf=not no_pdf, strict=strict, jobs=jobs, quiet=quiet)


@cli.command()
@project_argument
@strict_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Problem lines, or one JSON document.",
)
def check(project: Path, strict: bool, fmt: str) -> None:
    """Validate and lint PROJECT without building anything."""
    # lazy: `cxsite --help` and each command import only what that command needs
    from cxsite.validate.project import run_check

    run_check(project, strict=strict, fmt=fmt)


@cli.command()
@project_argument
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port (0: any free port).",
)
@no_pdf_option
def serve(project: Path, host: str, port: int, no_pdf: bool) -> None:
    """Build PROJECT, serve it, rebuild on change and reload open pages."""
    # lazy: `cxsite --help` and each command import only what that command needs
    from cxsite.commands.serve import serve_project

    _setup_logging(False)
    serve_project(project, host=host, port=port, pdf=not no_pdf)


@cli.command()
@project_argument
@output_option
@click.option(
    "--brief", "briefs", multiple=True, metavar="ID", help="Only this brief (repeatable)."
)
@jobs_option
@quiet_option
def pdf(
    project: Path, output: Path | None, briefs: tuple[str, ...], jobs: int | None, quiet: bool
) -> None:
    """Build only the PDF briefs of PROJECT into OUTPUT/briefs/."""
    # lazy: `cxsite --help` and each command import only what that command needs
    from cxsite.briefs.render import build_briefs

    _setup_logging(quiet)
    build_briefs(project, output, brief_ids=briefs, jobs=jobs)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--example/--blank",
    default=True,
    help="Start from the example content (default) or an empty skeleton.",
)
def init(directory: Path, example: bool) -> None:
    """Start a new project in DIRECTORY."""
    # lazy: `cxsite --help` and each command import only what that command needs
    from cxsite.commands.new import init_project

    init_project(directory, example=example)


@cli.command()
@click.argument("kind", type=click.Choice(["persona", "journey", "touchpoint", "metric"]))
@click.argument("entity_id", metavar="ID")
@project_argument
def new(kind: str, entity_id: str, project: Path) -> None:
    """Add a KIND file with id ID to PROJECT from a commented template."""
    # lazy: `cxsite --help` and each command import only what that command needs
    from cxsite.commands.new import new_entity

    new_entity(kind, entity_id, project)


@cli.command()
@click.argument(
    "kind",
    required=False,
    type=click.Choice(["config", "persona", "journey", "touchpoint", "metric"]),
)
def schema(kind: str | None) -> None:
    """Print the JSON Schema of the YAML files (one KIND, or all), for editor completion."""
    # lazy: `cxsite --help` and each command import only what that command needs
    from cxsite.model.schema import print_schema

    print_schema(kind)


def main() -> None:
    """Entry point of the `cxsite` console script."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    cli(prog_name="cxsite")
