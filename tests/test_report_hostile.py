"""Handouts show hostile text literally: no bidi controls, formula prefixes stay text, chart
titles read back without their escapes."""

import io

from openpyxl import load_workbook

from tests.golden.cases import RLO, hostile_names, hostile_workbook
from valuelib import report
from valuelib.ingest import load
from valuelib.report.slides import _plain


def test_the_workbook_handout_keeps_hostile_text_as_text():
    dataset = load([("hostile.xlsx", hostile_workbook())])
    book = load_workbook(io.BytesIO(report.build_workbook(dataset, "2026-Q3")))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)]
    assert not [c.value for c in cells if RLO in c.value]
    formula = hostile_names()["service_formula"]
    written = [c for c in cells if c.value == formula]
    assert written, "the formula-like service name is in the handout"
    assert all(c.data_type == "s" for c in written)  # text, never a formula


def test_chart_titles_read_back_as_the_data_typed_them():
    title = "Who uses &lt;b&gt;x&lt;/b&gt; &amp;lt;<br>2026-Q3"
    assert _plain(title) == "Who uses <b>x</b> &lt; 2026-Q3"
