"""Command line: ``python -m valuelib check|summary|ask|report|template|publish|history|
rollback|verify ...``. Parses arguments and prints;
the work happens in the package."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .ask_cli import add_ask_command
from .ingest import load_paths
from .model import Dataset, findings_frame
from .publish_cli import add_publish_commands
from .report_cli import add_report_command
from .template import write_template


def _print_check(dataset: Dataset) -> None:
    for source in dataset.sources:
        print(f"{source.name}")
        if not source.tables:
            print("  nothing loaded")
        for key, rows in source.tables.items():
            line = f"  {key:<18} {rows:>9,} row" + ("" if rows == 1 else "s")
            if key == "support" and source.events:
                line += f"  ({source.events:,} events became {source.tickets:,} tickets)"
            print(line)
    findings = findings_frame(dataset.findings)
    errors, warnings = len(dataset.errors), len(dataset.warnings)
    print()
    if findings.empty:
        print("No findings: ready to publish.")
        return
    shown = findings.assign(row=findings["row"].astype("object").where(findings["row"].notna(),
                                                                          ""))
    columns = ["severity", "code", "file", "sheet", "row", "column", "value", "message", "fix"]
    shown["file"] = shown["file"].map(lambda p: Path(p).name)
    with_width = shown[columns].astype(str).map(lambda s: s if len(s) <= 70 else s[:67] + "…")
    print(with_width.to_string(index=False))
    print()
    print(f"{errors} error(s), {warnings} warning(s)."
          + (" Errors block publishing." if errors else " Ready to publish."))


def _check(args: argparse.Namespace) -> int:
    kinds = dict.fromkeys(args.files, args.kind) if args.kind else None
    dataset = load_paths(args.files, kinds)
    if args.json:
        print(json.dumps({
            "files": [{"name": s.name, "sha256": s.sha256, "tables": dict(s.tables),
                       "events": s.events, "tickets": s.tickets} for s in dataset.sources],
            "findings": [f.as_dict() for f in dataset.findings],
            "errors": len(dataset.errors),
            "warnings": len(dataset.warnings),
        }, indent=2))
    else:
        _print_check(dataset)
    return 1 if dataset.errors else 0


def _summary(args: argparse.Namespace) -> int:
    from .summary import summarize

    dataset = load_paths(args.files)
    if dataset.errors:
        print(f"{len(dataset.errors)} error(s) in the files; run `python -m valuelib check` "
              "to see them.", file=sys.stderr)
        return 1
    if args.quarter and args.quarter not in dataset.quarters:
        print(f"error: no data for {args.quarter}; quarters with data: "
              f"{', '.join(dataset.quarters) or 'none'}", file=sys.stderr)
        return 2
    result = summarize(dataset, args.quarter)
    print(json.dumps(result.to_dict(), indent=2) if args.json else result.format_text())
    return 0


def _template(args: argparse.Namespace) -> int:
    with open(args.out, "wb") as handle:
        write_template(handle)
    print(f"Wrote {args.out}: an Instructions sheet and one sheet per table, each with an "
          "example row.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m valuelib",
                                     description="IT service value dashboard: the core.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="load files and list every finding")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("--kind", help="table a CSV holds when its columns don't say "
                                      "(services, costs, usage, support, …)")
    check.set_defaults(run=_check)
    summary = commands.add_parser("summary", help="the executive summary of a quarter")
    summary.add_argument("files", nargs="+", metavar="FILE")
    summary.add_argument("--quarter", help="e.g. 2026-Q3 (default: the latest with costs)")
    summary.add_argument("--json", action="store_true", help="machine-readable output")
    summary.set_defaults(run=_summary)
    add_ask_command(commands)
    add_report_command(commands)
    add_publish_commands(commands)
    template = commands.add_parser("template", help="write the blank workbook template")
    template.add_argument("out", metavar="OUT.xlsx")
    template.set_defaults(run=_template)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    for path in getattr(args, "files", []):
        if not Path(path).is_file():
            print(f"error: no such file: {path}", file=sys.stderr)
            return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
