"""Files made from data: an uploaded file without the columns ingest ignored (so a caller's
e-mail or phone in an ITSM export is never kept), and one complete workbook of a published
version in the template's shape (download it, change it, upload it again).

Pure: bytes in, bytes out.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import numpy as np
import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from .ingest import _find_header, _map_header, _recognise
from .model import Dataset
from .readers import RawSheet, decode_text, read_file, sniff_delimiter
from .schema import SHEETS, SHEETS_BY_KEY, SILENT_SHEETS, Sheet, normalize_name

__all__ = ["dataset_workbook", "ignored_columns", "strip_ignored_columns"]

_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
                "September", "October", "November", "December")


# --------------------------------------------------------------------------------------------
# Dropping what ingest ignored


def _sheet_for(raw: RawSheet, dataset: Dataset | None) -> Sheet | None:
    kind = None
    if raw.is_csv and dataset is not None:
        # The table the CSV was loaded into (a --kind or the page's choice) decides.
        loaded = [s.tables for s in dataset.sources if s.name == raw.file]
        keys = [k for k in (loaded[0] if loaded else {}) if k in SHEETS_BY_KEY]
        kind = keys[0] if len(keys) == 1 else None
    return _recognise(raw, kind)


def _kept_positions(raw: RawSheet, sheet: Sheet) -> tuple[int, set[int]] | None:
    """(header row index, the column positions ingest reads) or None when the header is not
    found (then nothing is dropped: ingest reported the sheet instead)."""
    if sheet.key_value:
        return None
    header_index = _find_header(raw.rows, sheet)
    if header_index is None:
        return None
    return header_index, set(_map_header(raw.rows[header_index], sheet))


def ignored_columns(name: str, data: bytes, dataset: Dataset | None = None
                    ) -> dict[str, list[str]]:
    """Sheet -> the headers of the columns ingest ignored (unknown columns), and each sheet
    ignored as a whole as ``{sheet: ["(whole sheet)"]}``. What ``strip_ignored_columns``
    drops; for the page to say so before publishing."""
    out: dict[str, list[str]] = {}
    for raw in read_file(name, data).sheets:
        sheet = _sheet_for(raw, dataset)
        if sheet is None:
            if not raw.is_csv and normalize_name(raw.name) not in SILENT_SHEETS and any(
                    any(c not in (None, "") for c in r) for r in raw.rows):
                out[raw.name] = ["(whole sheet)"]
            continue
        kept = _kept_positions(raw, sheet)
        if kept is None:
            continue
        header_index, positions = kept
        header = raw.rows[header_index]
        dropped = [str(cell) for p, cell in enumerate(header)
                   if p not in positions and cell not in (None, "")]
        # A column without a header but with values is dropped too.
        width = max((len(r) for r in raw.rows), default=0)
        dropped += [f"column {p + 1}" for p in range(len(header), width) if p not in positions]
        if dropped:
            out[raw.name] = dropped
    return out


def strip_ignored_columns(name: str, data: bytes, dataset: Dataset | None = None) -> bytes:
    """The file without the columns ingest ignored (and without sheets it ignored), so what
    the store keeps is only what the dashboard uses. A workbook stays a workbook (openpyxl;
    formatting of the kept cells kept); a CSV keeps its delimiter, encoding and line ends.
    A file where nothing is ignored, or that cannot be read, is returned unchanged."""
    if not ignored_columns(name, data, dataset):
        return data
    result = read_file(name, data)
    if not result.sheets:
        return data
    if result.sheets[0].is_csv:
        return _strip_csv(data, result.sheets[0], dataset)
    return _strip_workbook(data, result.sheets, dataset)


def _strip_csv(data: bytes, raw: RawSheet, dataset: Dataset | None) -> bytes:
    sheet = _sheet_for(raw, dataset)
    kept = _kept_positions(raw, sheet) if sheet else None
    if kept is None:
        return data
    _header_index, positions = kept
    order = sorted(positions)
    text = decode_text(data)
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            data.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    delimiter = sniff_delimiter(text)
    line_end = "\r\n" if "\r\n" in text[:10_000] else "\n"
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        writer.writerow([row[p] if p < len(row) else "" for p in order])
    return out.getvalue().encode(encoding, errors="replace")


def _strip_workbook(data: bytes, sheets: tuple[RawSheet, ...], dataset: Dataset | None
                    ) -> bytes:
    try:
        book = load_workbook(io.BytesIO(data))
    except Exception:  # openpyxl cannot write it back (xls, ods …): keep the file as is
        return data
    for raw in sheets:
        if raw.name not in book.sheetnames:
            continue
        ws = book[raw.name]
        sheet = _sheet_for(raw, dataset)
        if sheet is None:
            if normalize_name(raw.name) not in SILENT_SHEETS and len(book.sheetnames) > 1:
                del book[raw.name]
            continue
        kept = _kept_positions(raw, sheet)
        if kept is None:
            continue
        _header_index, positions = kept
        width = max(ws.max_column, max((len(r) for r in raw.rows), default=0))
        # From the right, so the positions still to delete do not move.
        for position in sorted(set(range(width)) - positions, reverse=True):
            ws.delete_cols(position + 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------------------------
# One workbook of a version's data


def _cell(value: object) -> object:
    """A stored value as a workbook cell: missing -> blank, numpy scalars -> Python ones,
    booleans -> yes/no (as the template asks)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, float | np.floating):
        return None if np.isnan(value) else float(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, datetime | date | int | str):
        return value
    return str(value)


def _table_rows(dataset: Dataset, sheet: Sheet) -> tuple[list[str], list[list]]:
    frame = dataset.tables.get(sheet.key)
    columns = [c.name for c in sheet.columns]
    if frame is None or frame.empty:
        return columns, []
    frame = frame.copy()
    if sheet.key == "services" and "in_catalog" in frame:
        # Services ingest added because other sheets named them: left out, so loading the
        # workbook adds them again exactly as before (with the same warning).
        frame = frame[frame["in_catalog"].astype("boolean").fillna(True).to_numpy(dtype=bool)]
    if sheet.key == "costs" and "cost_pool_label" in frame:
        # The label as typed (it maps to the same pool again); the pool where none was typed.
        frame["cost_pool"] = frame["cost_pool_label"].where(frame["cost_pool_label"].notna(),
                                                            frame["cost_pool"])
    if sheet.key == "budget" and "spread_from" in frame:
        frame = _unspread(frame)
    present = [c for c in columns if c in frame]
    rows = [[_cell(v) for v in record] for record in
            frame[present].astype(object).itertuples(index=False, name=None)]
    return present, rows


def _unspread(budget: pd.DataFrame) -> pd.DataFrame:
    """A fiscal-year budget row as it was written (``FY2026`` and the year's amount), not the
    four quarter rows ingest spread it into: loading the workbook spreads it again, alike."""
    spread = budget["spread_from"].notna().to_numpy(dtype=bool)
    if not spread.any():
        return budget
    rows = budget[spread]
    whole = rows.groupby(["source_file", "source_sheet", "source_row"], sort=False,
                         dropna=False)["amount"].sum()
    years = rows.drop_duplicates(["source_file", "source_sheet", "source_row"]).assign(
        quarter=lambda f: f["spread_from"])
    years = years.assign(amount=whole.to_numpy())
    return pd.concat([years, budget[~spread]]).sort_values(
        ["source_file", "source_sheet", "source_row"], kind="stable")


def _header(ws, names: list[str]) -> list[WriteOnlyCell]:
    cells = []
    for name in names:
        cell = WriteOnlyCell(ws, name)
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cells.append(cell)
    return cells


def dataset_workbook(dataset: Dataset) -> bytes:
    """One complete workbook of ``dataset`` in the template's shape: a Settings sheet and one
    sheet per table with the contract's column names. Loading it gives the same figures (the
    test publishes the sample, downloads it as a workbook, loads that and compares the
    executive summary)."""
    book = Workbook(write_only=True)  # streams rows: a 200,000-ticket version stays quick
    settings = book.create_sheet(SHEETS_BY_KEY["settings"].title)
    settings.append(_header(settings, ["setting", "value"]))
    s = dataset.settings
    for name, value in (("organization", s.organization), ("currency", s.currency),
                        ("fiscal year start", _MONTH_NAMES[int(s.fiscal_year_start) - 1]),
                        ("date order", s.date_order)):
        settings.append([name, value])
    for sheet in SHEETS:
        if sheet.key_value:
            continue
        columns, rows = _table_rows(dataset, sheet)
        if not rows and sheet.optional:
            continue
        ws = book.create_sheet(sheet.title)
        ws.freeze_panes = "A2"
        ws.append(_header(ws, columns))
        kinds = {c.name: c.kind for c in sheet.columns}
        dates = [p for p, column in enumerate(columns) if kinds[column] == "date"]
        for row in rows:
            for position in dates:
                if row[position] is not None:
                    cell = WriteOnlyCell(ws, row[position])
                    cell.number_format = "yyyy-mm-dd hh:mm"
                    row[position] = cell
            ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
