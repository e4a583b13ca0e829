"""Ingest's checks on tiers (issue 16): services tied to the catalogue, tiers spelled as
Offerings spells them, unknown tiers and tiers out of their quarters as errors, subsidised and
dearer-than-market tiers as warnings — on a single load and again on merged data."""

from __future__ import annotations

import pytest

from tests.golden.cases import COSTS, OFFERINGS, SERVICES, SUBSCRIPTIONS, USAGE, xlsx
from valuelib import load
from valuelib.ingest import recheck, tier_price_findings
from valuelib.model import Settings


def codes(dataset):
    return sorted(f.code for f in dataset.findings)


@pytest.mark.parametrize("sheet, rows", [
    ("Offerings", [OFFERINGS[0], ["Payroll", "Standard", 4, "8x5"]]),
    ("Subscriptions", [SUBSCRIPTIONS[0], ["2026-Q3", "HR", "Payroll", "Standard", 40]]),
    ("Needs", [["quarter", "need", "service"], ["2026-Q3", "Payslips by email", "Payroll"]]),
])
def test_a_service_named_only_on_a_tier_sheet_joins_the_catalogue(sheet, rows):
    ds = load([("f.xlsx", xlsx(Services=SERVICES, **{sheet: rows}))])
    found = [f for f in ds.findings if f.code == "SERVICE_NOT_IN_CATALOG"]
    assert [(f.sheet, f.row, f.value) for f in found] == [(sheet, 2, "Payroll")]
    services = ds["services"].set_index("service")
    assert not services.loc["Payroll", "in_catalog"]


def test_tier_and_service_spelled_as_the_catalogue_and_offerings_spell_them():
    ds = load([("f.xlsx", xlsx(
        Services=SERVICES, Offerings=[OFFERINGS[0], ["CRM", "Premium Plus", 140, "24x7"]],
        Subscriptions=[SUBSCRIPTIONS[0], ["2026-Q3", "Sales", "crm", "premium  plus", 5]]))])
    assert codes(ds) == []
    sub = ds["subscriptions"].iloc[0]
    assert (sub["service"], sub["tier"]) == ("CRM", "Premium Plus")


@pytest.mark.parametrize("offerings, expected", [
    ([OFFERINGS[0], ["CRM", "Standard", 125, "8x5"], ["CRM", "Premium", 140, "24x7"]],
     "Tier 'Gold' of CRM is not on the Offerings sheet (on 1 row): its tiers are Standard, "
     "Premium."),
    ([OFFERINGS[0], ["Email & Productivity", "Standard", 11, "8x5"]],
     "Tier 'Gold' of CRM is not on the Offerings sheet (on 1 row): the Offerings sheet has no "
     "tiers for CRM."),
])
def test_an_unknown_tier_says_which_tiers_exist(offerings, expected):
    ds = load([("f.xlsx", xlsx(Services=SERVICES, Offerings=offerings, Subscriptions=[
        SUBSCRIPTIONS[0], ["2026-Q3", "Sales", "CRM", "Gold", 5]]))])
    [finding] = ds.findings
    assert (finding.code, finding.message, finding.is_error) == ("UNKNOWN_TIER", expected, True)


@pytest.mark.parametrize("start, end, said", [
    ("2026-Q4", None, "from 2026-Q4"),
    (None, "2026-Q2", "until 2026-Q2"),
    ("2025-Q1", "2025-Q4", "2025-Q1 … 2025-Q4"),
])
def test_a_tier_out_of_its_quarters_has_no_price(start, end, said):
    ds = load([("f.xlsx", xlsx(
        Services=SERVICES,
        Offerings=[[*OFFERINGS[0], "from_quarter", "to_quarter"],
                   ["CRM", "Standard", 125, "8x5", start, end]],
        Subscriptions=[SUBSCRIPTIONS[0], ["2026-Q3", "Sales", "CRM", "Standard", 5]]))])
    [finding] = ds.findings
    assert finding.code == "TIER_NOT_IN_EFFECT"
    assert finding.message == ("CRM Standard has no price in 2026-Q3 (1 row): its price "
                               f"applies {said}.")


def test_merged_data_is_checked_again():
    # A subscriptions file alone names a tier no Offerings sheet has; merged with the
    # published Offerings (as a publish checks it) the tier is known.
    subs = load([("s.xlsx", xlsx(Subscriptions=[SUBSCRIPTIONS[0],
                                                ["2026-Q3", "Sales", "CRM", "standard", 5]]))])
    assert "UNKNOWN_TIER" in codes(subs)
    published = load([("p.xlsx", xlsx(Services=SERVICES, Usage=USAGE, Costs=COSTS,
                                      Offerings=[OFFERINGS[0], ["CRM", "Standard", 125, "8x5"]]))])
    tables, findings = recheck({**published.tables, "subscriptions": subs["subscriptions"]})
    assert [f.code for f in findings] == []
    assert tables["subscriptions"]["tier"].tolist() == ["Standard"]


def test_price_warnings_follow_the_currency_and_skip_without_tiers():
    ds = load([("f.xlsx", xlsx(Services=SERVICES, Usage=USAGE, Costs=COSTS,
                               Offerings=[OFFERINGS[0], ["Email & Productivity", "Standard", 11,
                                                         "8x5"]]))])
    [finding] = tier_price_findings(ds.tables, Settings(currency="EUR"))
    assert finding.code == "TIER_SUBSIDISED" and "€11.00" in finding.message
    assert tier_price_findings({**ds.tables, "offerings": ds["offerings"].iloc[:0]},
                               Settings()) == []


def test_a_price_within_one_percent_of_cost_is_not_subsidised():
    # Email costs $16.47 a user-month (tests/golden/cases.py); $16.40 is within 1 %.
    ds = load([("f.xlsx", xlsx(Services=SERVICES, Usage=USAGE, Costs=COSTS,
                               Offerings=[OFFERINGS[0], ["Email & Productivity", "Standard", 16.4,
                                                         "8x5"]]))])
    assert codes(ds) == []


def test_the_publish_plan_lists_the_tier_findings_of_the_merged_data():
    # What the upload page shows: the findings of the published data merged with the upload.
    from valuelib.publishing import plan_publish

    published = load([("p.xlsx", xlsx(
        Services=SERVICES, Usage=USAGE, Costs=COSTS,
        Offerings=[OFFERINGS[0], ["Email & Productivity", "Standard", 11, "8x5"]]))])
    upload = load([("s.xlsx", xlsx(Subscriptions=[
        SUBSCRIPTIONS[0], ["2026-Q3", "Sales", "Email & Productivity", "standard", 40],
        ["2026-Q3", "HR", "Email & Productivity", "Gold", 4]]))])
    plan = plan_publish(published, 1, upload)
    found = {(f.code, f.sheet, f.row) for f in plan.findings}
    assert found == {("UNKNOWN_TIER", "Subscriptions", 3),  # Standard is published; Gold is not
                     ("TIER_SUBSIDISED", "Offerings", 2)}
    subsidised = next(f for f in plan.findings if f.code == "TIER_SUBSIDISED")
    assert "$11.00" in subsidised.message and "$16.47" in subsidised.message
