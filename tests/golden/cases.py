"""Golden files: one clean workbook, and one small bad file per validation rule.

Each case is a builder (returns the file's bytes) and the findings it must produce, as
``(code, sheet, row, column)``. ``python tests/golden/cases.py`` rewrites the files; the tests
read the committed files, so a change in a builder shows up as a diff to review.
"""

from __future__ import annotations

import io
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


def xlsx(**sheets: list[list]) -> bytes:
    """A workbook with one sheet per keyword (underscores become spaces)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title.replace("_", " "))
        for row in rows:
            sheet.append(row)
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
    Case("nothing_known.xlsx", lambda: xlsx(Budget=[["line", "amount"], ["Pens", 12]]),
         (("SHEET_IGNORED", "Budget", None, ""), ("NO_SHEETS_RECOGNISED", "Budget", None, ""))),
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
    Case("event_log.csv", lambda: csv_text(
        "number,opened_at,incident_state,sys_updated_at,priority\n"
        "INC1,29/2/2016 01:16,New,29/2/2016 01:23,3 - Moderate\n"
        "INC1,29/2/2016 01:16,Resolved,29/2/2016 11:29,2 - High\n"
        "INC2,1/3/2016 08:00,New,1/3/2016 08:05,4 - Low\n"),
        (("EVENT_LOG_COLLAPSED", "event_log", None, "ticket"),), others_allowed=True),
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
)


def main() -> None:
    for case in CASES:
        (HERE / case.file).write_bytes(case.build())
    print(f"wrote {len(CASES)} golden files to {HERE}", file=sys.stderr)


if __name__ == "__main__":
    main()
