"""Presentation: the story one message per screen, as the deck tells it — the briefing →
headline → cost per user vs market → cost vs value → support trend → block of hours → cost
recovery → budget vs actual → year end → a screen per saved scenario chosen in Handouts."""

from pathlib import Path

import streamlit as st

from ui import data, exports, render, screens, state

# Title, bullets, chart and buttons on one 1280 × 720 screen-share.
SCREEN_CHART_PX = 400
OVERVIEW = Path(__file__).with_name("overview.py")  # where Exit goes when nothing came before


def leave() -> None:
    """Back to the page the presenter came from (or the Overview), on the same view."""
    state.set_present(False)
    st.session_state.pop(state.STEP, None)
    path, params = state.came_from()
    st.switch_page(path or OVERVIEW, query_params={**params, **state.view_params()})


source = data.shown_source()
steps = data.story(source.key, state.quarter(), state.business_unit(), source.dataset,
                   exports.chosen_scenarios())
if not steps:
    st.info("Nothing to present yet: there is no data for this quarter.")
    if st.button("Exit presentation"):
        leave()
    st.stop()

if state.STEP not in st.session_state:
    requested = st.query_params.get(state.STEP, "1")
    st.session_state[state.STEP] = int(requested) - 1 if requested.isdigit() else 0
index = min(max(st.session_state[state.STEP], 0), len(steps) - 1)
moved = screens.slide_keys()  # a clicker's or keyboard's next / previous
if moved:
    index = min(max(index + (1 if moved == "next" else -1), 0), len(steps) - 1)
    st.session_state[state.STEP] = index
step = steps[index]
st.query_params[state.STEP] = str(index + 1)

# The controls sit above the message, so the slide below them fits on one screen.
with st.container(key="slide_controls"):  # kept in rows on a phone (ui/screens.py)
    previous, position, following, handouts, done = st.columns([1, 1, 1, 1, 1])
    with previous:
        if st.button("◀ Previous", disabled=index == 0, width="stretch"):
            st.session_state[state.STEP] = index - 1
            st.rerun()
    with position:
        st.caption(f"{index + 1} of {len(steps)}")
    with following:
        if st.button("Next ▶", disabled=index == len(steps) - 1, width="stretch"):
            st.session_state[state.STEP] = index + 1
            st.rerun()
    with handouts, st.popover("Handouts", icon=":material/download:", width="stretch"):
        exports.export_buttons(source)
    with done:
        if st.button("Exit presentation", width="stretch",
                     help="Back to the page you came from. Keys: → PageDown Space next, "
                          "← PageUp previous."):
            leave()

st.title(render.md_inline(step.title))
if step.headlines:  # a step of figures (the year end, a scenario): tiles, then the facts
    render.headlines(step.headlines)
render.sentences(step.bullets)
render.figure(step.figure, key=f"story_{step.key}", height=SCREEN_CHART_PX, titled=False)

