"""Budget vs actual and the year-end forecast (valuelib.budget), worked out by hand on tiny
ledgers: variance per quarter, year to date and full year; the forecast from forecast rows
and from the run rate (with its range); versions; fiscal years starting in July; fiscal-year
rows spread over their quarters."""

from __future__ import annotations

import io

import numpy as np
import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from tests.golden.cases import SERVICES, xlsx
from valuelib import budget, ingest
from valuelib.model import Settings

# Actual cost (IT = Email + CRM): 2025-Q4 2,800 · 2026-Q1 3,000 · Q2 3,400 · Q3 4,200.
ACTUAL = {"2025-Q4": (900, 1900), "2026-Q1": (1000, 2000), "2026-Q2": (1000, 2400),
          "2026-Q3": (1200, 3000)}
COSTS = [{"quarter": q, "service": s, "cost_pool": "Software", "amount": float(a)}
         for q, (email, crm) in ACTUAL.items() for s, a in (("Email", email), ("CRM", crm))]
USAGE = [{"quarter": q, "service": s, "users": 10.0, "business_unit": "Sales"}
         for q in ACTUAL for s in ("Email", "CRM")]
YEAR = ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")


def _row(quarter, amount, service=None, kind="budget", version="Budget", **extra):
    return {"quarter": quarter, "amount": float(amount), "service": service, "kind": kind,
            "version": version, **extra}


# Budget: IT 3,500 a quarter (a 14,000 year); Email 1,100 a quarter; CRM 2,000 a quarter.
BUDGET = ([_row(q, 3500) for q in YEAR] + [_row(q, 1100, "Email") for q in YEAR]
          + [_row(q, 2000, "CRM") for q in YEAR])
# The reforecast: IT 4,000 and Email 1,300 in Q4.
REFORECAST = [_row("2026-Q4", 4000, kind="forecast", version="Reforecast Q2"),
              _row("2026-Q4", 1300, "Email", kind="forecast", version="Reforecast Q2")]


def _data(rows=BUDGET, settings=None, costs=COSTS):
    return make_dataset(settings=settings, costs=costs, usage=USAGE, budget=rows)


def test_it_variance_year_to_date_and_per_quarter():
    c = budget.compare(_data(), quarter="2026-Q3")
    assert c.version == "Budget" and c.year == "2026"
    assert c.to_date == YEAR[:3] and c.remaining == ("2026-Q4",)
    per_q = c.quarters.set_index("quarter")
    # Q3: 4,200 − 3,500 = +700, 20 % over; Q4 has no actual yet
    assert per_q.loc["2026-Q3", "variance"] == pytest.approx(700)
    assert per_q.loc["2026-Q3", "variance_pct"] == pytest.approx(20.0)
    assert per_q.loc["2026-Q3", "status"] == "over budget"
    assert np.isnan(per_q.loc["2026-Q4", "variance"])
    row = c.year_table.iloc[0]
    # year to date: 10,600 − 10,500 = +100, 0.95 %: within ± 2 %, on budget
    assert (row["budget_ytd"], row["actual_ytd"]) == (10500, 10600)
    assert row["variance_ytd"] == pytest.approx(100)
    assert row["variance_ytd_pct"] == pytest.approx(100 / 10500 * 100)
    assert row["status_ytd"] == "on budget"


def test_year_end_on_the_run_rate_with_its_range():
    row = budget.compare(_data(), quarter="2026-Q3").year_table.iloc[0]
    # run rate = mean(Q2 3,400, Q3 4,200) = 3,800; 10,600 + 3,800 = 14,400 vs 14,000
    assert row["basis"] == "run rate" and row["run_rate"] == pytest.approx(3800)
    assert row["end_of_year_predicted"] == pytest.approx(14400)
    # range: lowest / highest of the last four quarters (2,800 … 4,200) × 1 quarter left
    assert row["end_of_year_low"] == pytest.approx(13400)
    assert row["end_of_year_high"] == pytest.approx(14800)
    assert row["full_year_variance"] == pytest.approx(400)
    assert row["status_full_year"] == "over budget"  # +2.9 %


def test_year_end_from_the_reforecast_rows():
    c = budget.compare(_data(BUDGET + REFORECAST), quarter="2026-Q3")
    assert c.forecast_version == "Reforecast Q2" and c.version == "Budget"
    row = c.year_table.iloc[0]
    assert row["basis"] == "forecast rows"
    assert row["end_of_year_predicted"] == pytest.approx(14600)  # 10,600 + 4,000
    assert row["end_of_year_low"] == row["end_of_year_high"] == pytest.approx(14600)
    services = budget.compare(_data(BUDGET + REFORECAST), "service",
                              quarter="2026-Q3").year_table.set_index("service")
    assert services.loc["Email", "end_of_year_predicted"] == pytest.approx(3200 + 1300)
    assert services.loc["Email", "basis"] == "forecast rows"
    # CRM has no forecast row: its own run rate (2,400 + 3,000) ÷ 2 = 2,700
    assert services.loc["CRM", "end_of_year_predicted"] == pytest.approx(7400 + 2700)
    assert services.loc["CRM", "basis"] == "run rate"


def test_a_mix_of_forecast_rows_and_run_rate_is_labelled_so():
    c = budget.compare(_data(BUDGET + REFORECAST), quarter="2026-Q2")
    row = c.year_table.iloc[0]  # Q3 at the run rate (3,000 + 3,400) ÷ 2, Q4 forecast 4,000
    assert row["basis"] == "forecast rows and run rate"
    assert row["end_of_year_predicted"] == pytest.approx(6400 + 3200 + 4000)


def test_per_service_variance_and_the_largest_explained():
    c = budget.compare(_data(), "service", quarter="2026-Q3")
    year = c.year_table.set_index("service")
    assert list(c.year_table["service"]) == ["CRM", "Email"]  # largest variance first
    assert year.loc["CRM", "variance_ytd"] == pytest.approx(7400 - 6000)
    assert year.loc["CRM", "status_ytd"] == "over budget"
    assert year.loc["Email", "variance_ytd"] == pytest.approx(3200 - 3300)
    assert year.loc["Email", "status_ytd"] == "under budget"  # −3.0 %
    top = budget.largest_variances(_data(), 1, quarter="2026-Q3")[0]
    assert (top.service, top.quarter, top.quarter_variance) == ("CRM", "2026-Q3", 1000)
    assert top.cost.total_cost == pytest.approx(3000)
    assert top.cost.lines["amount"].sum() == pytest.approx(3000)


def test_per_pool_and_per_unit_where_the_budget_has_them():
    q = "2026-Q3"
    costs = [{"quarter": q, "service": "Email", "cost_pool": "Software", "amount": 900.0},
             {"quarter": q, "service": "Email", "cost_pool": "Internal Labor", "amount": 300.0},
             {"quarter": q, "service": "CRM", "cost_pool": "Software", "amount": 3000.0}]
    usage = [{"quarter": q, "service": "Email", "users": 100.0, "business_unit": "Sales"},
             {"quarter": q, "service": "Email", "users": 50.0, "business_unit": "Ops"},
             {"quarter": q, "service": "CRM", "users": 50.0, "business_unit": "Sales"}]
    rows = [_row(q, 3500, cost_pool="Software"),
            _row(q, 250, "Email", cost_pool="Internal Labor"),
            _row(q, 2000, business_unit="Sales")]
    data = make_dataset(costs=costs, usage=usage, budget=rows)
    pools = budget.compare(data, "cost_pool", quarter=q).quarters
    pools = pools[pools["quarter"] == q].set_index("cost_pool")
    assert pools.loc["Software", "actual"] == pytest.approx(3900)  # all of IT's Software
    assert pools.loc["Internal Labor", "actual"] == pytest.approx(300)  # Email's labour
    units = budget.compare(data, "business_unit", quarter=q).quarters
    sales = units[(units["quarter"] == q) & (units["business_unit"] == "Sales")].iloc[0]
    assert sales["actual"] == pytest.approx(1200 * 100 / 150 + 3000)  # showback
    # IT's budget: no whole-IT rows, so the coarsest level there is: the service rows (250)
    it = budget.compare(data, quarter=q).quarters.set_index("quarter")
    assert it.loc[q, "budget"] == pytest.approx(250)


def test_versions_default_to_budget_and_callers_pick():
    revised = [_row(q, 3750, version="Reforecast Q2") for q in YEAR]
    data = _data(revised + BUDGET)  # the reforecast listed first: "Budget" still wins
    assert budget.versions(data) == ("Reforecast Q2", "Budget")
    assert budget.default_version(data) == "Budget"
    assert budget.compare(data, quarter="2026-Q3").year_table.iloc[0]["budget_ytd"] == 10500
    picked = budget.compare(data, version="Reforecast Q2", quarter="2026-Q3")
    assert picked.year_table.iloc[0]["variance_ytd"] == pytest.approx(10600 - 11250)
    assert budget.default_version(_data(revised)) == "Reforecast Q2"  # no "Budget": the first


def test_fiscal_year_starting_in_july():
    data = _data([_row(q, 3000) for q in ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2")],
                 settings=Settings(fiscal_year_start=7))
    c = budget.compare(data, quarter="2026-Q1")
    assert c.year == "FY2026"  # July 2025 – June 2026
    assert c.year_quarters == ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2")
    assert c.to_date == ("2025-Q3", "2025-Q4", "2026-Q1")
    row = c.year_table.iloc[0]
    # to date: 2025-Q3 has no cost data (NaN, not 0), Q4 2,800 + Q1 3,000 = 5,800 vs 9,000
    assert row["actual_ytd"] == pytest.approx(5800)
    assert row["budget_ytd"] == pytest.approx(9000)
    # 2026-Q2 at the run rate (2,800 + 3,000) ÷ 2 = 2,900
    assert row["end_of_year_predicted"] == pytest.approx(5800 + 2900)
    assert budget.compare(data, quarter="2026-Q3").year == "FY2027"


def test_a_complete_year_ends_at_its_actual():
    rows = [_row(q, 2500) for q in ("2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2")]
    data = _data(rows, settings=Settings(fiscal_year_start=7))
    row = budget.compare(data, quarter="2026-Q2").year_table.iloc[0]
    assert row["basis"] == "actual"
    assert row["end_of_year_predicted"] == pytest.approx(2800 + 3000 + 3400)


def test_spread_fiscal_year_rows_with_a_july_start():
    book = xlsx(Settings=[["setting", "value"], ["fiscal year start", "July"]],
                Services=SERVICES,
                Budget=[["quarter", "amount", "service"], ["FY2026", 400000, None],
                        [2027, 80000, "crm"]])
    data = ingest.load([("b.xlsx", io.BytesIO(book))])
    rows = data.tables["budget"]
    fy26 = rows[rows["spread_from"] == "FY2026"]
    assert list(fy26["quarter"]) == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert list(fy26["amount"]) == [100000] * 4
    fy27 = rows[rows["spread_from"] == "FY2027"]
    assert list(fy27["quarter"]) == ["2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2"]
    assert set(fy27["service"]) == {"CRM"}  # spelt as the catalogue does
    assert set(rows["version"]) == {"Budget"} and set(rows["kind"]) == {"budget"}
    spread = [f for f in data.findings if f.code == "BUDGET_SPREAD"]
    assert len(spread) == 2 and "2025-Q3 to 2026-Q2" in spread[0].message


def test_no_budget_gives_no_summary_and_inputs_are_untouched():
    data = _data([])
    assert budget.summary(data) is None and not budget.has_budget(data)
    full = _data(BUDGET + REFORECAST)
    before = snapshot(full)
    s = budget.summary(full, quarter="2026-Q3")
    assert s.basis == "forecast rows" and s.end_of_year_predicted == pytest.approx(14600)
    assert_unchanged(full, before)


def test_the_summary_carries_budget_variance_and_the_year_end():
    from valuelib.present.summary_text import summary_json, summary_text
    from valuelib.summary import summarize

    s = summarize(_data(BUDGET + REFORECAST), "2026-Q3")
    data = summary_json(s)
    assert data["budget"]["version"] == "Budget"
    assert data["budget"]["variance_ytd"] == pytest.approx(100)
    assert data["budget"]["end_of_year_predicted"] == pytest.approx(14600)
    assert data["budget"]["basis"] == "forecast rows"
    assert [r["service"] for r in data["budget_services"]] == ["CRM", "Email"]
    assert data["measures"]["end_of_year_predicted"]["label"] == "End of year predicted"
    text = summary_text(s)
    assert "Budget 2026 (version Budget), 2026-Q1 to 2026-Q3: actual $10,600 against " \
           "$10,500, +$100 (+1.0%), on budget." in text
    assert "End of year predicted $14,600 against the $14,000 budget (+$600, over budget), " \
           "from Reforecast Q2's forecast rows." in text
    assert "Over budget to date: CRM (+$1,400, +23.3%)." in text
    assert summarize(_data([]), "2026-Q3").to_dict()["budget"] is None


def test_run_rate_words_say_the_range():
    from valuelib.present.summary_text import budget_sentences

    s = budget.summary(_data(), quarter="2026-Q3")
    end = budget_sentences(s, None)[1]
    assert "at the run rate ($3,800 a quarter: the mean of the last two quarters)" in end
    assert "range $13,400 to $14,800" in end


def test_a_blank_kind_on_a_forecast_sheet_is_a_forecast():
    book = xlsx(Services=SERVICES,
                Budget=[["quarter", "amount", "service"], ["2026-Q3", 9000, "CRM"]],
                Forecast=[["quarter", "amount", "service", "version"],
                          ["2026-Q4", 9500, "CRM", "Reforecast Q2"]])
    rows = ingest.load([("b.xlsx", io.BytesIO(book))]).tables["budget"]
    assert list(zip(rows["kind"], rows["version"], strict=True)) == [
        ("budget", "Budget"), ("forecast", "Reforecast Q2")]
