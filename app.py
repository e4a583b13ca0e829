"""The frame: page config, navigation, shared sidebar, then the page (app_pages/, one file
each)."""

import logging
import os
from pathlib import Path

import streamlit as st
from streamlit.errors import StreamlitAPIException

from ui import data, render, screens, sidebar, state
from valuelib import links

log = logging.getLogger("app")

# Not "pages/": Streamlit runs a folder of that name beside the main script as a legacy
# multipage app until the process first calls st.navigation, so a shared deep link opened
# first after a restart would bypass this frame and show a blocking "Page not found" dialog.
PAGES = Path(__file__).parent / "app_pages"

# "auto": the sidebar starts open on a desktop and closed on a phone.
st.set_page_config(page_title="IT service value", page_icon="📊", layout="wide",
                   initial_sidebar_state="auto")

# ?present=1 opens presentation mode; the toggle keeps it for the session.
if state.PRESENTING not in st.session_state:
    state.set_present(links.PRESENT_VALUES.get(
        (st.query_params.get(state.PRESENT) or "").strip().lower(), False))

# Streamlit's captions are grey at 60 % (3.6:1 on white, under WCAG AA's 4.5:1): darker, in
# either theme, by fading the body text less. On a phone a chart is a third as wide as the
# labels on its points were placed for: they go (each point's figures stay in its hover and
# in the numbers under the chart), and axis titles, ticks and notes get smaller.
st.html("""<style>
  [data-testid='stCaptionContainer'] {color: inherit; opacity: 0.78;}
  @media (max-width: 640px) {
    .js-plotly-plot .scatterlayer .textpoint {display: none;}
    .js-plotly-plot .g-xtitle text, .js-plotly-plot .g-ytitle text,
    .js-plotly-plot .xtick text, .js-plotly-plot .ytick text,
    .js-plotly-plot .annotation-text {font-size: 12px !important;}
  }
</style>""")

source = data.choose_source()
link_notes = data.check_link(source)  # before any widget reads the link's parameters
# what a link asked for is said on the page a switch lands on (below)
link_notes += st.session_state.pop(state.LINK_NOTES, ())
presenting = state.present()
screens.styles(presenting)
FILES: dict[str, str] = {}  # url path → page file, for Exit's way back


def _page(path: Path, title: str, icon: str, url_path: str, **kwargs) -> st.Page:
    made = st.Page(path, title=title, icon=icon, url_path=url_path, **kwargs)
    FILES[made.url_path] = str(path)  # the default page's is ""
    return made


OVERVIEW = _page(PAGES / "dashboard" / "overview.py", "Overview", ":material/dashboard:",
                 "home", default=True)  # at the app's root URL
# The Overview's own name in links people type or share: it goes to the root.
OVERVIEW_ALIAS = _page(PAGES / "dashboard" / "overview.py", "Overview", ":material/dashboard:",
                       "overview", visibility="hidden")
# Reached by the sidebar's toggle or ?present=1, not the menu: the toggle is the one way in.
PRESENTATION = _page(PAGES / "dashboard" / "present.py", "Presentation",
                     ":material/slideshow:", "present", visibility="hidden")
pages = {
    "Dashboard": [
        OVERVIEW,
        _page(PAGES / "dashboard" / "catalogue.py", "Service catalogue",
              ":material/menu_book:", "catalogue"),
        _page(PAGES / "dashboard" / "services.py", "Services", ":material/category:",
              "services"),
        _page(PAGES / "dashboard" / "chargeback.py", "Chargeback", ":material/receipt_long:",
              "chargeback"),
        _page(PAGES / "dashboard" / "cost_value.py", "Cost vs value",
              ":material/scatter_plot:", "cost_value"),
        _page(PAGES / "dashboard" / "support.py", "Support", ":material/support_agent:",
              "support"),
        _page(PAGES / "dashboard" / "plan.py", "Plan", ":material/calculate:", "plan"),
    ],
    "Data": [
        _page(PAGES / "data" / "upload.py", "Upload & publish", ":material/upload_file:",
              "data"),
        _page(PAGES / "data" / "history.py", "History", ":material/history:", "history"),
        _page(PAGES / "data" / "contract.py", "Workbook contract", ":material/table:",
              "contract"),
    ],
    "": [PRESENTATION, OVERVIEW_ALIAS],
}
# Every page stays known while presenting (menu hidden), so a link such as
# /services?present=1 never meets Streamlit's "Page not found".
page = st.navigation(pages, position="hidden" if presenting else "sidebar")
if link_notes:
    st.session_state[state.LINK_NOTES] = link_notes  # until this run draws them
if page.url_path == OVERVIEW_ALIAS.url_path and not presenting:
    st.switch_page(OVERVIEW, query_params=st.query_params.to_dict())
if page.url_path != PRESENTATION.url_path:
    state.remember_page(FILES[page.url_path])
if presenting != (page.url_path == PRESENTATION.url_path):
    # Into the story (the toggle, a link such as /services?present=1) by a page switch.
    state.set_present(True)
    step = st.query_params.get(state.STEP)
    into = {state.PRESENT: "1", **({state.STEP: step} if step else {})}
    try:
        st.switch_page(PRESENTATION, query_params={**into, **state.view_params()})
    except StreamlitAPIException:
        # The sidebar's URL-bound filters still hold the view (the toggle): they carry it
        # across, and the story's run writes it into the URL once they let go.
        st.switch_page(PRESENTATION, query_params=into)

if presenting:
    # The URL carries the view, so a copied link reopens the same slides.
    state.put_params({state.PRESENT: "1", **state.view_params(
        source.choices.complete)})
else:
    st.query_params.pop(state.PRESENT, None)
    sidebar.render(source)
    sidebar.damage_warning(source)

st.session_state.pop(state.LINK_NOTES, None)
for note in link_notes:
    st.info(render.md(note), icon=":material/link_off:")

# A visitor never sees a traceback (server paths, SQL): what a page cannot handle is logged
# and becomes a plain message. st.stop, st.rerun and st.switch_page raise Streamlit's
# ScriptControlException, a BaseException, so they pass through. VALUELIB_RAISE_PAGE_ERRORS=1
# lets the exception through for the page tests.
try:
    page.run()
except Exception:
    if os.environ.get("VALUELIB_RAISE_PAGE_ERRORS") == "1":
        raise
    log.exception("page %r failed", page.url_path)
    st.error("This page hit a problem on our side and could not be shown. Nothing was lost; "
             "try again, or open another page. The details are in the server's log.")
