"""History: every published version, who published it and when; view any of them, download
it as one workbook, (editors) download the files that were uploaded, purge them, and roll
back after a confirmation."""

import pandas as pd
import streamlit as st

from ui import data, editor, publish, render, state

render.page_title("History", "Every publish is kept. Rolling back publishes an earlier "
                             "version again as a new one; nothing is rewritten.")
render.show_flash()
store = data.usable_store()
published = data.published() if store else None
if store is None or published is None:
    st.stop()
versions = store.versions()
if not versions:
    st.info("Nothing has been published yet: everyone sees the sample organisation. Publish "
            "from the Upload & publish page.")
    st.stop()

shown_id = published.version.id if published.version else None
damaged = data.damaged_versions(versions[0].id) | set(published.damaged)


def _status(version_id: int) -> str:
    if version_id in damaged:
        return "damaged"
    return "live" if version_id == shown_id else ""


render.table(pd.DataFrame([{
    "version": v.id,
    "status": _status(v.id),
    "published (UTC)": v.published_at.strftime("%Y-%m-%d %H:%M"),
    "by": v.editor,
    "note": v.note or ("Rollback to version " + str(v.rolled_back_from)
                       if v.rolled_back_from else ""),
    "quarters": ", ".join(v.quarters),
    "files": data.files_label(v),
    "warnings": v.warning_count,
} for v in versions]))

chosen_id = st.selectbox("Version", [v.id for v in versions], key="history_version",
                         format_func=lambda i: next(v.label for v in versions if v.id == i)
                         + (" — damaged" if i in damaged else ""))
chosen = next(v for v in versions if v.id == chosen_id)
chosen_data = None if chosen.id in damaged else data.try_load_version(chosen.id)
if chosen_data is None:
    st.error(f"Version {chosen.id} is damaged: its stored data fails its checksum, so it "
             "cannot be shown, downloaded or rolled back to. Roll back to an earlier good "
             "version instead (pick it above); nothing else is lost.",
             icon=":material/broken_image:")

left, right = st.columns(2)
with left:
    if chosen.id == shown_id:
        st.caption("This is the published version: what everyone sees.")
    elif chosen_data is not None and st.button(
            f"Show version {chosen.id} on every page (this session only)"):
        st.session_state[state.VIEW_VERSION] = chosen.id
        st.rerun()
    if state.get(state.VIEW_VERSION) and st.button("Back to the latest version"):
        st.session_state.pop(state.VIEW_VERSION)
        st.rerun()
    if chosen_data is not None:
        st.download_button(f"Download version {chosen.id} as one workbook (.xlsx)",
                           lambda: data.version_workbook(chosen.id),
                           f"it-value-version-{chosen.id}.xlsx", key=f"book_{chosen.id}",
                           icon=":material/download:",
                           mime="application/vnd.openxmlformats-officedocument."
                                "spreadsheetml.sheet",
                           help="Every table of this version in the template's shape: edit it "
                                "and upload it again.")
with right:
    st.markdown(f"**Files uploaded for version {chosen.id}**")
    kept = [f.name for f in chosen.files if not f.purged]
    if not kept:
        st.caption(data.files_label(chosen) or "No files kept.")
    elif state.editor():  # only editors' sessions ever receive the bytes
        for index, (name, content) in enumerate(store.files(chosen.id)):
            st.download_button(render.md_inline(name), content, name,
                               key=f"file_{chosen.id}_{index}", icon=":material/download:")
    else:
        render.sentences(kept)
        st.caption("Only editors can download the original files (they may hold personal "
                   "data the dashboard ignores). Everyone can download the version's data "
                   "as one workbook.")

if not editor.sign_in():
    st.stop()

if kept:
    st.button(f"Purge version {chosen.id}'s uploaded files …", icon=":material/delete:",
              key="purge", on_click=publish.open_purge, args=(chosen.id,))
    publish.purge_dialog(chosen, kept)

if chosen.id != published.latest_id and chosen_data is not None:
    st.subheader("Roll back")
    st.button(f"Publish version {chosen.id} again as the latest …", type="primary",
              icon=":material/history:", on_click=publish.open_rollback,
              args=(chosen.id, published.latest_id))
    publish.rollback_dialog(chosen, published, chosen_data)
