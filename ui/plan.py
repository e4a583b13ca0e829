"""The Plan page's shell: the scenario being edited (kept in the session and written into the
link, so the address bar can always be shared), saved scenarios in the store, and the
editor's delete.

A link opens a scenario: ``?scenario=ID`` a saved one, ``?move=…&users=…`` one written out
(valuelib.links.plan_link). Editing the scenario rewrites the link: ``?scenario=ID`` while it
is the saved one unchanged, its changes otherwise.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from urllib.parse import urlencode

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from valuelib import links, whatif
from valuelib.store import SavedScenario, ScenarioNotFoundError, StoreVersionError

from . import data, editor, render, state

log = logging.getLogger(__name__)

PAGE = "app_pages/dashboard/plan.py"
_LINK_KEYS = (links.SCENARIO, links.SCENARIO_NAME, *links.CHANGE_KEYS)
_STORE_PROBLEMS = (StoreVersionError, SQLAlchemyError)


def draft() -> whatif.Scenario:
    """The scenario being edited (its name is the name box's)."""
    changes = st.session_state.get(state.PLAN_DRAFT, ())
    return whatif.Scenario(st.session_state.get(state.PLAN_NAME, "") or "", tuple(changes))


def _set_draft(scenario: whatif.Scenario, opened: int | None) -> None:
    st.session_state[state.PLAN_DRAFT] = tuple(scenario.changes)
    st.session_state[state.PLAN_NAME] = scenario.name
    st.session_state[state.PLAN_OPENED] = (opened, scenario) if opened else None


def opened() -> int | None:
    """The saved scenario's id while the draft is that scenario unchanged, else None."""
    kept = st.session_state.get(state.PLAN_OPENED)
    if not kept:
        return None
    scenario_id, scenario = kept
    return scenario_id if draft() == scenario else None


def _link_params() -> dict[str, list[str]]:
    return {k: list(st.query_params.get_all(k)) for k in _LINK_KEYS
            if st.query_params.get_all(k)}


def read_link() -> tuple[str, ...]:
    """Open the scenario the link names, when the link changed since this session last wrote
    it (a link followed, pasted or edited); the notes say what could not be opened."""
    params = _link_params()
    if params == st.session_state.get(state.PLAN_URL) and state.PLAN_DRAFT in st.session_state:
        return ()
    asked = links.plan_link(params)
    notes = list(asked.notes)
    if asked.scenario_id is not None:
        saved = _saved(asked.scenario_id, notes)
        if saved is not None:
            try:
                _set_draft(whatif.Scenario.from_dict(saved.scenario), saved.id)
            except ValueError as exc:
                notes.append(f"Scenario {saved.id} cannot be read ({exc}); showing a new "
                             "scenario.")
                _set_draft(whatif.Scenario(""), None)
        else:
            _set_draft(whatif.Scenario(""), None)
    elif asked.scenario is not None:
        _set_draft(asked.scenario, None)
    elif state.PLAN_DRAFT not in st.session_state:
        _set_draft(whatif.Scenario(""), None)
    st.session_state[state.PLAN_URL] = params
    return tuple(notes)


def _saved(scenario_id: int, notes: list[str]) -> SavedScenario | None:
    opened_store = data.usable_store()
    if opened_store is None:
        notes.append(f"Scenario {scenario_id} cannot be opened while the database does not "
                     "answer; showing a new scenario.")
        return None
    try:
        return opened_store.scenario(scenario_id)
    except ScenarioNotFoundError as exc:
        notes.append(f"{exc} Showing a new scenario.")
        return None


def write_link() -> None:
    """The link of the scenario on screen: ``?scenario=ID`` or its changes."""
    scenario_id = opened()
    if scenario_id is not None:
        pairs = [(links.SCENARIO, str(scenario_id))]
    else:
        pairs = links.plan_query(draft())
    wanted: dict[str, list[str]] = defaultdict(list)
    for key, value in pairs:
        wanted[key].append(value)
    if dict(wanted) == _link_params():
        st.session_state[state.PLAN_URL] = dict(wanted)
        return
    for key in _LINK_KEYS:
        if key in wanted:
            st.query_params[key] = wanted[key]
        else:
            st.query_params.pop(key, None)
    st.session_state[state.PLAN_URL] = dict(wanted)


def share_url() -> str:
    """The address of the scenario on screen (what the link in the address bar holds)."""
    base = (getattr(st.context, "url", None) or "").split("?")[0]
    query = urlencode([(k, v) for k, values in _link_params().items() for v in values])
    return f"{base}?{query}" if query else base


def add(change: whatif.Change) -> None:
    """A change added to the end of the scenario (a button's callback)."""
    changes = tuple(st.session_state.get(state.PLAN_DRAFT, ()))
    if len(changes) < whatif.MAX_CHANGES:
        st.session_state[state.PLAN_DRAFT] = (*changes, change)


def remove(index: int) -> None:
    changes = list(st.session_state.get(state.PLAN_DRAFT, ()))
    if 0 <= index < len(changes):
        del changes[index]
    st.session_state[state.PLAN_DRAFT] = tuple(changes)


def clear() -> None:
    _set_draft(whatif.Scenario(""), None)


def open_saved(saved: SavedScenario) -> None:
    """Put a saved scenario into the editor (a button's callback)."""
    try:
        _set_draft(whatif.Scenario.from_dict(saved.scenario), saved.id)
    except ValueError as exc:
        st.session_state[state.PLAN_NOTE] = f"Scenario {saved.id} cannot be read ({exc})."


def saved_scenarios() -> list[SavedScenario] | None:
    """Every saved scenario, newest first; None after saying why the store cannot answer."""
    opened_store = data.usable_store()
    if opened_store is None:
        return None
    try:
        return opened_store.scenarios()
    except _STORE_PROBLEMS as exc:
        log.warning("scenarios could not be listed: %s", exc)
        st.warning("Saved scenarios cannot be listed right now: the database does not answer.")
        return None


def save(source: data.Source) -> None:
    """Save the scenario on screen against the data shown (the Save button's callback: it
    renames the scenario, so it runs before the name box is drawn); says how it went."""
    scenario = draft()
    opened_store = data.usable_store()
    if opened_store is None:
        return
    version = source.version.id if source.version and source.kind in (
        "published", "version") else None
    try:
        saved = opened_store.save_scenario(scenario.name, scenario.as_dict(), version,
                                           editor.name())
    except ValueError as exc:
        render.flash(str(exc), "error")
        return
    except _STORE_PROBLEMS as exc:
        log.warning("scenario not saved: %s", exc)
        render.flash("The scenario was not saved: the database does not answer. Try again "
                     "in a moment.", "error")
        return
    _set_draft(whatif.Scenario.from_dict(saved.scenario), saved.id)
    render.flash(f"Saved as scenario {saved.id}, '{saved.name}'.")


def delete(scenario_id: int) -> str:
    """An editor deletes a saved scenario; what to say afterwards."""
    if not state.editor():
        return "Only a signed-in editor can delete a scenario."
    opened_store = data.usable_store()
    if opened_store is None:
        return ""
    try:
        opened_store.delete_scenario(scenario_id, editor.name())
    except ScenarioNotFoundError as exc:
        return str(exc)
    except _STORE_PROBLEMS as exc:
        log.warning("scenario not deleted: %s", exc)
        return "The scenario was not deleted: the database does not answer."
    if opened() == scenario_id:
        st.session_state[state.PLAN_OPENED] = None
    return f"Scenario {scenario_id} deleted."


def made_on(saved: SavedScenario) -> str:
    """Which data a saved scenario was made on, in words."""
    if saved.version_id is None:
        return "not published data (the sample or a preview)"
    return f"version {saved.version_id}"


def keep_known(key: str, options) -> None:
    """Drop from a multiselect's choice what is no longer among its options (before it is
    drawn)."""
    chosen = st.session_state.get(key)
    if chosen:
        st.session_state[key] = [c for c in chosen if c in options]
