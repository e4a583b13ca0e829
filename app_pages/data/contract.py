"""The workbook contract, generated from valuelib.schema: the same definition validation and
the template use, so this page cannot drift from what the code accepts."""

import pandas as pd
import streamlit as st

from ui import render
from valuelib.rules import RULES
from valuelib.schema import SHEETS
from valuelib.template import contract_rows

render.page_title("Workbook contract", "What each sheet and column means. Names match "
                  "ignoring case, spaces and punctuation; the synonyms are accepted too.")
rows = pd.DataFrame(contract_rows())
for sheet in SHEETS:
    st.subheader(sheet.title + (" (optional)" if sheet.optional else ""))
    st.caption(sheet.help + (f" Also called: {', '.join(sheet.synonyms)}." if sheet.synonyms
                             else ""))
    render.table(rows.loc[rows["sheet"] == sheet.title].drop(columns=["sheet",
                                                                       "sheet also called"]))

st.subheader("Findings the check can report")
render.table(pd.DataFrame([{"code": r.code, "severity": r.severity, "meaning": r.title}
                           for r in RULES]))
