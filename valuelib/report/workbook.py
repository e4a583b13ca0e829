"""The workbook: a Summary sheet, every table behind it, and what each figure means.

Numbers are written as numbers with real Excel formats (currency, percent, hours, dates), so
the figures can be added up and charted; text is the analytics' own. Every sheet has a frozen
header row (and first column), an autofilter, and column widths fitted to its contents.

Text that Excel could take for a formula (beginning with ``=``, ``+``, ``-`` or ``@``, e.g. a
service named ``=HYPERLINK(...)``) is written as a string cell (``t="inlineStr"``, never a
formula) with the quote-prefix style, the cell-format equivalent of typing a leading
apostrophe: Excel shows the text as written and keeps it text when the cell is edited.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .. import budget, costing, market, portfolio, summary, support, views
from ..frames import shift_quarter, table
from ..model import Dataset
from ..parse import quarter_label
from ..present.formatting import fmt_date
from ..present.measures import MONEY_DECIMALS, Unit, excel_format, measure, money_format
from ..safe_text import plain
from ..schema import PRIORITY_LABELS, RULE_METHOD, WORK_CLASSES, AllocationMethod
from .slides import Progress

FORMULA_START = ("=", "+", "-", "@")
MAX_WIDTH = 60
WRAP_WIDTH = 48  # long text columns wrap at about this many characters
HEADER_FILL = PatternFill("solid", fgColor="DCE6F0")
HEADER_FONT = Font(bold=True)
HEADER_BORDER = Border(bottom=Side(style="thin", color="7F7F7F"))
TITLE_FONT = Font(bold=True, size=16)
SECTION_FONT = Font(bold=True, size=12)
TOP_WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
# The About sheet's words for the Allocations "method" and the Value sheet's "status" come
# from the enums, so a new method or reason is described without a second list to keep.
METHOD_ABOUT = (f"direct (the service's own line), {', '.join(AllocationMethod)} (shared in "
                f"proportion to that driver), {RULE_METHOD} (an Allocation rules percentage) "
                "or unallocated.")
_PLACED, *_NOT_PLACED = portfolio.Placement
PLACEMENT_ABOUT = f"{_PLACED}, or why not: {', '.join(_NOT_PLACED)}."


SHARE_ORDER = ("proactive", "reactive", "routine", "unclassified")
# cells hold the fraction: 24.0% is 0.24 (a change's format is a percent too: +1.5% is 0.015)
PERCENT_UNITS = (Unit.PERCENT, Unit.AVAILABILITY, Unit.CHANGE)


@dataclass(frozen=True)
class Col:
    """One column of a table sheet: the frame's column, its header, how it is written (a
    registry :class:`~valuelib.present.measures.Unit`, or text, id, bool, file) and what it
    means (for the About sheet). A measured column comes from the registry: :func:`m`."""

    column: str
    header: str
    kind: str = "text"
    about: str = ""
    wrap: bool = False


def m(column: str, header: str | None = None, about: str | None = None, *,
      key: str | None = None) -> Col:
    """The column of the registered measure ``key`` (default: ``column``): its label, unit
    and definition as every surface has them; ``header`` and ``about`` say it for one
    sheet."""
    spec = measure(key or column)
    return Col(column, header or spec.label, str(spec.unit),
               spec.definition if about is None else about)


def header_text(col: Col, currency: str) -> str:
    """A money column names its currency: ``Total cost (USD)``."""
    return f"{col.header} ({currency})" if col.kind in MONEY_DECIMALS else col.header


@dataclass(frozen=True, eq=False)
class Sheet:
    name: str
    about: str
    frame: pd.DataFrame
    columns: tuple[Col, ...]


# ---- cells ------------------------------------------------------------------------------------

def put(cell, value) -> None:
    """Write ``value`` to ``cell``; text that starts like a formula stays text."""
    if isinstance(value, str):  # bidi controls too: the handout shows what the data says
        value = plain(ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def _missing(value) -> bool:
    try:
        return value is None or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _value(value, kind: str):
    """A frame's value as the cell value for ``kind`` (None for a missing one)."""
    if _missing(value):
        return None
    if kind == "bool":
        return "yes" if bool(value) else "no"
    if kind == Unit.DATE:
        stamp = pd.Timestamp(value)
        return stamp.to_pydatetime().replace(tzinfo=None)
    if kind == "file":
        return str(value).replace("\\", "/").rsplit("/", 1)[-1]
    if kind in PERCENT_UNITS:
        return float(value) / 100
    if kind in (Unit.COUNT, "id") and float(value).is_integer():
        return int(value)
    if kind == "text":
        return str(value)
    if isinstance(value, np.generic):
        value = value.item()
    return float(value) if isinstance(value, int | float) else value


def _shown_len(value, kind: str, number_format: str) -> int:
    """About how many characters Excel shows for ``value``."""
    if value is None:
        return 0
    if isinstance(value, str):
        return len(value)
    if isinstance(value, datetime | date):
        return 11
    if kind in PERCENT_UNITS:
        return len(f"{value * 100:.2f}%")
    decimals = 2 if ".00" in number_format else 1 if ".0" in number_format else 0
    symbol_or_unit = 4 if '"' in number_format else 0
    return len(f"{value:,.{decimals}f}") + symbol_or_unit


# ---- a table sheet -----------------------------------------------------------------------------

def _write_table(wb: Workbook, sheet: Sheet, currency: str) -> None:
    ws = wb.create_sheet(sheet.name)
    frame = sheet.frame
    cols = list(sheet.columns)  # every header, also over an empty table
    wraps = any(c.wrap for c in cols)
    widths = []
    row_lines = [1] * (len(frame) + 2)  # wrapped text sets a data row's height
    for j, col in enumerate(cols, start=1):
        cell = ws.cell(row=1, column=j)
        header = header_text(col, currency)
        put(cell, header)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        fmt = _format(col.kind, currency)
        raw = frame[col.column].tolist() if col.column in frame.columns else []
        values = [_value(v, col.kind) for v in raw]
        lengths = [_shown_len(v, col.kind, fmt or "") for v in values]
        longest = max(lengths, default=0)
        if col.wrap:
            longest = min(longest, WRAP_WIDTH)
        words = max((len(w) for w in header.split()), default=4)
        width = min(MAX_WIDTH, max(8, longest, words, math.ceil(len(header) / 3)) + 2)
        widths.append(width)
        for i, (v, n) in enumerate(zip(values, lengths, strict=True), start=2):
            if v is None:
                continue
            c = ws.cell(row=i, column=j)
            put(c, v)
            if fmt:
                c.number_format = fmt
            if col.wrap:
                c.alignment = TOP_WRAP
                row_lines[i] = max(row_lines[i], math.ceil(n * 1.1 / (width - 2)))
            elif wraps:
                c.alignment = TOP  # in line with the first line of a wrapped neighbour
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    lines = max((math.ceil(len(header_text(c, currency)) / max(w - 2, 1))
                 for c, w in zip(cols, widths, strict=True)), default=1)
    ws.row_dimensions[1].height = 15 * min(max(lines, 1), 4) + 2
    for i, n in enumerate(row_lines):
        if n > 1:
            ws.row_dimensions[i].height = 15 * n
    ws.freeze_panes = "B2"
    _print_setup(ws)
    if cols:
        last = get_column_letter(len(cols))
        ws.auto_filter.ref = f"A1:{last}{max(len(frame), 1) + 1}"


def _print_setup(ws, title_rows: str | None = "1:1") -> None:
    """Print landscape, one page wide, the header row on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


def _format(kind: str, currency: str) -> str | None:
    if kind == "id":
        return "0"
    return excel_format(kind, currency) if kind in set(Unit) else None


# ---- the tables --------------------------------------------------------------------------------

def only_unit(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    return frame[frame["business_unit"].eq(unit).to_numpy(dtype=bool, na_value=False)]


def _up_to(frame: pd.DataFrame, quarter: str | None) -> pd.DataFrame:
    if quarter is None or frame.empty:
        return frame
    return frame[(frame["quarter"] <= quarter).to_numpy(dtype=bool, na_value=False)]


def _sheets(dataset: Dataset, quarter: str | None, unit: str | None,
            exec_summary: summary.ExecutiveSummary | None) -> list[Sheet]:
    scope = dataset
    if unit is not None:  # support figures count the unit's tickets (and its people)
        scope = dataset.with_tables(support=only_unit(table(dataset, "support"), unit),
                                    usage=only_unit(table(dataset, "usage"), unit))
    has_cost = quarter is not None and exec_summary is not None
    services = exec_summary.services if has_cost else pd.DataFrame()
    cpu = _up_to(costing.cost_per_user(dataset), quarter) if has_cost else pd.DataFrame()
    alloc = costing.allocations(dataset, quarter) if has_cost else pd.DataFrame()
    offers = (market.compare_offers(dataset, quarter, include_inapplicable=True)
              if has_cost else pd.DataFrame())
    value = pd.DataFrame()
    if has_cost:
        scores = portfolio.value_scores(dataset)[
            ["quarter", "service", "business_value", "satisfaction_pct", "respondents"]]
        value = portfolio.cost_vs_value(dataset, quarter).merge(
            scores.rename(columns={"quarter": "value_quarter"}),
            on=["value_quarter", "service"], how="left")
        order = {q: i for i, q in enumerate(portfolio.Quadrant)}
        value = value.assign(_q=value["quadrant"].map(order).fillna(len(order))).sort_values(
            ["_q", "value_score"], ascending=[True, False])
    share = _up_to(support.proactive_share(scope), quarter)
    mix = _up_to(support.work_mix(scope), quarter)
    blocks = exec_summary.blocks if exec_summary is not None else support.block_status(dataset)
    if quarter is not None:
        mismatches = support.priority_mismatches(scope, quarter)
    else:
        mismatches = support.priority_mismatches(scope)
    mismatches = mismatches.assign(
        matrix_label=mismatches["matrix_priority"].map(PRIORITY_LABELS),
        recorded_label=mismatches["recorded_priority"].map(PRIORITY_LABELS))
    desk = (_up_to(support.service_desk(scope), quarter) if len(table(scope, "support"))
            else pd.DataFrame())
    if len(desk):
        desk = desk[desk["tickets"] > 0]
    showback = costing.showback(dataset, quarter) if has_cost else pd.DataFrame()
    if unit is not None and len(showback):
        showback = only_unit(showback, unit)

    if len(alloc):  # the registry's share is a percent, the allocations' a fraction
        alloc = alloc.assign(share=alloc["share"] * 100)

    variance = pd.DataFrame()
    if has_cost and budget.has_budget(dataset):  # the sheet is there only with a budget
        variance = budget.compare(dataset, "service", quarter=quarter).year_table

    q_col = Col("quarter", "Quarter", about="Calendar quarter, e.g. 2026-Q3.")
    svc = Col("service", "Service")
    status = Col("status", "Status", about="ok, or why there is no per-user figure: no usage "
                 "data (cost but no users), no cost data (users but no cost lines), "
                 "unallocated (shared cost that could not be allocated).")
    sheets = [
        Sheet("Services", "One row per service in the quarter, largest cost first (the "
              "Unallocated line last): what it costs per user per month, the cheapest market "
              "offer that fits its number of users, its value score and quadrant.",
              services, (
                  svc, m("users"), m("total_cost"), m("cost_per_user_month"),
                  m("comparable_cost_per_user_month"), status,
                  Col("best_offer", "Cheapest applicable offer", about="The cheapest market "
                      "offer whose user range (min-max users) fits the service's users."),
                  m("offer_price_per_user_month"), m("difference_per_user_month"),
                  m("difference_per_year"),
                  Col("verdict", "In-house is", about="cheaper, dearer or the same (within 1% "
                      "of the offer's price) as the offer."),
                  m("value_score"),
                  Col("value_quarter", "Score quarter", about="The quarter the value score "
                      "comes from (the latest score up to this quarter)."),
                  m("value_source"),
                  Col("quadrant", "Quadrant", about="Invest (high value, low cost per user), "
                      "Optimize (high value, high cost), Tolerate (low value, low cost) or "
                      "Replace or retire (low value, high cost): split at the medians."),
                  Col("suggestion", "What it suggests", wrap=True),
              )),
        Sheet("Cost per user by quarter", "Every service in every quarter up to this one: "
              "direct and allocated cost, users and cost per user per month.", cpu, (
                  q_col, svc, m("users"), m("direct_cost"),
                  m("allocated_cost", about="Its shares of shared lines (on the Unallocated "
                    "row: the shared cost left over)."),
                  m("total_cost"), m("comparable_cost"), m("cost_per_user_month"),
                  m("comparable_cost_per_user_month"), Col("status", "Status"),
              )),
        Sheet("Allocations", "The lines behind each number: every cost line of the quarter "
              "and the services it pays for, one row per (line, receiving service). Amounts "
              "add up to the ledger; a shared line that could not be allocated stays on "
              "Unallocated with the reason.", alloc, (
                  q_col,
                  Col("service", "Receiving service"),
                  Col("method", "Method", about=METHOD_ABOUT),
                  Col("allocate_by", "Allocate by (as written)"),
                  Col("cost_pool", "Cost pool", about="The line's TBM cost pool (blank: "
                      "Other)."),
                  Col("note", "Cost line", wrap=True),
                  m("source_amount"),
                  m("share", "Share of the line", "The receiving service's driver ÷ the "
                    "driver total (100% for a direct line)."),
                  m("amount", "Amount to this service"),
                  m("driver"), m("driver_total"),
                  Col("comparable", "In market comparison", "bool"),
                  Col("shared", "Shared line", "bool"),
                  Col("reason", "Why not allocated", wrap=True),
                  Col("business_unit", "Business unit"),
                  Col("source_file", "File", "file"),
                  Col("source_sheet", "Sheet"),
                  Col("source_row", "Row", "id", "The row number as Excel shows it in that "
                      "file and sheet."),
              )),
        Sheet("Market comparison", "Each service against every market offer for it, "
              "applicable or not (why not says why), in the quarter.", offers, (
                  svc, Col("offer", "Offer"), m("users"),
                  m("internal_per_user_month"), m("price_per_user_month"),
                  m("difference_per_user_month"), m("difference_per_year"),
                  Col("verdict", "In-house is"),
                  Col("applicable", "Offer fits the users", "bool"),
                  Col("why_not", "Why not"),
                  m("availability_target"), m("availability"), m("availability_gap"),
                  Col("availability_verdict", "Availability"),
                  m("storage_gb"),
                  Col("support", "Support response"),
                  Col("includes", "Includes", wrap=True),
                  Col("source", "Source", wrap=True),
                  m("as_of"),
                  Col("internal_status", "In-house status"),
              )),
        Sheet("Value & quadrants", "Where each service sits on cost vs value in the quarter, "
              "with the survey (or ticket satisfaction) figures behind its value score.", value, (
                  svc, Col("quadrant", "Quadrant"),
                  Col("suggestion", "What it suggests", wrap=True),
                  m("value_score"),
                  Col("value_quarter", "Score quarter"), m("value_source"),
                  m("business_value"), m("satisfaction_pct"), m("respondents"),
                  m("cost_per_user_month"), m("value_median"), m("cost_median"),
                  Col("status", "Status", about=PLACEMENT_ABOUT),
              )),
        Sheet("Proactive share", "How proactive support work is, per quarter up to this one: "
              "proactive ÷ (proactive + reactive) hours. Routine and unclassified work is "
              "shown but not in the share.", share, (
                  q_col, m("proactive_share_pct"), Col("basis", "Basis"),
                  *(m(f"{c}_hours", f"{c.capitalize()} hours") for c in SHARE_ORDER),
                  *(m(f"{c}_tickets") for c in SHARE_ORDER),
                  m("hours_coverage_pct"),
              )),
        Sheet("Work mix", "Hours and tickets by work class per quarter.", mix, (
                  q_col,
                  Col("work_class", "Work class", about="reactive, proactive, routine or "
                      "unclassified (from the work type)."),
                  m("hours"), m("tickets"), m("rows_without_hours"), m("hours_pct"),
                  m("tickets_pct"),
              )),
        Sheet("Blocks", "Each purchased block of support hours as of the latest support "
              "date in the quarter (shared by every business unit).", blocks, (
                  Col("block", "Block"), Col("vendor", "Vendor"),
                  m("start"), m("end"), m("purchased_hours"), m("used_hours"),
                  m("remaining_hours"), m("overrun_hours"), m("used_pct"),
                  Col("warning", "Warning (% used reached)", about="80 or 95 once that share "
                      "of the hours is used; none otherwise."),
                  m("burn_rate_hours_per_day"),
                  m("runout_date", about="actual: the day the hours ran out; projected: as "
                    "of + hours left ÷ burn rate."),
                  Col("runout_basis", "Run-out basis"),
                  Col("runs_out_before_end", "Runs out before its end", "bool"),
                  *(m(f"{c}_hours") for c in WORK_CLASSES),
                  m("tickets"), m("price"),
                  m("as_of", "As of", "The latest support date the block's figures count."),
              )),
        Sheet("Priority mismatches", "Tickets of the quarter whose recorded priority differs "
              "from the impact × urgency matrix (ServiceNow's default: priority = impact + "
              "urgency − 1), most frequent first.", mismatches, (
                  m("impact", about=""), m("urgency", about=""),
                  m("matrix_priority", about=""), Col("matrix_label", "Matrix gives"),
                  m("recorded_priority", about=""), Col("recorded_label", "Recorded as"),
                  m("tickets", about=""),
              )),
        Sheet("Service desk", "Service desk figures per quarter up to this one.", desk, (
                  q_col,
                  m("tickets", about="Support rows opened in the quarter."),
                  m("users", key="people"),
                  m("tickets_per_user_month"), m("resolved"), m("median_resolve_hours"),
                  *(m(f"median_resolve_hours_p{p}") for p in range(1, 6)),
                  m("backlog"), m("satisfaction_pct"), m("satisfaction_responses"),
              )),
        Sheet("Showback", "Each business unit's share of each service's cost in the quarter, "
              "in proportion to its users of the service.", showback, (
                  q_col, svc, Col("business_unit", "Business unit"),
                  m("users"), m("share_pct"), m("cost"),
                  Col("basis", "Basis", about="users, or no usage data (the whole cost on "
                      "Unassigned)."),
              )),
    ]
    if not variance.empty:
        sheets.append(Sheet(
            "Budget", "Budget vs actual per service for the fiscal year to this quarter "
            "(the default budget version), and where each will end the year: furthest from "
            "its budget first.", variance, (
                svc, m("budget_ytd"), m("actual_ytd"), m("variance_ytd"),
                m("variance_ytd_pct"), m("status_ytd"), m("end_of_year_predicted"),
                m("end_of_year_low"), m("end_of_year_high"), m("budget_full_year"),
                m("full_year_variance"), m("status_full_year"),
                Col("basis", "Basis", about="How the year end was reached: forecast rows, "
                    "the run rate (the mean of the last two quarters), both, or the actual "
                    "once the year is over."),
            )))
    return sheets


# ---- summary and about -------------------------------------------------------------------------

def _write_summary(wb: Workbook, over: views.OverviewView, sheets: Sequence[Sheet],
                   unit: str | None, since: str) -> None:
    ws = wb.active
    ws.title = "Summary"
    widths = {"A": 36, "B": 18, "C": 26, "D": 100}
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    total_chars = sum(widths.values())
    row = 1

    def line(text: str, font: Font | None = None, merge: bool = True) -> None:
        nonlocal row
        cell = ws.cell(row=row, column=1)
        put(cell, text)
        if font:
            cell.font = font
        if merge:
            ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
            cell.alignment = TOP_WRAP
            lines = max(1, math.ceil(len(text) * 1.1 / total_chars))
            ws.row_dimensions[row].height = 15 * lines + (4 if font is TITLE_FONT else 0)
        row += 1

    line(f"IT service value: {over.organization}", TITLE_FONT)
    line(f"{over.quarter_label} · money in {over.currency} · per-user figures are per user "
         f"per month (a quarter's cost ÷ users ÷ 3) · prepared "
         f"{fmt_date(pd.Timestamp.now())}")
    if unit:
        line(f"Business unit: {unit}. Cost figures are its showback (its share of each "
             "service's cost, by its users); support figures count only its tickets. The "
             "cost tables are the whole organisation's; the Showback sheet has the unit's "
             "share.")
    row += 1
    header_row = row
    for j, text in enumerate(["Headline figure", "Value", f"Change on {since}" if since
                              else "Change", "What it means"], start=1):
        cell = ws.cell(row=row, column=j)
        put(cell, text)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
    row += 1
    for h in over.headlines:
        delta = h.delta or ""
        for j, text in enumerate([h.label, h.value, delta, h.sentence], start=1):
            cell = ws.cell(row=row, column=j)
            put(cell, text)
            cell.alignment = TOP_WRAP
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(h.sentence) * 1.1 / 100))
        row += 1
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    _print_setup(ws, None)
    for title, texts in (("What the figures say", over.sentences), ("Notes", over.notes)):
        if not texts:
            continue
        row += 1
        line(title, SECTION_FONT, merge=False)
        for text in texts:
            line(text)
    row += 1
    line("Sheets in this workbook", SECTION_FONT, merge=False)
    for sheet in sheets:
        put(ws.cell(row=row, column=1), sheet.name)
        ws.cell(row=row, column=1).alignment = TOP_WRAP
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=4)
        cell = ws.cell(row=row, column=2)
        put(cell, sheet.about)
        cell.alignment = TOP_WRAP
        ws.row_dimensions[row].height = 15 * max(1, math.ceil(len(sheet.about) * 1.1 / 140))
        row += 1
    put(ws.cell(row=row, column=1), "About these figures")
    put(ws.cell(row=row, column=2), "What every column means and how it is worked out.")


GENERAL = (
    ("Money", "In the organisation's currency (Settings sheet). Totals are whole units; "
              "per-user figures have cents."),
    ("Cost per user per month", "A service's total cost in the quarter ÷ its users ÷ 3 "
                                "months."),
    ("Total cost", "Direct cost (the service's own cost lines) + its shares of shared lines, "
                   "allocated by users, cost, tickets, hours, evenly or by a rule. Every "
                   "quarter's totals add up to the ledger; shared cost that could not be "
                   "allocated is on the Unallocated line, with the reason (Allocations "
                   "sheet)."),
    ("Like for like", "Market comparisons leave out cost lines marked not comparable (e.g. "
                      "storage above an offer's quota), so both sides buy the same thing."),
    ("Percentages", "Stored as fractions and shown as percent (0.568 shows as 56.8%)."),
    ("Summary sheet", "The headline figures and sentences as the dashboard and the deck word "
                      "them; the numbers behind them are on the other sheets."),
)


def _write_about(wb: Workbook, sheets: Sequence[Sheet], unit: str | None,
                 currency: str) -> None:
    ws = wb.create_sheet("About these figures")
    for j, (text, width) in enumerate((("Sheet", 26), ("Column", 40), ("What it means", 110)),
                                      start=1):
        cell = ws.cell(row=1, column=j)
        put(cell, text)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        ws.column_dimensions[get_column_letter(j)].width = width
    rows: list[tuple[str, str, str]] = [("All sheets", name, text) for name, text in GENERAL]
    if unit:
        rows.append(("All sheets", "Business unit", f"Chosen: {unit}. Support sheets count "
                     "only its tickets and people; cost sheets are the whole organisation's "
                     "(the Showback sheet has the unit's share); blocks are shared by every "
                     "unit."))
    for sheet in sheets:
        rows.append((sheet.name, "", sheet.about))
        rows += [(sheet.name, header_text(col, currency), col.about)
                 for col in sheet.columns if col.about]
    for i, values in enumerate(rows, start=2):
        for j, text in enumerate(values, start=1):
            cell = ws.cell(row=i, column=j)
            put(cell, text)
            cell.alignment = TOP_WRAP
            if j == 1 or not values[1]:
                cell.font = HEADER_FONT if not values[1] else Font()
        ws.row_dimensions[i].height = 15 * max(1, math.ceil(len(values[2]) * 1.1 / 110))
    ws.freeze_panes = "A2"
    _print_setup(ws)


def write_workbook(dataset: Dataset, quarter: str | None, business_unit: str | None,
                   progress: Progress) -> bytes:
    if quarter and quarter not in dataset.quarters:
        have = ", ".join(dataset.quarters) or "none"
        raise ValueError(f"No data for quarter {quarter!r}. Quarters with data: {have}.")
    if progress:
        progress(0.0, "Working out the figures")
    over = views.overview(dataset, quarter, business_unit)
    quarter = over.quarter
    has_cost = quarter is not None and (
        table(dataset, "costs")["quarter"].eq(quarter).any()
        or table(dataset, "usage")["quarter"].eq(quarter).any())
    exec_summary = summary.summarize(dataset, quarter) if has_cost else None
    sheets = _sheets(dataset, quarter, business_unit, exec_summary)
    if progress:
        progress(0.4, "Writing the sheets")
    wb = Workbook()
    since = (quarter_label(shift_quarter(quarter, -1), dataset.settings.fiscal_year_start)
             if quarter is not None else "")
    _write_summary(wb, over, sheets, business_unit, since)
    for i, sheet in enumerate(sheets):
        if progress:
            progress(0.4 + 0.5 * i / len(sheets), f"Writing {sheet.name}")
        _write_table(wb, sheet, dataset.settings.currency)
    _write_about(wb, sheets, business_unit, dataset.settings.currency)
    wb.properties.title = f"IT service value: {over.organization}, {over.quarter_label}"
    wb.properties.creator = over.organization
    if progress:
        progress(0.95, "Saving the workbook")
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


__all__ = ["FORMULA_START", "money_format", "put", "write_workbook"]
