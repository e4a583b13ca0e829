"""The one-service page's view model."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from .. import chargeback, charts, costing, market
from ..frames import UNALLOCATED, with_gap_note
from ..model import Dataset
from ..present.facts import (
    NO_COST_DATA,
    Facts,
    Headline,
    change_pct,
    first_row,
    only_unit,
    service_options,
)
from ..present.formatting import (
    fmt_change,
    fmt_number,
    is_missing,
)
from ..present.measures import fmt_measure
from ..present.summary_text import explanation_text, line_label
from ..present.tables import Table, table
from ..present.words import (
    delta_or_none,
    market_sentence,
    per_user_words,
    value_source_sentence,
    versus_offer,
)
from .catalogue_page import tier_table
from .overview_page import VERDICT_WORDS


@dataclass(frozen=True, eq=False)
class ServiceView:
    """One service: what it costs per user, why, against which offers, and who pays.

    ``allocation_table``: the cost lines behind the figure (its own lines and its shares of
    shared lines), with the method, share and source file/sheet/row. ``market_table``: each
    applicable offer. ``showback_table``: each business unit's users, share and cost."""

    service: str | None
    services: tuple[str, ...]
    quarter: str | None
    quarter_label: str
    currency: str
    business_unit: str | None
    headlines: tuple[Headline, ...]
    sentence: str
    trend_chart: go.Figure
    pool_chart: go.Figure
    allocation_table: Table
    market_table: Table
    showback_chart: go.Figure
    showback_table: Table
    tiers_table: Table
    subscribers_table: Table
    recovery: Headline | None
    tiers_note: str
    notes: tuple[str, ...]


# ---- one service -----------------------------------------------------------------------------

METHOD_WORDS = {
    "direct": "its own line", "users": "shared by users", "cost": "shared by direct cost",
    "even": "shared evenly", "tickets": "shared by tickets", "hours": "shared by support hours",
    "unallocated": "not allocated",
}

ALLOCATION_COLUMNS = ["Cost line", "Cost pool", "How it reaches the service", "Line amount",
                      "Share", "Amount", "% of service cost", "Per user per month",
                      "In market comparison", "File", "Sheet", "Row"]
ALLOCATION_MEASURES = {"Line amount": "source_amount", "Share": "share", "Amount": "amount",
                       "% of service cost": "pct_of_total",
                       "Per user per month": "per_user_month", "Row": "source_row"}
MARKET_COLUMNS = ["Offer", "Price per user per month", "In-house like for like",
                  "In-house − offer per user per month", "In-house is",
                  "Buying it instead saves, a year", "Availability target",
                  "Offer availability", "Storage (GB)", "Support response", "Includes",
                  "Source", "Price checked"]
MARKET_MEASURES = {
    "Price per user per month": "price_per_user_month",
    "In-house like for like": "internal_per_user_month",
    "In-house − offer per user per month": "difference_per_user_month",
    "Buying it instead saves, a year": "difference_per_year",
    "Availability target": "availability_target", "Offer availability": "availability",
    "Storage (GB)": "storage_gb", "Price checked": "as_of",
}
SHOWBACK_COLUMNS = ["Business unit", "Users", "Share", "Cost", "Note"]
SHOWBACK_MEASURES = {"Users": "users", "Share": "share_pct", "Cost": "cost"}


def service_detail(dataset: Dataset, quarter: str | None = None, service: str | None = None,
                   business_unit: str | None = None) -> ServiceView:
    """One service in one quarter. ``service`` None (or not in the data) -> the service with
    the largest cost; the notes say when the asked-for one was not found."""
    f = Facts(dataset, quarter, business_unit)
    names = service_options(dataset)
    notes = []
    if service is not None and service not in names:
        notes.append(f"{service} is not in this data; showing another service.")
        service = None
    if service is None:
        ranked = [s for s in f.services["service"] if s != UNALLOCATED]
        service = ranked[0] if ranked else (names[0] if names else None)
    row = first_row(f.services, "service", service)
    offers = _offers(f, service)
    trend = (costing.cost_trend(dataset, "cost_per_user_month", service)
             if f.has_any_cost_data and service else pd.DataFrame())
    shown = f.showback_all
    shown = shown[(shown["quarter"] == f.quarter) & (shown["service"] == service)]
    if f.unit is not None:
        notes.append(f"{f.unit}'s figures: its users of {service} and their share of its cost. "
                     "The cost lines, cost pools and market comparison are the whole "
                     "service's; cost per user per month is the same for every unit.")
    return ServiceView(
        service=service,
        services=names,
        quarter=f.quarter,
        quarter_label=f.shown_quarter,
        currency=f.currency,
        business_unit=f.unit,
        headlines=tuple(_service_headlines(f, service, row, trend)),
        sentence=_service_sentence(f, service, row),
        trend_chart=_trend_chart(f, service, row, trend),
        pool_chart=_pool_chart(f, service),
        allocation_table=_allocation_table(f, service),
        market_table=_market_table(f, offers),
        showback_chart=charts.showback(
            shown, f.currency, highlight=f.unit,
            title=f"Who uses {service}: its cost by business unit, {f.quarter_label}",
            subtitle="Each unit's share is proportional to its users"),
        showback_table=_showback_table(f, shown),
        **_chargeback(f, service),
        notes=tuple(notes),
    )


def _offers(f: Facts, service: str | None) -> pd.DataFrame:
    """market.compare_offers rows of this service (applicable offers only)."""
    if not f.has_cost_data or service is None:
        return pd.DataFrame()
    offers = market.compare_offers(f.dataset, f.quarter)
    return offers[offers["service"] == service].reset_index(drop=True)


def _qoq(trend: pd.DataFrame, quarter: str | None) -> float:
    """costing.cost_trend's quarter-on-quarter change (%) in ``quarter``."""
    row = first_row(trend, "quarter", quarter) if len(trend) else None
    return np.nan if row is None else row.qoq_pct


def _service_headlines(f: Facts, service: str | None, row: pd.Series | None,
                       trend: pd.DataFrame) -> list[Headline]:
    if row is None:
        why = (f"{service} has no cost lines or users in {f.quarter_label}." if service
               else "No services in this data.")
        return [Headline("Cost per user per month", NO_COST_DATA, sentence=why)]
    if row.status == costing.CostStatus.OK:
        how = (f"Total cost {f.total(row.total_cost)} ÷ {fmt_number(row.users)} users ÷ 3 "
               "months.")
    elif row.status == costing.CostStatus.NO_USAGE_DATA:
        how = f"{service} has cost but no Usage rows in {f.quarter_label}: no usage data."
    else:
        how = f"{service}: {row.status} in {f.quarter_label}."
    whose_total = "Total cost" if f.unit is None else f"Cost to {f.unit}"
    headlines = [
        Headline("Cost per user per month",
                 per_user_words(row.cost_per_user_month, row.status, f.currency),
                 delta_or_none(fmt_change(_qoq(trend, f.quarter))), "inverse", how),
        Headline(whose_total, f.total(row.total_cost), delta_or_none(fmt_change(
            _service_total_change(f, service))), "inverse",
            "Its own cost lines plus its shares of shared lines."
            if f.unit is None else f"{f.unit}'s share of {service}'s cost, by its users."),
        Headline("Users", fmt_number(row.users), sentence=(
            f"Users of {service} in {f.quarter_label} (the sum of its Usage rows)"
            + (f", in {f.unit}." if f.unit else "."))),
    ]
    if not is_missing(row.offer_price_per_user_month):
        headlines.append(Headline(
            "Against the cheapest offer",
            versus_offer(row.difference_per_user_month, row.offer_price_per_user_month,
                          row.verdict),
            sentence=market_sentence(row, f.currency)))
    if not is_missing(row.value_score):
        headlines.append(Headline(
            "Value score", f"{fmt_number(row.value_score)} of 100",
            delta=f"from {row.value_source}" if isinstance(row.value_source, str) else None,
            delta_arrow="off",
            sentence=" ".join(filter(None, (
                value_source_sentence(row.value_source, f.label(row.value_quarter)
                                      if isinstance(row.value_quarter, str) else None),
                f"Quadrant: {row.quadrant}. {row.suggestion}"
                if isinstance(row.quadrant, str) else "Not placed in a quadrant.")))))
    return headlines


def _service_total_change(f: Facts, service: str | None) -> float:
    """The change in the service's total cost (the unit's share, for a unit) since the
    previous quarter, in percent."""
    if f.unit is None:
        trend = costing.cost_trend(f.dataset, "total_cost", service)
        return _qoq(trend, f.quarter)
    mine = only_unit(f.showback_all, f.unit)
    mine = mine[mine["service"] == service]
    now, before = first_row(mine, "quarter", f.quarter), first_row(mine, "quarter", f.previous)
    return change_pct(now.cost if now is not None else None,
                       before.cost if before is not None else None)


def _service_sentence(f: Facts, service: str | None, row: pd.Series | None) -> str:
    """What the service costs and its largest parts, from the allocation lines."""
    if row is None or service is None:
        return f"No cost data for {service or 'any service'} in {f.quarter_label}."
    return explanation_text(f.explanation(service), f.currency, quarter=f.quarter_label,
                            unit=f.unit, total=row.total_cost)


def _trend_chart(f: Facts, service: str | None, row: pd.Series | None,
                 trend: pd.DataFrame) -> go.Figure:
    has_offer = row is not None and not is_missing(row.offer_price_per_user_month)
    title = (market_sentence(row, f.currency).rstrip(".") if has_offer
             else f"{service}: cost per user per month by quarter")
    return charts.cost_per_user_trend(
        trend, f.currency, service=service,
        offer_price=row.offer_price_per_user_month if has_offer else None,
        offer_name=row.best_offer if has_offer else None,
        fiscal_year_start=f.settings.fiscal_year_start, title=title,
        subtitle=with_gap_note(None, trend.get("quarter", [])))


def _pool_chart(f: Facts, service: str | None) -> go.Figure:
    pools = costing.cost_by_pool(f.dataset) if f.has_any_cost_data else pd.DataFrame()
    if len(pools):
        pools = pools[(pools["service"] == service) & (pools["quarter"] <= f.quarter)]
    return charts.cost_by_pool(pools, f.currency,
                               fiscal_year_start=f.settings.fiscal_year_start,
                               title=f"{service}: cost by TBM cost pool per quarter",
                               subtitle=with_gap_note(
                                   "The whole service; shared lines keep their pool",
                                   pools["quarter"] if len(pools) else []))


def _method_words(method: str, allocate_by) -> str:
    if method == "rule":
        return f"shared by the rule '{allocate_by}'"
    return METHOD_WORDS.get(method, method)


def _allocation_table(f: Facts, service: str | None) -> Table:
    if not f.has_cost_data or service is None:
        return table([], ALLOCATION_COLUMNS, ALLOCATION_MEASURES, f.currency)
    lines = f.explanation(service).lines
    rows = [{
        "Cost line": line_label(r),
        "Cost pool": r.cost_pool,
        "How it reaches the service": _method_words(r.method, r.allocate_by),
        "Line amount": r.source_amount,
        "Share": r.share * 100,
        "Amount": r.amount,
        "% of service cost": r.pct_of_total,
        "Per user per month": r.per_user_month,
        "In market comparison": "yes" if r.comparable else "no",
        "File": None if is_missing(r.source_file)
        else str(r.source_file).replace("\\", "/").rsplit("/", 1)[-1],
        "Sheet": r.source_sheet,
        "Row": r.source_row,
    } for r in lines.itertuples(index=False)]
    return table(rows, ALLOCATION_COLUMNS, ALLOCATION_MEASURES, f.currency)


def _market_table(f: Facts, offers: pd.DataFrame) -> Table:
    rows = [{
        "Offer": r.offer,
        "Price per user per month": r.price_per_user_month,
        "In-house like for like": r.internal_per_user_month,
        "In-house − offer per user per month": r.difference_per_user_month,
        "In-house is": VERDICT_WORDS.get(r.verdict),
        # for all of the service's users: a unit's share of a saving is not a saving it makes
        "Buying it instead saves, a year": None if f.unit else r.difference_per_year,
        "Availability target": r.availability_target,
        "Offer availability": r.availability,
        "Storage (GB)": r.storage_gb,
        "Support response": r.support,
        "Includes": r.includes,
        "Source": r.source,
        "Price checked": r.as_of,
    } for r in offers.itertuples(index=False)]  # a service has a handful of offers
    return table(rows, MARKET_COLUMNS, MARKET_MEASURES, f.currency)


def _showback_table(f: Facts, shown: pd.DataFrame) -> Table:
    rows = [{
        "Business unit": r.business_unit,
        "Users": r.users,
        "Share": r.share_pct,
        "Cost": r.cost,
        "Note": None if r.basis == "users" else r.basis,
    } for r in shown.sort_values("cost", ascending=False).itertuples(index=False)]
    return table(rows, SHOWBACK_COLUMNS, SHOWBACK_MEASURES, f.currency)


SUBSCRIBER_COLUMNS = ["Business unit", "Tier", "Users", "Price per user per month", "Charge",
                      "Users from"]
SUBSCRIBER_MEASURES = {"Users": "users", "Price per user per month": "tier_price_per_user_month",
                       "Charge": "charge"}
SUBSCRIPTION_WORDS = {chargeback.Basis.SUBSCRIPTIONS: "Subscriptions",
                      chargeback.Basis.ONLY_TIER: "Usage (its only tier)",
                      chargeback.Basis.CHEAPEST_TIER: "Usage (its cheapest tier)"}


def _chargeback(f: Facts, service: str | None) -> dict:
    """The service's tiers, who takes them and its cost recovery (ServiceView's fields)."""
    empty = {"tiers_table": tier_table(pd.DataFrame(columns=list(chargeback.TIER_COLUMNS)),
                                       f.currency),
             "subscribers_table": table([], SUBSCRIBER_COLUMNS, SUBSCRIBER_MEASURES,
                                        f.currency),
             "recovery": None}
    if not f.has_tiers:
        return {**empty, "tiers_note": "No tiers: the data has no Offerings sheet, so nothing "
                "is charged for this service (upload one to price its levels of service)."}
    offered = chargeback.tiers(f.dataset, f.quarter)
    offered = offered[offered["service"] == service]
    if offered.empty or service is None:
        return {**empty, "tiers_note": f"{service} has no tier in effect in "
                f"{f.quarter_label}: it is not charged to the business units (funded as "
                "overhead)."}
    charged = f.charges_all
    charged = charged[(charged["quarter"] == f.quarter) & (charged["service"] == service)
                      ].sort_values(
        ["business_unit", "price_per_user_month"])
    if f.unit is not None:
        charged = only_unit(charged, f.unit)
    rows = [{"Business unit": r.business_unit, "Tier": r.tier, "Users": r.users,
             "Price per user per month": r.price_per_user_month, "Charge": r.charge,
             "Users from": SUBSCRIPTION_WORDS.get(r.basis, r.basis)}
            for r in charged.itertuples(index=False)]
    return {"tiers_table": tier_table(offered, f.currency),
            "subscribers_table": table(rows, SUBSCRIBER_COLUMNS, SUBSCRIBER_MEASURES,
                                       f.currency),
            "recovery": _recovery_headline(f, service), "tiers_note": ""}


def _recovery_headline(f: Facts, service: str) -> Headline | None:
    """Charges ÷ cost, with the price per user against the cost per user and the market."""
    row = first_row(f.recovery, "service", service)
    if row is None or is_missing(row.recovery_pct):
        return None
    gap = row.over_under
    said = (f"Charges of {f.total(row.charges)} against its cost of {f.total(row.total_cost)}"
            + (f": {f.total(abs(gap))} {'over' if gap > 0 else 'under'}-recovered."
               if row.status != chargeback.RecoveryStatus.RECOVERED else ": recovered."))
    said += (f" Price {f.per_user(row.price_per_user_month)} per user per month (its tiers, "
             f"weighted by users) against a cost of {f.per_user(row.cost_per_user_month)}")
    if not is_missing(row.best_market_price_per_user_month):
        said += (f" and the best market offer of "
                 f"{f.per_user(row.best_market_price_per_user_month)}")
    users = first_row(costing.cost_per_user(f.dataset, f.quarter), "service", service)
    if users is not None and not is_missing(row.users) and row.users < users.users:
        said += (f". {fmt_number(row.users)} of its {fmt_number(users.users)} users are "
                 "charged for")
    return Headline("Cost recovery", fmt_measure("recovery_pct", row.recovery_pct),
                    sentence=said + ".")
