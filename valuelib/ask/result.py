"""What a question gets back: the sentence, the key figures, the table and chart behind them."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd

from ..present.tables import Table


@dataclass(frozen=True)
class KeyFigure:
    """One number of an answer, as the analytics computed it.

    ``value`` is the raw float (a percent is 0-100), ``unit`` says what it counts (``"USD per
    user per month"``, ``"USD"``, ``"%"``, ``"hours"``, ``"days"``, ``"tickets"`` …),
    ``formatted`` is how the sentence shows it."""

    value: float
    unit: str
    quarter: str | None = None
    service: str | None = None
    label: str = ""
    formatted: str = ""

    def as_dict(self) -> dict:
        value = None if self.value is None or math.isnan(self.value) else float(self.value)
        return {"value": value, "unit": self.unit, "label": self.label,
                "formatted": self.formatted, "quarter": self.quarter, "service": self.service}


@dataclass(frozen=True, eq=False)
class Answer:
    """The answer to one question.

    - ``sentence``: the answer in words, with the number(s) in it;
    - ``figures``: the key numbers, the main one first;
    - ``table``: the rows behind the answer, with display column names (or None);
    - ``chart``: a plotly figure of the same data (or None);
    - ``intent``: what kind of question it was taken to be (``cost_per_user``, ``market`` …;
      ``unknown`` when nothing was recognised);
    - ``understood``: False when the question could not be answered as asked (not
      understood, ambiguous, or about something the data does not hold); then ``figures``
      is empty and ``suggestions`` holds three questions that can be answered;
    - ``how``: how it was computed: the analytics function, the quarter and rows used, and
      how the question was read (corrected words, assumed quarter);
    - ``suggestions``: questions to ask next (or instead), ready to show as buttons;
    - ``measures``: the registry measure of each numeric or date column of ``table``
      (:meth:`shown_table` writes them as every surface does), in ``currency``;
    - ``plan_link``: for a what-if, the Plan page's query parameters that open the same
      scenario there (unsaved), as ``(key, value)`` pairs."""

    question: str
    sentence: str
    intent: str
    understood: bool
    figures: tuple[KeyFigure, ...] = ()
    table: pd.DataFrame | None = field(default=None, repr=False)
    chart: object | None = field(default=None, repr=False)
    how: str = ""
    suggestions: tuple[str, ...] = ()
    measures: Mapping[str, str] = field(default_factory=dict, repr=False)
    currency: str = "USD"
    plan_link: tuple[tuple[str, str], ...] = ()  # a what-if: the Plan page's query for it

    @property
    def figure(self) -> KeyFigure | None:
        """The main figure, or None."""
        return self.figures[0] if self.figures else None

    def shown_table(self) -> Table | None:
        """The table as a :class:`~valuelib.present.tables.Table`: its numbers written by the
        measure registry on the page, in the CLI and in handouts alike."""
        if self.table is None:
            return None
        measures = {c: k for c, k in self.measures.items() if c in self.table.columns}
        return Table(self.table, measures, self.currency)

    def as_dict(self) -> dict:
        """JSON-safe: the table as records (NaN -> None), the chart by its title only."""
        return {
            "question": self.question,
            "sentence": self.sentence,
            "intent": self.intent,
            "understood": self.understood,
            "figures": [f.as_dict() for f in self.figures],
            "table": _records(self.table),
            "chart": _chart_title(self.chart),
            "how": self.how,
            "suggestions": list(self.suggestions),
            **({"plan_link": "plan?" + urlencode(self.plan_link)} if self.plan_link else {}),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), indent=indent, ensure_ascii=False)


def _records(frame: pd.DataFrame | None) -> list[dict] | None:
    if frame is None:
        return None
    f = frame.copy()
    for column in f.columns:
        if pd.api.types.is_datetime64_any_dtype(f[column]):
            f[column] = f[column].dt.strftime("%Y-%m-%d")
    return json.loads(f.to_json(orient="records", double_precision=10, force_ascii=False))


def _chart_title(chart) -> str | None:
    if chart is None:
        return None
    title = getattr(getattr(chart, "layout", None), "title", None)
    text = getattr(title, "text", None)
    return text or ""
