"""A new user's project written from the docs alone: a hospital clinic with three patient
personas and channels of its own passes `check --strict` and builds (issue 18, done when)."""

from __future__ import annotations

from click.testing import CliRunner

from cxsite.cli import cli

EVIDENCE = "evidence:\n  - source: Patient interviews (14)\n    date: 2026-09-10\n"
FILES = {
    "cxsite.yaml": (
        "title: Riverside Clinic patient experience\norganization: Riverside Clinic\n"
        "channels: [front-desk, patient-portal, interpreter-line]\n"
        "kpis: [visit-csat, nps]\nrequire_owners: true\n"
    ),
    "personas/amira.yaml": "name: Amira Haddad\nrole: Needs an interpreter\nowner: PX team\n"
    + EVIDENCE,
    "personas/tom.yaml": "name: Tom Becker\nrole: Retired, chronic condition\nowner: PX team\n"
    + EVIDENCE,
    "personas/lena.yaml": "name: Lena Ng\nrole: Parent booking for two children\n"
    "owner: PX team\n" + EVIDENCE,
    "touchpoints/reception.yaml": (
        "name: Reception\nchannel: front-desk\nphase: during\nowner: Front office\n"
        "moment_of_truth: true\nmetrics: [visit-csat]\n"
        "ratings:\n  amira: {importance: 5, satisfaction: 2}\n"
        "  tom: {importance: 4, satisfaction: 4}\n  lena: {importance: 3, satisfaction: 3}\n"
    ),
    "touchpoints/portal.yaml": (
        "name: Patient portal\nchannel: patient-portal\nphase: before\nowner: Digital team\n"
        "metrics: [nps]\nratings:\n  lena: {importance: 5, satisfaction: 3}\n"
    ),
    "touchpoints/interpreter.yaml": (
        "name: Interpreter line\nchannel: interpreter-line\nphase: during\n"
        "owner: Language services\nmetrics: [visit-csat]\n"
        "ratings:\n  amira: {importance: 5, satisfaction: 2}\n"
    ),
    "journeys/visit.yaml": (
        "title: Book and attend a visit\npersonas: [amira, tom, lena]\nowner: PX team\n"
        "stages:\n"
        "  - name: Book\n    phase: before\n    emotion: 1\n    touchpoints: [portal]\n"
        "    opportunities: [Show the next free slot first]\n"
        "  - name: Arrive\n    phase: during\n    emotion: -1\n"
        "    touchpoints: [reception, interpreter]\n"
        "    pain_points:\n      - text: Interpreter not booked\n        severity: high\n"
        "    opportunities: [Book the interpreter with the visit]\n"
        "  - name: Follow up\n    phase: after\n    emotion: 0.5\n    touchpoints: [portal]\n"
        "    opportunities: [Send the summary in the patient's language]\n"
    ),
    "metrics/visit-csat.yaml": (
        "name: Visit satisfaction\nkind: csat\ntarget: 80\nowner: PX team\n"
        "values:\n  - {period: 2026-Q2, value: 71.5}\n  - {period: 2026-Q3, value: 74.0}\n"
    ),
    "metrics/nps.yaml": (
        "name: NPS\nkind: nps\ntarget: 30\nowner: PX team\n"
        "values:\n  - {period: 2026-Q2, value: 21}\n  - {period: 2026-Q3, value: 26}\n"
    ),
}


def test_a_clinic_written_from_scratch_passes_strict_and_builds(make_project, tmp_path) -> None:
    root = make_project(FILES, base=False)
    runner = CliRunner()
    check = runner.invoke(cli, ["check", str(root), "--strict"])
    assert check.exit_code == 0, check.output
    out = tmp_path / "site"
    build = runner.invoke(cli, ["build", str(root), "-o", str(out), "--no-pdf", "--strict"])
    assert build.exit_code == 0, build.output
    home = (out / "index.html").read_text(encoding="utf-8")
    assert home.index("Visit satisfaction</a></h3>") < home.index("NPS</a></h3>")
    catalog = (out / "touchpoints/index.html").read_text(encoding="utf-8")
    assert (
        catalog.index("Interpreter line")
        < catalog.index("Patient portal")
        < catalog.index("Reception")
    )
