"""The Service catalogue and Chargeback pages' view models (issue 16), on tiny inline
datasets and on the sample with tiers: what each card, statement and table holds."""

from __future__ import annotations

import pytest

from tests.frames import make_dataset
from tests.workbooks import sample_without_tiers, tiers_workbook
from valuelib import views
from valuelib.ingest import load
from valuelib.views.catalogue_page import NO_OFFERINGS, UNCATEGORISED

Q = "2026-Q3"
SERVICES = [
    {"service": "Email", "category": "Business", "value_proposition": "Mail for everyone",
     "owner": "Dana", "external_facing": False, "availability_target": 99.5,
     "unit": "mailbox"},
    {"service": "Shop", "category": "Industry", "value_proposition": None,
     "external_facing": True},
    {"service": "Wiki", "category": None, "value_proposition": "  "},
]
USAGE = [{"quarter": Q, "service": s, "users": 10, "business_unit": "Sales"}
         for s in ("Email", "Shop", "Wiki", "Payroll")]
COSTS = [{"quarter": Q, "service": s, "cost_pool": "Software", "amount": 300.0}
         for s in ("Email", "Shop", "Wiki", "Payroll")]
OFFERINGS = [
    {"service": "Email", "tier": "Premium", "price_per_user_month": 19.0, "support_hours": "24x7"},
    {"service": "Email", "tier": "Standard", "price_per_user_month": 11.0,
     "support_hours": "8x5"},
    {"service": "Shop", "tier": "Old", "price_per_user_month": 5.0, "to_quarter": "2025-Q4"},
]


def catalogue(**tables):
    return views.catalogue(make_dataset(services=SERVICES, usage=USAGE, costs=COSTS, **tables))


def test_a_card_per_service_sorted_by_category_with_uncategorised_last():
    view = catalogue()
    assert [(c.category, c.service) for c in view.cards] == [
        ("Business", "Email"), ("Industry", "Shop"), (UNCATEGORISED, "Payroll"),
        (UNCATEGORISED, "Wiki")]
    assert view.categories == ("Business", "Industry", UNCATEGORISED)
    email = view.cards[0]
    assert dict(email.details) == {"Owner": "Dana", "External-facing": "no",
                                   "Availability target": "99.50%",
                                   "Consumer unit": "mailbox"}
    assert email.figures[0] == ("Cost per user per month", "$10.00", f"in {Q}")  # 300 ÷ 10 ÷ 3
    assert dict(view.cards[1].details)["External-facing"] == "yes"


@pytest.mark.parametrize("categories, shown, words", [
    ((), 4, "4 services in 3 categories"),
    (("Business",), 1, "1 of 4 services: Business"),
    (("Industry", "Business"), 2, "2 of 4 services: Business and Industry"),
    (("Business", "Industry", UNCATEGORISED), 4, "4 services in 3 categories"),
])
def test_the_category_filter(categories, shown, words):
    view = catalogue()
    assert len(view.cards_in(categories)) == shown
    assert view.shown_words(categories) == words


def test_services_without_a_value_proposition_are_one_finding_with_what_to_do():
    (finding,) = catalogue().findings
    assert finding.services == ("Shop", "Payroll", "Wiki")  # blank text counts as none
    assert finding.message == ("3 services have no value proposition: Shop, Payroll and "
                               "Wiki.")
    assert "value_proposition column" in finding.fix
    assert "Payroll is not in the Services sheet at all: add a row for it" in finding.fix


def test_no_offerings_sheet_is_said_once_and_no_card_has_tiers():
    view = catalogue()
    assert not view.has_offerings and view.tier_note == NO_OFFERINGS
    assert all(c.tiers.empty for c in view.cards)


def test_tiers_in_effect_cheapest_first():
    view = catalogue(offerings=OFFERINGS)
    assert view.has_offerings and view.tier_note == ""
    email, shop = view.cards[0], view.cards[1]
    assert list(email.tiers.frame["Tier"]) == ["Standard", "Premium"]
    assert list(email.tiers.formatted()["Price per user per month"]) == ["$11.00", "$19.00"]
    assert shop.tiers.empty  # its only tier ended in 2025-Q4


def test_a_catalogue_whose_tiers_all_ended_says_so():
    view = catalogue(offerings=OFFERINGS[2:])
    assert view.tier_note.startswith(f"No tier of the Offerings sheet is in effect in {Q}")


# ---- chargeback --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiered():
    files = [*sample_without_tiers(), ("tiers.xlsx", tiers_workbook())]
    return load(files)


def test_a_units_statement_reads_like_a_bill(tiered):
    view = views.chargeback_view(tiered, Q, "Sales")
    assert view.business_unit == "Sales" and view.guard == ""
    assert view.period == f"{Q}; fiscal year to date 2026-Q1 to {Q}"
    bill = view.statement_table.formatted()
    assert list(bill.iloc[-1][["Service", "Charge", "Charge, year to date"]]) == [
        "Total", "$23,376", "$67,344"]
    left = bill[(bill["Service"] == "Email & Productivity") & (bill["Tier"] == "Standard")]
    assert list(left.iloc[0][["Users", "Charge", "Charge, year to date"]]) == ["0", "$0", "$3,828"]
    h = {x.label: x for x in view.headlines}
    assert h["Charged to Sales"].value == "$23,376"
    assert h["Year to date"].value == "$67,344"
    assert "funded as overhead" in h["Charged − share of cost"].sentence
    assert view.sentence.startswith("Sales is charged $23,376 for 3 services in 2026-Q3")


def test_recovery_and_the_line_driven_share(tiered):
    view = views.chargeback_view(tiered, Q, "Sales")
    recovery = view.recovery_table.formatted().set_index("Service")
    assert recovery.loc["Email & Productivity", "Status"] == "under-recovered"
    assert recovery.loc["Payroll", "Status"] == "no charges"
    assert "9 services are not charged for: funded as overhead" in view.recovery_sentence
    assert view.share_sentence.startswith("The business units' charges paid for 6.9% of IT's "
                                          f"cost in {Q}")


def test_an_unknown_unit_shows_the_first_and_says_so(tiered):
    view = views.chargeback_view(tiered, Q, "Legal")
    assert view.business_unit == view.units[0]
    assert view.notes == (f"Legal is not a business unit in this data; showing "
                          f"{view.units[0]}.",)


def test_without_offerings_the_page_is_told_what_to_upload():
    view = views.chargeback_view(make_dataset(usage=USAGE, costs=COSTS), Q, "Sales")
    assert not view.has_offerings and "Offerings sheet" in view.guard
    assert view.statement_table.empty and view.headlines == ()


def test_every_table_names_its_measures_as_the_registry_does(tiered):
    from valuelib.present import Table, measure

    built = [views.chargeback_view(tiered, Q, "Sales"),
             views.service_detail(tiered, Q, "Email & Productivity")]
    tables = [t for v in built for t in vars(v).values() if isinstance(t, Table)]
    tables += [c.tiers for c in views.catalogue(tiered, Q).cards]
    named = {(column, measure(key).label) for t in tables for column, key in t.measures.items()
             if column != measure(key).label}
    assert not named
