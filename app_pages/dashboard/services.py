"""Services: one service's cost per user over time, what it is made of, how it compares with
buying it, and who uses it."""

import streamlit as st

from ui import data, render, state
from valuelib.present import glossary

source = data.shown_source()
services = source.choices.services
if not services:
    st.info("No services yet: upload a workbook with a Services or Costs sheet.")
    st.stop()

header = st.container()  # the title goes above the picker, once the view is known
st.selectbox("Service", services, key=state.SERVICE, bind="query-params",
             persist_state="session")
view = data.service_detail(source.key, state.quarter(), state.get(state.SERVICE),
                           state.business_unit(), source.dataset)

with header:
    render.page_title(view.service, view.sentence)
render.headlines(view.headlines,
                 since=glossary.previous_quarter(source.dataset, view.quarter))
render.figure(view.trend_chart, key="trend_chart")
render.figure(view.pool_chart, key="pool_chart")

st.subheader("Compared with buying it")
render.table(view.market_table, empty="No market offer applies to this service's size.")

with st.expander("How this number was made: the cost lines and shares behind it"):
    render.table(view.allocation_table, empty="No cost lines for this service this quarter.")

st.subheader("Who pays: showback by business unit")
left, right = st.columns([3, 2])
with left:
    render.figure(view.showback_chart, key="showback_chart")
with right:
    render.table(view.showback_table, empty="No usage by business unit this quarter.")

st.subheader("Tiers, subscribers and cost recovery", anchor=False)
if view.tiers_note:
    render.caption(view.tiers_note)
else:
    render.table(view.tiers_table)
    recovery, subscribers = st.columns([1, 2])
    with recovery:
        if view.recovery is not None:
            render.headlines([view.recovery], per_row=1)
    with subscribers:
        render.caption("Who takes which tier" + (f" in {view.business_unit}"
                                                 if view.business_unit else
                                                 ", by business unit") + ":")
        render.table(view.subscribers_table, empty="No business unit is charged for it this "
                     "quarter.")
