"""Market: each service against the offers whose user range fits, and what price hides."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from valuelib import market
from valuelib.present.formatting import MISSING

Q = "2026-Q3"
NAN = np.nan

# Email: 100 users; 900 comparable + 90 not comparable (extra storage) in the quarter:
# comparable cost per user per month = 900 / 100 / 3 = 3.00 (total 3.30).
COSTS = [
    {"quarter": Q, "service": "Email", "amount": 900.0},
    {"quarter": Q, "service": "Email", "amount": 90.0, "comparable": False},
    {"quarter": Q, "service": "VPN", "amount": 60.0},  # no users
    {"quarter": "2026-Q2", "service": "Email", "amount": 600.0},  # 2.00 in the quarter before
]
USAGE = [{"quarter": q, "service": "Email", "users": 100} for q in ("2026-Q2", Q)]
SERVICES = [{"service": "Email", "availability_target": 99.9},
            {"service": "VPN", "availability_target": 99.5}]


def offer(name, price=NAN, service="Email", **extra):
    return {"service": service, "offer": name, "price_per_user_month": price, **extra}


OFFERS = [
    offer("Basic", 2.0, max_users=50),  # too small for 100 users
    offer("Standard", 4.0, min_users=10, max_users=500, availability=99.99, storage_gb=50,
          support="Phone, 1-hour response", includes="Email, calendar"),
    offer("Premium", 2.5, min_users=100, availability=99.5),  # bound is inclusive
    offer("Match", 3.02, availability=99.9),  # within 1 % of 3.00
    offer("Enterprise", 1.0, min_users=500),
    offer("No price"),
    offer("Gold", price_on_request=True),  # "Call us": kept, never compared
    offer("Tunnel", 5.0, service="VPN"),
]
DATASET = make_dataset(costs=COSTS, usage=USAGE, services=SERVICES, market=OFFERS)


@pytest.mark.parametrize("name, applicable, why_not, diff, per_year, verdict", [
    ("Basic", False, "takes at most 50 users", 1.0, 1200.0, "dearer"),
    ("Standard", True, None, -1.0, -1200.0, "cheaper"),
    ("Premium", True, None, 0.5, 600.0, "dearer"),
    ("Match", True, None, -0.02, -24.0, "same"),
    ("Enterprise", False, "needs at least 500 users", 2.0, 2400.0, "dearer"),
    ("No price", True, None, NAN, NAN, "no offer price"),
    ("Gold", True, None, NAN, NAN, "price on request"),
    ("Tunnel", False, "no usage data", NAN, NAN, "no internal cost"),
])
def test_each_offer_against_the_comparable_cost(name, applicable, why_not, diff, per_year,
                                                verdict):
    got = market.compare_offers(DATASET, include_inapplicable=True).set_index("offer").loc[name]
    assert got["quarter"] == Q
    assert got["applicable"] == applicable
    assert (got["why_not"] if isinstance(got["why_not"], str) else None) == why_not
    assert got["difference_per_user_month"] == pytest.approx(diff, nan_ok=True)
    assert got["difference_per_year"] == pytest.approx(per_year, nan_ok=True)
    assert got["verdict"] == verdict


def test_only_applicable_offers_by_default():
    got = market.compare_offers(DATASET)
    assert sorted(got["offer"]) == ["Gold", "Match", "No price", "Premium", "Standard"]
    assert got["internal_per_user_month"].tolist() == pytest.approx([3.0] * 5)
    assert (got["users"] == 100).all()


@pytest.mark.parametrize("name, offered, gap, verdict", [
    ("Standard", 99.99, 0.09, "offer higher"),
    ("Premium", 99.5, -0.4, "offer lower"),
    ("Match", 99.9, 0.0, "same"),
    ("No price", NAN, NAN, "unknown"),
])
def test_availability_beside_price(name, offered, gap, verdict):
    got = market.compare_offers(DATASET).set_index("offer").loc[name]
    assert got["availability_target"] == 99.9
    assert got["availability"] == pytest.approx(offered, nan_ok=True)
    assert got["availability_gap"] == pytest.approx(gap, nan_ok=True)
    assert got["availability_verdict"] == verdict


def test_the_differences_price_hides_are_carried_along():
    got = market.compare_offers(DATASET).set_index("offer").loc["Standard"]
    assert got["storage_gb"] == 50
    assert got["support"] == "Phone, 1-hour response"
    assert got["includes"] == "Email, calendar"


def test_best_offer_is_the_cheapest_applicable_priced_one():
    got = market.best_offer(DATASET)
    assert got["service"].tolist() == ["Email"]  # VPN has none that applies
    best = got.iloc[0]
    assert best["offer"] == "Premium"
    assert best["price_per_user_month"] == 2.5
    assert best["difference_per_year"] == pytest.approx(600.0)
    assert best["applicable_offers"] == 3


@pytest.mark.parametrize("quarter, internal, verdict", [
    (None, 3.0, "dearer"),  # default: the latest quarter with cost data
    ("2026-Q2", 2.0, "cheaper"),
])
def test_quarter(quarter, internal, verdict):
    got = market.compare_offers(DATASET, quarter).set_index("offer").loc["Premium"]
    assert got["internal_per_user_month"] == pytest.approx(internal)
    assert got["verdict"] == verdict


def test_a_yearly_price_counts_per_month():
    dataset = make_dataset(costs=COSTS, usage=USAGE,
                           market=[{"service": "Email", "offer": "Yearly",
                                    "price_per_user_year": 36.0}])
    got = market.compare_offers(dataset).iloc[0]
    assert got["price_per_user_month"] == 3.0
    assert got["verdict"] == "same"


def test_tolerance_decides_same():
    got = market.compare_offers(DATASET, tolerance_pct=0.0).set_index("offer")
    assert got.loc["Match", "verdict"] == "cheaper"


@pytest.mark.parametrize("function", [market.compare_offers, market.best_offer])
def test_no_market_or_no_cost_gives_empty_frames(function):
    assert function(make_dataset()).empty
    assert function(make_dataset(costs=COSTS, usage=USAGE)).empty
    assert isinstance(function(make_dataset(market=OFFERS)), pd.DataFrame)


def test_inputs_are_not_mutated():
    before = snapshot(DATASET)
    market.compare_offers(DATASET, include_inapplicable=True)
    market.best_offer(DATASET, "2026-Q2")
    assert_unchanged(DATASET, before)


def test_price_on_request_end_to_end():
    """'Call us' in a workbook: one warning, the offer kept and shown as price on request on
    the Services page and in answers, never an error."""
    from tests.golden.cases import xlsx
    from valuelib import views
    from valuelib.ask import answer
    from valuelib.ingest import load

    book = xlsx(
        Services=[["service", "owner"], ["Email", "Dana"]],
        Costs=[["quarter", "service", "amount"], [Q, "Email", 900]],
        Usage=[["quarter", "service", "users"], [Q, "Email", 100]],
        Market=[["service", "offer", "price_per_user_month"], ["Email", "Suite", 4],
                ["Email", "Gold", "Contact sales"]])
    dataset = load([("offers.xlsx", book)])
    assert [(f.code, f.row, f.column) for f in dataset.findings] == [
        ("PRICE_ON_REQUEST", 3, "price_per_user_month")]
    assert dataset.publishable
    assert dataset["market"]["price_on_request"].tolist() == [False, True]
    table = views.service_detail(dataset, Q, "Email").market_table
    assert table.frame.set_index("Offer")["Price per user per month"].isna().tolist() == [
        False, True]  # numbers stay numbers: no price is no number, and says why beside it
    shown = table.formatted().set_index("Offer")
    assert shown.loc["Gold", "Price per user per month"] == MISSING
    assert "price on request" in shown.loc["Gold", "In-house is"]
    said = answer("compare Email to the market", dataset).sentence
    assert "Priced on request, so not compared: Gold." in said
    assert market.best_offer(dataset)["offer"].tolist() == ["Suite"]
