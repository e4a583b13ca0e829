"""Overview: the quarter at a glance, for an executive opening the shared link."""

import streamlit as st

from ui import ask, data, exports, render, state
from valuelib.present import glossary

source = data.shown_source()
view = data.overview(source.key, state.quarter(), state.business_unit(), source.dataset)

render.page_title(f"{view.organization}: IT service value",
                  f"{view.quarter_label or 'No quarter with data'}"
                  + (f" · {state.business_unit()}" if state.business_unit() else ""))
if not view.quarter:
    st.info("There is no cost data to summarise yet. Upload a workbook on the "
            "Upload & publish page, or download the template there.")
    st.stop()

render.headlines(view.headlines,
                 since=glossary.previous_quarter(source.dataset, view.quarter))
ask.question_box(source)
st.subheader("In plain words")
render.sentences(view.sentences)
chosen = render.figure(view.market_chart, key="market_chart", on_select="rerun")
st.subheader("Every service this quarter", anchor=False,
             help="Pick a row, or a bar in the chart above, to open that service's page.\n\n"
             + glossary.help_for("like for like", "value score"))
picked = render.table(view.services_table, key="services_table", on_select="rerun",
                      selection_mode="single-row")
state.open_service(render.picked(chosen) or render.picked_row(picked, view.services_table,
                                                                 "Service"))
for note in view.notes:
    render.caption(note)
if view.budget_sentences:
    st.subheader("Budget vs actual", anchor=False,
                 help=glossary.help_for("budget variance", "year-end forecast", "run rate"))
    render.sentences(view.budget_sentences)

st.subheader("Take it to the meeting")
exports.export_buttons(source)
