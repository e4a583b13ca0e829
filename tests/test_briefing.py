"""The trusted-advisor briefing: which findings, in what order, in which words, with which
links. Every figure is worked out by hand below."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from tests.frames import make_dataset
from valuelib.present.briefing import MOST, briefing
from valuelib.present.facts import Facts

Q2, Q3 = "2026-Q2", "2026-Q3"


def org(**overrides):
    """Services A (external-facing) and B, two quarters; worked out in the tests below."""
    q2_days = pd.date_range("2026-04-02", periods=20, freq="3D")
    q3_days = pd.date_range("2026-07-05", periods=20, freq="4D")
    tickets = (
        [{"opened": d.strftime("%Y-%m-%d"), "service": "A", "work_type": "incident",
          "priority": 1 if i < 1 else 3, "satisfaction": 5, "hours": 1.0}
         for i, d in enumerate(q2_days)]
        + [{"opened": d.strftime("%Y-%m-%d"), "service": "A", "work_type": "incident",
            "priority": 1 if i < 10 else 3, "satisfaction": 3, "hours": 3.0}
           for i, d in enumerate(q3_days)])
    tables = {
        "services": [{"service": "A", "external_facing": True}, {"service": "B"}],
        "costs": [{"quarter": q, "service": s, "amount": a} for q in (Q2, Q3)
               for s, a in (("A", 3000.0), ("B", 600.0))],
        "usage": [{"quarter": q, "service": s, "users": 10} for q in (Q2, Q3) for s in "AB"],
        "market": [{"service": "A", "offer": "Cheap A", "price_per_user_month": 60.0}],
        "support": tickets,
        "blocks": [{"block": "Support 2026", "purchased_hours": 100.0, "start": "2026-07-01",
                 "end": "2026-12-31", "price": 10000.0}],
        "needs": [{"quarter": Q3, "need": "Offline mode", "service": "A",
                "business_unit": "Sales", "votes": 12, "importance": 4}],
    }
    tables.update(overrides)
    return make_dataset(**tables)


def told(dataset, **kw):
    return briefing(Facts(dataset, None, None), **kw)


# A: 3000 a quarter ÷ 10 users ÷ 3 = $100.00 per user per month against the $60 offer:
#    (100 − 60) × 10 users × 12 = $4,800 a year.
# The block: 100 h from 1 Jul; Q3's 20 tickets × 3 h = 60 h used by 19 Sep (as of), 81 days
#    into the block: 60 ÷ 81 = 0.74 h a day; the 40 h left last 54 days: 12 Nov, 49 days
#    before it ends on 31 Dec; 0.7407 × 49 = 36.3 h more × ($10,000 ÷ 100 h) = $3,630.
# P1 share of the external-facing service A: 1 of 20 (5.0%) in Q2, 10 of 20 (50.0%) in Q3:
#    +45 points; pooled 11 of 40 = 0.275, error √(0.275 × 0.725 × (1/20 + 1/20)) = 14.1 points,
#    so the rise is 3.2 errors: beyond chance.
# Contact satisfaction of A: twenty 5s (100) in Q2, twenty 3s (50) in Q3: −50 points.
# The top need: 12 votes × importance 4 = 48, first raised in Q3.
SENTENCES = (
    "A costs $4,800 a year more in-house than the cheapest market offer that fits its 10 "
    "users (Cheap A: $60.00 per user per month against $100.00 like for like).",
    "Support 2026 runs out about 12 Nov 2026, 49 days before it ends on 31 Dec 2026: at 0.7 "
    "hours a day that is about 36 hours more, $3,630 at the block's rate.",
    "The P1 (critical) share of tickets for external-facing services rose to 50.0% in 2026-Q3 "
    "from 5.0% in 2026-Q2 (+45.0 pts; 10 of 20 prioritised tickets).",
    "Perception of A is falling: contact satisfaction fell to 50.0% in 2026-Q3 from 100.0% in "
    "2026-Q2 (\u221250.0 pts; 20 and 20 rated tickets).",
    "Top need in 2026-Q3: \u201cOffline mode\u201d (A, Sales), 12 votes \u00d7 importance 4.0 = "
    "needs score 48, new this quarter.",
)


def test_money_first_then_risk_each_one_sentence_with_a_link():
    got = told(org())
    assert got.title == "What to tell the executives this quarter"
    assert got.quarter == Q3
    assert got.sentences == SENTENCES
    assert [i.key for i in got.items] == ["dearer_than_market", "block_runs_out", "p1_rising",
                                          "perception_falling", "top_need"]
    assert got.items[0].money_per_year == 4800.0
    assert got.items[1].money_per_year == pytest.approx(60 / 81 * 49 * 100)
    assert all(math.isnan(i.money_per_year) for i in got.items[2:])
    assert [i.url for i in got.items] == ["services?quarter=2026-Q3&service=A"] + [
        "support?quarter=2026-Q3"] * 4
    assert [i.figure for i in got.items] == ["$4,800", "12 Nov 2026", "50.0%", "50.0%", "48"]


def test_at_most_five_and_fewer_when_asked():
    assert len(told(org()).items) <= MOST
    assert [i.key for i in told(org(), most=2).items] == ["dearer_than_market",
                                                          "block_runs_out"]


def test_the_most_under_recovered_service_ranks_by_its_yearly_shortfall():
    # A's Standard tier: $50 × 10 Sales users × 3 = $1,500 charged against its $3,000 cost:
    # 50.0% recovered, $1,500 short a quarter, $6,000 a year: above A's $4,800 market gap
    tiered = org(offerings=[{"service": "A", "tier": "Standard", "price_per_user_month": 50.0}],
                 subscriptions=[{"quarter": Q3, "business_unit": "Sales", "service": "A",
                                 "tier": "Standard", "users": 10}])
    got = told(tiered)
    assert [i.key for i in got.items] == ["under_recovered", "dearer_than_market",
                                          "block_runs_out", "p1_rising", "perception_falling"]
    first = got.items[0]
    assert first.sentence == ("A recovers 50.0% of its cost from charges in 2026-Q3: $1,500 "
                              "short in the quarter, about $6,000 a year at this rate, funded "
                              "as overhead.")
    assert (first.money_per_year, first.url) == (6000.0, "services?quarter=2026-Q3&service=A")
    assert "top_need" not in [i.key for i in got.items]  # the sixth finding: cut


def test_a_block_without_a_price_is_a_risk_after_the_money():
    unpriced = [{"block": "Support 2026", "purchased_hours": 100.0, "start": "2026-07-01",
                 "end": "2026-12-31"}]
    got = told(org(blocks=unpriced))
    assert [i.key for i in got.items][:3] == ["dearer_than_market", "block_runs_out",
                                              "p1_rising"]
    assert math.isnan(got.items[1].money_per_year)
    assert got.items[1].sentence.endswith("about 36 hours more.")


def _without(dataset, key, **changes):
    frame = dataset[key].copy()
    for column, value in changes.items():
        frame[column] = value
    return dataset.with_tables(**{key: frame})


@pytest.mark.parametrize("change, absent", [
    (lambda d: d.with_tables(market=make_dataset()["market"]), "dearer_than_market"),
    (lambda d: d.with_tables(blocks=make_dataset()["blocks"]), "block_runs_out"),
    (lambda d: _without(d, "blocks", purchased_hours=1000.0), "block_runs_out"),  # lasts
    (lambda d: _without(d, "support", priority=3.0), "p1_rising"),
    (lambda d: d.with_tables(services=make_dataset(services=[{"service": "A"}, {
        "service": "B"}])["services"]), "p1_rising"),  # nothing external-facing
    (lambda d: _without(d, "support", satisfaction=float("nan"),
                        satisfaction_pct=float("nan")), "perception_falling"),
    (lambda d: d.with_tables(needs=make_dataset()["needs"]), "top_need"),
])
def test_each_finding_is_absent_when_its_data_is(change, absent):
    keys = [i.key for i in told(change(org())).items]
    assert absent not in keys
    assert len(keys) == 4


def test_a_small_rise_in_p1_share_is_not_a_finding():
    # 1 of 20 then 3 of 20: +10 points, but the error is √(0.1 × 0.9 × 0.1) = 9.5 points: a
    # rise of 1.05 errors is within chance
    d = org()
    support = d["support"].copy()
    q3 = support["quarter"] == Q3
    support.loc[q3, "priority"] = [1.0] * 3 + [3.0] * 17
    assert "p1_rising" not in [i.key for i in told(d.with_tables(support=support)).items]


def test_too_few_prioritised_tickets_is_no_p1_finding():
    # 19 prioritised external tickets in Q3: under the 20 needed to call a rise
    d = org()
    support = d["support"].copy()
    last = support.index[-1]
    support.loc[last, "priority"] = float("nan")
    assert "p1_rising" not in [i.key for i in told(d.with_tables(support=support)).items]


def test_nothing_to_tell_on_empty_data():
    assert told(make_dataset()).items == ()
