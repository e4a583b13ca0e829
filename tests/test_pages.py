"""Every page renders without an exception (AppTest), on the sample and on an upload."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.golden.cases import HERE as GOLDEN

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(autouse=True)
def _fresh_cache():
    import streamlit as st

    st.cache_data.clear()


def test_app_opens_on_the_sample_data():
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("Sample organisation" in c.value for c in at.caption)


def test_a_bad_upload_shows_its_findings():
    at = AppTest.from_file(APP, default_timeout=60).run()
    data = (GOLDEN / "bad_value.xlsx").read_bytes()
    at.file_uploader(key="upload").set_value(
        [("bad_value.xlsx", data, "application/octet-stream")]).run()
    assert not at.exception
    frame = at.dataframe[0].value
    assert frame.iloc[0]["code"] == "BAD_VALUE"
