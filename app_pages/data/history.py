"""History: every published version, who published it and when; view any of them, download
the exact files that were uploaded, and (editors) roll back."""

import pandas as pd
import streamlit as st

from ui import data, editor, render, state

render.page_title("History", "Every publish is kept. Rolling back publishes an earlier "
                             "version again as a new one; nothing is rewritten.")
render.show_flash()
store = data.usable_store()
if store is None:
    st.stop()
versions = store.versions()
if not versions:
    st.info("Nothing has been published yet: everyone sees the sample organisation. Publish "
            "from the Upload & publish page.")
    st.stop()

render.table(pd.DataFrame([{
    "version": v.id,
    "published (UTC)": v.published_at.strftime("%Y-%m-%d %H:%M"),
    "by": v.editor,
    "note": v.note or ("Rollback to version " + str(v.rolled_back_from)
                       if v.rolled_back_from else ""),
    "quarters": ", ".join(v.quarters),
    "files": ", ".join(f.name for f in v.files),
    "warnings": v.warning_count,
} for v in versions]))

latest = versions[0]
chosen_id = st.selectbox("Version", [v.id for v in versions], key="history_version",
                         format_func=lambda i: next(v.label for v in versions if v.id == i))
chosen = next(v for v in versions if v.id == chosen_id)

left, right = st.columns(2)
with left:
    if chosen.id == latest.id:
        st.caption("This is the latest version: what everyone sees.")
    elif st.button(f"Show version {chosen.id} on every page (this session only)"):
        st.session_state[state.VIEW_VERSION] = chosen.id
        st.rerun()
    if state.get(state.VIEW_VERSION) and st.button("Back to the latest version"):
        st.session_state.pop(state.VIEW_VERSION)
        st.rerun()
with right:
    st.markdown(f"**Files uploaded for version {chosen.id}**")
    for index, (name, content) in enumerate(store.files(chosen.id)):
        st.download_button(render.md_inline(name), content, name, key=f"file_{chosen.id}_{index}",
                           icon=":material/download:")

if chosen.id != latest.id:
    st.subheader("Roll back")
    if editor.sign_in() and st.button(f"Publish version {chosen.id} again as the latest",
                                      type="primary"):
        info = store.rollback(chosen.id, editor=st.session_state[editor.EDITOR_NAME])
        st.session_state.pop(state.VIEW_VERSION, None)
        render.flash_and_rerun(f"Rolled back: {info.label} has version {chosen.id}'s content.")
