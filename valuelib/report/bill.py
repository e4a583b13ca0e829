"""The Bill of IT handout: one business unit's statement for a quarter, like a phone bill.

:func:`bill` gathers the unit's :class:`~valuelib.chargeback.Statement` (this quarter and
the fiscal year to date), what each tier commits to and how the charges were based, with
every figure already written as the pages write it (the measure registry).
:func:`write_bill_workbook` lays it out as an .xlsx (numbers as numbers, with the registry's
Excel formats) and :func:`write_bill_pdf` as an A4 PDF with real, selectable text.
"""

from __future__ import annotations

import io
import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from openpyxl import Workbook

from .. import chargeback
from ..frames import table
from ..model import Dataset
from ..parse import quarter_label
from ..present.formatting import MISSING, fmt_date
from ..present.measures import excel_format, fmt_measure, measure
from ..safe_text import plain
from .typeset import clean, shorten, text_width, wrap
from .workbook import (
    HEADER_BORDER,
    HEADER_FILL,
    HEADER_FONT,
    SECTION_FONT,
    TITLE_FONT,
    TOP_WRAP,
    put,
)

# The statement's columns: (frame column, header, measure key or None for text). Money
# headers name the currency, as the workbook's do.
CHARGE_COLUMNS = (
    ("service", "Service", None),
    ("tier", "Tier", None),
    ("users", "Users", "users"),
    ("price_per_user_month", "Price per user per month", "tier_price_per_user_month"),
    ("charge", "Charge this quarter", "charge"),
    ("charge_year_to_date", "Charge year to date", "charge_year_to_date"),
)
COMMITMENT_COLUMNS = (
    ("service", "Service", None),
    ("tier", "Tier", None),
    ("availability_target", "Availability", "availability_target"),
    ("support_hours", "Support hours", None),
    ("response_time", "Response time", None),
    ("storage_gb", "Storage (GB)", "storage_gb"),
    ("includes", "Includes", None),
)
HOW_CHARGED = ("Charge = users × the tier's price per user per month × 3 months. Year to date "
               "adds the charges of the fiscal year's quarters up to this one.")
INCLUDES_WIDTH = 44  # characters: the Bill of IT sheet's last column, wrapped
SHOWBACK_NOTE = ("Share of IT cost: the unit's share of each service's total cost, in "
                 "proportion to its users (showback), for comparison; it is not billed.")


@dataclass(frozen=True)
class Figure:
    """A headline figure of the bill: its label, the number and how pages write it."""

    label: str
    value: float
    text: str
    key: str  # the measure it is written as


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class Bill:
    """A business unit's Bill of IT, ready to lay out.

    ``lines`` is the statement's lines (numbers); ``charge_rows`` and ``commitment_rows``
    are the same lines as text, formatted as every surface writes them; ``total_row`` the
    totals. ``notes`` say how the charges were worked out."""

    organization: str
    currency: str
    business_unit: str
    quarter: str
    quarter_label: str
    year_label: str
    figures: tuple[Figure, ...]
    lines: pd.DataFrame
    charge_rows: tuple[tuple[str, ...], ...]
    total_row: tuple[str, ...]
    commitment_rows: tuple[tuple[str, ...], ...]
    notes: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"Bill of IT: {self.business_unit}, {self.quarter_label}"


def business_units(dataset: Dataset) -> list[str]:
    """The business units a bill can be made for: those with users or subscriptions."""
    names = pd.concat([table(dataset, key)["business_unit"]
                       for key in ("usage", "subscriptions")]).dropna().astype(str)
    return sorted(set(names), key=str.casefold)


def _unit(dataset: Dataset, business_unit: str) -> str:
    """The unit as the data spells it (case and spaces ignored), else ValueError naming the
    units there are."""
    units = business_units(dataset)

    def fold(name: str) -> str:
        return re.sub(r"\s+", " ", name).strip().casefold()

    for name in units:
        if fold(name) == fold(business_unit):
            return name
    have = ", ".join(units) or "none"
    raise ValueError(f"No business unit named {business_unit!r} in this data. Business "
                     f"units: {have}.")


def _fmt(key: str | None, value, currency: str) -> str:
    if key is not None:
        return fmt_measure(key, value, currency)
    return MISSING if _missing(value) else clean(value)


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _rows(lines: pd.DataFrame, columns, currency: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(_fmt(key, row[column], currency) for column, _, key in columns)
                 for _, row in lines.iterrows())


def _year_label(year: tuple[str, ...], fiscal_start: int) -> str:
    if not year:
        return ""
    first, last = (quarter_label(q, fiscal_start) for q in (year[0], year[-1]))
    return first if len(year) == 1 else f"{first} – {last}"


def bill(dataset: Dataset, business_unit: str, quarter: str | None = None) -> Bill:
    """The Bill of IT of ``business_unit`` for ``quarter`` (default: the chargeback's default,
    the latest complete quarter). ValueError names the units or quarters there are when
    either is unknown, and says so when the workbooks hold no tiers to charge for."""
    if quarter and quarter not in dataset.quarters:
        have = ", ".join(dataset.quarters) or "none"
        raise ValueError(f"No data for quarter {quarter!r}. Quarters with data: {have}.")
    if table(dataset, "offerings")["tier"].notna().sum() == 0:
        raise ValueError("The workbooks hold no tiers (no Offerings sheet), so there are no "
                         "charges to bill. Add IT's price list as an Offerings sheet.")
    unit = _unit(dataset, business_unit)
    st = chargeback.statement(dataset, unit, quarter)
    if st.quarter is None:
        raise ValueError("No quarter with data to bill.")
    currency = dataset.settings.currency
    fiscal_start = dataset.settings.fiscal_year_start
    lines = st.lines.reset_index(drop=True)
    figures = (
        Figure("Charge this quarter", st.total, fmt_measure("charge", st.total, currency),
               "charge"),
        Figure("Charge year to date", st.total_year_to_date,
               fmt_measure("charge_year_to_date", st.total_year_to_date, currency),
               "charge_year_to_date"),
        Figure("Share of IT cost (showback)", st.showback_cost,
               fmt_measure("showback_cost", st.showback_cost, currency), "showback_cost"),
    )
    total_row = ("Total", "", "", "", fmt_measure("charge", st.total, currency),
                 fmt_measure("charge_year_to_date", st.total_year_to_date, currency))
    taken = lines[lines["users"].fillna(0) > 0] if len(lines) else lines
    notes = [HOW_CHARGED, *st.notes, SHOWBACK_NOTE]
    dropped = lines[lines["users"].fillna(0) <= 0] if len(lines) else lines
    notes += [f"{r.service}, {r.tier}: taken earlier in the year, not this quarter."
              for r in dropped.itertuples()]
    return Bill(
        organization=dataset.settings.organization, currency=currency, business_unit=unit,
        quarter=st.quarter, quarter_label=quarter_label(st.quarter, fiscal_start),
        year_label=_year_label(st.year_quarters, fiscal_start), figures=figures,
        lines=lines, charge_rows=_rows(lines, CHARGE_COLUMNS, currency), total_row=total_row,
        commitment_rows=_rows(taken, COMMITMENT_COLUMNS, currency),
        notes=tuple(clean(n) for n in notes))


def file_name(b: Bill, extension: str) -> str:
    """``northwind-traders-bill-of-it-sales-2026-Q3.xlsx``: only letters, digits and hyphens
    from the data reach a file name."""

    def slug(text: str) -> str:
        return re.sub(r"[^\w]+", "-", plain(text)).strip("-").lower()

    organisation = slug(b.organization) or "organisation"
    return f"{organisation}-bill-of-it-{slug(b.business_unit) or 'unit'}-{b.quarter}.{extension}"


# ---- the workbook --------------------------------------------------------------------------------

def _header(ws, row: int, headers) -> None:
    for j, text in enumerate(headers, start=1):
        cell = ws.cell(row=row, column=j)
        put(cell, text)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = TOP_WRAP


def _cell(ws, row: int, column: int, value, key: str | None, currency: str) -> None:
    """A number as a number with the measure's Excel format (a percent's cell holds the
    fraction); text as text; a missing figure left blank."""
    if _missing(value):
        return
    cell = ws.cell(row=row, column=column)
    if key is None:
        put(cell, clean(value))
        return
    unit = measure(key).unit
    number = float(value.item() if isinstance(value, np.generic) else value)
    if str(unit) in ("percent", "availability"):
        number = round(number / 100, 6)  # 99.9 % is 0.999, not 0.9990000000000001
    if str(unit) == "count" and number.is_integer():
        number = int(number)
    put(cell, number)
    fmt = excel_format(unit, currency)
    if fmt:
        cell.number_format = fmt


def _money_header(header: str, key: str | None, currency: str) -> str:
    return f"{header} ({currency})" if key and measure(key).is_money else header


def write_bill_workbook(b: Bill) -> bytes:
    """The bill as .xlsx bytes: one "Bill of IT" sheet (headline figures, the charges, the
    commitments, the notes) and a "Lines" sheet with the statement as a plain table."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bill of IT"
    for letter, width in zip("ABCDEFG", (30, 14, 12, 16, 18, 18, INCLUDES_WIDTH), strict=True):
        ws.column_dimensions[letter].width = width
    put(ws.cell(row=1, column=1), f"Bill of IT: {b.business_unit}")
    ws.cell(row=1, column=1).font = TITLE_FONT
    put(ws.cell(row=2, column=1),
        f"{b.organization} · {b.quarter_label} · year to date {b.year_label} · money in "
        f"{b.currency} · prepared {fmt_date(pd.Timestamp.now())}")
    row = 4
    for f in b.figures:
        put(ws.cell(row=row, column=1), f.label)
        ws.cell(row=row, column=1).font = HEADER_FONT
        _cell(ws, row, 2, f.value, f.key, b.currency)
        row += 1
    row += 1
    put(ws.cell(row=row, column=1), "Charges")
    ws.cell(row=row, column=1).font = SECTION_FONT
    row += 1
    _header(ws, row, [_money_header(h, k, b.currency) for _, h, k in CHARGE_COLUMNS])
    header_row = row
    for _, line in b.lines.iterrows():
        row += 1
        for j, (column, _, key) in enumerate(CHARGE_COLUMNS, start=1):
            _cell(ws, row, j, line[column], key, b.currency)
    row += 1
    put(ws.cell(row=row, column=1), "Total")
    ws.cell(row=row, column=1).font = HEADER_FONT
    totals = {"charge": b.figures[0].value, "charge_year_to_date": b.figures[1].value}
    for j, (column, _, key) in enumerate(CHARGE_COLUMNS, start=1):
        if column in totals:
            _cell(ws, row, j, totals[column], key, b.currency)
            ws.cell(row=row, column=j).font = HEADER_FONT
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    row += 2
    put(ws.cell(row=row, column=1), "What each tier commits to")
    ws.cell(row=row, column=1).font = SECTION_FONT
    row += 1
    _header(ws, row, [h for _, h, _ in COMMITMENT_COLUMNS])
    taken = b.lines[b.lines["users"].fillna(0) > 0]
    for _, line in taken.iterrows():
        row += 1
        for j, (column, _, key) in enumerate(COMMITMENT_COLUMNS, start=1):
            _cell(ws, row, j, line[column], key, b.currency)
            ws.cell(row=row, column=j).alignment = TOP_WRAP
        includes = "" if _missing(line["includes"]) else str(line["includes"])
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(includes) * 1.1
                                                               / (INCLUDES_WIDTH - 2)))
    row += 2
    put(ws.cell(row=row, column=1), "How the charges are worked out")
    ws.cell(row=row, column=1).font = SECTION_FONT
    for note in b.notes:
        row += 1
        put(ws.cell(row=row, column=1), note)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=7)
        ws.cell(row=row, column=1).alignment = TOP_WRAP
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(note) * 1.1 / 140))
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    lines = wb.create_sheet("Lines")
    columns = [*CHARGE_COLUMNS, *COMMITMENT_COLUMNS[2:], ("basis", "Basis", None)]
    _header(lines, 1, [_money_header(h, k, b.currency) for _, h, k in columns])
    for i, (_, line) in enumerate(b.lines.iterrows(), start=2):
        for j, (column, _, key) in enumerate(columns, start=1):
            _cell(lines, i, j, line[column], key, b.currency)
    for j, (_, header, _) in enumerate(columns, start=1):
        lines.column_dimensions[lines.cell(row=1, column=j).column_letter].width = max(
            12, min(32, len(header) + 4))
    lines.freeze_panes = "B2"
    lines.auto_filter.ref = f"A1:{lines.cell(row=1, column=len(columns)).column_letter}" \
                            f"{max(len(b.lines), 1) + 1}"

    wb.properties.title = b.title
    wb.properties.creator = b.organization
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# ---- the PDF -------------------------------------------------------------------------------------

A4_W, A4_H = 595.28, 841.89  # points, portrait
PDF_MARGIN = 42.0
BODY_SIZE, SMALL_SIZE = 10.0, 8.5
ROW_PAD = 5.0  # points above and below a table row's lines
ROW_H = BODY_SIZE * 1.25 + ROW_PAD
CELL_PAD = 4.0
INK, MUTED, PANEL = "222222", "555555", "F2F4F7"


class _Sheet:
    """Draws the bill top to bottom on A4 pages, starting a new page when the next piece
    would not fit (a table's header row is drawn again there)."""

    def __init__(self, b: Bill):
        from .pdf import Document  # fpdf2 is needed for the PDF only

        self.doc = Document(b.title, b.organization, size=(A4_W, A4_H), orientation="P",
                            subject=f"Bill of IT for {b.business_unit}, {b.quarter_label}")
        self.pdf = self.doc.pdf
        self.bill = b
        self.width = A4_W - 2 * PDF_MARGIN
        self.y = PDF_MARGIN
        self.page()

    def page(self) -> None:
        self.pdf.add_page()
        self.doc.font(SMALL_SIZE, False)
        self.doc.color(MUTED)
        footer = f"{self.bill.organization} · Bill of IT: {self.bill.business_unit}, " \
                 f"{self.bill.quarter_label} · page {self.pdf.page_no()}"
        self.pdf.text(PDF_MARGIN, A4_H - PDF_MARGIN / 2, self.doc.text(
            shorten(footer, self.width, SMALL_SIZE)))
        self.y = PDF_MARGIN

    def room(self, height: float) -> None:
        if self.y + height > A4_H - PDF_MARGIN:
            self.page()

    def text(self, x: float, y: float, text: str, size: float, bold: bool = False,
             color: str = INK) -> None:
        """One line with its top at ``y``."""
        self.doc.font(size, bold)
        self.doc.color(color)
        self.pdf.text(x, y + size * ASCENT_EM, self.doc.text(text))

    def paragraph(self, text: str, size: float, bold: bool = False, color: str = INK,
                  bullet: bool = False, space_before: float = 0.0) -> None:
        indent = size * 1.2 if bullet else 0.0
        lines = wrap(text, self.width - indent, size, bold)
        self.room(space_before + len(lines) * size * LINE)
        self.y += space_before
        for n, line in enumerate(lines):
            if bullet and n == 0:
                self.text(PDF_MARGIN, self.y, "•", size, bold, color)
            self.text(PDF_MARGIN + indent, self.y, line, size, bold, color)
            self.y += size * LINE

    def figures(self) -> None:
        gap, height = 12.0, 50.0
        figures = self.bill.figures
        box_w = (self.width - gap * (len(figures) - 1)) / len(figures)
        self.room(height)
        for i, f in enumerate(figures):
            x = PDF_MARGIN + i * (box_w + gap)
            self.doc.color(PANEL, fill=True)
            self.pdf.rect(x, self.y, box_w, height, style="F")
            inner = box_w - 2 * CELL_PAD - 8
            self.text(x + 8, self.y + 9, shorten(f.label, inner, SMALL_SIZE), SMALL_SIZE,
                      color=MUTED)
            self.text(x + 8, self.y + 22, shorten(f.text, inner, 18, True), 18, bold=True)
        self.y += height + 14

    def _lines(self, cells, spans, numbers, bold: bool, size: float) -> list[list[str]]:
        """Each cell's lines: text wraps within its column; a number stays on one line."""
        return [[shorten(value, span - 2 * CELL_PAD, size, bold)] if j in numbers
                else wrap(value, span - 2 * CELL_PAD, size, bold)
                for j, (value, span) in enumerate(zip(cells, spans, strict=True))]

    @staticmethod
    def _height(lines: list[list[str]], size: float) -> float:
        return max(map(len, lines)) * size * LINE + ROW_PAD

    def _row(self, cells, spans, numbers, size: float, bold: bool = False,
             fill: str | None = None) -> None:
        lines = self._lines(cells, spans, numbers, bold, size)
        height = self._height(lines, size)
        if fill:
            self.doc.color(fill, fill=True)
            self.pdf.rect(PDF_MARGIN, self.y, self.width, height, style="F")
        x = PDF_MARGIN
        top = self.y + ROW_PAD / 2 + 1
        for j, (cell, span) in enumerate(zip(lines, spans, strict=True)):
            for n, line in enumerate(cell):
                left = x + CELL_PAD
                if j in numbers:  # numbers line up on the right
                    left = x + span - CELL_PAD - text_width(line, size, bold)
                self.text(left, top + n * size * LINE, line, size, bold)
            x += span
        self.y += height

    def table(self, headers, rows, shares, numbers: set[int],
              total: tuple[str, ...] | None = None, size: float = BODY_SIZE) -> None:
        """A table across the page (column widths in proportion to ``shares``, type of
        ``size`` points); the columns in ``numbers`` are right-aligned."""
        spans = [self.width * s / sum(shares) for s in shares]
        header_lines = max(len(wrap(h, sp - 2 * CELL_PAD, SMALL_SIZE, True))
                           for h, sp in zip(headers, spans, strict=True))
        header_h = header_lines * SMALL_SIZE * LINE + 6

        def header() -> None:
            self.room(header_h + ROW_H)
            self.doc.color("DCE6F0", fill=True)
            self.pdf.rect(PDF_MARGIN, self.y, self.width, header_h, style="F")
            x = PDF_MARGIN
            for j, (h, span) in enumerate(zip(headers, spans, strict=True)):
                for n, line in enumerate(wrap(h, span - 2 * CELL_PAD, SMALL_SIZE, True)):
                    left = x + CELL_PAD
                    if j in numbers:
                        left = x + span - CELL_PAD - text_width(line, SMALL_SIZE, True)
                    self.text(left, self.y + 3 + n * SMALL_SIZE * LINE, line, SMALL_SIZE,
                              True)
                x += span
            self.y += header_h

        header()
        for i, row in enumerate(rows):
            if self.y + self._height(self._lines(row, spans, numbers, False, size), size) > \
                    A4_H - PDF_MARGIN:
                self.page()
                header()
            self._row(row, spans, numbers, size, fill=PANEL if i % 2 else None)
        if total is not None:
            self.room(ROW_H)
            self.doc.color("7F7F7F", fill=True)
            self.pdf.rect(PDF_MARGIN, self.y, self.width, 0.8, style="F")
            self._row(total, spans, numbers, size, bold=True)


ASCENT_EM = 0.9  # the baseline sits this many ems below the top of a line's glyphs
LINE = 1.25  # line height ÷ font size


def write_bill_pdf(b: Bill) -> bytes:
    """The bill as A4 portrait PDF bytes: the headline figures in boxes, the charges with
    their total, what each tier commits to, and the notes; a table's header row repeats on
    a new page, and each page is footed with the unit, quarter and page number."""
    out = _Sheet(b)
    out.paragraph(f"Bill of IT: {b.business_unit}", 20, bold=True)
    out.paragraph(f"{b.organization} · {b.quarter_label} · year to date {b.year_label} · "
                  f"money in {b.currency} · prepared {fmt_date(pd.Timestamp.now())}",
                  BODY_SIZE, color=MUTED, space_before=4)
    out.y += 14
    out.figures()
    out.paragraph("Charges", 12, bold=True)
    out.y += 4
    out.table([_money_header(h, k, b.currency) for _, h, k in CHARGE_COLUMNS], b.charge_rows,
              (0.30, 0.13, 0.09, 0.16, 0.16, 0.16), numbers={2, 3, 4, 5}, total=b.total_row)
    out.y += 12
    out.paragraph("What each tier commits to", 12, bold=True)
    out.y += 4
    out.table([h for _, h, _ in COMMITMENT_COLUMNS], b.commitment_rows,
              (0.21, 0.11, 0.14, 0.10, 0.11, 0.10, 0.23), numbers={2, 5}, size=SMALL_SIZE)
    out.y += 12
    out.paragraph("How the charges are worked out", 12, bold=True)
    for note in b.notes:
        out.paragraph(note, SMALL_SIZE + 0.5, bullet=True, space_before=3)
    return bytes(out.pdf.output())


__all__ = ["Bill", "Figure", "bill", "business_units", "file_name", "write_bill_pdf",
           "write_bill_workbook"]
