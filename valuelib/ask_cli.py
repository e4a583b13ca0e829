"""Command line: ``python -m valuelib ask "QUESTION" --data FILE... [--json]``.

Loads the files, asks :func:`valuelib.ask.answer`, and prints the sentence, the key
figures, the table, how it was computed and what to ask next (or one JSON object). Exit code:
0 answered, 1 not understood (the suggestions say what can be asked), 2 a file is missing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from .ask import EXAMPLES, Answer, answer
from .ingest import load_paths

MAX_TABLE_ROWS = 40


def add_ask_command(subparsers) -> argparse.ArgumentParser:
    """Register ``ask`` on an ``argparse`` subparsers object; returns the new parser."""
    ask = subparsers.add_parser(
        "ask", help="answer a question in plain words",
        description="Answer a question in plain words from the loaded workbooks, e.g. "
                    + "; ".join(f'"{e}"' for e in EXAMPLES[:3]) + ".")
    ask.add_argument("question", metavar="QUESTION", help="the question, in quotes")
    ask.add_argument("--data", nargs="+", required=True, metavar="FILE",
                     help="workbooks (.xlsx) or CSV files to answer from")
    ask.add_argument("--quarter", metavar="QUARTER",
                     help="the quarter to answer for when the question names none (2026-Q1), "
                          "as the page's quarter filter")
    ask.add_argument("--unit", metavar="BUSINESS_UNIT",
                     help="the business unit to answer for when the question names none, as "
                          "the page's business unit filter")
    ask.add_argument("--json", action="store_true", help="print one JSON object")
    ask.set_defaults(run=run_ask)
    return ask


def run_ask(args: argparse.Namespace) -> int:
    missing = [p for p in args.data if not Path(p).is_file()]
    if missing:
        for path in missing:
            print(f"error: no such file: {path}", file=sys.stderr)
        return 2
    dataset = load_paths(args.data)
    if dataset.errors:
        print(f"note: the files have {len(dataset.errors)} error(s); answering from what could "
              "be read (python -m valuelib check lists them).", file=sys.stderr)
    result = answer(args.question, dataset, quarter=getattr(args, "quarter", None),
                    business_unit=getattr(args, "unit", None))
    print(result.to_json() if args.json else format_answer(result))
    return 0 if result.understood else 1


def format_answer(result: Answer) -> str:
    """The answer as plain text for a terminal."""
    out = [result.sentence, ""]
    if result.figures:
        out.append("Key figures:")
        for f in result.figures:
            where = ", ".join(x for x in (f.quarter,) if x)
            out.append(f"  {f.label}: {f.formatted}" + (f" ({where})" if where else ""))
        out.append("")
    if result.table is not None and len(result.table):
        shown = result.table.head(MAX_TABLE_ROWS)
        with pd.option_context("display.width", 200, "display.max_columns", 20,
                               "display.max_colwidth", 40):
            out.append(shown.to_string(index=False))
        if len(result.table) > MAX_TABLE_ROWS:
            out.append(f"… {len(result.table) - MAX_TABLE_ROWS} more rows (--json has all)")
        out.append("")
    if result.how:
        out += [f"How: {result.how}", ""]
    if result.suggestions:
        out.append("You could ask:" if result.understood else "Try:")
        out += [f"  - {s}" for s in result.suggestions]
    return "\n".join(out).rstrip() + "\n"
