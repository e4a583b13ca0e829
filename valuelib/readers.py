"""Bytes -> raw sheets (lists of cells), or one clear finding saying why the file can't be read.

No parsing of values happens here: a reader only turns a file into rows of cells, as Excel
would show them, so that ingest can number rows the way a person sees them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

import python_calamine

from .model import ERROR, Finding

# A sheet bigger than this is refused rather than read: a real quarterly workbook is far
# smaller, and a tiny file that inflates past it is a zip bomb.
MAX_ROWS = 3_000_000
MAX_CELLS = 60_000_000
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
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


@dataclass(frozen=True)
class RawSheet:
    """One sheet (or a CSV file) as rows of cells; ``rows[0]`` is Excel row 1."""

    file: str
    name: str
    rows: list[list]
    is_csv: bool = False


@dataclass(frozen=True)
class ReadResult:
    sheets: tuple[RawSheet, ...] = ()
    findings: tuple[Finding, ...] = ()


def _refuse(file: str, code: str, message: str, fix: str) -> ReadResult:
    return ReadResult(findings=(Finding(code, ERROR, message, fix, file=file),))


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
    if head.startswith(_ZIP_MAGIC) or head.startswith(_OLE_MAGIC):
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


def _read_workbook(name: str, data: bytes) -> ReadResult:
    if data.startswith(_ZIP_MAGIC):
        problem = _zip_problem(name, data)
        if problem:
            return problem
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for sheet_name in book.sheet_names:
            sheet = book.get_sheet_by_name(sheet_name)
            if sheet.total_height > MAX_ROWS or sheet.total_height * sheet.total_width > MAX_CELLS:
                return _refuse(name, "FILE_TOO_LARGE",
                               f"Sheet '{sheet_name}' claims {sheet.total_height:,} rows × "
                               f"{sheet.total_width:,} columns, beyond what this app reads.",
                               "Remove unused rows and columns (or formatting far below the "
                               "data) and upload again.")
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
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
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


def _read_csv(name: str, data: bytes) -> ReadResult:
    if b"\x00" in data[:4096]:
        return _refuse(name, "FILE_UNREADABLE",
                       "This file is binary, not a spreadsheet or CSV text.",
                       "Upload the .xlsx workbook or a .csv export.")
    text = decode_text(data)
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
    except csv.Error as exc:
        return _refuse(name, "FILE_UNREADABLE", f"The CSV file could not be read ({exc}).",
                       "Export the sheet again as CSV from Excel.")
    if len(rows) > MAX_ROWS:
        return _refuse(name, "FILE_TOO_LARGE", f"The CSV file has {len(rows):,} rows.",
                       "Split the file by quarter and upload the parts together.")
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ReadResult(sheets=(RawSheet(name, stem, rows, is_csv=True),))
