"""The command line: parses options, calls one library function per command, prints its result.

Progress goes to stderr (a bar on a terminal, plain lines otherwise, nothing with --quiet);
results and problem lines go to stdout.
"""

from __future__ import annotations

import dataclasses
import errno
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

import click

from cxsite import __version__
from cxsite.forks import end_children_with_this_process
from cxsite.session import Session

STARTED = time.perf_counter()  # when the command started: the build summary gives its wall time
# True while the console script (`client.main`) runs the command as this process's whole
# work, not a test calling `main` or CliRunner: a command may then end the process the
# moment it is done (`end_now`)
ALONE: ContextVar[bool] = ContextVar("alone", default=False)


def _project_or_found(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path:
    """PROJECT as given, or the folder found upward from the current one (SPEC 8.16)."""
    return value if value is not None else _found_project()


def _found_project() -> Path:
    """The project folder found upward from the current one (SPEC 8.16), as a path from it."""
    # lazy: a small module, but only commands taking PROJECT need it (start-up time)
    from cxsite.load.projectroot import NOT_FOUND, find_project, shown_path
    from cxsite.problems import CxError  # lazy: as above

    here = _cwd()
    found = find_project(here)
    if found is None:
        raise CxError(NOT_FOUND.format(here=here))
    return shown_path(found, here)


def _cwd() -> Path:
    """The current folder; one line instead of a traceback when it was deleted."""
    try:
        return Path.cwd()
    except FileNotFoundError:
        from cxsite.problems import CxError  # lazy: as in _project_or_found

        raise CxError(
            "the current folder no longer exists (was it deleted?): cd into a folder that exists"
        ) from None


def _out(text: object, nl: bool = True) -> None:
    """`text` on stdout. When the reader went away (`cxsite schema | head -1`) click ends
    the command quietly with exit code 1; stdout that cannot be written (a full disk) is
    one `Error:` line, and the rest of the output goes to /dev/null, so Python's last flush
    at exit adds no traceback (what the Python docs advise for SIGPIPE)."""
    try:
        click.echo(text, nl=nl)
    except OSError as exc:
        if exc.errno == errno.EPIPE:
            raise
        from cxsite.problems import CxError  # lazy: as in _project_or_found

        _stdout_to_devnull()
        raise CxError(f"cannot write to standard output: {exc.strerror or exc}") from None


def _stdout_to_devnull() -> None:
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError):  # not a file (a test's captured output)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, fd)
    os.close(devnull)


project_argument = click.argument(
    "project",
    type=click.Path(file_okay=False, path_type=Path),
    required=False,
    callback=_project_or_found,
)
strict_option = click.option("--strict", is_flag=True, help="Fail on warnings too.")
jobs_option = click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes for charts, pages and PDFs (default: all cores).",
)
quiet_option = click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")


def _output_path(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """The `-o` path given, refusing an empty one (Python would read it as this folder)."""
    if value == "":
        raise click.BadParameter("an empty path names no file or folder", ctx, param)
    return None if value is None else Path(value)


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(),
    callback=_output_path,
    default=None,
    help="Output folder (default PROJECT/_site).",
)
no_pdf_option = click.option("--no-pdf", is_flag=True, help="Skip the PDF briefs.")


class Console:
    """The commands' reporter on a terminal: progress steps and the page counter on stderr
    (a bar on a terminal, plain lines otherwise, nothing if `quiet`), problem lines on stdout."""

    def __init__(self, quiet: bool):
        self.quiet = quiet
        self.tty = not quiet and sys.stderr.isatty()

    def step(self, message: str) -> None:
        """A progress line on stderr."""
        if not self.quiet:
            click.echo(message, err=True)

    @contextmanager
    def pages(self, total: int) -> Iterator[Callable[[str], None] | None]:
        """A progress bar over the pages on a terminal; one line otherwise."""
        if not self.tty:
            self.step(f"Rendering {total} pages")
            yield None
            return
        with click.progressbar(length=total, label="Rendering pages", file=sys.stderr) as bar:
            yield lambda _path: bar.update(1)

    def problems(self, lines: Sequence[str]) -> None:
        """Problem lines on stdout."""
        for line in lines:
            _out(line)


@contextmanager
def _problem_lines() -> Iterator[None]:
    """Print the problem lines of a failed validation or import (each error its own line on
    stdout), then fail as it does."""
    try:
        yield
    except click.ClickException as failed:
        for problem in getattr(failed, "problems", ()):
            _out(problem.format())
        sys.stdout.flush()
        raise


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
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.build import build_site

    _setup_logging(quiet)
    served = click.get_current_context().obj  # set when a build server runs the command
    # the process ends once the build is done: nothing it made is freed before (end_now)
    session = served.session(project) if served else Session(keep_made=True)
    summary = build_site(
        project,
        output,
        pdf=not no_pdf,
        strict=strict,
        jobs=jobs,
        report=Console(quiet),
        session=session,
    )
    if not quiet:  # the time is the whole command's, start-up and imports included
        wall = served.elapsed() if served else time.perf_counter() - STARTED
        click.echo(dataclasses.replace(summary, seconds=wall).line(), err=True)
    end_now()


@cli.command()
@click.argument("project", type=click.Path(path_type=Path), required=False)
@click.argument("files", metavar="[FILE]...", type=click.Path(path_type=Path), nargs=-1)
@strict_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="Problem lines, one JSON document, or GitHub Actions annotations.",
)
def check(project: Path | None, files: tuple[Path, ...], strict: bool, fmt: str) -> None:
    """Validate and lint PROJECT without building anything; with FILEs, show only their
    problems (and those elsewhere that involve them)."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.check import check_arguments, run_check

    root, selected = check_arguments(project, files, _cwd())
    served = click.get_current_context().obj  # set when a build server runs the command
    session = served.session(root) if served else Session()
    report = run_check(root, strict=strict, files=selected, session=session)
    if fmt == "json":
        _out(report.json())
    elif fmt == "github":
        for line in report.github(_cwd()):
            _out(line)
    else:
        for line in report.lines():
            _out(line)
    click.echo(report.summary(), err=True)
    end_now(1 if report.failed else 0)
    if report.failed:
        sys.stdout.flush()
        raise click.exceptions.Exit(1)


def _diff_arguments(args: tuple[str, ...]) -> tuple[Path, str | None, str | None]:
    """[PROJECT] [BASE] [HEAD]: the first is PROJECT when there are three, or when it is a
    folder holding cxsite.yaml; otherwise PROJECT is found upward from the current folder."""
    if len(args) > 3:
        raise click.UsageError("expected at most PROJECT, BASE and HEAD")
    first = Path(args[0]) if args else None
    if first is not None and (len(args) == 3 or (first / "cxsite.yaml").is_file()):
        rest = args[1:]
        return first, (rest[0] if rest else None), (rest[1] if len(rest) > 1 else None)
    return _found_project(), (args[0] if args else None), (args[1] if len(args) > 1 else None)


@cli.command()
@click.argument("args", nargs=-1, metavar="[PROJECT] [BASE] [HEAD]")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown", "json"]),
    default="text",
    show_default=True,
    help="Lines for a terminal, tables for a pull request, or one JSON document.",
)
@click.option("--exit-code", is_flag=True, help="Exit with 1 when anything changed.")
def diff(args: tuple[str, ...], fmt: str, exit_code: bool) -> None:
    """What changed in PROJECT between git revisions BASE (default HEAD) and HEAD (default
    the working tree): stages, emotions, pain points, ratings, metrics..."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.diff import VersionInvalid, diff_project

    project, base, head = _diff_arguments(args)
    try:
        result = diff_project(project, base, head)
    except VersionInvalid as invalid:
        for problem in invalid.problems:
            _out(problem.format())
        sys.stdout.flush()
        raise
    _out(result.render(fmt), nl=False)
    if exit_code and result.report:
        raise click.exceptions.Exit(1)


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
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.serve import serve_project

    _setup_logging(False)
    serve_project(project, host=host, port=port, pdf=not no_pdf, report=Console(False))


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
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.pdf import build_briefs

    _setup_logging(quiet)
    written = build_briefs(project, output, brief_ids=briefs, jobs=jobs, report=Console(quiet))
    for path in written.paths():
        _out(path)


@cli.group()
def server() -> None:
    """Keep projects in memory: `cxsite build` and `check` run there, twice as fast after edits."""


idle_option = click.option(
    "--idle",
    type=click.FloatRange(min=0, min_open=True),
    default=30,
    show_default=True,
    help="Stop after this many minutes without a command.",
)


@server.command("start")
@idle_option
def server_start(idle: float) -> None:
    """Start this user's build server in the background."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.server import start_server

    pid = start_server(idle)
    click.echo(
        f"cxsite server started (pid {pid}): 'cxsite build' and 'cxsite check' run in it; "
        "'cxsite server stop' ends it",
        err=True,
    )


@server.command("run")
@idle_option
def server_run(idle: float) -> None:
    """Run the build server in the foreground until Ctrl+C (for a service manager)."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.server import run_server

    run_server(idle, cli)


@server.command("stop")
def server_stop() -> None:
    """Stop this user's build server (after the command it runs)."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.server import stop_server

    pid = stop_server()
    click.echo(
        "no cxsite server runs" if pid is None else f"stopped cxsite server (pid {pid})", err=True
    )


@server.command("status")
def server_status() -> None:
    """Say whether this user's build server runs, and which projects it keeps (exit 1: none)."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.server import server_status as status_of

    status = status_of()
    if status is None:
        _out("no cxsite server runs")
        raise click.exceptions.Exit(1)
    for line in status.lines():
        _out(line)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--example/--blank",
    default=True,
    help="Start from the example content (default) or an empty skeleton.",
)
def init(directory: Path, example: bool) -> None:
    """Start a new project in DIRECTORY."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.new import init_project

    if not directory.is_absolute():
        _cwd()  # DIRECTORY is inside the current folder: it must still exist
    for line in init_project(directory, example=example).lines():
        _out(line)


@cli.command()
@click.argument(
    "kind", type=click.Choice(["persona", "journey", "touchpoint", "metric", "research"])
)
@click.argument("entity_id", metavar="ID")
@project_argument
def new(kind: str, entity_id: str, project: Path) -> None:
    """Add a KIND file with id ID to PROJECT from a commented template."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.new import new_entity

    _out(f"Created {new_entity(kind, entity_id, project)}")


@cli.command("import")
@click.argument("kind", type=click.Choice(["touchpoints", "personas", "journey", "values"]))
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@project_argument
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
@click.option("--id", "journey_id", metavar="ID", help="journey: its id (default: from the title).")
@click.option(
    "--title", help="journey: its title (default: the replaced journey's, or from the file name)."
)
@click.option(
    "--persona", "personas", multiple=True, metavar="ID", help="journey: a persona (repeatable)."
)
@click.option("--metric", metavar="ID", help="values: the metric the values belong to.")
def import_(
    kind: str,
    file: Path,
    project: Path,
    force: bool,
    journey_id: str | None,
    title: str | None,
    personas: tuple[str, ...],
    metric: str | None,
) -> None:
    """Write YAML files from a CSV or XLSX sheet: touchpoints, personas, a journey or values."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.import_ import ImportOptions, run_import

    if kind == "journey" and not personas:
        raise click.UsageError("import journey needs at least one --persona ID")
    if kind == "values" and not metric:
        raise click.UsageError("import values needs --metric ID")
    options = ImportOptions(journey_id, title, personas, metric)
    with _problem_lines():
        imported = run_import(kind, file, project, force=force, options=options)
    for line in imported.lines():
        _out(line)


@cli.command()
@click.argument(
    "fmt",
    metavar="FORMAT",
    type=click.Choice(
        ["touchpoints-csv", "personas-csv", "journey-csv", "mermaid", "backlog-csv", "pains-csv"]
    ),
)
@project_argument
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    callback=_output_path,
    default=None,
    help="Write to this file (default: stdout).",
)
@click.option("--journey", "journey_id", metavar="ID", help="journey-csv, mermaid: the journey.")
@click.option("--excel", is_flag=True, help="CSV: start with a UTF-8 BOM, for Excel.")
def export(
    fmt: str, project: Path, output: Path | None, journey_id: str | None, excel: bool
) -> None:
    """Write the project as CSV sheets, Mermaid journey diagrams or the backlog as CSV."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.export import run_export, write_file

    if fmt == "journey-csv" and not journey_id:
        raise click.UsageError("export journey-csv needs --journey ID")
    with _problem_lines():
        text, _warnings = run_export(fmt, project, journey_id=journey_id, excel=excel)
    if output is None:
        _out(text, nl=False)
    else:
        write_file(output, text)
        click.echo(f"Wrote {output}", err=True)


@cli.command()
@project_argument
def labels(project: Path) -> None:
    """List every interface message key of PROJECT with its text (language and labels applied)."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.commands.labels import label_lines

    with _problem_lines():
        lines = label_lines(project)
    for line in lines:
        _out(line)


@cli.command()
@click.argument(
    "kind",
    required=False,
    type=click.Choice(["config", "persona", "journey", "touchpoint", "metric", "research"]),
)
def schema(kind: str | None) -> None:
    """Print the JSON Schema of the YAML files (one KIND, or all), for editor completion."""
    # lazy: each command imports only what it runs (start-up time of every command)
    from cxsite.model.schema import schema_document

    _out(json.dumps(schema_document(kind), indent=2, ensure_ascii=False))


def end_now(code: int = 0) -> None:
    """End the process here with exit `code` when it runs this command alone (`ALONE`): its
    work is done and written, and freeing what it holds object by object (a build's project,
    analysis, pages and caches: 60-80 ms of a one-file edit at N=200) would only delay the
    prompt. Output and logs are flushed first; no thread or child process is left running."""
    context = click.get_current_context(silent=True)
    if not ALONE.get() or (context is not None and context.obj is not None):
        return  # a test's CliRunner, or a command the build server runs for a client
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 120  # what Python's own exit gives when its last flush fails
    os._exit(code)


def main() -> None:
    """Entry point of the `cxsite` console script."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    end_children_with_this_process()
    cli(prog_name="cxsite")
