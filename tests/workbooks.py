"""Test helper: real workbooks for the publishing tests (AppTest and browser)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))


def fewer_offers(kept: int = 2) -> bytes:
    """The sample's Market sheet alone, keeping only its first ``kept`` offers: publishing it
    replaces the published offers and removes the others, which needs the editor's tick."""
    book = openpyxl.load_workbook(next(p for p in SAMPLE if "_it_" in p.name))
    for sheet in list(book.worksheets):
        if sheet.title != "Market":
            book.remove(sheet)
    market = book["Market"]
    market.delete_rows(2 + kept, market.max_row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TIER_SHEETS = ("Offerings", "Subscriptions")


def sample_without_tiers() -> tuple[tuple[str, bytes], ...]:
    """The sample's files as uploaded, without its price list (Offerings, Subscriptions): the
    sample as it was before it had tiers, which ``tiers_workbook`` gives a small price list of
    its own, and what the pages show where no Offerings sheet was loaded."""
    files = []
    for path in SAMPLE:
        book = openpyxl.load_workbook(path)
        for title in TIER_SHEETS:
            if title in book.sheetnames:
                book.remove(book[title])
        out = io.BytesIO()
        book.save(out)
        files.append((path.name, out.getvalue()))
    return tuple(files)


OFFERINGS = [
    ["service", "tier", "price_per_user_month", "availability_target", "support_hours",
     "response_time", "storage_gb", "includes"],
    ["Email & Productivity", "Standard", 11, 99.5, "8x5", "1 business day", 25,
     "Email, calendar, documents"],
    ["Email & Productivity", "Premium", 19, 99.9, "24x7", "4h", 100,
     "Standard, plus archiving and a larger mailbox"],
    ["Desktop & User Support", "8x5", 40, 99.0, "8x5", "8h", None, "Laptop, service desk"],
    ["Desktop & User Support", "24x7", 55, 99.5, "24x7", "2h", None,
     "Laptop, service desk, on-call engineer"],
    ["CRM", "Professional", 95, 99.5, "8x5", "4h", None, "Accounts, opportunities, quotes"],
]
# quarter → business unit → {(service, tier): users}; Sales moves to Premium email in 2026-Q3
_SEATS = {
    "Customer Service": {("Email & Productivity", "Standard"): 64,
                         ("Desktop & User Support", "8x5"): 60, ("CRM", "Professional"): 3},
    "Finance": {("Email & Productivity", "Standard"): 23, ("Desktop & User Support", "8x5"): 23},
    "Operations": {("Email & Productivity", "Standard"): 92,
                   ("Desktop & User Support", "24x7"): 92},
    "Sales": {("Email & Productivity", "Standard"): 58, ("Desktop & User Support", "8x5"): 58,
              ("CRM", "Professional"): 46},
}


def tiers_workbook() -> bytes:
    """Offerings (Email Standard $11 / Premium $19, Desktop support 8x5 / 24x7, CRM) and
    Subscriptions for four of the sample's units in 2026-Q1 to Q3, to upload beside
    ``sample_without_tiers()``: Sales moves its email to Premium in 2026-Q3."""
    book = openpyxl.Workbook()
    offerings = book.active
    offerings.title = "Offerings"
    for row in OFFERINGS:
        offerings.append(row)
    subscriptions = book.create_sheet("Subscriptions")
    subscriptions.append(["quarter", "business_unit", "service", "tier", "users"])
    for quarter in ("2026-Q1", "2026-Q2", "2026-Q3"):
        for unit, seats in _SEATS.items():
            for (service, tier), users in seats.items():
                if (quarter, unit, service) == ("2026-Q3", "Sales", "Email & Productivity"):
                    tier = "Premium"
                subscriptions.append([quarter, unit, service, tier, users])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
