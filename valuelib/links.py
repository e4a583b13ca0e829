"""A shared link's view parameters, checked against the data before anything uses them.

Anyone can craft a link, so ``?quarter=``, ``?bu=``, ``?unit=`` (the Chargeback page's
statement), ``?service=``, ``?step=`` and ``?present=`` are taken only when they name
something the data has (or a small number); anything else is dropped with a plain note
saying what the link asked for and what is shown instead. The note quotes the link's value
as plain text (shortened), for the shell to escape; ``?q=`` is free text, bounded here and
always shown as text.

The Plan page's links (:func:`plan_link`): ``?scenario=ID`` opens a saved scenario;
``?move=SERVICE=OFFER``, ``?tier=``, ``?users=``, ``?headcount=``, ``?block=``, ``?retire=``
(as the command line writes them, repeatable) open a scenario written out in the link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from . import whatif
from .safe_text import plain

QUARTER, UNIT, SERVICE, STEP, PRESENT, QUESTION = "quarter", "bu", "service", "step", "present", "q"
STATEMENT_UNIT = "unit"  # the business unit whose Bill of IT the Chargeback page shows
PRESENT_VALUES = {"1": True, "true": True, "0": False, "false": False}
MAX_STEP = 99
MAX_QUESTION_CHARS = 300  # a question, not a document
QUOTE_CHARS = 40  # how much of a bad value a note repeats


@dataclass(frozen=True)
class LinkCheck:
    """What to keep of a link's parameters. ``drop``: parameters to remove from the URL (they
    named nothing in the data); ``values``: the cleaned value of each parameter kept (step and
    present as int / bool, the question bounded); ``notes``: one plain sentence per dropped
    parameter."""

    values: dict
    drop: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def quote(value: str, limit: int = QUOTE_CHARS) -> str:
    """A link's value for a note: invisible characters removed, one line, at most ``limit``
    characters (an ellipsis says it was cut)."""
    text = " ".join(plain(value).split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def check_link(params: Mapping[str, str], *, quarters: Sequence[str],
               units: Sequence[str], services: Sequence[str], shown_quarter: str | None = None,
               quarter_names: Mapping[str, str] | None = None,
               all_units: str = "All business units") -> LinkCheck:
    """Check a link's ``params`` against the data's ``quarters``, business ``units`` and
    ``services``. ``shown_quarter`` is what is shown when the link's quarter is dropped (the
    note names it, as ``quarter_names`` labels it)."""
    values: dict = {}
    drop: list[str] = []
    notes: list[str] = []
    names = quarter_names or {}

    def refuse(key: str, what: str, instead: str) -> None:
        drop.append(key)
        notes.append(f"The link asked for {what} '{quote(params[key])}', which is not in this "
                     f"data; showing {instead}.")

    if QUARTER in params:
        if params[QUARTER] in quarters:
            values[QUARTER] = params[QUARTER]
        else:
            shown = names.get(shown_quarter, shown_quarter) if shown_quarter else None
            refuse(QUARTER, "quarter", shown or "the latest quarter")
    if UNIT in params:
        if params[UNIT] in units or params[UNIT] == all_units:
            values[UNIT] = params[UNIT]
        else:
            refuse(UNIT, "business unit", "all business units")
    if STATEMENT_UNIT in params:
        if params[STATEMENT_UNIT] in units:
            values[STATEMENT_UNIT] = params[STATEMENT_UNIT]
        else:
            refuse(STATEMENT_UNIT, "a statement for business unit",
                   "another unit's: pick yours in the list" if units else "no statement")
    if SERVICE in params:
        if params[SERVICE] in services:
            values[SERVICE] = params[SERVICE]
        else:
            refuse(SERVICE, "service", "the first service" if services else "no service")
    if STEP in params:
        step = params[STEP]
        if step.isascii() and step.isdigit() and 1 <= int(step) <= MAX_STEP:
            values[STEP] = int(step)
        else:
            drop.append(STEP)
            notes.append(f"The link asked for step '{quote(step)}', which is not a step of "
                         "the presentation; showing the first.")
    if PRESENT in params:
        present = PRESENT_VALUES.get(params[PRESENT].strip().lower())
        if present is None:
            drop.append(PRESENT)
        else:
            values[PRESENT] = present
    if QUESTION in params:
        question = " ".join(plain(params[QUESTION]).split())
        values[QUESTION] = question[:MAX_QUESTION_CHARS]
    return LinkCheck(values, tuple(drop), tuple(notes))


def page_url(page: str, params: Mapping[str, str] | None = None) -> str:
    """A page's link as the app names it: its url path and query, ``services?service=CRM&
    quarter=2026-Q3`` (relative, so it works wherever the app is served)."""
    query = urlencode({k: v for k, v in (params or {}).items() if v})
    return f"{page}?{query}" if query else page
# ---- the Plan page's scenario links ---------------------------------------------------------

SCENARIO = "scenario"  # ?scenario=ID: a saved scenario
SCENARIO_NAME = "name"  # ?name=...: an unsaved scenario's name
CHANGE_KEYS = tuple(whatif.ChangeKind)  # ?move=SERVICE=OFFER&users=SERVICE=N …, as the CLI
MAX_SCENARIO_ID = 2**31 - 1


@dataclass(frozen=True)
class PlanLink:
    """What a Plan link asks for: a saved scenario's id, or a scenario written out in the
    link (its changes as the command line writes them); ``notes``: one plain sentence per
    part that could not be read (dropped)."""

    scenario_id: int | None = None
    scenario: whatif.Scenario | None = None
    notes: tuple[str, ...] = ()


def plan_link(params: Mapping[str, Sequence[str]]) -> PlanLink:
    """Read a Plan link's parameters (each key → all its values, in order)."""
    notes: list[str] = []
    scenario_id = None
    raw_id = (params.get(SCENARIO) or [None])[-1]
    if raw_id is not None:
        text = raw_id.strip()
        if text.isascii() and text.isdigit() and 0 < int(text) <= MAX_SCENARIO_ID:
            scenario_id = int(text)
        else:
            notes.append(f"The link asked for scenario '{quote(raw_id)}', which is not a "
                         "scenario number; showing a new scenario.")
    changes = []
    for key in CHANGE_KEYS:
        for value in params.get(key) or ():
            if len(changes) == whatif.MAX_CHANGES:
                notes.append(f"The link holds more than {whatif.MAX_CHANGES} changes; the rest "
                             "were left out.")
                break
            try:
                changes.append(whatif.change_from_text(key, plain(value)))
            except ValueError as exc:
                notes.append(f"The link's change '{quote(value)}' could not be read: "
                             f"{quote(str(exc), 120)}")
    scenario = None
    if changes:
        name = " ".join(plain((params.get(SCENARIO_NAME) or [""])[-1]).split())
        scenario = whatif.Scenario(name[:MAX_QUESTION_CHARS], tuple(changes))
    return PlanLink(scenario_id, scenario, tuple(notes))


def plan_query(scenario: whatif.Scenario) -> list[tuple[str, str]]:
    """A scenario as a Plan link's parameters (:func:`plan_link` reads them back; a
    scenario's changes are grouped by kind in the link, in order within each kind)."""
    pairs = [whatif.change_to_text(c) for c in scenario.changes]
    ordered = sorted(pairs, key=lambda pair: CHANGE_KEYS.index(pair[0]))
    return ([(SCENARIO_NAME, scenario.name)] if scenario.name else []) + ordered
