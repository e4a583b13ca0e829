"""Value perception at every contact: ticket satisfaction, falling perception, needs ranked.
Every expected figure is worked out by hand in the comments."""

from __future__ import annotations

import math

import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from valuelib import perception


def tickets(rows):
    """Support rows from (opened, service, satisfaction) triples."""
    return {"opened": [r[0] for r in rows], "service": [r[1] for r in rows],
            "satisfaction": [r[2] for r in rows]}


Q1, Q2, Q3 = "2026-01-10", "2026-04-10", "2026-07-10"


def test_contact_satisfaction_by_hand():
    # A, 2026-Q1: scores 5 and 2 -> 100 and 25 on 0-100: mean 62.5; low (≤ 2): 1 of 2 = 50 %
    # A, 2026-Q2: 1 and 3 -> 0 and 50: mean 25, low 1 of 2; change 25 − 62.5 = −37.5 points
    # B, 2026-Q1: 4 -> 75, nothing low. A ticket without a service is not a service's.
    ds = make_dataset(support=tickets([(Q1, "A", 5), (Q1, "A", 2), (Q1, "B", 4),
                                       (Q2, "A", 1), (Q2, "A", 3), (Q2, None, 5)]))
    got = perception.contact_satisfaction(ds).set_index(["service", "quarter"])
    assert list(got.index) == [("A", "2026-Q1"), ("B", "2026-Q1"), ("A", "2026-Q2")]
    a1, b1, a2 = got.loc[("A", "2026-Q1")], got.loc[("B", "2026-Q1")], got.loc[("A", "2026-Q2")]
    assert (a1.responses, a1.satisfaction_pct, a1.low_share_pct) == (2, 62.5, 50.0)
    assert (b1.responses, b1.satisfaction_pct, b1.low_share_pct) == (1, 75.0, 0.0)
    assert (a2.satisfaction_pct, a2.previous_pct, a2.change_points) == (25.0, 62.5, -37.5)
    assert math.isnan(a1.previous_pct)
    one = perception.contact_satisfaction(ds, "2026-Q2")
    assert list(one["service"]) == ["A"]


def test_low_share_of_a_percent_column():
    # a percent column: 80, 40, 35, 90 -> low is ≤ 40: two of four = 50 %; mean 61.25
    ds = make_dataset(support=tickets([(Q1, "A", v) for v in (80, 40, 35, 90)]))
    got = perception.contact_satisfaction(ds).iloc[0]
    assert (got.satisfaction_pct, got.low_share_pct) == (61.25, 50.0)


def test_no_ratings_gives_an_empty_frame():
    ds = make_dataset(support=tickets([(Q1, "A", None)]))
    assert perception.contact_satisfaction(ds).empty
    assert perception.falling_perception(ds).empty
    assert list(perception.contact_satisfaction(make_dataset()).columns) == \
        perception.SATISFACTION_COLUMNS


def _quarter(day, service, scores):
    return [(day, service, s) for s in scores]


@pytest.mark.parametrize("before, now, falls", [
    # ten 5s (100) then five 4s and five 3s (75, 50): mean 62.5, a fall of 37.5 points;
    # the spread: Q1 none, Q2 sd² = 10 × 12.5² ÷ 9 = 173.6, error √(17.36) = 4.2: 37.5 > 8.3
    ([5] * 10, [4] * 5 + [3] * 5, True),
    # the same with only nine responses now: too few to call
    ([5] * 10, [4] * 5 + [3] * 4, False),
    # 0/100 half and half (50) then six 0s and four 100s (40): −10 points, but the error is
    # √(2777.8 ÷ 10 + 2666.7 ÷ 10) = 23.3, so −10 is well within noise (2 × 23.3 = 46.7)
    ([1, 5] * 5, [1] * 6 + [5] * 4, False),
    # a rise is never a fall
    ([3] * 10, [5] * 10, False),
])
def test_falling_perception_rule(before, now, falls):
    ds = make_dataset(support=tickets(_quarter(Q1, "A", before) + _quarter(Q2, "A", now)))
    got = perception.falling_perception(ds, "2026-Q2")
    assert (len(got) == 1) is falls
    if falls:
        r = got.iloc[0]
        assert (r.service, r.previous_quarter, r.satisfaction_pct, r.previous_pct,
                r.change_points, r.responses, r.previous_responses) == (
            "A", "2026-Q1", 62.5, 100.0, -37.5, 10, 10)


def test_a_slow_slide_is_caught_two_quarters_back():
    # percents 90 -> 86 -> 82: −4 a quarter (under 5), −8 over two quarters (every rating the
    # same, so no noise): falling against 2026-Q1
    rows = (_quarter(Q1, "A", [90] * 10) + _quarter(Q2, "A", [86] * 10)
            + _quarter(Q3, "A", [82] * 10))
    got = perception.falling_perception(make_dataset(support=tickets(rows)))
    assert list(got["quarter"]) == ["2026-Q3"]  # the default: the latest rated quarter
    assert (got.iloc[0].previous_quarter, got.iloc[0].change_points) == ("2026-Q1", -8.0)


def test_largest_fall_first():
    rows = (_quarter(Q1, "A", [90] * 10) + _quarter(Q2, "A", [80] * 10)
            + _quarter(Q1, "B", [90] * 10) + _quarter(Q2, "B", [60] * 10))
    got = perception.falling_perception(make_dataset(support=tickets(rows)))
    assert list(got["service"]) == ["B", "A"]
    assert list(got["change_points"]) == [-30.0, -10.0]


NEEDS = {
    "quarter": ["2026-Q1", "2026-Q2", "2026-Q2", "2026-Q2", "2026-Q2", "2026-Q2"],
    "need": ["Larger mailboxes", "larger  MAILBOXES", "VPN that stays up", " Dark mode",
             "Larger mailboxes", "Larger mailboxes"],
    "service": ["Email", "Email", "Network", None, "Email", "Email"],
    "business_unit": ["Sales", "Sales", "Ops", "Ops", "Sales", "Finance"],
    "votes": [3, 4, None, 2, 2, 1],
    "importance": [5, 4, None, 2, 1, None],
}


def test_ranked_needs_by_hand():
    # 2026-Q2, Email × Sales: two rows, votes 4 + 2 = 6; importance (4×4 + 2×1) ÷ 6 = 3;
    #   score 4×4 + 2×1 = 18; first raised 2026-Q1 (so not new), shown as first written
    # Network × Ops: votes default 1, importance missing -> counts as 3: score 3; new
    # Dark mode (no service) × Ops: 2 × 2 = 4; new
    # Email × Finance: 1 vote, no importance: 1 × 3 = 3, not new (Sales raised it in Q1)
    got = perception.ranked_needs(make_dataset(needs=NEEDS), "2026-Q2")
    assert list(got["need"]) == ["Larger mailboxes", "Dark mode", "Larger mailboxes",
                                 "VPN that stays up"]
    assert list(got["business_unit"]) == ["Sales", "Ops", "Finance", "Ops"]
    assert list(got["score"]) == [18.0, 4.0, 3.0, 3.0]
    assert list(got["votes"]) == [6.0, 2.0, 1.0, 1.0]
    assert got["importance"].iloc[0] == 3.0 and math.isnan(got["importance"].iloc[3])
    assert list(got["importance_given"]) == [True, True, False, False]
    assert list(got["new_this_quarter"]) == [False, True, False, True]
    assert list(got["first_quarter"]) == ["2026-Q1", "2026-Q2", "2026-Q1", "2026-Q2"]
    assert list(got["rank"]) == [1, 2, 3, 3]  # a tie shares its rank


def test_ranked_needs_defaults_and_filters():
    ds = make_dataset(needs=NEEDS)
    assert set(perception.ranked_needs(ds)["quarter"]) == {"2026-Q2"}  # the latest
    q1 = perception.ranked_needs(ds, "2026-Q1")
    assert list(q1["new_this_quarter"]) == [True] and list(q1["score"]) == [15.0]
    ops = perception.ranked_needs(ds, "2026-Q2", business_unit="Ops")
    assert list(ops["need"]) == ["Dark mode", "VPN that stays up"]
    assert perception.ranked_needs(ds, "2025-Q1").empty
    assert perception.ranked_needs(make_dataset()).columns.tolist() == perception.NEEDS_COLUMNS


@pytest.mark.parametrize("function", [perception.contact_satisfaction,
                                      perception.falling_perception, perception.ranked_needs])
def test_inputs_are_not_mutated(function):
    ds = make_dataset(support=tickets([(Q1, "A", 5), (Q2, "A", 1)]), needs=NEEDS)
    before = snapshot(ds)
    function(ds)
    assert_unchanged(ds, before)
