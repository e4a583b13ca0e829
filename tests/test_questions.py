"""Questions in plain words: intents and numbers, as executives and IT directors type them.

Every expected number is computed here by calling the analytics functions directly (costing,
market, portfolio, support); none is written down. Questions that cannot be answered must say
so, give no number, and offer three questions that can be answered.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from tests.frames import make_dataset
from valuelib import budget, chargeback, costing, market, perception, portfolio, support
from valuelib.ask import EXAMPLES, INTENTS, answer, examples, understand
from valuelib.cli import add_ask_command, format_answer
from valuelib.cli import main as ask_main
from valuelib.ingest import load_paths
from valuelib.model import Settings
from valuelib.present.formatting import fmt_date

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))

EMAIL, PHONES, NETWORK = "Email & Productivity", "Telecommunications", "Telecom & Networking"
DESK, CRM, WEB = "Desktop & User Support", "CRM", "Website Sales"


@pytest.fixture(scope="module")
def ds():
    return load_paths(SAMPLE)


# ---- expected values, straight from the analytics ----------------------------------------------

def latest(ds, key="costs"):
    return str(ds[key]["quarter"].dropna().max())


def previous(ds, key="costs"):
    quarters = sorted(ds[key]["quarter"].dropna().unique())
    return str(quarters[-2])


def cpu(service, quarter=None, column="cost_per_user_month", months=1):
    def expected(ds):
        q = quarter or latest(ds)
        frame = costing.cost_per_user(ds, q)
        return float(frame.loc[frame["service"] == service, column].iloc[0]) * months
    return expected


def year_quarters(ds, year):
    return [q for q in sorted(ds["costs"]["quarter"].unique()) if q.startswith(str(year))]


def total(service=None, year=None, quarter=None, trailing=None, per_month=False):
    def expected(ds):
        frame = costing.total_cost(ds)
        if year == "this":
            quarters = year_quarters(ds, latest(ds)[:4])
        elif year is not None:
            quarters = year_quarters(ds, year)
        elif trailing:
            quarters = sorted(frame["quarter"].unique())[-trailing:]
        else:
            quarters = [quarter or latest(ds)]
        rows = frame[frame["quarter"].isin(quarters)]
        if service is not None:
            rows = rows[rows["service"] == service]
        value = float(rows["total_cost"].sum())
        return value / (3 * len(quarters)) if per_month else value
    return expected


def on_budget(column, service=None):
    def expected(ds):
        year = budget.compare(ds, "service" if service else "it").year_table
        if service is not None:
            year = year[year["service"] == service]
        return float(year[column].iloc[0])
    return expected


def ranked(position=0, per_user=True, least=False):
    def expected(ds):
        frame = costing.cost_per_user(ds, latest(ds))
        frame = frame[frame["service"] != costing.UNALLOCATED]
        column = "cost_per_user_month" if per_user else "total_cost"
        values = frame[column].dropna().sort_values(ascending=least)
        return float(values.iloc[position])
    return expected


def trend_pct(service, measure="total_cost"):
    def expected(ds):
        t = costing.cost_trend(ds, measure, service)
        first, last = t[measure].iloc[0], t[measure].iloc[-1]
        return (last - first) / abs(first) * 100
    return expected


def trend_pct_since(service, start, measure="total_cost"):
    def expected(ds):
        t = costing.cost_trend(ds, measure, service)
        t = t[t["quarter"] >= start]
        first, last = t[measure].iloc[0], t[measure].iloc[-1]
        return (last - first) / abs(first) * 100
    return expected


def qoq_pct(service, measure="total_cost"):
    def expected(ds):
        t = costing.cost_trend(ds, measure, service)
        return float(t["qoq_pct"].iloc[-1])
    return expected


def it_trend_pct(ds):
    by_q = costing.total_cost(ds).groupby("quarter")["total_cost"].sum()
    return (by_q.iloc[-1] - by_q.iloc[0]) / abs(by_q.iloc[0]) * 100


def best_difference(service):
    def expected(ds):
        best = market.best_offer(ds)
        return float(best.loc[best["service"] == service, "difference_per_user_month"].iloc[0])
    return expected


def offer_difference(service, price):
    def expected(ds):
        c = market.compare_offers(ds)
        row = c[(c["service"] == service) & (c["price_per_user_month"] == price)]
        return float(row["difference_per_user_month"].iloc[0])
    return expected


def moved_to_offer(service, price):
    """What-if: moving ``service`` to the offer at ``price`` adds this to a year's cost (the
    market comparison's yearly difference, with the sign of a cost)."""
    def expected(ds):
        c = market.compare_offers(ds)
        row = c[(c["service"] == service) & (c["price_per_user_month"] == price)]
        return -float(row["difference_per_year"].iloc[0])
    return expected


def market_saving(ds):
    best = market.best_offer(ds)
    return float(best.loc[best["verdict"] == "dearer", "difference_per_year"].sum())


def in_quadrant(name):
    def expected(ds):
        cvv = portfolio.cost_vs_value(ds, latest(ds))
        return float((cvv["quadrant"] == name).sum())
    return expected


def quadrant_value_score(service):
    def expected(ds):
        cvv = portfolio.cost_vs_value(ds, latest(ds))
        return float(cvv.loc[cvv["service"] == service, "value_score"].iloc[0])
    return expected


def value_of(service, column="value_score"):
    def expected(ds):
        v = portfolio.value_scores(ds, latest(ds, "value"))
        return float(v.loc[v["service"] == service, column].iloc[0])
    return expected


def value_extreme(column, least):
    def expected(ds):
        v = portfolio.value_scores(ds, latest(ds, "value"))
        return float(v[column].min() if least else v[column].max())
    return expected


def proactive_now(ds):
    share = support.proactive_share(ds)
    return float(share["proactive_share_pct"].iloc[-1])


def _running_block(ds):
    status = support.block_status(ds)
    running = status[(status["start"] <= status["as_of"])
                     & (status["as_of"] <= status["end"] + pd.Timedelta(days=1))]
    return running.sort_values("start").iloc[-1]


def block_left(ds):
    return float(_running_block(ds)["remaining_hours"])


def block_days_left(ds):
    b = _running_block(ds)
    return float((b["runout_date"] - pd.Timestamp(b["as_of"]).normalize()).days)


def named_block_left(name):
    def expected(ds):
        status = support.block_status(ds)
        return float(status.loc[status["block"].str.startswith(name), "remaining_hours"].iloc[0])
    return expected


def p1_overall(ds):
    p = support.p1_share(ds, latest(ds, "support"))
    return float(p["p1_tickets"].sum() / p["prioritised"].sum() * 100)


def p1_facing(facing):
    def expected(ds):
        p = support.p1_share(ds, latest(ds, "support"))
        return float(p.loc[p["facing"] == facing, "p1_share_pct"].iloc[0])
    return expected


def mismatches(ds):
    return float(support.priority_mismatches(ds, latest(ds, "support"))["tickets"].sum())


def showback_of(unit, service=None):
    def expected(ds):
        sb = costing.showback(ds, latest(ds))
        rows = sb[sb["business_unit"] == unit]
        if service:
            rows = rows[rows["service"] == service]
        return float(rows["cost"].sum())
    return expected


def showback_top(ds):
    sb = costing.showback(ds, latest(ds))
    by_unit = sb[sb["business_unit"] != "Unassigned"].groupby("business_unit")["cost"].sum()
    return float(by_unit.max())


def _charges_now(ds):
    """chargeback.charges of the quarter a charge answer takes by default (the latest with
    charges and cost data), or None when the workbooks hold no tiers."""
    if not ds["offerings"]["tier"].notna().any():
        return None
    charges = chargeback.charges(ds)
    quarters = sorted(charges["quarter"].unique())
    with_cost = [q for q in quarters if q in set(ds["costs"]["quarter"])]
    return charges[charges["quarter"] == (with_cost or quarters)[-1]]


def pays(unit, service=None):
    """What a unit pays: its charges with tiers, else (said so) its showback."""
    def expected(ds):
        now = _charges_now(ds)
        if now is None:
            return showback_of(unit, service)(ds)
        rows = now[now["business_unit"] == unit]
        return float(rows[rows["service"] == service]["charge"].sum() if service
                     else rows["charge"].sum())
    return expected


def pays_each(ds):
    now = _charges_now(ds)
    return showback_top(ds) if now is None else float(now["charge"].sum())


def it_change(ds):
    t = costing.total_cost(ds)
    return float(t.loc[t["quarter"] == latest(ds), "total_cost"].sum()
                 - t.loc[t["quarter"] == previous(ds), "total_cost"].sum())


def explain_total(service):
    def expected(ds):
        return float(costing.explain_cost(ds, service, latest(ds)).cost_per_user_month)
    return expected


def users_of(service):
    def expected(ds):
        u = costing.users_by_service(ds, latest(ds, "usage"))
        return float(u.loc[u["service"] == service, "users"].iloc[0])
    return expected


def headcount(ds):
    return float(support.headcount(ds)["users"].iloc[-1])


def desk(column):
    def expected(ds):
        d = support.service_desk(ds, latest(ds, "support"))
        return float(d[column].iloc[0])
    return expected


def pool_cost(pool):
    def expected(ds):
        pools = costing.cost_by_pool(ds, latest(ds))
        return float(pools.loc[pools["cost_pool"] == pool, "total_cost"].sum())
    return expected


def biggest_pool(ds):
    pools = costing.cost_by_pool(ds, latest(ds))
    return float(pools.groupby("cost_pool")["total_cost"].sum().max())


def most_users(ds):
    return float(costing.users_by_service(ds, latest(ds, "usage"))["users"].max())


def biggest_rise_this_year(ds):
    t = costing.cost_trend(ds, "cost_per_user_month")
    t = t[t["quarter"].str.startswith(latest(ds)[:4]) & (t["service"] != costing.UNALLOCATED)]
    ends = t.groupby("service")["cost_per_user_month"].agg(["first", "last"])
    return float(((ends["last"] - ends["first"]) / ends["first"].abs() * 100).max())


def routine_share(ds):
    mix = support.work_mix(ds, quarter=latest(ds, "support"))
    return float(mix.loc[mix["work_class"] == "routine", "hours_pct"].iloc[0])


def it_per_person(ds):
    return total()(ds) / headcount(ds) / 3


# ---- the table: question as typed -> intent, main number ------------------------------------

def contact(service=None):
    """A service's contact satisfaction in the latest quarter with tickets; without one, the
    lowest among the services with enough rated tickets to judge."""
    def expected(ds):
        now = perception.contact_satisfaction(ds, latest(ds, "support"))
        if service is not None:
            return float(now.loc[now["service"] == service, "satisfaction_pct"].iloc[0])
        judged = now[now["responses"] >= perception.MIN_RESPONSES]
        return float(judged.sort_values(["satisfaction_pct", "service"])
                     ["satisfaction_pct"].iloc[0])
    return expected


CASES = [
    # cost per user, per month and per year
    ("What does our email cost per user?", "cost_per_user", cpu(EMAIL)),
    ("whats the emial cost per head per month", "cost_per_user", cpu(EMAIL)),
    ("per user email cost?", "cost_per_user", cpu(EMAIL)),
    ("how much is outlook per seat annually", "cost_per_user", cpu(EMAIL, months=12)),
    ("e-mail cost per user a year", "cost_per_user", cpu(EMAIL, months=12)),
    ("what do we pay for Office per mailbox per month", "cost_per_user", cpu(EMAIL)),
    ("mail $ per user", "cost_per_user", cpu(EMAIL)),
    ("phones cost per user in Q1 2025", "cost_per_user", cpu(PHONES, "2025-Q1")),
    ("telephony cost per head FY26 Q2", "cost_per_user", cpu(PHONES, "2026-Q2")),
    ("cost per user of the phone system 2025-Q3", "cost_per_user", cpu(PHONES, "2025-Q3")),
    ("how much does the network cost per user in 2025", "cost_per_user",
     cpu(NETWORK, "2025-Q4")),
    ("helpdesk cost per user last quarter", "cost_per_user", cpu(DESK)),
    ("service desk cost per user previous quarter", "cost_per_user",
     lambda ds: cpu(DESK, previous(ds))(ds)),
    ("Desktop support cost per head currently", "cost_per_user", cpu(DESK)),
    ("crm cost per seat now", "cost_per_user", cpu(CRM)),
    ("salesforce cost per user Q3 2025", "cost_per_user", cpu(CRM, "2025-Q3")),
    ("what does the web shop cost per user", "cost_per_user", cpu(WEB)),
    ("ecommerce cost per user monthly", "cost_per_user", cpu(WEB)),
    ("payrol cost per employe", "cost_per_user", cpu("Payroll")),
    ("how expnsive is the helpdsk per user", "cost_per_user", cpu(DESK)),
    ("what does email cost per user in the third quarter of 2025", "cost_per_user",
     cpu(EMAIL, "2025-Q3")),
    ("email cost per user a year ago", "cost_per_user", cpu(EMAIL, "2025-Q3")),
    ("How much does Program & Consulting cost per user?", "cost_per_user",
     cpu("Program & Consulting")),
    ("inventory mgmt cost per user", "cost_per_user", cpu("Inventory Management")),
    ("what does email cost", "cost_per_user", cpu(EMAIL)),
    ("what does IT cost per employee", "cost_per_user", it_per_person),
    ("What is the cost of IT per head", "cost_per_user", it_per_person),
    ("How much are we paying per user for Microsoft 365?", "cost_per_user", cpu(EMAIL)),
    ("whats the unit cost of email", "cost_per_user", cpu(EMAIL)),
    # total cost of a service or of IT
    ("How much do we spend on payroll", "total_cost", total("Payroll")),
    ("total cost of CRM in 2025", "total_cost", total(CRM, year=2025)),
    ("what is the total cost of email this year", "total_cost", total(EMAIL, year="this")),
    ("what did IT cost in 2025", "total_cost", total(year=2025)),
    ("total IT spend this year", "total_cost", total(year="this")),
    ("how much do we spend on IT a year", "total_cost", total(trailing=4)),
    ("What is our total IT spend last quarter?", "total_cost", total()),
    ("how much does IT cost per month", "total_cost", total(per_month=True)),
    ("total spend on the service desk in Q2 2026", "total_cost", total(DESK, quarter="2026-Q2")),
    ("What's the annual cost of CRM?", "total_cost", total(CRM, trailing=4)),
    ("How much do mobiles cost us annually?", "total_cost", total(PHONES, trailing=4)),
    ("how much does it cost us to run the website each month", "total_cost",
     total(WEB, per_month=True)),
    ("what's our spend on telecom this year", "total_cost", total(NETWORK, year="this")),
    # most / least expensive
    ("most expensive services", "ranking", ranked(0)),
    ("which service is the cheapest per user", "ranking", ranked(0, least=True)),
    ("top 3 services by total cost", "ranking", ranked(0, per_user=False)),
    ("Which services cost the most in total?", "ranking", ranked(0, per_user=False)),
    ("whats our least expensive service per user", "ranking", ranked(0, least=True)),
    ("what's the priciest service", "ranking", ranked(0)),
    ("list services by cost per user", "ranking", ranked(0)),
    ("where does the money go", "ranking", ranked(0, per_user=False)),
    ("Give me the top 5 costliest services", "ranking", ranked(0)),
    # trend over quarters
    ("how has email cost changed over time", "trend", trend_pct(EMAIL)),
    ("email cost trend", "trend", trend_pct(EMAIL)),
    ("is crm getting more expensive", "trend", trend_pct(CRM, "cost_per_user_month")),
    ("IT spend over time", "trend", it_trend_pct),
    ("how did the cost of the helpdesk change since last quarter", "trend", qoq_pct(DESK)),
    ("how has email cost changed since 2025", "trend", trend_pct_since(EMAIL, "2025-Q1")),
    ("CRM cost per user Q1 2025 vs Q3 2026", "trend",
     trend_pct_since(CRM, "2025-Q1", "cost_per_user_month")),
    # the market
    ("is it cheaper to buy email?", "market", best_difference(EMAIL)),
    ("how does our email compare with the $15 offer?", "market",
     offer_difference(EMAIL, 15.0)),
    ("how do we compare with the $22 offer", "market", offer_difference(EMAIL, 22.0)),
    ("should we outsource the service desk", "market", best_difference(DESK)),
    ("is crm cheaper in the cloud", "market", best_difference(CRM)),
    ("are we overpaying for crm", "market", best_difference(CRM)),
    ("Is email cheaper than Google Workspace?", "market", best_difference(EMAIL)),
    ("Are our phones more expensive than the market?", "market", best_difference(PHONES)),
    ("How much could we save by outsourcing?", "market", market_saving),
    ("Which services would be cheaper to buy?", "market", market_saving),
    # cost vs value
    ("which services cost more than they are worth", "quadrant",
     in_quadrant(portfolio.Quadrant.REPLACE)),
    ("what should we retire", "quadrant", in_quadrant(portfolio.Quadrant.REPLACE)),
    ("where should we invest", "quadrant", in_quadrant(portfolio.Quadrant.INVEST)),
    ("which services should we optimise", "quadrant", in_quadrant(portfolio.Quadrant.OPTIMIZE)),
    ("is CRM worth what it costs", "quadrant", quadrant_value_score(CRM)),
    ("Is our helpdesk value for money?", "quadrant", quadrant_value_score(DESK)),
    ("any services we should kill?", "quadrant", in_quadrant(portfolio.Quadrant.REPLACE)),
    # value and satisfaction
    ("how satisfied are users with email", "value", value_of(EMAIL, "satisfaction_pct")),
    ("value score of crm", "value", value_of(CRM)),
    ("how do people rate the service desk", "value", value_of(DESK)),
    ("which services are users least happy with", "value",
     value_extreme("satisfaction_pct", least=True)),
    ("what's the most valuable service", "value", value_extreme("value_score", least=False)),
    ("What's the CSAT for the service desk?", "value", value_of(DESK, "satisfaction_pct")),
    # support: proactive share, blocks, priorities
    ("what is the proactive share", "proactive", proactive_now),
    ("proactive vs reactive", "proactive", proactive_now),
    ("is support getting more proactive", "proactive", proactive_now),
    ("how much firefighting are we doing", "proactive", proactive_now),
    ("how many hours are left in the support block", "block", block_left),
    ("hours left on the retainer", "block", block_left),
    ("when does the block run out", "block", block_days_left),
    ("when will we run out of support hours", "block", block_days_left),
    ("how much is left in the 2025-26 block", "block", named_block_left("2025-26")),
    ("Has the proactive share improved since last year?", "proactive", proactive_now),
    ("what share of tickets are P1", "p1_share", p1_overall),
    ("how many P1s last quarter", "p1_share", p1_overall),
    ("p1 share for external services", "p1_share", p1_facing("external")),
    ("how many critical incidents did we have last quarter", "p1_share", p1_overall),
    ("how many tickets have the wrong priority", "priority_mismatches", mismatches),
    ("are tickets prioritised correctly", "priority_mismatches", mismatches),
    # showback
    ("IT cost by department", "showback", showback_top),
    ("which department costs the most", "showback", showback_top),
    ("what does Sales use of IT cost", "showback", showback_of("Sales")),
    # what a unit pays: its Bill of IT (chargeback), or its showback without tiers
    ("what does Sales pay for IT?", "charges", pays("Sales")),
    ("how much does finance pay for it", "charges", pays("Finance")),
    ("what does HR pay for payroll", "charges", pays("HR", "Payroll")),
    ("How much does each department pay?", "charges", pays_each),
    ("what does operations pay for the network", "charges", pays("Operations", NETWORK)),
    # what changed
    ("what changed since last quarter", "changes", it_change),
    ("whats new this quarter", "changes", it_change),
    # cost pools
    ("how much do we spend on software licences", "cost_pools", pool_cost("Software")),
    ("what are our staff costs", "cost_pools", pool_cost("Internal Labor")),
    ("how much hardware do we buy", "cost_pools", pool_cost("Hardware")),
    ("what are the biggest cost pools", "cost_pools", biggest_pool),
    # and more
    ("which services got more expensive this year", "trend", biggest_rise_this_year),
    ("is CRM cheaper than last year", "trend",
     trend_pct_since(CRM, "2025-Q1", "cost_per_user_month")),
    ("how much would we save on the $22 plan for email", "market",
     offer_difference(EMAIL, 22.0)),
    # a what-if is worked out as a scenario (issue 17)
    ("what would happen if we moved email to the $22 plan for everyone", "whatif",
     moved_to_offer(EMAIL, 22.0)),
    ("which service has the most users", "users", most_users),
    ("how much of support is routine work", "proactive", routine_share),
    ("what is the median time to resolve P1 tickets", "service_desk",
     desk("median_resolve_hours_p1")),
    ("why does crm cost so much", "explain", explain_total(CRM)),
    ("break down the cost of email", "explain", explain_total(EMAIL)),
    ("how many users does email have", "users", users_of(EMAIL)),
    ("how many people work here", "users", headcount),
    ("how many tickets did the service desk handle last quarter", "service_desk",
     desk("tickets")),
    ("whats the backlog", "service_desk", desk("backlog")),
    ("how long does it take to resolve tickets", "service_desk", desk("median_resolve_hours")),
    # ---- budget (issue 17): against the version "Budget", the year end from the reforecast
    ("are we over budget?", "budget", on_budget("variance_ytd")),
    ("budget variance", "budget", on_budget("variance_ytd")),
    ("how are we tracking against budget", "budget", on_budget("variance_ytd")),
    ("how far over budget are we", "budget", on_budget("variance_ytd")),
    ("are we on budget for CRM", "budget", on_budget("variance_ytd", CRM)),
    ("which services are over budget this year?", "budget_services",
     on_budget("variance_ytd", CRM)),
    ("which services are under budget?", "budget_services", on_budget("variance_ytd", WEB)),
    ("where will we end the year?", "year_end", on_budget("end_of_year_predicted")),
    ("year end forecast", "year_end", on_budget("end_of_year_predicted")),
    ("where will CRM end the year?", "year_end", on_budget("end_of_year_predicted", CRM)),
    # the voice of users (issue 16); needs: test_needs_are_ranked_by_votes_times_importance
    ("how satisfied are users with email support", "perception", contact(EMAIL)),
    ("which services are users less happy with", "perception", contact()),
    ("is ticket satisfaction falling?", "perception", contact()),
    ("how happy are people with CRM support", "perception", contact(CRM)),
]


@pytest.mark.parametrize("question, intent, expected", CASES, ids=[c[0] for c in CASES])
def test_question_gets_its_intent_and_number(ds, question, intent, expected):
    result = answer(question, ds)
    assert result.understood, result.sentence
    assert result.intent == intent, (result.intent, result.sentence)
    main = result.figures[0]
    assert main.value == pytest.approx(expected(ds), rel=1e-9, abs=1e-9), main
    # the number is in the sentence, the rows and chart behind it come along, and the answer
    # says how it was computed
    assert main.formatted.lstrip("+-\u2212") in result.sentence
    assert result.table is not None and len(result.table)
    assert result.chart is not None and len(result.chart.data)
    assert result.how
    assert len(result.suggestions) == 3


def test_at_least_sixty_phrasings_and_every_intent():
    assert len(CASES) >= 60
    # the intents added with the intent table are covered by tests/test_ask.py
    assert {c[1] for c in CASES} == set(INTENTS) - {"compare", "compare_quarters",
                                                     "support_hours", "needs", "briefing",
                                                     # tests/test_chargeback_answers.py
                                                     "recovery", "tier", "line_driven"}


# ---- the reader alone: quarters, synonyms, units (no analytics) -------------------------------

@pytest.mark.parametrize("said, quarters", [
    ("2026-Q3", ["2026-Q3"]), ("Q3 2026", ["2026-Q3"]), ("Q3-2026", ["2026-Q3"]),
    ("2026Q3", ["2026-Q3"]), ("FY26 Q3", ["2026-Q3"]), ("Q3 FY26", ["2026-Q3"]),
    ("FY2026 Q3", ["2026-Q3"]), ("Q3 '26", ["2026-Q3"]), ("third quarter of 2026", ["2026-Q3"]),
    ("2026-08-14", ["2026-Q3"]), ("8/14/2026", ["2026-Q3"]),
    ("last quarter", "latest"), ("now", "latest"), ("currently", "latest"),
    ("previous quarter", "previous"), ("a year ago", "year_ago"), ("q2", ["2026-Q2"]),
    ("in 2025", ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]), ("fy25", "2025"),
    ("this year", "this_year"), ("last year", "2025"), ("the last 4 quarters", "trailing4"),
    ("past 12 months", "trailing4"), ("since 2025", "since2025"),
])
def test_quarters_in_every_form(ds, said, quarters):
    from valuelib.ask.reading import resolve_period

    available = ds.quarters
    named = {
        "latest": [available[-1]], "previous": [available[-2]],
        "year_ago": [available[-5]], "2025": [q for q in available if q.startswith("2025")],
        "this_year": [q for q in available if q.startswith(available[-1][:4])],
        "trailing4": available[-4:], "since2025": [q for q in available if q >= "2025"],
    }
    expected = named[quarters] if isinstance(quarters, str) else quarters
    query = understand(f"email cost per user {said}", ds)
    assert list(resolve_period(query.time, available).quarters) == expected
    assert query.services == (EMAIL,)


@pytest.mark.parametrize("words, service", [
    ("email", EMAIL), ("e-mail", EMAIL), ("mail", EMAIL), ("Office", EMAIL), ("outlook", EMAIL),
    ("emails", EMAIL), ("phones", PHONES), ("phone", PHONES), ("telephony", PHONES),
    ("network", NETWORK), ("telecom", NETWORK), ("helpdesk", DESK), ("service desk", DESK),
    ("desktop support", DESK), ("salesforce", CRM), ("crm", CRM), ("website", WEB),
    ("web shop", WEB), ("e-commerce", WEB), ("payroll", "Payroll"), ("payslips", "Payroll"),
    ("warehouse", "Inventory Management"), ("purchasing", "Procurement & Billing"),
    ("consultancy", "Program & Consulting"), ("benefits", "Benefits Management"),
    ("Website Sales", WEB), ("telecommunications", PHONES), ("TELECOM & NETWORKING", NETWORK),
    ("emial", EMAIL), ("helpdsk", DESK), ("payrol", "Payroll"),
    ("procurment", "Procurement & Billing"),
])
def test_service_names_matched_forgivingly(ds, words, service):
    assert understand(f"what does {words} cost per user", ds).services == (service,)


@pytest.mark.parametrize("question, per_user, period", [
    ("email cost per head", True, None), ("email cost per seat", True, None),
    ("email $ per user a month", True, "month"), ("email cost per user monthly", True, "month"),
    ("email cost per user annually", True, "year"), ("email per mailbox per year", True, "year"),
    ("what does email cost a year", False, "year"), ("email cost", False, None),
])
def test_per_user_and_period_words(ds, question, per_user, period):
    query = understand(question, ds)
    assert (query.per_user, query.period) == (per_user, period)


def test_sales_alone_is_a_business_unit_and_website_sales_a_service(ds):
    assert understand("what does sales pay for IT", ds).business_unit == "Sales"
    query = understand("what does website sales cost", ds)
    assert query.services == (WEB,) and query.business_unit is None


def test_it_the_department_is_not_it_the_pronoun(ds):
    assert understand("what does IT cost", ds).whole_it
    assert understand("what are our it costs", ds).whole_it
    assert not understand("what does it cost", ds).whole_it
    assert not understand("is it cheaper to buy email", ds).whole_it


# ---- figures carry units, quarters and services ------------------------------------------------

def test_per_user_figure_says_its_unit_quarter_and_service(ds):
    result = answer("whats the emial cost per head per month", ds)
    figure = result.figures[0]
    assert figure.unit == "USD per user per month"
    assert figure.quarter == latest(ds) and figure.service == EMAIL
    assert figure.formatted.startswith("$")
    assert "'emial' as 'email'" in result.how
    assert "costing.cost_per_user" in result.how
    assert result.table is not None and EMAIL in set(result.table["Service"])
    assert result.chart is not None


def test_a_year_is_twelve_months_and_says_so(ds):
    result = answer("how much is outlook per seat annually", ds)
    assert result.figures[0].unit == "USD per user per year"
    assert "× 12" in result.sentence


def test_a_year_named_is_summed_and_the_answer_says_which_quarters(ds):
    result = answer("total cost of CRM in 2025", ds)
    assert "2025-Q1 to 2025-Q4" in result.sentence
    per_user = answer("how much does the network cost per user in 2025", ds)
    assert "latest quarter of 2025" in per_user.sentence


def test_since_a_year_measures_from_its_first_quarter(ds):
    result = answer("Has the proactive share improved since last year?", ds)
    share = support.proactive_share(ds)
    since = share[share["quarter"] >= f"{int(latest(ds, 'support')[:4]) - 1}-Q1"]
    change = since["proactive_share_pct"].iloc[-1] - since["proactive_share_pct"].iloc[0]
    assert result.figures[1].unit == "percentage points"
    assert result.figures[1].value == pytest.approx(change)


def test_market_answer_names_the_offer_and_what_price_hides(ds):
    result = answer("how does our email compare with the $15 offer?", ds)
    best = market.compare_offers(ds)
    offer = best.loc[(best["service"] == EMAIL) & (best["price_per_user_month"] == 15.0),
                     "offer"].iloc[0]
    assert offer in result.sentence
    assert "availability" in result.sentence
    labels = [f.label for f in result.figures]
    assert any("comparable cost per user per month" in label for label in labels)


def test_quadrant_answer_lists_the_services_it_counts(ds):
    result = answer("which services cost more than they are worth", ds)
    cvv = portfolio.cost_vs_value(ds, latest(ds))
    for service in cvv.loc[cvv["quadrant"] == portfolio.Quadrant.REPLACE, "service"]:
        assert service in result.sentence
    assert result.figures[1].label == f"Services in {portfolio.Quadrant.OPTIMIZE}"


def test_block_answer_gives_hours_left_and_the_run_out_date(ds):
    result = answer("when does the block run out", ds)
    b = _running_block(ds)
    assert result.figures[0].unit == "days"
    assert result.figures[0].formatted == fmt_date(b["runout_date"])  # as the pages write it
    assert any(f.unit == "hours" and f.value == pytest.approx(b["remaining_hours"])
               for f in result.figures)


def test_ranking_with_top_n_lists_that_many(ds):
    result = answer("what are the top 5 most expensive services per user", ds)
    assert len(result.figures) == 5
    assert len(result.table) == 5
    assert [f.value for f in result.figures] == sorted((f.value for f in result.figures),
                                                       reverse=True)


def test_two_services_compared(ds):
    result = answer("compare email and crm cost per user", ds)
    assert result.intent == "cost_per_user"
    assert [f.service for f in result.figures] == [EMAIL, CRM]
    assert result.figures[1].value == pytest.approx(cpu(CRM)(ds))


def test_a_quarter_without_data_is_said_plainly(ds):
    result = answer("what does the phone system cost per user in 2023-Q1", ds)
    assert result.understood and result.intent == "cost_per_user"
    assert not result.figures
    assert "no cost data for 2023-Q1" in result.sentence


# ---- refusals: no number, three suggestions ----------------------------------------------------

REFUSED = [
    "asdf qwerty zxcv",
    "what's the weather",
    "how much does the cafeteria cost",
    "what does it cost?",
    "what does management cost per user",  # Benefits Management or Inventory Management?
    "email",
    "",
]


@pytest.mark.parametrize("question", [
    "are we over budget?", "how far over budget are we", "which services are over budget?",
    "where will we end the year?", "budget variance", "are we on budget for CRM"])
def test_budget_questions_without_a_budget_say_so(ds, question):
    result = answer(question, ds.with_tables(budget=ds["budget"].iloc[0:0]))
    assert not result.understood and result.figures == ()
    assert "hold no budget or forecast" in result.sentence
    assert len(result.suggestions) == 3


@pytest.mark.parametrize("question", REFUSED)
def test_questions_that_must_be_refused(ds, question):
    result = answer(question, ds)
    assert not result.understood
    assert result.figures == ()
    assert result.table is None and result.chart is None
    assert not re.search(r"\d", result.sentence), result.sentence
    assert len(result.suggestions) == 3
    assert all(answer(s, ds).understood for s in result.suggestions)


def test_ambiguous_service_offers_each_reading(ds):
    result = answer("what does management cost per user", ds)
    assert "Benefits Management" in result.sentence and "Inventory Management" in result.sentence
    assert result.suggestions[:2] == ("What does Benefits Management cost per user per month?",
                                      "What does Inventory Management cost per user per month?")


def test_unknown_service_is_named_in_the_refusal(ds):
    result = answer("how much does the cafeteria cost", ds)
    assert "cafeteria" in result.sentence
    assert EMAIL in result.sentence  # the services it does know


# ---- suggestions and examples are answerable ---------------------------------------------------

def test_examples_are_six_and_each_is_answered(ds):
    assert len(EXAMPLES) == 6
    for question in EXAMPLES:
        result = answer(question, ds)
        assert result.understood and result.figures, question


def test_no_market_follow_up_for_a_service_without_offers(ds):
    offered = set(ds["market"]["service"])
    assert "Procurement & Billing" not in offered
    result = answer("what does procurement cost per user", ds)
    assert not any("buy Procurement" in s for s in result.suggestions)


def test_every_follow_up_suggestion_is_answered(ds):
    asked = {s for c in CASES[::4] for s in answer(c[0], ds).suggestions}
    for question in sorted(asked):
        assert answer(question, ds).understood, question


# ---- purity, determinism, other organisations ---------------------------------------------------

def test_answer_does_not_mutate_the_dataset(ds):
    before = {key: frame.copy(deep=True) for key, frame in ds.tables.items()}
    for question, _, _ in CASES[::3]:
        answer(question, ds)
    for key, frame in ds.tables.items():
        pd.testing.assert_frame_equal(frame, before[key], check_exact=True)


def test_answers_are_deterministic(ds):
    one, two = (answer("Which services would be cheaper to buy?", ds) for _ in range(2))
    assert one.sentence == two.sentence and one.figures == two.figures
    pd.testing.assert_frame_equal(one.table, two.table)


def _small_org(fiscal_start=1):
    quarters = ["2025-Q3", "2025-Q4"]
    return make_dataset(
        settings=Settings(organization="Acme", fiscal_year_start=fiscal_start),
        services=[{"service": "Mail Hosting", "unit": "mailbox"}, {"service": "SAP ERP"},
                  {"service": "Field Service App"}],
        costs=[{"quarter": q, "service": s, "cost_pool": "Software", "amount": a}
               for q in quarters for s, a in (("Mail Hosting", 900.0), ("SAP ERP", 6000.0),
                                              ("Field Service App", 1500.0))],
        usage=[{"quarter": q, "service": s, "users": n, "business_unit": "Field"}
               for q in quarters for s, n in (("Mail Hosting", 100), ("SAP ERP", 20),
                                              ("Field Service App", 10))],
    )


@pytest.mark.parametrize("question, service", [
    ("what does mail hosting cost per mailbox", "Mail Hosting"),
    ("what does email cost per user", "Mail Hosting"),
    ("sap cost per user", "SAP ERP"),
    ("erp cost per head", "SAP ERP"),
    ("field service app cost per user", "Field Service App"),
])
def test_the_organisations_own_service_names(question, service):
    small = _small_org()
    result = answer(question, small)
    assert result.understood and result.figures[0].service == service
    assert result.figures[0].value == pytest.approx(cpu(service)(small))


def test_fiscal_quarters_follow_the_settings():
    small = _small_org(fiscal_start=7)  # FY2026 starts July 2025
    result = answer("sap cost per user in FY26 Q1", small)
    assert result.figures[0].quarter == "2025-Q3"
    assert understand("FY26 Q2 sap cost", small).time.labels == ("2025-Q4",)


def test_a_service_the_organisation_lacks_is_refused():
    result = answer("what does the phone system cost per user", _small_org())
    assert not result.understood and "phone" in result.sentence
    assert examples(_small_org())[0] == "What does email cost per user per month?"


def test_every_question_is_answered_on_partial_data(ds):
    """A dataset with only some sheets: every question gets an answer, never an exception,
    and a number only where the data holds one."""
    blank = make_dataset()
    only_costs = ds.with_tables(**{k: blank[k] for k in ("support", "blocks", "value",
                                                         "market", "usage")})
    only_support = ds.with_tables(**{k: blank[k] for k in ("costs", "usage", "value",
                                                           "market", "services")})
    for partial in (only_costs, only_support, _small_org()):
        for question, _, _ in CASES[::2]:
            result = answer(question, partial)
            assert result.sentence
            assert all(f.formatted for f in result.figures)


def test_an_empty_dataset_is_answered_without_numbers():
    empty = make_dataset()
    for question in ("what does IT cost in total", "is support getting more proactive",
                     "how many hours are left in the support block", "most expensive services",
                     "what changed since last quarter"):
        result = answer(question, empty)
        assert result.figures == (), question
        assert result.sentence


# ---- the command line ------------------------------------------------------------------------

def _run(argv):
    import argparse

    parser = argparse.ArgumentParser()
    add_ask_command(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_prints_sentence_figures_table_how_and_suggestions(capsys):
    code = _run(["ask", "what does our email cost per user?", "--data", *map(str, SAMPLE)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Email & Productivity costs $" in out
    assert "Key figures:" in out and "Quarter" in out  # the table
    assert "How: costing.cost_per_user" in out
    assert "You could ask:" in out


def test_cli_json_is_one_object(capsys):
    code = _run(["ask", "which services cost more than they are worth", "--data",
                 *map(str, SAMPLE), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["intent"] == "quadrant" and data["understood"] is True
    assert data["figures"][0]["unit"] == "services"
    assert isinstance(data["table"], list) and data["table"]
    assert len(data["suggestions"]) == 3


def test_cli_not_understood_exits_1_with_suggestions(capsys):
    code = ask_main(["ask", "what's the weather", "--data", *map(str, SAMPLE)])
    out = capsys.readouterr().out
    assert code == 1
    assert "Try:" in out and out.count("\n  - ") == 3


def test_cli_missing_file_exits_2(capsys, tmp_path):
    code = _run(["ask", "what does email cost", "--data", str(tmp_path / "nope.xlsx")])
    assert code == 2
    assert "no such file" in capsys.readouterr().err


def test_format_answer_of_a_refusal_has_no_table(ds):
    text = format_answer(answer("what does it cost?", ds))
    assert "Which service do you mean?" in text and "Key figures" not in text


def test_a_service_whose_offers_fit_none_of_its_users_gets_a_plain_answer():
    """Every offer's user range excludes the service's users: no number is compared."""
    from tests.golden.cases import SERVICES, USAGE
    from tests.golden.cases import xlsx as make_xlsx
    from valuelib.ingest import load

    book = make_xlsx(
        Services=SERVICES, Usage=USAGE,
        Costs=[["quarter", "service", "amount"], ["2026-Q3", "CRM", 18000]],
        Market=[["service", "offer", "price_per_user_month", "min_users", "max_users"],
                ["CRM", "Tiny CRM", 20, 1, 10]])
    result = answer("is it cheaper to buy crm?", load([("m.xlsx", book)]))
    assert result.intent == "market" and result.understood
    assert result.figures == ()
    assert "None of the 1 market offers for CRM fits" in result.sentence
    assert result.as_dict()["table"]  # the offers, with why each does not fit


# ---- what users ask for (issue 16) ---------------------------------------------------------------

def _needs_org():
    return make_dataset(
        costs=[{"quarter": "2026-Q3", "service": "Email", "amount": 300.0}],
        usage=[{"quarter": "2026-Q3", "service": "Email", "users": 10}],
        needs={"quarter": ["2026-Q2", "2026-Q3", "2026-Q3", "2026-Q3"],
               "need": ["Larger mailboxes", "Larger mailboxes", "Shared calendars",
                        "Faster VPN"],
               "service": ["Email", "Email", "Email", None],
               "business_unit": ["Sales", "Sales", "Ops", "Ops"],
               "votes": [5, 40, 9, 2], "importance": [4, 4.5, None, 5]})


@pytest.mark.parametrize("question", ["what do users ask for most?", "top requests",
                                      "what are users asking for", "what do users need?"])
def test_needs_are_ranked_by_votes_times_importance(question):
    # 2026-Q3: Larger mailboxes 40 × 4.5 = 180 (raised in 2026-Q2 already), Shared calendars
    # 9 × 3 (no importance) = 27 (new), Faster VPN 2 × 5 = 10 (new)
    result = answer(question, _needs_org())
    assert result.understood and result.intent == "needs", result.sentence
    assert [f.value for f in result.figures] == [180.0, 27.0, 10.0]
    assert result.sentence.startswith(
        "In 2026-Q3, users asked most for “Larger mailboxes” (Email, Sales): 40 votes × "
        "importance 4.5 = needs score 180, first raised in 2026-Q2.")
    assert "“Shared calendars” (Email, Ops), needs score 27 (new)" in result.sentence
    assert "3 needs raised in 2026-Q3, 2 new." in result.sentence
    assert list(result.table["Need"]) == ["Larger mailboxes", "Shared calendars", "Faster VPN"]
    assert result.chart is not None and len(result.suggestions) == 3


def test_a_units_needs_follow_the_question_or_the_page():
    asked = answer("what does Ops need from IT?", _needs_org())
    assert asked.intent == "needs" and [f.value for f in asked.figures] == [27.0, 10.0]
    paged = answer("what do users ask for most?", _needs_org(), business_unit="Ops")
    assert paged.sentence.startswith("For Ops: In 2026-Q3, users from Ops asked most for")


def test_no_needs_sheet_is_said_plainly(ds):
    result = answer("what do users ask for most?", ds.with_tables(needs=ds.tables["needs"][:0]))
    assert result.understood and not result.figures
    assert "no needs data" in result.sentence


def test_a_value_score_from_ticket_satisfaction_says_so():
    # no survey: Email's tickets rated 4 and 5 (75, 100) give a value score of 87.5
    org = _needs_org().with_tables(support=make_dataset(support=[
        {"opened": "2026-08-03", "service": "Email", "satisfaction": v} for v in (4, 5)])[
        "support"])
    result = answer("how do users rate email?", org)
    assert result.intent == "value" and result.figures[0].value == 87.5
    assert "(from ticket satisfaction: no survey yet)" in result.sentence
    assert list(result.table["Value from"]) == ["ticket satisfaction"]


# ---- the briefing (issue 16) ---------------------------------------------------------------------

@pytest.mark.parametrize("question", ["what should I know?", "what should I tell the executives",
                                      "briefing", "brief me on this quarter"])
def test_the_briefing_answers_with_the_overviews_sentences(ds, question):
    from valuelib.views import overview

    told = overview(ds).briefing
    result = answer(question, ds)
    assert result.understood and result.intent == "briefing", result.sentence
    assert result.sentence.startswith("What to tell the executives about 2026-Q3: 1. ")
    for item in told.items:
        assert item.sentence in result.sentence
    assert [f.formatted for f in result.figures] == [i.figure for i in told.items]
    assert list(result.table["Link"]) == [i.url for i in told.items]
    assert "Executive" not in result.sentence  # the audience, not the Executive unit


def test_the_briefing_for_a_unit_and_a_quarter(ds):
    result = answer("what should I tell the executives about Sales in 2026-Q3", ds)
    assert result.sentence.startswith("What to tell the executives about 2026-Q3, Sales: 1. ")
    assert "2026-27 support block runs out" in result.sentence
    # without the price list and the needs survey, nothing in 2025-Q1 is worth their time
    plain = ds.with_tables(**{key: ds.tables[key][:0]
                              for key in ("offerings", "subscriptions", "needs")})
    quiet = answer("what should I tell the executives about Sales in 2025-Q1", plain)
    assert quiet.understood and quiet.sentence.startswith("Nothing stands out in 2025-Q1")
