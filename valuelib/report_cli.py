"""Command line: ``python -m valuelib report --data FILE... --out deck.pptx|book.xlsx|report.pdf
[--quarter Q] [--service NAME ...] [--business-unit UNIT]``.

Loads the files, builds the export the ``--out`` extension names (:mod:`valuelib.report`) and
writes it. Exit code: 0 written; 1 the files have errors (``check`` lists them); 2 a file is
missing, the extension is unknown, or there is no such quarter or service.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import report
from .ingest import load_paths

BUILDERS = {".pptx": "deck", ".xlsx": "workbook", ".pdf": "PDF"}


def add_report_command(subparsers) -> argparse.ArgumentParser:
    """Register ``report`` on an ``argparse`` subparsers object; returns the new parser."""
    cmd = subparsers.add_parser(
        "report", help="write the deck (.pptx), workbook (.xlsx) or PDF to hand out",
        description="Write an export of one quarter: a 16:9 deck (.pptx) with speaker notes, "
                    "a workbook (.xlsx) with every table behind the figures, or the deck's "
                    "story as a PDF. The format comes from the --out file's extension.")
    cmd.add_argument("--data", nargs="+", required=True, metavar="FILE",
                     help="workbooks (.xlsx) or CSV files to report on")
    cmd.add_argument("--out", required=True, metavar="OUT",
                     help="the file to write: NAME.pptx, NAME.xlsx or NAME.pdf")
    cmd.add_argument("--quarter", help="e.g. 2026-Q3 (default: the latest with costs)")
    cmd.add_argument("--service", action="append", default=[], metavar="NAME",
                     help="add a slide for this service (deck and PDF; repeat for more)")
    cmd.add_argument("--business-unit", metavar="UNIT",
                     help="one business unit's view (its share of cost, its tickets)")
    cmd.set_defaults(run=run_report)
    return cmd


def run_report(args: argparse.Namespace) -> int:
    out = Path(args.out)
    kind = BUILDERS.get(out.suffix.lower())
    if kind is None:
        print(f"error: cannot tell the format of {out.name!r} from its extension: name the "
              "output NAME.pptx (deck), NAME.xlsx (workbook) or NAME.pdf (PDF)",
              file=sys.stderr)
        return 2
    missing = [p for p in args.data if not Path(p).is_file()]
    if missing:
        for path in missing:
            print(f"error: no such file: {path}", file=sys.stderr)
        return 2
    if not out.parent.is_dir():
        print(f"error: no such folder for the output: {out.parent}", file=sys.stderr)
        return 2
    if args.service and kind == "workbook":
        print("note: --service adds slides to a deck or PDF; the workbook has every service.",
              file=sys.stderr)
    dataset = load_paths(args.data)
    if dataset.errors:
        print(f"error: the files have {len(dataset.errors)} error(s); run `python -m valuelib "
              "check` to see them and fix them first.", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        if kind == "workbook":
            data = report.build_workbook(dataset, args.quarter, args.business_unit)
        else:
            build = report.build_deck if kind == "deck" else report.build_pdf
            data = build(dataset, args.quarter, tuple(args.service), args.business_unit)
    except ValueError as exc:  # an unknown quarter or service: the message lists the choices
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except report.ChartError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    out.write_bytes(data)
    print(f"Wrote {out} ({kind}, {len(data) / 1024:,.0f} KB) in "
          f"{time.perf_counter() - started:.1f} s.")
    return 0
