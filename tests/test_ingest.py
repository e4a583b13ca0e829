"""Ingest: golden files (every rule fires), the real ServiceNow export, the sample organisation."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tests.golden.cases import CASES, HERE, SERVICES, USAGE, xlsx
from valuelib.ingest import empty_table, load, load_paths
from valuelib.model import Finding
from valuelib.rules import RULES

ROOT = Path(__file__).resolve().parents[1]
SERVICENOW = ROOT.parent / "shared" / "data" / "servicenow_incident_log_sample.csv"
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))


def _load_golden(case):
    return load([(case.file, (HERE / case.file).read_bytes())], case.kinds)


@pytest.mark.parametrize("case", CASES, ids=[c.file for c in CASES])
def test_golden_file_gives_its_findings(case):
    dataset = _load_golden(case)
    got = [(f.code, f.sheet, f.row, f.column) for f in dataset.findings]
    for expected in case.expect:
        assert expected in got, f"{case.file}: expected {expected}, got {got}"
    if not case.others_allowed:
        assert len(got) == len(case.expect), got


def test_every_rule_fires_in_some_golden_file():
    fired = {f.code for case in CASES for f in _load_golden(case).findings}
    assert {rule.code for rule in RULES} - fired == set()


def test_findings_say_what_to_do_and_carry_the_value():
    dataset = _load_golden(next(c for c in CASES if c.file == "bad_value.xlsx"))
    (finding,) = dataset.findings
    assert finding.value == "lots"
    assert finding.severity == "error"
    assert "number" in finding.fix
    assert not dataset.publishable


def test_many_bad_cells_are_summarised_not_listed_one_by_one():
    rows = [USAGE[0]] + [["2026-Q3", "CRM", "lots", "Sales"]] * 100
    dataset = load([("many.xlsx", xlsx(Services=SERVICES, Usage=rows))])
    bad = [f for f in dataset.findings if f.code == "BAD_VALUE"]
    assert len(bad) == 26
    assert bad[-1].row is None and "75 more" in bad[-1].message


def test_servicenow_export_loads_one_row_per_incident():
    dataset = load_paths([SERVICENOW])
    support = dataset["support"]
    assert not dataset.errors
    assert len(support) == 300
    assert support["ticket"].is_unique
    first = support.set_index("ticket").loc["INC0000045"]
    # day-first: 29/2/2016 01:16 opened, resolved 29/2/2016 11:29
    assert first["opened"] == pd.Timestamp("2016-02-29 01:16")
    assert first["resolved"] == pd.Timestamp("2016-02-29 11:29")
    assert (first["impact"], first["urgency"], first["priority"]) == (2, 2, 3)
    assert set(support["work_class"]) == {"reactive"}  # INC numbers are incidents
    (source,) = dataset.sources
    assert (source.events, source.tickets) == (2040, 300)


def test_sample_organisation_loads_without_errors():
    dataset = load_paths(SAMPLE)
    assert not dataset.errors
    assert dataset.quarters[0] == "2024-Q4" and dataset.quarters[-1] == "2026-Q3"
    assert len(dataset.quarters) == 8
    assert len(dataset["services"]) >= 12
    assert len(dataset["support"]) > 5000
    assert dataset["services"]["in_catalog"].all()


def test_tables_of_one_kind_from_several_files_are_concatenated():
    first = xlsx(Services=SERVICES, Usage=USAGE)
    second = xlsx(Usage=[USAGE[0], ["2026-Q2", "CRM", 48, "Sales"]])
    dataset = load([("a.xlsx", first), ("b.xlsx", io.BytesIO(second))])
    usage = dataset["usage"]
    assert len(usage) == 3
    assert set(usage["source_file"]) == {"a.xlsx", "b.xlsx"}
    assert set(usage["quarter"]) == {"2026-Q3", "2026-Q2"}


def test_header_row_is_found_below_title_rows_and_rows_are_numbered_as_excel_shows():
    rows = [["Northwind IT"], ["Quarterly usage"], []] + USAGE
    dataset = load([("u.xlsx", xlsx(Services=SERVICES, Usage=rows))])
    assert list(dataset["usage"]["source_row"]) == [5, 6]


def test_csv_kind_can_be_chosen_when_columns_do_not_say():
    data = b"\xef\xbb\xbfservice,offer,price_per_user_month\nCRM,Cloud CRM,125\n"
    dataset = load([("offers.csv", data)], kinds={"offers.csv": "market"})
    assert dataset["market"]["price_per_user_month"].tolist() == [125.0]


def test_text_that_looks_like_a_formula_or_html_stays_text():
    data = b'service,category,owner\n"=HYPERLINK(""x"")",<b>Business</b>,@admin\n'
    service = load([("s.csv", data)])["services"].iloc[0]
    assert service["service"] == '=HYPERLINK("x")'
    assert service["category"] == "<b>Business</b>"
    assert service["owner"] == "@admin"


def test_absent_sheets_become_typed_empty_tables():
    dataset = load([("s.xlsx", xlsx(Services=SERVICES))])
    for key in ("costs", "usage", "support", "market", "value", "blocks"):
        assert list(dataset[key].columns) == list(empty_table(key).columns)
        assert dataset[key].empty


def test_shared_lines_default_to_users_and_pools_map_common_words():
    costs = load([("c.xlsx", xlsx(Services=SERVICES, Costs=[
        ["quarter", "service", "cost_pool", "amount"],
        ["2026-Q3", None, "salaries", 100], ["2026-Q3", "Shared", "SaaS", 50],
        ["2026-Q3", "crm", "network", 10]]))])["costs"]
    assert costs["shared"].tolist() == [True, True, False]
    assert costs["allocate_by"].tolist()[:2] == ["users", "users"]
    assert costs["cost_pool"].tolist() == ["Internal Labor", "Software", "Telecom"]
    assert costs["service"].tolist()[2] == "CRM"  # spelled as the catalogue spells it


def test_fiscal_quarters_follow_the_settings():
    rows = [["setting", "value"], ["fiscal year start", "July"]]
    usage = [USAGE[0], ["FY2027 Q1", "CRM", 50, "Sales"]]
    dataset = load([("f.xlsx", xlsx(Settings=rows, Services=SERVICES, Usage=usage))])
    assert dataset.settings.fiscal_year_start == 7
    assert dataset["usage"]["quarter"].tolist() == ["2026-Q3"]


@pytest.mark.parametrize("finding, location", [
    (Finding("X", "error", "m", "f", file="a/b.xlsx", sheet="Usage", row=3, column="users"),
     "Usage, row 3, column users"),
    (Finding("X", "error", "m", "f", file="a/b.xlsx"), "b.xlsx"),
    (Finding("X", "warning", "m", "f", sheet="Costs", column="amount"), "Costs, column amount"),
])
def test_a_finding_says_where_to_look(finding, location):
    assert finding.location == location


# --- reading real exports right (issue 12) -----------------------------------------------------

def _costs(header: str, *amounts, settings=None) -> object:
    sheets = {"Services": SERVICES,
              "Costs": [["quarter", "service", header]] + [["2026-Q3", "CRM", a] for a in amounts]}
    if settings:
        sheets["Settings"] = [["setting", "value"], *settings]
    return load([("ledger.xlsx", xlsx(**sheets))])


def test_federal_style_millions_are_one_reading_per_column():
    dataset = _costs("Amount ($M)", "$26.538", "$1.245", "$0.011")
    assert dataset["costs"]["amount"].tolist() == pytest.approx([26_538_000, 1_245_000, 11_000])
    (scaled,) = dataset.findings
    assert scaled.message == "Amount ($M): values multiplied by 1,000,000."
    assert scaled.severity == "info"


@pytest.mark.parametrize("header, amounts, expected", [
    ("Cost in millions", [2.5], [2_500_000]),
    ("Cost (USD thousands)", ["1,200"], [1_200_000]),
    ("Spend ($K)", [12], [12_000]),
    ("Amount (000s)", [7], [7_000]),
    ("Amount (USD m)", [1.5], [1_500_000]),
    ("Amount ($000)", [3], [3_000]),
    ("Amount (bn)", [0.5], [500_000_000]),
])
def test_scale_units_multiply_the_column(header, amounts, expected):
    dataset = _costs(header, *amounts)
    assert dataset["costs"]["amount"].tolist() == pytest.approx(expected)
    assert "SCALED_COLUMN" in {f.code for f in dataset.findings}


@pytest.mark.parametrize("header, code", [
    ("Amount (USD)", None), ("Amount ($)", None), ("Amount (furlongs)", "UNKNOWN_UNIT"),
    ("Amount (£)", "MIXED_CURRENCY"),
])
def test_a_unit_is_read_or_refused_never_dropped(header, code):
    dataset = _costs(header, 10)
    assert [f.code for f in dataset.findings] == ([code] if code else [])
    if code:
        assert dataset.findings[0].row == 1 and dataset.findings[0].column == header
        assert not dataset.publishable


@pytest.mark.parametrize("setting, expected", [(None, 12.345), ("1.234,56", 12_345.0),
                                               ("comma", 12_345.0), ("1,234.56", 12.345)])
def test_number_format_setting_reads_an_ambiguous_column(setting, expected):
    settings = [["number format", setting]] if setting else None
    dataset = _costs("amount", "12.345", settings=settings)
    assert dataset["costs"]["amount"].tolist() == pytest.approx([expected])
    (warning,) = [f for f in dataset.findings if f.code == "AMBIGUOUS_NUMBER_FORMAT"]
    assert "'12.345'" in warning.message and warning.column == "amount"
    assert dataset.settings.number_format in ("1,234.56", "1.234,56")


def test_a_bad_number_format_setting_is_said():
    dataset = _costs("amount", 10, settings=[["number format", "roman"]])
    assert [f.code for f in dataset.findings] == ["SETTING_INVALID"]


def test_na_in_a_required_cell_shows_what_was_typed():
    dataset = load([("u.xlsx", xlsx(Services=SERVICES, Usage=[
        USAGE[0], ["2026-Q3", "CRM", "n/a", "Sales"], ["2026-Q3", "CRM", None, "Sales"]]))])
    typed, blank = sorted((f for f in dataset.findings if f.code == "MISSING_VALUE"),
                          key=lambda f: f.row)
    assert typed.value == "n/a" and typed.message.startswith("'n/a' in a required cell")
    assert blank.row == 3 and blank.message == "'users' is blank."


def test_messages_use_the_right_article_and_name_what_is_needed():
    dataset = load([("s.xlsx", xlsx(Support=[["ticket", "hours"], ["T1", 2]],
                                    Market=[["Title"]] + [[None]] * 11))])
    missing = next(f for f in dataset.findings if f.code == "MISSING_COLUMN")
    assert missing.message == "The Support sheet needs an 'opened' column."
    header = next(f for f in dataset.findings if f.code == "HEADER_NOT_FOUND")
    assert "service, offer, price_per_user_month or price_per_user_year" in header.message
    assert "page" not in " ".join(f.message + f.fix for f in dataset.findings)


def test_total_row_names_the_column_that_holds_total():
    dataset = load([("t.xlsx", xlsx(Services=SERVICES, Costs=[
        ["quarter", "service", "amount"], ["2026-Q3", "CRM", 10], [None, "Grand total", 10]]))])
    (total,) = [f for f in dataset.findings if f.code == "TOTAL_ROW_DROPPED"]
    assert total.column == "service" and "'Grand total' in column 'service'" in total.message


def test_the_more_cells_summary_follows_its_cells():
    from valuelib.model import findings_frame
    rows = [USAGE[0]] + [["2026-Q3", "CRM", "lots", "Sales"]] * 30
    dataset = load([("many.xlsx", xlsx(Services=SERVICES, Usage=rows))])
    frame = findings_frame(dataset.findings)
    bad = frame[frame["code"] == "BAD_VALUE"]
    assert bad["message"].iloc[-1].startswith("… and 5 more")
    assert bad.index[-1] == bad.index[0] + len(bad) - 1  # together, summary last
