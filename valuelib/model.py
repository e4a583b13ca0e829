"""The result objects that flow between modules: findings, settings and a loaded dataset.

Frozen dataclasses; operations return new ones. A ``Dataset`` always holds every table of the
contract (an absent sheet is an empty frame with the typed columns), so analytics never has to
ask whether a sheet was uploaded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum

import pandas as pd

from .column_codes import quarter_labels
from .schema import SETTINGS_DEFAULTS, SOURCE_DTYPES, Table


class Severity(StrEnum):
    """How bad a finding is; errors block publishing. Listed most severe first."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_ORDER = {s: i for i, s in enumerate(Severity)}

# Columns every typed table carries so any number can be traced to its rows.
SOURCE_COLUMNS = tuple(SOURCE_DTYPES)


@dataclass(frozen=True)
class Finding:
    """One validation result. ``row`` is the row number Excel shows (header row included);
    ``None`` where the finding is about a whole file, sheet or column."""

    code: str  # a rules.Code (a stored finding keeps the code it was saved with)
    severity: Severity
    message: str
    fix: str
    file: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""
    value: str = ""

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR

    @property
    def location(self) -> str:
        """Where to look, as a person would say it: ``Usage, row 3, column users``."""
        parts = [self.sheet or self.file.rsplit("/", 1)[-1]]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column}")
        return ", ".join(p for p in parts if p)


def findings_frame(findings) -> pd.DataFrame:
    """Findings as a table, errors first, then by file, sheet and row; a finding about a
    whole sheet or column comes first, except one that sums up cells listed above it ("… and
    250 more cells like this"), which follows the last of them."""
    cols = ["severity", "code", "file", "sheet", "row", "column", "value", "message", "fix"]
    frame = pd.DataFrame([f.as_dict() for f in findings], columns=cols)
    if frame.empty:
        return frame
    frame["row"] = frame["row"].astype("Int64")
    order = frame["severity"].map(SEVERITY_ORDER)
    # A row-less finding with the same code, place and column as row findings sorts after
    # their last row (the +0.5 keeps it behind a cell finding on that very row).
    group = ["code", "file", "sheet", "column"]
    last_row = frame.groupby(group, dropna=False)["row"].transform("max").astype("Float64")
    sort_row = frame["row"].astype("Float64").fillna(last_row + 0.5)
    frame = frame.assign(_o=order, _r=sort_row).sort_values(
        ["_o", "file", "sheet", "_r"], kind="stable", na_position="first")
    return frame.drop(columns=["_o", "_r"]).reset_index(drop=True)


@dataclass(frozen=True)
class Settings:
    """Organisation-wide settings from the Settings sheet (defaults where absent)."""

    organization: str = SETTINGS_DEFAULTS["organization"]
    currency: str = SETTINGS_DEFAULTS["currency"]
    fiscal_year_start: int = SETTINGS_DEFAULTS["fiscal_year_start"]
    date_order: str = SETTINGS_DEFAULTS["date_order"]
    number_format: str = SETTINGS_DEFAULTS["number_format"]  # 1,234.56 or 1.234,56


@dataclass(frozen=True)
class SourceFile:
    """A file that was loaded: its name, size and SHA-256, and what came of it."""

    name: str
    sha256: str
    size: int
    tables: Mapping[str, int] = field(default_factory=dict)  # table key -> rows loaded
    events: int | None = None  # rows of an ITSM event log before collapsing per ticket
    tickets: int | None = None  # tickets after collapsing


@dataclass(frozen=True)
class Dataset:
    """Every table of the contract, typed, plus the findings and settings of the load."""

    tables: Mapping[str, pd.DataFrame]
    settings: Settings = Settings()
    findings: tuple[Finding, ...] = ()
    sources: tuple[SourceFile, ...] = ()

    def __post_init__(self):
        # A private copy: the caller's dict can change without changing this Dataset. (A
        # plain dict, not a MappingProxyType, so a Dataset pickles into st.cache_data.)
        object.__setattr__(self, "tables", dict(self.tables))

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.tables[key]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.is_error)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == Severity.WARNING)

    @property
    def publishable(self) -> bool:
        """Errors block publishing; warnings do not."""
        return not self.errors and any(len(t) for t in self.tables.values())

    @property
    def quarters(self) -> list[str]:
        """Every quarter with cost, usage, value or support data, oldest first."""
        seen: set[str] = set()
        for key in ("costs", "usage", "value", "support"):
            frame = self.tables.get(key)
            if frame is not None and "quarter" in frame:
                seen.update(frame["quarter"].dropna().unique())
        return sorted(seen)

    def with_tables(self, **tables: pd.DataFrame) -> Dataset:
        merged = dict(self.tables)
        merged.update(tables)
        return replace(self, tables=merged)


def complete_quarters(dataset: Dataset) -> list[str]:
    """Quarters whose figures are whole, oldest first: with costs and usage, and with support
    when any quarter has support (a quarter still being filled in is left out)."""
    def quarters(key: str) -> set[str]:
        frame = dataset.tables.get(key)
        # unique() first: iterating a million Arrow strings in Python costs seconds
        return set() if frame is None or "quarter" not in frame else set(
            frame["quarter"].dropna().unique())

    complete = quarters("costs") & quarters("usage")
    frame = dataset.tables.get("support")
    if frame is not None and "quarter" in frame:
        # the quarter codes and labels are kept with the column (a million-row unique costs
        # more than the summary's arithmetic)
        tickets = set(quarter_labels(frame))
    else:
        tickets = set()
    if tickets:
        complete &= tickets
    return sorted(complete)


def latest_complete_quarter(dataset: Dataset) -> str | None:
    """The newest complete quarter (see ``complete_quarters``), or None."""
    complete = complete_quarters(dataset)
    return complete[-1] if complete else None


def table_keys() -> tuple[str, ...]:
    """The keys of Dataset.tables, as plain text (see schema.TABLE_DTYPES)."""
    return tuple(t.value for t in Table)
