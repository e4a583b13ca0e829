"""The presentation layer: one source for every figure's value, label, format and sentence.

- :class:`Facts`: the one memo of analytic frames for a dataset, quarter and business unit;
  every view, answer and handout of one scope reads its figures from one ``Facts``;
- :data:`MEASURES` / :func:`fmt_measure`: each measure once — key, label, unit, definition —
  and how it is written everywhere;
- the formatter (:mod:`.formatting`) and the shared words (:mod:`.words`; the executive
  summary's and a cost explanation's in :mod:`.summary_text`).

Pages, answers, exports and the command line read from here; the analytics below it return
numbers, never words.
"""

from .facts import (
    NO_COST_DATA,
    NO_DATA,
    NO_SUPPORT_DATA,
    THIS_DATA,
    DeltaColor,
    Facts,
    Headline,
    business_unit_options,
    quarter_options,
    resolve_quarter,
    service_options,
)
from .formatting import (
    MINUS,
    MISSING,
    fmt_change,
    fmt_count,
    fmt_date,
    fmt_hours,
    fmt_list,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
    is_missing,
)
from .measures import MEASURES, Measure, Unit, fmt_measure, measure
from .summary_text import explanation_text, summary_json, summary_notes, summary_text
from .tables import Table, table

__all__ = [
    "MEASURES", "MINUS", "MISSING", "NO_COST_DATA", "NO_DATA", "NO_SUPPORT_DATA", "THIS_DATA",
    "DeltaColor", "Facts", "Headline", "Measure", "Table", "Unit", "business_unit_options",
    "explanation_text", "fmt_change", "fmt_count", "fmt_date", "fmt_hours", "fmt_list",
    "fmt_measure", "fmt_money",
    "fmt_number", "fmt_percent", "fmt_points", "is_missing", "measure", "quarter_options",
    "resolve_quarter", "service_options", "summary_json", "summary_notes", "summary_text",
    "table",
]
