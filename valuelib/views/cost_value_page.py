"""The cost-vs-value page's view model."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from .. import charts, portfolio
from ..model import Dataset
from ..present.facts import Facts
from ..present.formatting import fmt_count, fmt_list, fmt_number
from ..present.tables import Table, table
from ..present.words import text_or_missing, value_source_words


@dataclass(frozen=True, eq=False)
class CostValueView:
    """The cost-vs-value quadrants. ``table``: Service, Quadrant, What it suggests, Value
    score, Cost per user per month, Value from (the survey or ticket satisfaction, and the quarter
    the score comes from); services that
    cannot be placed are listed last with the reason. ``sentence``: the medians used."""

    quarter: str | None
    quarter_label: str
    currency: str
    business_unit: str | None
    chart: go.Figure
    table: Table
    sentence: str
    notes: tuple[str, ...]


# ---- cost vs value ---------------------------------------------------------------------------

VALUE_COLUMNS = ["Service", "Quadrant", "What it suggests", "Value score",
                 "Cost per user per month", "Value from"]
VALUE_MEASURES = {"Value score": "value_score", "Cost per user per month": "cost_per_user_month"}


def cost_value(dataset: Dataset, quarter: str | None = None, business_unit: str | None = None,
               size_by: str = "users") -> CostValueView:
    """The quadrant chart and table. Bubbles are sized by users (``size_by="users"``) or total
    cost (``"cost"``); for a unit, its users or its share of the cost, and only the services it
    uses. Quadrants are split at the medians over every service, whatever the unit."""
    return _cost_value(Facts(dataset, quarter, business_unit), size_by)


def _medians_sentence(f: Facts, placed: pd.DataFrame) -> str:
    if placed.empty:
        return (f"No service has both a cost per user and a value score in {f.quarter_label}, "
                "so none can be placed.")
    cost_median = placed["cost_median"].dropna().iloc[0]
    value_median = placed["value_median"].dropna().iloc[0]
    return (f"The quadrants split at the medians of the {fmt_count(len(placed), 'service')} "
            f"placed in {f.quarter_label}: a value score of {fmt_number(value_median, 1)} out "
            f"of 100 and {f.per_user(cost_median)} per user per month. A score at or above the "
            "median counts as high value; a cost above the median counts as high cost.")


def _value_title(f: Facts, placed: pd.DataFrame) -> str:
    counts = placed["quadrant"].value_counts()
    invest = counts.get(portfolio.Quadrant.INVEST, 0)
    replace = counts.get(portfolio.Quadrant.REPLACE, 0)
    if placed.empty:
        return f"Cost vs value, {f.quarter_label}"
    invest_verb = "is" if invest == 1 else "are"
    replace_verb = "is a candidate" if replace == 1 else "are candidates"
    return (f"{fmt_count(invest, 'service')} {invest_verb} worth investing in; "
            f"{fmt_count(replace, 'service')} {replace_verb} to replace or retire")


def _value_chart(f: Facts, size_by: str, presentation: bool = False) -> go.Figure:
    placed = f.cost_value[f.cost_value["quadrant"].notna()]
    sized = "users" if size_by == "users" else "total cost"
    return charts.cost_vs_value(
        f.cost_value, f.currency, size_by=size_by, title=_value_title(f, placed),
        subtitle=f"{f.quarter_label} · bubble size: {sized}"
                 + (f" of {f.unit}" if f.unit else ""),
        presentation=presentation)


def _cost_value(f: Facts, size_by: str) -> CostValueView:
    frame = f.cost_value
    placed = frame[frame["quadrant"].notna()]
    order = {q: i for i, q in enumerate(portfolio.Quadrant)}
    ranked = frame.assign(_q=frame["quadrant"].map(order).fillna(len(order))).sort_values(
        ["_q", "value_score"], ascending=[True, False]) if len(frame) else frame
    rows = [{
        "Service": r.service,
        "Quadrant": r.quadrant if isinstance(r.quadrant, str) else f"not placed: {r.status}",
        "What it suggests": text_or_missing(r.suggestion),
        "Value score": r.value_score,
        "Cost per user per month": r.cost_per_user_month,
        "Value from": value_source_words(r.value_source, f.label(r.value_quarter)
                                         if isinstance(r.value_quarter, str) else None),
    } for r in ranked.itertuples(index=False)]
    notes = []
    carried = placed[placed["value_quarter"].ne(f.quarter).to_numpy(dtype=bool,
                                                                    na_value=False)]
    if len(carried):
        notes.append(f"{fmt_list(carried['service'])}: no score in {f.quarter_label}; the "
                     "latest earlier score is used.")
    from_tickets = placed[placed["value_source"].eq(portfolio.ValueSource.TICKETS).to_numpy(
        dtype=bool, na_value=False)]
    if len(from_tickets):
        notes.append(f"{fmt_list(from_tickets['service'])}: no value survey yet; the value "
                     "score is the mean satisfaction rating of the service's tickets (0–100).")
    if f.unit is not None:
        notes.append(f"Only the services {f.unit} uses; the quadrants are split at the medians "
                     "over every service.")
    return CostValueView(
        quarter=f.quarter, quarter_label=f.shown_quarter, currency=f.currency,
        business_unit=f.unit, chart=_value_chart(f, size_by),
        table=table(rows, VALUE_COLUMNS, VALUE_MEASURES, f.currency),
        sentence=_medians_sentence(f, placed),
        notes=tuple(notes))
