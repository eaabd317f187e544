"""The `responses` key of a metric: a survey export (CSV or XLSX) and how to read it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, Strict, model_validator

from cxsite.model.fields import Model, NonEmptyText, Ref, Text, rule_error


def _stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


# Text that is more than white space (kept without its outer spaces): a header, a phrase.
Visible = Annotated[NonEmptyText, BeforeValidator(_stripped)]
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm")


class ResponseColumns(Model):
    """Which export header holds each cxsite column (exact, case-insensitive)."""

    date: Visible | None = Field(None, description="Header of the answer date (default 'date').")
    score: Visible | None = Field(None, description="Header of the score (default 'score').")
    persona: Visible | None = Field(None, description="Header of the persona (default 'persona').")
    journey: Visible | None = Field(None, description="Header of the journey (default 'journey').")
    touchpoint: Visible | None = Field(
        None, description="Header of the touchpoint (default 'touchpoint')."
    )
    comment: Visible | None = Field(
        None, description="Header of the free-text comment (default 'comment')."
    )


class ResponseMap(Model):
    """Export values -> ids, per column; an id of null ignores that segment."""

    persona: dict[Text, Ref | None] = Field(
        default_factory=dict, description="Value -> persona id."
    )
    journey: dict[Text, Ref | None] = Field(
        default_factory=dict, description="Value -> journey id."
    )
    touchpoint: dict[Text, Ref | None] = Field(
        default_factory=dict, description="Value -> touchpoint id."
    )


class Responses(Model):
    """A survey export; a bare path stands for `{file: <path>}` with the defaults."""

    file: NonEmptyText = Field(description="Path to a .csv or .xlsx export, in the project.")
    sheet: Visible | None = Field(None, description="XLSX only: the sheet (default the first).")
    header_rows: Annotated[int, Strict(), Field(ge=1, le=100)] = Field(
        1, description="Rows before the answers; the first names the columns (default 1)."
    )
    delimiter: Literal[",", ";", "\t"] = Field(
        ",", description='CSV only: "," (default), ";" or tab ("\\t").'
    )
    encoding: Literal["utf-8", "utf-16", "cp1252", "latin-1"] = Field(
        "utf-8",
        description="CSV only: utf-8 (default, BOM allowed), utf-16 (BOM), cp1252, latin-1.",
    )
    columns: ResponseColumns = Field(
        default_factory=ResponseColumns, description="cxsite column -> the export's header."
    )
    date_format: Visible | None = Field(
        None, description="strftime codes of the dates; default ISO date or date-time."
    )
    where: dict[Visible, Text] = Field(
        default_factory=dict, description="Keep only rows whose cells equal these texts."
    )
    map: ResponseMap = Field(
        default_factory=ResponseMap, description="Export values -> ids, per column."
    )
    missing: list[Text] = Field(
        default_factory=list, description='Score cells that mean "no score", e.g. ["N/A"].'
    )
    segments: list[Visible] = Field(
        default_factory=list, description="Further export headers to break the metric down by."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: Any) -> Any:
        return {"file": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> Responses:
        spreadsheet = self.is_spreadsheet
        if self.sheet is not None and not spreadsheet:
            raise rule_error(("sheet",), "'sheet' is only for .xlsx files")
        if spreadsheet and self.delimiter != ",":
            raise rule_error(("delimiter",), "'delimiter' is only for .csv files")
        if spreadsheet and self.encoding != "utf-8":
            raise rule_error(("encoding",), "'encoding' is only for .csv files")
        if self.date_format is not None and "%" not in self.date_format:
            raise rule_error(
                ("date_format",),
                f"'date_format' '{self.date_format}' has no strftime code such as %Y or %m",
            )
        unusable = _format_problem(self.date_format) if self.date_format is not None else None
        if unusable is not None:
            raise rule_error(
                ("date_format",), f"'date_format' '{self.date_format}' cannot be read: {unusable}"
            )
        return self

    @property
    def is_spreadsheet(self) -> bool:
        """Whether the file is an .xlsx (or .xlsm) workbook."""
        return self.file.strip().lower().endswith(SPREADSHEET_SUFFIXES)


def _format_problem(date_format: str) -> str | None:
    """Why Python's strptime cannot use `date_format`, or None when it can (a bad format was
    one E424 per row of the file instead of one error here)."""
    try:
        dt.datetime.strptime("", date_format)
    except ValueError as exc:
        reason = str(exc)
        if reason.startswith("time data"):
            return None  # the format is fine; "" just does not match it
        if reason.startswith("stray %"):
            return "a '%' at its end has no code after it (write '%%' for a percent sign)"
        bad = re.match(r"'(.)' is a bad directive", reason)
        code = f"'%{bad[1]}'" if bad else "a code"
        return f"{code} is not a strftime code (such as %Y, %m, %d, %H, %M)"
    except re.error:
        return "each strftime code such as %Y may appear once"
    return None
