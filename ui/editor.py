"""Editor sign-in and sign-out: publishing, rolling back and purging need the editor
passcode. Viewers never see those controls; this form only asks for the passcode.

Wrong passcodes are throttled per browser session AND per client address (one throttle for
the whole server, so opening a new tab does not reset it). With per-editor passcodes
configured, the name recorded with a version is the passcode owner's, never typed in.
"""

from __future__ import annotations

import uuid

import streamlit as st

from valuelib.editors import PasscodeThrottle, check_editor, configured_editors
from valuelib.safe_text import md_inline
from valuelib.store import configured_passcode

from . import state

EDITOR_NAME = "editor_name"
_SESSION_ID = "editor_session_id"  # session: a random id, the throttle's per-session key


def _secrets():
    try:
        return dict(st.secrets)
    except Exception:  # no secrets.toml: Streamlit raises rather than returning empty
        return {}


@st.cache_resource(show_spinner=False)
def _throttle() -> PasscodeThrottle:
    """One throttle per server process: every session's failures count."""
    return PasscodeThrottle()


def _client_address() -> str:
    """The client's address as the server sees it: Streamlit's own (None on localhost), else
    the first hop a reverse proxy names, else 'local'. Spoofable behind a careless proxy, so
    the per-session count applies as well."""
    address = getattr(st.context, "ip_address", None)
    if isinstance(address, str) and address:
        return address
    try:
        headers = st.context.headers
        forwarded = headers.get("X-Forwarded-For") or headers.get("X-Real-Ip") or ""
    except Exception:  # no request headers (a test harness, a bare run)
        forwarded = ""
    forwarded = forwarded.split(",")[0].strip() if isinstance(forwarded, str) else ""
    return forwarded or "local"


def _throttle_keys() -> tuple[str, str]:
    session = st.session_state.setdefault(_SESSION_ID, uuid.uuid4().hex)
    return (f"session:{session}", f"address:{_client_address()}")


def name() -> str:
    """The signed-in editor's name, as recorded with each version."""
    return str(st.session_state.get(EDITOR_NAME, ""))


def sign_out() -> None:
    st.session_state.pop(state.EDITOR, None)
    st.session_state.pop(EDITOR_NAME, None)


def sign_in() -> bool:
    """True once this session has given the right passcode (and draws who is signed in, with
    a Sign out button); otherwise draws the form."""
    if state.editor():
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.caption(f"Signed in as editor: **{md_inline(name())}**")
        right.button("Sign out", icon=":material/logout:", on_click=sign_out,
                     key="sign_out")
        return True
    secrets = _secrets()
    try:
        editors = configured_editors(secrets)
    except ValueError as exc:  # VALUELIB_EDITORS cannot be read: say so, publish nothing
        st.error(str(exc))
        return False
    with st.form("editor_sign_in"):
        st.markdown("**Editors: sign in to publish or roll back**")
        given_name = st.text_input("Your name (as registered for your passcode)" if editors
                                   else "Your name (recorded with each version)")
        passcode = st.text_input("Editor passcode", type="password")
        submitted = st.form_submit_button("Sign in")
    if submitted:
        _submit(given_name, passcode, editors, configured_passcode(secrets))
    return False


def _submit(given_name: str, passcode: str, editors: dict[str, str],
            shared: str | None) -> None:
    throttle, keys = _throttle(), _throttle_keys()
    wait = max(throttle.check(key) for key in keys)
    if wait:
        st.error(throttle.message(wait), icon=":material/timer:")
        return
    if not editors and not given_name.strip():
        st.error("Give your name: it is recorded with every version you publish.")
        return
    result = check_editor(given_name, passcode, editors=editors, shared=shared)
    if result.ok:
        for key in keys:
            throttle.record_success(key)
        st.session_state[state.EDITOR] = True
        st.session_state[EDITOR_NAME] = result.editor  # the registered name, when per-editor
        st.rerun()
    if not result.configured:  # publishing is switched off: nothing to guess
        st.error(result.message)
        return
    wait = max(throttle.record_failure(key) for key in keys)
    st.error(result.message + (" " + throttle.message(wait) if wait else ""))
