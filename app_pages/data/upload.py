"""Upload & publish: the template, a check of uploaded files with every finding, a private
preview, what publishing would change, and (for editors) publishing."""

import streamlit as st

from ui import data, editor, render, state
from valuelib.model import findings_frame
from valuelib.store import diff_against, merge_for_publish
from valuelib.template import write_template

ERRORS_LISTED = 10  # the first errors as sentences; all of them in the sortable table

render.page_title("Upload & publish",
                  "Fill in the template, upload it, fix what the check finds, then publish "
                  "for everyone.")
render.show_flash()
st.download_button("Download the template (.xlsx)", write_template(),
                   "it-value-template.xlsx", icon=":material/download:",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

uploads = st.file_uploader("Upload quarterly workbooks or CSV files", type=["xlsx", "csv"],
                           accept_multiple_files=True, key=state.UPLOAD)
if uploads:
    files = tuple((u.name, u.getvalue()) for u in uploads)
    if files != data.uploaded_files():
        st.session_state[data.UPLOAD_FILES] = files
        st.session_state[state.PREVIEW] = False
files = data.uploaded_files()
if not files:
    st.info("Upload one or more files to check them. Nothing is shared until an editor "
            "publishes.")
    st.stop()

size_mb = sum(len(content) for _, content in files) / 1024**2
with st.status(f"Reading {len(files)} file(s), {size_mb:,.1f} MB …", expanded=False) as status:
    incoming = data.upload_dataset(files)
    status.update(label=f"Read {len(files)} file(s): {len(incoming.errors)} error(s), "
                        f"{len(incoming.warnings)} warning(s)",
                  state="error" if incoming.errors else "complete")

st.subheader("What was loaded")
for source in incoming.sources:
    loaded = ", ".join(f"{key} {rows:,} rows" for key, rows in source.tables.items())
    if source.events:
        loaded += f" ({source.events:,} events became {source.tickets:,} tickets)"
    st.markdown(f"- **{render.md_inline(source.name)}**: "
                f"{render.md_inline(loaded or 'nothing loaded')}")

st.subheader("Findings")
if incoming.errors:
    st.error(f"{len(incoming.errors)} error(s) block publishing. Each row says where and what "
             "to do.")
elif incoming.findings:
    st.success("No errors. The warnings below do not block publishing.")
else:
    st.success("No findings: ready to publish.")
for finding in incoming.errors[:ERRORS_LISTED]:
    st.markdown(f"- **{render.md_inline(finding.location)}**: "
                f"{render.md_inline(f'{finding.message} {finding.fix}')}")
if len(incoming.errors) > ERRORS_LISTED:
    st.caption(f"… and {len(incoming.errors) - ERRORS_LISTED} more errors in the table below.")
render.table(findings_frame(incoming.findings), empty="Nothing to report.", column_config={
    "row": st.column_config.NumberColumn("row", format="%d", width="small"),
    "severity": st.column_config.TextColumn(width="small"),
    "message": st.column_config.TextColumn(width="large"),
    "fix": st.column_config.TextColumn("what to do", width="large"),
})

if incoming.errors:
    st.stop()

st.subheader("Preview")
tables = {key: frame for key, frame in incoming.tables.items() if len(frame)}
if tables:
    chosen = st.selectbox("Table", list(tables), format_func=lambda k: k.replace("_", " "))
    st.dataframe(tables[chosen].head(1000), hide_index=True, width="stretch")
st.toggle("Show the dashboard with this upload (only in this browser session)",
          key=state.PREVIEW, persist_state="session")

st.subheader("Publish for everyone")
store = data.usable_store()
if store is None:
    st.stop()
latest = store.latest()
published = data.load_version(latest.id) if latest else None
changes = diff_against(published, incoming)
render.sentences(changes.lines())


def _request_publish() -> None:
    # A callback runs before the page is drawn, so it may switch the preview toggle off.
    st.session_state["publish_requested"] = True
    st.session_state[state.PREVIEW] = False
    st.session_state.pop(state.VIEW_VERSION, None)


if editor.sign_in():
    note = st.text_input("Note for this version (optional)", placeholder="2026-Q3 actuals")
    st.button("Publish", type="primary", icon=":material/publish:", on_click=_request_publish)
    if st.session_state.pop("publish_requested", False):
        with st.spinner("Publishing …"):
            info = store.publish(merge_for_publish(published, incoming), list(files),
                                        editor=st.session_state[editor.EDITOR_NAME], note=note)
        render.flash_and_rerun(f"Published {info.label}. Everyone with the link now sees it.")
