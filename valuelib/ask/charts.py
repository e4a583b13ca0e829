"""Small plotly figures for answers: a bar, a line over quarters; and the pages' own charts
(``page``) where an answer shows what a page shows (cost vs value, blocks, proactive share).

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


def page(name: str, *args, **kwargs):
    """The pages' own chart ``name`` (:mod:`valuelib.charts`), so an answer draws what the
    page draws; imported on first use."""
    from .. import charts

    return getattr(charts, name)(*args, **kwargs)
