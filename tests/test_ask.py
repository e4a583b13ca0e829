"""The question box rebuilt as data (valuelib.ask): new phrasings of every kind issue 13 names,
each checked for its intent AND its figure against the page's facts (``Facts``) or the
analytics; answers that follow the page's filters; the page's formatter; consistent advice.

Every expected number is computed here from Facts / the analytics; none is written down."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from valuelib import costing, market, portfolio, support, whatif
from valuelib.ask import INTENTS, answer, understand
from valuelib.ask.intents import TABLE
from valuelib.ingest import load_paths
from valuelib.present import Facts, fmt_measure

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = sorted((ROOT / "sample_data").glob("*.xlsx"))

EMAIL, PHONES, NETWORK = "Email & Productivity", "Telecommunications", "Telecom & Networking"
DESK, CRM, PAYROLL, WEB = "Desktop & User Support", "CRM", "Payroll", "Website Sales"
ACCOUNTING, INVENTORY = "Accounting", "Inventory Management"


@pytest.fixture(scope="module")
def ds():
    return load_paths(SAMPLE)


def latest(ds) -> str:
    return str(ds["costs"]["quarter"].dropna().max())


# ---- expected figures, from the page's facts and the analytics --------------------------------

def page_cpu(service, quarter=None):
    """Cost per user per month as the Overview's service table shows it."""
    def expected(ds):
        rows = Facts(ds, quarter or latest(ds), None).services
        return float(rows.loc[rows["service"] == service, "cost_per_user_month"].iloc[0])
    return expected


def page_total(service, quarter=None):
    def expected(ds):
        rows = Facts(ds, quarter or latest(ds), None).services
        return float(rows.loc[rows["service"] == service, "total_cost"].iloc[0])
    return expected


def it_total(quarter):
    def expected(ds):
        frame = costing.total_cost(ds)
        return float(frame.loc[frame["quarter"] == quarter, "total_cost"].sum())
    return expected


def quarter_change(first, second):
    def expected(ds):
        a, b = it_total(first)(ds), it_total(second)(ds)
        return (b - a) / a * 100
    return expected


def desk(column, back=0):
    """The service desk's figure, now (back=0) or ``back`` quarters before the latest."""
    def expected(ds):
        rows = Facts(ds, latest(ds), None).desk.reset_index(drop=True)
        return float(rows[column].iloc[-1 - back])
    return expected


def tickets_in_month(month, unit=None):
    def expected(ds):
        rows = ds["support"]
        if unit is not None:
            rows = rows[rows["business_unit"] == unit]
        opened = pd.to_datetime(rows["opened"])
        return float((opened.dt.strftime("%Y-%m") == month).sum())
    return expected


def proactive_now(quarter=None, unit=None):
    def expected(ds):
        return float(Facts(ds, quarter or latest(ds), unit).proactive_now.proactive_share_pct)
    return expected


def headcount(ds):
    frame = support.headcount(ds)
    return float(frame.loc[frame["quarter"] == latest(ds), "users"].iloc[0])


def block_left(which):
    """Hours left of the current (``which=-1``) or the previous (``-2``) block."""
    def expected(ds):
        status = support.block_status(ds).sort_values("start")
        return float(status["remaining_hours"].iloc[which])
    return expected


def best_difference(service):
    def expected(ds):
        best = market.best_offer(ds, latest(ds))
        return float(best.loc[best["service"] == service, "difference_per_user_month"].iloc[0])
    return expected


def moved_to_best(service):
    """What moving ``service`` to its cheapest fitting offer adds to a year's cost (what-if):
    the market comparison's yearly difference, with the sign of a cost."""
    def expected(ds):
        best = market.best_offer(ds, latest(ds))
        return -float(best.loc[best["service"] == service, "difference_per_year"].iloc[0])
    return expected


def dearer_in_house_count(ds):
    best = market.best_offer(ds, latest(ds))
    return float((best["verdict"] == "dearer").sum())


def trend_change(quarters_back):
    """IT's total cost change from ``quarters_back`` quarters before the latest, in %."""
    def expected(ds):
        frame = costing.total_cost(ds).groupby("quarter")["total_cost"].sum().sort_index()
        q = list(frame.index)
        start = q[q.index(latest(ds)) - quarters_back]
        return (frame[latest(ds)] - frame[start]) / frame[start] * 100
    return expected


def desk_service_change(ds):
    """The service desk service's total cost change since the first quarter of last year."""
    frame = costing.total_cost(ds)
    frame = frame[frame["service"] == DESK].set_index("quarter")["total_cost"]
    start = f"{int(latest(ds)[:4]) - 1}-Q1"
    return (frame[latest(ds)] - frame[start]) / frame[start] * 100


def first_of_last_year():
    def expected(ds):
        frame = costing.total_cost(ds).groupby("quarter")["total_cost"].sum().sort_index()
        start = f"{int(latest(ds)[:4]) - 1}-Q1"
        return (frame[latest(ds)] - frame[start]) / frame[start] * 100
    return expected


# ---- the new phrasings: (question, intent, expected main figure, index of the figure) -------

CASES = [
    # market
    ("which services are dearer than buying them in?", "market", None, 0),
    ("which of our services cost more than the market?", "market", None, 0),
    ("what services would be cheaper to buy in", "market", None, 0),
    # a what-if is worked out as a scenario (issue 17): the year's cost change
    ("what if we moved CRM to a SaaS vendor?", "whatif", moved_to_best(CRM), 0),
    ("could we buy CRM cheaper from a provider", "market", best_difference(CRM), 0),
    ("what if we outsourced the service desk", "whatif", moved_to_best(DESK), 0),
    ("would Google be cheaper for email?", "market", best_difference(EMAIL), 0),
    ("would microsoft be cheaper for our email", "market", best_difference(EMAIL), 0),
    ("is payroll cheaper to buy from the market", "market", best_difference(PAYROLL), 0),
    ("how does inventory management compare with the market", "market",
     best_difference(INVENTORY), 0),
    ("should we move accounting to the cloud offer", "market", best_difference(ACCOUNTING), 0),
    ("is the website cheaper to outsource", "market", best_difference(WEB), 0),
    # two services
    ("is payroll more expensive than CRM?", "compare", page_total(PAYROLL), 0),
    ("is CRM more expensive than payroll", "compare", page_total(CRM), 0),
    ("which is bigger, telecom or network spend?", "compare", page_total(NETWORK), 0),
    ("which costs more, email or CRM?", "compare", page_total(EMAIL), 0),
    ("is email cheaper than CRM per user", "compare", page_cpu(EMAIL), 0),
    ("does accounting cost more than payroll", "compare", page_total(ACCOUNTING), 0),
    ("payroll vs accounting spend", "compare", page_total(PAYROLL), 0),
    ("is the website dearer than inventory management", "compare", page_total(WEB), 0),
    ("which is smaller, email or telephony", "compare", page_total(EMAIL), 0),
    ("compare CRM and payroll cost per user", "cost_per_user", page_cpu(CRM), 0),
    ("is the service desk more expensive than CRM per head", "compare", page_cpu(DESK), 0),
    ("Is payrol more expensiv than CRM?", "compare", page_total(PAYROLL), 0),
    # two quarters
    ("compare Q1 and Q2 2026", "compare_quarters", quarter_change("2026-Q1", "2026-Q2"), 0),
    ("compare 2026-Q1 and 2026-Q2", "compare_quarters", quarter_change("2026-Q1", "2026-Q2"),
     0),
    ("Q4 2025 vs Q1 2026", "compare_quarters", quarter_change("2025-Q4", "2026-Q1"), 0),
    ("compare the first quarter of 2026 with Q3 2026", "compare_quarters",
     quarter_change("2026-Q1", "2026-Q3"), 0),
    ("compare Q2 and Q3 2025", "compare_quarters", quarter_change("2025-Q2", "2025-Q3"), 0),
    ("spend in 2025-Q4 versus 2026-Q3", "compare_quarters",
     quarter_change("2025-Q4", "2026-Q3"), 0),
    # change over time, yes/no first
    ("has IT spend grown since last year?", "trend", first_of_last_year(), 0),
    ("has our IT cost gone up since last year", "trend", first_of_last_year(), 0),
    ("did IT spending fall since last year?", "trend", first_of_last_year(), 0),
    ("are incidents resolved quicker than a year ago?", "service_desk",
     desk("median_resolve_hours"), 0),
    ("are tickets resolved faster than a year ago", "service_desk",
     desk("median_resolve_hours"), 0),
    ("is resolution slower than last quarter?", "service_desk", desk("median_resolve_hours"),
     0),
    ("were more tickets logged than last quarter?", "service_desk", desk("tickets"), 0),
    ("do we get fewer tickets than a year ago", "service_desk", desk("tickets"), 0),
    # months
    ("tickets in May 2026", "service_desk", tickets_in_month("2026-05"), 0),
    ("how many tickets were opened in March 2026?", "service_desk",
     tickets_in_month("2026-03"), 0),
    ("tickets logged in august 2025", "service_desk", tickets_in_month("2025-08"), 0),
    ("service desk tickets in Feb 2026", "service_desk", tickets_in_month("2026-02"), 0),
    ("how many incidents in january 2026", "service_desk", tickets_in_month("2026-01"), 0),
    ("what did email cost per user in May 2026?", "cost_per_user",
     page_cpu(EMAIL, "2026-Q2"), 0),
    ("CRM cost per user in november 2025", "cost_per_user", page_cpu(CRM, "2025-Q4"), 0),
    ("payroll cost per head in July 2025", "cost_per_user", page_cpu(PAYROLL, "2025-Q3"), 0),
    # headcount
    ("how many staff do we have?", "users", headcount, 0),
    ("what is our headcount", "users", headcount, 0),
    ("how many employees are there", "users", headcount, 0),
    ("how many people work here?", "users", headcount, 0),
    # blocks by name or age
    ("how many hours are left in the previous block?", "block", block_left(-2), 0),
    ("hours left in the old block", "block", block_left(-2), 0),
    ("how much of the earlier support block is left", "block", block_left(-2), 0),
    ("hours remaining in the 2025-26 block", "block", block_left(-2), 0),
    ("hours left in the 2026-27 block", "block", block_left(-1), 0),
    ("how many block hours are left", "block", block_left(-1), 0),
    ("how many hours are left in the current block?", "block", block_left(-1), 0),
    # support hours vs block hours
    ("share of support time that was proactive", "proactive", proactive_now(), 0),
    ("what share of support hours is proactive", "proactive", proactive_now(), 0),
    ("how much of our support work is proactive?", "proactive", proactive_now(), 0),
    ("proactive share of support time this quarter", "proactive", proactive_now(), 0),
    ("is support getting more proactive", "proactive", proactive_now(), 0),
    # typos in every word
    ("wat is teh emial cost per usr", "cost_per_user", page_cpu(EMAIL), 0),
    ("waht dose emial cots per user", "cost_per_user", page_cpu(EMAIL), 0),
    ("whta does CRM cost per usre", "cost_per_user", page_cpu(CRM), 0),
    ("how much dose payrol cost per persn", "cost_per_user", page_cpu(PAYROLL), 0),
    ("cost per usr of the offce", "cost_per_user", page_cpu(EMAIL), 0),
    ("emial cost per user", "cost_per_user", page_cpu(EMAIL), 0),
    ("whats the emal cost per head", "cost_per_user", page_cpu(EMAIL), 0),
    ("how many stafff do we have", "users", headcount, 0),
    ("shaer of suport time that was proactiv", "proactive", proactive_now(), 0),
    ("how many hours are lfet in the blok", "block", block_left(-1), 0),
    ("ticktes in May 2026", "service_desk", tickets_in_month("2026-05"), 0),
    # aliases
    ("what does office cost per user?", "cost_per_user", page_cpu(EMAIL), 0),
    ("outlook cost per user", "cost_per_user", page_cpu(EMAIL), 0),
    ("what does the crm cost per seat", "cost_per_user", page_cpu(CRM), 0),
    ("cost per user for mobiles", "cost_per_user", page_cpu(PHONES), 0),
    ("helpdesk cost per user", "cost_per_user", page_cpu(DESK), 0),
    ("What does email cost per user in Q1 2026?", "cost_per_user", page_cpu(EMAIL, "2026-Q1"),
     0),
    ("email cost per user in the first quarter of 2026", "cost_per_user",
     page_cpu(EMAIL, "2026-Q1"), 0),
    ("email cost per user 2025-Q4", "cost_per_user", page_cpu(EMAIL, "2025-Q4"), 0),
    ("what is the total cost of CRM this quarter", "total_cost", page_total(CRM), 0),
    ("which is dearer, the help desk or the phones, per user?", "compare", page_cpu(DESK), 0),
]

def unit_block_spend(quarter, unit):
    """The unit's hours on the block running at the end of ``quarter`` × the block's price
    per hour, as the Overview's block sentence has the unit's hours."""
    def expected(ds):
        facts = Facts(ds, quarter, unit)
        b = facts.current_block
        return facts.unit_block_hours[b["block"]] * b["price"] / b["purchased_hours"]
    return expected


def unit_block_hours(unit):
    def expected(ds):
        facts = Facts(ds, None, unit)
        return facts.unit_block_hours[facts.current_block["block"]]
    return expected


# Phrasings the box got wrong before issue 13's rebuild, now answered.
CASES += [
    ("has support spend grown since last year?", "trend", desk_service_change, 0),
    ("how much did the support cost grow since last year", "trend", desk_service_change, 0),
    ("how many tickets did Sales log in May 2026", "service_desk",
     tickets_in_month("2026-05", "Sales"), 0),
    ("tickets from finance in march 2026", "service_desk",
     tickets_in_month("2026-03", "Finance"), 0),
    ("is support quicker than last year", "service_desk", desk("median_resolve_hours"), 0),
    ("is support faster than a year ago?", "service_desk", desk("median_resolve_hours"), 0),
    ("how much did Sales spend on the block last year?", "block",
     unit_block_spend("2025-Q4", "Sales"), 0),
    ("how many hours did Sales use of the block", "block", unit_block_hours("Sales"), 0),
    ("tickets last month", "service_desk", tickets_in_month("2026-09"), 0),
    ("tickets in the previous month", "service_desk", tickets_in_month("2026-08"), 0),
    ("what did IT cost last month", "total_cost", it_total("2026-Q3"), 0),
    ("how many tickets did finance log last month", "service_desk",
     tickets_in_month("2026-09", "Finance"), 0),
    ("how much did we spend on support in May 2026", "total_cost",
     page_total(DESK, "2026-Q2"), 0),
    ("did tickets go up since last year", "service_desk", desk("tickets"), 0),
    ("has the backlog grown since last quarter", "service_desk", desk("backlog"), 0),
    ("hours Operations used of the previous block", "block",
     lambda ds: Facts(ds, None, "Operations").unit_block_hours["2025-26 support block"], 0),
]
def test_at_least_eighty_new_phrasings():
    assert len(CASES) >= 80


@pytest.mark.parametrize("question, intent, expected, index", CASES,
                         ids=[c[0] for c in CASES])
def test_new_phrasing_gets_its_intent_and_figure(ds, question, intent, expected, index):
    result = answer(question, ds)
    assert result.understood, result.sentence
    assert result.intent == intent, (result.intent, result.sentence)
    if expected is None:  # the market's list: the count of services dearer in-house
        assert f"{int(dearer_in_house_count(ds))} of the" in result.sentence
        return
    value = expected(ds)
    assert result.figures[index].value == pytest.approx(value, rel=1e-6), result.sentence


# ---- wording: yes/no first, months, blocks -------------------------------------------------

@pytest.mark.parametrize("question, first", [
    ("has IT spend grown since last year?", "Yes."),
    ("did IT spending fall since last year?", "No."),
    ("is payroll more expensive than CRM?", None),
    ("is CRM more expensive than payroll", None),
    ("are incidents resolved quicker than a year ago?", None),
])
def test_yes_no_questions_answer_yes_or_no_first(ds, question, first):
    result = answer(question, ds)
    assert result.sentence.split()[0] in ("Yes.", "No.")
    if first:
        assert result.sentence.startswith(first)
    if result.intent == "compare":  # yes exactly when the first service costs more
        a, b = result.figures[0].value, result.figures[1].value
        assert result.sentence.startswith("Yes." if a > b else "No.")
    if result.intent == "service_desk":  # quicker: yes exactly when the median fell
        now, then = result.figures[0].value, result.figures[1].value
        assert result.sentence.startswith("Yes." if now < then else "No.")


def test_a_month_of_costs_says_costs_are_quarterly(ds):
    result = answer("what did email cost per user in May 2026?", ds)
    assert result.sentence.startswith("Costs are recorded by quarter, so this is 2026-Q2")
    assert "May 2026" in result.sentence


def test_last_month_says_costs_are_quarterly(ds):
    result = answer("what did IT cost last month", ds)
    assert "recorded by quarter" in result.sentence
    assert "Sep 2026" in result.sentence  # the latest month with support rows, named


def test_a_unit_named_in_a_support_question_narrows_its_tickets(ds):
    result = answer("how many tickets did Sales log in May 2026", ds)
    assert result.sentence.startswith("For Sales:")


def test_a_month_of_tickets_answers_the_month(ds):
    result = answer("tickets in May 2026", ds)
    assert "May 2026" in result.sentence and "dated by day" in result.sentence


def test_blocks_are_said_the_pages_way(ds):
    for question in ("hours left in the block", "hours left in the previous block",
                     "when does the block run out"):
        result = answer(question, ds)
        assert "days until" not in result.sentence
        assert all("days until" not in f.label for f in result.figures)
    b = support.block_status(ds).sort_values("start").iloc[-1]
    assert f"{b['runout_date'].day} {b['runout_date']:%b %Y}" in answer(
        "when does the block run out", ds).sentence


def test_the_headcount_definition_is_stated(ds):
    result = answer("how many staff do we have?", ds)
    assert "largest user count of any service" in result.sentence


# ---- the page's formatter ---------------------------------------------------------------------

@pytest.mark.parametrize("question", [
    "what does CRM cost per user?", "what does email cost per user?",
    "is payroll more expensive than CRM?", "could we buy CRM cheaper from a provider",
])
def test_money_is_formatted_as_the_pages_format_it(ds, question):
    result = answer(question, ds)
    page = Facts(ds, None, None)  # the pages' two money formats: per user, and totals
    for f in result.figures:
        if f.unit.startswith("USD") and "minus" not in f.label:
            shown = page.per_user(f.value) if "per user" in f.unit else page.total(f.value)
            assert f.formatted == shown
            assert f.formatted in result.sentence


def test_crm_cost_per_user_is_the_overview_string(ds):
    shown = Facts(ds, None, None).per_user(page_cpu(CRM)(ds))  # "$163.46", as the Overview
    assert shown in answer("what does CRM cost per user?", ds).sentence


# ---- answers follow the page ----------------------------------------------------------------

def test_page_filters_apply_when_the_question_names_none(ds):
    result = answer("how proactive is support?", ds, quarter="2026-Q1", business_unit="Sales")
    assert result.sentence.startswith("For Sales: In 2026-Q1, ")  # the quarter said once
    assert result.figures[0].value == pytest.approx(proactive_now("2026-Q1", "Sales")(ds))


def test_the_question_wins_over_the_page(ds):
    result = answer("email cost per user in 2025-Q4", ds, quarter="2026-Q1")
    assert result.figures[0].value == pytest.approx(page_cpu(EMAIL, "2025-Q4")(ds))
    assert not result.sentence.startswith("For ")


def test_a_page_unit_on_a_cost_question_is_its_showback(ds):
    result = answer("what did IT cost?", ds, quarter="2026-Q1", business_unit="Sales")
    assert result.intent == "showback"
    assert result.sentence.startswith("For 2026-Q1, Sales:")


def test_a_page_unit_that_cannot_apply_is_said(ds):
    result = answer("what does email cost per user?", ds, quarter="2026-Q1",
                    business_unit="Sales")
    assert result.sentence.startswith("For 2026-Q1, all business units:")
    assert result.figures[0].value == pytest.approx(page_cpu(EMAIL, "2026-Q1")(ds))


def test_cli_takes_quarter_and_unit(ds, capsys):
    from valuelib.cli import main
    code = main(["ask", "how proactive is support?", "--data", *map(str, SAMPLE),
                 "--quarter", "2026-Q1", "--unit", "Sales"])
    assert code == 0
    assert capsys.readouterr().out.startswith("For Sales: In 2026-Q1, ")


# ---- consistent advice -------------------------------------------------------------------------

def test_advice_never_tells_a_service_cheaper_in_house_to_buy(ds):
    placed = portfolio.cost_vs_value(ds, latest(ds))
    best = market.best_offer(ds, latest(ds)).set_index("service")
    offered = set(ds["market"]["service"])
    for row in placed.dropna(subset=["quadrant"]).itertuples():
        cheaper = row.service in best.index and best.loc[row.service, "verdict"] == "cheaper"
        if cheaper or row.service not in offered:
            assert "market offer or" not in row.suggestion, row
        if row.service not in offered and row.quadrant == portfolio.Quadrant.REPLACE:
            assert "review its scope or retire" in row.suggestion
        assert "median of your services" in row.suggestion


def test_advice_in_an_answer_follows_the_market(ds):
    result = answer("what should we do about accounting?", ds)
    assert result.intent == "quadrant"
    row = portfolio.cost_vs_value(ds, latest(ds)).set_index("service").loc[ACCOUNTING]
    assert row["suggestion"] in result.sentence
    assert "replace it with a market offer" not in result.sentence


# ---- the table ----------------------------------------------------------------------------------

def test_every_intent_is_a_row_with_an_answer_and_an_example():
    keys = [row.key for row in TABLE]
    assert len(INTENTS) == len(set(INTENTS))
    assert set(INTENTS) <= set(keys)
    for row in TABLE:
        assert callable(row.answer) and row.examples, row.key


def test_every_example_of_the_table_is_answered(ds):
    for row in TABLE:
        for example in row.examples:
            assert answer(example, ds).understood, example


def test_coffee_is_not_an_offer(ds):
    query = understand("is coffee cheaper?", ds)
    assert ("coffee", "offer") not in query.corrections


def test_block_on_the_page_quarter_is_the_pages_block(ds):
    shown = Facts(ds, "2026-Q1", "Sales").current_block
    result = answer("hours left in the block", ds, quarter="2026-Q1", business_unit="Sales")
    assert result.figures[0].value == pytest.approx(float(shown["remaining_hours"]))
    assert result.sentence.startswith("For 2026-Q1, all business units:")


def test_answer_tables_keep_numbers_and_scores_read_as_the_pages(ds):
    result = answer("most expensive services", ds)
    assert pd.api.types.is_numeric_dtype(result.table["Cost per user per month (USD)"])
    score = answer("value score of crm", ds).figures[0]
    assert score.formatted == fmt_measure("value_score", score.value)  # "75", as the pages


def _hours(ds, quarters, unit=None) -> float:
    """Support hours of the quarters as the Support page's work mix holds them."""
    mix = Facts(ds, quarters[-1], unit).work_mix()
    return float(mix[mix["quarter"].isin(quarters)]["hours"].sum())


@pytest.mark.parametrize("question, quarters, unit", [
    ("how much time is spent on support tickets", ["2026-Q3"], None),
    ("how much time does IT spend on support?", ["2026-Q3"], None),
    ("how many hours did support spend last quarter", ["2026-Q3"], None),
    ("how many hours did support log in 2025?", ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"],
     None),
    ("how many hours did Sales log last quarter?", ["2026-Q3"], "Sales"),
])
def test_time_spent_on_support_is_its_hours_not_its_cost(ds, question, quarters, unit):
    result = answer(question, ds)
    assert result.intent == "support_hours", result.sentence
    assert result.figures[0].value == pytest.approx(_hours(ds, quarters, unit))
    assert result.figures[0].formatted in result.sentence and "$" not in result.sentence


@pytest.mark.parametrize("question, intent", [
    ("how many hours are left in the block", "block"),
    ("when will we run out of support hours", "block"),
    ("how much do we spend on support", "total_cost"),
    ("what share of support hours is proactive?", "proactive"),
])
def test_hours_and_spend_questions_stay_with_their_own_answers(ds, question, intent):
    assert answer(question, ds).intent == intent


def test_the_page_quarter_is_not_said_twice(ds):
    result = answer("what share of support hours is proactive?", ds, quarter="2026-Q1")
    assert result.sentence.startswith("In 2026-Q1, ") and "For 2026-Q1" not in result.sentence
    assert "The filters applied: 2026-Q1." in result.how
    with_unit = answer("what share of support hours is proactive?", ds, quarter="2026-Q1",
                       business_unit="Sales")
    assert with_unit.sentence.startswith("For Sales: In 2026-Q1, ")


# ---- what-if (issue 17) -----------------------------------------------------------------------

def test_what_if_email_moved_to_the_15_dollar_offer_is_worked_out_and_offered_on_the_plan(ds):
    result = answer("what if we moved email to the $15 offer?", ds)
    assert (result.understood, result.intent) == (True, "whatif")
    offer = "Cloud email & productivity suite"
    c = market.compare_offers(ds)
    row = c[(c["service"] == "Email & Productivity") & (c["offer"] == offer)].iloc[0]
    assert result.figures[0].value == pytest.approx(-row["difference_per_year"])
    assert result.sentence.startswith(f"Move Email & Productivity to {offer} adds about ")
    assert "gives up availability (99.50% → 99.00%)" in result.sentence
    assert "Nothing was saved" in result.sentence
    assert result.plan_link == (("move", f"Email & Productivity={offer}"),)
    assert result.as_dict()["plan_link"] == (
        "plan?move=Email+%26+Productivity%3DCloud+email+%26+productivity+suite")


@pytest.mark.parametrize("question, change", [
    ("what if we retire payroll?", whatif.Change(whatif.ChangeKind.RETIRE, service="Payroll")),
    ("suppose we decommission CRM", whatif.Change(whatif.ChangeKind.RETIRE, service="CRM")),
    ("what if email had 350 users",
     whatif.Change(whatif.ChangeKind.USERS, service="Email & Productivity", count=350)),
    ("what if we bought a block of 500 hours for $45,000",
     whatif.Change(whatif.ChangeKind.BLOCK, hours=500, price=45000)),
    ("what if the headcount was 400", whatif.Change(whatif.ChangeKind.HEADCOUNT, count=400)),
])
def test_a_what_if_is_the_scenario_of_its_one_change(ds, question, change):
    result = answer(question, ds)
    assert (result.understood, result.intent) == (True, "whatif"), result.sentence
    expected = whatif.evaluate(ds, whatif.Scenario("", (change,))).yearly_cost_change
    assert result.figures[0].value == pytest.approx(expected)
    assert result.plan_link == (whatif.change_to_text(change),)


def test_what_if_sales_had_20_more_users_grows_its_headcount(ds):
    usage = ds["usage"]
    q = whatif.resolve_quarter(ds)
    today = usage[(usage["quarter"] == q) & (usage["business_unit"] == "Sales")].groupby(
        "service")["users"].sum().max()
    result = answer("what if Sales had 20 more users", ds)
    assert result.intent == "whatif"
    assert result.plan_link == (("headcount", f"Sales={today + 20:g}"),)
    assert result.sentence.startswith(f"Sales' headcount to {today + 20:,.0f} adds about ")


@pytest.mark.parametrize("question, says", [
    ("what if we moved email to the $9 offer", "No Email & Productivity offer costs $9.00"),
    ("what if we retire", "Which service would you retire?"),
    ("what if we moved email to the Gold tier", "Its tiers: Standard, Premium."),
])
def test_a_what_if_that_cannot_be_worked_out_says_why(ds, question, says):
    result = answer(question, ds)
    assert not result.understood
    assert says in result.sentence
    assert not result.plan_link and not result.figures
