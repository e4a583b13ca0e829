"""Drawing view models: headline metrics, sentences, figures and tables.

Text from data or links is text. View models and answers carry plain text; the helpers here
escape it for Streamlit's Markdown (:func:`valuelib.safe_text.md`) once, where it is drawn. A
page that composes its own Markdown around data escapes the data with :func:`md_inline`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import plotly.graph_objects as go
import streamlit as st
from streamlit import dataframe_util

from valuelib import charts
from valuelib.charts import INK
from valuelib.kept import kept
from valuelib.present import MISSING, Unit, glossary, measure
from valuelib.present.measures import TABLE_DATE_FORMAT
from valuelib.present.tables import Table
from valuelib.safe_text import md, md_inline

__all__ = ["caption", "delta", "figure", "headlines", "md", "md_inline", "page_title",
           "sentences", "show_flash", "flash_and_rerun", "static_table", "table", "text"]

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
# The charts' dark text (made for white paper: the deck, the workbook). On screen it gives way
# to the theme's text colour, so a chart reads in the light and the dark theme alike.
_PAPER_INKS = {INK.lower(), "#555555"}
_CLEAR = "rgba(0,0,0,0)"


def headlines(items, per_row: int = 3, since: str = "") -> None:
    """Headline tiles. ``since``: the quarter each change is measured from, written after
    it ("+3.2% vs 2026-Q2"); a change of zero gets no arrow and no colour."""
    items = list(items)
    # Their own block: the front end holds back a block's elements until the lazily loaded
    # code of every element in it (plotly.js, the data grid) has arrived, so tiles that shared
    # the page's block with a chart appeared with the chart, about a second after the floor.
    with st.container():
        for start in range(0, len(items), per_row):
            columns = st.columns(per_row)
            for column, item in zip(columns, items[start:start + per_row], strict=False):
                with column:
                    tile = _tile(item, since)
                    st.metric(tile.label, tile.value, tile.delta, delta_color=tile.tone,
                              delta_arrow=tile.arrow, border=True, help=tile.help)
                    st.caption(tile.sentence)


@dataclass(frozen=True)
class _Tile:
    """A headline's st.metric arguments and caption, escaped."""

    label: str
    value: str | None
    delta: str | None
    tone: str
    arrow: str
    help: str | None
    sentence: str


@functools.lru_cache(maxsize=1024)  # the same tiles are drawn on every run
def _tile(item, since: str) -> _Tile:
    change, arrow, tone = item.delta, item.delta_arrow, item.delta_color
    if arrow != "off" and change:
        if glossary.is_no_change(change):
            arrow, tone = "off", "off"
        change = glossary.compared_with(change, since)
    terms = glossary.terms_in(item.label, item.sentence)
    return _Tile(md_inline(item.label), _value(item.value), delta(change), tone, arrow,
                 glossary.help_for(*terms) if terms else None, md(item.sentence))


def _value(value):
    return None if value is None else md_inline(value)  # None shows Streamlit's long dash


def delta(value):
    """A metric's change, escaped, keeping the leading minus Streamlit reads as "down"."""
    if value is None or value == "":
        return value
    value = str(value)
    if value.startswith("-"):
        return "-" + md_inline(value[1:])
    return md_inline(value)


def text(value) -> None:
    """Plain text as a paragraph."""
    st.markdown(md(value))


def caption(value) -> None:
    """Plain text as a caption."""
    st.caption(md(value))


def sentences(lines) -> None:
    """Plain sentences as a bulleted list (one element, not one a sentence: each element
    costs every run)."""
    if lines:
        st.markdown("\n".join(f"- {md_inline(line)}" for line in lines))


def figure(fig, key: str | None = None, height: int | None = None,
           titled: bool = True, on_select=None):
    """A plotly figure across the page, its title and subtitle written as text above it (text
    wraps at any width; a plotly title does not) and its numbers one click away below it: the
    chart's text alternative. Presenting, ``height`` (px) fits it on one screen unless its
    bars need more, and ``titled=False`` leaves the title to the page's heading."""
    if fig is None:
        return
    shown = prepared(fig, height)
    if titled and shown.title:  # the chart's message is a heading, with the words it uses
        st.subheader(md_inline(shown.title), help=shown.help, anchor=False)
    if shown.subtitle:
        caption(shown.subtitle)
    select = {"on_select": on_select, "selection_mode": "points"} if on_select else {}
    event = st.plotly_chart(shown.figure, width="stretch", config=PLOTLY_CONFIG, key=key,
                            theme="streamlit", **select)
    if shown.numbers is not None:
        with st.expander("The numbers behind this chart"):
            st.dataframe(shown.numbers, hide_index=True, width="stretch")
    return event


@dataclass(frozen=True)
class Prepared:
    """What :func:`figure` draws for a chart, made once per chart and height: its words, the
    screen's copy of it and its numbers, ready to send."""

    title: str
    subtitle: str
    help: str | None  # the glossary's definitions of the words the title uses
    figure: go.Figure  # follows the theme, untitled, serialised once (see _Sent)
    numbers: object | None  # the chart's data table as Arrow, or None when it draws none


class _Sent(go.Figure):
    """A screen figure whose plotly dict is made once: st.plotly_chart asks every run for
    ``to_dict()`` (a deep copy, ~2 ms a chart) and only reads it."""

    def to_dict(self):
        return dict(self._sent)  # a new top level: nothing may reach the kept dict's keys


def prepared(fig: go.Figure, height: int | None = None) -> Prepared:
    """The screen's form of ``fig`` at ``height`` (see :func:`figure`), made once per chart:
    ``fig`` itself is never changed (cached figures are shared by every session)."""
    return kept(fig, ("figure", height), lambda: _prepare(fig, height))


def _prepare(fig: go.Figure, height: int | None) -> Prepared:
    title, subtitle = charts.words(fig)
    # a copy: the cached figure stays as it is
    sent = follow_theme(charts.untitled(fig), into=_Sent)
    if height is not None:
        sent.update_layout(height=max(height, _needed_height(fig)))
    sent._sent = go.Figure.to_dict(sent)
    terms = glossary.terms_in(title, subtitle) if title else ()
    numbers = charts.figure_table(fig)
    return Prepared(title, subtitle, glossary.help_for(*terms) if terms else None, sent,
                    None if numbers.empty else arrow(numbers))


def arrow(frame):
    """``frame`` as the Arrow table st.dataframe sends (converted once, for a frame that is
    drawn on many runs); the frame itself when Arrow cannot hold it (Streamlit says why)."""
    try:
        return dataframe_util.convert_pandas_df_to_arrow_table(frame)
    except Exception:  # st.dataframe converts it again and reports the problem
        return frame


def _ink(color) -> bool:
    return isinstance(color, str) and color.lower() in _PAPER_INKS


def follow_theme(fig, into=go.Figure) -> go.Figure:
    """A copy of ``fig`` for the screen (cached figures stay as they are): clear backgrounds
    and no dark text of its own, so Streamlit's light or dark theme colours it. ``into``: the
    copy's class."""
    fig = into(fig)
    fig.update_layout(paper_bgcolor=_CLEAR, plot_bgcolor=_CLEAR, font_color=None,
                      template_layout_font_color=None, template_layout_paper_bgcolor=_CLEAR,
                      template_layout_plot_bgcolor=_CLEAR)
    # the theme's own grid and axis lines, faint on either background
    fig.update_xaxes(gridcolor=None, zerolinecolor=None, linecolor=None)
    fig.update_yaxes(gridcolor=None, zerolinecolor=None, linecolor=None)
    for font in (fig.layout.title.font, fig.layout.title.subtitle.font, fig.layout.legend.font):
        if _ink(font.color):
            font.color = None
    for note in fig.layout.annotations:
        if _ink(note.font.color):
            note.font.color = None
    for trace in fig.data:
        textfont = getattr(trace, "textfont", None)
        if textfont is not None and _ink(textfont.color):
            textfont.color = None
    return fig


def picked(event, axis: str = "y") -> str | None:
    """The category of the first point picked on a chart (a bar's service), as plain text."""
    points = (getattr(event, "selection", None) or {}).get("points") or []
    return charts.plain(points[0].get(axis)) if points else None


def picked_row(event, shown: Table, column: str) -> str | None:
    """The ``column`` of the row picked in a table."""
    rows = (getattr(event, "selection", None) or {}).get("rows") or []
    return str(shown.frame.iloc[rows[0]][column]) if rows else None


def _needed_height(fig) -> int:
    """The height a chart of named bars needs (it names every bar; see charts)."""
    ticks = fig.layout.yaxis.ticktext
    return (fig.layout.height or 0) if ticks else 0


def table(frame, empty: str = "Nothing to show for this selection.", **kwargs):
    """A table across the page. A view's :class:`~valuelib.present.tables.Table` keeps its
    numbers (so columns sort as numbers) and is formatted by the measure registry; the first
    column (what each row is) stays pinned while the rest scrolls."""
    if frame is None or frame.empty:
        st.info(md(empty))
        return
    if isinstance(frame, Table):
        kwargs.setdefault("column_config", kept(frame, "config", lambda: column_config(frame)))
        frame = kept(frame, "arrow", lambda: arrow(_as_text(frame)))
    return st.dataframe(frame, hide_index=True, width="stretch", **kwargs)


def _as_text(shown: Table):
    """The table's frame, its money-change columns as the registry writes them ("+$1,118",
    "−$44,601"): a number format cannot put the sign before the currency symbol."""
    texts = [c for c, key in shown.measures.items() if _shows_text(measure(key))]
    if not texts:
        return shown.frame
    return shown.frame.assign(**{c: shown.formatted()[c] for c in texts})


def _shows_text(m) -> bool:
    return m.unit != Unit.DATE and m.table_format() is None


def static_table(shown: Table, empty: str = "Nothing to show for this selection.",
                 total: bool = False) -> None:
    """A small view table drawn whole, as a printed list reads (a bill, a price list): every
    cell as the registry writes it, long text wrapping in place of a scroll bar, so the page
    prints it entire. ``total``: the last row is a total, in bold, its blanks left blank."""
    if shown is None or shown.empty:
        st.info(md(empty))
        return
    st.table(kept(shown, ("static", total), lambda: _static(shown, total)), hide_index=True,
             border="horizontal")


def _static(shown: Table, total: bool):
    cells = shown.formatted()
    out = cells.map(md_inline)
    if total:
        last = cells.iloc[-1].map(lambda v: "" if v == MISSING else f"**{md_inline(v)}**")
        out.iloc[-1] = last
    return out.rename(columns=md_inline)


def column_config(shown: Table) -> dict:
    """``st.column_config`` for a view table: each measured column's format and definition
    from the registry; the key column pinned."""
    config = {}
    for position, column in enumerate(shown.columns):
        key = shown.measures.get(column)
        if key is None:
            config[column] = st.column_config.TextColumn(pinned=position == 0 or None)
            continue
        m = measure(key)
        if m.unit == Unit.DATE:
            config[column] = st.column_config.DateColumn(format=TABLE_DATE_FORMAT,
                                                         help=m.definition)
        elif _shows_text(m):
            config[column] = st.column_config.TextColumn(help=m.definition)
        else:
            config[column] = st.column_config.NumberColumn(
                format=m.table_format(shown.currency), help=m.definition)
    return config


def page_title(title: str, subtitle: str = "") -> None:
    """A page's title and the caption under it, both plain text (a service's or the
    organisation's name is data)."""
    st.title(md_inline(title))
    if subtitle:
        caption(subtitle)


_FLASH = "flash_message"


def flash(message: str, kind: str = "success") -> None:
    """Say ``message`` on the page's next draw (:func:`show_flash`): from a callback.
    ``kind``: success, info, warning or error."""
    st.session_state[_FLASH] = (kind, message)


def flash_and_rerun(message: str, kind: str = "success") -> None:
    """Say ``message`` after a rerun, so the sidebar's data badge already shows the change.
    ``kind``: success, warning or error."""
    flash(message, kind)
    st.rerun()


def show_flash() -> None:
    kind, message = st.session_state.pop(_FLASH, (None, None))
    if message:
        getattr(st, kind)(md(message))
