"""The blank workbook an IT director fills in, generated from ``valuelib.schema``."""

from __future__ import annotations

import io
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .schema import SETTINGS_DEFAULTS, SHEETS, Sheet

_REQUIRED_FILL = PatternFill("solid", fgColor="FFE8B0")
_HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
_NUMBER_FORMATS = {"money": '"$"#,##0.00', "price": '"$"#,##0.00', "percent": "0.0",
                   "date": "yyyy-mm-dd", "count": "#,##0.##"}


def contract_rows() -> list[dict]:
    """One row per column of every sheet: what the docs page and instructions show."""
    rows = []
    for sheet in SHEETS:
        for column in sheet.columns:
            rows.append({
                "sheet": sheet.title,
                "sheet also called": ", ".join(sheet.synonyms),
                "column": column.name,
                "also called": ", ".join(column.synonyms),
                "type": column.kind,
                "required": "yes" if column.required else "",
                "what it means": column.help,
            })
    return rows


def _instructions(book: Workbook) -> None:
    sheet = book.active
    sheet.title = "Instructions"
    lines = [
        ("IT service value dashboard — quarterly workbook", Font(bold=True, size=14)),
        ("Fill in the sheets you have; delete the example rows. Required columns are shaded.",
         None),
        ("Sheet and column names may use the synonyms listed below; unknown sheets and columns "
         "are reported, never an error.", None),
        ("Missing values: leave blank, or write ?, -, n/a or none.", None),
        ("Money: 1234.5, $1,234.50, (1,234.50) for a credit. Percent: 99.9 or 99.9%. "
         "Quarter: 2026-Q3, Q3 2026, FY26 Q3, or any date in it.", None),
        ("Numbers: each column's decimal mark is decided from all its values; where every "
         "value reads both ways (12.345), the Settings 'number format' decides (1,234.56 or "
         "1.234,56). A scale in a header multiplies the column: Amount ($M), Cost (USD "
         "thousands), Spend ($K), Amount (000s). A market price may say 'Call us' (price on "
         "request).", None),
        ("Check the file before publishing: python -m valuelib check FILE.xlsx, or the Data "
         "page of the dashboard.", None),
        ("", None),
    ]
    for text, font in lines:
        sheet.append([text])
        if font:
            sheet.cell(sheet.max_row, 1).font = font
    header = list(contract_rows()[0])
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for row in contract_rows():
        sheet.append(list(row.values()))
    for index, width in enumerate((18, 26, 22, 34, 10, 10, 80), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _data_sheet(book: Workbook, sheet: Sheet) -> None:
    ws = book.create_sheet(sheet.title)
    if sheet.key_value:
        ws.append(["setting", "value"])
        for name, value in (("organization", "Your organisation"),
                            ("currency", SETTINGS_DEFAULTS["currency"]),
                            ("fiscal year start", "January"),
                            ("date order", SETTINGS_DEFAULTS["date_order"]),
                            ("number format", SETTINGS_DEFAULTS["number_format"])):
            ws.append([name, value])
    else:
        ws.append([c.name for c in sheet.columns])
        ws.append([c.example for c in sheet.columns])
    for position, column in enumerate(sheet.columns, start=1):
        cell = ws.cell(1, position)
        cell.font = Font(bold=True)
        cell.fill = _REQUIRED_FILL if column.required else _HEADER_FILL
        cell.alignment = Alignment(wrap_text=False)
        note = column.help + (" (required)" if column.required else "")
        if column.synonyms:
            note += f" Also called: {', '.join(column.synonyms)}."
        cell.comment = Comment(note, "valuelib")
        fmt = _NUMBER_FORMATS.get(column.kind)
        if fmt and not sheet.key_value:
            ws.cell(2, position).number_format = fmt
        width = max(len(column.name), len(str(column.example or ""))) + 4
        ws.column_dimensions[get_column_letter(position)].width = min(max(width, 12), 48)
    ws.freeze_panes = "A2"


def write_template(out: BinaryIO | None = None) -> bytes:
    """The template workbook: an instructions sheet, then every sheet with its headers and
    one example row. Returns the bytes (and writes them to ``out`` if given)."""
    book = Workbook()
    _instructions(book)
    for sheet in SHEETS:
        _data_sheet(book, sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if out is not None:
        out.write(data)
    return data
