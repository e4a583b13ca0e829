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
