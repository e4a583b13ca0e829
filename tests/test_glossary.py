"""The glossary's words, and how a tile's change is worded."""

import pytest

from valuelib.present import glossary


@pytest.mark.parametrize("term", ["like for like", "showback", "cost pool", "Unallocated",
                                  "P1", "impact × urgency", "value score",
                                  "budget variance", "year-end forecast", "run rate"])
def test_every_word_the_issue_names_is_defined(term):
    assert len(glossary.define(term.upper() if term != "impact × urgency" else term)) > 40


@pytest.mark.parametrize("delta, zero", [("0.0%", True), ("+0.0%", True), ("-0.0 pts", True),
                                         ("0", True), ("+3.2%", False), ("-0.1%", False),
                                         ("runs out 1 Jan 2027", False), (None, False)])
def test_a_zero_change_is_recognised(delta, zero):
    assert glossary.is_no_change(delta) is zero


@pytest.mark.parametrize("texts, terms", [
    (("In-house, like-for-like",), ("like for like",)),
    (("Cost by business unit (showback by users)",), ("showback",)),
    (("Tickets by impact × urgency", "P1 tickets"), ("P1", "impact × urgency")),
    (("Value score (0–100)",), ("value score",)),
    (("Total IT cost",), ()),
])
def test_terms_are_found_in_headings(texts, terms):
    assert glossary.terms_in(*texts) == terms


def test_a_change_says_what_it_is_compared_with():
    assert glossary.compared_with("+3.2%", "2026-Q2") == "+3.2% vs 2026-Q2"
    assert glossary.compared_with(None, "2026-Q2") is None
    assert glossary.compared_with("+3.2%", "") == "+3.2%"
