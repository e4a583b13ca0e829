"""The frame: page config, navigation, shared sidebar, then the page (app_pages/, one file
each)."""

import logging
import os
from pathlib import Path

import streamlit as st

from ui import data, render, sidebar, state
from valuelib import links

log = logging.getLogger("app")

# Not "pages/": Streamlit runs a folder of that name beside the main script as a legacy
# multipage app until the process first calls st.navigation, so a shared deep link opened
# first after a restart would bypass this frame and show a blocking "Page not found" dialog.
PAGES = Path(__file__).parent / "app_pages"

st.set_page_config(page_title="IT service value", page_icon="📊", layout="wide",
                   initial_sidebar_state="expanded")

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
presenting = state.present()
pages = {
    "Dashboard": [
        st.Page(PAGES / "dashboard" / "overview.py", title="Overview",
                icon=":material/dashboard:", url_path="overview", default=not presenting),
        st.Page(PAGES / "dashboard" / "services.py", title="Services",
                icon=":material/category:", url_path="services"),
        st.Page(PAGES / "dashboard" / "cost_value.py", title="Cost vs value",
                icon=":material/scatter_plot:", url_path="cost_value"),
        st.Page(PAGES / "dashboard" / "support.py", title="Support",
                icon=":material/support_agent:", url_path="support"),
    ],
    "Data": [
        st.Page(PAGES / "data" / "upload.py", title="Upload & publish",
                icon=":material/upload_file:", url_path="data"),
        st.Page(PAGES / "data" / "history.py", title="History", icon=":material/history:",
                url_path="history"),
        st.Page(PAGES / "data" / "contract.py", title="Workbook contract",
                icon=":material/table:", url_path="contract"),
    ],
    "Present": [
        st.Page(PAGES / "dashboard" / "present.py", title="Presentation",
                icon=":material/slideshow:", url_path="present", default=presenting),
    ],
}
# Presenting, every URL shows the story: one message per screen, nothing else to click.
page = st.navigation(pages["Present"] if presenting else pages)

if presenting:
    st.query_params[state.PRESENT] = "1"
    # Screen-sharing: no sidebar, no toolbar, large type.
    st.html("""<style>
      [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
      [data-testid="stToolbar"], header[data-testid="stHeader"] {display: none !important;}
      .block-container {padding-top: 1rem; padding-bottom: 0; max-width: 1400px;}
      .stMarkdown p, .stMarkdown li {font-size: 1.35rem; line-height: 1.35; margin: 0;}
      h1 {font-size: 2.3rem !important; padding-top: 0 !important;}
    </style>""")
else:
    st.query_params.pop(state.PRESENT, None)
    sidebar.render(source)
    sidebar.damage_warning(source)

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
