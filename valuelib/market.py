"""Each IT service held against what a provider would charge, and the differences price hides.

The internal figure is the comparable cost per user per month (costing.cost_per_user: only
lines marked comparable; allocated shares carry their line's flag). An offer applies when the
service's users fall in its range: min_users ≤ users ≤ max_users, a missing bound is open.
Offers are today's prices, so the comparison uses one quarter: by default the latest with cost
data.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from . import costing
from .frames import latest_quarter, table
from .model import Dataset, latest_complete_quarter
from .present.formatting import fmt_number


class Verdict(StrEnum):
    """The internal service against one offer (``verdict`` of :func:`compare_offers`)."""

    CHEAPER = "cheaper"  # in-house costs less per user than the offer
    DEARER = "dearer"
    SAME = "same"  # within SAME_TOLERANCE_PCT of the offer's price
    PRICE_ON_REQUEST = "price on request"  # the offer publishes no price: kept, never compared
    NO_INTERNAL_COST = "no internal cost"
    NO_OFFER_PRICE = "no offer price"


COMPARED = (Verdict.CHEAPER, Verdict.DEARER, Verdict.SAME)  # verdicts that compare two prices


class AvailabilityVerdict(StrEnum):
    """The offer's availability against the service's target."""

    HIGHER = "offer higher"
    LOWER = "offer lower"
    SAME = "same"  # within AVAILABILITY_SAME percentage points
    UNKNOWN = "unknown"


SAME_TOLERANCE_PCT = 1.0  # within 1 % of the offer's price counts as the same price
AVAILABILITY_SAME = 0.005  # percentage points

COMPARISON_COLUMNS = [
    "quarter", "service", "offer", "users", "internal_per_user_month",
    "price_per_user_month", "difference_per_user_month", "difference_per_year", "verdict",
    "applicable", "why_not", "availability_target", "availability", "availability_gap",
    "availability_verdict", "storage_gb", "support", "includes", "source", "as_of",
    "internal_status",
]


def _fmt_users(n: pd.Series) -> pd.Series:
    return n.map(fmt_number, na_action="ignore").astype("str")


def _compare(cpu: pd.DataFrame, market: pd.DataFrame, services: pd.DataFrame,
             quarter: str | None, tolerance_pct: float) -> pd.DataFrame:
    internal = cpu[cpu["quarter"] == quarter].set_index("service")[
        ["users", "comparable_cost_per_user_month", "status"]]
    targets = services.dropna(subset=["service"]).drop_duplicates("service").set_index(
        "service")["availability_target"]
    m = market[market["service"].notna()].reset_index(drop=True)
    looked_up = internal.reindex(m["service"]).reset_index(drop=True)
    m = m.assign(**looked_up,
                 availability_target=targets.reindex(m["service"]).to_numpy(dtype=float))
    users = m["users"]
    lo, hi = m["min_users"], m["max_users"]
    known = (users > 0).to_numpy(dtype=bool)
    under = (lo.notna() & (users < lo)).to_numpy(dtype=bool)
    over = (hi.notna() & (users > hi)).to_numpy(dtype=bool)
    applicable = known & ~under & ~over
    why_not = np.select(
        [~known, under, over],
        ["no usage data", "needs at least " + _fmt_users(lo) + " users",
         "takes at most " + _fmt_users(hi) + " users"],
        "")
    inside = m["comparable_cost_per_user_month"].to_numpy(dtype=float)
    price = m["price_per_user_month"].to_numpy(dtype=float)
    diff = inside - price
    same = np.abs(diff) <= np.abs(price) * tolerance_pct / 100
    on_request = m["price_on_request"].fillna(False).to_numpy(dtype=bool) & np.isnan(price)
    verdict = np.select(
        [on_request, np.isnan(inside), np.isnan(price), same, diff < 0],
        [Verdict.PRICE_ON_REQUEST, Verdict.NO_INTERNAL_COST, Verdict.NO_OFFER_PRICE,
         Verdict.SAME, Verdict.CHEAPER], Verdict.DEARER)
    target = m["availability_target"].to_numpy(dtype=float)
    offered = m["availability"].to_numpy(dtype=float)
    gap = offered - target
    availability_verdict = np.select(
        [np.isnan(gap), np.abs(gap) <= AVAILABILITY_SAME, gap > 0],
        [AvailabilityVerdict.UNKNOWN, AvailabilityVerdict.SAME, AvailabilityVerdict.HIGHER],
        AvailabilityVerdict.LOWER)
    out = pd.DataFrame({
        "quarter": pd.Series(quarter, index=m.index, dtype="str"),
        "service": m["service"],
        "offer": m["offer"],
        "users": users,
        "internal_per_user_month": inside,
        "price_per_user_month": price,
        "difference_per_user_month": diff,
        "difference_per_year": diff * users.to_numpy(dtype=float) * 12,
        "verdict": pd.array(verdict, dtype="str"),
        "applicable": applicable,
        "why_not": pd.Series(why_not, index=m.index, dtype="str").replace("", pd.NA),
        "availability_target": target,
        "availability": offered,
        "availability_gap": gap,
        "availability_verdict": pd.array(availability_verdict, dtype="str"),
        "storage_gb": m["storage_gb"],
        "support": m["support"],
        "includes": m["includes"],
        "source": m["source"],
        "as_of": m["as_of"],
        "internal_status": m["status"].fillna(costing.CostStatus.NO_COST_DATA).astype("str"),
    })
    return out[COMPARISON_COLUMNS].sort_values(["service", "price_per_user_month", "offer"],
                                               ignore_index=True)


def compare_offers(dataset: Dataset, quarter: str | None = None, *,
                   include_inapplicable: bool = False,
                   tolerance_pct: float = SAME_TOLERANCE_PCT) -> pd.DataFrame:
    """Each service against every applicable market offer, in ``quarter`` (default: the
    latest complete quarter, else the latest with cost data).

    Columns: quarter, service, offer, users, internal_per_user_month (comparable cost per user
    per month), price_per_user_month (offer), difference_per_user_month (internal − offer:
    positive = the offer is cheaper), difference_per_year (× users × 12: what buying would save
    a year, negative = what it would cost extra), verdict (the internal service is
    ``cheaper`` / ``dearer`` / ``same`` within ``tolerance_pct`` % of the offer's price; or
    ``price on request`` (the offer publishes no price: kept, never compared) / ``no internal
    cost`` / ``no offer price``), applicable, why_not (when not applicable),
    availability_target (the service's), availability (the offer's), availability_gap (offer −
    target, percentage points), availability_verdict (``offer higher`` / ``offer lower`` /
    ``same`` / ``unknown``), storage_gb, support, includes, source, as_of, internal_status
    (cost_per_user status). ``include_inapplicable=True`` also returns offers whose user range
    does not fit, with why_not."""
    if quarter is None:
        quarter = latest_complete_quarter(dataset) or latest_quarter(table(dataset, "costs"))
    cpu = costing.cost_per_user(dataset, quarter)
    out = _compare(cpu, table(dataset, "market"), table(dataset, "services"), quarter,
                   tolerance_pct)
    if not include_inapplicable:
        out = out[out["applicable"]].reset_index(drop=True)
    return out


def _best(comparison: pd.DataFrame) -> pd.DataFrame:
    ok = comparison[comparison["applicable"] & comparison["price_per_user_month"].notna()]
    counts = ok.groupby("service").size().rename("applicable_offers")
    best = ok.sort_values(["service", "price_per_user_month", "offer"]).drop_duplicates(
        "service")
    return best.merge(counts, left_on="service", right_index=True).reset_index(drop=True)


def best_offer(dataset: Dataset, quarter: str | None = None, *,
               tolerance_pct: float = SAME_TOLERANCE_PCT) -> pd.DataFrame:
    """The cheapest applicable offer per service (ties: the first offer by name); services
    without an applicable priced offer are left out.

    Columns: those of :func:`compare_offers`, plus applicable_offers (how many priced offers
    fit the service's users)."""
    return _best(compare_offers(dataset, quarter, include_inapplicable=True,
                                tolerance_pct=tolerance_pct))
