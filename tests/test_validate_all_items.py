"""SPEC 8.14, continued: an item or a nested mapping that lacks a required key is still read
(with an inert stand-in), so the checks of its other keys are still reported.

Each test writes one file with several independent mistakes into a small clean project and
asserts every line `cxsite check` prints.
"""

from __future__ import annotations

from onerun import check_lines

M = "metrics/nps.yaml"


def test_a_value_missing_its_value_still_has_its_period_checked(make_project) -> None:
    """Each item of `values` lacking `value` (or with a value in error) is read with a stand-in
    value: its period is still checked (E410, E411, E412), and the series no warning."""
    text = (
        "name: N\nkind: nps\ntarget: 1\nvalues:\n"
        "  - {period: '2026-01', value: 1}\n"
        "  - {period: '2026-13'}\n"
        "  - {period: '2025-12'}\n"
        "  - {period: '2026-02', value: lots}\n"
        "  - {period: '2026', value: 3}\n"
    )
    code, lines = check_lines(make_project, {M: text})
    assert lines == [
        f"{M}:6:5: error E202: missing required key 'value'",
        f"{M}:6:6: error E410: period '2026-13' has no month 13 (01..12)",
        f"{M}:7:5: error E202: missing required key 'value'",
        f"{M}:7:6: error E412: period '2025-12' comes before '2026-01': periods must be "
        "strictly increasing, oldest first",
        f"{M}:8:25: error E203: 'value': expected a number, got text 'lots'",
        f"{M}:9:6: error E411: period '2026' is a year but the series uses months (from "
        "'2026-01' on line 5): use one granularity per metric",
    ]
    assert code == 1


def test_a_metric_whose_values_all_lack_their_value_has_no_false_warning(make_project) -> None:
    """No W502 'no data' while the values could not be read, and no stand-in in a message."""
    text = "name: N\nkind: nps\nvalues:\n  - {period: '2026-01'}\n  - {period: '2026-01'}\n"
    code, lines = check_lines(make_project, {M: text})
    assert lines == [
        f"{M}:4:5: error E202: missing required key 'value'",
        f"{M}:5:5: error E202: missing required key 'value'",
        f"{M}:5:6: error E412: period '2026-01' repeats '2026-01': periods must be strictly "
        "increasing, oldest first",
        f"{M}:1:1: warning W501: metric has no target; add 'target: <number>' so its status "
        "can be shown",
    ]
    assert code == 1


P = "personas/maya.yaml"


def test_a_persona_evidence_entry_missing_its_source_is_still_read(
    make_project, monkeypatch
) -> None:
    """The entry is read with a stand-in source: its url is still checked, and its date still
    counts for the persona's stale evidence (W508), which points at that date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    text = (
        "name: Maya\nrole: Runner\nquote: mail me at maya@example.com\nevidence:\n"
        "  - {date: 2020-01-01, url: [x]}\n"
        "  - {source: Survey, date: 2019-05-01}\n"
    )
    code, lines = check_lines(make_project, {P: text})
    assert lines == [
        f"{P}:5:5: error E202: missing required key 'source'",
        f"{P}:5:24: error E203: 'url': expected text, got a list",
        f"{P}:3:1: warning W511: personal data in a verbatim: e-mail address "
        "'maya@example.com'; remove it or replace it with a placeholder such as [email] or "
        "[phone]",
        f"{P}:5:6: warning W508: newest evidence is from 2020-01-01, more than 18 months "
        "before 2026-12-01; refresh the research or raise 'stale_after_months' in cxsite.yaml",
    ]
    assert code == 1


def test_a_persona_evidence_date_in_error_makes_no_evidence_stale(
    make_project, monkeypatch
) -> None:
    """A date that could not be read may be the recent one: no W508 beside its error."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796083200")  # 2026-12-01
    text = (
        "name: Maya\nrole: Runner\nevidence:\n"
        "  - {date: 2026-13-01}\n"
        "  - {source: Survey, date: 2019-05-01}\n"
    )
    code, lines = check_lines(make_project, {P: text})
    assert lines == [
        f"{P}:4:5: error E202: missing required key 'source'",
        f"{P}:4:6: error E206: 'date': '2026-13-01' is not a real date: there is no month 13 "
        "(01..12)",
    ]
    assert code == 1


C = "metrics/csat.yaml"


def test_responses_without_a_file_still_have_their_settings_checked(make_project) -> None:
    """`responses` lacking `file` is read with a stand-in file (never read): its rules that do
    not depend on the file's kind, its ids under `map` and its other keys are reported; the
    rule that would need the file name ('sheet' only for .xlsx) says nothing."""
    text = (
        "name: C\nkind: csat\ntarget: high\nresponses:\n"
        "  sheet: Answers\n"
        "  date_format: YYYY\n"
        "  segments: ['']\n"
        "  map: {persona: {Runner: mya}}\n"
    )
    code, lines = check_lines(make_project, {C: text})
    assert lines == [
        f"{C}:3:1: error E203: 'target': expected a number, got text 'high'",
        f"{C}:4:1: error E202: missing required key 'file'",
        f"{C}:6:3: error E207: 'date_format' 'YYYY' has no strftime code such as %Y or %m",
        f"{C}:7:14: error E204: item 1 of 'segments' must not be empty",
        f"{C}:8:19: error E301: unknown persona 'mya' (did you mean 'maya'?)",
    ]
    assert code == 1


def test_responses_without_a_file_on_a_metric_of_another_kind(make_project) -> None:
    """The metric's own rule about `responses` runs too, once the export is read."""
    text = "name: C\nkind: churn\nresponses: {columns: {dat: x}}\nscale: [1, 5]\n"
    code, lines = check_lines(make_project, {C: text})
    assert lines == [
        f"{C}:3:1: error E202: missing required key 'file'",
        f"{C}:3:1: error E207: 'responses' is only for nps, csat and ces, not 'churn'",
        f"{C}:3:23: error E201: unknown key 'dat' (did you mean 'date'?)",
        f"{C}:4:1: error E207: 'scale' is only for ces metrics",
        f"{C}:1:1: warning W501: metric has no target; add 'target: <number>' so its status "
        "can be shown",
    ]
    assert code == 1


def test_a_responses_file_not_found_hides_no_id_of_its_map(make_project) -> None:
    """E403 for the file, and its `map` ids are still checked (they were read only with the
    file's header before)."""
    text = (
        "name: C\nkind: csat\ntarget: 1\n"
        "responses: {file: nothere.csv, map: {journey: {Online: by}}}\n"
    )
    code, lines = check_lines(make_project, {C: text})
    assert lines == [
        f"{C}:4:13: error E403: file not found: 'nothere.csv'",
        f"{C}:4:48: error E301: unknown journey 'by' (did you mean 'buy'?)",
    ]
    assert code == 1


def test_a_nameless_stage_in_a_detail_cycle_is_named_by_its_line(make_project) -> None:
    """E315 and E314 name a stage whose name is a stand-in by its line, never as '-'."""
    files = {
        "journeys/buy.yaml": (
            "title: Buy\npersonas: [maya]\nstages:\n"
            "  - {name: Browse, emotion: 1, touchpoints: [web]}\n"
            "  - {emotion: 1, touchpoints: [web], detail: pay}\n"
        ),
        "journeys/pay.yaml": (
            "title: Pay\npersonas: [maya]\nstages:\n"
            "  - {name: Card, emotion: 1, touchpoints: [web], detail: buy}\n"
        ),
        "journeys/see.yaml": (
            "title: See\npersonas: [maya]\nstages:\n"
            "  - {name: Look, emotion: 1, touchpoints: [web], detail: pay}\n"
        ),
    }
    code, lines = check_lines(make_project, files)
    assert lines == [
        "journeys/buy.yaml:5:5: error E202: missing required key 'name'",
        "journeys/buy.yaml:5:38: error E315: detail cycle 'buy' (the stage on line 5) -> "
        "'pay' (stage 'Card') -> 'buy': a journey cannot zoom into itself, directly or "
        "through its sub-journeys; remove one 'detail'",
        "journeys/see.yaml:4:50: error E314: journey 'pay' is already the detail of a stage "
        "of 'buy' (journeys/buy.yaml:5): a sub-journey zooms into one stage only",
    ]
    assert code == 1


def test_responses_settings_in_error_still_have_their_file_checked(make_project) -> None:
    """The data is not read while a setting is in error, but the file named is still looked
    for (E403), beside the settings' own errors and rules."""
    text = (
        "name: C\nkind: csat\ntarget: 1\n"
        "responses: {file: answer.csv, header_rows: 0, date_format: '%Y%Y'}\n"
    )
    code, lines = check_lines(make_project, {C: text, "answers.csv": "date,score\n"})
    assert lines == [
        f"{C}:4:13: error E403: file not found: 'answer.csv' (did you mean 'answers.csv'?)",
        f"{C}:4:31: error E204: 'header_rows' is 0, out of range 1..100",
        f"{C}:4:47: error E207: 'date_format' '%Y%Y' cannot be read: each strftime code such as "
        "%Y may appear once",
    ]
    assert code == 1
