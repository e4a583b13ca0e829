"""Chargeback: tiers in effect, charges, the Bill of IT statement, cost recovery and the
line-driven share, on one tiny organisation worked out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from valuelib import chargeback as cb
from valuelib.model import Settings

Q1, Q2, Q3 = "2026-Q1", "2026-Q2", "2026-Q3"

OFFERINGS = [
    # Email: two tiers; Standard rises from $10 to $12 in 2026-Q3 (the later row wins there).
    {"service": "Email", "tier": "Standard", "price_per_user_month": 10.0,
     "availability_target": 99.5, "support_hours": "8x5", "response_time": "1 business day"},
    {"service": "Email", "tier": "Premium", "price_per_user_year": 240.0,  # $20 a month
     "availability_target": 99.9, "support_hours": "24x7", "response_time": "4h"},
    {"service": "Email", "tier": "Standard", "price_per_user_month": 12.0,
     "from_quarter": Q3},
    # CRM: one tier; Desk: two tiers and no subscriptions (cheapest applies).
    {"service": "CRM", "tier": "Basic", "price_per_user_month": 30.0},
    {"service": "Desk", "tier": "8x5", "price_per_user_month": 5.0},
    {"service": "Desk", "tier": "24x7", "price_per_user_month": 8.0},
    # Wiki: priced only until 2026-Q2, and it has no cost lines.
    {"service": "Wiki", "tier": "Basic", "price_per_user_month": 2.0, "to_quarter": Q2},
]
SUBSCRIPTIONS = [
    {"quarter": Q1, "business_unit": "Sales", "service": "Email", "tier": "Standard",
     "users": 10},
    {"quarter": Q1, "business_unit": "HR", "service": "Email", "tier": "Standard", "users": 5},
    {"quarter": Q2, "business_unit": "Sales", "service": "Email", "tier": "premium",
     "users": 10},  # spelled in lower case: still Premium
    {"quarter": Q2, "business_unit": "HR", "service": "Email", "tier": "Standard", "users": 5},
    {"quarter": Q2, "business_unit": "HR", "service": "Email", "tier": "Gold", "users": 2},
    {"quarter": Q2, "business_unit": "Sales", "service": "Wiki", "tier": "Basic", "users": 5},
    {"date": "2026-08-14", "business_unit": "Sales", "service": "Email", "tier": "Standard",
     "users": 10},  # dated: 2026-Q3
]
USAGE = [
    {"quarter": Q2, "service": "Email", "business_unit": "Sales", "users": 12},  # subscriptions
    {"quarter": Q2, "service": "Email", "business_unit": "HR", "users": 5},  # win for Email
    {"quarter": Q2, "service": "CRM", "business_unit": "Sales", "users": 4},
    {"quarter": Q2, "service": "Desk", "business_unit": "Sales", "users": 10},
    {"quarter": Q2, "service": "Desk", "users": 2},  # no unit: Unassigned
]
COSTS = [
    {"quarter": Q1, "service": "Email", "amount": 900.0},
    {"quarter": Q2, "service": "Email", "amount": 1000.0},
    {"quarter": Q2, "service": "CRM", "amount": 300.0},
    {"quarter": Q2, "service": "Desk", "amount": 185.0},
    {"quarter": Q2, "service": "VPN", "amount": 100.0},  # no tiers: overhead
    {"quarter": Q2, "service": None, "amount": 90.0, "allocate_by": "No such rule"},
]
# IT cost 2026-Q2 = 1000 + 300 + 185 + 100 + 90 (Unallocated) = 1675; 2026-Q1 = 900.


def org(**settings):
    return make_dataset(Settings(**settings) if settings else None, offerings=OFFERINGS,
                        subscriptions=SUBSCRIPTIONS, usage=USAGE, costs=COSTS)


ORG = org()


def rows(frame, *keys, value):
    return {tuple(r[k] for k in keys): (None if _nan(r[value]) else round(r[value], 4))
            for _, r in frame.iterrows()}


def _nan(x):
    return isinstance(x, float) and math.isnan(x)


@pytest.mark.parametrize("quarter, expected", [
    # Standard's open-ended $10 row is overridden by the $12 row from 2026-Q3; Wiki ends Q2.
    (Q2, {("CRM", "Basic"): 30.0, ("Desk", "8x5"): 5.0, ("Desk", "24x7"): 8.0,
          ("Email", "Standard"): 10.0, ("Email", "Premium"): 20.0, ("Wiki", "Basic"): 2.0}),
    (Q3, {("CRM", "Basic"): 30.0, ("Desk", "8x5"): 5.0, ("Desk", "24x7"): 8.0,
          ("Email", "Standard"): 12.0, ("Email", "Premium"): 20.0}),
])
def test_tiers_in_effect(quarter, expected):
    t = cb.tiers(ORG, quarter)
    assert rows(t, "service", "tier", value="price_per_user_month") == expected
    assert list(t.columns) == list(cb.TIER_COLUMNS)
    email = t[t["service"] == "Email"]
    assert list(email["tier"]) == ["Standard", "Premium"]  # cheapest first
    assert email.iloc[1]["support_hours"] == "24x7"


def test_tiers_default_to_the_latest_complete_quarter():
    # Only 2026-Q2 has costs and usage, so it is the default.
    assert cb.default_quarter(ORG) == Q2
    assert len(cb.tiers(ORG)) == 6


@pytest.mark.parametrize("quarter, unit, service, tier, users, price, charge, basis", [
    (Q1, "Sales", "Email", "Standard", 10, 10.0, 300.0, "subscriptions"),  # 10 × 10 × 3
    (Q1, "HR", "Email", "Standard", 5, 10.0, 150.0, "subscriptions"),  # 5 × 10 × 3
    (Q2, "Sales", "Email", "Premium", 10, 20.0, 600.0, "subscriptions"),  # 10 × 240/12 × 3
    (Q2, "HR", "Email", "Standard", 5, 10.0, 150.0, "subscriptions"),
    (Q2, "HR", "Email", "Gold", 2, None, None, "subscriptions"),  # no such tier: no price
    (Q2, "Sales", "Wiki", "Basic", 5, 2.0, 30.0, "subscriptions"),  # 5 × 2 × 3
    (Q2, "Sales", "CRM", "Basic", 4, 30.0, 360.0, "usage, only tier"),  # 4 × 30 × 3
    (Q2, "Sales", "Desk", "8x5", 10, 5.0, 150.0, "usage, cheapest tier"),  # 10 × 5 × 3
    (Q2, "Unassigned", "Desk", "8x5", 2, 5.0, 30.0, "usage, cheapest tier"),  # 2 × 5 × 3
    (Q3, "Sales", "Email", "Standard", 10, 12.0, 360.0, "subscriptions"),  # the new price
])
def test_charges(quarter, unit, service, tier, users, price, charge, basis):
    ch = cb.charges(ORG)
    row = ch[(ch["quarter"] == quarter) & (ch["business_unit"] == unit)
             & (ch["service"] == service) & (ch["tier"] == tier)]
    assert len(row) == 1
    r = row.iloc[0]
    assert r["users"] == users
    assert (None if _nan(r["price_per_user_month"]) else r["price_per_user_month"]) == price
    assert (None if _nan(r["charge"]) else r["charge"]) == charge
    assert r["basis"] == basis


def test_charges_cover_nothing_else():
    ch = cb.charges(ORG)
    # 10 rows above; Email usage in 2026-Q2 is not charged (subscriptions cover Email)
    assert len(ch) == 10
    assert list(ch.columns) == list(cb.CHARGE_COLUMNS)
    assert len(cb.charges(ORG, Q2)) == 7


def test_statement_quarter_and_year_to_date():
    s = cb.statement(ORG, "Sales", Q2)
    assert s.year_quarters == (Q1, Q2)
    lines = {(r.service, r.tier): (r.users, r.price_per_user_month, r.charge,
                                    r.charge_year_to_date) for r in s.lines.itertuples()}
    assert lines == {
        ("CRM", "Basic"): (4, 30.0, 360.0, 360.0),
        ("Desk", "8x5"): (10, 5.0, 150.0, 150.0),
        ("Email", "Premium"): (10, 20.0, 600.0, 600.0),
        ("Email", "Standard"): (0, 10.0, 0.0, 300.0),  # taken in Q1 only
        ("Wiki", "Basic"): (5, 2.0, 30.0, 30.0),
    }
    premium = s.lines[s.lines["tier"] == "Premium"].iloc[0]
    assert (premium["availability_target"], premium["support_hours"],
            premium["response_time"]) == (99.9, "24x7", "4h")
    assert s.total == 360 + 150 + 600 + 0 + 30  # 1140
    assert s.total_year_to_date == 1140 + 300  # 1440
    # showback: Email 1000 × 12/17 + CRM 300 × 4/4 + Desk 185 × 10/12 = 1160.049
    assert s.showback_cost == pytest.approx(1000 * 12 / 17 + 300 + 185 * 10 / 12)
    assert s.difference == pytest.approx(1140 - s.showback_cost)
    assert s.notes == (
        "CRM: no subscriptions in 2026-Q2; users from Usage, charged at its only tier (Basic).",
        "Desk: no subscriptions in 2026-Q2; users from Usage, charged at its cheapest tier "
        "(8x5).")


def test_statement_names_an_unpriced_tier():
    s = cb.statement(ORG, "hr", Q2)  # the unit matched ignoring case
    assert s.total == 150.0  # Gold has no price: not charged
    assert any("tier 'Gold' has no price in 2026-Q2" in n for n in s.notes)


@pytest.mark.parametrize("fiscal_start, quarter, year, ytd", [
    (1, Q3, (Q1, Q2, Q3), 1440 + 360),
    (7, Q3, (Q3,), 360),  # FY2027 opens in July
    (7, Q2, ("2025-Q3", "2025-Q4", Q1, Q2), 1440),
])
def test_statement_fiscal_year(fiscal_start, quarter, year, ytd):
    s = cb.statement(org(fiscal_year_start=fiscal_start), "Sales", quarter)
    assert s.year_quarters == year
    assert s.total_year_to_date == ytd


@pytest.mark.parametrize("quarter, start, expected", [
    (Q3, 1, (Q1, Q2, Q3)),
    (Q1, 1, (Q1,)),
    (Q3, 7, (Q3,)),
    (Q2, 7, ("2025-Q3", "2025-Q4", Q1, Q2)),
    (Q1, 4, ("2025-Q2", "2025-Q3", "2025-Q4", Q1)),
    (Q1, 2, ("2025-Q2", "2025-Q3", "2025-Q4", Q1)),  # Feb start: 2026-Q1 is its Q4
])
def test_fiscal_year_quarters(quarter, start, expected):
    assert cb.fiscal_year_quarters(quarter, start) == expected


@pytest.mark.parametrize("service, charges, cost, pct, over_under, status", [
    # 600 + 150 (Gold unpriced) vs 1000: 75 %, 250 under
    ("Email", 750.0, 1000.0, 75.0, -250.0, "under-recovered"),
    ("CRM", 360.0, 300.0, 120.0, 60.0, "over-recovered"),
    ("Desk", 180.0, 185.0, 97.2973, -5.0, "recovered"),  # within 100 ± 5 %
    ("VPN", None, 100.0, None, None, "no charges"),  # no tier: overhead
    ("Wiki", 30.0, None, None, None, "no cost data"),
])
def test_recovery(service, charges, cost, pct, over_under, status):
    r = cb.recovery(ORG, Q2).set_index("service").loc[service]
    def value(x):
        return None if _nan(x) else round(x, 4)
    assert (value(r["charges"]), value(r["total_cost"]), value(r["recovery_pct"]),
            value(r["over_under"]), r["status"]) == (charges, cost, pct, over_under, status)


def test_recovery_prices_side_by_side():
    ds = ORG.with_tables(market=make_dataset(market=[
        {"service": "Email", "offer": "Cloud mail", "price_per_user_month": 15.0},
        {"service": "Email", "offer": "Dear mail", "price_per_user_month": 25.0},
    ])["market"])
    r = cb.recovery(ds, Q2).set_index("service")
    # Email: 750 ÷ 15 priced users ÷ 3 = 16.67 a user-month; cost 1000 ÷ 17 users ÷ 3 = 19.61
    assert r.loc["Email", "users"] == 15
    assert r.loc["Email", "price_per_user_month"] == pytest.approx(750 / 15 / 3)
    assert r.loc["Email", "cost_per_user_month"] == pytest.approx(1000 / 17 / 3)
    assert r.loc["Email", "best_market_price_per_user_month"] == 15.0
    assert r.loc["Email", "best_market_offer"] == "Cloud mail"
    assert np.isnan(r.loc["CRM", "best_market_price_per_user_month"])


def test_line_driven_share():
    s = cb.line_driven_share(ORG).set_index("quarter")
    # Q1: 300 + 150 = 450 of 900; Q2: 600 + 150 + 30 + 360 + 150 + 30 = 1320 of 1675;
    # Q3: 360 charged, no cost lines
    assert s.loc[Q1, "charges"] == 450 and s.loc[Q1, "line_driven_pct"] == 50.0
    assert s.loc[Q2, "charges"] == 1320 and s.loc[Q2, "it_cost"] == 1675
    assert s.loc[Q2, "line_driven_pct"] == pytest.approx(1320 / 1675 * 100)  # 78.81
    assert s.loc[Q3, "charges"] == 360 and np.isnan(s.loc[Q3, "line_driven_pct"])


def test_a_quarter_with_tiers_and_no_one_charged_is_zero_not_missing():
    ds = make_dataset(offerings=[{"service": "Email", "tier": "Standard",
                                  "price_per_user_month": 10.0, "from_quarter": Q2}],
                      costs=[{"quarter": Q1, "service": "Email", "amount": 100.0},
                             {"quarter": Q2, "service": "Email", "amount": 100.0}])
    s = cb.line_driven_share(ds).set_index("quarter")
    assert np.isnan(s.loc[Q1, "charges"])  # no tier in effect yet
    assert s.loc[Q2, "charges"] == 0.0 and s.loc[Q2, "line_driven_pct"] == 0.0
    r = cb.recovery(ds, Q2).set_index("service").loc["Email"]
    assert (r["charges"], r["recovery_pct"], r["status"]) == (0.0, 0.0, "under-recovered")


def test_without_offerings_there_is_no_chargeback():
    ds = make_dataset(usage=USAGE, costs=COSTS)
    assert cb.charges(ds).empty
    assert cb.line_driven_share(ds).empty
    assert set(cb.recovery(ds, Q2)["status"]) == {"no charges"}
    s = cb.statement(ds, "Sales", Q2)
    assert s.lines.empty and np.isnan(s.total) and np.isnan(s.total_year_to_date)
    assert s.notes == ("The workbooks hold no tiers (Offerings sheet) for this period.",)


def test_empty_dataset():
    ds = make_dataset()
    assert cb.default_quarter(ds) is None
    assert cb.recovery(ds).empty and cb.charges(ds).empty and cb.tiers(ds).empty
    s = cb.statement(ds, "Sales")
    assert s.quarter is None and np.isnan(s.total)


def test_nothing_is_mutated():
    before = snapshot(ORG)
    cb.tiers(ORG, Q2), cb.charges(ORG), cb.statement(ORG, "Sales", Q2)
    cb.recovery(ORG, Q2), cb.line_driven_share(ORG)
    assert_unchanged(ORG, before)


# ---- the chargeback's measures and words: one way on every surface

@pytest.mark.parametrize("key, value, expected", [
    ("charge", 1140.0, "$1,140"),
    ("charge_year_to_date", 1440.4, "$1,440"),
    ("charges", 750.0, "$750"),
    ("recovery_pct", 97.2973, "97.3%"),
    ("over_under", -250.0, "\u2212$250"),
    ("over_under", 60.0, "+$60"),
    ("line_driven_pct", 1320 / 1675 * 100, "78.8%"),
    ("it_cost", 1675.0, "$1,675"),
    ("tier_price_per_user_month", 20.0, "$20.00"),
    ("best_market_price_per_user_month", 15.0, "$15.00"),
    ("showback_cost", 1160.049, "$1,160"),
    ("recovery_pct", float("nan"), "—"),
])
def test_chargeback_measures(key, value, expected):
    from valuelib.present import fmt_measure
    assert fmt_measure(key, value) == expected


@pytest.mark.parametrize("heading, terms", [
    ("Charges by tier", ("tier", "charges")),
    ("Bill of IT for Sales", ("Bill of IT",)),
    ("Cost recovery by service", ("cost recovery",)),
    ("Line-driven share of IT", ("line-driven share",)),
])
def test_chargeback_words_are_defined(heading, terms):
    from valuelib.present import glossary
    assert glossary.terms_in(heading) == terms
    assert all(len(glossary.define(t)) > 40 for t in terms)


# ---- the executive summary carries charges, recovery and the line-driven share

def test_summary_json_has_charges_recovery_and_line_driven_share():
    import json

    from valuelib import summarize
    from valuelib.present.summary_text import summary_json
    out = summary_json(summarize(ORG, Q2))
    json.dumps(out, allow_nan=False)
    assert out["charges"]["quarter"] == Q2 and out["charges"]["total"] == 1320
    # Sales: 1140 this quarter, 1440 this year; HR: 150 and 300; Unassigned (Desk) 30
    assert [(u["business_unit"], u["charge"], u["charge_year_to_date"])
            for u in out["charges"]["by_unit"]] == [
        ("Sales", 1140, 1440), ("HR", 150, 300), ("Unassigned", 30, 30)]
    # most under-recovered first, then the rest by amount; no figure last
    assert [(r["service"], r["status"]) for r in out["recovery"]] == [
        ("Email", "under-recovered"), ("Desk", "recovered"), ("CRM", "over-recovered"),
        ("VPN", "no charges"), ("Wiki", "no cost data")]
    assert [(r["quarter"], r["line_driven_pct"]) for r in out["line_driven_share"]] == [
        (Q1, 50.0), (Q2, pytest.approx(78.806, abs=1e-3))]
    assert out["measures"]["line_driven_pct"]["label"] == "Line-driven share"
    assert out["measures"]["price_per_user_month"]["definition"].startswith("What IT charges")


def test_summary_text_says_chargeback_in_two_lines():
    from valuelib import summarize
    from valuelib.present.summary_text import summary_text
    text = summary_text(summarize(ORG, Q2))
    assert ("Chargeback, 2026-Q2: business units were charged $1,320, a line-driven share of "
            "78.8% of IT cost.\nUnder-recovered: 1 service, together \u2212$250; most Email "
            "(75.0% of its cost, \u2212$250).\n") in text


def test_summary_without_offerings_says_nothing_of_charges():
    from valuelib import summarize
    from valuelib.present.summary_text import summary_text
    s = summarize(make_dataset(usage=USAGE, costs=COSTS))
    d = s.to_dict()
    assert (d["charges"], d["recovery"], d["line_driven_share"]) == (None, [], [])
    assert "Chargeback" not in summary_text(s)


def test_summary_json_on_the_command_line(capsys):
    import json
    from pathlib import Path

    from valuelib.cli import main
    # tests/golden/cases.py: CRM Standard at $125 for Sales' 50 users = 18,750 against CRM's
    # 18,000 + 1,500 × 50/340 = 18,220.59 (102.9 %: recovered); IT's ledger 32,550 (57.6 %).
    clean = Path(__file__).parent / "golden" / "clean_tiers.xlsx"
    assert main(["summary", str(clean), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["charges"]["total"] == 18750
    assert out["charges"]["by_unit"][0]["business_unit"] == "Sales"
    crm = next(r for r in out["recovery"] if r["service"] == "CRM")
    assert crm["recovery_pct"] == pytest.approx(18750 / (18000 + 1500 * 50 / 340) * 100)
    assert crm["status"] == "recovered"
    assert out["line_driven_share"][-1]["line_driven_pct"] == pytest.approx(18750 / 32550 * 100)
