"""The shared sidebar: where the data comes from, the view's filters, presentation mode and
a link that reopens this exact view."""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import streamlit as st

from . import data, state
from .render import caption

_BADGES = {"sample": ("Sample data", "orange"), "published": ("Published", "green"),
           "version": ("Earlier version", "violet"), "preview": ("Preview — not published", "blue")}


def data_badge(source: data.Source) -> None:
    text, color = _BADGES[source.kind]
    st.badge(text, color=color)
    caption(source.label)  # carries the editor's name: data
    if source.damage:
        st.caption(f":orange[:material/warning: {source.damage}]")


def damage_warning(source: data.Source) -> None:
    """On the page itself, so nobody reads an older version's figures as the latest."""
    if source.damage:
        st.warning(source.damage + " An editor can roll back from the History page.",
                   icon=":material/warning:")


def filters(source: data.Source) -> None:
    """Quarter and business unit, bound to the URL so a copied link reopens the same view."""
    known = source.choices
    quarters, units = known.quarters, known.units
    if quarters:
        # The default is the latest COMPLETE quarter: a quarter with costs but no usage yet
        # would show executives a cost per user of nothing.
        complete, partial = known.complete, known.partial
        chosen = st.selectbox("Quarter", quarters, key=state.QUARTER, bind="query-params",
                              persist_state="session",
                              index=quarters.index(complete) if complete in quarters else 0,
                              format_func=lambda q: known.quarter_names.get(q, q))
        if chosen in partial:
            st.caption(f":orange[{partial[chosen]} yet: its figures are incomplete.]")
        elif partial and chosen == complete:
            st.caption("; ".join(partial.values()) + f" yet; showing {complete}, the latest "
                       "complete quarter.")
    if units:
        st.selectbox("Business unit", [state.ALL_UNITS, *units], key=state.BUSINESS_UNIT,
                     bind="query-params", persist_state="session")


def view_link() -> str:
    """This page's URL with the view's query parameters."""
    base = st.context.url or ""
    parts = urlsplit(base)
    params = {k: v for k, v in st.query_params.to_dict().items() if v not in ("", None)}
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def copy_link() -> None:
    with st.popover("Copy link to this view", icon=":material/link:", width="stretch"):
        st.caption("Anyone with the link sees this page with the same quarter, business unit, "
                   "service and (on Chargeback) statement.")
        st.code(view_link(), language=None, wrap_lines=True)


def presentation_toggle() -> None:
    st.toggle("Presentation mode", value=False, key="present_toggle",
              on_change=lambda: state.set_present(st.session_state["present_toggle"]),
              help="Large type, one message per screen, no sidebar. → PageDown Space: next; "
                   "← PageUp: previous. Also ?present=1 on any page.")


def render(source: data.Source) -> None:
    with st.sidebar:
        data_badge(source)
        filters(source)
        presentation_toggle()
        copy_link()
