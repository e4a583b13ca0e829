"""Drawing view models: headline metrics, sentences, figures and tables."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def headlines(items, per_row: int = 3) -> None:
    items = list(items)
    for start in range(0, len(items), per_row):
        columns = st.columns(per_row)
        for column, item in zip(columns, items[start:start + per_row], strict=False):
            with column:
                st.metric(item.label, item.value, item.delta, delta_color=item.delta_color,
                          delta_arrow=item.delta_arrow, border=True)
                st.caption(item.sentence)


def sentences(lines) -> None:
    for line in lines:
        st.markdown(f"- {line}")


def figure(fig, key: str | None = None, height: int | None = None,
           titled: bool = True) -> None:
    """A plotly figure across the page. Presenting, ``height`` (px) fits it on one screen
    (the deck draws the same figure 720 px high) and ``titled=False`` drops the chart's own
    title where the page's heading already says it."""
    if fig is None:
        return
    if height is not None or not titled:
        fig = go.Figure(fig)  # a copy: cached figures stay as they are
        if height is not None:
            fig.update_layout(height=height)
        if not titled:
            fig.update_layout(title_text="", title_subtitle_text="", margin_t=70)
    st.plotly_chart(fig, width="stretch", config=PLOTLY_CONFIG, key=key)


def table(frame: pd.DataFrame | None, empty: str = "Nothing to show for this selection.",
          **kwargs) -> None:
    if frame is None or frame.empty:
        st.info(empty)
        return
    st.dataframe(frame, hide_index=True, width="stretch", **kwargs)


def page_title(title: str, subtitle: str = "") -> None:
    st.title(title)
    if subtitle:
        st.caption(subtitle)



_FLASH = "flash_message"


def flash_and_rerun(message: str, kind: str = "success") -> None:
    """Say ``message`` after a rerun, so the sidebar's data badge already shows the change.
    ``kind``: success, warning or error."""
    st.session_state[_FLASH] = (kind, message)
    st.rerun()


def show_flash() -> None:
    kind, message = st.session_state.pop(_FLASH, (None, None))
    if message:
        getattr(st, kind)(message)
