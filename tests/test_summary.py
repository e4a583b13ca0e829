"""The executive summary: its figures, JSON and text; money and percent formats; and the
typed-table spec the analytics (and tests/frames.py) rely on, checked against docs/tables.md."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from valuelib.model import Settings
from valuelib.present.summary_text import summary_json, summary_notes, summary_text
from valuelib.summary import ExecutiveSummary, summarize

Q = "2026-Q3"


def work(opened, work_type, hours, block="Support"):
    return {"opened": opened, "work_type": work_type, "hours": hours, "block": block}


DATASET = make_dataset(
    settings=Settings(organization="Test Org"),
    costs=[
        {"quarter": Q, "service": "Email", "amount": 900.0},
        {"quarter": Q, "service": "CRM", "amount": 450.0},
        {"quarter": Q, "service": None, "amount": 600.0, "allocate_by": "users"},
        {"quarter": Q, "service": None, "amount": 80.0},  # no allocate_by: Unallocated
        {"quarter": "2026-Q2", "service": "Email", "amount": 600.0},
    ],
    usage=[{"quarter": Q, "service": "Email", "users": 150},
           {"quarter": Q, "service": "CRM", "users": 50},
           {"quarter": "2026-Q2", "service": "Email", "users": 150}],
    market=[{"service": "Email", "offer": "Cloud mail", "price_per_user_month": 2.5},
            {"service": "CRM", "offer": "SaaS CRM", "price_per_user_month": 1.0,
             "max_users": 20}],
    value=[{"quarter": Q, "service": "Email", "business_value": 5.0, "satisfaction": 80.0},
           {"quarter": Q, "service": "CRM", "business_value": 2.0}],
    blocks=[{"block": "Support", "purchased_hours": 10.0, "start": "2026-01-01",
             "end": "2026-12-31", "vendor": "Acme"}],
    support=[
        work("2026-05-01", "change", 1.0), work("2026-05-02", "incident", 3.0),  # Q2: 25 %
        work("2026-07-01", "change", 3.0), work("2026-08-10", "incident", 1.0),  # Q3: 75 %
        work("2026-10-05", "incident", 2.0),  # after the summary's quarter
    ],
)


@pytest.mark.parametrize("service, expected", [
    ("Email", {"users": 150.0, "total_cost": 1350.0, "cost_per_user_month": 3.0,
               "best_offer": "Cloud mail", "offer_price_per_user_month": 2.5,
               "difference_per_user_month": 0.5, "difference_per_year": 900.0,
               "verdict": "dearer", "value_score": 90.0, "quadrant": "Invest",
               "status": "ok"}),
    ("CRM", {"users": 50.0, "total_cost": 600.0, "cost_per_user_month": 4.0,
             "best_offer": None, "value_score": 25.0, "quadrant": "Replace or retire"}),
    ("Unallocated", {"total_cost": 80.0, "status": "unallocated", "quadrant": None}),
])
def test_summary_per_service(service, expected):
    s = summarize(DATASET)
    assert s.quarter == Q  # the latest quarter with cost data, though support goes on
    got = s.services.set_index("service").loc[service]
    for column, value in expected.items():
        if value is None:
            assert pd.isna(got[column]), column
        elif isinstance(value, float):
            assert got[column] == pytest.approx(value), column
        else:
            assert got[column] == value, column


def test_summary_totals_order_and_support():
    s = summarize(DATASET)
    assert s.total_cost == pytest.approx(2030.0)
    assert s.unallocated_cost == pytest.approx(80.0)
    assert s.services["service"].tolist() == ["Email", "CRM", "Unallocated"]
    assert s.proactive["quarter"].tolist() == ["2026-Q2", Q]
    assert s.proactive["proactive_share_pct"].tolist() == [25.0, 75.0]
    assert (s.proactive_trend, s.proactive_change_points) == ("rising", 50.0)
    block = s.blocks.iloc[0]
    assert block["used_hours"] == 8.0  # the October row is after the quarter
    assert block["warning"] == "80"
    assert str(s.as_of.date()) == "2026-08-10"
    assert any("could not be allocated" in n for n in summary_notes(s))


@pytest.mark.parametrize("shares, trend", [
    ([25.0, 75.0], "rising"), ([60.0, 40.0], "falling"), ([50.0, 50.8], "steady"),
    ([50.0], "not enough data"),
])
def test_proactive_trend_first_vs_last(shares, trend):
    rows = []
    for i, share in enumerate(shares):
        month = f"2026-{3 * i + 1:02d}-01"
        rows += [work(month, "change", share, None), work(month, "incident", 100 - share, None)]
    assert summarize(make_dataset(support=rows)).proactive_trend == trend


def test_an_earlier_quarter():
    s = summarize(DATASET, "2026-Q2")
    assert s.services["service"].tolist() == ["Email"]
    assert s.services.iloc[0]["cost_per_user_month"] == pytest.approx(600 / 150 / 3)
    assert s.proactive["quarter"].tolist() == ["2026-Q2"]
    assert s.proactive_trend == "not enough data"
    assert s.blocks.iloc[0]["used_hours"] == 4.0


def test_to_dict_is_json_safe():
    d = summarize(DATASET).to_dict()
    text = json.dumps(d, allow_nan=False)  # no NaN, no numpy types, no timestamps
    assert json.loads(text)["quarter"] == Q
    crm = next(r for r in d["services"] if r["service"] == "CRM")
    assert crm["best_offer"] is None
    assert d["as_of"] == "2026-08-10"
    assert d["blocks"][0]["start"] == "2026-01-01"
    assert d["proactive_trend"] == "rising"


def test_the_text_summary_reads_like_a_report():
    text = summary_text(summarize(DATASET))
    for expected in [
        "IT service value summary: Test Org, 2026-Q3",
        "Total cost $2,030 across 2 services, of which $80 could not be allocated.",
        "Cloud mail", "+$900", "90", "Invest", "Replace or retire",
        "Rising: from 25.0% in 2026-Q2 to 75.0% in 2026-Q3 (+50.0 pts).",
        "Support (Acme): 8.0 h of 10.0 h used (80.0%), 2.0 h left; warning: 80% used",
        "1 shared cost line ($80) could not be allocated",
    ]:
        assert expected in text, expected
    email = next(line for line in text.splitlines() if line.startswith("Email"))
    # totals whole, per-user figures with cents: as the registry writes them everywhere
    assert "$1,350 " in email and "$3.00" in email


def test_the_json_summary_names_its_measures_as_the_registry_does():
    d = summary_json(summarize(DATASET))
    assert d["notes"] == list(summary_notes(summarize(DATASET)))
    assert d["measures"]["cost_per_user_month"] == {
        "label": "Cost per user per month", "unit": "money_per_user",
        "definition": "Total cost ÷ users ÷ 3 months."}
    assert d["unallocated_lines"] == 1


@pytest.mark.parametrize("key, value", [
    ("quarter", Q), ("tickets", 2), ("tickets_per_user_per_month", 2 / 150 / 3),
    ("backlog_at_quarter_end", 4),  # nothing has a resolved date: every ticket so far is open
    ("reopened_tickets", None), ("reopen_rate_pct", None),  # no reopen counts: not 0
    ("median_hours_to_resolve", None), ("median_hours_to_resolve_p1", None),
    ("p1_share_pct", None), ("priority_mismatches", 0), ("satisfaction_pct", None),
    ("incomplete", False),
])
def test_the_summary_carries_the_service_desk(key, value):
    desk = summarize(DATASET).to_dict()["service_desk"]
    assert desk[key] == (pytest.approx(value) if isinstance(value, float) else value)


def test_the_text_summary_carries_the_service_desk():
    text = summary_text(summarize(DATASET))
    for expected in ("Service desk, 2026-Q3:", "Tickets                      2",
                     "Tickets per user per month   0.00", "Backlog at quarter end       4",
                     "Reopened                     not recorded",
                     "Median hours to resolve      no tickets resolved",
                     "P1 share                     no priorities recorded",
                     "Priority mismatches          0", "Satisfaction                 no responses"):
        assert expected in text, expected


def test_an_empty_dataset_gives_an_empty_summary():
    s = summarize(make_dataset())
    assert isinstance(s, ExecutiveSummary)
    assert s.quarter is None
    assert s.services.empty and s.proactive.empty and s.blocks.empty
    assert s.total_cost == 0.0
    json.dumps(s.to_dict(), allow_nan=False)
    assert "No support data." in summary_text(s)
    assert "No cost data loaded." in summary_text(s)
    assert s.to_dict()["service_desk"] == {}


def test_summary_is_frozen():
    s = summarize(DATASET)
    with pytest.raises(AttributeError):
        s.quarter = "2026-Q2"


def test_inputs_are_not_mutated():
    before = snapshot(DATASET)
    summary_text(summarize(DATASET))
    summarize(DATASET, "2026-Q2").to_dict()
    assert_unchanged(DATASET, before)
