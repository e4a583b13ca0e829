"""Benchmark: ingest + validate a 200,000-row Support workbook vs a bare calamine read.

    python bench/ingest.py [--rows 200000] [--repeat 3]

Prints, from one run on one machine, the best-of-N time of
  1. a bare calamine read of the file (``python_calamine`` to Python rows: the floor any
     reader pays), and
  2. ``valuelib.ingest.load`` (read + header + mapping + parsing + validation + work classes),
and the ratio between them. The target is a ratio of at most 1.5.

The workbook is written once (openpyxl, write-only) into bench/_work/ and reused.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

import numpy as np
import python_calamine
from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from valuelib.ingest import load

WORK = Path(__file__).parent / "_work"

SERVICES = ["Email & Productivity", "CRM", "Payroll", "Accounting", "Telecommunications",
            "Desktop & User Support", "Website Sales", "Inventory Management"]
WORK_TYPES = ["incident", "break/fix", "problem", "change", "patching", "service request",
              "password reset", "training", "health check", "outage"]
CHANNELS = ["phone", "email", "self-service", "remote", "onsite"]
UNITS = ["Sales", "Finance", "Operations", "HR", "Marketing"]
PRIORITIES = ["1 - Critical", "2 - High", "3 - Moderate", "4 - Low", "5 - Planning"]
LEVELS = ["1 - High", "2 - Medium", "3 - Low"]


def build_workbook(rows: int, path: Path) -> None:
    rng = np.random.default_rng(7)
    start = np.datetime64("2024-10-01T00:00")
    opened = start + rng.integers(0, 730 * 24 * 60, rows).astype("timedelta64[m]")
    resolved = opened + rng.integers(10, 7 * 24 * 60, rows).astype("timedelta64[m]")
    columns = {
        "Ticket": np.char.add("NW-", np.arange(rows).astype(str)),
        "Opened": opened.astype("datetime64[s]").astype(object),
        "Resolved": resolved.astype("datetime64[s]").astype(object),
        "Hours": np.round(rng.gamma(1.5, 1.0, rows), 2),
        "Work type": rng.choice(WORK_TYPES, rows),
        "Service": rng.choice(SERVICES, rows),
        "Business unit": rng.choice(UNITS, rows),
        "Channel": rng.choice(CHANNELS, rows),
        "Impact": rng.choice(LEVELS, rows),
        "Urgency": rng.choice(LEVELS, rows),
        "Priority": rng.choice(PRIORITIES, rows),
        "Block": rng.choice(["2026 support block", ""], rows),
        "Satisfaction": rng.integers(1, 6, rows).astype(float),
        "Technician": rng.choice(["Alex Kim", "Sam Lee", "Jo Park", "Ana Ruiz"], rows),
    }
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Support")
    sheet.append(["Northwind Traders — support log"])  # a title row above the header
    sheet.append(list(columns))
    for values in zip(*(c.tolist() for c in columns.values()), strict=False):
        sheet.append(list(values))
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)


def best_of(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    path = WORK / f"support_{args.rows}.xlsx"
    if not path.exists():
        print(f"writing {path} ({args.rows:,} rows) …", flush=True)
        build_workbook(args.rows, path)
    data = path.read_bytes()

    def bare_read():
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return book.get_sheet_by_name("Support").to_python()

    def ingest():
        dataset = load([(path.name, data)])
        assert len(dataset["support"]) == args.rows, len(dataset["support"])
        assert not dataset.errors, dataset.errors[:3]

    # Interleaved, so a busy moment on the machine hits both sides alike.
    baseline, ours = float("inf"), float("inf")
    for _ in range(args.repeat):
        baseline = min(baseline, best_of(1, bare_read))
        ours = min(ours, best_of(1, ingest))
    print(f"file: {path.name}, {len(data) / 1024**2:.1f} MB, {args.rows:,} support rows")
    print(f"bare calamine read    : {baseline:7.3f} s (best of {args.repeat})")
    print(f"ingest + validate     : {ours:7.3f} s (best of {args.repeat})")
    print(f"ratio ingest / read   : {ours / baseline:7.2f}x  (target <= 1.5x)")


if __name__ == "__main__":
    main()
