"""Files -> a typed ``Dataset`` plus every finding, in one pass.

The pipeline per file: read (``readers``) → recognise each sheet → find its header row →
map its columns → drop empty and total rows → parse each column by its kind (``parse``) →
validate. Then, across files: concatenate tables of one kind, apply the settings, tie service
names to the catalogue, collapse ITSM event logs, classify work types, and check allocations.

Nothing here raises on bad data: every problem becomes a ``Finding``.
"""

from __future__ import annotations

import calendar
import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import BinaryIO

import numpy as np
import pandas as pd

from . import parse
from .model import Dataset, Finding, Settings, SourceFile, table_keys
from .readers import RawSheet, read_file
from .rules import Code, severity
from .schema import (
    ASSIGNABLE_CLASSES,
    ASSIGNABLE_IN_WORDS,
    COST_POOL_WORDS,
    METHODS_IN_WORDS,
    RULE_TOTAL_TEXT,
    SETTING_NAMES,
    SETTINGS_DEFAULTS,
    SHEETS,
    SHEETS_BY_KEY,
    SILENT_SHEETS,
    SOURCE_DTYPES,
    TABLE_DTYPES,
    TBM_COST_POOLS,
    TICKET_PREFIX_TYPES,
    TOTAL_LABELS,
    WORK_TYPE_CLASSES,
    AllocationMethod,
    Column,
    Sheet,
    WorkClass,
    allocation_of,
    column_lookup,
    normalize_name,
    rule_total_ok,
    sheet_for_name,
    split_unit,
    word_keys,
)

HEADER_SEARCH_ROWS = 10
# All files of one upload together, so that one upload stays inside its memory budget
# (docs/decisions.md, "Upload limits"); each file has its own limit in readers.
MAX_UPLOAD_BYTES = 120 * 1024**2
# Past this many cells with the same problem in one column, one summary finding stands for the
# rest: a 200,000-row export with a bad column should give a readable list, not 200,000 rows.
MAX_CELL_FINDINGS = 25
MAX_LISTED_COLUMNS = 5

_ALLOCATION_FIX = f"Use {METHODS_IN_WORDS}, or a rule from the Allocation rules sheet."


def _unknown_allocation(shown: str, rows: str) -> str:
    return (f"Shared lines say allocate by '{shown}', which is neither a method nor a rule "
            f"({rows}); they stay Unallocated.")

FileInput = tuple[str, bytes | BinaryIO]


# --- public API -----------------------------------------------------------------------------

def empty_table(key: str) -> pd.DataFrame:
    """The typed, empty frame of a table: what an absent sheet becomes."""
    columns = {**TABLE_DTYPES[key], **SOURCE_DTYPES}
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in columns.items()})


def load(files: Iterable[FileInput], kinds: Mapping[str, str] | None = None) -> Dataset:
    """Load files (``(name, bytes or file-like)``) into one Dataset with all findings.

    ``kinds`` maps a CSV file name to a table key when its columns don't say (``support``).
    """
    kinds = dict(kinds or {})
    findings: list[Finding] = []
    sources: list[SourceFile] = []
    recognised: list[tuple[RawSheet, Sheet]] = []
    total = 0
    examples: list[tuple[bool, Finding]] = []
    for name, payload in files:
        data = payload if isinstance(payload, bytes) else payload.read()
        source = SourceFile(name, hashlib.sha256(data).hexdigest(), len(data))
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            findings.append(_finding(
                "FILE_TOO_LARGE", f"This upload's files add up to more than "
                f"{MAX_UPLOAD_BYTES // 1024**2} MB, the most one upload may hold; this file "
                "was not read.", "Upload the files in smaller groups (one quarter at a time).",
                file=name))
            sources.append(source)
            continue
        result = read_file(name, data)
        findings.extend(result.findings)
        matched = 0
        for raw in result.sheets:
            sheet = _recognise(raw, kinds.get(name))
            if sheet is None:
                if (not raw.is_csv and normalize_name(raw.name) not in SILENT_SHEETS
                        and any(any(c not in (None, "") for c in r) for r in raw.rows)):
                    findings.append(_finding(
                        "SHEET_IGNORED", f"Sheet '{_shown(raw.name)}' is not one this app knows; "
                        "it was ignored.", "If it should load, rename it to a sheet of the "
                        "workbook contract (the template lists them: python -m valuelib template "
                        "OUT.xlsx).",
                        file=name, sheet=raw.name))
                continue
            matched += 1
            recognised.append((raw, sheet))
            examples.extend(_template_examples(raw, sheet))
        findings.extend(_credible_examples(examples))
        examples = []
        if result.sheets and not matched:
            findings.append(_finding(
                "NO_SHEETS_RECOGNISED",
                "Nothing in this file was recognised, so nothing would load.",
                "Name sheets as in the template (Services, Costs, Usage, Support …) or give a "
                "CSV the template's column names.", file=name,
                sheet=", ".join(s.name for s in result.sheets)[:200]))
        sources.append(source)

    settings, setting_findings = _settings(
        [(raw, sheet) for raw, sheet in recognised if sheet.key_value])
    findings.extend(setting_findings)

    pieces: dict[str, list[pd.DataFrame]] = {}
    counts: dict[str, dict[str, int]] = {}
    for raw, sheet in recognised:
        if sheet.key_value:
            continue
        frame, sheet_findings = _load_sheet(raw, sheet, settings)
        findings.extend(sheet_findings)
        if frame is not None:
            pieces.setdefault(sheet.key, []).append(frame)
            per_file = counts.setdefault(raw.file, {})
            per_file[sheet.key] = per_file.get(sheet.key, 0) + len(frame)

    tables = {key: _concat(key, pieces.get(key, [])) for key in table_keys()}
    tables, cross_findings, collapse = _cross_checks(tables)
    findings.extend(cross_findings)
    tables["budget"], budget_findings = _budget(tables["budget"], tables["services"],
                                                settings.fiscal_year_start)
    findings.extend(budget_findings)
    findings.extend(partial_quarters(tables))
    sources = [_with_counts(s, counts.get(s.name, {}), collapse.get(s.name)) for s in sources]
    return Dataset(tables=tables, settings=settings, findings=tuple(findings),
                   sources=tuple(sources))


def load_paths(paths: Iterable[str], kinds: Mapping[str, str] | None = None) -> Dataset:
    """Load files from disk (the command line's entry)."""
    inputs = []
    for path in paths:
        with open(path, "rb") as handle:
            inputs.append((str(path), handle.read()))
    return load(inputs, kinds)


# --- recognising sheets and headers ---------------------------------------------------------

def _recognise(raw: RawSheet, kind: str | None) -> Sheet | None:
    if kind:
        return SHEETS_BY_KEY.get(kind)
    if not raw.is_csv:
        return sheet_for_name(raw.name)
    # A CSV holds one table: the sheet whose columns it matches best, all required present.
    best, best_score = None, 0
    for sheet in SHEETS:
        header = _find_header(raw.head, sheet)
        if header is None:
            continue
        mapped = {field for field, _ in _map_header(raw.head[header], sheet).values()}
        required = {c.name for c in sheet.columns if c.required}
        score = len(mapped) + (100 if required <= mapped else 0)
        if score > best_score:
            best, best_score = sheet, score
    return best


def _find_header(rows: list[list], sheet: Sheet) -> int | None:
    """The first of the top rows in which at least two of the sheet's column names appear."""
    lookup = column_lookup(sheet)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        hits = {lookup[n][0] for n in (normalize_name(c) for c in row if isinstance(c, str))
                if n in lookup}
        if len(hits) >= 2:
            return index
    return None


def _map_header(header: list, sheet: Sheet) -> dict[int, tuple[str, int]]:
    """Column position -> (field, preference rank) for every header cell that is a known name."""
    lookup = column_lookup(sheet)
    mapped = {}
    for position, cell in enumerate(header):
        if cell is None:
            continue
        key = normalize_name(cell)
        if key in lookup:
            mapped[position] = lookup[key]
    return mapped


def _column_letter(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- one sheet ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Where:
    file: str
    sheet: str
    header_row: int | None = None


def _a(word: str) -> str:
    """The article a word takes: an 'opened' column, a 'users' column, an 'hours' column."""
    folded = word.casefold()
    vowel = folded[:1] in ("a", "e", "i", "o", "u") and not folded.startswith(
        ("uni", "use", "usa", "usu", "eu", "one"))
    return "an" if vowel or folded.startswith(("hour", "honest")) else "a"


# Cell text quoted in a message is cut to this many characters (with "…"): a finding points
# at the cell, it does not copy it, and a 50 MB cell must not be copied into 25 findings.
QUOTED_CHARS = 100
# What a finding keeps of the whole cell (``Finding.value``) and, as a last guard, of its
# message and column: user text is always cut before it is built into either.
VALUE_CHARS = 200
MESSAGE_CHARS = 2000


def _shown(value: object, limit: int = QUOTED_CHARS) -> str:
    """A cell as a person typed it (-1850, not -1850.0), cut to ``limit`` characters."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None:
        return ""
    if isinstance(value, str):  # cut before anything else copies a huge cell
        return value if len(value) <= limit else value[:limit - 1] + "…"
    text = str(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _finding(code: str, message: str, fix: str, *, file: str = "", sheet: str = "",
             row: int | None = None, column: str = "", value: object = "") -> Finding:
    # Messages are built by concatenation or f-strings with the data as arguments, never by
    # str.format / % over text that holds user data (a header "{value:>2000000000}" would
    # otherwise build a 2-billion-character string).
    return Finding(Code(code), severity(code), _shown(message, MESSAGE_CHARS), fix, file,
                   _shown(sheet, VALUE_CHARS), row, _shown(column, VALUE_CHARS),
                   _shown(value, VALUE_CHARS))


def _cell_findings(code: str, mask: np.ndarray, frame: pd.DataFrame, raw_values: pd.Series,
                   where: _Where, column: str, message: Callable[[str], str], fix: str
                   ) -> list[Finding]:
    """One finding per flagged cell, capped; the rest summarised in one more finding.
    ``message`` turns the cell's shown (cut) text into the sentence."""
    positions = np.flatnonzero(mask)
    out = []
    rows = frame["source_row"].to_numpy()
    for position in positions[:MAX_CELL_FINDINGS]:
        value = raw_values.iloc[position]
        out.append(_finding(code, message(_shown(value)), fix, file=where.file,
                            sheet=where.sheet, row=int(rows[position]), column=column,
                            value=value))
    if len(positions) > MAX_CELL_FINDINGS:
        more = len(positions) - MAX_CELL_FINDINGS
        out.append(_finding(code, f"… and {more:,} more cells like this in column '{column}'.",
                            fix, file=where.file, sheet=where.sheet, column=column))
    return out


def _load_sheet(raw: RawSheet, sheet: Sheet, settings: Settings
                ) -> tuple[pd.DataFrame | None, list[Finding]]:
    where = _Where(raw.file, raw.name)
    findings: list[Finding] = []
    header_index = _find_header(raw.head, sheet)
    if header_index is None:
        needs = [c.name for c in sheet.columns if c.required] + [
            " or ".join(group) for group in sheet.one_of]
        optional = [c.name for c in sheet.columns if not c.required
                    and not any(c.name in group for group in sheet.one_of)]
        return None, [_finding(
            "HEADER_NOT_FOUND", f"No header row found in the first {HEADER_SEARCH_ROWS} rows of "
            f"'{_shown(raw.name)}' ({_a(sheet.title)} {sheet.title} sheet). It needs a row "
            f"naming its columns: {', '.join(needs) or sheet.columns[0].name}.",
            f"Put the column names in one row within the first {HEADER_SEARCH_ROWS} rows: "
            f"{', '.join(needs) or sheet.columns[0].name}"
            + (f", plus any of {', '.join(optional)}." if optional else "."),
            file=raw.file, sheet=raw.name)]
    header = raw.head[header_index]
    header_row = header_index + 1
    mapped = _map_header(header, sheet)

    # Two headers for one field: the more preferred name wins; equally good names are an error.
    chosen: dict[str, int] = {}
    for position, (field, rank) in sorted(mapped.items(), key=lambda kv: (kv[1][1], kv[0])):
        if field not in chosen:
            chosen[field] = position
            continue
        first = chosen[field]
        if mapped[first][1] == rank:
            findings.append(_finding(
                "DUPLICATE_COLUMN", f"Columns '{_shown(header[first])}' ({_column_letter(first)}) "
                f"and '{_shown(header[position])}' ({_column_letter(position)}) both mean "
                f"{field}.",
                "Delete or rename one of them.", file=raw.file, sheet=raw.name, row=header_row,
                column=_shown(header[position])))
        else:
            findings.append(_finding(
                "COLUMN_SHADOWED", f"Column '{_shown(header[position])}' also means {field}; "
                f"'{_shown(header[first])}' was used and this one set aside.",
                "Nothing to do if that is right; otherwise rename the column you want used "
                f"to '{field}'.", file=raw.file, sheet=raw.name, row=header_row,
                column=_shown(header[position])))
    unknown = [_shown(c) for p, c in enumerate(header)
               if p not in mapped and c not in (None, "")]
    fix = "Nothing to do, unless it is a known column under another name: then rename it."
    if len(unknown) <= MAX_LISTED_COLUMNS:
        findings += [_finding("UNKNOWN_COLUMN", f"Column '{cell}' is not part of "
                              f"{_a(sheet.title)} {sheet.title} sheet; it was kept aside.",
                              fix, file=raw.file, sheet=raw.name, row=header_row,
                              column=cell) for cell in unknown]
    else:  # an ITSM export carries dozens of columns we don't use: one finding, not dozens
        findings.append(_finding(
            "UNKNOWN_COLUMN", f"{len(unknown)} columns are not part of {_a(sheet.title)} "
            f"{sheet.title} sheet and were kept aside: {', '.join(unknown)}.", fix,
            file=raw.file, sheet=raw.name, row=header_row, column=unknown[0]))

    present = set(chosen)
    for column in sheet.columns:
        if column.required and column.name not in present:
            findings.append(_finding(
                "MISSING_COLUMN",
                f"The {sheet.title} sheet needs {_a(column.name)} '{column.name}' column.",
                f"Add a column headed '{column.name}'"
                + (f" (or {', '.join(column.synonyms)})" if column.synonyms else "") + ".",
                file=raw.file, sheet=raw.name, row=header_row, column=column.name))
    for group in sheet.one_of:
        if not present & set(group):
            findings.append(_finding(
                "MISSING_COLUMN", f"The {sheet.title} sheet needs one of: {', '.join(group)}.",
                f"Add a column headed '{group[0]}'.", file=raw.file, sheet=raw.name,
                row=header_row, column=" / ".join(group)))
    if any(f.code in ("MISSING_COLUMN", "DUPLICATE_COLUMN") for f in findings):
        return None, findings

    # Body: only the mapped columns, as object cells, numbered as Excel shows them. A CSV
    # reads just those columns (C parser), a workbook slices them from its cells; ragged
    # rows (an odd CSV) take them from rows.
    frame = raw.body_columns(header_index + 1, sorted(chosen.values()))
    if frame is None:
        body = raw.rows[header_index + 1:]
        width = max(map(len, body), default=0)
        if any(len(row) != width for row in body):  # a CSV's short rows: pad them with NaN,
            # as pandas did itself (pandas 3 deprecates building a frame from ragged rows)
            body = [row + [np.nan] * (width - len(row)) if len(row) < width else row
                    for row in body]
        frame = pd.DataFrame(body, dtype=object)
    frame = frame.reindex(columns=list(chosen.values()))
    frame.columns = list(chosen)
    frame["source_row"] = np.arange(header_row + 1, header_row + 1 + len(frame), dtype="int64")
    types = {field: parse.cell_types(frame[field]) for field in chosen}
    keep, dropped = _rows_to_keep(frame, types, lambda p: raw.rows[header_index + 1 + p])
    if not keep.all():
        frame = frame.loc[keep].reset_index(drop=True)
        types = {field: facts.subset(keep) for field, facts in types.items()}
    for row, position, label in dropped:
        holder = header[position] if position < len(header) else None
        holder = _column_letter(position) if holder in (None, "") else str(holder)
        findings.append(_finding(
            "TOTAL_ROW_DROPPED", f"A total row was dropped ('{_shown(label)}' in column "
            f"'{_shown(holder)}'); totals would double-count.",
            "Nothing to do: the app adds up rows itself.",
            file=raw.file, sheet=raw.name, row=row, column=_shown(holder), value=label))

    typed, cell_findings = _parse_columns(frame, types, sheet, settings,
                                          replace(where, header_row=header_row),
                                          {f: _shown(header[p]) for f, p in chosen.items()})
    findings.extend(cell_findings)
    typed["source_file"] = pd.Series(raw.file, index=typed.index, dtype="str")
    typed["source_sheet"] = pd.Series(raw.name, index=typed.index, dtype="str")
    return typed, findings


_TOTAL_KEYS = frozenset(normalize_name(label) for label in TOTAL_LABELS)
_LONGEST_TOTAL = max(len(label) for label in TOTAL_LABELS) + 4


def _is_total_label(cell: object) -> bool:
    return isinstance(cell, str) and len(cell) <= _LONGEST_TOTAL and \
        normalize_name(cell) in _TOTAL_KEYS


def _rows_to_keep(frame: pd.DataFrame, types: dict[str, parse.CellTypes],
                  body_row: Callable[[int], list]
                  ) -> tuple[np.ndarray, list[tuple[int, int, str]]]:
    """Keep all but blank rows and rows whose first text cell says Total / Grand total /
    Subtotal; returns the keep mask and, for each total dropped, its Excel row, the position
    of the column holding the label, and the label. ``body_row(i)`` is the body's row i as
    read (every column: the label may sit in one ingest does not map); asked only for the
    rare total candidates, since a CSV's rows cost a full parse."""
    empty = np.ones(len(frame), dtype=bool)
    total_candidate = np.zeros(len(frame), dtype=bool)
    for _field, facts in types.items():
        empty &= facts.missing
        if facts.codes is not None:
            # a cheap test on each distinct value; the exact test runs on the few rows it keeps
            hit = parse.short_texts(facts.uniques, _LONGEST_TOTAL)
            if hit.any():  # vectorised pre-filter; the exact test runs on what it keeps
                shortlist = np.flatnonzero(hit)
                says_total = pd.Series(facts.uniques[shortlist], dtype="str").str.contains(
                    "total", case=False, regex=False).to_numpy(bool)
                hit[shortlist] = says_total
                hit[shortlist[says_total]] = [_is_total_label(u) for u in
                                              facts.uniques[shortlist[says_total]]]
            if hit.any():
                total_candidate |= (facts.codes >= 0) & hit[np.maximum(facts.codes, 0)]
    totals = []
    for position in np.flatnonzero(total_candidate & ~empty):
        column, label = next(((i, c) for i, c in enumerate(body_row(position))
                              if isinstance(c, str) and c.strip()), (0, ""))
        if _is_total_label(label):
            totals.append((position, column, label.strip()))
    keep = ~empty
    keep[[p for p, _, _ in totals]] = False
    return keep, [(int(frame["source_row"].iloc[p]), c, label) for p, c, label in totals]


def _parse_columns(frame: pd.DataFrame, types: dict[str, parse.CellTypes], sheet: Sheet,
                   settings: Settings, where: _Where, titles: dict[str, str]
                   ) -> tuple[pd.DataFrame, list[Finding]]:
    findings: list[Finding] = []
    out = {}
    on_request = np.zeros(len(frame), dtype=bool)
    for column in sheet.columns:
        if column.name not in frame:
            continue
        raw = frame[column.name]
        facts = types[column.name]
        result = _parse_by_kind(raw, facts, column, settings)
        values = result.values
        title = titles[column.name]
        missing = facts.missing
        bad = result.bad
        if column.kind == "price" and sheet.key == "market" and bad.any():
            asked = bad & parse.price_on_request(raw, facts)
            findings += _cell_findings(
                "PRICE_ON_REQUEST", asked, frame, raw, where, title,
                lambda shown: f"'{shown}': the price is given on request; the offer is kept "
                "and shown as price on request, but not compared.",
                "Nothing to do; write the price if you get a quote.")
            on_request |= asked
            bad = bad & ~asked
        values, unit_findings = _header_unit(values, column, title, settings, where)
        findings += unit_findings
        if result.examples:
            findings.append(_ambiguous_numbers(result.examples, raw, frame, title, settings,
                                               where))
        if result.doubtful is not None and result.doubtful.any():
            findings += _doubtful_percents(result.doubtful, values, column, frame, raw, title,
                                           where)
        if column.kind == "money" and bad.any():
            foreign = bad & parse.foreign_currency(raw, settings.currency)
            findings += _cell_findings(
                "MIXED_CURRENCY", foreign, frame, raw, where, title,
                lambda shown: f"'{shown}' is not in the reporting currency {settings.currency}.",
                f"Convert the amount to {settings.currency}, or set the Settings sheet's "
                "currency if the whole upload is in another currency.")
            bad = bad & ~foreign
        code = "BAD_VALUE" if column.required else "BAD_OPTIONAL_VALUE"
        findings += _cell_findings(
            code, bad, frame, raw, where, title,
            lambda shown, words=_KIND_WORDS[column.kind]: f"'{shown}' cannot be read as {words}.",
            _KIND_FIX[column.kind] + ("" if column.required else " The cell was left empty."))
        if column.required and missing.any():
            typed_marker = missing & _typed_marker(facts)
            findings += _cell_findings(
                "MISSING_VALUE", missing & ~typed_marker, frame, raw, where, title,
                lambda _cell, blank=f"'{title}' is blank.": blank,
                f"Fill in {column.name}; every row needs one.")
            findings += _cell_findings(
                "MISSING_VALUE", typed_marker, frame, raw, where, title,
                lambda shown, title=title: f"'{shown}' in a required cell: it means no value, "
                f"and '{title}' needs one.",
                f"Fill in {column.name}; every row needs one.")
        findings += _range_findings(values, column, frame, raw, where, title)
        if column.kind == "date" and result.note.startswith(("ambiguous", "mixed")):
            findings.append(_finding(
                "AMBIGUOUS_DATE_ORDER",
                f"Every date in '{title}' reads both day-first and month-first; they were read "
                f"as {settings.date_order}." if result.note.startswith("ambiguous") else
                f"Dates in '{title}' are written both day-first and month-first; they were read "
                f"as {settings.date_order}.",
                "If that is wrong, set 'date order' on the Settings sheet (MDY or DMY), or write "
                "dates as 2026-08-14.", file=where.file, sheet=where.sheet, column=title))
        if column.kind in ("yesno", "text", "count") and column.default is not None:
            values = values.fillna(column.default)
        out[column.name] = values
        if column.kind == "rating":
            out[column.name + "_pct"] = parse.rating_pct(values, result.note)
    if sheet.key == "market":
        out["price_on_request"] = on_request
    typed = pd.DataFrame(out, index=frame.index)
    typed["source_row"] = frame["source_row"]
    return typed, findings


def _typed_marker(facts: parse.CellTypes) -> np.ndarray:
    """True where a cell holds a typed missing marker (``n/a``, ``-``, ``?``), not a blank."""
    if facts.codes is None:
        return np.zeros(len(facts.missing), dtype=bool)
    present = facts.missing & (facts.codes >= 0)
    wanted = np.unique(facts.codes[present])
    typed = np.zeros(len(facts.uniques), dtype=bool)
    typed[wanted] = [isinstance(u, str) and bool(u.strip()) for u in facts.uniques[wanted]]
    return present & typed[np.maximum(facts.codes, 0)]


def _plain(number: float) -> str:
    """A number as a person writes it: 12,345 or 12.345 (no trailing zeros)."""
    if float(number).is_integer():
        return f"{int(number):,}"
    return f"{number:,.6f}".rstrip("0")


def _header_unit(values: pd.Series, column: Column, title: str, settings: Settings,
                 where: _Where) -> tuple[pd.Series, list[Finding]]:
    """Honour a unit in the header: ``Amount ($M)`` multiplies the column by 1,000,000 (said
    in a finding); a currency other than the reporting one, or a unit the reader cannot
    interpret, is an error rather than a silently dropped word."""
    name, unit = split_unit(title)
    meaning = parse.read_unit(unit, column.kind, column.name)
    at = {"file": where.file, "sheet": where.sheet, "row": where.header_row, "column": title}
    findings = []
    if meaning.currency and meaning.currency != settings.currency:
        findings.append(_finding(
            "MIXED_CURRENCY", f"Column '{title}' is headed in {meaning.currency}, but the "
            f"reporting currency is {settings.currency}.",
            f"Convert the column to {settings.currency} and head it '{name}', or set the "
            "Settings sheet's currency if the whole upload is in "
            f"{meaning.currency}.", value=unit, **at))
    if not meaning.known:
        findings.append(_finding(
            "UNKNOWN_UNIT", f"Column '{title}' gives its unit as '{_shown(unit)}', which this app "
            f"cannot read, so its numbers could be off by any factor.",
            f"Write plain numbers and head the column '{name}'"
            + (", or use a unit such as $K, $M, thousands or millions." if column.kind in
               ("money", "price", "count") else " (a '%' unit is fine)."),
            value=unit, **at))
    elif meaning.scale != 1:
        findings.append(_finding(
            "SCALED_COLUMN", f"{title}: values multiplied by {meaning.scale:,.0f}.",
            "Nothing to do if the header's unit is right.", value=unit, **at))
        values = values * meaning.scale
    return values, findings


def _ambiguous_numbers(examples: tuple[str, ...], raw: pd.Series, frame: pd.DataFrame,
                       title: str, settings: Settings, where: _Where) -> Finding:
    """The column's numbers read two ways; name two of them and how they were read."""
    decimal = parse.NUMBER_FORMATS.get(settings.number_format, ".")
    read = [parse.money_from_text(e, decimal) for e in examples]
    cells = " and ".join(f"'{e}'" for e in examples)
    as_read = ", ".join(f"'{e}' is {_plain(r[0])}" for e, r in zip(examples, read, strict=True)
                        if r is not None)
    first = raw.astype("str").str.strip().eq(examples[0]).to_numpy(bool)
    row = int(frame["source_row"].to_numpy()[first.argmax()]) if first.any() else None
    return _finding(
        "AMBIGUOUS_NUMBER_FORMAT", f"Numbers in '{title}' such as {cells} read two ways (a "
        "decimal mark or a thousands separator), and no value in the column settles which; "
        f"they were read as the number format {settings.number_format} says: {as_read}.",
        "If that is wrong, set 'number format' on the Settings sheet (1,234.56 or 1.234,56), "
        "or write one value with both marks (12,345.00) so the column settles it.",
        file=where.file, sheet=where.sheet, row=row, column=title, value=examples[0])


def _doubtful_percents(doubtful: np.ndarray, values: pd.Series, column: Column,
                       frame: pd.DataFrame, raw: pd.Series, title: str, where: _Where
                       ) -> list[Finding]:
    """One warning per distinct doubtful value at its first cell: a fraction (0.98) or a 1-5
    score (4) inside a column of percents was read as that many percent."""
    findings = []
    rows = frame["source_row"].to_numpy()
    numbers = values.to_numpy(dtype=float)
    seen: set[float] = set()
    for position in np.flatnonzero(doubtful):
        number = numbers[position]
        if number in seen:
            continue
        seen.add(number)
        if len(seen) > MAX_CELL_FINDINGS:
            break
        shown = _shown(raw.iloc[position])
        how_many = int((numbers[doubtful] == number).sum())
        cells = f" ({how_many:,} cells)" if how_many > 1 else ""
        if number < 1:
            meant = f"if you meant {_plain(number * 100)} %, write {_plain(number * 100)}"
        else:
            meant = (f"if it is a score of {shown} out of 5, write it as a percent "
                     f"({_plain((number - 1) / 4 * 100)})")
        findings.append(_finding(
            "AMBIGUOUS_PERCENT", f"{shown} read as {_plain(number)} %{cells}: the rest of "
            f"'{title}' holds percents, so the column was read as percents; {meant}.",
            "Write every value in the column as a percent (98 or 98%).", file=where.file,
            sheet=where.sheet, row=int(rows[position]), column=title, value=shown))
    return findings


_KIND_WORDS = {
    "text": "text", "money": "an amount", "count": "a number", "price": "a price",
    "percent": "a percent", "yesno": "yes or no", "date": "a date", "quarter": "a quarter",
    "period": "a quarter or a fiscal year",
    "score": "a 1–5 score", "rating": "a 1–5 score or a percent",
    "level": "1, 2 or 3 (High, Medium, Low)", "priority": "a priority from 1 to 5",
}
_KIND_FIX = {
    "text": "Write it as text.",
    "money": "Write a number such as 1234.50 or $1,234.50.",
    "count": "Write a number such as 120 or 1.5.",
    "price": "Write a number such as 15 or $15.00.",
    "percent": "Write a percent such as 99.9 or 99.9%.",
    "yesno": "Write yes or no.",
    "date": "Write a date such as 2026-08-14 or use an Excel date.",
    "quarter": "Write a quarter such as 2026-Q3 (or Q3 2026, FY26 Q3) or a date in it.",
    "period": "Write a quarter such as 2026-Q3 (or FY26 Q3), or a fiscal year such as FY2026.",
    "score": "Write a score from 1 to 5.",
    "rating": "Write a score from 1 to 5 or a percent.",
    "level": "Write 1, 2 or 3, or High, Medium, Low.",
    "priority": "Write 1 to 5, P1 to P5, or Critical, High, Moderate, Low, Planning.",
}


def _parse_by_kind(raw: pd.Series, facts: parse.CellTypes, column: Column, settings: Settings
                   ) -> parse.Parsed:
    kind = column.kind
    if kind == "text":
        return parse.parse_text(raw, facts)
    if kind == "money":
        return parse.parse_money(raw, settings.currency, facts, settings.number_format)
    if kind in ("count", "price", "score"):
        return parse.parse_number(raw, facts, settings.number_format)
    if kind == "percent":
        return parse.parse_percent(raw, settings.number_format)
    if kind == "rating":
        return parse.parse_rating(raw, settings.number_format)
    if kind == "yesno":
        return parse.parse_yesno(raw)
    if kind == "date":
        return parse.parse_date(raw, settings.date_order, facts)
    if kind == "quarter":
        return parse.parse_quarter(raw, settings.fiscal_year_start, settings.date_order)
    if kind == "period":
        return parse.parse_period(raw, settings.fiscal_year_start, settings.date_order)
    if kind == "level":
        return parse.parse_level(raw, facts)
    if kind == "priority":
        return parse.parse_priority(raw, facts)
    raise ValueError(f"unknown column kind {kind!r}")


def _range_findings(values: pd.Series, column: Column, frame: pd.DataFrame, raw: pd.Series,
                    where: _Where, title: str) -> list[Finding]:
    kind = column.kind
    if kind in ("count", "price"):
        return _cell_findings(
            "NEGATIVE_VALUE", (values < 0).fillna(False).to_numpy(bool), frame, raw, where,
            title, lambda shown: f"{column.name} cannot be negative ('{shown}').",
            "Write the number without a minus sign, or remove the row.")
    if kind == "money":
        return _cell_findings(
            "NEGATIVE_AMOUNT", (values < 0).fillna(False).to_numpy(bool), frame, raw, where,
            title, lambda shown: f"'{shown}' is negative and was read as a credit.",
            "Nothing to do if it is a credit; otherwise remove the minus sign.")
    if kind == "percent":
        outside = ~values.between(0, 100) & values.notna()
        return _cell_findings("OUT_OF_RANGE", outside.to_numpy(bool), frame, raw, where, title,
                              lambda shown: f"'{shown}' is not a percent between 0 and 100.",
                              "Write a percent between 0 and 100.")
    if kind == "score":
        outside = ~values.between(1, 5) & values.notna()
        return _cell_findings("OUT_OF_RANGE", outside.to_numpy(bool), frame, raw, where, title,
                              lambda shown: f"'{shown}' is not a score from 1 to 5.",
                              "Write a score from 1 to 5.")
    if kind == "rating":
        outside = ~values.between(0, 100) & values.notna()
        return _cell_findings("OUT_OF_RANGE", outside.to_numpy(bool), frame, raw, where, title,
                              lambda shown: f"'{shown}' is neither a 1–5 score nor a percent.",
                              "Write a score from 1 to 5, or a percent from 0 to 100.")
    return []


def _concat(key: str, frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Tables of one kind from several sheets/files, conformed to the typed empty frame."""
    template = empty_table(key)
    if not frames:
        return template
    merged = pd.concat([f for f in frames if len(f)] or [frames[0]], ignore_index=True)
    for name in template.columns:
        if name not in merged:
            merged[name] = pd.Series(index=merged.index, dtype=template[name].dtype)
        elif merged[name].dtype != template[name].dtype:
            merged[name] = merged[name].astype(template[name].dtype)
    return merged[list(template.columns)]


# --- settings -------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"), start=1)}


def _settings(sheets: list[tuple[RawSheet, Sheet]]) -> tuple[Settings, list[Finding]]:
    values: dict[str, object] = {}
    findings: list[Finding] = []
    for raw, sheet in sheets:
        header = _find_header(raw.rows, sheet)
        start = 0 if header is None else header + 1
        for index, row in enumerate(raw.rows[start:], start=start + 1):
            cells = list(row[:2]) + [None] * (2 - len(row[:2]))
            name, value = cells
            if parse.is_missing_scalar(name):
                continue
            key = SETTING_NAMES.get(normalize_name(name))
            where = {"file": raw.file, "sheet": raw.name, "row": index, "column": "value"}
            if key is None:
                findings.append(_finding(
                    "SETTING_INVALID", f"'{_shown(name)}' is not a setting this app knows.",
                    "Use organization, currency, fiscal year start, date order or number "
                    "format.",
                    value=name, **{**where, "column": "setting"}))
                continue
            parsed = _setting_value(key, value)
            if parsed is None:
                findings.append(_finding(
                    "SETTING_INVALID", f"'{_shown(value)}' is not a valid {_shown(name)}; the "
                    f"default {SETTINGS_DEFAULTS[key]} was used.", _SETTING_FIX[key], value=value,
                    **where))
                continue
            if key == "currency" and "currency" in values and values["currency"] != parsed:
                findings.append(_finding(
                    "MIXED_CURRENCY", f"This upload says its currency is both "
                    f"{values['currency']} and {parsed}.", "Upload files in one reporting "
                    "currency (convert amounts first).", value=value, **where))
                continue
            values.setdefault(key, parsed)
    return Settings(**values), findings


_SETTING_FIX = {
    "organization": "Write the organisation's name.",
    "currency": "Write a three-letter ISO code such as USD, EUR or GBP.",
    "fiscal_year_start": "Write a month (July) or its number (7).",
    "date_order": "Write MDY (month first) or DMY (day first).",
    "number_format": "Write 1,234.56 (a decimal point) or 1.234,56 (a decimal comma).",
}


def _setting_value(key: str, value: object) -> object:
    if parse.is_missing_scalar(value):
        return None
    text = str(value).strip()
    if key == "organization":
        return text
    if key == "currency":
        return text.upper() if len(text) == 3 and text.isalpha() else None
    if key == "fiscal_year_start":
        if isinstance(value, (int, float)) and 1 <= value <= 12 and float(value).is_integer():
            return int(value)
        if text.isdigit() and 1 <= int(text) <= 12:
            return int(text)
        return next((n for m, n in _MONTHS.items() if m.startswith(text.casefold()[:3])
                     and len(text) >= 3), None)
    if key == "date_order":
        order = normalize_name(text)
        return {"mdy": "MDY", "monthfirst": "MDY", "dmy": "DMY", "dayfirst": "DMY"}.get(order)
    if key == "number_format":
        return _NUMBER_FORMAT_WORDS.get(text.casefold().replace(" ", "").replace("\u00a0", ""))
    return None


# How people write the number format setting -> the canonical one.
_NUMBER_FORMAT_WORDS = {
    **dict.fromkeys(("1,234.56", "1234.56", ".", "point", "decimalpoint", "dot", "us", "uk",
                     "en"), "1,234.56"),
    **dict.fromkeys(("1.234,56", "1234,56", ",", "comma", "decimalcomma", "eu", "de", "fr"),
                    "1.234,56"),
}


# --- across tables --------------------------------------------------------------------------

def _rows(count: int) -> str:
    return f"{count:,} row" + ("" if count == 1 else "s")


def _first_rows(frame: pd.DataFrame, mask: pd.Series, by: str) -> pd.DataFrame:
    """The first flagged row of each distinct value of ``by``, with how many rows share it."""
    flagged = frame.loc[mask, [by, "source_file", "source_sheet", "source_row"]]
    counts = flagged.groupby(by, sort=False).size().rename("rows")
    return flagged.drop_duplicates(by).join(counts, on=by)


def _value_findings(frame: pd.DataFrame, mask: pd.Series, column: str, code: str,
                    message: Callable[[str, str], str], fix: str) -> list[Finding]:
    """One finding per distinct flagged value of ``column``, at its first row; ``message``
    turns (the value as shown, how many rows share it) into the sentence."""
    return [_finding(code, message(_shown(row[column]), _rows(row["rows"])), fix,
                     file=row["source_file"], sheet=row["source_sheet"],
                     row=int(row["source_row"]), column=column, value=row[column])
            for _, row in _first_rows(frame, mask, column).iterrows()]


def _cross_checks(tables: dict[str, pd.DataFrame]
                  ) -> tuple[dict[str, pd.DataFrame], list[Finding], dict[str, tuple[int, int]]]:
    findings: list[Finding] = []
    tables = dict(tables)
    tables["support"], collapse, collapse_findings = _collapse_event_log(tables["support"])
    findings += collapse_findings
    tables["support"], ended_findings = _resolved_from_closed(tables["support"])
    findings += ended_findings
    tables, service_findings = _tie_services(tables)
    findings += service_findings
    tables["costs"], cost_findings = _costs(tables["costs"], tables["allocation_rules"])
    findings += cost_findings
    tables["support"], work_findings = _classify_work(tables["support"], tables["work_types"])
    findings += work_findings
    findings += _period_overlap(tables["support"], tables["costs"])
    findings += _rule_totals(tables["allocation_rules"])
    for key in ("subscriptions", "needs"):
        dated = tables[key]
        tables[key] = dated.assign(quarter=dated["quarter"].fillna(parse.quarter_of(dated["date"]))
                                   .astype("str"))
    offerings = tables["offerings"]
    tables["offerings"] = offerings.assign(price_per_user_month=offerings[
        "price_per_user_month"].fillna(offerings["price_per_user_year"] / 12))
    market = tables["market"]
    monthly = market["price_per_user_month"].fillna(market["price_per_user_year"] / 12)
    # an offer priced on request is said once (PRICE_ON_REQUEST), not again as "no price"
    tables["market"] = market.assign(price_per_user_month=monthly,
                                     price_on_request=market["price_on_request"] & monthly.isna())
    unpriced = monthly.isna() & ~tables["market"]["price_on_request"]
    for _index, row in tables["market"].loc[unpriced].head(MAX_CELL_FINDINGS).iterrows():
        findings.append(_finding(
            "MISSING_VALUE", f"Offer '{_shown(row['offer'])}' has no price.",
            "Fill in price_per_user_month (or price_per_user_year).", file=row["source_file"],
            sheet=row["source_sheet"], row=int(row["source_row"]),
            column="price_per_user_month"))
    return tables, findings, collapse


def _collapse_event_log(support: pd.DataFrame
                        ) -> tuple[pd.DataFrame, dict[str, tuple[int, int]], list[Finding]]:
    """An ITSM export with one row per update becomes the latest row of each ticket."""
    has_ticket = support["ticket"].notna()
    if not has_ticket.any() or not support.loc[has_ticket].duplicated(
            ["source_file", "ticket"]).any():
        return support, {}, []
    order = support.assign(_seq=np.arange(len(support))).sort_values(
        ["updated", "_seq"], kind="stable", na_position="first")
    latest = pd.concat([
        order.loc[order["ticket"].notna()].drop_duplicates(["source_file", "ticket"], keep="last"),
        order.loc[order["ticket"].isna()],
    ]).sort_values("_seq").drop(columns="_seq").reset_index(drop=True)
    collapse, findings = {}, []
    for file, events in support.groupby("source_file").size().items():
        tickets = int((latest["source_file"] == file).sum())
        if tickets < events:
            collapse[file] = (int(events), tickets)
            first = support.loc[support["source_file"] == file].iloc[0]
            findings.append(_finding(
                "EVENT_LOG_COLLAPSED", f"{events:,} event rows became {tickets:,} tickets "
                "(the latest row of each ticket was kept).", "Nothing to do.", file=file,
                sheet=first["source_sheet"], column="ticket"))
    return latest, collapse, findings


def _span(quarters: pd.Series) -> str:
    first, last = quarters.min(), quarters.max()
    return first if first == last else f"{first} … {last}"


def _period_overlap(support: pd.DataFrame, costs: pd.DataFrame) -> list[Finding]:
    """Support and cost data from quarters that never meet (a 2016 log with 2026 costs):
    said once, so no page silently sets one beside the other."""
    tickets, spend = support["quarter"].dropna(), costs["quarter"].dropna()
    if tickets.empty or spend.empty or set(tickets.unique()) & set(spend.unique()):
        return []
    first = support.loc[support["quarter"].notna()].iloc[0]
    return [_finding(
        "PERIODS_DO_NOT_OVERLAP", f"Support data covers {_span(tickets)} but cost data covers "
        f"{_span(spend)}: no quarter has both, so support and cost figures are shown for "
        "different quarters.", "Upload support and cost data for the same quarters, or read "
        "them apart.", file=first["source_file"], sheet=first["source_sheet"],
        column="opened")]


ENDED_STATES = frozenset({"closed", "resolved", "cancelled", "canceled"})


def _resolved_from_closed(support: pd.DataFrame) -> tuple[pd.DataFrame, list[Finding]]:
    """A ticket with no resolved date that has ended takes the time it ended as resolved:
    its ``closed`` date, else (its ``state`` being Closed, Resolved or Cancelled) its last
    update. Otherwise a closed ServiceNow ticket would stay in the backlog for ever."""
    blank = support["resolved"].isna() & support["opened"].notna()
    if not blank.any():
        return support, []
    closed = support["closed"]
    ended_state = _per_unique(support["state"], lambda s: s.str.strip().str.casefold()
                              ).isin(ENDED_STATES)
    when = closed.where(closed.notna(), support["updated"].where(ended_state))
    fill = blank & when.notna()
    if not fill.any():
        return support, []
    support = support.assign(resolved=support["resolved"].where(~fill, when))
    findings = []
    for file, rows in support.loc[fill].groupby("source_file", sort=False):
        from_closed = int(rows["closed"].notna().sum())
        parts = [f"{from_closed:,} by its closed date"] if from_closed else []
        if from_closed < len(rows):
            parts.append(f"{len(rows) - from_closed:,} by the last update of a ticket in an "
                         "ended state")
        first = rows.iloc[0]
        findings.append(_finding(
            "RESOLVED_FROM_CLOSED", f"{len(rows):,} ticket{'' if len(rows) == 1 else 's'} "
            f"with no resolved date had ended; resolved was taken from {' and '.join(parts)}.",
            "Nothing to do: the ticket counts as resolved when it was closed.", file=file,
            sheet=first["source_sheet"], row=int(first["source_row"]), column="resolved"))
    return support, findings


def _per_unique(values: pd.Series, transform) -> pd.Series:
    """Apply a vectorised string ``transform`` to each distinct value once, then map back:
    a 200,000-row log names a few dozen services."""
    codes, uniques = pd.factorize(values)
    done = transform(pd.Series(uniques, dtype="str")).to_numpy(dtype=object)
    return pd.Series(np.append(done, None)[np.where(codes < 0, len(done), codes)],
                     index=values.index, dtype="str")


def _fold(names: pd.Series) -> pd.Series:
    return names.str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()


def _service_key(names: pd.Series) -> pd.Series:
    """How service names are matched: case and runs of spaces ignored."""
    return _per_unique(names, _fold)


def _tie_services(tables: dict[str, pd.DataFrame]
                  ) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    """Spell every service as the catalogue does; add missing ones to it, with a warning."""
    services = tables["services"].drop_duplicates("service").assign(in_catalog=True)
    canonical = dict(zip(_service_key(services["service"]), services["service"], strict=False))
    findings = []
    additions = []
    for key in ("costs", "usage", "support", "market", "value", "allocation_rules"):
        frame = tables[key]
        if frame.empty or "service" not in frame:
            continue
        names = frame["service"]
        if key == "costs":
            names = names.mask(_service_key(names).eq("shared"))
        def catalogue_spelling(unique: pd.Series) -> pd.Series:
            return _fold(unique).map(canonical)

        known = _per_unique(names, catalogue_spelling)
        unknown = names.notna() & known.isna()
        if unknown.any():
            for _, row in _first_rows(frame.assign(service=names), unknown, "service").iterrows():
                if _service_key(pd.Series([row["service"]]))[0] in canonical:
                    continue
                canonical[_service_key(pd.Series([row["service"]]))[0]] = row["service"]
                additions.append(row["service"])
                findings.append(_finding(
                    "SERVICE_NOT_IN_CATALOG", f"Service '{_shown(row['service'])}' is not on the "
                    f"Services sheet ({_rows(row['rows'])} name it); it was added to the "
                    "catalogue.", "Add it to the Services sheet, or correct the spelling.",
                    file=row["source_file"], sheet=row["source_sheet"],
                    row=int(row["source_row"]), column="service", value=row["service"]))
            known = _per_unique(names, catalogue_spelling)
        tables[key] = frame.assign(service=known.where(names.notna(), frame["service"])
                                   .astype("str"))
    if additions:
        added = empty_table("services").reindex(range(len(additions)))
        added["service"] = pd.Series(additions, dtype="str")
        added["unit"] = "user"
        added["in_catalog"] = False
        added["source_row"] = 0
        services = _concat("services", [services, added])
    tables["services"] = _concat("services", [services])
    return tables, findings


def _costs(costs: pd.DataFrame, rules: pd.DataFrame) -> tuple[pd.DataFrame, list[Finding]]:
    findings = []
    shared = costs["service"].isna() | _service_key(costs["service"]).eq("shared")
    quarter = costs["quarter"].fillna(parse.quarter_of(costs["date"]))
    no_period = quarter.isna()
    for _, row in costs.loc[no_period].head(MAX_CELL_FINDINGS).iterrows():
        findings.append(_finding(
            "MISSING_VALUE", "This cost line has neither a quarter nor a date.",
            "Fill in the quarter (2026-Q3) or the posting date.", file=row["source_file"],
            sheet=row["source_sheet"], row=int(row["source_row"]), column="quarter"))
    label = costs["cost_pool"]
    pool = _per_unique(label, word_keys).map(COST_POOL_WORDS)
    unknown_pool = label.notna() & pool.isna()
    findings += _value_findings(
        costs, unknown_pool, "cost_pool", "UNKNOWN_COST_POOL",
        lambda shown, rows: f"Cost pool '{shown}' maps to no TBM pool ({rows}); it was "
        "counted as Other.",
        f"Use a TBM pool: {', '.join(TBM_COST_POOLS)}.")
    method, rule_key = allocation_of(costs["allocate_by"], rules["rule"])
    rule = rule_key.map(_rule_spellings(rules))
    allocate_by = method.where(rule.isna(), rule)
    unknown_method = shared & costs["allocate_by"].notna() & allocate_by.isna()
    findings += _value_findings(
        costs, unknown_method, "allocate_by", "UNKNOWN_ALLOCATION",
        _unknown_allocation, _ALLOCATION_FIX)
    # A shared line without a method is split by users: the most common and least surprising.
    allocate_by = allocate_by.where(~(shared & costs["allocate_by"].isna()),
                                    AllocationMethod.USERS)
    allocate_by = allocate_by.fillna(costs["allocate_by"]).where(shared)
    out = costs.assign(
        quarter=quarter.astype("str"),
        service=costs["service"].where(~shared).astype("str"),
        shared=shared.astype(bool),
        cost_pool_label=label,
        cost_pool=pool.fillna("Other").astype("str"),
        allocate_by=allocate_by.astype("str"),
    )
    return out, findings


# How people write a budget row's kind, as word_keys sees it: what was approved, or what is
# now expected. Anything else is said (BUDGET_KIND_UNKNOWN), never guessed.
_BUDGET_KIND_WORDS = {
    **dict.fromkeys(("budget", "budgeted", "plan", "planned", "approved", "original"),
                    "budget"),
    **dict.fromkeys(("forecast", "forecasted", "reforecast", "outlook", "projection",
                     "projected", "estimate", "expected", "latestestimate", "le"), "forecast"),
}
QUARTERS_PER_YEAR = 4


def _budget(budget: pd.DataFrame, services: pd.DataFrame, fiscal_start: int
            ) -> tuple[pd.DataFrame, list[Finding]]:
    """The Budget sheet made comparable: kinds read as budget / forecast, pools as TBM pools,
    services spelled as the catalogue does, and a fiscal-year row spread evenly over its four
    quarters (each a quarter of the amount, ``spread_from`` naming the year), said so."""
    if budget.empty:
        return budget, []
    findings: list[Finding] = []
    kind = _per_unique(budget["kind"], word_keys).map(_BUDGET_KIND_WORDS)
    findings += _value_findings(
        budget, budget["kind"].notna() & kind.isna(), "kind", "BUDGET_KIND_UNKNOWN",
        lambda shown, rows: f"Kind '{shown}' is neither budget nor forecast ({rows}); those "
        "rows are left out of budget vs actual and of the year-end forecast.",
        "Write budget (what was approved) or forecast (what is now expected).")
    label = budget["cost_pool"]
    pool = _per_unique(label, word_keys).map(COST_POOL_WORDS)
    findings += _value_findings(
        budget, label.notna() & pool.isna(), "cost_pool", "UNKNOWN_COST_POOL",
        lambda shown, rows: f"Cost pool '{shown}' maps to no TBM pool ({rows}); its budget "
        "was counted as Other.", f"Use a TBM pool: {', '.join(TBM_COST_POOLS)}.")
    canonical = dict(zip(_service_key(services["service"]), services["service"], strict=False))
    names = budget["service"]
    known = _service_key(names).map(canonical)
    findings += _value_findings(
        budget, names.notna() & known.isna(), "service", "BUDGET_SERVICE_UNKNOWN",
        lambda shown, rows: f"The budget names service '{shown}' ({rows}), which is not in "
        "the catalogue; its budget is kept and compared with no actual cost.",
        "Add the service to the Services sheet, or spell it as the Services sheet does.")
    # a sheet without the kind or version column takes their defaults (as a blank cell does)
    columns = SHEETS_BY_KEY["budget"]
    # a blank kind on a sheet named Forecast is a forecast, as its reader means it
    on_forecast = _per_unique(budget["source_sheet"], word_keys).eq("forecast")
    blank = np.where(on_forecast, "forecast", columns.column("kind").default)
    kind = kind.where(budget["kind"].notna(), pd.Series(blank, index=budget.index))
    out = budget.assign(
        kind=kind.astype("str"),
        cost_pool=pool.where(label.isna(), pool.fillna("Other")).astype("str"),
        service=known.fillna(names).astype("str"),
        version=budget["version"].str.strip().fillna(columns.column("version").default)
        .astype("str"),
    )
    yearly = out["quarter"].str.startswith("FY").fillna(False).to_numpy(dtype=bool)
    if not yearly.any():
        return out, findings
    start = calendar.month_name[fiscal_start]
    for year, rows in out.loc[yearly].groupby("quarter", sort=False):
        first = rows.iloc[0]
        quarters = parse.fiscal_year_quarters(int(year[2:]), fiscal_start)
        starting = f" (the fiscal year starting in {start})" if fiscal_start != 1 else ""
        findings.append(_finding(
            "BUDGET_SPREAD", f"{_rows(len(rows))} for {year}{starting} "
            f"{'was' if len(rows) == 1 else 'were'} spread evenly over its four quarters, "
            f"{quarters[0]} to {quarters[-1]}: a quarter of each amount in each.",
            "Nothing to do; give quarters instead where the year is not even.",
            file=first["source_file"], sheet=first["source_sheet"],
            row=int(first["source_row"]), column="quarter", value=year))
    repeat = np.where(yearly, QUARTERS_PER_YEAR, 1)
    spread = out.loc[np.repeat(out.index.to_numpy(), repeat)].reset_index(drop=True)
    is_spread = np.repeat(yearly, repeat)
    nth = np.concatenate([np.arange(n) for n in repeat])
    years = spread["quarter"].where(is_spread)
    quarter = [parse.fiscal_year_quarters(int(y[2:]), fiscal_start)[k] if s else q
               for y, q, k, s in zip(years.fillna(""), spread["quarter"], nth, is_spread,
                                     strict=True)]
    spread = spread.assign(
        quarter=pd.Series(quarter, dtype="str"),
        amount=np.where(is_spread, spread["amount"] / QUARTERS_PER_YEAR, spread["amount"]),
        spread_from=years.astype("str"),
    )
    return spread, findings


def _classify_work(support: pd.DataFrame, work_types: pd.DataFrame
                   ) -> tuple[pd.DataFrame, list[Finding]]:
    """Work type -> reactive / proactive / routine; anything else unclassified, never guessed."""
    findings = []
    classes = dict(WORK_TYPE_CLASSES)
    user_classes = work_types["class"].str.casefold().str.strip()
    valid = user_classes.isin(ASSIGNABLE_CLASSES)
    for _, row in work_types.loc[~valid & work_types["class"].notna()].iterrows():
        findings.append(_finding(
            "BAD_OPTIONAL_VALUE", f"Class '{_shown(row['class'])}' is not {ASSIGNABLE_IN_WORDS}.",
            f"Write {ASSIGNABLE_IN_WORDS}.", file=row["source_file"],
            sheet=row["source_sheet"], row=int(row["source_row"]), column="class",
            value=row["class"]))
    classes.update(zip(work_types.loc[valid, "work_type"].map(normalize_name),
                       user_classes[valid], strict=False))
    work_type = support["work_type"]
    # A ServiceNow-style number names its record type (INC…, CHG…) when no type is given.
    untyped = work_type.isna() & support["ticket"].notna()
    if untyped.any():
        prefix = support.loc[untyped, "ticket"].str.extract(r"^([A-Za-z]+)", expand=False)
        work_type = work_type.fillna(prefix.str.upper().map(TICKET_PREFIX_TYPES))
    codes, uniques = pd.factorize(work_type)
    unclassified = WorkClass.UNCLASSIFIED
    unique_class = np.array([classes.get(normalize_name(u), unclassified) for u in uniques]
                            + [unclassified], dtype=object)
    work_class = pd.Series(unique_class[np.where(codes < 0, len(uniques), codes)],
                           index=support.index, dtype="str")
    unknown = work_type.notna() & work_class.eq(unclassified)
    findings += _value_findings(
        support.assign(work_type=work_type), unknown, "work_type", "UNKNOWN_WORK_TYPE",
        lambda shown, rows: f"Work type '{shown}' is not {ASSIGNABLE_IN_WORDS} ({rows}); it is "
        "shown as unclassified.",
        f"Add it to a 'Work types' sheet with its class ({ASSIGNABLE_IN_WORDS}).")
    opened = support["opened"]
    month_key = opened.dt.year * 100 + opened.dt.month
    codes, uniques = pd.factorize(month_key)
    labels = np.array([f"{int(k) // 100}-{int(k) % 100:02d}" for k in uniques] + [None],
                      dtype=object)
    out = support.assign(
        work_type=work_type.astype("str"),
        work_class=work_class,
        quarter=parse.quarter_of(opened),
        month=pd.Series(labels[np.where(codes < 0, len(uniques), codes)], index=support.index,
                        dtype="str"),
    )
    return out, findings


def _rule_totals(rules: pd.DataFrame) -> list[Finding]:
    findings = []
    if rules.empty:
        return findings
    # One rule is every row whose name has its word key, as costing reads it.
    totals = rules.groupby(word_keys(rules["rule"].astype("str")), sort=False).agg(
        rule=("rule", "first"), total=("percent", "sum"), file=("source_file", "first"),
        sheet=("source_sheet", "first"), row=("source_row", "first"))
    for _, row in totals.loc[~rule_total_ok(totals["total"])].iterrows():
        findings.append(_finding(
            "RULE_TOTAL", f"Rule '{_shown(row['rule'])}' shares total {row['total']:g}%, not "
            f"{RULE_TOTAL_TEXT}: its lines stay Unallocated.",
            "Correct the percents so they add up to 100.", file=row["file"], sheet=row["sheet"],
            row=int(row["row"]), column="percent", value=f"{row['total']:g}"))
    return findings


def _with_counts(source: SourceFile, counts: dict[str, int],
                 collapse: tuple[int, int] | None) -> SourceFile:
    counts = dict(counts)
    if collapse:
        counts["support"] = collapse[1]
        return replace(source, tables=counts, events=collapse[0], tickets=collapse[1])
    return replace(source, tables=counts)



# --- template example rows ------------------------------------------------------------------

def _example_key(value: object) -> str | None:
    """A cell as the template example comparison sees it: numbers by value, text folded."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if hasattr(value, "strftime"):
        text = value.strftime("%Y-%m-%d %H:%M")
        return text.removesuffix(" 00:00")
    if isinstance(value, bool):
        return str(value).casefold()
    if isinstance(value, (int, float, np.integer, np.floating)):
        return repr(float(value))
    text = " ".join(str(value).split()).casefold()
    if not text:
        return None
    number = parse.number_from_text(text)
    return repr(float(number)) if number is not None and text[:1].isdigit() else text


def _may_equal(cells: list, want: str | None) -> np.ndarray:
    """Which cells may have the example key ``want``: every one that has it, and perhaps a
    few more (factorising counts True, 1 and 1.0 as one value, so those always pass)."""
    codes, uniques = pd.factorize(np.array(cells + [None], dtype=object)[:-1])
    hit = [isinstance(u, (bool, np.bool_)) or (isinstance(u, (int, float, np.number))
                                                and u in (0, 1))
           or _example_key(u) == want for u in uniques]
    return np.array([*hit, want is None], dtype=bool)[codes]


_SAMPLE_ROWS = 1000


def _hashable(cell: object) -> object:
    return cell if isinstance(cell, (str, int, float, bool, type(None))) else repr(cell)


# A row matching the example on this many columns is the example for sure; a short sheet
# (Work types: a name and a class) can match by chance, so it counts only in a file that
# holds a sure example elsewhere (that file is the template).
SURE_EXAMPLE_COLUMNS = 3
EXAMPLE_COVERAGE = 0.75


def _credible_examples(examples: list[tuple[bool, Finding]]) -> list[Finding]:
    """The TEMPLATE_EXAMPLE findings of one file, keeping the short-sheet ones only when
    the file holds a sure example too."""
    template = any(sure for sure, _ in examples)
    return [finding for sure, finding in examples if sure or template]


def _template_examples(raw: RawSheet, sheet: Sheet) -> list[tuple[bool, Finding]]:
    """TEMPLATE_EXAMPLE: rows equal to the template's example row — the sheet has at least
    ``EXAMPLE_COVERAGE`` of the columns the template gives an example for (two at least),
    and the row holds the example in every one of them — each with whether the match is sure
    (``SURE_EXAMPLE_COLUMNS`` or more columns)."""
    if sheet.key_value:
        return []
    header_index = _find_header(raw.head, sheet)
    if header_index is None:
        return []
    examples = {c.name: _example_key(c.example) for c in sheet.columns if c.example is not None}
    positions = {field: position for position, (field, _rank)
                 in _map_header(raw.head[header_index], sheet).items() if field in examples}
    # The template's sheets carry every column; a sheet keeping most of them (a column or two
    # deleted) still counts. Fewer, and a real row could match by chance.
    if len(positions) < max(2, EXAMPLE_COVERAGE * len(examples)):
        return []
    findings = []
    # column-wise, so a CSV reads only these columns (RawSheet.body_columns)
    body = raw.body_columns(header_index + 1, sorted(set(positions.values())))
    if body is None:
        rows = raw.rows[header_index + 1:]

        def column(p: int, at: np.ndarray) -> list:
            return [rows[i][p] if p < len(rows[i]) else None for i in at.tolist()]
        count = len(rows)
    else:
        def column(p: int, at: np.ndarray) -> list:
            return body[p].to_numpy(dtype=object)[at].tolist()
        count = len(body)
    wanted = [examples[field] for field in positions]
    # Narrow the rows column by column, a key per distinct value (not per cell); the few
    # rows left are checked cell by cell below, as ever.
    at = np.arange(count)
    # Narrow by the columns with the fewest distinct values first (judged on the first
    # rows): a ticket number has one per row, and the rows it leaves are few by then.
    order = sorted(zip(positions.values(), wanted, strict=True),
                   key=lambda pw: len(set(map(_hashable, column(pw[0], at[:_SAMPLE_ROWS])))))
    for p, want in order:
        at = at[_may_equal(column(p, at), want)]
        if not len(at):
            return []
    cells = zip(*(column(p, at) for p in positions.values()), strict=True)
    for offset, row in zip(at.tolist(), cells, strict=True):
        row = list(row)
        if all(_example_key(cell) == want for cell, want in zip(row, wanted, strict=True)):
            shown = ", ".join(_shown(cell) for cell in row[:3])
            findings.append((len(positions) >= SURE_EXAMPLE_COLUMNS, _finding(
                "TEMPLATE_EXAMPLE",
                f"This row is the template's example row ({shown} …), not your data.",
                "Delete the example row, or overwrite it with your own figures.",
                file=raw.file, sheet=raw.name, row=header_index + 2 + offset,
                column=next(iter(positions)), value=row[0])))
            if len(findings) >= MAX_CELL_FINDINGS:
                break
    return findings


# --- checks across tables, again on merged data ---------------------------------------------

# Findings that depend on more than one table: a publish works them out again on the merged
# tables (a correction naming a published service is not "missing from the catalogue").
CROSS_TABLE_CODES = frozenset({"SERVICE_NOT_IN_CATALOG", "UNKNOWN_ALLOCATION", "RULE_TOTAL",
                               "UNKNOWN_WORK_TYPE", "PARTIAL_QUARTER"})


def recheck(tables: Mapping[str, pd.DataFrame]
            ) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    """The cross-table checks on already-loaded tables (e.g. the published data merged with
    an upload): service names tied to the catalogue again (stubs the catalogue now covers
    disappear), shared lines' allocation rules, rule totals, work-type classes and partial
    quarters. Returns the tables with names spelled as the catalogue does, and the findings
    (codes in ``CROSS_TABLE_CODES``)."""
    tables = dict(tables)
    for key in table_keys():
        if key not in tables:
            tables[key] = empty_table(key)
    services = tables["services"]
    if "in_catalog" in services:
        tables["services"] = services[services["in_catalog"].astype("boolean").fillna(True)
                                      .to_numpy(dtype=bool)]
    tables, findings = _tie_services(tables)
    tables["costs"], allocation_findings = _recheck_allocations(tables["costs"],
                                                                tables["allocation_rules"])
    findings += allocation_findings
    tables["support"], work_findings = _classify_work(tables["support"], tables["work_types"])
    findings += [f for f in work_findings if f.code == "UNKNOWN_WORK_TYPE"]
    findings += _rule_totals(tables["allocation_rules"])
    findings += partial_quarters(tables)
    return tables, findings


def _recheck_allocations(costs: pd.DataFrame, rules: pd.DataFrame
                         ) -> tuple[pd.DataFrame, list[Finding]]:
    """Shared lines whose allocate_by is neither a method nor (now) a rule name."""
    if costs.empty or "shared" not in costs or "allocate_by" not in costs:
        return costs, []
    given = costs["allocate_by"]
    method, rule_key = allocation_of(given, rules["rule"])
    rule = rule_key.map(_rule_spellings(rules))
    unknown = costs["shared"].astype(bool) & given.notna() & method.isna()
    costs = costs.assign(allocate_by=rule.where(rule.notna(), given).astype("str"))
    return costs, _value_findings(
        costs, unknown, "allocate_by", "UNKNOWN_ALLOCATION",
        _unknown_allocation, _ALLOCATION_FIX)


def _rule_spellings(rules: pd.DataFrame) -> dict[str, str]:
    """Rule word key -> the rule's name as first written in Allocation rules."""
    names = rules["rule"].dropna().astype("str")
    return dict(zip(word_keys(names).iloc[::-1], names.iloc[::-1], strict=True))


def partial_quarters(tables: Mapping[str, pd.DataFrame]) -> list[Finding]:
    """PARTIAL_QUARTER: a quarter with costs but no usage, or no support, when other quarters
    have them — what executives would see for it. (Data with no usage at all, such as a
    costs-only file checked on its own, is not partial: nothing to compare with.)"""
    costs, usage, support = (tables.get(k) for k in ("costs", "usage", "support"))
    if costs is None or costs.empty or "quarter" not in costs:
        return []
    with_usage = set() if usage is None else set(usage["quarter"].dropna())
    with_support = set() if support is None else set(support["quarter"].dropna())
    # Support (or usage) that covers none of the cost quarters is another finding
    # (PERIODS_DO_NOT_OVERLAP): no cost quarter is "partial" for lacking it.
    cost_quarters = set(costs["quarter"].dropna())
    with_usage = with_usage if with_usage & cost_quarters else set()
    with_support = with_support if with_support & cost_quarters else set()
    findings = []
    firsts = costs[["quarter", "source_file", "source_sheet"]].dropna(subset=["quarter"])
    for first in firsts.drop_duplicates("quarter").sort_values("quarter").itertuples():
        quarter = first.quarter
        missing = []
        if with_usage and quarter not in with_usage:
            missing.append("usage")
        if with_support and quarter not in with_support:
            missing.append("support")
        if not missing:
            continue
        seen = {"usage": "cost per user shows 'no usage data' and the market comparison is "
                         "empty",
                "support": "the support figures show no tickets"}
        findings.append(_finding(
            "PARTIAL_QUARTER",
            f"{quarter} has costs but no {' and no '.join(missing)}: for {quarter} executives "
            f"would see that {' and '.join(seen[m] for m in missing)}. The dashboard opens on "
            "the latest complete quarter instead.",
            f"Add the {' and '.join(missing)} of {quarter}, or leave it out until it is "
            "complete.", file=str(first.source_file), sheet=str(first.source_sheet),
            column="quarter", value=quarter))
    return findings

