"""The command line, one module: ``valuelib check|summary|ask|report|bill|template|
tables-doc|publish|history|rollback|verify|purge-files|export|hash-passcode|serve ...`` (also
``python -m valuelib ...``).

``serve [--port N] [--address A] [Streamlit options]``: starts the dashboard warmed — imports
and the first data load at start, not in the first visitor's page load (ui/launch.py, imported
only by this command: the core stays free of streamlit).

It parses arguments, calls the package and prints; the work happens in the package. Exit codes:
0 done, 1 the files have errors (or a question was not understood), 2 a file or option is
wrong.

``tables-doc OUT.md``: writes docs/tables.md from the contract (:func:`valuelib.schema.
tables_markdown`); a test keeps the committed file equal to it.

``bill --data FILE... --unit UNIT --out OUT.xlsx|OUT.pdf [--quarter Q]``: one business unit's
Bill of IT (:func:`valuelib.report.build_bill_workbook` / ``build_bill_pdf``).

``ask``: loads the files, asks :func:`valuelib.ask.answer` (``--quarter``/``--unit`` as the
page's filters) and prints the sentence, key figures, table, how, and what to ask next.

Publishing (``publish``, ``history``, ``rollback``, ``verify``, ``purge-files``, ``export``,
``hash-passcode``):
Command line for scripted quarterly publishing — the page's code path
(:func:`valuelib.publishing.publish`):

- ``python -m valuelib publish FILE... --editor NAME --note TEXT [--yes] [--replace-reference]
  [--keep-ignored-columns]``: loads the files, prints what was loaded, the findings and the
  change summary of the MERGED result, asks y/N (unless ``--yes``) and publishes.
- ``python -m valuelib history [--json]``: every version, newest first.
- ``python -m valuelib rollback VERSION --editor NAME [--yes]``: publish an earlier version's
  content again as a new version.
- ``python -m valuelib verify``: check every stored version (checksums, decoding).
- ``python -m valuelib purge-files VERSION --editor NAME [--yes]``: delete a version's raw
  uploaded files (recorded).
- ``python -m valuelib export VERSION --out FILE.xlsx``: a version's data as one workbook in
  the template's shape (re-uploadable).
- ``python -m valuelib hash-passcode``: print a per-editor passcode hash for VALUELIB_EDITORS.

The store is the one ``VALUELIB_DATABASE_URL`` / ``VALUELIB_DATA_DIR`` name. Commands that
write need the editor passcode: ``VALUELIB_EDITOR_PASSWORD`` from the environment, else a
prompt. Exit codes: 0 done; 1 refused (errors in the files — listed —, nothing changes, a
version was published meanwhile, a damaged version, the database moved); 2 bad arguments, a
missing file or a wrong passcode; 3 a change needs ``--replace-reference`` (reference rows
removed or a total moving by more than 50 %); 4 answered no at the prompt.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from . import editors, report
from .ask import EXAMPLES, Answer, answer
from .ingest import load_paths
from .model import Dataset, findings_frame
from .schema import Table, tables_markdown
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
    from .present.summary_text import summary_json_text, summary_text
    from .summary import summarize

    dataset, refused = _load_clean(args.files, args.quarter)
    if dataset is None:
        return refused
    result = summarize(dataset, args.quarter)
    print(summary_json_text(result) if args.json else summary_text(result))
    return 0


def _load_clean(files, quarter: str | None) -> tuple[Dataset | None, int]:
    """The files' dataset, or None and the exit code after saying why: errors in the files
    (1), or ``quarter`` not among the quarters with data (2)."""
    dataset = load_paths(files)
    if dataset.errors:
        print(f"{len(dataset.errors)} error(s) in the files; run `python -m valuelib check` "
              "to see them.", file=sys.stderr)
        return None, 1
    if quarter and quarter not in dataset.quarters:
        print(f"error: no data for {quarter}; quarters with data: "
              f"{', '.join(dataset.quarters) or 'none'}", file=sys.stderr)
        return None, 2
    return dataset, 0


def _template(args: argparse.Namespace) -> int:
    with open(args.out, "wb") as handle:
        write_template(handle)
    print(f"Wrote {args.out}: an Instructions sheet and one sheet per table, each with an "
          "example row.")
    return 0


def _tables_doc(args: argparse.Namespace) -> int:
    Path(args.out).write_text(tables_markdown(), encoding="utf-8")
    print(f"Wrote {args.out} from valuelib/schema.py.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="valuelib",
                                     description="IT service value dashboard: the core.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="load files and list every finding")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.add_argument("--json", action="store_true", help="machine-readable output")
    check.add_argument("--kind", choices=[t.value for t in Table],
                       help="table a CSV holds when its columns don't say")
    check.set_defaults(run=_check)
    summary = commands.add_parser("summary", help="the executive summary of a quarter")
    summary.add_argument("files", nargs="+", metavar="FILE")
    summary.add_argument("--quarter", help="e.g. 2026-Q3 (default: the latest with costs)")
    summary.add_argument("--json", action="store_true", help="machine-readable output")
    summary.set_defaults(run=_summary)
    add_ask_command(commands)
    add_whatif_command(commands)
    add_report_command(commands)
    add_bill_command(commands)
    add_publish_commands(commands)
    template = commands.add_parser("template", help="write the blank workbook template")
    template.add_argument("out", metavar="OUT.xlsx")
    template.set_defaults(run=_template)
    tables_doc = commands.add_parser("tables-doc",
                                     help="write docs/tables.md from the contract (schema.py)")
    tables_doc.add_argument("out", metavar="OUT.md")
    tables_doc.set_defaults(run=_tables_doc)
    serve = commands.add_parser(
        "serve", help="start the dashboard, warmed: imports and the first data load at start",
        description="Import the app and warm its caches, then run Streamlit on app.py in this "
        "process. Any other option is Streamlit's own, as for `streamlit run` (e.g. "
        "--server.headless true, --theme.base dark).")
    serve.add_argument("--port", type=int, help="the port to listen on (default 8501)")
    serve.add_argument("--address", help="the address to listen on (default: all)")
    serve.set_defaults(run=_serve)
    return parser


def _serve(args: argparse.Namespace) -> int:
    # The launcher is the Streamlit shell's (ui/launch.py, beside app.py), imported only here:
    # the core never imports streamlit (docs/decisions.md, "Launcher").
    root = Path(__file__).resolve().parents[1]
    if not (root / "app.py").is_file() or not (root / "ui" / "launch.py").is_file():
        _err(f"serve needs the dashboard's checkout (app.py and ui/ beside valuelib/); "
             f"{root} has none. Run it from the repository.")
        return EXIT_USAGE
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from ui import launch

    options = list(args.streamlit_options)
    if args.port is not None:
        options += ["--server.port", str(args.port)]
    if args.address is not None:
        options += ["--server.address", args.address]
    try:
        flags = launch.flag_options(options)
    except ValueError as exc:
        _err(f"{exc} (see `streamlit run --help` for Streamlit's options)")
        return EXIT_USAGE
    launch.serve(flags)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if args.command == "serve":
        args.streamlit_options = [option for option in extra if option != "--"]
    elif extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    for path in getattr(args, "files", []):
        if not Path(path).is_file():
            print(f"error: no such file: {path}", file=sys.stderr)
            return 2
    return args.run(args)


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
        shown = result.shown_table().formatted().head(MAX_TABLE_ROWS)
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


# ---- whatif ---------------------------------------------------------------------------------

WHATIF_OPTIONS = (("move", "SERVICE=OFFER", "move a service to a market offer (Market sheet)"),
                  ("tier", "SERVICE=TIER", "move a service to another tier (Offerings sheet)"),
                  ("users", "SERVICE=N", "give a service N users"),
                  ("headcount", "N", "set the headcount to N (UNIT=N: one business unit's)"),
                  ("block", "HOURS@PRICE", "buy a block of HOURS of support for PRICE"),
                  ("retire", "SERVICE", "retire a service"))


class _Change(argparse.Action):
    """Keeps every change option in the order given: a scenario applies them in order."""

    def __call__(self, parser, namespace, values, option_string=None):
        namespace.changes = [*(getattr(namespace, "changes", None) or []), (self.dest, values)]


def add_whatif_command(subparsers) -> argparse.ArgumentParser:
    """Register ``whatif`` on an ``argparse`` subparsers object; returns the new parser."""
    cmd = subparsers.add_parser(
        "whatif", help="work out a what-if scenario (nothing is changed or saved)",
        description="Work out what a scenario does to a year's IT cost, cost per user and the "
                    "budget, and what it gives up or gains, e.g. --move \"Email & Productivity="
                    "Cloud email & productivity suite\". Changes apply in the order given; "
                    "repeat any option.")
    cmd.add_argument("--data", nargs="+", required=True, metavar="FILE",
                     help="workbooks (.xlsx) or CSV files to work on")
    for name, metavar, text in WHATIF_OPTIONS:
        cmd.add_argument(f"--{name}", action=_Change, metavar=metavar, help=text)
    cmd.add_argument("--quarter", help="the quarter to work on (default: the latest complete)")
    cmd.add_argument("--name", default="", help="a name for the scenario")
    cmd.set_defaults(run=run_whatif, changes=None)
    return cmd


def run_whatif(args: argparse.Namespace) -> int:
    from . import whatif
    from .views.plan_page import plan_view

    missing = [p for p in args.data if not Path(p).is_file()]
    for path in missing:
        print(f"error: no such file: {path}", file=sys.stderr)
    if missing:
        return 2
    if not args.changes:
        _err("give at least one change: " + ", ".join(f"--{n} {m}" for n, m, _ in
                                                       WHATIF_OPTIONS))
        return 2
    try:
        changes = tuple(whatif.change_from_text(kind, text) for kind, text in args.changes)
    except ValueError as exc:
        _err(str(exc))
        return 2
    dataset, refused = _load_clean(args.data, args.quarter)
    if dataset is None:
        return refused
    view = plan_view(dataset, whatif.Scenario(args.name, changes), args.quarter)
    for problem in view.problems:
        _err(problem)
    if view.problems:
        return 2
    print(format_plan(view))
    return 0


def format_plan(view) -> str:
    """A scenario's result as plain text for a terminal."""
    title = view.scenario.name or "What if"
    out = [f"{title} ({view.quarter_label}):", ""]
    for h in view.headlines:
        out.append(f"  {h.label}: {h.value}" + (f" ({h.delta})" if h.delta else ""))
        if h.sentence:
            out.append(f"    {h.sentence}")
    out.append("")
    shown = view.changes.formatted()
    with pd.option_context("display.width", 200, "display.max_columns", 20,
                           "display.max_colwidth", 60):
        out.append(shown.drop(columns=["Gives up", "Gains", "Note"]).to_string(index=False))
    out.append("")
    for heading, lines in (("Gives up", view.gives_up), ("Gains", view.gains),
                           ("Changes", view.other_changes)):
        if lines:
            out.append(f"{heading}:")
            out += [f"  - {line}" for line in lines]
    notes = [n for c in view.result.changes for n in c.notes]
    out += ["", "How:"] + [f"  - {n}" for n in (*notes, *view.notes)]
    return "\n".join(out).rstrip() + "\n"


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
    cmd.add_argument("--scenario", action="append", default=[], type=int, metavar="ID",
                     help="add a slide for this saved what-if scenario (deck and PDF; from the "
                          "store; repeat for more)")
    for name, metavar, text in WHATIF_OPTIONS:
        cmd.add_argument(f"--{name}", action=_Change, metavar=metavar,
                         help=f"what-if slide: {text}")
    cmd.add_argument("--scenario-name", default="", metavar="NAME",
                     help="a name for the what-if slide the change options make")
    cmd.set_defaults(run=run_report, changes=None)
    return cmd


def _report_scenarios(args: argparse.Namespace) -> tuple | int:
    """The scenarios ``report`` adds slides for: the saved ones ``--scenario`` names (from the
    store), then one of the change options given, if any; or the exit code once the problem
    is said."""
    from . import whatif

    found = []
    if args.scenario:
        from .store import ScenarioNotFoundError

        store = _open_store()
        if store is None:
            return 1
        for scenario_id in args.scenario:
            try:
                saved = store.scenario(scenario_id)
                found.append(whatif.Scenario.from_dict({**saved.scenario, "name": saved.name}))
            except (ScenarioNotFoundError, ValueError) as exc:
                _err(str(exc))
                return 2
    if args.changes:
        try:
            found.append(whatif.Scenario(args.scenario_name, tuple(
                whatif.change_from_text(kind, text) for kind, text in args.changes)))
        except ValueError as exc:
            _err(str(exc))
            return 2
    return tuple(found)


def _handout_data(args: argparse.Namespace, formats: dict[str, str],
                  names: str) -> tuple[str, Dataset] | int:
    """For a handout command: the format its ``--out`` extension names (one of ``formats``)
    and the ``--data`` loaded, or the exit code once the problem is said (a wrong extension,
    a missing file or folder: 2; errors in the files: 1)."""
    out = Path(args.out)
    kind = formats.get(out.suffix.lower())
    if kind is None:
        _err(f"cannot tell the format of {out.name!r} from its extension: name the output "
             f"{names}")
        return 2
    missing = [p for p in args.data if not Path(p).is_file()]
    if missing:
        for path in missing:
            _err(f"no such file: {path}")
        return 2
    if not out.parent.is_dir():
        _err(f"no such folder for the output: {out.parent}")
        return 2
    dataset = load_paths(args.data)
    if dataset.errors:
        _err(f"the files have {len(dataset.errors)} error(s); run `python -m valuelib "
             "check` to see them and fix them first.")
        return 1
    return kind, dataset


def run_report(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if args.service and BUILDERS.get(out.suffix.lower()) == "workbook":
        print("note: --service adds slides to a deck or PDF; the workbook has every service.",
              file=sys.stderr)
    if (args.scenario or args.changes) and BUILDERS.get(out.suffix.lower()) == "workbook":
        print("note: scenarios add slides to a deck or PDF; the workbook leaves them out.",
              file=sys.stderr)
    scenarios = _report_scenarios(args)
    if isinstance(scenarios, int):
        return scenarios
    loaded = _handout_data(args, BUILDERS, "NAME.pptx (deck), NAME.xlsx (workbook) or NAME.pdf "
                                           "(PDF)")
    if isinstance(loaded, int):
        return loaded
    kind, dataset = loaded
    started = time.perf_counter()
    try:
        if kind == "workbook":
            data = report.build_workbook(dataset, args.quarter, args.business_unit)
        else:
            build = report.build_deck if kind == "deck" else report.build_pdf
            data = build(dataset, args.quarter, tuple(args.service), args.business_unit,
                         scenarios=scenarios)
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


BILL_FORMATS = {".xlsx": "workbook", ".pdf": "PDF"}


def add_bill_command(subparsers) -> argparse.ArgumentParser:
    """Register ``bill`` on an ``argparse`` subparsers object; returns the new parser."""
    cmd = subparsers.add_parser(
        "bill", help="write a business unit's Bill of IT (.xlsx or .pdf) to hand out",
        description="Write one business unit's Bill of IT for a quarter: each service and "
                    "tier it takes, users, price per user, the charge this quarter and year to "
                    "date, what each tier commits to and how the charges were based. The "
                    "format comes from the --out file's extension.")
    cmd.add_argument("--data", nargs="+", required=True, metavar="FILE",
                     help="workbooks (.xlsx) or CSV files with Offerings (and Subscriptions)")
    cmd.add_argument("--unit", required=True, metavar="UNIT", help="the business unit, e.g. "
                     "Sales")
    cmd.add_argument("--out", required=True, metavar="OUT",
                     help="the file to write: NAME.xlsx or NAME.pdf")
    cmd.add_argument("--quarter", help="e.g. 2026-Q3 (default: the latest complete quarter)")
    cmd.set_defaults(run=run_bill)
    return cmd


def run_bill(args: argparse.Namespace) -> int:
    out = Path(args.out)
    loaded = _handout_data(args, BILL_FORMATS, "NAME.xlsx (workbook) or NAME.pdf (PDF)")
    if isinstance(loaded, int):
        return loaded
    kind, dataset = loaded
    build = report.build_bill_workbook if kind == "workbook" else report.build_bill_pdf
    try:
        data = build(dataset, args.unit, args.quarter)
    except ValueError as exc:  # unknown unit or quarter, or no tiers: the message says which
        _err(str(exc))
        return EXIT_USAGE
    out.write_bytes(data)
    print(f"Wrote {out} (Bill of IT for {args.unit}, {kind}, {len(data) / 1024:,.0f} KB).")
    return 0


EXIT_REFUSED, EXIT_USAGE, EXIT_NEEDS_TICK, EXIT_DECLINED = 1, 2, 3, 4
SECRETS_FILE = Path(".streamlit") / "secrets.toml"


def add_publish_commands(subparsers) -> None:
    """Register publish, history, rollback, verify, purge-files, export and hash-passcode."""
    cmd = subparsers.add_parser(
        "publish", help="publish files for everyone (prints the change summary first)",
        description="Load the files, check the merged result, print what would change, and "
                    "publish it as the new version.")
    cmd.add_argument("files", nargs="+", metavar="FILE")
    cmd.add_argument("--editor", required=True, help="who publishes (the audit trail)")
    cmd.add_argument("--note", default="", help="a note for this version, e.g. 2026-Q3 actuals")
    cmd.add_argument("--yes", action="store_true", help="do not ask before publishing")
    cmd.add_argument("--replace-reference", action="store_true",
                     help="confirm changes that need a tick: reference rows removed (offers, "
                          "blocks, rules …) or a total moving by more than 50 %%")
    cmd.add_argument("--keep-ignored-columns", action="store_true",
                     help="keep the uploaded files whole (by default the columns the "
                          "dashboard ignores, such as callers' e-mail addresses, are dropped "
                          "before the files are stored)")
    cmd.set_defaults(run=run_publish)

    cmd = subparsers.add_parser("history", help="list every published version")
    cmd.add_argument("--json", action="store_true", help="machine-readable output")
    cmd.set_defaults(run=run_history)

    cmd = subparsers.add_parser("rollback", help="publish an earlier version again")
    cmd.add_argument("version", type=int, metavar="VERSION")
    cmd.add_argument("--editor", required=True)
    cmd.add_argument("--yes", action="store_true", help="do not ask first")
    cmd.set_defaults(run=run_rollback)

    cmd = subparsers.add_parser("verify", help="check every stored version loads")
    cmd.set_defaults(run=run_verify)

    cmd = subparsers.add_parser("purge-files", help="delete a version's raw uploaded files")
    cmd.add_argument("version", type=int, metavar="VERSION")
    cmd.add_argument("--editor", required=True)
    cmd.add_argument("--yes", action="store_true", help="do not ask first")
    cmd.set_defaults(run=run_purge)

    cmd = subparsers.add_parser("export", help="a version's data as one workbook")
    cmd.add_argument("version", type=int, metavar="VERSION")
    cmd.add_argument("--out", required=True, metavar="FILE.xlsx")
    cmd.set_defaults(run=run_export)

    cmd = subparsers.add_parser("hash-passcode",
                                help="print a passcode hash for VALUELIB_EDITORS")
    cmd.add_argument("--stdin", action="store_true",
                     help="read the passcode from standard input instead of prompting")
    cmd.set_defaults(run=run_hash)


# --------------------------------------------------------------------------------------------
# Shared steps


def _err(message: str) -> None:
    print(f"error: {message}", file=sys.stderr)


def _secrets() -> dict:
    """``.streamlit/secrets.toml`` of the working directory (the app's), when present."""
    try:
        with SECRETS_FILE.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _sign_in(name: str, ask: Callable[[str], str] = getpass.getpass) -> str | None:
    """The editor's name for the audit trail, or None (after saying why) when the passcode
    is not right or publishing is switched off."""
    import os

    from .store import PASSCODE_ENV, configured_passcode

    secrets = _secrets()
    try:
        configured = editors.configured_editors(secrets)
    except ValueError as exc:
        _err(str(exc))
        return None
    shared = configured_passcode(secrets)
    if not configured and not shared:
        _err(editors.OFF_MESSAGE)
        return None
    given = os.environ.get(PASSCODE_ENV) or ""
    if not given:
        try:
            given = ask(f"Editor passcode for {name}: ")
        except (EOFError, KeyboardInterrupt):
            given = ""
    result = editors.check_editor(name, given, editors=configured, shared=shared)
    if not result.ok:
        _err(result.message)
        return None
    return result.editor


def _confirm(question: str) -> bool:
    print(f"{question} [y/N] ", end="", flush=True)
    answer = sys.stdin.readline()
    return answer.strip().casefold() in ("y", "yes")


def _open_store():
    from .store import Store, StoreVersionError

    try:
        return Store.from_env()
    except StoreVersionError as exc:
        _err(str(exc))
        return None


def _print_findings(findings) -> None:
    frame = findings_frame(findings)
    if frame.empty:
        return
    for row in frame.itertuples(index=False):
        where = ", ".join(str(part) for part in (
            Path(row.file).name if row.file else "", row.sheet,
            f"row {row.row}" if row.row is not None and str(row.row) != "<NA>" else "",
            row.column) if part)
        print(f"  {row.severity:<7} {row.code:<22} {where}: {row.message} {row.fix}")


# --------------------------------------------------------------------------------------------
# Commands


def run_publish(args: argparse.Namespace) -> int:
    from .datafiles import strip_ignored_columns
    from .ingest import load
    from .publishing import plan_for_store, publish

    missing = [p for p in args.files if not Path(p).is_file()]
    for path in missing:
        _err(f"no such file: {path}")
    if missing:
        return EXIT_USAGE

    def work(store, editor: str) -> int:
        files = [(Path(p).name, Path(p).read_bytes()) for p in args.files]
        incoming = load(files)
        for source in incoming.sources:
            loaded = ", ".join(f"{key} {rows:,}" for key, rows in source.tables.items())
            print(f"{source.name}: {loaded or 'nothing loaded'}")
        plan = plan_for_store(store, incoming)
        if plan.findings:
            print(f"\nFindings on the merged data ({len(plan.errors)} error(s), "
                  f"{len(plan.warnings)} warning(s)):")
            _print_findings(plan.findings)
        if plan.errors:
            _err(f"{len(plan.errors)} error(s) block publishing; nothing was published.")
            return EXIT_REFUSED
        base = f"version {plan.base_version}" if plan.base_version else "nothing published yet"
        print(f"\nWhat changes (against {base}):")
        for line in plan.changes.lines():
            print(f"  - {line}")
        if plan.blocking_reason:
            _err(f"Not published. {plan.blocking_reason}")
            return EXIT_REFUSED
        if plan.confirmations and not args.replace_reference:
            print("\nThese changes need an explicit confirmation:")
            for reason in plan.confirmations:
                print(f"  - {reason}")
            _err("nothing was published; run again with --replace-reference to confirm them.")
            return EXIT_NEEDS_TICK
        if not args.keep_ignored_columns:
            files = [(name, strip_ignored_columns(name, data, incoming)) for name, data in files]
        if not args.yes and not _confirm(f"\nPublish this for everyone as {editor}?"):
            print("Not published.")
            return EXIT_DECLINED
        info = publish(store, plan, files, editor, args.note, confirmed=args.replace_reference)
        print(f"Published {info.label}. Everyone with the link now sees it.")
        return 0

    return _with_store(work, editor=args.editor)


def _version_json(info) -> dict:
    return {
        "id": info.id, "published_at": info.published_at.isoformat(), "editor": info.editor,
        "note": info.note, "quarters": list(info.quarters), "rows": dict(info.row_counts),
        "warnings": info.warning_count, "rolled_back_from": info.rolled_back_from,
        "files": [{"name": f.name, "sha256": f.sha256, "size": f.size, "purged": f.purged,
                   "purged_by": f.purged_by,
                   "purged_at": f.purged_at.isoformat() if f.purged_at else None}
                  for f in info.files],
    }


def run_history(args: argparse.Namespace) -> int:
    def work(store) -> int:
        versions = store.versions()
        if args.json:
            print(json.dumps([_version_json(v) for v in versions], indent=2))
            return 0
        if not versions:
            print(f"Nothing has been published yet in {store.url}.")
            return 0
        for info in versions:
            quarters = ", ".join(info.quarters) or "no quarters"
            print(f"{info.label} · {info.note or '(no note)'} · {quarters}")
            for f in info.files:
                state = (f"purged {f.purged_at:%Y-%m-%d %H:%M} UTC by {f.purged_by}"
                         if f.purged else f"{f.size:,} bytes")
                print(f"    {f.name} ({state})")
        return 0

    return _with_store(work)


def _with_store(work: Callable, *, editor: str | None = None) -> int:
    """Sign in (when ``editor`` is given), open the store and run ``work(store[, editor])``;
    the store's refusals become a message and an exit code."""
    from .publishing import PublishRefused
    from .store import (
        DamagedVersionError,
        StaleBaseError,
        StoreMovedError,
        VersionNotFoundError,
    )

    if editor is not None:
        editor = _sign_in(editor)
        if editor is None:
            return EXIT_USAGE
    store = _open_store()
    if store is None:
        return EXIT_REFUSED
    with store:
        try:
            return work(store) if editor is None else work(store, editor)
        except VersionNotFoundError as exc:
            _err(str(exc))
            return EXIT_USAGE
        except (DamagedVersionError, StoreMovedError, StaleBaseError, PublishRefused) as exc:
            _err(str(exc))
            return EXIT_REFUSED


def run_rollback(args: argparse.Namespace) -> int:
    def work(store, editor: str) -> int:
        target = store.version(args.version)
        latest = store.latest()
        print(f"Roll back to {target.label}: its data becomes the new latest version "
              "(history is kept).")
        if not args.yes and not _confirm("Roll back?"):
            print("Not rolled back.")
            return EXIT_DECLINED
        # a version published while the question was open is never undone silently
        info = store.rollback(args.version, editor, base_version=latest.id if latest else None)
        print(f"Published {info.label} (the data of version {args.version}).")
        return 0

    return _with_store(work, editor=args.editor)


def run_verify(args: argparse.Namespace) -> int:
    def work(store) -> int:
        checks = store.verify()
        if not checks:
            print("Nothing has been published yet.")
            return 0
        for check in checks:
            print(check.line)
        damaged = [c.id for c in checks if not c.ok]
        if not damaged:
            print(f"All {len(checks)} version(s) load.")
            return 0
        good = next((c.id for c in checks if c.ok), None)
        advice = (f" Roll back to version {good}: python -m valuelib rollback {good} "
                  "--editor NAME." if good else " Restore a backup (docs/store.md).")
        print(f"{len(damaged)} of {len(checks)} version(s) damaged.{advice}")
        return EXIT_REFUSED

    return _with_store(work)


def run_purge(args: argparse.Namespace) -> int:
    def work(store, editor: str) -> int:
        target = store.version(args.version)
        names = ", ".join(f.name for f in target.files if not f.purged)
        if not names:
            print(f"Version {args.version} keeps no raw files.")
            return 0
        if not args.yes and not _confirm(f"Delete {names} of version {args.version} for good "
                                         "(its data stays)?"):
            print("Nothing purged.")
            return EXIT_DECLINED
        store.purge_files(args.version, editor)
        print(f"Purged the raw files of version {args.version} ({names}); recorded as purged "
              f"by {editor}.")
        return 0

    return _with_store(work, editor=args.editor)


def run_export(args: argparse.Namespace) -> int:
    from .datafiles import dataset_workbook

    out = Path(args.out)
    if not out.parent.is_dir():
        _err(f"no such folder for the output: {out.parent}")
        return EXIT_USAGE

    def work(store) -> int:
        out.write_bytes(dataset_workbook(store.load(args.version)))
        print(f"Wrote {out}: the data of version {args.version} in the template's shape.")
        return 0

    return _with_store(work)


def run_hash(args: argparse.Namespace) -> int:
    if args.stdin:
        passcode = sys.stdin.readline().rstrip("\r\n")
    else:
        passcode = getpass.getpass("New passcode: ")
        if passcode != getpass.getpass("Again: "):
            _err("the two passcodes differ; nothing printed.")
            return EXIT_USAGE
    if len(passcode) < 8:
        _err("use at least 8 characters.")
        return EXIT_USAGE
    print(editors.hash_passcode(passcode))
    return 0


def main_exit() -> None:
    """The ``valuelib`` console script (``[project.scripts]``): :func:`main`'s exit code."""
    sys.exit(main())
