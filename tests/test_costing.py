"""Costing: allocation by every method, Unallocated, totals, cost per user, trend, pools,
showback and explanations, on tiny ledgers worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from valuelib import costing
from valuelib.present.summary_text import explanation_text

Q = "2026-Q3"

# Direct lines: Email 900 (comparable), CRM 300 (not comparable), VPN 60 (no users).
DIRECT = [
    {"quarter": Q, "service": "Email", "cost_pool": "Software", "amount": 900.0,
     "note": "Licences"},
    {"quarter": Q, "service": "CRM", "cost_pool": "Software", "amount": 300.0,
     "comparable": False},
    {"quarter": Q, "service": "VPN", "cost_pool": "Telecom", "amount": 60.0},
]
# Users: Email 150 (Sales 100, Ops 50), CRM 50 (no business unit), VPN none.
USAGE = [
    {"quarter": Q, "service": "Email", "users": 100, "business_unit": "Sales"},
    {"quarter": Q, "service": "Email", "users": 50, "business_unit": "Ops"},
    {"quarter": Q, "service": "CRM", "users": 50},
]
# Support: Email 2 tickets / 3 hours, CRM 1 ticket / 1 hour.
SUPPORT = [
    {"opened": "2026-08-03 09:00", "service": "Email", "hours": 2.0, "work_type": "incident"},
    {"opened": "2026-08-04 09:00", "service": "Email", "hours": 1.0, "work_type": "change"},
    {"opened": "2026-08-05 09:00", "service": "CRM", "hours": 1.0, "work_type": "incident"},
]
RULES = [
    {"rule": "Net split", "service": "Email", "percent": 60.0},
    {"rule": "Net split", "service": "CRM", "percent": 40.0},
    {"rule": "Half", "service": "Email", "percent": 50.0},  # totals 50: not usable
    {"rule": "Almost", "service": "Email", "percent": 59.8},  # totals 99.7: within ± 0.5
    {"rule": "Almost", "service": "CRM", "percent": 39.9},
]


def shared(amount, allocate_by, pool="Other", quarter=Q, **extra):
    return {"quarter": quarter, "service": None, "cost_pool": pool, "amount": amount,
            "allocate_by": allocate_by, **extra}


# The full ledger of the examples: total 2416.
SHARED = [
    shared(600.0, "users", "Internal Labor"),  # Email 450, CRM 150
    shared(100.0, "Net split", "Telecom"),  # Email 60, CRM 40
    shared(30.0, "Half"),  # Unallocated: rule totals 50
    shared(90.0, "tickets"),  # Email 60, CRM 30
    shared(60.0, "even", "Facilities & Power"),  # Email, CRM, VPN 20 each
    shared(126.0, "cost", "Internal Labor"),  # Email 90, CRM 30, VPN 6
    shared(80.0, None, "Telecom"),  # Unallocated: blank allocate_by
]
LEDGER_TOTAL = 900 + 300 + 60 + 600 + 100 + 30 + 90 + 60 + 126 + 80


def ledger(extra_lines=(), usage=USAGE, support=SUPPORT, rules=RULES, **tables):
    return make_dataset(costs=[*DIRECT, *extra_lines], usage=usage, support=support,
                        allocation_rules=rules, **tables)


FULL = ledger(SHARED)


def received(dataset, line_amount):
    """Service -> amount received from the shared line of this amount."""
    a = costing.allocations(dataset, include_direct=False)
    rows = a[a["source_amount"] == line_amount]
    return dict(zip(rows["service"], rows["amount"].round(6), strict=True))


@pytest.mark.parametrize("allocate_by, amount, expected", [
    ("users", 600.0, {"CRM": 150.0, "Email": 450.0}),
    (" Users ", 600.0, {"CRM": 150.0, "Email": 450.0}),
    ("cost", 126.0, {"CRM": 30.0, "Email": 90.0, "VPN": 6.0}),
    ("even", 60.0, {"CRM": 20.0, "Email": 20.0, "VPN": 20.0}),
    ("tickets", 90.0, {"CRM": 30.0, "Email": 60.0}),
    ("hours", 80.0, {"CRM": 20.0, "Email": 60.0}),
    ("Net split", 100.0, {"CRM": 40.0, "Email": 60.0}),
    ("net-split", 100.0, {"CRM": 40.0, "Email": 60.0}),
    ("Almost", 99.7, {"CRM": 39.9, "Email": 59.8}),  # scaled to spend the line in full
])
def test_a_shared_line_is_spread_by_its_driver(allocate_by, amount, expected):
    got = received(ledger([shared(amount, allocate_by)]), amount)
    assert got == pytest.approx(expected)
    assert sum(got.values()) == pytest.approx(amount)


@pytest.mark.parametrize("line, tables, reason", [
    (shared(80.0, None), {}, "allocate_by is blank"),
    (shared(30.0, "Half"), {}, "allocation rule 'Half' totals 50%, not 100%"),
    (shared(30.0, "No such rule"), {}, "no allocation rule named 'No such rule'"),
    (shared(70.0, "hours"), {"support": [{"opened": "2026-08-03", "service": "Email"}]},
     "no support hours with a service in 2026-Q3"),
    (shared(70.0, "tickets"), {"support": []}, "no support tickets with a service in 2026-Q3"),
    (shared(50.0, "users", quarter="2026-Q4"), {}, "no usage data in 2026-Q4"),
    (shared(50.0, "cost", quarter="2026-Q4"), {},
     "no service has a positive direct cost in 2026-Q4"),
    (shared(50.0, "even", quarter="2026-Q4"), {}, "no service has cost or users in 2026-Q4"),
])
def test_a_line_that_cannot_be_allocated_stays_unallocated_with_why(line, tables, reason):
    dataset = ledger([line], **tables)
    issues = costing.allocation_issues(dataset)
    assert len(issues) == 1
    row = issues.iloc[0]
    assert row["service"] == "Unallocated"
    assert row["method"] == "unallocated"
    assert row["amount"] == line["amount"]
    assert reason in row["reason"]
    total = costing.total_cost(dataset)["total_cost"].sum()
    assert total == pytest.approx(dataset["costs"]["amount"].sum())


def test_totals_always_equal_the_ledger():
    a = costing.allocations(FULL)
    assert a["amount"].sum() == pytest.approx(LEDGER_TOTAL)
    assert costing.total_cost(FULL)["total_cost"].sum() == pytest.approx(LEDGER_TOTAL)
    assert costing.cost_by_pool(FULL)["total_cost"].sum() == pytest.approx(LEDGER_TOTAL)
    assert costing.showback(FULL)["cost"].sum() == pytest.approx(LEDGER_TOTAL)
    # every line's shares add up to 1
    assert a.groupby("line")["share"].sum().to_numpy() == pytest.approx(1.0)


def test_allocations_keep_method_and_source_line():
    a = costing.allocations(FULL)
    assert list(a.columns) == list(costing.ALLOCATION_COLUMNS)
    users = a[a["method"] == "users"].set_index("service")
    assert users.loc["Email", "driver"] == 150
    assert users.loc["Email", "driver_total"] == 200
    assert users.loc["Email", "share"] == pytest.approx(0.75)
    assert users.loc["Email", "source_row"] == 5  # the 4th ledger row, under the header
    assert users.loc["Email", "source_sheet"] == "Costs"
    assert users.loc["Email", "cost_pool"] == "Internal Labor"
    assert (a.loc[a["method"] == "direct", "share"] == 1).all()


def test_a_service_named_shared_is_a_shared_line():
    costs = [*DIRECT, {"quarter": Q, "service": "Shared", "shared": False, "amount": 600.0,
                       "allocate_by": "users"}]
    dataset = make_dataset(costs=costs, usage=USAGE)
    assert received(dataset, 600.0) == {"CRM": 150.0, "Email": 450.0}


@pytest.mark.parametrize("service, direct, allocated, total, comparable", [
    ("Email", 900.0, 680.0, 1580.0, 1580.0),
    ("CRM", 300.0, 270.0, 570.0, 270.0),  # its own line is not comparable; shares are
    ("VPN", 60.0, 26.0, 86.0, 86.0),
    ("Unallocated", 0.0, 110.0, 110.0, 110.0),
])
def test_total_cost_is_direct_plus_allocated(service, direct, allocated, total, comparable):
    got = costing.total_cost(FULL).set_index("service").loc[service]
    assert got["quarter"] == Q
    assert got["direct_cost"] == pytest.approx(direct)
    assert got["allocated_cost"] == pytest.approx(allocated)
    assert got["total_cost"] == pytest.approx(total)
    assert got["comparable_cost"] == pytest.approx(comparable)


def test_an_allocated_share_keeps_its_lines_comparable_flag():
    line = shared(600.0, "users", comparable=False)  # e.g. internal-only networking
    got = costing.total_cost(ledger([line])).set_index("service")
    assert got.loc["Email", "comparable_cost"] == pytest.approx(900.0)
    assert got.loc["Email", "total_cost"] == pytest.approx(1350.0)


def test_direct_cost():
    got = costing.direct_cost(FULL).set_index("service")
    assert got["direct_cost"].to_dict() == {"CRM": 300.0, "Email": 900.0, "VPN": 60.0}
    assert got.loc["CRM", "comparable_cost"] == 0.0


@pytest.mark.parametrize("service, users, per_user, comparable_per_user, status", [
    ("Email", 150.0, 1580 / 150 / 3, 1580 / 150 / 3, "ok"),
    ("CRM", 50.0, 570 / 50 / 3, 270 / 50 / 3, "ok"),
    ("VPN", np.nan, np.nan, np.nan, "no usage data"),  # cost but no users: never 0 or inf
    ("Unallocated", np.nan, np.nan, np.nan, "unallocated"),
])
def test_cost_per_user_per_month(service, users, per_user, comparable_per_user, status):
    got = costing.cost_per_user(FULL).set_index("service").loc[service]
    assert got["users"] == pytest.approx(users, nan_ok=True)
    assert got["cost_per_user_month"] == pytest.approx(per_user, nan_ok=True)
    assert got["comparable_cost_per_user_month"] == pytest.approx(comparable_per_user,
                                                                  nan_ok=True)
    assert got["status"] == status


def test_users_without_cost_lines_is_no_cost_data():
    usage = [*USAGE, {"quarter": Q, "service": "Wiki", "users": 20}]
    got = costing.cost_per_user(ledger(usage=usage)).set_index("service").loc["Wiki"]
    assert got["users"] == 20
    assert np.isnan(got["total_cost"])
    assert np.isnan(got["cost_per_user_month"])
    assert got["status"] == "no cost data"


def test_zero_users_is_no_usage_data_not_infinity():
    dataset = make_dataset(costs=DIRECT[:1], usage=[{"quarter": Q, "service": "Email",
                                                     "users": 0}])
    got = costing.cost_per_user(dataset).iloc[0]
    assert np.isnan(got["cost_per_user_month"])
    assert got["status"] == "no usage data"


def test_cost_by_pool_keeps_the_pool_of_the_source_line():
    got = costing.cost_by_pool(FULL)
    email = got[got["service"] == "Email"].set_index("cost_pool")
    assert email["total_cost"].to_dict() == pytest.approx({
        "Facilities & Power": 20.0, "Internal Labor": 450.0 + 90.0, "Other": 60.0,
        "Software": 900.0, "Telecom": 60.0})
    assert email.loc["Software", "direct_cost"] == 900.0
    assert email.loc["Internal Labor", "allocated_cost"] == pytest.approx(540.0)
    assert email["pct_of_service"].sum() == pytest.approx(100.0)
    assert email.loc["Software", "pct_of_service"] == pytest.approx(900 / 1580 * 100)


TREND = make_dataset(
    costs=[{"quarter": q, "service": "Email", "amount": a} for q, a in
           [("2025-Q2", 100.0), ("2026-Q1", 150.0), ("2026-Q2", 200.0), ("2026-Q3", 150.0)]],
    usage=[{"quarter": q, "service": "Email", "users": 10} for q in
           ("2025-Q2", "2026-Q1", "2026-Q2", "2026-Q3")],
)


@pytest.mark.parametrize("quarter, qoq, qoq_pct, yoy, yoy_pct", [
    ("2025-Q2", np.nan, np.nan, np.nan, np.nan),
    ("2026-Q1", np.nan, np.nan, np.nan, np.nan),  # 2025-Q4 and 2025-Q1 have no data
    ("2026-Q2", 50.0, 50 / 150 * 100, 100.0, 100.0),
    ("2026-Q3", -50.0, -25.0, np.nan, np.nan),
])
def test_cost_trend_quarter_over_quarter_and_year_over_year(quarter, qoq, qoq_pct, yoy,
                                                            yoy_pct):
    got = costing.cost_trend(TREND).set_index("quarter").loc[quarter]
    assert got["qoq_change"] == pytest.approx(qoq, nan_ok=True)
    assert got["qoq_pct"] == pytest.approx(qoq_pct, nan_ok=True)
    assert got["yoy_change"] == pytest.approx(yoy, nan_ok=True)
    assert got["yoy_pct"] == pytest.approx(yoy_pct, nan_ok=True)


def test_cost_trend_of_cost_per_user():
    got = costing.cost_trend(TREND, "cost_per_user_month", "Email").set_index("quarter")
    assert got.loc["2026-Q2", "cost_per_user_month"] == pytest.approx(200 / 10 / 3)
    assert got.loc["2026-Q2", "previous_quarter"] == "2026-Q1"
    assert got.loc["2026-Q2", "year_ago_quarter"] == "2025-Q2"
    assert got.loc["2026-Q2", "yoy_change"] == pytest.approx(100 / 30)
    with pytest.raises(ValueError, match="measure must be one of"):
        costing.cost_trend(TREND, "price")


@pytest.mark.parametrize("service, unit, users, share_pct, cost, basis", [
    ("Email", "Sales", 100.0, 100 / 150 * 100, 1580 * 100 / 150, "users"),
    ("Email", "Ops", 50.0, 50 / 150 * 100, 1580 * 50 / 150, "users"),
    ("CRM", "Unassigned", 50.0, 100.0, 570.0, "users"),  # usage row without a unit
    ("VPN", "Unassigned", np.nan, 100.0, 86.0, "no usage data"),
    ("Unallocated", "Unassigned", np.nan, 100.0, 110.0, "no usage data"),
])
def test_showback_is_proportional_to_users(service, unit, users, share_pct, cost, basis):
    got = costing.showback(FULL).set_index(["service", "business_unit"]).loc[(service, unit)]
    assert got["users"] == pytest.approx(users, nan_ok=True)
    assert got["share_pct"] == pytest.approx(share_pct)
    assert got["cost"] == pytest.approx(cost)
    assert got["basis"] == basis


def test_explain_cost_lists_the_lines_behind_the_figure():
    why = costing.explain_cost(FULL, "Email", Q)
    assert why.total_cost == pytest.approx(1580.0)
    assert why.users == 150.0
    assert why.cost_per_user_month == pytest.approx(1580 / 450)
    assert why.status == "ok"
    lines = why.lines
    assert lines["amount"].tolist() == pytest.approx([900.0, 450.0, 90.0, 60.0, 60.0, 20.0])
    assert lines["method"].tolist()[:3] == ["direct", "users", "cost"]
    assert lines["amount"].sum() == pytest.approx(why.total_cost)
    assert lines["per_user_month"].sum() == pytest.approx(why.cost_per_user_month)
    assert lines["pct_of_total"].sum() == pytest.approx(100.0)
    assert lines.loc[0, "source_row"] == 2
    text = explanation_text(why)  # in words: totals whole, per-user figures with cents
    assert text.startswith("Email cost $1,580 in 2026-Q3: $3.51 per user per month for 150 "
                           "users")
    assert ("Largest parts of the service's cost: Licences $900 (57%); share of Internal Labor "
            "$450 (28%)") in text


@pytest.mark.parametrize("service, status, text", [
    ("VPN", "no usage data", "VPN cost $86 in 2026-Q3 (no usage data)"),
    ("Nothing", "no cost data", "Nothing has no cost lines in 2026-Q3."),
])
def test_explain_cost_without_users_or_cost(service, status, text):
    why = costing.explain_cost(FULL, service, Q)
    assert why.status == status
    assert np.isnan(why.cost_per_user_month)
    assert explanation_text(why).startswith(text)


def test_one_quarter_only():
    dataset = ledger([*SHARED, shared(500.0, "users", quarter="2026-Q4")])
    assert set(costing.allocations(dataset, Q)["quarter"]) == {Q}
    assert costing.total_cost(dataset, Q)["total_cost"].sum() == pytest.approx(LEDGER_TOTAL)
    assert set(costing.cost_per_user(dataset, "2026-Q4")["quarter"]) == {"2026-Q4"}


@pytest.mark.parametrize("function", [
    costing.allocations, costing.allocation_issues, costing.total_cost, costing.direct_cost,
    costing.cost_by_pool, costing.cost_per_user, costing.cost_trend, costing.showback,
    costing.users_by_service,
])
def test_an_empty_dataset_gives_empty_frames(function):
    got = function(make_dataset())
    assert isinstance(got, pd.DataFrame)
    assert got.empty


def test_inputs_are_not_mutated():
    dataset = ledger(SHARED)
    before = snapshot(dataset)
    costing.allocations(dataset)
    costing.allocation_issues(dataset)
    costing.total_cost(dataset)
    costing.direct_cost(dataset, Q)
    costing.cost_by_pool(dataset)
    costing.cost_per_user(dataset)
    costing.cost_trend(dataset, "cost_per_user_month")
    costing.showback(dataset)
    costing.explain_cost(dataset, "Email", Q)
    assert_unchanged(dataset, before)
