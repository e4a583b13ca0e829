"""Small plotly figures for answers: a bar, a line over quarters, the cost-vs-value scatter.

plotly is imported on first use, so reading a question costs nothing until a chart is drawn.
Names from the data (services, units, quarters) and titles are escaped for plotly's HTML
(:func:`valuelib.safe_text.html`) here; callers pass plain text.
"""

from __future__ import annotations

import pandas as pd

from ..frames import gap_note
from ..safe_text import html

_HIGHLIGHT = "#d62728"
_BASE = "#1f77b4"
_MUTED = "#9dbbd9"


def _go():
    import plotly.graph_objects as go

    return go


def _layout(fig, title: str, x: str = "", y: str = "", height: int = 380):
    fig.update_layout(title=html(title), template="plotly_white", height=height,
                      margin={"l": 10, "r": 10, "t": 50, "b": 10},
                      xaxis_title=html(x), yaxis_title=html(y), legend_title_text="")
    return fig


def bar(labels, values, title: str, value_title: str, highlight=(), horizontal: bool = True,
        text=None):
    """One bar per label (in the order given; horizontal bars read top-down)."""
    go = _go()
    labels = [str(v) for v in labels]
    values = [float(v) for v in values]
    highlight = set(highlight)
    colors = [_HIGHLIGHT if label in highlight else _BASE for label in labels]
    labels = [html(label) for label in labels]
    text = None if text is None else [html(t) for t in text]
    if horizontal:
        trace = go.Bar(x=values[::-1], y=labels[::-1], orientation="h",
                       marker_color=colors[::-1], text=None if text is None else text[::-1],
                       textposition="auto")
        fig = go.Figure(trace)
        height = max(260, 40 + 32 * len(labels))
        return _layout(fig, title, value_title, "", height)
    fig = go.Figure(go.Bar(x=labels, y=values, marker_color=colors, text=text,
                           textposition="auto"))
    return _layout(fig, title, "", value_title)


def lines(frame: pd.DataFrame, x: str, y: str, series: str | None, title: str,
          value_title: str, highlight_x: str | None = None):
    """A line per ``series`` value (or one line) of ``y`` over ``x`` (quarters)."""
    go = _go()
    fig = go.Figure()
    groups = [(None, frame)] if series is None else list(frame.groupby(series, sort=False))
    for name, part in groups:
        fig.add_trace(go.Scatter(x=part[x].astype(str).map(html), y=part[y].astype(float),
                                 mode="lines+markers", name=html(name) if name else y))
    if highlight_x is not None:
        fig.add_vline(x=html(highlight_x), line_dash="dot", line_color=_MUTED)
    fig.update_xaxes(type="category")
    fig.update_layout(showlegend=series is not None)
    note = gap_note(frame[x]) if x == "quarter" and len(frame) else ""
    if note:  # category axis: a gap of years would otherwise look like the next quarter
        title = f"{title} ({note})"
    return _layout(fig, title, "", value_title)


def stacked(labels, parts: dict[str, list[float]], title: str, value_title: str):
    """Horizontal stacked bars: one per label, one segment per part."""
    go = _go()
    fig = go.Figure()
    for name, values in parts.items():
        fig.add_trace(go.Bar(y=[html(v) for v in labels], x=[float(v) for v in values],
                             name=html(name), orientation="h"))
    fig.update_layout(barmode="stack")
    return _layout(fig, title, value_title, "", max(220, 80 + 50 * len(labels)))


def quadrants(frame: pd.DataFrame, title: str, currency: str, highlight=()):
    """Cost per user per month (x, log scale) against value score (y), split at the medians."""
    go = _go()
    fig = go.Figure()
    highlight = set(highlight)
    for quadrant, part in frame.groupby("quadrant", sort=True):
        fig.add_trace(go.Scatter(
            x=part["cost_per_user_month"].astype(float), y=part["value_score"].astype(float),
            mode="markers+text", name=html(quadrant), text=part["service"].astype(str).map(html),
            textposition="top center",
            marker={"size": [16 if s in highlight else 11 for s in part["service"]]}))
    if len(frame):
        fig.add_vline(x=float(frame["cost_median"].iloc[0]), line_dash="dot",
                      line_color=_MUTED)
        fig.add_hline(y=float(frame["value_median"].iloc[0]), line_dash="dot",
                      line_color=_MUTED)
    fig.update_xaxes(type="log")
    return _layout(fig, title, f"Cost per user per month ({currency}, log scale)",
                   "Value score (0-100)", 460)
