"""Editor sign-in: publishing and rolling back need the editor passcode. Viewers never see a
publishing control; this form only asks for the passcode."""

from __future__ import annotations

import streamlit as st

from valuelib.safe_text import md, md_inline
from valuelib.store import check_passcode, configured_passcode

from . import state

EDITOR_NAME = "editor_name"


def _secrets():
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml: Streamlit raises rather than returning empty
        return {}


def sign_in() -> bool:
    """True once this session has given the right passcode; otherwise draws the form."""
    if state.editor():
        st.caption(f"Signed in as editor: {md_inline(st.session_state.get(EDITOR_NAME))}")
        return True
    with st.form("editor_sign_in"):
        st.markdown("**Editors: sign in to publish or roll back**")
        name = st.text_input("Your name (recorded with each version)")
        passcode = st.text_input("Editor passcode", type="password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        result = check_passcode(passcode, configured_passcode(_secrets()))
        if not name.strip():
            st.error("Give your name: it is recorded with every version you publish.")
        elif result.ok:
            st.session_state[state.EDITOR] = True
            st.session_state[EDITOR_NAME] = name.strip()
            st.rerun()
        else:
            st.error(md(result.message))
    return False
