"""Support: is work moving from reactive to proactive? The block of hours, priorities and
the service desk."""

import streamlit as st

from ui import data, render, state
from valuelib.present import glossary

source = data.shown_source()
render.page_title("Support", "From “help, I'm stuck” to “help me make it better”")
period = st.segmented_control("Trend by", ["quarter", "month"], default="quarter",
                              key="period", format_func=str.capitalize) or "quarter"
view = data.support_view(source.key, state.quarter(), state.business_unit(), period,
                         source.dataset)
render.headlines(view.headlines,
                 since=glossary.previous_quarter(source.dataset, view.quarter))
render.sentences(view.sentences)
render.figure(view.proactive_chart, key="proactive_chart")
render.figure(view.mix_chart, key="mix_chart")

st.subheader("Blocks of support hours")
for index, chart in enumerate(view.block_charts):
    render.figure(chart, key=f"block_chart_{index}")
render.table(view.block_table, empty="No block of hours in this data.")

st.subheader("Priority: impact × urgency, not habit")
left, right = st.columns([3, 2])
with left:
    render.figure(view.priority_chart, key="priority_chart")
with right:
    render.text(view.mismatch_sentence)
    render.table(view.mismatch_table, empty="Every recorded priority matches the matrix.")

st.subheader("Service desk")
render.table(view.desk_table, empty="No tickets in this data.")

st.subheader("Voice of users", anchor="voice-of-users",
             help=glossary.help_for("contact satisfaction", "low-score share", "needs score"))
render.sentences(view.voice.sentences)
render.figure(view.voice.chart, key="voice_chart")
render.table(view.voice.table, empty="No rated tickets in this quarter.")
st.markdown("**What users ask for**")
render.text(view.voice.needs_sentence)
render.table(view.voice.needs_table, empty="No needs recorded.")
