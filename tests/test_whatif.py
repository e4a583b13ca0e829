"""What-if scenarios (valuelib.whatif), worked by hand on a tiny organisation.

2026-Q3, 100 people. Every figure is a quarter's; a year is × 4.

- Email, 100 users (Sales 50, Finance 50): Software 600 (per user, comparable), Internal Labor
  300 (fixed, comparable), Internal Labor 90 (fixed, not comparable), plus half of a shared
  Facilities & Power line of 200 (fixed, not comparable; by users) = 100. Total 1,090:
  3.6333 per user per month; fixed 490, per user 600; comparable 900.
- CRM, 100 users (Sales 40, Finance 60): Software 300 and Outside Services 150 (per user),
  External Labor 150 (fixed), plus 100 of the shared line. Total 700; fixed 250, per user 450.
- IT: 1,790 a quarter = 7,160 a year; 7,160 ÷ 100 ÷ 12 = 5.9667 per person per month.
"""

from __future__ import annotations

import json
import math

import pytest

from tests.frames import assert_unchanged, make_dataset, snapshot
from valuelib import budget, market, whatif
from valuelib.whatif import Change, ChangeKind, Scenario, Verdict

Q = "2026-Q3"
COSTS = [
    {"quarter": Q, "service": "Email", "cost_pool": "Software", "amount": 600.0},
    {"quarter": Q, "service": "Email", "cost_pool": "Internal Labor", "amount": 300.0},
    {"quarter": Q, "service": "Email", "cost_pool": "Internal Labor", "amount": 90.0,
     "comparable": False},
    {"quarter": Q, "service": "CRM", "cost_pool": "Software", "amount": 300.0},
    {"quarter": Q, "service": "CRM", "cost_pool": "Outside Services", "amount": 150.0},
    {"quarter": Q, "service": "CRM", "cost_pool": "External Labor", "amount": 150.0},
    {"quarter": Q, "service": None, "cost_pool": "Facilities & Power", "amount": 200.0,
     "allocate_by": "users", "comparable": False},
]
USAGE = [{"quarter": Q, "service": s, "business_unit": bu, "users": n}
         for s, bu, n in (("Email", "Sales", 50), ("Email", "Finance", 50),
                          ("CRM", "Sales", 40), ("CRM", "Finance", 60))]
SERVICES = [{"service": "Email", "availability_target": 99.9},
            {"service": "CRM", "availability_target": 99.5}]
MARKET = [{"service": "Email", "offer": "Cloud mail", "price_per_user_month": 4.0,
           "availability": 99.0, "storage_gb": 50, "support": "Phone, 1-hour response"},
          {"service": "Email", "offer": "Cloud mail Plus", "price_per_user_month": 6.0}]
OFFERINGS = [{"service": "Email", "tier": "Standard", "price_per_user_month": 3.0,
              "availability_target": 99.5, "storage_gb": 25, "support_hours": "8x5",
              "response_time": "4h"},
             {"service": "Email", "tier": "Premium", "price_per_user_month": 5.0,
              "availability_target": 99.9, "storage_gb": 100, "support_hours": "24x7",
              "response_time": "1h"},
             {"service": "CRM", "tier": "Basic", "price_per_user_month": 50.0},
             {"service": "CRM", "tier": "Pro", "price_per_user_month": 70.0}]
SUBSCRIPTIONS = [{"quarter": Q, "business_unit": bu, "service": "Email", "tier": "Standard",
                  "users": 50} for bu in ("Sales", "Finance")]
BLOCKS = [{"block": "FY26 block", "purchased_hours": 1000, "price": 98000,
           "start": "2026-07-01", "end": "2027-06-30"}]
DATASET = make_dataset(costs=COSTS, usage=USAGE, services=SERVICES, market=MARKET,
                       offerings=OFFERINGS, subscriptions=SUBSCRIPTIONS, blocks=BLOCKS)
YEAR = 7160.0


def run(*changes: Change, dataset=DATASET) -> whatif.ScenarioResult:
    return whatif.evaluate(dataset, Scenario("test", changes))


def test_today_as_the_ledger_has_it():
    r = run()
    assert r.quarter == Q
    assert r.yearly_cost_before == pytest.approx(YEAR)
    assert r.yearly_cost_change == 0
    assert r.headcount_before == 100
    assert r.cost_per_person_before == pytest.approx(YEAR / 100 / 12)


@pytest.mark.parametrize("pool, moves", [
    ("Internal Labor", False), ("External Labor", False), ("Facilities & Power", False),
    ("Hardware", False), ("Other", False), ("Made-up pool", False),
    ("Software", True), ("Outside Services", True), ("Telecom", True),
    ("Internal Services", True),
])
def test_which_pools_move_with_users(pool, moves):
    data = make_dataset(costs=[{"quarter": Q, "service": "X", "cost_pool": pool,
                                "amount": 300.0}],
                        usage=[{"quarter": Q, "service": "X", "users": 100}])
    r = run(Change(ChangeKind.USERS, service="X", count=150), dataset=data)
    # a per-user pool: 300 × 1.5 = 450, +150 a quarter = +600 a year; a fixed pool: 0
    assert r.yearly_cost_change == pytest.approx(600.0 if moves else 0.0)


def test_more_users_move_only_the_per_user_pools():
    (c,) = run(Change(ChangeKind.USERS, service="Email", count=150)).changes
    # per user 600 × 150/100 = 900: +300 a quarter, +1,200 a year; fixed 490 stays
    assert c.yearly_cost_change == pytest.approx(1200.0)
    assert c.basis == "service"
    assert (c.users_before, c.users_after) == (100, 150)
    assert c.cost_per_user_before == pytest.approx(1090 / 100 / 3)
    assert c.cost_per_user_after == pytest.approx((490 + 900) / 150 / 3)
    assert not c.problem


def test_moving_to_an_offer_pays_its_price_for_the_comparable_cost():
    r = run(Change(ChangeKind.MOVE, service="Email", offer="cloud MAIL"))
    (c,) = r.changes
    # comparable 900 goes, 4.00 × 100 × 3 = 1,200 is paid: +300 a quarter, +1,200 a year
    assert c.yearly_cost_change == pytest.approx(1200.0)
    assert c.cost_per_user_after == pytest.approx((190 + 1200) / 100 / 3)
    # the same figure as the market comparison's, with the sign of a cost
    compared = market.compare_offers(DATASET).set_index("offer").loc["Cloud mail"]
    assert c.yearly_cost_change == pytest.approx(-compared["difference_per_year"])
    trades = {t.what: t for t in c.trade_offs}
    assert (trades["availability"].today, trades["availability"].after,
            trades["availability"].verdict) == (99.9, 99.0, Verdict.GIVES_UP)
    assert (trades["storage_gb"].today, trades["storage_gb"].after,
            trades["storage_gb"].verdict) == (25, 50, Verdict.GAINS)
    assert (trades["support"].today, trades["support"].after, trades["support"].verdict) == (
        "8x5, 4h", "Phone, 1-hour response", Verdict.CHANGES)
    assert r.yearly_cost_after == pytest.approx(YEAR + 1200)


def test_moving_to_another_tier_changes_cost_per_user_by_the_price_difference():
    (c,) = run(Change(ChangeKind.TIER, service="Email", tier="Premium")).changes
    # today Standard (every subscriber): 5.00 − 3.00 = +2.00 × 100 users × 12 = +2,400
    assert c.yearly_cost_change == pytest.approx(2400.0)
    assert c.cost_per_user_after == pytest.approx(1090 / 300 + 2.0)
    verdicts = {t.what: (t.today, t.after, t.verdict) for t in c.trade_offs}
    assert verdicts == {"availability": (99.5, 99.9, Verdict.GAINS),
                        "storage_gb": (25, 100, Verdict.GAINS),
                        "support": ("8x5, 4h", "24x7, 1h", Verdict.CHANGES)}


def test_a_tier_change_without_a_tier_today_is_a_problem_not_a_guess():
    (c,) = run(Change(ChangeKind.TIER, service="CRM", tier="Pro")).changes
    assert "not known which tier CRM is on today" in c.problem
    assert c.yearly_cost_change == 0


def test_retiring_saves_its_own_lines_and_leaves_its_shared_share():
    r = run(Change(ChangeKind.RETIRE, service="CRM"))
    (c,) = r.changes
    # own lines 600 a quarter go: −2,400 a year; its 100 of the shared line stays
    assert c.yearly_cost_change == pytest.approx(-2400.0)
    assert math.isnan(c.cost_per_user_after)
    assert c.users_after == 0
    assert any("400 a year" in note for note in c.notes)
    assert [(t.what, t.verdict) for t in c.trade_offs] == [
        ("service", Verdict.GIVES_UP), ("availability", Verdict.GIVES_UP)]
    assert r.headcount_after == 100  # Email still has everyone


def test_a_block_of_hours_costs_its_price_once():
    r = run(Change(ChangeKind.BLOCK, hours=500, price=45000))
    (c,) = r.changes
    assert c.yearly_cost_change == pytest.approx(45000.0)
    assert c.basis == "it"
    assert c.cost_per_user_after == pytest.approx((YEAR + 45000) / 100 / 12)
    trades = {t.what: (t.today, t.after, t.verdict) for t in c.trade_offs}
    assert trades["block_hours_bought"] == (1000, 500, Verdict.GIVES_UP)
    assert trades["price_per_hour"] == (98, 90, Verdict.GAINS)


def test_the_headcount_scales_every_service_per_user_pools():
    (c,) = run(Change(ChangeKind.HEADCOUNT, count=150)).changes
    # × 1.5: Email 600 → 900, CRM 450 → 675: +525 a quarter, +2,100 a year
    assert c.yearly_cost_change == pytest.approx(2100.0)
    assert (c.users_before, c.users_after) == (100, 150)
    assert c.cost_per_user_after == pytest.approx((YEAR + 2100) / 150 / 12)


def test_one_units_headcount_grows_its_users_of_the_services_it_uses():
    (c,) = run(Change(ChangeKind.HEADCOUNT, count=60, business_unit="sales")).changes
    # Sales 50 → 60 (× 1.2): Email 100 + 50 × 0.2 = 110 (× 1.1): 600 → 660;
    # CRM 100 + 40 × 0.2 = 108 (× 1.08): 450 → 486. +96 a quarter, +384 a year
    assert c.yearly_cost_change == pytest.approx(384.0)
    assert c.users_after == pytest.approx(110)


def test_changes_apply_in_order_and_add_up():
    r = run(Change(ChangeKind.USERS, service="Email", count=150),
            Change(ChangeKind.MOVE, service="Email", offer="Cloud mail"))
    first, second = r.changes
    assert first.yearly_cost_change == pytest.approx(1200.0)
    # after 150 users: comparable 900 (per user) + 300 (fixed) = 1,200 goes; 4 × 150 × 3 =
    # 1,800 is paid: +600 a quarter
    assert second.yearly_cost_change == pytest.approx(2400.0)
    assert r.yearly_cost_change == pytest.approx(3600.0)


@pytest.mark.parametrize("change, says", [
    (Change(ChangeKind.MOVE, service="Email", offer="Gmail"),
     "no market offer for Email named 'Gmail' in this data; it has: 'Cloud mail', "
     "'Cloud mail Plus'"),
    (Change(ChangeKind.MOVE, service="Fax", offer="x"), "no service 'Fax'"),
    (Change(ChangeKind.TIER, service="Email", tier="Gold"), "'Standard', 'Premium'"),
    (Change(ChangeKind.HEADCOUNT, count=5, business_unit="HR"), "'Finance', 'Sales'"),
])
def test_a_change_naming_nothing_in_the_data_says_what_there_is_and_changes_nothing(
        change, says):
    r = run(change)
    assert says in r.changes[0].problem
    assert r.problems == (r.changes[0].problem,)
    assert r.yearly_cost_change == 0


def test_a_retired_service_cannot_be_changed_again():
    r = run(Change(ChangeKind.RETIRE, service="CRM"),
            Change(ChangeKind.USERS, service="CRM", count=10))
    assert "retired by an earlier change" in r.changes[1].problem


def test_evaluate_never_changes_the_dataset():
    before = snapshot(DATASET)
    run(Change(ChangeKind.MOVE, service="Email", offer="Cloud mail"),
        Change(ChangeKind.HEADCOUNT, count=150), Change(ChangeKind.RETIRE, service="CRM"))
    assert_unchanged(DATASET, before)


def test_no_cost_data_is_said_per_change():
    r = run(Change(ChangeKind.RETIRE, service="CRM"), dataset=make_dataset())
    assert r.quarter is None
    assert r.changes[0].problem == "There is no cost data to work on."


# ---- serialised forms -------------------------------------------------------------------------

SCENARIO = Scenario("Cheaper mail", (
    Change(ChangeKind.MOVE, service="Email & Productivity", offer="Cloud = suite"),
    Change(ChangeKind.TIER, service="CRM", tier="Pro"),
    Change(ChangeKind.USERS, service="CRM", count=120),
    Change(ChangeKind.HEADCOUNT, count=320, business_unit="Sales"),
    Change(ChangeKind.HEADCOUNT, count=500),
    Change(ChangeKind.BLOCK, hours=500, price=45000.5),
    Change(ChangeKind.RETIRE, service="Fax"),
))


def test_a_scenario_round_trips_through_json():
    assert Scenario.from_dict(json.loads(json.dumps(SCENARIO.as_dict()))) == SCENARIO


def test_every_change_round_trips_through_its_text():
    for change in SCENARIO.changes:
        assert whatif.change_from_text(*whatif.change_to_text(change)) == change


@pytest.mark.parametrize("raw, says", [
    ([], "must be an object"),
    ({"name": 3}, "'name' must be text"),
    ({"changes": "x"}, "list of at most"),
    ({"changes": [{"kind": "fly"}]}, "unknown change kind 'fly'"),
    ({"changes": [{"kind": "move", "service": "Email"}]}, "needs offer"),
    ({"changes": [{"kind": "users", "service": "Email", "count": -1}]}, "0 or more"),
    ({"changes": [{"kind": "block", "hours": True, "price": 1}]}, "must be a number"),
    ({"changes": [{"kind": "retire", "service": 7}]}, "must be text"),
])
def test_a_bad_scenario_is_refused_with_what_is_wrong(raw, says):
    with pytest.raises(ValueError, match=says):
        Scenario.from_dict(raw)


@pytest.mark.parametrize("kind, text, says", [
    ("move", "Email", "SERVICE=OFFER"),
    ("users", "Email=many", "must be a number"),
    ("users", "=5", "SERVICE=N"),
    ("block", "500", "HOURS@PRICE"),
    ("block", "500@-3", "0 or more"),
    ("retire", " ", "service's name"),
    ("fly", "x", "unknown change"),
])
def test_a_bad_change_text_says_how_to_write_it(kind, text, says):
    with pytest.raises(ValueError, match=says):
        whatif.change_from_text(kind, text)


# ---- the budget variance after -----------------------------------------------------------------

def test_the_budget_variance_after_holds_a_full_year_of_the_scenario():
    rows = [{"quarter": q, "amount": 2000.0, "kind": "budget", "version": "Budget"}
            for q in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4")]
    data = make_dataset(costs=COSTS, usage=USAGE, market=MARKET, services=SERVICES,
                        budget=rows)
    r = run(Change(ChangeKind.MOVE, service="Email", offer="Cloud mail"), dataset=data)
    year = budget.summary(data, quarter=Q)
    assert (r.budget_year, r.budget) == (year.year, 8000.0)
    assert r.forecast == pytest.approx(year.end_of_year_predicted)
    assert r.variance_before == pytest.approx(year.full_year_variance)
    # +1,200 a year on top of the forecast
    assert r.variance_after == pytest.approx(year.full_year_variance + 1200.0)


def test_without_a_budget_there_is_no_variance_to_move():
    r = run(Change(ChangeKind.MOVE, service="Email", offer="Cloud mail"))
    assert r.budget_year is None
    assert math.isnan(r.variance_before) and math.isnan(r.variance_after)


# ---- the Plan page's view -----------------------------------------------------------------------

def test_the_plan_view_writes_the_result_with_the_registry():
    from valuelib.views import CHANGE_COLUMNS, compare_view, plan_view

    move = Scenario("Cloud mail", (Change(ChangeKind.MOVE, service="Email", offer="Cloud mail"),))
    view = plan_view(DATASET, move)
    tiles = {h.label: h for h in view.headlines}
    assert tiles["Yearly cost change"].value == "+$1,200"
    assert tiles["IT cost per user per month"].value == "$6.97"  # (7,160 + 1,200) ÷ 100 ÷ 12
    assert tiles["IT cost per user per month"].delta == "+$1.00"
    assert tiles["Budget variance after"].value == "—"
    assert "no budget" in tiles["Budget variance after"].sentence
    assert view.changes.columns == CHANGE_COLUMNS
    row = view.changes.formatted().iloc[0]
    assert (row["Yearly cost change"], row["Cost per user per month, today"],
            row["Cost per user per month, after"]) == ("+$1,200", "$3.63", "$4.63")
    assert view.gives_up == ("Move Email to Cloud mail: availability 99.90% → 99.00%",)
    assert view.gains == ("Move Email to Cloud mail: storage per user 25 → 50",)
    assert view.other_changes == (
        "Move Email to Cloud mail: support 8x5, 4h → Phone, 1-hour response",)

    retire = Scenario("Retire CRM", (Change(ChangeKind.RETIRE, service="CRM"),))
    views, table = compare_view(DATASET, [move, retire])
    assert [v.scenario.name for v in views] == ["Cloud mail", "Retire CRM"]
    shown = table.formatted()
    assert list(shown["Scenario"]) == ["Cloud mail", "Retire CRM"]
    assert list(shown["Yearly cost change"]) == ["+$1,200", "−$2,400"]
