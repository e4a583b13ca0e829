"""Data: the template, and a check of uploaded files with every finding."""

from pathlib import Path

import streamlit as st

from valuelib.ingest import load
from valuelib.model import findings_frame
from valuelib.template import write_template

SAMPLE = sorted((Path(__file__).parents[1] / "sample_data").glob("*.xlsx"))


@st.cache_data(max_entries=16, show_spinner=False)
def _load(files: tuple[tuple[str, bytes], ...]):
    return load(files)


st.title("Data")
st.download_button("Download the template", write_template(), "it-value-template.xlsx",
                   mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
uploads = st.file_uploader("Check your workbooks", type=["xlsx", "csv"],
                           accept_multiple_files=True, key="upload")
files = tuple((u.name, u.getvalue()) for u in uploads) if uploads else tuple(
    (p.name, p.read_bytes()) for p in SAMPLE)
dataset = _load(files)
st.caption("Your upload" if uploads else "Sample organisation (Northwind Traders)")
for source in dataset.sources:
    st.write(f"**{source.name}**: " + (", ".join(f"{k} {v:,} rows" for k, v in
                                                   source.tables.items()) or "nothing loaded"))
if dataset.findings:
    st.dataframe(findings_frame(dataset.findings), hide_index=True, width="stretch")
else:
    st.success("No findings: ready to publish.")
