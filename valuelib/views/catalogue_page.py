"""The service catalogue page's view model: one card per service — what it is for, who owns
it, what it promises, its tiers and their prices — with what it costs, the best market offer
and its value score beside them."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import chargeback
from ..frames import table as typed_table
from ..model import Dataset
from ..present.facts import NO_COST_DATA, Facts, first_row, service_options
from ..present.formatting import fmt_count, fmt_list, is_missing
from ..present.measures import fmt_measure
from ..present.tables import Table, table
from ..present.words import is_yes, per_user_words

UNCATEGORISED = "Uncategorised"
TIER_COLUMNS = ["Tier", "Price per user per month", "Availability target", "Support window",
                "Response", "Storage (GB)", "Includes"]
TIER_MEASURES = {"Price per user per month": "tier_price_per_user_month",
                 "Availability target": "availability_target", "Storage (GB)": "storage_gb"}
NO_OFFERINGS = ("No Offerings sheet in this data, so no service shows tiers or prices. To "
                "show them, upload an Offerings sheet: service, tier and price per user per "
                "month, with the availability, support window, response time and storage "
                "each tier commits to (the Workbook contract page lists its columns).")


@dataclass(frozen=True, eq=False)
class ServiceCard:
    """One service in the catalogue. ``details``: the catalogue's facts as (label, text)
    pairs, blanks left out; ``figures``: cost per user per month, the best market offer and
    the value score in the quarter, as (label, figure, what it is: the offer's name, the
    quadrant); ``tiers``: its tiers in effect in the
    quarter (empty: none)."""

    service: str
    category: str
    value_proposition: str | None  # None: the catalogue has none for it
    in_catalog: bool  # False: named in another sheet, missing from the Services sheet
    details: tuple[tuple[str, str], ...]
    figures: tuple[tuple[str, str, str], ...]
    tiers: Table


@dataclass(frozen=True)
class CatalogueFinding:
    """A gap in the catalogue for the IT director: what is missing and what to do."""

    message: str
    fix: str
    services: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class CatalogueView:
    """Every service as a card, largest category first then by name. ``categories``: every
    category, for the filter; ``has_offerings``: False when the data has no Offerings rows
    (the cards then have no tier section); ``tier_note``: said once above the cards when no
    tier shows (no Offerings sheet, or none in effect in the quarter), else "";
    ``findings``: gaps the IT director should fill (services with no value proposition)."""

    quarter: str | None
    quarter_label: str
    currency: str
    cards: tuple[ServiceCard, ...]
    categories: tuple[str, ...]
    has_offerings: bool
    tier_note: str
    findings: tuple[CatalogueFinding, ...]

    def cards_in(self, categories=()) -> tuple[ServiceCard, ...]:
        """The cards of these categories (none given: every card)."""
        if not categories:
            return self.cards
        chosen = set(categories)
        return tuple(c for c in self.cards if c.category in chosen)

    def shown_words(self, categories=()) -> str:
        """What the filter shows, for the caption (and the printed page, where the filter is
        not drawn): "12 services in 4 categories" / "5 of 12 services: Business"."""
        shown = self.cards_in(categories)
        if not categories or len(shown) == len(self.cards):
            return (f"{fmt_count(len(self.cards), 'service')} in "
                    f"{fmt_count(len(self.categories), 'category', 'categories')}")
        picked = [c for c in self.categories if c in set(categories)]
        return f"{len(shown)} of {fmt_count(len(self.cards), 'service')}: {fmt_list(picked)}"


def catalogue(dataset: Dataset, quarter: str | None = None) -> CatalogueView:
    """Every service of the catalogue (and those only other sheets name) in ``quarter``
    (default: the latest complete one)."""
    f = Facts(dataset, quarter, None)
    services = typed_table(dataset, "services")
    offered = chargeback.tiers(dataset, f.quarter)
    offerings = f.has_tiers
    cards = [_card(f, name, first_row(services, "service", name), offered)
             for name in service_options(dataset)]
    categories = _categories(cards)
    order = {c: i for i, c in enumerate(categories)}
    cards.sort(key=lambda c: (order[c.category], c.service.casefold()))
    note = "" if offerings else NO_OFFERINGS
    if offerings and offered.empty:
        note = (f"No tier of the Offerings sheet is in effect in {f.quarter_label}: each "
                "tier's from and to quarters leave it out.")
    return CatalogueView(
        quarter=f.quarter, quarter_label=f.shown_quarter, currency=f.currency,
        cards=tuple(cards), categories=categories, has_offerings=offerings,
        tier_note=note, findings=_findings(cards))


def _categories(cards: list[ServiceCard]) -> tuple[str, ...]:
    """Categories with the most services first (ties by name); Uncategorised last."""
    counts = pd.Series([c.category for c in cards], dtype="str").value_counts()
    named = sorted((c for c in counts.index if c != UNCATEGORISED),
                   key=lambda c: (-counts[c], c.casefold()))
    return tuple(named + ([UNCATEGORISED] if UNCATEGORISED in counts.index else []))


def _text(value) -> str | None:
    """A catalogue cell as text, None when blank."""
    if is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _card(f: Facts, name: str, row: pd.Series | None, offered: pd.DataFrame) -> ServiceCard:
    in_catalog = row is not None and is_yes(row.in_catalog)
    category = (_text(row.category) if row is not None else None) or UNCATEGORISED
    details = []
    if row is not None:
        if _text(row.owner):
            details.append(("Owner", _text(row.owner)))
        if not is_missing(row.external_facing):
            details.append(("External-facing", "yes" if is_yes(row.external_facing) else "no"))
        if not is_missing(row.availability_target):
            details.append(("Availability target",
                            fmt_measure("availability_target", row.availability_target)))
        if _text(row.unit):
            details.append(("Consumer unit", _text(row.unit)))
    return ServiceCard(
        service=name, category=category,
        value_proposition=_text(row.value_proposition) if row is not None else None,
        in_catalog=in_catalog, details=tuple(details), figures=_figures(f, name),
        tiers=tier_table(offered[offered["service"] == name], f.currency))


def _figures(f: Facts, name: str) -> tuple[tuple[str, str, str], ...]:
    """Cost per user per month, the best market offer and the value score, written as every
    page writes them: (label, figure, what it is)."""
    row = first_row(f.services, "service", name)
    if row is None:
        return (("Cost per user per month", NO_COST_DATA, f"in {f.quarter_label}"),)
    offer = ("Best market offer", "none applies", "to its number of users")
    if not is_missing(row.offer_price_per_user_month):
        offer = ("Best market offer", fmt_measure(
            "offer_price_per_user_month", row.offer_price_per_user_month, f.currency),
            str(row.best_offer))
    value = ("Value score", "no survey", "")
    if not is_missing(row.value_score):
        value = ("Value score", fmt_measure("value_score", row.value_score) + " of 100",
                 row.quadrant if isinstance(row.quadrant, str) else "")
    return (("Cost per user per month",
             per_user_words(row.cost_per_user_month, row.status, f.currency),
             f"in {f.quarter_label}"), offer, value)


def tier_table(rows: pd.DataFrame, currency: str) -> Table:
    """A service's tiers (``chargeback.tiers`` rows), cheapest first: price and commitments."""
    ordered = rows.sort_values("price_per_user_month", na_position="last", kind="stable")
    return table([{
        "Tier": r.tier,
        "Price per user per month": r.price_per_user_month,
        "Availability target": r.availability_target,
        "Support window": _text(r.support_hours),
        "Response": _text(r.response_time),
        "Storage (GB)": r.storage_gb,
        "Includes": _text(r.includes),
    } for r in ordered.itertuples(index=False)], TIER_COLUMNS, TIER_MEASURES, currency)


def _findings(cards: list[ServiceCard]) -> tuple[CatalogueFinding, ...]:
    missing = [c for c in cards if c.value_proposition is None]
    if not missing:
        return ()
    names = tuple(c.service for c in missing)
    outside = [c.service for c in missing if not c.in_catalog]
    verb = "has" if len(missing) == 1 else "have"
    fix = ("Write one sentence for each in the Services sheet's value_proposition column: what "
           "the service lets the business do, in its users' words (\"Everyone paid correctly "
           "and on time\"), then publish the workbook again.")
    if outside:
        fix += (f" {fmt_list(outside)} {'is' if len(outside) == 1 else 'are'} not in the "
                "Services sheet at all: add a row for "
                f"{'it' if len(outside) == 1 else 'each'}, with its category and owner.")
    return (CatalogueFinding(
        f"{fmt_count(len(missing), 'service')} {verb} no value proposition: {fmt_list(names)}.",
        fix, names),)
