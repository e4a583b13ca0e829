"""The screens a page is shared on: print, phone, presentation (large type, no sidebar) and the
keys a presenter's clicker sends.

The styles are constants written here: nothing from data or links is ever put into them.
"""

from __future__ import annotations

import streamlit as st

# Every page, once per run. Print: only the page's content, within the paper's width; a
# chart, tile, table or card (a container keyed "card_…", as the catalogue's) is never split
# across two sheets. Phone: tiles and their columns
# stack (Streamlit does this below 640 px); wide tables scroll inside their own frame.
SHELL_CSS = """<style>
@media print {
  @page { margin: 12mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stExpandSidebarButton"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stBottom"], [data-testid="stChatInput"], [data-testid="stPopover"],
  [data-testid="stBaseButton-secondary"], [data-testid="stBaseButton-primary"],
  [data-testid="stDownloadButton"], [data-testid="stFileUploader"], iframe,
  [data-testid="stTextInput"], [data-testid="stSelectbox"], [data-testid="stButtonGroup"],
  [data-testid="stRadio"], [data-testid="stCheckbox"], [data-testid="stMultiSelect"],
  [data-testid="stElementToolbar"] {
    display: none !important;
  }
  html, body, [data-testid="stApp"], [data-testid="stAppViewContainer"],
  [data-testid="stMain"] {
    position: static !important; overflow: visible !important; height: auto !important;
    margin-left: 0 !important; background: white !important;
  }
  [data-testid="stMainBlockContainer"] {
    max-width: 100% !important; padding: 0 !important;
  }
  /* A chart or table keeps the width it was drawn at on screen: the page is laid out at a
     desktop's width and scaled down to the paper, as a browser's "fit to page" would. */
  [data-testid="stMain"] { zoom: 0.62; }
  [data-testid="stMetric"], [data-testid="stPlotlyChart"], [data-testid="stDataFrame"],
  [data-testid="stAlert"], [data-testid="stVerticalBlockBorderWrapper"],
  [data-testid="stTable"], [class*="st-key-card_"] {
    break-inside: avoid;
  }
  h1, h2, h3 { break-after: avoid; }
  [data-testid="stPlotlyChart"], [data-testid="stDataFrame"] {
    max-width: 100% !important; overflow: hidden !important;
  }
}
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-left: 1rem; padding-right: 1rem; }
  [data-testid="stDataFrame"] { max-width: 100%; overflow-x: auto; }
  /* A bill or a price list (st.table) fits the phone's width, its words wrapping, rather than
     scrolling sideways in a region a keyboard cannot reach (axe: scrollable-region-focusable). */
  [data-testid="stTable"] > div { overflow: visible !important; }
  [data-testid="stTable"] table { table-layout: fixed; width: 100%; }
  [data-testid="stTable"] th, [data-testid="stTable"] td {
    overflow-wrap: anywhere; padding: 0.25rem !important; font-size: 0.8rem;
  }
  h1 { font-size: 1.8rem !important; }
}
</style>"""

# Presenting: screen-sharing, so no sidebar, no toolbar, large type.
PRESENTING_CSS = """<style>
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stExpandSidebarButton"], [data-testid="stToolbar"],
  header[data-testid="stHeader"] {display: none !important;}
  .block-container {padding-top: 1rem; padding-bottom: 0; max-width: 1400px;}
  .stMarkdown p, .stMarkdown li {font-size: 1.35rem; line-height: 1.35; margin: 0;}
  h1 {font-size: 2.3rem !important; padding-top: 0 !important;}
  @media (max-width: 640px) {
    /* the slide's buttons in rows of three, not a column that pushes the slide away */
    .st-key-slide_controls [data-testid="stHorizontalBlock"] {
      flex-direction: row !important; flex-wrap: wrap !important;
    }
    .st-key-slide_controls [data-testid="stColumn"] {
      min-width: calc(33% - 1rem) !important; flex: 1 1 calc(33% - 1rem) !important;
    }
    .stMarkdown p, .stMarkdown li {font-size: 1.1rem;}
    h1 {font-size: 1.7rem !important;}
  }
</style>"""


def styles(presenting: bool) -> None:
    """The shell's stylesheet, drawn once per run before the page."""
    st.html(SHELL_CSS + (PRESENTING_CSS if presenting else ""))


# Clickers send arrows, Page Up/Down or Space. The listener sits on the app's document (a
# components.v2 component is not in an iframe), ignores keys typed into a field, an open
# menu or dialog, and with a modifier (browser shortcuts), and tells Python which way to move:
# the step itself stays in Python, so the buttons and the keys can never disagree.
_SLIDE_KEYS_JS = """
export default function(component) {
  const { setTriggerValue } = component;
  const NEXT = new Set(["ArrowRight", "PageDown", " ", "Spacebar"]);
  const PREVIOUS = new Set(["ArrowLeft", "PageUp"]);
  const TYPING = 'input, textarea, select, [contenteditable="true"], [role="dialog"], '
    + '[role="listbox"], [data-baseweb="popover"]';
  const onKey = (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target instanceof Element && target.closest(TYPING)) return;
    const move = NEXT.has(event.key) ? "next" : PREVIOUS.has(event.key) ? "previous" : null;
    if (move === null) return;
    // Space would also press a focused button, and all of these keys scroll the page.
    event.preventDefault();
    setTriggerValue("move", move);
  };
  document.addEventListener("keydown", onKey);
  return () => document.removeEventListener("keydown", onKey);
};
"""

_slide_keys = st.components.v2.component("valuelib.slide_keys", js=_SLIDE_KEYS_JS)


def slide_keys(key: str = "slide_keys") -> str | None:
    """Listen for a presenter's keys; on the run a key started: "next" or "previous"."""
    result = _slide_keys(key=key, on_move_change=lambda: None)
    return result.get("move")
