"""Golden files: one clean workbook, and one small bad file per validation rule.

Each case is a builder (returns the file's bytes) and the findings it must produce, as
``(code, sheet, row, column)``. ``python tests/golden/cases.py`` rewrites the files; the tests
read the committed files, so a change in a builder shows up as a diff to review.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent

SERVICES = [["service", "category", "external_facing", "availability_target", "unit"],
            ["Email & Productivity", "Business", "no", 99.5, "mailbox"],
            ["CRM", "Business", "yes", "99.9%", "seat"]]
USAGE = [["quarter", "service", "users", "business_unit"],
         ["2026-Q3", "Email & Productivity", 290, "Sales"],
         ["Q3 2026", "CRM", 50, "Sales"]]
COSTS = [["quarter", "service", "cost_pool", "amount", "comparable", "allocate_by"],
         ["2026-Q3", "Email & Productivity", "Software", "$13,050.00", "yes", None],
         ["2026-Q3", "CRM", "licences", 18000, "yes", None],
         ["2026-Q3", "Shared", "Facilities & Power", "1 500", None, "users"]]
BUDGET = [["quarter", "amount", "service", "cost_pool"],
          ["2026-Q3", 13000, "Email & Productivity", "Software"],
          ["2026-Q3", 18000, "CRM", None]]


def xlsx(**sheets: list[list]) -> bytes:
    """A workbook with one sheet per keyword (underscores become spaces). Text starting
    with "=" is a formula, as Excel would take it; see :func:`hostile_workbook` for text."""
    return _workbook(sheets)


def _workbook(sheets: dict[str, list[list]], formulas_as_text: bool = False) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title.replace("_", " "))
        for row in rows:
            sheet.append(row)
        if formulas_as_text:  # a text cell that merely starts with "=", as a CSV would give
            for cells in sheet.iter_rows():
                for cell in cells:
                    if cell.data_type == "f":
                        cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_text(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def _entity_workbook() -> bytes:
    """A real workbook whose sheet XML declares an entity (a 'billion laughs' in miniature)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(Services=SERVICES)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
                        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>' + data)
            target.writestr(item, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A valid-looking workbook with a part that inflates to 64 MB from a few KB."""
    source = zipfile.ZipFile(io.BytesIO(xlsx(Services=SERVICES)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/media/padding.bin", b"\0" * (64 * 1024**2))
    return out.getvalue()


def _encrypted() -> bytes:
    """The shape of an encrypted Office file: a compound-file container holding an
    EncryptionInfo stream (what Excel writes when a workbook has a password)."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504
    directory = "EncryptionInfo".encode("utf-16-le") + b"\0" * 50
    return header + directory + b"\0" * 2048


def _far_cells(far: str) -> bytes:
    """A Usage sheet with its header in row 1 and one more cell far away: a few KB whose used
    range, read densely, would be rows × columns of the far cell (XFD1048576: 17 billion)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Usage"
    sheet.append(USAGE[0])
    sheet[far] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def huge_cell_workbook(chars: int) -> bytes:
    """A Costs sheet whose amount is one cell of ``chars`` hex digits (text that does not
    compress away, so the file passes the zip-bomb check): too large to commit, built in the
    test. openpyxl cuts cells at Excel's 32,767 characters, so the text is put in by hand."""
    marker = "HUGE-CELL-MARKER"
    source = zipfile.ZipFile(io.BytesIO(xlsx(Services=SERVICES, Costs=[
        ["quarter", "service", "amount"], ["2026-Q3", "CRM", marker]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if marker.encode() in data:
                data = data.replace(marker.encode(), os.urandom(chars // 2).hex().encode())
            target.writestr(item, data)
    return out.getvalue()


# Column headers that are format strings: each maps to ``amount`` (the unit in parentheses,
# or the punctuation, is dropped), and a bad amount below it quotes the header in a message.
FORMAT_WIDTH_HEADER = "Amount ({value:>2000000000})"
BRACES_HEADER = "amount{}"
RLO = "\u202e"  # right-to-left override: "Payroll\u202e $1,652" would show "256,1$"


def hostile_names(beacon: str = "http://127.0.0.1:9/beacon") -> dict[str, str]:
    """Names full of markup, each unique, for the hostile workbook: Markdown links and
    images, raw HTML (a remote image ``beacon``, a link, inline style), LaTeX, colour
    directives, emoji and icon shortcodes, a heading, bidi controls and formula prefixes.
    ``beacon`` is a URL no page may ever fetch or link to."""
    return {
        "organization": f"# Evil Org [sign in]({beacon}/org) {RLO}$1,652",
        "service_link": f"[Session expired - sign in]({beacon}/service)",
        "service_image": f"![x]({beacon}/image.png) Image svc",
        "service_html": f'<img src={beacon}/img> <a href="{beacon}/a">HTML svc</a>',
        "service_latex": "$x^2$ :red[Red] :blue-background[Blue] :smile: :material/home:",
        "service_formula": '=HYPERLINK("' + beacon + '/formula","Formula svc")',
        "unit": f"[Sales]({beacon}/unit) {RLO}Bidi",
        "unit_style": '<span style="font-size:90px">Big</span> +Ops',
        "offer": f"<a href='{beacon}/offer'>Offer</a> @cheap",
        "block": f"## Block [renew]({beacon}/block)",
        "editor": f"[Re-enter passcode]({beacon}/editor)",
        # no "/" in a file name: [x](javascript:…) is the link a file name can carry
        "file": "[Re-download](javascript:alert(1)) <b>x</b> $x$ :red[y].xlsx",
    }


def hostile_workbook(beacon: str = "http://127.0.0.1:9/beacon") -> bytes:
    """A workbook that loads without errors and is FULL of hostile text in every name the
    dashboard shows (services, units, offers, blocks, the organisation): every page, chart,
    answer and handout must show it literally. See :func:`hostile_names`."""
    n = hostile_names(beacon)
    services = [n["service_link"], n["service_image"], n["service_html"], n["service_latex"],
                n["service_formula"]]
    units = [n["unit"], n["unit_style"]]
    usage = [["quarter", "service", "users", "business_unit"]]
    costs = [["quarter", "service", "cost_pool", "amount", "comparable", "allocate_by"]]
    value = [["quarter", "service", "business_value", "satisfaction"]]
    for q_index, quarter in enumerate(("2026-Q2", "2026-Q3")):
        for s_index, service in enumerate(services):
            for u_index, unit in enumerate(units):
                usage.append([quarter, service, 40 + 10 * s_index + 5 * u_index, unit])
            costs.append([quarter, service, "Software", 9000 + 1500 * s_index + 300 * q_index,
                          "yes", None])
            value.append([quarter, service, 1 + (s_index + q_index) % 5, 60 + 7 * s_index])
    support = [["ticket", "opened", "resolved", "hours", "work_type", "service", "impact",
                "urgency", "priority", "business_unit", "block"]]
    for index in range(12):
        month = 7 + index % 3
        support.append([f"T{index}", f"2026-{month:02d}-{10 + index:02d}",
                        f"2026-{month:02d}-{11 + index:02d}", 1.5 + index % 4,
                        ("incident", "patching", "request")[index % 3],
                        services[index % len(services)], 1 + index % 3, 1 + (index + 1) % 3,
                        1 + index % 5, units[index % 2], n["block"]])
    return _workbook({
        "Settings": [["setting", "value"], ["organization", n["organization"]],
                  ["currency", "USD"]],
        "Services": [["service", "category", "unit"],
                  *[[service, "Business", "seat"] for service in services]],
        "Usage": usage, "Costs": costs, "Value": value, "Support": support,
        "Blocks": [["block", "purchased_hours", "start", "end", "price", "vendor"],
                [n["block"], 100, "2026-01-01", "2026-12-31", 10000, n["offer"]]],
        "Market": [["service", "offer", "price_per_user_month", "min_users", "max_users"],
                *[[service, n["offer"], 20 + 5 * i, 1, 1000]
                  for i, service in enumerate(services)]],
    }, formulas_as_text=True)


@dataclass(frozen=True)
class Case:
    file: str
    build: Callable[[], bytes]
    expect: tuple[tuple[str, str, int | None, str], ...]  # (code, sheet, row, column)
    others_allowed: bool = False  # may other findings appear too?
    kinds: dict = field(default_factory=dict)


CASES: tuple[Case, ...] = (
    Case("clean.xlsx", lambda: xlsx(
        Settings=[["setting", "value"], ["organization", "Golden Ltd"], ["currency", "USD"]],
        Services=SERVICES, Usage=USAGE, Costs=COSTS,
        Support=[["ticket", "opened", "resolved", "hours", "work_type", "service", "impact",
                  "urgency", "priority"],
                 ["T1", "2026-08-14 09:30", "2026-08-14 11:00", 1.5, "incident",
                  "Email & Productivity", "2 - Medium", "2 - Medium", "3 - Moderate"],
                 ["T2", "2026-08-20", None, "2", "patching", "CRM", 3, 3, "P5"]],
        Market=[["service", "offer", "price_per_user_month", "min_users", "max_users"],
                ["Email & Productivity", "Cloud suite", "$15", 1, 300]],
        Value=[["quarter", "service", "business_value", "satisfaction"],
               ["2026-Q3", "CRM", 4, "85%"]],
    ), ()),
    Case("clean_semicolon_cp1252.csv", lambda: csv_text(
        "Service;Quarter;Active users;Department\r\nCafé Wi-Fi;2026-Q3;1 200;Opérations\r\n",
        "cp1252"), (("SERVICE_NOT_IN_CATALOG", "clean_semicolon_cp1252", 2, "service"),)),
    Case("empty.xlsx", lambda: b"", (("FILE_EMPTY", "", None, ""),)),
    Case("truncated.xlsx", lambda: xlsx(Services=SERVICES)[:1500],
         (("FILE_UNREADABLE", "", None, ""),)),
    Case("renamed_pdf.xlsx", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
         (("FILE_UNREADABLE", "", None, ""),)),
    Case("encrypted.xlsx", _encrypted, (("FILE_ENCRYPTED", "", None, ""),)),
    Case("xml_entities.xlsx", _entity_workbook, (("FILE_UNSAFE", "", None, ""),)),
    Case("zip_bomb.xlsx", _zip_bomb, (("FILE_TOO_LARGE", "", None, ""),)),
    Case("nothing_known.xlsx", lambda: xlsx(Stationery=[["line", "amount"], ["Pens", 12]]),
         (("SHEET_IGNORED", "Stationery", None, ""),
          ("NO_SHEETS_RECOGNISED", "Stationery", None, ""))),
    Case("header_too_low.xlsx", lambda: xlsx(
        Services=[["Title"]] + [[None]] * 10 + SERVICES, Usage=USAGE),
        (("HEADER_NOT_FOUND", "Services", None, ""),), others_allowed=True),
    Case("missing_column.xlsx", lambda: xlsx(
        Usage=[["quarter", "service", "business_unit"], ["2026-Q3", "CRM", "Sales"]]),
        (("MISSING_COLUMN", "Usage", 1, "users"),)),
    Case("duplicate_column.xlsx", lambda: xlsx(
        Costs=[["quarter", "service", "Amount", "amount (USD)"], ["2026-Q3", None, 10, 10]]),
        (("DUPLICATE_COLUMN", "Costs", 1, "amount (USD)"),)),
    Case("shadowed_column.xlsx", lambda: xlsx(
        Costs=[["quarter", "service", "Amount", "Spend"], ["2026-Q3", None, 10, 12]]),
        (("COLUMN_SHADOWED", "Costs", 1, "Spend"),)),
    Case("unknown_column.xlsx", lambda: xlsx(
        Services=[SERVICES[0] + ["Colour"], SERVICES[1] + ["blue"]]),
        (("UNKNOWN_COLUMN", "Services", 1, "Colour"),)),
    Case("total_row.xlsx", lambda: xlsx(
        Services=SERVICES,
        Costs=[["IT ledger, FY2026"], [], COSTS[0], COSTS[1], COSTS[2],
               ["Total", None, None, 31050, None, None]]),
        (("TOTAL_ROW_DROPPED", "Costs", 6, "quarter"),)),
    Case("missing_value.xlsx", lambda: xlsx(
        Services=SERVICES, Usage=[USAGE[0], ["2026-Q3", "CRM", None, "Sales"]]),
        (("MISSING_VALUE", "Usage", 2, "users"),)),
    Case("bad_value.xlsx", lambda: xlsx(
        Services=SERVICES, Usage=[USAGE[0], USAGE[1], ["2026-Q3", "CRM", "lots", "Sales"]]),
        (("BAD_VALUE", "Usage", 3, "users"),)),
    Case("bad_optional_value.xlsx", lambda: xlsx(
        Services=[SERVICES[0], ["Email & Productivity", "Business", "no", "high", "mailbox"]]),
        (("BAD_OPTIONAL_VALUE", "Services", 2, "availability_target"),)),
    Case("negative_count.xlsx", lambda: xlsx(
        Services=SERVICES, Usage=[USAGE[0], ["2026-Q3", "CRM", -5, "Sales"]]),
        (("NEGATIVE_VALUE", "Usage", 2, "users"),)),
    Case("score_out_of_range.xlsx", lambda: xlsx(
        Services=SERVICES, Value=[["quarter", "service", "business_value"], ["2026-Q3", "CRM", 7]]),
        (("OUT_OF_RANGE", "Value", 2, "business_value"),)),
    Case("credit.xlsx", lambda: xlsx(
        Services=SERVICES, Costs=[COSTS[0], ["2026-Q3", "CRM", "Software", "(1,250.00)", "yes",
                                             None]]),
        (("NEGATIVE_AMOUNT", "Costs", 2, "amount"),)),
    Case("mixed_currency.xlsx", lambda: xlsx(
        Services=SERVICES, Costs=[COSTS[0], ["2026-Q3", "CRM", "Software", "1 234,50 €", "yes",
                                             None]]),
        (("MIXED_CURRENCY", "Costs", 2, "amount"),)),
    Case("ambiguous_dates.csv", lambda: csv_text(
        "ticket,opened,work_type\nT1,3/4/2026,incident\nT2,5/6/2026,change\n"),
        (("AMBIGUOUS_DATE_ORDER", "ambiguous_dates", None, "opened"),)),
    Case("unknown_cost_pool.xlsx", lambda: xlsx(
        Services=SERVICES, Costs=[COSTS[0], ["2026-Q3", "CRM", "Snacks", 40, "yes", None]]),
        (("UNKNOWN_COST_POOL", "Costs", 2, "cost_pool"),)),
    Case("unknown_work_type.csv", lambda: csv_text(
        "ticket,opened,work_type\nT1,2026-08-14,incident\nT2,2026-08-15,coffee run\n"),
        (("UNKNOWN_WORK_TYPE", "unknown_work_type", 3, "work_type"),)),
    Case("unknown_allocation.xlsx", lambda: xlsx(
        Services=SERVICES, Costs=[COSTS[0], ["2026-Q3", None, "Telecom", 900, "yes", "vibes"]]),
        (("UNKNOWN_ALLOCATION", "Costs", 2, "allocate_by"),)),
    Case("rule_total.xlsx", lambda: xlsx(
        Services=SERVICES,
        Allocation_rules=[["rule", "service", "percent"], ["Split", "CRM", 60],
                          ["Split", "Email & Productivity", 30]]),
        (("RULE_TOTAL", "Allocation rules", 2, "percent"),)),
    Case("not_in_catalog.xlsx", lambda: xlsx(
        Services=SERVICES, Usage=[USAGE[0], ["2026-Q3", "Payroll", 300, "HR"]]),
        (("SERVICE_NOT_IN_CATALOG", "Usage", 2, "service"),)),
    Case("bad_setting.xlsx", lambda: xlsx(
        Settings=[["setting", "value"], ["currency", "dollars"]], Services=SERVICES),
        (("SETTING_INVALID", "Settings", 2, "value"),)),
    # Misreads of real exports (issue 12): each is now read right, and said.
    Case("federal_millions.xlsx", lambda: xlsx(
        Services=SERVICES,
        Costs=[["quarter", "service", "cost_pool", "Amount ($M)"],
               ["2026-Q3", "CRM", "Software", "$26.538"],
               ["2026-Q3", "CRM", "Hardware", "$1.245"],
               ["2026-Q3", "Email & Productivity", "Software", "$0.011"]]),
        (("SCALED_COLUMN", "Costs", 1, "Amount ($M)"),)),
    Case("ambiguous_number.xlsx", lambda: xlsx(
        Services=SERVICES,
        Costs=[["quarter", "service", "cost_pool", "amount"],
               ["2026-Q3", "CRM", "Software", "12.345"]]),
        (("AMBIGUOUS_NUMBER_FORMAT", "Costs", 2, "amount"),)),
    Case("unknown_unit.xlsx", lambda: xlsx(
        Services=SERVICES,
        Costs=[["quarter", "service", "cost_pool", "Amount (furlongs)"],
               ["2026-Q3", "CRM", "Software", 120]]),
        (("UNKNOWN_UNIT", "Costs", 1, "Amount (furlongs)"),)),
    Case("price_on_request.xlsx", lambda: xlsx(
        Services=SERVICES,
        Market=[["service", "offer", "price_per_user_month"],
                ["Email & Productivity", "Cloud suite", "$15"],
                ["CRM", "Enterprise CRM", "Call us"]]),
        (("PRICE_ON_REQUEST", "Market", 3, "price_per_user_month"),)),
    Case("ambiguous_percent.xlsx", lambda: xlsx(
        Services=[SERVICES[0], ["Email & Productivity", "Business", "no", 99.9, "mailbox"],
                  ["CRM", "Business", "yes", 99.5, "seat"],
                  ["Payroll", "Business", "no", 0.98, "user"]]),
        (("AMBIGUOUS_PERCENT", "Services", 4, "availability_target"),)),
    Case("na_in_required_cell.xlsx", lambda: xlsx(
        Services=SERVICES, Usage=[USAGE[0], ["2026-Q3", "CRM", "n/a", "Sales"]]),
        (("MISSING_VALUE", "Usage", 2, "users"),)),
    Case("event_log.csv", lambda: csv_text(
        "number,opened_at,incident_state,sys_updated_at,priority\n"
        "INC1,29/2/2016 01:16,New,29/2/2016 01:23,3 - Moderate\n"
        "INC1,29/2/2016 01:16,Resolved,29/2/2016 11:29,2 - High\n"
        "INC2,1/3/2016 08:00,New,1/3/2016 08:05,4 - Low\n"),
        (("EVENT_LOG_COLLAPSED", "event_log", None, "ticket"),), others_allowed=True),
    # Resource attacks (issue 10): each must give its finding, never a crash or a traceback.
    Case("huge_declared_range.xlsx", lambda: _far_cells("XFD1048576"),
         (("FILE_TOO_LARGE", "Usage", None, ""),)),
    Case("sparse_702_by_1000000.xlsx", lambda: _far_cells("ZZ1000000"),
         (("FILE_TOO_LARGE", "Usage", None, ""),)),
    # a blank amount quotes the header ("'…' is blank."), a bad one quotes the cell
    Case("format_width_header.csv", lambda: csv_text(
        f"quarter,service,cost_pool,{FORMAT_WIDTH_HEADER}\n2026-Q3,,Software,\n"
        "2026-Q3,,Software,lots\n"),
        (("UNKNOWN_UNIT", "format_width_header", 1, FORMAT_WIDTH_HEADER),
         ("MISSING_VALUE", "format_width_header", 2, FORMAT_WIDTH_HEADER),
         ("BAD_VALUE", "format_width_header", 3, FORMAT_WIDTH_HEADER))),
    Case("braces_header.csv", lambda: csv_text(
        f"quarter,service,cost_pool,{BRACES_HEADER}\n2026-Q3,,Software,\n"
        "2026-Q3,,Software,-{0}\n2026-Q3,,Software,{value}\n"),
        (("MISSING_VALUE", "braces_header", 2, BRACES_HEADER),
         ("BAD_VALUE", "braces_header", 3, BRACES_HEADER),
         ("BAD_VALUE", "braces_header", 4, BRACES_HEADER))),
    Case("resolved_from_closed.csv", lambda: csv_text(
        "number,opened_at,resolved_at,closed_at,incident_state,sys_updated_at\n"
        "INC1,29/2/2016 01:16,29/2/2016 11:29,15/3/2016 12:00,Closed,15/3/2016 12:00\n"
        "INC2,1/3/2016 08:00,?,16/3/2016 09:00,Closed,16/3/2016 09:00\n"
        "INC3,1/3/2016 09:00,?,?,Closed,14/3/2016 10:00\n"
        "INC4,1/3/2016 10:00,?,?,Active,14/3/2016 10:00\n"),
        (("RESOLVED_FROM_CLOSED", "resolved_from_closed", 3, "resolved"),)),
    Case("periods_do_not_overlap.xlsx", lambda: xlsx(
        Services=SERVICES, Costs=COSTS,
        Support=[["ticket", "opened", "resolved", "service"],
                 ["INC1", "2016-02-29 01:16", "2016-02-29 11:29", "CRM"]]),
        (("PERIODS_DO_NOT_OVERLAP", "Support", None, "opened"),)),
    Case("template_example.xlsx", lambda: xlsx(
        Services=SERVICES,
        Market=[["service", "offer", "price_per_user_month", "min_users", "max_users",
                 "availability", "storage_gb", "support", "includes", "as_of"],
                ["Email & Productivity", "Cloud email & productivity suite", 15, 1, 300, 99,
                 25, "Phone, 1-hour response", "Email, calendar, office apps", "2026-09-30"],
                ["CRM", "Cloud CRM", 40, 1, 500, 99.9, 10, "Email", "CRM", "2026-09-30"]]),
        (("TEMPLATE_EXAMPLE", "Market", 2, "service"),)),
    Case("partial_quarter.xlsx", lambda: xlsx(
        Services=SERVICES, Usage=USAGE,
        Costs=[*COSTS, ["2026-Q4", "CRM", "Software", 18500, "yes", None]]),
        (("PARTIAL_QUARTER", "Costs", None, "quarter"),)),
    # budget (issue 17)
    Case("budget_fiscal_year.xlsx", lambda: xlsx(
        Services=SERVICES, Budget=[BUDGET[0], BUDGET[1], ["FY2027", 120000, "CRM", None]]),
        (("BUDGET_SPREAD", "Budget", 3, "quarter"),)),
    Case("budget_kind_unknown.xlsx", lambda: xlsx(
        Services=SERVICES, Budget=[BUDGET[0] + ["kind"], BUDGET[1] + ["budget"],
                                   ["2026-Q3", 9000, "CRM", None, "wishlist"]]),
        (("BUDGET_KIND_UNKNOWN", "Budget", 3, "kind"),)),
    Case("budget_service_unknown.xlsx", lambda: xlsx(
        Services=SERVICES, Budget=[*BUDGET, ["2026-Q3", 30000, "Data platform", None]]),
        (("BUDGET_SERVICE_UNKNOWN", "Budget", 4, "service"),)),
)

# The files of CASES that attack the server's memory or its message building.
HOSTILE = ("huge_declared_range.xlsx", "sparse_702_by_1000000.xlsx", "format_width_header.csv",
           "braces_header.csv")


def main() -> None:
    for case in CASES:
        (HERE / case.file).write_bytes(case.build())
    print(f"wrote {len(CASES)} golden files to {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
