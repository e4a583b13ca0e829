"""Cost vs value: which services earn their cost, in four quadrants."""

import streamlit as st

from ui import data, render, state

source = data.shown_source()
render.page_title("Cost vs value")
size_by = st.segmented_control("Bubble size", ["users", "cost"], default="users",
                               key="size_by", format_func=str.capitalize) or "users"
view = data.cost_value(source.key, state.quarter(), size_by, source.dataset)
render.caption(view.sentence)
render.figure(view.chart, key="quadrant_chart")
render.table(view.table, empty="No service has both cost per user and a value score yet.")
