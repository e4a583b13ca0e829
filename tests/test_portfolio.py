"""Portfolio: value score and the cost-vs-value quadrants (medians, ties, gaps)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from valuelib import portfolio
from valuelib.portfolio import MarketPosition, Quadrant

Q = "2026-Q3"
NAN = np.nan


@pytest.mark.parametrize("rows, score, parts", [
    ([{"business_value": 5.0, "satisfaction": 80.0}], 90.0, 2),  # (100 + 80) / 2
    ([{"business_value": 3.0}], 50.0, 1),  # (3 − 1) / 4 × 100
    ([{"satisfaction": 4.0}], 75.0, 1),  # a 1-5 satisfaction column is scaled like value
    ([{"business_value": 1.0, "satisfaction": 0.0}], 0.0, 2),
    # two survey rows: weighted by respondents, (5 × 10 + 1 × 30) / 40 = 2 -> 25
    ([{"business_value": 5.0, "respondents": 10.0},
      {"business_value": 1.0, "respondents": 30.0}], 25.0, 1),
])
def test_value_score_is_the_mean_of_the_parts_present(rows, score, parts):
    dataset = make_dataset(value=[{"quarter": Q, "service": "Email", **r} for r in rows])
    got = portfolio.value_scores(dataset).iloc[0]
    assert got["value_score"] == pytest.approx(score)
    assert got["parts"] == parts


def test_value_scores_columns_and_respondents():
    dataset = make_dataset(value=[
        {"quarter": Q, "service": "Email", "business_value": 4.0, "satisfaction": 60.0,
         "respondents": 12.0},
        {"quarter": Q, "service": "Wiki", "business_value": 2.0}])
    frame = portfolio.value_scores(dataset)
    got = frame.set_index("service")
    assert list(frame.columns) == [
        "quarter", "service", "business_value", "business_value_pct", "satisfaction_pct",
        "respondents", "value_score", "parts", "source"]
    assert set(frame["source"]) == {"survey"}
    assert got.loc["Email", "business_value_pct"] == 75.0
    assert got.loc["Email", "respondents"] == 12.0
    assert np.isnan(got.loc["Wiki", "respondents"])
    assert np.isnan(got.loc["Wiki", "satisfaction_pct"])
    assert got.loc["Wiki", "value_score"] == 25.0


def _rated(opened, service, scores):
    return [{"opened": opened, "service": service, "satisfaction": v} for v in scores]


def test_ticket_satisfaction_scores_a_service_before_its_first_survey():
    # Email: tickets rated 4 and 5 in 2026-Q2 (75, 100: mean 87.5), no survey until 2026-Q3,
    # where the survey (business value 3 -> 50) wins over its tickets (rated 1 -> 0).
    # Wiki: never surveyed; tickets 2 and 4 in 2026-Q3 -> 25 and 75: 50 from 2 responses.
    dataset = make_dataset(
        value=[{"quarter": Q, "service": "Email", "business_value": 3.0}],
        support=(_rated("2026-04-02", "Email", [4, 5]) + _rated("2026-07-02", "Email", [1])
                 + _rated("2026-07-03", "Wiki", [2, 4])))
    got = portfolio.value_scores(dataset).set_index(["quarter", "service"])
    assert list(got.index) == [("2026-Q2", "Email"), (Q, "Email"), (Q, "Wiki")]
    assert list(got["source"]) == ["ticket satisfaction", "survey", "ticket satisfaction"]
    assert list(got["value_score"]) == [87.5, 50.0, 50.0]
    assert got.loc[(Q, "Wiki"), "respondents"] == 2.0
    assert got.loc[(Q, "Wiki"), "parts"] == 1
    assert np.isnan(got.loc[(Q, "Wiki"), "business_value"])
    assert list(portfolio.value_scores(dataset, "2026-Q2")["service"]) == ["Email"]


def test_cost_vs_value_says_where_each_score_came_from():
    c, u, v = placed({"A": 90}, {"A": 10, "B": 20})
    dataset = make_dataset(costs=c, usage=u, value=v,
                           support=_rated("2026-07-02", "B", [5, 5, 3]))
    got = portfolio.cost_vs_value(dataset, Q).set_index("service")
    assert got.loc["A", "value_source"] == "survey"
    assert got.loc["B", "value_source"] == "ticket satisfaction"
    assert got.loc["B", "value_score"] == pytest.approx(250 / 3)  # (100 + 100 + 50) ÷ 3
    assert got.loc["B", "status"] == "placed"


def placed(values, costs, quarter=Q, value_quarter=None):
    """Services with 1 user each: cost per user per month = amount ÷ 3."""
    return (
        [{"quarter": quarter, "service": s, "amount": c * 3} for s, c in costs.items()],
        [{"quarter": quarter, "service": s, "users": 1} for s in costs],
        [{"quarter": value_quarter or quarter, "service": s, "business_value": 1 + v / 25}
         for s, v in values.items()],
    )


# values: 10 20 50 80 90 -> median 50; costs: 5 10 20 40 50 -> median 20.
VALUES = {"A": 90, "B": 80, "C": 20, "D": 10, "E": 50}
COSTS = {"A": 10, "B": 40, "C": 5, "D": 50, "E": 20}
costs, usage, value = placed(VALUES, COSTS)
costs.append({"quarter": Q, "service": "F", "amount": 30.0})  # cost, no users
costs.append({"quarter": Q, "service": "G", "amount": 30.0})  # users, no value score
usage.append({"quarter": Q, "service": "G", "users": 1})
value.append({"quarter": Q, "service": "F", "business_value": 5.0})
QUADS = make_dataset(costs=costs, usage=usage, value=value)


@pytest.mark.parametrize("service, quadrant, status", [
    ("A", "Invest", "placed"),  # high value, low cost
    ("B", "Optimize", "placed"),  # high value, high cost
    ("C", "Tolerate", "placed"),  # low value, low cost
    ("D", "Replace or retire", "placed"),  # low value, high cost
    ("E", "Invest", "placed"),  # on both medians: value ≥ median is high, cost > median is high
    ("F", None, "no usage data"),
    ("G", None, "no value score"),
])
def test_quadrants_split_at_the_medians(service, quadrant, status):
    got = portfolio.cost_vs_value(QUADS).set_index("service").loc[service]
    assert got["value_median"] == pytest.approx(50.0)
    assert got["cost_median"] == pytest.approx(20.0)
    assert (got["quadrant"] if isinstance(got["quadrant"], str) else None) == quadrant
    assert got["status"] == status
    if quadrant:
        assert got["suggestion"] == portfolio.SUGGESTIONS[quadrant]
    else:
        assert pd.isna(got["suggestion"])


def test_each_quadrant_has_one_suggestion_sentence():
    assert set(portfolio.SUGGESTIONS) == set(portfolio.Quadrant)
    for sentence in portfolio.SUGGESTIONS.values():
        assert sentence.endswith(".") and sentence.count(". ") == 0


def test_medians_are_per_quarter():
    c1, u1, v1 = placed({"A": 90, "B": 10}, {"A": 10, "B": 40}, "2026-Q2")
    c2, u2, v2 = placed({"A": 90, "B": 10, "C": 50}, {"A": 10, "B": 40, "C": 30})
    got = portfolio.cost_vs_value(make_dataset(costs=c1 + c2, usage=u1 + u2, value=v1 + v2))
    medians = got.groupby("quarter")[["value_median", "cost_median"]].first()
    assert medians.loc["2026-Q2"].tolist() == pytest.approx([50.0, 25.0])
    assert medians.loc[Q].tolist() == pytest.approx([50.0, 30.0])


@pytest.mark.parametrize("value_quarter, carry_forward, score, status", [
    ("2026-Q2", True, 90.0, "placed"),  # an earlier survey carries forward
    ("2026-Q2", False, NAN, "no value score"),
    ("2026-Q4", True, NAN, "no value score"),  # a later survey never counts
])
def test_a_survey_from_another_quarter(value_quarter, carry_forward, score, status):
    c, u, v = placed({"A": 90}, {"A": 10}, value_quarter=value_quarter)
    dataset = make_dataset(costs=c, usage=u, value=v)
    got = portfolio.cost_vs_value(dataset, Q, carry_forward=carry_forward).iloc[0]
    assert got["value_score"] == pytest.approx(score, nan_ok=True)
    assert got["status"] == status
    if status == "placed":
        assert got["value_quarter"] == value_quarter


def test_the_unallocated_line_is_not_placed():
    c, u, v = placed({"A": 90}, {"A": 10})
    c.append({"quarter": Q, "service": None, "amount": 5.0})  # shared, no allocate_by
    got = portfolio.cost_vs_value(make_dataset(costs=c, usage=u, value=v))
    assert got["service"].tolist() == ["A"]


@pytest.mark.parametrize("function", [portfolio.value_scores, portfolio.cost_vs_value])
def test_an_empty_dataset_gives_empty_frames(function):
    assert function(make_dataset()).empty


def test_inputs_are_not_mutated():
    before = snapshot(QUADS)
    portfolio.value_scores(QUADS)
    portfolio.cost_vs_value(QUADS)
    portfolio.cost_vs_value(QUADS, Q, carry_forward=False)
    assert_unchanged(QUADS, before)


@pytest.mark.parametrize("quadrant, position, says, never", [
    (Quadrant.REPLACE, None, "replace it with a market offer", "review its scope"),
    (Quadrant.REPLACE, MarketPosition.CHEAPER_IN_HOUSE, "review its scope or retire it",
     "replace it with a market"),
    (Quadrant.REPLACE, MarketPosition.NO_OFFER, "no market offer for it",
     "replace it with a market"),
    (Quadrant.OPTIMIZE, MarketPosition.CHEAPER_IN_HOUSE, "licences and contracts",
     "or a market offer"),
    (Quadrant.OPTIMIZE, MarketPosition.NO_OFFER, "no market offer to compare",
     "or a market offer"),
    (Quadrant.OPTIMIZE, None, "or a market offer", "no market offer"),
    (Quadrant.INVEST, MarketPosition.CHEAPER_IN_HOUSE, "protect it", "market offer"),
])
def test_advice_follows_the_market(quadrant, position, says, never):
    advice = portfolio.advice(quadrant, position)
    assert says in advice and never not in advice
    assert "median" in advice and "of your services" in advice  # what "high" and "low" mean


def test_no_advice_without_a_quadrant():
    assert portfolio.advice(None, None) is None


def test_ticket_satisfaction_alone_gives_value_scores():
    got = portfolio.value_scores(make_dataset(support=_rated("2026-07-02", "Wiki", [3])))
    assert list(got["value_score"]) == [50.0] and list(got["source"]) == ["ticket satisfaction"]
