"""Session state keys, named in one place, with typed getters.

Widget keys double as URL query parameter names where a widget is bound to the URL
(``bind="query-params"``), so a copied link reopens the same view.
"""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitAPIException

QUARTER = "quarter"  # bound to ?quarter=
BUSINESS_UNIT = "bu"  # bound to ?bu=
SERVICE = "service"  # bound to ?service=
STATEMENT_UNIT = "unit"  # bound to ?unit=: the unit whose Bill of IT the Chargeback page shows
PRESENT = "present"  # ?present=1 (URL parameter)
PRESENTING = "presenting"  # session: presentation mode on (not a widget key, so it survives
#                            runs where the sidebar toggle is not drawn)
STEP = "step"  # ?step=N in presentation mode
LINK_NOTES = "link_notes"  # session: a link's notes, kept across a page switch
CAME_FROM = "came_from"  # session: (page file, its query parameters) before presenting
QUESTION = "q"  # ?q=... answered on open
UPLOAD = "upload"  # the Data page's file uploader
PREVIEW = "preview_upload"  # show this session's upload on every page (not published)
VIEW_VERSION = "view_version"  # an earlier published version chosen in History
EDITOR = "editor_unlocked"  # passcode accepted in this session
PLAN_DRAFT = "plan_draft"  # session: the Plan page's scenario, its changes (tuple of Change)
PLAN_NAME = "plan_name"  # the Plan page's scenario name box
PLAN_OPENED = "plan_opened"  # session: (id, Scenario) of the saved scenario last opened
PLAN_URL = "plan_url"  # session: the Plan link's parameters as this session last read/wrote
PLAN_NOTE = "plan_note"  # session: a note for the Plan page's next run
PLAN_COMPARE = "plan_compare"  # the Plan page's saved scenarios to compare
ALL_UNITS = "All business units"


def get(key: str, default=None):
    return st.session_state.get(key, default)


def present() -> bool:
    return bool(st.session_state.get(PRESENTING, False))


def set_present(on: bool) -> None:
    st.session_state[PRESENTING] = on


def remember_page(path: str) -> None:
    """The page on screen and its link, where Exit from the presentation returns to."""
    st.session_state[CAME_FROM] = (path, {k: v for k, v in st.query_params.to_dict().items()
                                          if k not in (PRESENT, STEP)})


def came_from() -> tuple[str | None, dict]:
    """The page the presenter came from and its query parameters (None: not known)."""
    return st.session_state.get(CAME_FROM, (None, {}))


def view_params(default_quarter: str | None = None) -> dict:
    """The quarter (``default_quarter`` when none is chosen) and business unit on screen, as
    a link's query parameters."""
    params = {QUARTER: quarter() or default_quarter, BUSINESS_UNIT: business_unit()}
    return {key: value for key, value in params.items() if value}


def put_params(params: dict) -> None:
    """Write ``params`` into the URL, leaving alone any a widget still holds (it writes
    them itself, and Streamlit lets go of them once the widget is no longer drawn)."""
    for key, value in params.items():
        if st.query_params.get(key) == value:
            continue
        try:
            st.query_params[key] = value
        except StreamlitAPIException:  # bound to a widget drawn on the run before
            continue


def editor() -> bool:
    return bool(st.session_state.get(EDITOR, False))


def _bound(key: str) -> str | None:
    """A URL-bound filter: the widget's value, or the link's parameter when the widget is not
    drawn (presentation mode has no sidebar)."""
    value = st.session_state.get(key)
    return value if value is not None else st.query_params.get(key)


def quarter() -> str | None:
    return _bound(QUARTER)


def business_unit() -> str | None:
    unit = _bound(BUSINESS_UNIT)
    return None if unit in (None, "", ALL_UNITS) else unit


def statement_unit() -> str | None:
    """The unit whose Bill of IT the Chargeback page shows: its picker (or the link's
    ?unit=), else the sidebar's business unit."""
    return _bound(STATEMENT_UNIT) or business_unit()


SERVICES_PAGE = "app_pages/dashboard/services.py"
# a view's link (valuelib.links.page_url) names a page by its url path: its file here
PAGE_FILES = {"home": "app_pages/dashboard/overview.py", "services": SERVICES_PAGE,
              "cost_value": "app_pages/dashboard/cost_value.py",
              "support": "app_pages/dashboard/support.py"}
WIDGET_PARAMS = (QUARTER, BUSINESS_UNIT)  # carried by the sidebar's widgets themselves


def open_service(name: str | None) -> None:
    """Open a service's page, keeping the quarter and unit the reader was looking at: they are
    the sidebar's widgets, bound to the link, so they carry over by themselves (Streamlit
    refuses a switch that sets, or clears, a widget-bound parameter)."""
    if not name:
        return
    st.session_state[SERVICE] = name
    st.switch_page(SERVICES_PAGE, query_params={SERVICE: name})
