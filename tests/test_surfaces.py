"""One figure, one look: the page, the answer, the CLI summary and the workbook show the same
string for the same figure and scope (the sample, its latest quarter), and every view table
keeps numbers.

Each surface is built once for the module. The expected string is the registry's
(:func:`valuelib.present.fmt_measure`) for the analytics' number, and is pinned literally too,
so a change to the rules ("totals whole, per-user with cents, percent one decimal,
availability two") fails here as well as a surface that writes a figure its own way.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import operator
import re
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

import openpyxl
import pandas as pd
import pytest

from tests.test_pages import SAMPLE, app, shown, texts
from valuelib import ask, costing, market, report, views
from valuelib.cli import load_paths, main
from valuelib.present import fmt_measure
from valuelib.present.tables import Table
from valuelib.summary import summarize

EMAIL = "Email & Productivity"
OFFER = "Cloud email & productivity suite"
BLOCK = "2026-27 support block"


# ---- the surfaces, built once ----------------------------------------------------------------

@pytest.fixture(scope="module")
def dataset():
    return load_paths([str(p) for p in SAMPLE])


@pytest.fixture(scope="module")
def numbers(dataset):
    """The analytics' numbers behind the figures compared."""
    s = summarize(dataset)
    email = s.services.set_index("service").loc[EMAIL]
    block = s.blocks.set_index("block").loc[BLOCK]
    offers = market.compare_offers(dataset, s.quarter)
    offer = offers[(offers["service"] == EMAIL) & (offers["offer"] == OFFER)].iloc[0]
    share = s.proactive.set_index("quarter").loc[s.quarter, "proactive_share_pct"]
    return SimpleNamespace(quarter=s.quarter, total=s.total_cost, email=email, block=block,
                           offer=offer, proactive=share)


@pytest.fixture(scope="module")
def cli() -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["summary", *map(str, SAMPLE)]) == 0
    return out.getvalue()


@pytest.fixture(scope="module")
def book(dataset):
    return openpyxl.load_workbook(io.BytesIO(report.build_workbook(dataset)))


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The overview, support and Email service pages as a visitor reads them."""
    import streamlit as st

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("VALUELIB_DATA_DIR", str(tmp_path_factory.mktemp("pages")))
        mp.delenv("VALUELIB_DATABASE_URL", raising=False)
        mp.setenv("VALUELIB_RAISE_PAGE_ERRORS", "1")
        st.cache_data.clear()
        st.cache_resource.clear()
        out = {}
        for name, page, query in (("overview", None, {}),
                                  ("support", "app_pages/dashboard/support.py", {}),
                                  ("service", "app_pages/dashboard/services.py",
                                   {"service": EMAIL})):
            at = app(**query).run()
            if page:
                at.switch_page(page).run()
            assert not at.exception, at.exception
            out[name] = SimpleNamespace(
                text=texts(at), metrics={shown(m.label): shown(m.value) for m in at.metric},
                tables=[(d.value, json.loads(d.proto.columns)) for d in at.dataframe])
        st.cache_data.clear()
        st.cache_resource.clear()
    return out


def answer(dataset, question: str):
    a = ask.answer(question, dataset)
    assert a.understood, a.sentence
    return a


def figure(a, label_part: str) -> str:
    return next(f.formatted for f in a.figures if label_part in f.label)


# ---- how a table cell is shown ---------------------------------------------------------------

def page_cell(tables, column: str, row_key: str, key_value) -> str:
    """A page table's cell as the browser shows it: its number through the column's printf
    format (``st.column_config``), a date as ``D MMM YYYY``."""
    frame, config = next((f, c) for f, c in tables if column in f.columns)
    value = frame.loc[frame[row_key] == key_value, column].iloc[0]
    spec = config[column]["type_config"]
    if spec["type"] == "date":
        day = pd.Timestamp(value)
        return f"{day.day} {day:%b %Y}"
    fmt = spec["format"]
    number = re.search(r"%(,?)\.(\d)f", fmt)
    digits = f"{abs(value):{number.group(1)}.{number.group(2)}f}"
    text = fmt[:number.start()] + digits + fmt[number.end():]
    return ("\u2212" if value < 0 else "") + text.replace("%%", "%")


COMPARE = {">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le}


def _sections(number_format: str) -> list[str]:
    return re.findall(r'(?:"[^"]*"|[^;])+', number_format)


def excel_cell(ws, column_header: str, row_header: str, row_value) -> str:
    """A workbook cell as Excel shows it: its value through its number format (the sections,
    conditions, quoted literals, thousands, decimals, percent and ``d mmm yyyy`` the export
    writes)."""
    headers = [c.value for c in ws[1]]
    col, key = headers.index(column_header) + 1, headers.index(row_header) + 1
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, key).value == row_value)
    cell = ws.cell(row, col)
    value, fmt = cell.value, cell.number_format
    if fmt == "d mmm yyyy":
        return f"{value.day} {value:%b %Y}"
    sections = _sections(fmt)
    chosen = sections[0]
    for section in sections:
        cond = re.match(r"\[([<>]=?)(-?[\d.]+)\]", section)
        if cond:
            if COMPARE[cond.group(1)](value, float(cond.group(2))):
                chosen = section[cond.end():]
                break
        else:
            chosen = section
            if value < 0 and len(sections) > 1 and section is sections[0]:
                continue
            break
    if value < 0 and not chosen.startswith("[") and len(sections) > 1:
        value = abs(value)
    if "%" in chosen.replace('"%"', ""):
        value *= 100
    pattern = re.search(r"[#0][#,0]*(\.0+)?", re.sub(r'"[^"]*"', lambda m: "x" * len(m[0]),
                                                        chosen))
    decimals = len(pattern.group(1) or ".") - 1
    rounded = Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)
    digits = f"{rounded:{',' if ',' in pattern.group(0) else ''}.{decimals}f}"
    text = chosen[:pattern.start()] + digits + chosen[pattern.end():]
    return text.replace('"', "")


def test_excel_cells_read_as_excel_shows_them():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["k", "v"])
    for k, (value, fmt) in enumerate([(11168.3, '"$"#,##0;"−$"#,##0'),
                                      (-3.046, '"$"#,##0.00;"−$"#,##0.00'),
                                      (0.568137, '0.0%;"−"0.0%'),
                                      (1156.75, '[>=100]#,##0" h";#,##0.0" h"'),
                                      (43.25, '[>=100]#,##0" h";#,##0.0" h"')]):
        ws.append([k, value])
        ws.cell(k + 2, 2).number_format = fmt
    assert [excel_cell(ws, "v", "k", k) for k in range(5)] == [
        "$11,168", "−$3.05", "56.8%", "1,157 h", "43.3 h"]


# ---- the same string everywhere --------------------------------------------------------------

def test_money_totals_are_whole_everywhere(dataset, numbers, pages, cli, book):
    total = fmt_measure("total_cost", numbers.total)
    assert total == "$796,153"
    assert pages["overview"].metrics["Total IT cost"] == total
    assert figure(answer(dataset, "what is the total IT cost?"), "Total IT cost") == total
    assert f"Total cost {total} across" in cli
    summary = book["Summary"]
    row = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Total IT cost")
    assert row[1] == total

    email = fmt_measure("total_cost", numbers.email.total_cost)
    assert email == "$11,168"
    assert pages["service"].metrics["Total cost"] == email
    assert figure(answer(dataset, "what does email cost in total?"), "total cost") == email
    assert email in next(line for line in cli.splitlines() if line.startswith(EMAIL))
    assert excel_cell(book["Services"], "Total cost (USD)", "Service", EMAIL) == email


def test_per_user_money_has_cents_everywhere(dataset, numbers, pages, cli, book):
    per_user = fmt_measure("cost_per_user_month", numbers.email.cost_per_user_month)
    assert per_user == "$12.58"
    assert f"{EMAIL} costs {per_user} per user per month" in pages["overview"].text
    assert pages["service"].metrics["Cost per user per month"] == per_user
    assert page_cell(pages["overview"].tables, "Cost per user per month", "Service",
                     EMAIL) == per_user
    a = answer(dataset, "what does email cost per user?")
    assert figure(a, "cost per user per month") == per_user and per_user in a.sentence
    assert per_user in next(line for line in cli.splitlines() if line.startswith(EMAIL))
    assert excel_cell(book["Services"], "Cost per user per month (USD)", "Service",
                      EMAIL) == per_user


def test_percents_have_one_decimal_everywhere(dataset, numbers, pages, cli, book):
    share = fmt_measure("proactive_share_pct", numbers.proactive)
    assert share == "56.8%"
    assert pages["overview"].metrics["Proactive share"] == share
    assert pages["support"].metrics["Proactive share"] == share
    assert figure(answer(dataset, "how proactive is support?"), "Proactive share") == share
    assert f"{numbers.quarter}   {share}  by hours" in cli
    assert excel_cell(book["Proactive share"], "Proactive share", "Quarter",
                      numbers.quarter) == share

    used = fmt_measure("used_pct", numbers.block.used_pct)
    assert used == "44.9%"
    assert f"{BLOCK}: 449 h of 1,000 h used ({used})" in pages["support"].text
    assert page_cell(pages["support"].tables, "Used %", "Block", BLOCK) == used
    assert figure(answer(dataset, "when does the support block run out?"),
                  "share used") == used
    assert f"{BLOCK} (Harbor Point IT Services): 449 h of 1,000 h used ({used})" in cli
    assert excel_cell(book["Blocks"], "Used %", "Block", BLOCK) == used


def test_availability_has_two_decimals_everywhere(dataset, numbers, pages, book):
    availability = fmt_measure("availability", numbers.offer.availability)
    assert availability == "99.00%"
    assert page_cell(pages["service"].tables, "Offer availability", "Offer",
                     OFFER) == availability
    assert (f"the offer promises {availability} availability"
            in answer(dataset, "is it cheaper to buy email?").sentence)
    assert excel_cell(book["Market comparison"], "Offer availability", "Offer",
                      OFFER) == availability


def test_dates_read_the_same_everywhere(dataset, numbers, pages, cli, book):
    runout = fmt_measure("runout_date", numbers.block.runout_date)
    assert runout == "20 Jan 2027"
    assert f"runs out about {runout}" in pages["overview"].text
    assert page_cell(pages["support"].tables, "Runs out", "Block", BLOCK) == runout
    assert figure(answer(dataset, "when does the support block run out?"),
                  "runs out") == runout
    assert f"runs out about {runout}" in cli
    assert excel_cell(book["Blocks"], "Runs out", "Block", BLOCK) == runout

    checked = fmt_measure("as_of", numbers.offer.as_of)
    assert page_cell(pages["service"].tables, "Price checked", "Offer", OFFER) == checked
    assert excel_cell(book["Market comparison"], "Price checked", "Offer", OFFER) == checked


def test_the_cli_summary_and_the_workbook_name_measures_as_the_registry_does(cli, book):
    from valuelib.present import measure

    header = next(line for line in cli.splitlines() if line.startswith("Service "))
    for key in ("total_cost", "users", "cost_per_user_month"):
        assert measure(key).label in header
    services = [c.value for c in book["Services"][1]]
    assert f"{measure('cost_per_user_month').label} (USD)" in services
    assert measure("value_score").label in services


# ---- view tables keep numbers ----------------------------------------------------------------

MONEY_TEXT = re.compile(r"^[−-]?[$€£]\s?\d|^\d[\d,.]*\s?%$")


def _tables(view) -> list[tuple[str, Table]]:
    out = []
    for f in dataclasses.fields(view):
        value = getattr(view, f.name)
        if isinstance(value, Table):
            out.append((f.name, value))
        elif isinstance(value, list | tuple):
            for item in value:
                if dataclasses.is_dataclass(item):
                    out += _tables(item)
    return out


@pytest.fixture(scope="module")
def view_tables(dataset, numbers):
    built = [views.overview(dataset), views.cost_value(dataset),
             views.service_detail(dataset, service=EMAIL), views.support_view(dataset),
             views.overview(dataset, business_unit="Sales"),
             views.support_view(dataset, business_unit="Sales"), *views.story(dataset)]
    return [(type(v).__name__, name, t) for v in built for name, t in _tables(v)]


def test_every_view_table_keeps_numbers(view_tables):
    assert len(view_tables) >= 8
    for view, name, t in view_tables:
        for column in t.columns:
            series = t.frame[column]
            if column in t.measures:
                assert (pd.api.types.is_numeric_dtype(series)
                        or pd.api.types.is_datetime64_any_dtype(series)), (view, name, column)
            else:  # text columns hold words, never a formatted figure
                shown = [v for v in series.dropna() if isinstance(v, str)]
                assert not any(MONEY_TEXT.match(v) for v in shown), (view, name, column)


def test_a_view_tables_formatted_cells_are_the_registrys(view_tables):
    view, name, t = next(x for x in view_tables if x[1] == "services_table")
    cells = t.formatted()
    row = t.frame.index[t.frame["Service"] == EMAIL][0]
    assert cells.loc[row, "Cost per user per month"] == "$12.58"
    assert cells.loc[row, "Total cost"] == "$11,168"


def test_an_explanation_reads_the_same_on_the_page_and_in_the_answer(dataset, numbers, pages):
    from valuelib.present.summary_text import explanation_text

    e = costing.explain_cost(dataset, EMAIL, numbers.quarter)
    words = explanation_text(e)
    assert words in pages["service"].text
    assert answer(dataset, "why does email cost so much?").sentence == words


def test_view_tables_name_each_measure_as_the_registry_does(view_tables):
    from valuelib.present import measure

    def same(column, label):  # "Used by Sales": the measure, for the chosen unit
        return column == label or column.startswith(f"{label} by ")

    named = {(name, column, measure(key).label) for _, name, t in view_tables
             for column, key in t.measures.items() if not same(column, measure(key).label)}
    assert not named


@pytest.mark.parametrize("question, columns", [
    ("how has IT cost changed", {"Total cost (USD)": "total_cost",
                                 "Change on previous quarter (USD)": "qoq_change",
                                 "Change on previous quarter (%)": "qoq_pct"}),
    ("which services got more expensive per user this year",
     {"Change (USD)": "cost_per_user_change", "Then (USD)": "cost_per_user_month"}),
    ("how many hours are left in the support block", {"Left": "remaining_hours",
                                                      "Ends": "end"}),
])
def test_an_answers_table_writes_its_cells_as_the_registry_and_the_cli_does(
        dataset, capsys, question, columns):
    """The rows behind an answer: numbers in the frame (they sort), every cell written by the
    registry on the page (column_config from the same measures) and in the CLI alike."""
    result = ask.answer(question, dataset)
    shown = result.shown_table()
    assert main(["ask", question, "--data", *map(str, SAMPLE)]) == 0
    printed = capsys.readouterr().out
    assert "nan" not in printed.lower().split()
    for column, key in columns.items():
        assert shown.measures[column] == key
        cells = shown.formatted()[column]
        assert list(cells) == [fmt_measure(key, v) for v in result.table[column]]
        assert cells.iloc[0] in printed
