"""Questions about chargeback (issue 16): what a unit pays (its Bill of IT), which services
don't pay for themselves, which tier a unit is on, the line-driven share — on the tiny
organisation of tests/test_chargeback.py, whose figures are worked out there by hand; and the
same questions without an Offerings sheet, which say so."""

from __future__ import annotations

import pytest

from tests.frames import make_dataset
from tests.test_chargeback import COSTS, ORG, USAGE
from valuelib.ask import answer
from valuelib.ask.chargeback_answers import NO_TIERS

NO_OFFERINGS = make_dataset(usage=USAGE, costs=COSTS)


@pytest.mark.parametrize("question, intent, first, sentence", [
    # Sales in 2026-Q2 (the latest quarter with charges and cost): 600 + 360 + 150 + 30;
    # fiscal year to date adds 2026-Q1's 300; showback 1,160.05 (test_chargeback)
    ("what does Sales pay for IT?", "charges", 1140,
     "Sales is charged $1,140 for IT in 2026-Q2 ($1,440 in the fiscal year to date): Email "
     "Premium $600 (10 users × $20.00 × 3), CRM Basic $360 (4 users × $30.00 × 3) and Desk "
     "8x5 $150 (10 users × $5.00 × 3). Its share of the cost of what it uses (showback) is "
     "$1,160, so it pays $20 less than that cost."),
    ("how much is HR charged", "charges", 150, "tier 'Gold' has no price in 2026-Q2"),
    ("Bill of IT for HR", "charges", 150, "HR is charged $150 for IT in 2026-Q2"),
    ("what does Sales pay for email?", "charges", 600, "Email Premium $600"),
    ("How much does each department pay?", "charges", 1320,
     "Business units are charged $1,320 for IT in 2026-Q2: Sales $1,140, HR $150 and "
     "Unassigned $30."),
    ("what did Sales pay for IT in 2026-Q1?", "charges", 300, "in 2026-Q1"),
    ("what does sales pay for IT this year", "charges", 1140 + 300 + 360, "over 2026"),
    # Email recovers 750 of 1,000; CRM 360 of 300; VPN has no tier
    ("which services don't pay for themselves?", "recovery", -250,
     "In 2026-Q2, 1 service doesn't pay for itself: Email (75.0% of its cost, −$250); $250 "
     "of its cost is not recovered by charges. 1 service has no tier and is funded as "
     "overhead: VPN."),
    ("cost recovery", "recovery", -250, "Email (75.0% of its cost"),
    ("under-recovered services", "recovery", -250, "Email (75.0% of its cost"),
    ("which services are over-recovered?", "recovery", 60, "CRM (120.0% of its cost, +$60)"),
    ("does email pay for itself?", "recovery", 75.0,
     "No. Email's charges ($750) recover 75.0% of its cost ($1,000) in 2026-Q2: $250 "
     "under-recovered. Its price averages $16.67 per user per month against a cost of "
     "$19.61."),
    ("does Desk recover its cost?", "recovery", 180 / 185 * 100,
     "Yes. Desk's charges ($180) recover 97.3% of its cost ($185) in 2026-Q2: it pays for "
     "itself (within 5% of its cost)."),
    ("what tier is Sales on for email?", "tier", 20.0,
     "In 2026-Q2, Sales is on Email Premium for 10 users at $20.00 per user per month ($600 "
     "this quarter), with 99.90% availability, 24x7 support and a 4h response."),
    ("what tiers does email have?", "tier", 10.0,
     "2 tiers are offered: Email Standard at $10.00 per user per month (HR 5 users); Email "
     "Premium at $20.00 per user per month (Sales 10 users)."),
    ("which tiers does Sales take?", "tier", 20.0,
     "CRM Basic for 4 users at $30.00 per user per month ($360 this quarter; no "
     "subscription: its Usage users at the only tier)"),
    # 1,320 of 1,675 in 2026-Q2; 450 of 900 in 2026-Q1
    ("how much of IT is line-driven?", "line_driven", 1320 / 1675 * 100,
     "In 2026-Q2, 78.8% of IT's cost is line-driven: business units are charged $1,320 of "
     "$1,675; the other $355 is overhead. That is +28.8 pts since 2026-Q1 (50.0%)."),
    ("what share of IT is overhead?", "line_driven", 1320 / 1675 * 100, "78.8%"),
])
def test_chargeback_questions(question, intent, first, sentence):
    result = answer(question, ORG)
    assert result.understood and result.intent == intent, (result.intent, result.sentence)
    assert result.figures[0].value == pytest.approx(first)
    assert sentence in result.sentence
    assert result.table is not None and len(result.table) and result.chart is not None
    assert result.how and len(result.suggestions) == 3
    assert all(answer(s, ORG).understood for s in result.suggestions)


def test_a_tier_price_column_is_written_as_a_tier_price():
    result = answer("what does Sales pay for IT?", ORG)
    column = "Price per user per month (USD)"
    assert result.measures[column] == "tier_price_per_user_month"
    shown = result.shown_table().formatted().set_index("Tier")
    assert (shown.loc["Premium", column], shown.loc["Standard", "Charge, year to date (USD)"]) \
        == ("$20.00", "$300")


def test_the_page_unit_is_the_unit_asked_about():
    result = answer("what tier are we on for email?", ORG, business_unit="HR")
    assert result.intent == "tier"
    assert result.sentence.startswith("For HR: In 2026-Q2, HR is on Email Standard for 5 users")
    assert "Email Gold for 2 users, a tier the Offerings sheet does not price" in result.sentence


@pytest.mark.parametrize("question, intent", [
    ("which services don't pay for themselves?", "recovery"),
    ("does email pay for itself?", "recovery"),
    ("what tier is Sales on for email?", "tier"),
    ("how much of IT is line-driven?", "line_driven"),
])
def test_without_offerings_the_answer_says_so(question, intent):
    result = answer(question, NO_OFFERINGS)
    assert result.understood and result.intent == intent
    assert result.sentence.startswith(NO_TIERS) and not result.figures


@pytest.mark.parametrize("question, showback", [
    ("what does Sales pay for IT?", 1000 * 12 / 17 + 300 + 185 * 10 / 12),
    ("Bill of IT for HR", 1000 * 5 / 17),
])
def test_without_offerings_a_unit_pays_its_showback_said_so(question, showback):
    result = answer(question, NO_OFFERINGS)
    assert result.intent == "charges"
    assert result.sentence.startswith(f"{NO_TIERS}, so no business unit is charged: this is "
                                      "the showback")
    assert result.figures[0].value == pytest.approx(showback)


@pytest.mark.parametrize("question, intent", [
    ("what do we pay for Office per mailbox per month", "cost_per_user"),  # no unit: cost
    ("IT cost by department", "showback"),
    ("are we overpaying for email", "market"),
    ("is it cheaper to buy email from a provider?", "market"),
])
def test_other_questions_keep_their_intent(question, intent):
    assert answer(question, ORG).intent == intent
