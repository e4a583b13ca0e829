"""Upload & publish: the template, a check of what publishing would leave (the upload merged
with the published data) with every finding, a preview of exactly that, what changes per
table, and (for editors) publishing after a confirmation."""

import streamlit as st

from ui import data, editor, publish, render, state
from valuelib.model import findings_frame
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
                           accept_multiple_files=True, key=publish.uploader_key())
if uploads:
    files = tuple((u.name, u.getvalue()) for u in uploads)
    if files != data.uploaded_files():
        st.session_state[data.UPLOAD_FILES] = files
        st.session_state[state.PREVIEW] = False
        st.session_state.pop(publish.TICKED, None)
files = data.uploaded_files()
if not files:
    st.info("Upload one or more files to check them. Nothing is shared until an editor "
            "publishes.")
    st.stop()

size_mb = sum(len(content) for _, content in files) / 1024**2
published = data.published()  # None (after saying why) when the database cannot be used
with st.status(f"Reading {len(files)} file(s), {size_mb:,.1f} MB …", expanded=False) as status:
    incoming = data.upload_dataset(files)
    plan = data.publish_plan(files, published)
    status.update(label=f"Read {len(files)} file(s): {len(plan.errors)} error(s), "
                        f"{len(plan.findings) - len(plan.errors)} warning(s)",
                  state="error" if plan.errors else "complete")

st.subheader("What was loaded")
for source in incoming.sources:
    loaded = ", ".join(f"{key} {rows:,} rows" for key, rows in source.tables.items())
    if source.events:
        loaded += f" ({source.events:,} events became {source.tickets:,} tickets)"
    st.markdown(f"- **{render.md_inline(source.name)}**: "
                f"{render.md_inline(loaded or 'nothing loaded')}")

st.subheader("Findings")
if published and published.version:
    st.caption("Checked as it would be published: your upload merged with "
               f"{published.version.label}.")
if plan.errors:
    st.error(f"{len(plan.errors)} error(s) block publishing. Each row says where and what "
             "to do.")
elif plan.findings:
    st.success("No errors. The warnings below do not block publishing.")
else:
    st.success("No findings: ready to publish.")
for finding in plan.errors[:ERRORS_LISTED]:
    st.markdown(f"- **{render.md_inline(finding.location)}**: "
                f"{render.md_inline(f'{finding.message} {finding.fix}')}")
if len(plan.errors) > ERRORS_LISTED:
    st.caption(f"… and {len(plan.errors) - ERRORS_LISTED} more errors in the table below.")
render.table(findings_frame(plan.findings), empty="Nothing to report.", column_config={
    "row": st.column_config.NumberColumn("row", format="%d", width="small"),
    "severity": st.column_config.TextColumn(width="small"),
    "message": st.column_config.TextColumn(width="large"),
    "fix": st.column_config.TextColumn("what to do", width="large"),
})

if plan.errors:
    st.stop()

st.subheader("Preview: what executives would see")
tables = {key: frame for key, frame in plan.merged.tables.items() if len(frame)}
if tables:
    chosen = st.selectbox("Table", list(tables), format_func=lambda k: k.replace("_", " "))
    st.dataframe(tables[chosen].head(1000), hide_index=True, width="stretch")
st.toggle("Show the dashboard with this upload (only in this browser session)",
          key=state.PREVIEW, persist_state="session")

st.subheader("What publishing changes")
publish.changes(plan.changes)
if plan.blocking_reason:  # identical to the live version, or nothing in it
    st.info(plan.blocking_reason + " Nothing to publish.", icon=":material/block:")
    st.stop()
if published is None:
    st.stop()  # the database cannot be used; data.published() has said why

st.subheader("Publish for everyone")
if not editor.sign_in():
    st.stop()
tick_missing = publish.needs_tick(plan)
note = st.text_input("Note for this version (optional)", placeholder="2026-Q3 actuals")
ignored = data.ignored_in_upload(files)
keep = st.checkbox("Keep the original files as uploaded", disabled=not ignored,
                   help="Each published version keeps the files it came from; only editors "
                        "can download them. Unticked, the kept copy leaves out the columns "
                        "the dashboard ignores (in an ITSM export: caller e-mail, phone, "
                        "free-text descriptions …).")
if ignored:
    st.caption("Left out of the kept copy unless ticked: " + "; ".join(
        f"{name}, {sheet}: {', '.join(columns)}" for name, sheets in ignored.items()
        for sheet, columns in sheets.items()))
st.button("Publish", type="primary", icon=":material/publish:", disabled=tick_missing,
          on_click=publish.open_publish, args=(plan,),
          help="Tick the box above first." if tick_missing else "Opens a confirmation.")
publish.publish_dialog(files, note, keep_originals=keep or not ignored)
