"""`cxsite export`: the project as sheets `cxsite import` reads, Mermaid diagrams, or the
backlog and pain points as CSV."""

from __future__ import annotations

from pathlib import Path

from cxsite.commands.check import kept_validation
from cxsite.interop.csvout import to_csv
from cxsite.interop.mermaid import journey_diagram, markdown
from cxsite.interop.reports_out import backlog_sheet, pains_sheet
from cxsite.interop.sheets_out import journey_sheet, personas_sheet, touchpoints_sheet
from cxsite.model import Project
from cxsite.problems import CxError
from cxsite.session import Session
from cxsite.validate.project import require_valid
from cxsite.validate.schema_errors import did_you_mean
from cxsite.write.userfiles import write_text_files

__all__ = ["export_text", "run_export", "write_file"]


def _journey(project: Project, journey_id: str | None) -> str:
    if journey_id is None:  # the command line asks for it (a usage error there)
        raise CxError("a journey export needs a journey id")
    if journey_id not in project.journeys:
        hint = did_you_mean(journey_id, project.journeys) or (
            f" (the journeys: {', '.join(sorted(project.journeys))})"
        )
        raise CxError(f"unknown journey '{journey_id}'{hint}")
    return journey_id


def export_text(
    fmt: str, project: Project, *, journey_id: str | None = None, excel: bool = False
) -> str:
    """The text of one export of a validated project."""
    if fmt == "mermaid":
        if journey_id is None:
            return markdown(project)
        return journey_diagram(project, _journey(project, journey_id))
    if fmt == "touchpoints-csv":
        sheet = touchpoints_sheet(project.touchpoints)
    elif fmt == "personas-csv":
        sheet = personas_sheet(project.personas)
    elif fmt == "journey-csv":
        sheet = journey_sheet(project.journeys[_journey(project, journey_id)])
    elif fmt == "backlog-csv":
        sheet = backlog_sheet(project)
    elif fmt == "pains-csv":
        sheet = pains_sheet(project)
    else:
        raise CxError(f"unknown format '{fmt}'")
    return to_csv(*sheet, excel=excel)


def run_export(
    fmt: str, root: Path, *, journey_id: str | None = None, excel: bool = False
) -> tuple[str, list[str]]:
    """The export's text and the project's problem lines (warnings; errors raise)."""
    session = Session()
    kept_validation(root, session)
    result = require_valid(root, strict=False, session=session)
    assert result.project is not None
    text = export_text(fmt, result.project, journey_id=journey_id, excel=excel)
    return text, [p.format() for p in result.problems]


def write_file(path: Path, text: str) -> None:
    """The export written to `path` atomically (a half-written file is never left), with
    the umask's mode; a symlink is followed, a FIFO or a device is written straight into."""
    try:
        write_text_files({Path(path): text})
    except OSError as exc:
        raise CxError(f"cannot write {path}: {exc.strerror or exc}") from None
