"""The frame: page config, navigation, shared sidebar. Pages live in pages/, one file each."""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent

st.set_page_config(page_title="IT service value", page_icon="📊", layout="wide")
page = st.navigation([
    st.Page(HERE / "pages" / "data.py", title="Data", icon="📥", default=True),
])
page.run()
