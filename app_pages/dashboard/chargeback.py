"""Chargeback: a business unit's Bill of IT (what it is charged per service and tier, like a
phone bill), its charge against its share of IT cost, cost recovery by service and the
line-driven share of IT. ``?unit=Sales`` opens Sales' statement."""

import streamlit as st

from ui import data, render, state
from valuelib.present import glossary
from valuelib.present.words import possessive

source = data.shown_source()
if not source.choices.units:
    render.page_title("Chargeback")
    st.info("No business units in this data, so there is nobody to charge: upload Usage "
            "rows with a business_unit, or a Subscriptions sheet.")
    st.stop()

view = data.chargeback(source.key, state.quarter(), state.statement_unit(), source.dataset)
if view.guard:
    render.page_title("Chargeback")
    st.info(render.md(view.guard), icon=":material/sell:")
    st.stop()

render.page_title(f"Bill of IT: {view.business_unit}", view.period)
picker, link = st.columns([1, 2], vertical_alignment="bottom")
picker.selectbox("Statement for", view.units, index=view.units.index(view.business_unit),
                 key=state.STATEMENT_UNIT, bind="query-params")
link.caption("Send a unit's executives this page's link (Copy link to this view, in the "
             "sidebar): it opens on their own statement.")
render.headlines(view.headlines,
                 since=glossary.previous_quarter(source.dataset, view.quarter))

st.subheader("Statement", anchor=False)
render.caption(view.sentence)
render.static_table(view.statement_table, total=True,
                    empty=f"Nothing charged to {view.business_unit} this year.")
for note in view.statement_notes:
    render.caption(note)

st.subheader(f"{possessive(view.business_unit)} charge against its share of IT cost", anchor=False,
             help=glossary.help_for("showback"))
render.table(view.versus_table, empty=f"{view.business_unit} uses no service this quarter.")

st.subheader("Cost recovery by service", anchor=False)
render.text(view.recovery_sentence)
render.figure(view.recovery_chart, key="recovery_chart")
render.table(view.recovery_table, empty="No service has cost or charges this quarter.")

render.text(view.share_sentence)
render.figure(view.share_chart, key="share_chart")
for note in view.notes:
    render.caption(note)
