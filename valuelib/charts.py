"""Plotly figures built from the analytics tables: one function per chart, one look.

The app and the exports (deck, PDF) share these figures, so each must read well on a screen
and as a 1280×720 PNG: body text at least 14 px, titles at least 20 px, and with
``presentation=True`` larger still for screen-sharing. Colours come from the Okabe-Ito
palette, which stays distinguishable with the common colour-vision deficiencies, and a work
class (reactive, proactive, routine, unclassified) always has the same colour
(:data:`CLASS_COLORS`).

Every function takes the frame an analytics function returns (its docstring names which),
an optional message ``title`` (a full sentence such as "Email costs $12.58 per user per
month, 16% below the $15 offer"; a descriptive title is used otherwise), and never mutates
the frame. An empty frame gives the same chart, titled, with a "No data" note.

Text from data is text: plotly reads ``<a href>``, ``<b>``, ``<br>`` and ``<span style>`` in
every title, tick, hover, legend and annotation, so each name from the data (services,
offers, units, pools, blocks, the currency) and every title passes through
:func:`valuelib.safe_text.html` here, once; the ``<br>`` and ``<b>`` the charts add go around
escaped text. Callers pass plain text.
"""

from __future__ import annotations

import html as html_entities
import re
import textwrap
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .chargeback import RecoveryStatus
from .parse import quarter_label
from .portfolio import Quadrant
from .present.formatting import (
    CURRENCY_SYMBOLS,
    fmt_count,
    fmt_date,
    fmt_hours,
    fmt_money,
    fmt_percent,
)
from .present.measures import fmt_measure, measure
from .safe_text import html
from .schema import BLOCK_WARN_PERCENT, TBM_COST_POOLS, WorkClass

# ---- palette ---------------------------------------------------------------------------------

# Okabe & Ito (2008), "Color Universal Design": safe for protan, deutan and tritan vision.
BLACK = "#000000"
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"
GREY = "#8C8C8C"
LIGHT_GREY = "#BFBFBF"
INK = "#222222"  # text
GRID = "#E6E6E6"

OKABE_ITO = (BLUE, ORANGE, BLUISH_GREEN, VERMILLION, SKY_BLUE, REDDISH_PURPLE, YELLOW, BLACK)

# One colour per work class, on every chart: reactive is the warm "firefighting" colour,
# proactive the green the dashboard hopes to see grow.
CLASS_COLORS: dict[str, str] = {
    WorkClass.REACTIVE: VERMILLION,
    WorkClass.PROACTIVE: BLUISH_GREEN,
    WorkClass.ROUTINE: SKY_BLUE,
    WorkClass.UNCLASSIFIED: LIGHT_GREY,
}

QUADRANT_COLORS: dict[str, str] = {
    Quadrant.INVEST: BLUISH_GREEN,
    Quadrant.OPTIMIZE: BLUE,
    Quadrant.TOLERATE: ORANGE,
    Quadrant.REPLACE: VERMILLION,
}

POOL_COLORS: dict[str, str] = dict(zip(TBM_COST_POOLS, (
    BLUE, SKY_BLUE, REDDISH_PURPLE, ORANGE, BLUISH_GREEN, YELLOW, VERMILLION, GREY, BLACK),
    strict=True))

IN_HOUSE_COLOR = BLUE
EXCLUDED_COLOR = "#A6CDE8"  # a light tint of BLUE: the same bar, the part left out
OFFER_COLOR = ORANGE
HIGHLIGHT_COLOR = ORANGE

FONT_FAMILY = "Arial, 'Liberation Sans', Helvetica, sans-serif"

# A light template of our own: plotly's "plotly_white" costs ~10 ms a figure to apply, and
# apply_layout sets the rest explicitly anyway.
HOUSE_TEMPLATE = go.layout.Template(layout={
    "plot_bgcolor": "white", "paper_bgcolor": "white", "colorway": list(OKABE_ITO),
    "font": {"family": FONT_FAMILY, "color": INK},
    "xaxis": {"gridcolor": GRID, "zerolinecolor": LIGHT_GREY, "linecolor": LIGHT_GREY},
    "yaxis": {"gridcolor": GRID, "zerolinecolor": LIGHT_GREY, "linecolor": LIGHT_GREY},
})


# ---- shared layout ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ChartSize:
    """Type and mark sizes in px. ``title_chars``: a title wraps at about this many characters,
    so a long message title stays inside a 1280 px wide image."""

    font: int
    title: int
    annotation: int
    line: int
    marker: int
    title_chars: int
    height: int


SCREEN = ChartSize(font=15, title=22, annotation=14, line=3, marker=9, title_chars=90,
                   height=520)
PRESENTATION = ChartSize(font=20, title=30, annotation=18, line=4, marker=13, title_chars=64,
                         height=720)


def chart_size(presentation: bool = False) -> ChartSize:
    return PRESENTATION if presentation else SCREEN


def apply_layout(fig: go.Figure, *, title: str, x_title: str, y_title: str,
                 subtitle: str | None = None, legend: str | None = "top",
                 presentation: bool = False) -> go.Figure:
    """The house style: white background, left-aligned wrapped title, labelled axes, a legend
    above the plot (``legend="top"``), at its right (``"right"``) or none (``None``)."""
    size = chart_size(presentation)
    lines = [html(line) for line in textwrap.wrap(title, width=size.title_chars)] or [""]
    line_px = size.title * 1.3
    top = 14 + len(lines) * line_px
    if subtitle:
        top += size.font * 2.0
    if legend == "top":
        top += size.font * 2.4
    title_spec = {
        "text": "<br>".join(lines), "x": 0.0, "xref": "container", "xanchor": "left",
        # plotly anchors a multi-line title by its middle lines: without half a line more
        # per extra line, the first line is cut off at the top of the image
        "y": 1.0, "yref": "container", "yanchor": "top",
        "pad": {"t": 14 + (len(lines) - 1) * line_px / 2, "l": 16},
        "font": {"size": size.title, "color": INK},
    }
    if subtitle:
        title_spec["subtitle"] = {"text": html(subtitle),
                                  "font": {"size": size.font, "color": "#555555"}}
    legend_spec = {
        "top": {"orientation": "h", "x": 0.0, "xanchor": "left", "y": 1.0,
                "yanchor": "bottom", "traceorder": "normal"},
        "right": {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 1.0,
                  "yanchor": "top", "traceorder": "normal"},
    }.get(legend or "", {})
    fig.update_layout(
        template=HOUSE_TEMPLATE,
        font={"family": FONT_FAMILY, "size": size.font, "color": INK},
        title=title_spec,
        showlegend=legend is not None,
        legend={**legend_spec, "font": {"size": size.font}, "title": {"text": ""}},
        margin={"t": int(top), "l": 16, "r": 24, "b": 16},
        height=size.height,
        hoverlabel={"font": {"size": size.font}},
        # the plain words, for the page to write as text above the chart (HTML wraps at any
        # width, a plotly title does not) and for the chart's text alternative
        # (escaped like every text in a figure: plotly can read meta into hover text)
        meta={"title": html(title), "subtitle": html(subtitle or "")},
    )
    axis = {"title": {"font": {"size": size.font}, "standoff": 12},
            "tickfont": {"size": size.font},
            "automargin": True, "gridcolor": GRID, "zerolinecolor": LIGHT_GREY,
            "linecolor": LIGHT_GREY, "showline": True}
    fig.update_xaxes(**axis, title_text=html(x_title))
    fig.update_yaxes(**axis, title_text=html(y_title))
    return fig


def _no_data(fig: go.Figure, presentation: bool, message: str = "No data for this chart"
             ) -> go.Figure:
    """A centred note on an otherwise empty chart, so a gap in the data reads as a gap."""
    size = chart_size(presentation)
    fig.add_annotation(text=message, x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font={"size": size.font + 2, "color": GREY})
    fig.update_xaxes(showticklabels=False, showgrid=False)
    fig.update_yaxes(showticklabels=False, showgrid=False)
    return fig


def untitled(fig: go.Figure) -> go.Figure:
    """A copy of a chart without its own title and subtitle, the top margin keeping only the
    legend: for a page or slide that writes the title as text above it."""
    fig = go.Figure(fig)
    font = fig.layout.font.size or 20
    legend_on_top = (fig.layout.showlegend is not False and fig.layout.legend.orientation == "h"
                     and fig.layout.legend.yanchor == "bottom")
    top = 14 + (font * 2.4 if legend_on_top else 10)
    fig.update_layout(title={"text": "", "subtitle": {"text": ""}}, margin={"t": int(top)})
    return fig


def words(fig: go.Figure) -> tuple[str, str]:
    """A chart's title and subtitle as plain text (what :func:`apply_layout` was given)."""
    meta = fig.layout.meta if isinstance(fig.layout.meta, dict) else {}
    return (html_entities.unescape(str(meta.get("title") or "")),
            html_entities.unescape(str(meta.get("subtitle") or "")))


def figure_table(fig: go.Figure) -> pd.DataFrame:
    """The numbers a chart draws, one row per mark: its series, category and value (a heat
    map's cells as row × column): the chart's data table, its text alternative."""
    rows = []
    for trace in fig.data:
        name = plain(trace.name or "")
        if trace.type == "heatmap" and trace.z is not None:
            for i, row in enumerate(trace.z):
                for j, value in enumerate(row):
                    rows.append({"Series": name, "Label": f"{plain(trace.y[i])} × "
                                 f"{plain(trace.x[j])}", "Value": value})
            continue
        if trace.x is None or trace.y is None:
            continue
        horizontal = getattr(trace, "orientation", None) == "h"
        labels, values = (trace.y, trace.x) if horizontal else (trace.x, trace.y)
        texts = trace.text if isinstance(trace.text, list | tuple) else None
        for k, (label, value) in enumerate(zip(labels, values, strict=False)):
            if value is None or label is None:
                continue
            if isinstance(value, str) and not isinstance(label, str):
                label, value = value, label  # a marker on a horizontal bar chart
            if trace.type == "scatter" and "text" in (trace.mode or "") and k < len(texts or ()):
                # a bubble's name: its customdata's last field (written or not), else its text
                extra = trace.customdata[k] if trace.customdata is not None else None
                named = extra[-1] if isinstance(extra, list | tuple) else texts[k]
                if named and not pd.api.types.is_number(named):
                    label = f"{named} ({label})"
            rows.append({"Series": name, "Label": plain(label), "Value": value})
    out = pd.DataFrame(rows, columns=["Series", "Label", "Value"])
    out["Value"] = pd.to_numeric(out["Value"], errors="coerce")
    return out


def plain(text) -> str:
    """Plotly text as plain text: tags dropped, escaped characters back."""
    return re.sub(r"\s+", " ", html_entities.unescape(re.sub(r"<[^>]+>", " ", str(text)))).strip()


def _has_rows(frame: pd.DataFrame | None, *columns: str) -> bool:
    """Rows to draw, with every needed column present."""
    return frame is not None and len(frame) > 0 and all(c in frame.columns for c in columns)


def _money_axis(fig: go.Figure, axis: str, currency: str) -> None:
    """Tick labels in the currency: ``$1,000`` / ``€1,000`` / ``1,000 CHF``."""
    symbol = CURRENCY_SYMBOLS.get(str(currency).upper())
    spec = {"tickprefix": symbol} if symbol else {"ticksuffix": f" {html(currency)}"}
    spec["tickformat"] = ",~r"
    spec["rangemode"] = "tozero"  # a money axis starts at zero (where no range is set)
    (fig.update_xaxes if axis == "x" else fig.update_yaxes)(**spec)


def _every_bar_named(fig: go.Figure, names: list[str], labels: list[str],
                     size: ChartSize) -> None:
    """A horizontal bar chart's category axis naming every bar (plotly skips names when they
    crowd), each with its figures as a second line, and the chart tall enough for
    them: about two lines of type per bar. (Only ``<br>`` and ``<b>`` go around data in a
    figure, so the figures' line is not made smaller.)"""
    small = size.annotation
    ticks = [f"{n}<br>{html(t)}" for n, t in zip(names, labels, strict=True)]
    fig.update_yaxes(tickmode="array", tickvals=names, ticktext=ticks, automargin=True)
    per_bar = (size.font + small) * 1.5 + 12
    top = fig.layout.margin.t or 0
    fig.update_layout(height=max(size.height, int(top + 90 + per_bar * len(names))))


def _point_labels(texts: list[str], most: int = 6) -> list[str]:
    """The figures written on a line's points: all of them while they stay readable side by
    side, else only the first and the last (the rest are in the hover and the data table)."""
    if len(texts) <= most:
        return texts
    return [t if i in (0, len(texts) - 1) else "" for i, t in enumerate(texts)]


def _period_labels(periods: pd.Series, fiscal_year_start: int) -> list[str]:
    """Quarters as the organisation names them (fiscal labels when its year does not start in
    January); months (``2026-08``) as ``Aug 2026``."""
    out = []
    for p in periods.astype(str):
        if len(p) == 7 and p[4] == "-" and p[5:].isdigit():  # a month
            out.append(pd.Timestamp(f"{p}-01").strftime("%b %Y"))
        else:
            out.append(quarter_label(p, fiscal_year_start))
    return out


def _hover(key: str, currency: str = "USD", value: str = "x") -> str:
    """A hover-template piece writing ``%{value}`` as the registry writes measure ``key``."""
    return measure(key).hover(value, html(currency))


# ---- cost ------------------------------------------------------------------------------------

def cost_per_user_vs_market(services: pd.DataFrame, currency: str = "USD", *,
                            title: str | None = None, subtitle: str | None = None,
                            presentation: bool = False) -> go.Figure:
    """One horizontal bar per service: its cost per user per month, with the cheapest
    applicable market offer as a marker.

    ``services``: ``summary.ExecutiveSummary.services`` (service, cost_per_user_month,
    comparable_cost_per_user_month, best_offer, offer_price_per_user_month). The bar is split
    into the like-for-like part (the figure held against offers) and, lighter, the part left
    out of the comparison (lines marked not comparable). Services without users are left
    out (they have no per-user cost)."""
    size = chart_size(presentation)
    fig = go.Figure()
    title = title or "Cost per user per month: in-house vs the cheapest market offer"
    x_title = f"per user per month ({currency})"
    needed = ("service", "cost_per_user_month", "comparable_cost_per_user_month")
    rows = services[services["cost_per_user_month"].notna()] if _has_rows(
        services, *needed) else None
    if rows is None or rows.empty:
        apply_layout(fig, title=title, x_title=x_title, y_title="Service", subtitle=subtitle,
                     presentation=presentation)
        return _no_data(fig, presentation)

    rows = rows.sort_values("cost_per_user_month", kind="stable")  # plotly draws bottom-up
    total = rows["cost_per_user_month"].to_numpy(dtype=float)
    comparable = rows["comparable_cost_per_user_month"].to_numpy(dtype=float)
    comparable = np.where(np.isnan(comparable), total, comparable)
    offer = (rows["offer_price_per_user_month"].to_numpy(dtype=float)
             if "offer_price_per_user_month" in rows else np.full(len(rows), np.nan))
    offer_name = (rows["best_offer"].astype(object).where(rows["best_offer"].notna(), "")
                  .map(html) if "best_offer" in rows else pd.Series("", index=rows.index))
    names = [html(n) for n in rows["service"].astype(str)]
    money = _hover("cost_per_user_month", currency)

    fig.add_bar(y=names, x=comparable, orientation="h", name="In-house, like-for-like",
                marker_color=IN_HOUSE_COLOR,
                hovertemplate="%{y}<br>Like-for-like: " + money + "<extra></extra>")
    excluded = total - comparable
    if np.nanmax(np.abs(excluded)) > 0.005:
        fig.add_bar(y=names, x=excluded, orientation="h",
                    name="In-house, left out of the comparison",
                    marker_color=EXCLUDED_COLOR,
                    hovertemplate="%{y}<br>Not comparable: " + money + "<extra></extra>")
    has_offer = ~np.isnan(offer)
    if has_offer.any():
        fig.add_scatter(
            y=[n for n, h in zip(names, has_offer, strict=True) if h], x=offer[has_offer],
            mode="markers",
            name="Cheapest applicable offer",
            marker={"symbol": "diamond", "size": size.marker + 5, "color": OFFER_COLOR,
                    "line": {"color": BLACK, "width": 1.5}},
            customdata=offer_name[has_offer].to_numpy(),
            hovertemplate="%{y}<br>%{customdata}: " + money + "<extra></extra>")
    # the figures under each name on the axis (with costs from $10 to $1,000+ a small bar's
    # difference from its offer cannot be seen, but it can be read): on the axis they take
    # the room they need at any width, where text at the bar end runs out of the chart
    labels = [fmt_measure("cost_per_user_month", t, currency)
              + (f" · offer {fmt_measure('offer_price_per_user_month', o, currency)}"
                 if not np.isnan(o) else "")
              for t, o in zip(total, offer, strict=True)]
    apply_layout(fig, title=title, x_title=x_title, y_title="", subtitle=subtitle,
                 presentation=presentation)
    fig.update_layout(barmode="stack", bargap=0.3)
    _every_bar_named(fig, names, labels, size)
    # two short lines: the title sits under a plot narrowed by the names on a phone
    fig.update_xaxes(title_text=f"per user per month<br>({html(currency)})")
    ends = np.fmax(total, np.nan_to_num(offer, nan=-np.inf))
    fig.update_xaxes(range=[0, float(np.nanmax(ends)) * 1.05], nticks=3)
    _money_axis(fig, "x", currency)
    return fig


def cost_per_user_trend(trend: pd.DataFrame, currency: str = "USD", *,
                        service: str | None = None, offer_price: float | None = None,
                        offer_name: str | None = None, fiscal_year_start: int = 1,
                        title: str | None = None, subtitle: str | None = None,
                        presentation: bool = False) -> go.Figure:
    """A service's cost per user per month by quarter, with the offer's price as a dashed
    reference line when an offer applies.

    ``trend``: ``costing.cost_trend(dataset, "cost_per_user_month", service)`` (or the rows of
    ``costing.cost_per_user`` for one service): quarter, cost_per_user_month."""
    size = chart_size(presentation)
    fig = go.Figure()
    what = service or "Service"
    title = title or f"{what}: cost per user per month by quarter"
    x_title, y_title = "Quarter", f"Cost per user per month ({currency})"
    rows = (trend[trend["cost_per_user_month"].notna()].sort_values("quarter")
            if _has_rows(trend, "quarter", "cost_per_user_month") else None)
    if rows is None or rows.empty:
        apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                     presentation=presentation)
        return _no_data(fig, presentation, "No cost per user for this service")
    x = _period_labels(rows["quarter"], fiscal_year_start)
    y = rows["cost_per_user_month"].to_numpy(dtype=float)
    fig.add_scatter(
        x=x, y=y, mode="lines+markers+text", name="In-house cost per user per month",
        text=_point_labels([fmt_measure("cost_per_user_month", v, currency) for v in y]),
        textposition="top center",
        textfont={"size": size.annotation}, cliponaxis=False,
        line={"color": IN_HOUSE_COLOR, "width": size.line},
        marker={"size": size.marker, "color": IN_HOUSE_COLOR},
        hovertemplate="%{x}: " + _hover("cost_per_user_month", currency, "y")
        + "<extra></extra>")
    top = float(np.nanmax(y))
    if offer_price is not None and not pd.isna(offer_price):
        price = fmt_measure("offer_price_per_user_month", offer_price, currency)
        label = html(f"{offer_name or 'Offer'}: {price}")
        # a line trace rather than add_hline, so the offer also appears in the legend
        fig.add_scatter(x=x, y=[offer_price] * len(x), mode="lines", name=label,
                        line={"color": OFFER_COLOR, "width": size.line, "dash": "dash"},
                        hovertemplate=label + "<extra></extra>")
        top = max(top, float(offer_price))
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                 presentation=presentation)
    fig.update_yaxes(range=[0, top * 1.2], rangemode="tozero")
    fig.update_xaxes(type="category")
    _money_axis(fig, "y", currency)
    return fig


def cost_by_pool(pools: pd.DataFrame, currency: str = "USD", *, fiscal_year_start: int = 1,
                 title: str | None = None, subtitle: str | None = None,
                 presentation: bool = False) -> go.Figure:
    """Total cost per quarter stacked by TBM cost pool.

    ``pools``: ``costing.cost_by_pool`` (quarter, cost_pool, total_cost), for one service or
    all of them (a quarter's pools are added up across the services given). A credit
    (negative amount) is drawn below zero."""
    fig = go.Figure()
    title = title or "Cost by TBM cost pool per quarter"
    x_title, y_title = "Quarter", f"Total cost ({currency})"
    if not _has_rows(pools, "quarter", "cost_pool", "total_cost"):
        apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                     legend="top", presentation=presentation)
        return _no_data(fig, presentation)
    by_pool = pools.groupby(["quarter", "cost_pool"], as_index=False)["total_cost"].sum()
    quarters = sorted(by_pool["quarter"].dropna().unique())
    labels = _period_labels(pd.Series(quarters), fiscal_year_start)
    known = [p for p in TBM_COST_POOLS if p in set(by_pool["cost_pool"])]
    others = sorted(set(by_pool["cost_pool"].dropna()) - set(known))
    wide = by_pool.pivot(index="quarter", columns="cost_pool", values="total_cost").reindex(
        quarters).fillna(0.0)
    money = _hover("total_cost", currency, "y")
    for i, pool in enumerate(known + others):
        fig.add_bar(x=labels, y=wide[pool].to_numpy(), name=html(pool),
                    marker_color=POOL_COLORS.get(pool, OKABE_ITO[i % len(OKABE_ITO)]),
                    hovertemplate=html(pool) + "<br>%{x}: " + money + "<extra></extra>")
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                 legend="top", presentation=presentation)
    fig.update_layout(barmode="relative", bargap=0.25)
    fig.update_xaxes(type="category")
    fig.update_yaxes(nticks=5)  # the legend's rows can leave a presented chart short
    _money_axis(fig, "y", currency)
    return fig


def showback(frame: pd.DataFrame, currency: str = "USD", *, highlight: str | None = None,
             title: str | None = None, subtitle: str | None = None,
             presentation: bool = False) -> go.Figure:
    """Cost by business unit, largest at the top; ``highlight`` one unit in orange.

    ``frame``: ``costing.showback`` (business_unit, cost), for one service or several (a
    unit's cost is added up across the services given)."""
    size = chart_size(presentation)
    fig = go.Figure()
    title = title or "Cost by business unit (showback by users)"
    x_title = f"Cost ({currency})"
    if not _has_rows(frame, "business_unit", "cost"):
        apply_layout(fig, title=title, x_title=x_title, y_title="", subtitle=subtitle,
                     legend=None, presentation=presentation)
        return _no_data(fig, presentation)
    units = frame.assign(business_unit=frame["business_unit"].fillna("Unassigned"))
    sums = {"cost": "sum", **({"users": "sum"} if "users" in units else {})}
    units = units.groupby("business_unit", as_index=False).agg(sums).sort_values(
        "cost", kind="stable")
    names = units["business_unit"].astype(str).tolist()
    colors = [HIGHLIGHT_COLOR if n == highlight else IN_HOUSE_COLOR for n in names]
    names = [html(n) for n in names]
    cost = units["cost"].to_numpy(dtype=float)
    labels = [fmt_measure("cost", c, currency) for c in cost]
    if "users" in units and units["users"].notna().all():
        labels = [f"{m} · {fmt_count(u, 'user')}" for m, u in zip(labels, units["users"],
                                                                  strict=True)]
    fig.add_bar(y=names, x=cost, orientation="h", marker_color=colors,
                hovertemplate="%{y}: " + _hover("cost", currency) + "<extra></extra>")
    apply_layout(fig, title=title, x_title=x_title, y_title="", subtitle=subtitle,
                 legend=None, presentation=presentation)
    _every_bar_named(fig, names, labels, size)
    fig.update_xaxes(range=[min(0.0, float(cost.min())) * 1.1, float(cost.max()) * 1.05],
                     nticks=3)
    _money_axis(fig, "x", currency)
    return fig


# ---- chargeback ------------------------------------------------------------------------------

RECOVERY_COLORS = {RecoveryStatus.OVER: ORANGE, RecoveryStatus.RECOVERED: BLUISH_GREEN,
                   RecoveryStatus.UNDER: VERMILLION}


def _status(rows: pd.DataFrame, column: str) -> pd.Series:
    """Each row's status as text ("" where the frame has none)."""
    return rows[column].astype(str) if column in rows else pd.Series("", index=rows.index)


def _status_bars(fig: go.Figure, names: list[str], values, status: pd.Series,
                 colors: dict[str, str], default: str, hover: str) -> None:
    """One horizontal bar per name, coloured by its status (``default`` for another), the
    hover giving its figure (``hover``) and its status."""
    fig.add_bar(y=names, x=values, orientation="h",
                marker_color=[colors.get(s, default) for s in status],
                customdata=status.map(html).to_numpy(),
                hovertemplate="%{y}: " + hover + " (%{customdata})<extra></extra>")


def cost_recovery(frame: pd.DataFrame, currency: str = "USD", *, title: str | None = None,
                  subtitle: str | None = None, presentation: bool = False) -> go.Figure:
    """Cost recovery per service: charges ÷ total cost, one horizontal bar per charged
    service, the least recovered at the top (the question is which services do not pay for
    themselves: a presented chart taller than the screen shows them first), a dashed line at
    100 % (charges cover the cost), each name followed by its charges against its cost.

    ``frame``: ``chargeback.recovery`` (service, charges, total_cost, recovery_pct, status).
    Services with no charges or no cost are left out: they have no recovery to draw."""
    size = chart_size(presentation)
    fig = go.Figure()
    title = title or "Cost recovery by service: charges ÷ cost"
    x_title = "Cost recovery (%)"
    # plotly draws the first bar at the bottom
    rows = (frame[frame["recovery_pct"].notna()].sort_values("recovery_pct", ascending=False,
                                                             kind="stable")
            if _has_rows(frame, "service", "charges", "total_cost", "recovery_pct") else None)
    if rows is None or rows.empty:
        apply_layout(fig, title=title, x_title=x_title, y_title="", subtitle=subtitle,
                     legend=None, presentation=presentation)
        return _no_data(fig, presentation, "No service is charged for")
    names = [html(n) for n in rows["service"].astype(str)]
    pct_values = rows["recovery_pct"].to_numpy(dtype=float)
    _status_bars(fig, names, pct_values, _status(rows, "status"), RECOVERY_COLORS,
                 IN_HOUSE_COLOR, _hover("recovery_pct"))
    labels = [f"{fmt_measure('recovery_pct', p)} · {fmt_measure('charges', c, currency)} of "
              f"{fmt_measure('total_cost', t, currency)}"
              for p, c, t in zip(pct_values, rows["charges"], rows["total_cost"], strict=True)]
    apply_layout(fig, title=title, x_title=x_title, y_title="", subtitle=subtitle,
                 legend=None, presentation=presentation)
    _every_bar_named(fig, names, labels, size)
    fig.add_vline(x=100, line={"color": INK, "dash": "dash", "width": 1.5})
    fig.update_xaxes(range=[0, max(110.0, float(np.nanmax(pct_values)) * 1.05)], nticks=4,
                     ticksuffix="%")
    return fig


BUDGET_COLORS = {"over budget": VERMILLION, "on budget": GREY, "under budget": BLUISH_GREEN}


def budget_variance(frame: pd.DataFrame, currency: str = "USD", *, title: str | None = None,
                    subtitle: str | None = None, presentation: bool = False) -> go.Figure:
    """Each service's variance to date (actual − budget, the fiscal year so far): one
    horizontal bar per budgeted service with actuals, the furthest off at the top, over budget
    to the right in vermillion, under to the left in green, on budget (within ± 2 %) grey;
    each name followed by its actual against its budget.

    ``frame``: ``budget.compare(dataset, "service").year_table`` (service, budget_ytd,
    actual_ytd, variance_ytd, variance_ytd_pct, status_ytd). Presented, the axis title
    opens the subtitle."""
    fig = go.Figure()
    title = title or "Budget vs actual by service, year to date"
    x_title = f"Actual − budget to date ({html(currency)})"
    if presentation:
        # a presented chart's names and figures take most of a phone's width: its axis title
        # would run off the narrow plot, so it opens the subtitle instead
        subtitle = "; ".join(t for t in (x_title, subtitle) if t)
        x_title = ""
    # the furthest off at the top (plotly draws the first bar at the bottom), either way
    rows = (frame[frame["variance_ytd"].notna()].sort_values(
                "variance_ytd", key=lambda v: v.abs(), kind="stable")
            if _has_rows(frame, "service", "budget_ytd", "actual_ytd", "variance_ytd")
            else None)
    if rows is None or rows.empty:
        apply_layout(fig, title=title, x_title=x_title, y_title="", subtitle=subtitle,
                     legend=None, presentation=presentation)
        return _no_data(fig, presentation, "No service has a budget and actuals to date")
    names = [html(n) for n in rows["service"].astype(str)]
    values = rows["variance_ytd"].to_numpy(dtype=float)
    _status_bars(fig, names, values, _status(rows, "status_ytd"), BUDGET_COLORS, GREY,
                 _hover("variance_ytd", currency))
    pct = rows["variance_ytd_pct"] if "variance_ytd_pct" in rows else pd.Series(np.nan,
                                                                                 index=rows.index)
    labels = [f"{fmt_measure('variance_ytd', v, currency)} "
              f"({fmt_measure('variance_ytd_pct', p)}) · "
              f"{fmt_measure('actual_ytd', a, currency)} of "
              f"{fmt_measure('budget_ytd', b, currency)}"
              for v, p, a, b in zip(values, pct, rows["actual_ytd"], rows["budget_ytd"],
                                    strict=True)]
    apply_layout(fig, title=title, x_title=x_title, y_title="", subtitle=subtitle,
                 legend=None, presentation=presentation)
    _every_bar_named(fig, names, labels, chart_size(presentation))
    fig.add_vline(x=0, line={"color": INK, "width": 1.5})
    # the currency is in the axis title: a prefix would read "$−30,000" left of zero
    fig.update_xaxes(tickformat=",~r")
    return fig


def line_driven_share(share: pd.DataFrame, *, fiscal_year_start: int = 1,
                      title: str | None = None, subtitle: str | None = None,
                      presentation: bool = False) -> go.Figure:
    """The line-driven share of IT per quarter: charges ÷ IT total cost (the rest is funded
    as overhead).

    ``share``: ``chargeback.line_driven_share`` (quarter, line_driven_pct)."""
    size = chart_size(presentation)
    fig = go.Figure()
    title = title or "Line-driven share of IT cost"
    y_title = "Line-driven share (%)"
    rows = (share[share["line_driven_pct"].notna()].sort_values("quarter")
            if _has_rows(share, "quarter", "line_driven_pct") else None)
    if rows is None or rows.empty:
        apply_layout(fig, title=title, x_title="Quarter", y_title=y_title, subtitle=subtitle,
                     legend=None, presentation=presentation)
        return _no_data(fig, presentation, "No charges in this data")
    x = _period_labels(rows["quarter"], fiscal_year_start)
    y = rows["line_driven_pct"].to_numpy(dtype=float)
    fig.add_scatter(
        x=x, y=y, mode="lines+markers+text", name="Line-driven share",
        text=_point_labels([fmt_measure("line_driven_pct", v) for v in y]),
        textposition="top center", textfont={"size": size.annotation}, cliponaxis=False,
        line={"color": BLUE, "width": size.line}, marker={"size": size.marker, "color": BLUE},
        hovertemplate="%{x}: " + _hover("line_driven_pct", value="y") + "<extra></extra>")
    apply_layout(fig, title=title, x_title="Quarter", y_title=y_title, subtitle=subtitle,
                 legend=None, presentation=presentation)
    # from zero, with room above the line for its labels: a share of a few percent drawn on
    # a 0-100 axis would read as flat
    fig.update_yaxes(range=[0, min(105.0, max(10.0, float(np.nanmax(y)) * 1.4))],
                     ticksuffix="%")
    fig.update_xaxes(type="category")
    return fig


# ---- value -----------------------------------------------------------------------------------

SIZE_COLUMNS = {"users": "users", "cost": "total_cost"}


def cost_vs_value(frame: pd.DataFrame, currency: str = "USD", *, size_by: str = "users",
                  title: str | None = None, subtitle: str | None = None,
                  presentation: bool = False) -> go.Figure:
    """The quadrant chart: x = cost per user per month (log scale: services differ a
    hundredfold), y = value score, a bubble per service sized by its users (``size_by=
    "users"``) or total cost (``"cost"``), dashed lines at the medians that split the
    quadrants, and the quadrant names in the corners.

    ``frame``: ``portfolio.cost_vs_value`` rows of one quarter (service, cost_per_user_month,
    value_score, quadrant, value_median, cost_median) with ``users`` or ``total_cost`` added
    (``costing.cost_per_user``). Services without a quadrant are left out."""
    if size_by not in SIZE_COLUMNS:
        raise ValueError(f"size_by must be 'users' or 'cost', not {size_by!r}")
    size = chart_size(presentation)
    fig = go.Figure()
    title = title or "Cost vs value: where each service sits"
    x_title = f"Cost per user per month ({currency}, log scale)"
    y_title = "Value score (0–100)"
    size_col = SIZE_COLUMNS[size_by]
    needed = ("service", "cost_per_user_month", "value_score", "quadrant")
    rows = (frame[frame["quadrant"].notna() & (frame["cost_per_user_month"] > 0)]
            if _has_rows(frame, *needed) else None)
    if rows is None or rows.empty:
        apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                     presentation=presentation)
        return _no_data(fig, presentation, "No service has both a cost per user and a value "
                                           "score")
    weights = (rows[size_col].astype(float).fillna(0.0).clip(lower=0.0)
               if size_col in rows else pd.Series(1.0, index=rows.index))
    biggest = float(weights.max()) or 1.0
    max_px = 70 if presentation else 56
    money = _hover("cost_per_user_month", currency)
    cost = rows["cost_per_user_month"].astype(float)
    low, high = np.log10(cost.min()), np.log10(cost.max())
    pad = max(0.15, (high - low) * 0.12)
    x_range = (low - pad, high + pad)
    diameters = np.maximum(max_px * np.sqrt(weights / biggest), 6)
    positions = _label_positions(np.log10(cost), rows["value_score"].astype(float),
                                 rows["service"], diameters, x_range, size.annotation)
    for quadrant, color in QUADRANT_COLORS.items():
        part = rows[rows["quadrant"] == quadrant]
        if part.empty:
            continue
        fig.add_scatter(
            x=part["cost_per_user_month"], y=part["value_score"], mode="markers+text",
            name=quadrant,
            text=[html(n) if isinstance(positions[i], str) else ""
                  for i, n in part["service"].astype(str).items()],
            textposition=[positions[i] if isinstance(positions[i], str) else "top center"
                          for i in part.index],
            textfont={"size": size.annotation}, cliponaxis=False,
            marker={"size": weights[part.index], "sizemode": "area",
                    "sizeref": 2.0 * biggest / max_px ** 2, "sizemin": 6, "color": color,
                    "opacity": 0.8, "line": {"color": "white", "width": 1}},
            customdata=list(zip(weights[part.index], part["service"].astype(str).map(html),
                                strict=True)),
            hovertemplate=("%{customdata[1]}<br>" + money + " per user per month<br>value "
                           + _hover("value_score", value="y")
                           + f"<br>{'users' if size_by == 'users' else 'total cost'}: "
                           + _hover("users" if size_by == "users" else "total_cost",
                                    currency, "customdata[0]") + "<extra></extra>"))
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                 presentation=presentation)
    ticks = _log_ticks(*x_range)
    fig.update_xaxes(type="log", range=list(x_range), tickvals=ticks,
                     ticktext=[fmt_money(t, currency, 0) for t in ticks])
    # headroom above 100 so the top corner names never sit on a bubble or its label
    fig.update_yaxes(range=[0, _VALUE_AXIS_TOP], tickvals=[0, 20, 40, 60, 80, 100])
    _median_lines(fig, rows, currency, size)
    corners = (("Invest", 0.01, 0.99, "left", "top"), ("Optimize", 0.99, 0.99, "right", "top"),
               ("Tolerate", 0.01, 0.01, "left", "bottom"),
               ("Replace or retire", 0.99, 0.01, "right", "bottom"))
    for name, x, y, xanchor, yanchor in corners:
        fig.add_annotation(text=f"<b>{name}</b>", x=x, y=y, xref="paper", yref="paper",
                           xanchor=xanchor, yanchor=yanchor, showarrow=False,
                           font={"size": size.font + 1, "color": QUADRANT_COLORS[name]})
    return fig


def _log_ticks(low: float, high: float) -> list[float]:
    """1-2-5 tick values between 10**low and 10**high: $10, $20, $50, $100 … (plotly's own
    log ticks label 2…9 of every decade, too busy to read)."""
    # over more than two decades 1-3 (half as many ticks) so they fit side by side on a phone
    steps = (1, 2, 5) if high - low <= 2 else (1, 3)
    ticks = [m * 10.0 ** e for e in range(int(np.floor(low)), int(np.ceil(high)) + 1)
             for m in steps]
    return [t for t in ticks if low <= np.log10(t) <= high]


_VALUE_AXIS_TOP = 118
# The plot area of a chart on a 1280 px screen with the sidebar open, or presented 400 px
# high, roughly: enough to judge whether two labels collide (the deck has room to spare).
_PLOT_PX = (700.0, 280.0)
_LABEL_SPOTS = ("top center", "bottom center", "middle right", "middle left")


def _label_positions(x: pd.Series, y: pd.Series, names: pd.Series, diameters: pd.Series,
                     x_range: tuple[float, float], font_px: int) -> pd.Series:
    """Where to write each bubble's name: above it, else below, right or left, whichever
    first stays clear of the names already placed and of the bubbles; None (no name written)
    when none is clear. ``x`` in axis units (log10 of the cost), ``y`` 0–100,
    ``diameters`` in px."""
    width, height = _PLOT_PX
    span = (x_range[1] - x_range[0]) or 1.0
    cx = (x - x_range[0]) / span * width
    cy = y / _VALUE_AXIS_TOP * height
    radius = diameters / 2 + 2
    # boxes as (left, bottom, right, top) in px: every bubble, then each label once placed
    bubbles = {i: (cx[i] - radius[i], cy[i] - radius[i], cx[i] + radius[i], cy[i] + radius[i])
               for i in x.index}
    # the quadrant names in the corners are placed first
    corner_w, corner_h = len("Replace or retire") * (font_px + 1) * 0.62, (font_px + 1) * 1.3
    labels: list[tuple[float, float, float, float]] = [
        (0, height - corner_h, corner_w, height), (width - corner_w, height - corner_h,
                                                   width, height),
        (0, 0, corner_w, corner_h), (width - corner_w, 0, width, corner_h)]

    def overlap(box, own) -> float:
        others = [b for j, b in bubbles.items() if j != own] + labels
        return sum(max(0.0, min(box[2], t[2]) - max(box[0], t[0]))
                   * max(0.0, min(box[3], t[3]) - max(box[1], t[1])) for t in others)

    out = pd.Series(None, index=x.index, dtype=object)
    # the biggest bubbles first: when names crowd, the small services go unnamed (their
    # names are in the hover and the table under the chart) rather than written on another
    for i in pd.Series(diameters, index=x.index).sort_values(ascending=False,
                                                             kind="stable").index:
        # generous boxes (0.65 em a character, a line and a half): the plot's real size varies
        w, h, r = len(str(names[i])) * font_px * 0.65 + 12, font_px * 1.5, radius[i]
        boxes = {
            "top center": (cx[i] - w / 2, cy[i] + r, cx[i] + w / 2, cy[i] + r + h),
            "bottom center": (cx[i] - w / 2, cy[i] - r - h, cx[i] + w / 2, cy[i] - r),
            "middle right": (cx[i] + r, cy[i] - h / 2, cx[i] + r + w, cy[i] + h / 2),
            "middle left": (cx[i] - r - w, cy[i] - h / 2, cx[i] - r, cy[i] + h / 2),
        }
        clear = [spot for spot in _LABEL_SPOTS if overlap(boxes[spot], i) == 0
                 and boxes[spot][0] >= 0 and boxes[spot][2] <= width
                 and boxes[spot][1] >= 0 and boxes[spot][3] <= height]
        if clear:
            out[i] = clear[0]
            labels.append(boxes[clear[0]])
    return out


def _median_lines(fig: go.Figure, rows: pd.DataFrame, currency: str, size: ChartSize) -> None:
    """Dashed lines at the medians the quadrants are split at, each labelled with its value.

    The labels are annotations placed by hand: on a log axis an annotation's x is the
    log10 of the value, which add_vline's own annotation does not do."""
    style = {"line_dash": "dash", "line_color": GREY, "line_width": 1.5}
    font = {"size": size.annotation, "color": "#555555"}
    if "cost_median" in rows and rows["cost_median"].notna().any():
        median = float(rows["cost_median"].dropna().iloc[0])
        fig.add_vline(x=median, **style)
        fig.add_annotation(x=np.log10(median), y=0, yref="paper", xanchor="left",
                           yanchor="bottom", xshift=4, yshift=28, showarrow=False, font=font,
                           text=f"median {fmt_measure('cost_median', median, currency)}")
    if "value_median" in rows and rows["value_median"].notna().any():
        median = float(rows["value_median"].dropna().iloc[0])
        fig.add_hline(y=median, **style)
        fig.add_annotation(x=1, xref="paper", y=median, xanchor="right", yanchor="top",
                           showarrow=False, font=font, text=f"median value {median:.0f}")


# ---- support ---------------------------------------------------------------------------------

def proactive_trend(share: pd.DataFrame, *, by: str = "quarter", fiscal_year_start: int = 1,
                    title: str | None = None, subtitle: str | None = None,
                    presentation: bool = False) -> go.Figure:
    """The proactive share of support work per quarter (or month): proactive ÷ (proactive +
    reactive), by hours. A period counted by tickets (its rows carry no hours) is drawn as an
    open marker and named in the legend, so the two bases are never mistaken for each other.

    ``share``: ``support.proactive_share(dataset, by=by)`` (quarter or month,
    proactive_share_pct, basis)."""
    size = chart_size(presentation)
    fig = go.Figure()
    title = title or "Proactive share of support work"
    x_title = "Quarter" if by == "quarter" else "Month"
    y_title = "Proactive share (%)"  # short: it runs up a 400 px presentation chart
    rows = (share[share["proactive_share_pct"].notna()].sort_values(by)
            if _has_rows(share, by, "proactive_share_pct") else None)
    if rows is None or rows.empty:
        apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                     presentation=presentation)
        return _no_data(fig, presentation, "No proactive or reactive support work")
    x = _period_labels(rows[by], fiscal_year_start)
    y = rows["proactive_share_pct"].to_numpy(dtype=float)
    basis = (rows["basis"].astype(str).to_numpy() if "basis" in rows
             else np.full(len(rows), "hours"))
    fig.add_scatter(
        x=x, y=y, mode="lines+markers+text", name="Proactive share",
        text=_point_labels([fmt_percent(v, 0) for v in y]), textposition="top center",
        textfont={"size": size.annotation}, cliponaxis=False,
        line={"color": CLASS_COLORS[WorkClass.PROACTIVE], "width": size.line},
        marker={"size": size.marker, "color": CLASS_COLORS[WorkClass.PROACTIVE],
                "symbol": ["circle-open" if b == "tickets" else "circle" for b in basis],
                "line": {"width": 2, "color": CLASS_COLORS[WorkClass.PROACTIVE]}},
        customdata=basis,
        hovertemplate="%{x}: " + _hover("proactive_share_pct", value="y")
        + " by %{customdata}<extra></extra>")
    by_tickets = basis == "tickets"
    if by_tickets.any():
        # an empty trace whose only job is the legend entry that explains the open markers
        fig.add_scatter(x=[None], y=[None], mode="markers", name="counted by tickets (no hours)",
                        marker={"symbol": "circle-open", "size": size.marker,
                                "color": CLASS_COLORS[WorkClass.PROACTIVE], "line": {"width": 2}})
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                 legend="top" if by_tickets.any() else None, presentation=presentation)
    fig.update_yaxes(range=[0, 105], ticksuffix="%")
    fig.update_xaxes(type="category")
    return fig


def work_mix(mix: pd.DataFrame, *, by: str = "quarter", measure: str = "hours",
             fiscal_year_start: int = 1, title: str | None = None, subtitle: str | None = None,
             presentation: bool = False) -> go.Figure:
    """Support work per quarter (or month) stacked by class: reactive, proactive, routine,
    unclassified, in :data:`CLASS_COLORS`. A class with nothing in any period is left out.

    ``mix``: ``support.work_mix(dataset, by=by)`` (quarter or month, work_class, hours,
    tickets); ``measure`` is ``hours`` or ``tickets``."""
    if measure not in ("hours", "tickets"):
        raise ValueError(f"measure must be 'hours' or 'tickets', not {measure!r}")
    fig = go.Figure()
    title = title or f"Support work by class ({measure})"
    x_title = "Quarter" if by == "quarter" else "Month"
    y_title = "Hours" if measure == "hours" else "Tickets"
    if not _has_rows(mix, by, "work_class", measure) or not mix[measure].fillna(0).any():
        apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                     presentation=presentation)
        return _no_data(fig, presentation)
    periods = sorted(mix[by].dropna().unique())
    labels = _period_labels(pd.Series(periods), fiscal_year_start)
    wide = mix.pivot_table(index=by, columns="work_class", values=measure, aggfunc="sum",
                           fill_value=0).reindex(periods, fill_value=0)
    unit = " h" if measure == "hours" else " tickets"
    for work_class, color in CLASS_COLORS.items():
        if work_class not in wide or not wide[work_class].any():
            continue
        fig.add_bar(x=labels, y=wide[work_class].to_numpy(dtype=float),
                    name=html(work_class.capitalize()), marker_color=color,
                    hovertemplate=html(work_class) + " %{x}: %{y:,.0f}" + unit + "<extra></extra>")
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                 presentation=presentation)
    fig.update_layout(barmode="stack", bargap=0.25)
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=",~r")
    return fig


def block_burndown(history: pd.DataFrame, status: pd.Series | None = None, *,
                   title: str | None = None, subtitle: str | None = None,
                   presentation: bool = False) -> go.Figure:
    """Hours left in one block of hours over time, the projected run-out (dashed, to zero at
    the projected date) and where the 80 % and 95 % used warnings fall.

    ``history``: rows of ``support.block_status`` for ONE block taken at several ``as_of``
    dates: as_of, remaining_hours, purchased_hours, end, block. ``status``: its
    ``block_status`` row now (runout_date, runout_basis), drawn from its ``as_of`` when that is
    within the history; default: the latest row of ``history``."""
    size = chart_size(presentation)
    fig = go.Figure()
    block = (str(history["block"].iloc[-1])
             if _has_rows(history, "block") and pd.notna(history["block"].iloc[-1])
             else "Block of hours")
    title = title or f"{block}: hours left"
    x_title, y_title = "Date", "Hours left"
    needed = ("as_of", "remaining_hours", "purchased_hours")
    if not _has_rows(history, *needed):
        apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                     presentation=presentation)
        return _no_data(fig, presentation, "No block of hours")
    rows = history.sort_values("as_of")
    now = rows.iloc[-1] if status is None else status
    fig.add_scatter(x=rows["as_of"], y=rows["remaining_hours"], mode="lines+markers",
                    name="Hours left", line={"color": BLUE, "width": size.line},
                    marker={"size": size.marker - 2, "color": BLUE},
                    hovertemplate="%{x|%-d %b %Y}: " + _hover("remaining_hours", value="y")
                    + " left<extra></extra>")
    runout = now.get("runout_date")
    if (now.get("runout_basis") == "projected" and pd.notna(runout)
            and now["as_of"] <= rows["as_of"].max()):
        fig.add_scatter(x=[now["as_of"], runout], y=[now["remaining_hours"], 0],
                        mode="lines+markers", name=f"Projected: runs out {fmt_date(runout)}",
                        line={"color": BLUE, "width": size.line, "dash": "dash"},
                        marker={"size": size.marker - 2, "color": BLUE,
                                "symbol": ["circle", "x"]},
                        hovertemplate="%{x|%-d %b %Y}: " + _hover("used_hours", value="y")
                        + "<extra></extra>")
    purchased = float(now["purchased_hours"]) if pd.notna(now["purchased_hours"]) else np.nan
    if not np.isnan(purchased):
        for used_pct, color in zip(BLOCK_WARN_PERCENT, (ORANGE, VERMILLION), strict=True):
            left = purchased * (100 - used_pct) / 100
            fig.add_hline(y=left, line_dash="dot", line_color=color, line_width=2,
                          annotation_text=f"{used_pct:g}% used ({fmt_hours(left)} left)",
                          annotation_position="top right",
                          annotation_font={"size": size.annotation, "color": color})
    end = now.get("end")
    if pd.notna(end):
        # add_vline's own annotation fails on dates in some plotly versions: annotate apart
        fig.add_vline(x=pd.Timestamp(end).to_pydatetime(), line_dash="dash", line_color=GREY,
                      line_width=1.5)
        fig.add_annotation(x=pd.Timestamp(end).to_pydatetime(), y=1, yref="paper",
                           text=f"block ends {fmt_date(end)}", showarrow=False,
                           xanchor="right", yanchor="top",
                           font={"size": size.annotation, "color": "#555555"})
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                 presentation=presentation)
    top = np.nanmax([purchased, float(rows["remaining_hours"].max())])
    fig.update_yaxes(range=[0, top * 1.08], tickformat=",~r", ticksuffix=" h")
    fig.update_xaxes(tickformat="%b<br>%Y", nticks=6)  # two short lines fit a phone
    return fig


IMPACT_LABELS = {1: "1 - High", 2: "2 - Medium", 3: "3 - Low"}


def priority_heatmap(matrix: pd.DataFrame, *, title: str | None = None,
                     subtitle: str | None = None, presentation: bool = False) -> go.Figure:
    """Tickets per impact × urgency cell (ServiceNow's 3 × 3 matrix), each cell naming the
    priority the matrix gives it and how many tickets were recorded otherwise; the share of
    mismatched tickets is written under the title.

    ``matrix``: ``support.priority_matrix`` (impact, urgency, label, tickets, recorded,
    mismatched)."""
    size = chart_size(presentation)
    fig = go.Figure()
    title = title or "Tickets by impact and urgency"
    x_title, y_title = "Urgency", "Impact"
    needed = ("impact", "urgency", "tickets")
    if not _has_rows(matrix, *needed) or not matrix["tickets"].sum():
        apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                     legend=None, presentation=presentation)
        return _no_data(fig, presentation, "No tickets with an impact and urgency")
    grid = matrix.set_index(["impact", "urgency"]).reindex(
        pd.MultiIndex.from_product([[1, 2, 3], [1, 2, 3]]))
    tickets = grid["tickets"].fillna(0).to_numpy(dtype=float).reshape(3, 3)
    mismatched = (grid["mismatched"].fillna(0).to_numpy(dtype=float).reshape(3, 3)
                  if "mismatched" in grid else np.zeros((3, 3)))
    label = (grid["label"].astype(object).fillna("").map(html).to_numpy().reshape(3, 3)
             if "label" in grid else np.full((3, 3), ""))
    # short lines: a cell is a third of a phone's width (the subtitle says what "differ" means)
    text = [[f"<b>{tickets[i, j]:,.0f}</b><br>{label[i, j]}"
             + (f"<br>{mismatched[i, j]:,.0f} differ" if mismatched[i, j] else "")
             for j in range(3)] for i in range(3)]
    axis_labels = [IMPACT_LABELS[k] for k in (1, 2, 3)]
    fig.add_heatmap(z=tickets, x=axis_labels, y=axis_labels, text=text,
                    texttemplate="%{text}", textfont={"size": size.annotation},
                    colorscale="Blues", showscale=False, xgap=3, ygap=3,
                    hovertemplate="impact %{y}, urgency %{x}: " + _hover("tickets", value="z")
                    + " tickets<extra></extra>")
    if subtitle is None and "recorded" in matrix and "mismatched" in matrix:
        recorded, wrong = int(matrix["recorded"].sum()), int(matrix["mismatched"].sum())
        if recorded:
            subtitle = (f"{fmt_count(wrong, 'ticket')} of {recorded:,} "
                        f"({fmt_percent(wrong / recorded * 100)}) recorded with a priority "
                        "other than the matrix gives (“differ” in a cell)")
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                 legend=None, presentation=presentation)
    fig.update_yaxes(autorange="reversed", showgrid=False, showline=False, type="category")
    fig.update_xaxes(showgrid=False, showline=False, type="category", side="bottom")
    return fig


# ---- value perception (issue 16) -------------------------------------------------------------

def contact_satisfaction_trend(satisfaction: pd.DataFrame, *, highlight=(),
                               fiscal_year_start: int = 1, title: str | None = None,
                               subtitle: str | None = None,
                               presentation: bool = False) -> go.Figure:
    """Ticket satisfaction (0–100) per service over the quarters: a line per service, the
    ``highlight`` services (e.g. those whose perception is falling) in colour and labelled,
    the rest in grey so the story stands out; every line is named in the legend and hover (a
    label at a line's end ran into the legend beside it).

    ``satisfaction``: ``perception.contact_satisfaction(dataset)`` (service, quarter,
    responses, satisfaction_pct)."""
    size = chart_size(presentation)
    fig = go.Figure()
    title = title or "Ticket satisfaction by service"
    x_title, y_title = "Quarter", "Satisfaction (0–100)"
    if not _has_rows(satisfaction, "service", "quarter", "satisfaction_pct"):
        apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                     presentation=presentation)
        return _no_data(fig, presentation, "No rated tickets")
    rows = satisfaction[satisfaction["satisfaction_pct"].notna()]
    quarters = sorted(rows["quarter"].dropna().unique())
    labels = dict(zip(quarters, _period_labels(pd.Series(quarters), fiscal_year_start),
                      strict=True))
    marked = [s for s in dict.fromkeys(highlight) if s in set(rows["service"])]
    colors = dict(zip(marked, (VERMILLION, ORANGE, REDDISH_PURPLE, BLUE, BLUISH_GREEN),
                      strict=False))
    order = [s for s in sorted(rows["service"].unique(), key=str.casefold) if s not in colors]
    for service in [*order, *colors]:  # coloured lines drawn last, on top
        part = rows[rows["service"] == service].sort_values("quarter")
        color = colors.get(service, LIGHT_GREY)
        y = part["satisfaction_pct"].to_numpy(dtype=float)
        fig.add_scatter(
            x=[labels[q] for q in part["quarter"]], y=y, mode="lines+markers",
            name=html(service), cliponaxis=False,
            line={"color": color, "width": size.line if service in colors else 1.5},
            marker={"size": size.marker if service in colors else 5, "color": color},
            customdata=part["responses"].to_numpy(dtype=float),
            hovertemplate=html(service) + " %{x}: %{y:.1f} (%{customdata:,.0f} responses)"
            "<extra></extra>")
    apply_layout(fig, title=title, x_title=x_title, y_title=y_title, subtitle=subtitle,
                 legend="right", presentation=presentation)
    fig.update_yaxes(range=[0, 105])
    fig.update_xaxes(type="category", categoryorder="array",
                     categoryarray=[labels[q] for q in quarters])
    return fig
