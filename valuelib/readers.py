"""Bytes -> raw sheets (lists of cells), or one clear finding saying why the file can't be read.

No parsing of values happens here: a reader only turns a file into rows of cells, as Excel
would show them, so that ingest can number rows the way a person sees them.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import IO

import numpy as np
import pandas as pd
import python_calamine

from .model import Finding
from .rules import severity

# A sheet bigger than this is refused before it is read (docs/decisions.md, "Upload limits"):
# calamine holds a sheet as a dense rows × columns range (about 32 bytes a cell, then a Python
# list of lists), so 16.8 million cells — the whole grid of an .xls sheet, or 200,000 rows ×
# 80 columns — is what one upload's memory budget affords. A real quarterly workbook is far
# smaller, and a tiny file that inflates past it is a zip bomb.
MAX_ROWS = 1_048_576  # Excel's own limit
MAX_CELLS = 16_777_216
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
# Per file, by kind, so one upload stays inside its memory budget (about 1.5 GiB; measured in
# bench/resources.py and written down in docs/decisions.md): reading a CSV peaks at ~16 times
# its size, an .xlsx (compressed ~8:1) at ~30 times.
MAX_FILE_BYTES = {"csv": 80 * 1024**2, "workbook": 40 * 1024**2}

MAX_COMPRESSION_RATIO = 400

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_MARK = "EncryptionInfo".encode("utf-16-le")
_OTHER_FORMATS = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\x1f\x8b": "a gzip archive",
    b"Rar!": "a RAR archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
}


# Records a CSV's head holds, parsed with ``csv`` up front: more than ingest's header search
# (HEADER_SEARCH_ROWS) looks at, so recognising a CSV never parses its body.
HEAD_ROWS = 20


@dataclass(frozen=True)
class RawSheet:
    """One sheet (or a CSV file) as rows of cells; ``rows[0]`` is Excel row 1.

    ``cells`` holds a workbook's rows; a CSV keeps its text (CsvText) and is parsed on
    demand: ``head`` for recognition and the header, ``body_columns`` for the columns ingest
    maps, and ``rows`` (every cell as a Python string, slow) only when something needs them."""

    file: str
    name: str
    cells: list[list] | CsvText
    is_csv: bool = False

    @cached_property
    def rows(self) -> list[list]:
        return self.cells.rows() if isinstance(self.cells, CsvText) else self.cells

    @property
    def head(self) -> list[list]:
        """The first HEAD_ROWS rows."""
        if isinstance(self.cells, CsvText):
            return self.cells.head
        return self.cells[:HEAD_ROWS]

    def body_columns(self, start: int, positions: list[int]) -> pd.DataFrame | None:
        """The cells at column ``positions`` (frame columns named by position) from row index
        ``start`` on — a CSV's read column-wise by pandas' C parser, a workbook's sliced from
        its cells — or None when the sheet must be read through ``rows`` instead (ragged rows,
        or a CSV the C parser might read differently)."""
        if isinstance(self.cells, CsvText):
            return self.cells.columns(start, positions)
        grid = self._grid
        if grid is None or not positions or max(positions) >= grid.shape[1]:
            return None
        # taken column by column, so each column is contiguous (pandas keeps a block as
        # columns × rows): kernels then run over each column without a strided copy
        block = grid.T[positions, start:]
        return pd.DataFrame(block.T, columns=positions, dtype=object, copy=False)

    @cached_property
    def _grid(self) -> np.ndarray | None:
        """A workbook's cells as one 2-D object array (None when its rows are ragged), built
        once in C: columns are then slices, not a Python step per cell."""
        cells = self.cells
        if not cells or len(set(map(len, cells))) != 1:
            return None
        grid = np.array(cells, dtype=object)
        return grid if grid.shape == (len(cells), len(cells[0])) else None


@dataclass(frozen=True)
class ReadResult:
    sheets: tuple[RawSheet, ...] = ()
    findings: tuple[Finding, ...] = ()


def _refuse(file: str, code: str, message: str, fix: str) -> ReadResult:
    return ReadResult(findings=(Finding(code, severity(code), message, fix, file=file),))


def read_file(name: str, data: bytes) -> ReadResult:
    """Read an ``.xlsx`` (or any workbook calamine reads: xls, xlsb, ods) or a CSV file."""
    if not data or not data.strip():
        return _refuse(name, "FILE_EMPTY", "The file is empty.",
                       "Upload the workbook again; it may not have saved.")
    head = data[:8]
    if head.startswith(_OLE_MAGIC) and _ENCRYPTION_MARK in data[:200_000]:
        return _refuse(name, "FILE_ENCRYPTED",
                       "The workbook is password-protected, so it cannot be read.",
                       "In Excel choose File › Info › Protect Workbook › Encrypt with Password, "
                       "clear the password, save, and upload again.")
    for magic, what in _OTHER_FORMATS.items():
        if head.startswith(magic):
            return _refuse(name, "FILE_UNREADABLE", f"This file is {what}, not a spreadsheet.",
                           "Upload the .xlsx workbook or a .csv export.")
    kind = "workbook" if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)) else "csv"
    if len(data) > MAX_FILE_BYTES[kind]:
        return _refuse(name, "FILE_TOO_LARGE",
                       f"The file is {len(data) / 1024**2:,.0f} MB; this app reads "
                       f"{'workbooks' if kind == 'workbook' else 'CSV files'} up to "
                       f"{MAX_FILE_BYTES[kind] // 1024**2} MB each.",
                       "Split it by quarter (or keep only the sheets and columns the template "
                       "names) and upload the parts together.")
    if kind == "workbook":
        return _read_workbook(name, data)
    return _read_csv(name, data)


def _zip_problem(name: str, data: bytes) -> ReadResult | None:
    """Refuse zip bombs and XML entity tricks before any XML parser sees the file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            total = sum(m.file_size for m in members)
            ratio = total / max(1, sum(m.compress_size for m in members))
            if total > MAX_UNCOMPRESSED_BYTES or (ratio > MAX_COMPRESSION_RATIO
                                                  and total > 50 * 1024**2):
                return _refuse(name, "FILE_TOO_LARGE",
                               f"The workbook inflates to {total / 1024**2:,.0f} MB when opened, "
                               "far beyond any real quarterly workbook.",
                               "Check the file; split it or export only the sheets needed.")
            for member in members:
                if member.filename.endswith((".xml", ".rels")):
                    with archive.open(member) as part:
                        start = part.read(4096)
                    if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                        return _refuse(name, "FILE_UNSAFE",
                                       f"The workbook part {member.filename} declares XML "
                                       "entities, which Excel never writes; it was not opened.",
                                       "Open the file in Excel, save it as a new .xlsx, and "
                                       "upload that copy.")
    except zipfile.BadZipFile:
        return _refuse(name, "FILE_UNREADABLE",
                       "The workbook is damaged or incomplete (its zip structure is broken).",
                       "Upload the file again, or open and re-save it in Excel.")
    return None


def _too_large(name: str, sheet: str, extent: SheetExtent) -> ReadResult:
    return ReadResult(findings=(Finding(
        "FILE_TOO_LARGE", severity("FILE_TOO_LARGE"),
        f"Sheet '{sheet[:100]}' reaches row {extent.rows:,} and column "
        f"{_index_to_letters(extent.columns) or 'A'} ({extent.columns:,} columns): "
        f"{extent.cells:,} cells, beyond the {MAX_CELLS:,} cells (and {MAX_ROWS:,} rows) "
        "this app reads per sheet. It was not opened.",
        "Delete the stray cells far from the data (Ctrl+End in Excel shows the last one), or "
        "split the sheet, and upload again.", file=name, sheet=sheet[:200]),))


def _long_cell(name: str, sheet: str) -> ReadResult:
    where = f"Sheet '{sheet[:100]}' has" if sheet else "The workbook has"
    return ReadResult(findings=(Finding(
        "FILE_TOO_LARGE", severity("FILE_TOO_LARGE"),
        f"{where} a cell longer than the {MAX_CELL_CHARS:,} characters Excel allows in one "
        "cell; the workbook was not opened.",
        "Find the cell (it may be pasted data or an export gone wrong), shorten it, save and "
        "upload again.", file=name, sheet=sheet[:200]),))


def _workbook_parts(archive: zipfile.ZipFile) -> dict[str, str] | None:
    """Sheet name -> worksheet XML part, from the workbook's own index; None when the file is
    not an .xlsx (an .xlsb or .ods keeps its sheets in other parts)."""
    names = set(archive.namelist())
    if "xl/workbook.xml" not in names or "xl/_rels/workbook.xml.rels" not in names:
        return None
    book = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    targets = {}
    for tag in re.findall(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        ident = re.search(rb'\sId="([^"]*)"', tag)
        target = re.search(rb'\sTarget="([^"]*)"', tag)
        if ident and target:
            path = html.unescape(target.group(1).decode("utf-8", "replace"))
            path = path.lstrip("/") if path.startswith("/") else "xl/" + path
            targets[ident.group(1)] = posixpath.normpath(path)
    parts = {}
    for tag in re.findall(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        sheet = re.search(rb'\sname="([^"]*)"', tag)
        ident = re.search(rb':id="([^"]*)"', tag)
        if sheet and ident and targets.get(ident.group(1)) in names:
            parts[html.unescape(sheet.group(1).decode("utf-8", "replace"))] = \
                targets[ident.group(1)]
    return parts


def _oversized_sheet(name: str, data: bytes) -> ReadResult | None:
    """Measure every worksheet of an .xlsx before calamine opens any (see sheet_extent); a
    zip workbook whose sheets cannot be measured (.xlsb, .ods) is refused, not risked."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = _workbook_parts(archive)
        if parts is None:
            return _refuse(name, "FILE_UNREADABLE",
                           "This workbook is not an .xlsx (it looks like .xlsb or .ods), so its "
                           "sheets' size cannot be checked before opening; it was not opened.",
                           "Open it in Excel or LibreOffice, save it as .xlsx, and upload that.")
        if "xl/sharedStrings.xml" in archive.namelist():
            with archive.open("xl/sharedStrings.xml") as stream:
                if holds_long_text(stream):
                    return _long_cell(name, "")
        for sheet, part in parts.items():
            with archive.open(part) as stream:
                extent = sheet_extent(stream)
            if extent.long_text:
                return _long_cell(name, sheet)
            if extent.odd_refs:
                return _refuse(name, "FILE_UNSAFE",
                               f"Sheet '{sheet[:100]}' writes cell addresses in a way Excel never "
                               "does; it was not opened.",
                               "Open the file in Excel, save it as a new .xlsx, and upload "
                               "that copy.")
            if extent.rows > MAX_ROWS or extent.cells > MAX_CELLS:
                return _too_large(name, sheet, extent)
    return None


def _read_workbook(name: str, data: bytes) -> ReadResult:
    if data.startswith(_ZIP_MAGIC):
        problem = _zip_problem(name, data) or _oversized_sheet(name, data)
        if problem:
            return problem
    # An .xls sheet cannot pass 65,536 × 256 = MAX_CELLS cells, so calamine may size it.
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for sheet_name in book.sheet_names:
            sheet = book.get_sheet_by_name(sheet_name)
            sheets.append(RawSheet(name, sheet_name, sheet.to_python(skip_empty_area=False)))
    except python_calamine.PasswordError:
        return _refuse(name, "FILE_ENCRYPTED",
                       "The workbook is password-protected, so it cannot be read.",
                       "Remove the password in Excel, save, and upload again.")
    except Exception as exc:  # calamine raises several types for a broken file
        return _refuse(name, "FILE_UNREADABLE",
                       f"The workbook could not be read ({type(exc).__name__}: "
                       f"{str(exc)[:120]}).",
                       "Open it in Excel, save it as .xlsx, and upload again.")
    return ReadResult(sheets=tuple(sheets))


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as Excel writes it."""
    return _decode(data)[0]


def _decode(data: bytes) -> tuple[str, str]:
    """decode_text's text and the codec it used (for pandas to decode the same way)."""
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines most consistently."""
    # the first 20 lines, from at most the first megabyte: never a copy of a whole file
    lines = [line for line in text[:1 << 20].splitlines()[:20] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in (",", ";", "\t"):
        counts = [len(next(csv.reader([line], delimiter=delimiter))) for line in lines]
        if not counts or max(counts) < 2:
            continue
        common = max(set(counts), key=counts.count)
        score = counts.count(common) + common / 100
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _lines(text: str) -> Iterator[str]:
    """The text's lines, split at "\\n" only (as newline="" would), each with its "\\n" (and
    an empty last line after a final one, as csv has always been fed), one at a time: no list
    of every line, no io.StringIO copy of the whole text at 4 bytes a character."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        yield text[start:end + 1]
        start = end + 1
    yield text[start:] + "\n"


@dataclass(frozen=True, eq=False)
class CsvText:
    """A CSV file kept as bytes + text, for RawSheet to parse on demand.

    Why: csv.reader makes a Python string of every cell — ~5 million for a 140,000-row,
    36-column ITSM export — while ingest reads a dozen columns. pandas' C parser reads just
    those (``usecols``), column-wise. Only a file that passes _fast_ok (a cheap check of the
    whole file for anything where the two parsers could differ) is kept this way; any other
    is read by csv at once, as ever. ``rows`` (csv) stays for the rare consumers of whole
    rows. A quoted field spanning lines and longer than csv's field limit passes _fast_ok; the
    C parser reads it, and ``rows`` then gives the C parser's rows instead of raising."""

    data: bytes
    text: str
    encoding: str
    delimiter: str
    head: list[list]

    def rows(self) -> list[list]:
        try:
            return list(csv.reader(_lines(self.text), delimiter=self.delimiter))
        except csv.Error:
            # The fast path's one gap (a quoted field spanning lines, past csv's field limit):
            # the rows as the C parser read them, so a consumer of whole rows never raises.
            width = max([len(r) for r in self.head] + [1])
            frame = self.columns(0, list(range(width)))
            if frame is None:
                return [list(r) for r in self.head]
            return frame.to_numpy(dtype=object).tolist()

    def columns(self, start: int, positions: list[int]) -> pd.DataFrame | None:
        if not positions:
            return None
        # names= fixes the width, so a short first row (a title) does not limit usecols
        width = max([len(r) for r in self.head] + [p + 1 for p in positions])
        try:
            frame = pd.read_csv(
                io.BytesIO(self.data), sep=self.delimiter, header=None, names=range(width),
                usecols=positions, dtype=object, na_filter=False, keep_default_na=False,
                skip_blank_lines=False, quotechar='"', doublequote=True, escapechar=None,
                engine="c", encoding=self.encoding, encoding_errors="replace")
        except (pd.errors.ParserError, ValueError, UnicodeError):
            return None  # unbalanced quotes and the like: the csv path decides, as always
        # every record (blank lines included) is a row, as csv counts them; csv also yields
        # an empty last row after a final newline, which ingest drops as a blank row anyway
        return frame.iloc[start:].reset_index(drop=True)


def _fast_ok(data: bytes) -> bool:
    """Whether pandas' C parser reads this file into the same records and cells as csv.

    Differences that are possible, and refused here: NUL bytes, a carriage return that does
    not end a line (csv fails on it unquoted, the C parser starts a record), a field longer
    than csv's field limit (csv refuses the file; a line that long is the only way to get
    one outside quotes; lines of half the limit already take the csv path), more lines than
    a sheet may hold (the slow path counts records and refuses), and an odd number of quote
    characters (an unbalanced quote)."""
    # on the bytes: faster than on the text, and the same counts, since these are ASCII and
    # both codecs write ASCII as itself (no UTF-8 multi-byte sequence holds a byte < 0x80)
    returns = data.count(b"\r")
    if b"\x00" in data or (returns and returns != data.count(b"\r\n")):
        return False
    if data.count(b'"') % 2:
        return False
    if data.count(b"\n") + 1 > MAX_ROWS:
        return False
    # no line of more than half the limit (in bytes, at least one per character): any line
    # past the limit holds a whole window of half its length without a newline
    return not _gap(data, b"\n", csv.field_size_limit() // 2)


def _read_csv(name: str, data: bytes) -> ReadResult:
    if b"\x00" in data[:4096]:
        return _refuse(name, "FILE_UNREADABLE",
                       "This file is binary, not a spreadsheet or CSV text.",
                       "Upload the .xlsx workbook or a .csv export.")
    text, encoding = _decode(data)
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    try:
        delimiter = sniff_delimiter(text)  # csv too: a huge field fails here already
        head = list(itertools.islice(csv.reader(_lines(text), delimiter=delimiter), HEAD_ROWS))
        if _fast_ok(data):
            return ReadResult(sheets=(RawSheet(name, stem, CsvText(
                data, text, encoding, delimiter, head), is_csv=True),))
        rows = list(csv.reader(_lines(text), delimiter=delimiter))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            return _refuse(name, "FILE_TOO_LARGE",
                           f"A cell of the CSV file holds more than {csv.field_size_limit():,} "
                           "characters, far more than any value the app reads; it was not read.",
                           "Find the cell (pasted data or an export gone wrong), shorten it, "
                           "and upload again.")
        return _refuse(name, "FILE_UNREADABLE", f"The CSV file could not be read ({exc}).",
                       "Export the sheet again as CSV from Excel.")
    if len(rows) > MAX_ROWS:
        return _refuse(name, "FILE_TOO_LARGE", f"The CSV file has {len(rows):,} rows.",
                       "Split the file by quarter and upload the parts together.")
    return ReadResult(sheets=(RawSheet(name, stem, rows, is_csv=True),))


# --- a worksheet's real extent, before calamine sizes its dense range from it ----------------
#
# calamine allocates rows × columns cells for a sheet's used range (up to its last cell with a
# value) when the sheet is opened, whatever lies between: two cells, A1 and XFD1048576, ask
# for 17 billion. So the extent is measured from the sheet's XML first. The <dimension>
# element is not trusted (it may be absent, stale or a lie; calamine ignores it too); the cell
# references are. Reading every reference into Python costs seconds on a 200,000-row sheet,
# so each chunk of the inflated XML is read from its tail (rows and cells are written in order
# by every spreadsheet program), and one C-speed regex search confirms that no reference in
# the chunk lies beyond that. Only a chunk that breaks the order pays for a full read.

_CHUNK_BYTES = 1 << 22
# Excel holds at most 32,767 characters in a cell. calamine would spend seconds on a 50 MB
# one, holding the interpreter, before ingest could cut it short; so a part with a run of
# text that no Excel cell can fill is refused. The test looks for a '<' in every window of
# _TEXT_WINDOW bytes (a few hundred C-speed finds per chunk): a window without one holds
# more than 32,767 characters (3 bytes each at most in UTF-8), and any run of 2 windows or
# more contains a whole one.
MAX_CELL_CHARS = 32_767
_TEXT_WINDOW = 3 * MAX_CELL_CHARS + 1


def _gap(text: bytes, mark: bytes, window: int) -> bool:
    """Whether some aligned window of ``window`` bytes lacks ``mark`` (a few C-speed finds)."""
    return any(text.find(mark, start, start + window) < 0
               for start in range(0, len(text) - window + 1, window))


def _long_run(text: bytes) -> bool:
    return _gap(text, b"<", _TEXT_WINDOW)


def holds_long_text(part: IO[bytes]) -> bool:
    """True when an XML part (shared strings, say) has a text longer than any Excel cell."""
    carry = b""
    while chunk := part.read(_CHUNK_BYTES):
        text = carry + chunk
        if _long_run(text):
            return True
        carry = text[-2 * _TEXT_WINDOW:]
    return False
_TAIL_BYTES = 1 << 14
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"


@dataclass(frozen=True)
class SheetExtent:
    """How far a sheet's cells reach: its last row and column (1-based; 0 when empty)."""

    rows: int
    columns: int
    odd_refs: int = 0  # cell references that are not plain (B7); such a sheet is refused
    long_text: bool = False  # a cell longer than Excel allows; such a sheet is refused

    @property
    def cells(self) -> int:
        """The dense range calamine would allocate for the sheet."""
        return self.rows * self.columns


def _letters_to_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + (byte & 0xDF) - 64  # either case
    return index


def _index_to_letters(index: int) -> str:
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _within(text: str, alphabet: str) -> str:
    """A regex for the non-empty strings over ``alphabet`` that are shorter than ``text``, or
    as long and sort no later (for row numbers and column letters, that is numeric order)."""

    def cls(chars: str) -> str:
        return f"[{chars[0]}-{chars[-1]}]" if len(chars) > 1 else chars

    options = [f"{cls(alphabet)}{{1,{len(text) - 1}}}"] if len(text) > 1 else []
    for i, char in enumerate(text):
        lower = alphabet[:alphabet.index(char)]
        if lower:
            options.append(text[:i] + cls(lower) + cls(alphabet) * (len(text) - i - 1))
    options.append(text)
    return "|".join(options)


_REF = rb"""\sr\s*=\s*["']([A-Za-z]+)([0-9]+)["']"""
_LOOSE = rb"""(?:>|/>|\s(?!(?:[^>]*\s)?r\s*=\s*["'][A-Za-z]+[0-9]+["']))"""


class _Scan:
    """The running extent of one sheet part, and the pattern for a cell beyond it."""

    def __init__(self, prefix: bytes):
        cell = prefix + b"c"
        self.prefix = prefix
        self.rows = self.columns = self.loose_cells = self.odd_refs = 0
        # a cell reference, wherever ``r`` sits among the attributes
        self.ref = re.compile(b"<" + cell + rb"\b[^>]*?" + _REF)
        # a cell that calamine places by position, having no plain reference of its own
        self.loose = re.compile(b"<" + cell + _LOOSE)
        # a reference that is not letters then digits (escaped, say): Excel never writes one
        self.odd = re.compile(b"<" + cell + rb"""\b[^>]*?\sr\s*=\s*["'](?![A-Za-z]+[0-9]+["'])""")
        self.row_number = re.compile(b"<" + prefix + rb"""row\b[^>]*?\sr\s*=\s*["']([0-9]+)""")
        self.beyond = self._beyond()

    def _beyond(self) -> re.Pattern[bytes]:
        """A cell beyond the extent so far, or a cell written any way but as every
        spreadsheet program writes it (``<c r="B7"``; the full read sorts those out).

        One negative lookahead per cell (C-speed, and half the cost of trying each way a
        cell could lie beyond): anything but a plain reference within the extent."""
        cell = re.escape(self.prefix + b"c").decode("ascii")
        if not (self.rows and self.columns):
            return re.compile(f"<{cell}[\\s>/]".encode("ascii"))
        letters = _within(_index_to_letters(self.columns), _LETTERS)
        digits = _within(str(self.rows), _DIGITS)
        return re.compile(f'<{cell}(?! r="(?:{letters})(?:{digits})")[\\s>/]'.encode("ascii"))

    def _take(self, text: bytes) -> None:
        refs = self.ref.findall(text)
        rows = max((int(r) for _, r in refs), default=0)
        columns = max((_letters_to_index(c) for c, _ in refs), default=0)
        if rows > self.rows or columns > self.columns:
            self.rows, self.columns = max(rows, self.rows), max(columns, self.columns)
            self.beyond = self._beyond()

    def feed(self, text: bytes) -> None:
        self._take(text[-_TAIL_BYTES:])
        if self.beyond.search(text):  # out of order, or cells without a reference
            self._take(text)
            self.odd_refs += len(self.odd.findall(text))
            self.loose_cells += len(self.loose.findall(text))
            if self.loose_cells:  # rows without a number follow the one before
                numbered = self.row_number.findall(text)
                self.rows = max(self.rows, max(map(int, numbered), default=0),
                                text.count(b"<" + self.prefix + b"row"))


def sheet_extent(part: IO[bytes]) -> SheetExtent:
    """The extent of one worksheet XML part (a file object over the inflated XML)."""
    scan: _Scan | None = None
    carry = b""
    while chunk := part.read(_CHUNK_BYTES):
        text = carry + chunk
        if scan is None:
            match = re.search(rb"<(\w+:)?worksheet\b", text)
            scan = _Scan(match.group(1) or b"" if match else b"")
        if _long_run(text):
            return SheetExtent(scan.rows, scan.columns, scan.odd_refs, long_text=True)
        # up to the last complete tag, so no reference is split between chunks
        cut = text.rfind(b"<")
        scan.feed(text[:cut] if cut > 0 else text)
        carry = text[cut:] if cut > 0 else b""
    if scan is None:
        return SheetExtent(0, 0)
    if carry:
        scan.feed(carry)
    # cells without a reference are placed one after another: a row may be as wide as all
    return SheetExtent(scan.rows, max(scan.columns, scan.loose_cells), scan.odd_refs)
