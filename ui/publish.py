"""Publishing and rolling back from the pages: the change summary, the tick a big change
needs, and the confirmation dialogs that repeat the summary before anything is written.

A dialog stays open across reruns while its session flag is set: AppTest (and a full rerun
in the browser) runs the whole script, so the dialog must be drawn again for its buttons to
be seen.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from valuelib.datafiles import strip_ignored_columns
from valuelib.model import Dataset
from valuelib.publishing import (
    ChangeSummary,
    PublishPlan,
    PublishRefused,
    diff_against,
    publish,
)
from valuelib.store import StaleBaseError, StoreMovedError, VersionInfo

from . import data, editor, render, state

CONFIRM_PUBLISH = "confirm_publish"  # session: the plan the open publish dialog shows
CONFIRM_ROLLBACK = "confirm_rollback"  # session: (version id, base version) of a rollback
CONFIRM_PURGE = "confirm_purge"  # session: the version id whose files may be purged
TICKED = "publish_ticked"  # the checkbox a big change needs
SUMMARY_HEIGHT = 340  # px: the dialog's summary scrolls, its buttons stay in view
UPLOADER_ROUND = "uploader_round"  # bumped after a publish: a new uploader key empties it


def uploader_key() -> str:
    """The file uploader's key; a new one after each publish resets the widget."""
    round_ = int(st.session_state.get(UPLOADER_ROUND, 0))
    return state.UPLOAD if round_ == 0 else f"{state.UPLOAD}_{round_}"


def changes(summary: ChangeSummary) -> None:
    """The change summary, a sentence per table, then totals, blocks and per-user moves."""
    render.sentences(summary.lines())


def needs_tick(plan: PublishPlan) -> bool:
    """True until the editor has ticked the box a big change asks for (draws the box)."""
    if not plan.confirmations:
        return False
    st.warning("This publish makes changes that are easy to make by mistake:\n\n"
               + "\n".join(f"- {render.md_inline(reason)}" for reason in plan.confirmations),
               icon=":material/priority_high:")
    return not st.checkbox("I have checked these changes and mean to make them", key=TICKED)


def open_publish(plan: PublishPlan) -> None:
    """Open the confirmation for exactly this plan: if anything reruns the page meanwhile
    (or someone publishes), the dialog still publishes what it showed, or is refused."""
    st.session_state[CONFIRM_PUBLISH] = plan


def _close() -> None:
    st.session_state.pop(CONFIRM_PUBLISH, None)
    st.session_state.pop(CONFIRM_ROLLBACK, None)
    st.session_state.pop(CONFIRM_PURGE, None)


def _cleared_after_publish() -> None:
    """The upload, its findings and its preview go: the page starts again from empty."""
    st.session_state.pop(data.UPLOAD_FILES, None)
    st.session_state[UPLOADER_ROUND] = int(st.session_state.get(UPLOADER_ROUND, 0)) + 1
    for key in (state.PREVIEW, state.VIEW_VERSION, TICKED):
        st.session_state.pop(key, None)


def _attempt(write: Callable[[], VersionInfo], done: Callable[[VersionInfo], str]) -> None:
    """Run ``write``; every way it can be refused becomes a plain message on the page after
    the dialog closes (st.rerun), never a traceback and never a success that did not happen."""
    try:
        with st.spinner("Publishing …"):
            info = write()
    except StaleBaseError as exc:
        _close()
        st.session_state.pop(TICKED, None)  # the new plan may ask for a different tick
        render.flash_and_rerun(
            f"Not published: version {exc.newest} was published meanwhile: review the changes "
            f"again. They are worked out afresh below, against version {exc.newest}.",
            kind="warning")
    except StoreMovedError as exc:
        _close()
        render.flash_and_rerun(str(exc), kind="error")  # it says nothing was published
    except PublishRefused as exc:
        _close()
        render.flash_and_rerun(str(exc), kind="error")
    except SQLAlchemyError as exc:
        _close()
        render.flash_and_rerun("The database did not accept the new version "
                               f"({type(exc).__name__}); nothing was published. Try again, "
                               "or check that the database server is running.", kind="error")
    else:
        _close()
        render.flash_and_rerun(done(info))


def kept_files(files: tuple[tuple[str, bytes], ...], incoming: Dataset,
               keep_originals: bool) -> list[tuple[str, bytes]]:
    """The files stored with the version: as uploaded, or without the columns the dashboard
    ignores (personal data in an ITSM export, usually)."""
    if keep_originals:
        return list(files)
    return [(name, strip_ignored_columns(name, content, incoming)) for name, content in files]


def publish_dialog(files: tuple[tuple[str, bytes], ...], note: str,
                   keep_originals: bool) -> None:
    """The confirmation: the summary again, then Publish now / Cancel."""

    @st.dialog("Publish for everyone?", width="large", on_dismiss=_close)
    def confirm() -> None:
        st.markdown("Everyone with the link will see this data as soon as you publish. "
                    "What changes:")
        with st.container(height=SUMMARY_HEIGHT):  # the buttons stay on a 720 px screen
            changes(plan.changes)
            if plan.confirmations:
                st.markdown("**You ticked to confirm:**")
                render.sentences(plan.confirmations)
        kept = "as uploaded" if keep_originals else "without the columns the dashboard ignores"
        st.caption(f"Published by **{render.md_inline(editor.name())}**"
                   + (f" — note: {render.md_inline(note)}" if note else "")
                   + f". Files kept ({kept}, for editors only): "
                   + render.md_inline(", ".join(name for name, _ in files)) + ".")
        if _buttons("Publish now", ":material/publish:"):
            ticked = bool(st.session_state.get(TICKED))

            def done(info: VersionInfo) -> str:
                _cleared_after_publish()
                return f"Published {info.label}. Everyone with the link now sees it."

            _attempt(lambda: publish(data.store(), plan, kept_files(files, plan.incoming,
                                                                    keep_originals),
                                     editor=editor.name(), note=note, confirmed=ticked), done)

    plan = st.session_state.get(CONFIRM_PUBLISH)
    if isinstance(plan, PublishPlan):
        confirm()


def open_rollback(version_id: int, base_version: int | None) -> None:
    st.session_state[CONFIRM_ROLLBACK] = (version_id, base_version)


def open_purge(version_id: int) -> None:
    st.session_state[CONFIRM_PURGE] = version_id


def _buttons(confirm_label: str, icon: str) -> bool:
    """Confirm / Cancel side by side; True when confirmed (Cancel closes the dialog)."""
    left, right = st.columns(2)
    if right.button("Cancel", width="stretch"):
        _close()
        st.rerun()
    return left.button(confirm_label, type="primary", icon=icon, width="stretch")


def rollback_dialog(chosen: VersionInfo, published: data.Published,
                    chosen_data: Dataset) -> None:
    """Roll back to ``chosen`` after a confirmation that says what changes: the summary from
    the published data to the chosen version's."""

    @st.dialog(f"Roll back to version {chosen.id}?", width="large", on_dismiss=_close)
    def confirm() -> None:
        st.markdown(f"Version {chosen.id}'s data is published again as a new version; "
                    "nothing is deleted. What changes for everyone:")
        with st.container(height=SUMMARY_HEIGHT):
            # A rollback replaces everything: the summary from the live data to the chosen one.
            changes(diff_against(published.dataset, chosen_data, chosen_data))
        if _buttons("Roll back now", ":material/history:"):
            def done(info: VersionInfo) -> str:
                st.session_state.pop(state.VIEW_VERSION, None)
                return f"Rolled back: {info.label} has version {chosen.id}'s content."

            _attempt(lambda: _rollback(chosen.id, asked[1]), done)

    asked = st.session_state.get(CONFIRM_ROLLBACK) or (None, None)
    if asked[0] == chosen.id:
        confirm()


def _rollback(version_id: int, base_version: int | None) -> VersionInfo:
    """Roll back, unless a version was published after the summary was shown (checked inside
    the store's write lock)."""
    return data.store().rollback(version_id, editor=editor.name(), base_version=base_version)


def purge_dialog(chosen: VersionInfo, names: list[str]) -> None:
    """Delete the files kept with ``chosen`` (its data stays), after a confirmation."""

    @st.dialog(f"Purge version {chosen.id}'s uploaded files?", on_dismiss=_close)
    def confirm() -> None:
        st.markdown("These files are deleted for good; the version's data, its figures and "
                    "its workbook download stay. The purge is recorded in History with your "
                    "name.")
        render.sentences(names)
        if _buttons("Purge the files", ":material/delete:"):
            try:
                data.store().purge_files(chosen.id, editor=editor.name())
            except StoreMovedError as exc:
                _close()
                render.flash_and_rerun(f"{exc} Nothing was purged.", kind="error")
            _close()
            render.flash_and_rerun(f"Purged the files of version {chosen.id}.")

    if st.session_state.get(CONFIRM_PURGE) == chosen.id:
        confirm()
