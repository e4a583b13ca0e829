"""Which services earn their cost: value score and the cost-vs-value quadrants."""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import pandas as pd

from . import costing, perception
from .frames import UNALLOCATED, ratio, table
from .model import Dataset


class Quadrant(StrEnum):
    """Where a service sits by value score and cost per user (medians of your services)."""

    INVEST = "Invest"  # high value, low cost
    OPTIMIZE = "Optimize"  # high value, high cost
    TOLERATE = "Tolerate"  # low value, low cost
    REPLACE = "Replace or retire"  # low value, high cost


class MarketPosition(StrEnum):
    """What the Market sheet says about buying a service instead (None: an offer is cheaper,
    or no market data at all)."""

    CHEAPER_IN_HOUSE = "cheaper in-house"  # than every offer that fits its users
    NO_OFFER = "no offer"  # the Market sheet has no priced offer that fits


class ValueSource(StrEnum):
    """Where a value score comes from (``source`` of :func:`value_scores`)."""

    SURVEY = "survey"  # the Value sheet: business value and / or satisfaction
    TICKETS = "ticket satisfaction"  # rated tickets, where the service has no survey yet


class Placement(StrEnum):
    """``status`` of :func:`cost_vs_value`: placed, or why not."""

    PLACED = "placed"
    NO_VALUE_SCORE = "no value score"
    NO_USAGE_DATA = costing.CostStatus.NO_USAGE_DATA.value
    NO_COST_DATA = costing.CostStatus.NO_COST_DATA.value


SUGGESTIONS = {
    Quadrant.INVEST: "Value above and cost per user below the median of your services: "
                     "protect it and consider offering it more widely.",
    Quadrant.OPTIMIZE: "Value and cost per user both above the median of your services: keep "
                       "it and look for savings in licences, contracts or a market offer.",
    Quadrant.TOLERATE: "Value and cost per user both below the median of your services: keep "
                       "it running at minimum effort and revisit if its cost grows.",
    Quadrant.REPLACE: "Value below and cost per user above the median of your services: "
                      "replace it with a market offer or retire it.",
}
# The same advice where the market says buying is no answer: the service is cheaper in-house
# than every offer that fits its users, or the Market sheet has no offer for it.
_MARKET_ADVICE = {
    (Quadrant.OPTIMIZE, MarketPosition.CHEAPER_IN_HOUSE):
        "Value and cost per user both above the median of your services: keep it and look for "
        "savings in licences and contracts; it already costs less than every market offer "
        "that fits.",
    (Quadrant.OPTIMIZE, MarketPosition.NO_OFFER):
        "Value and cost per user both above the median of your services: keep it and look for "
        "savings in licences and contracts (no market offer to compare).",
    (Quadrant.REPLACE, MarketPosition.CHEAPER_IN_HOUSE):
        "Value below and cost per user above the median of your services, yet cheaper than "
        "every market offer that fits: review its scope or retire it.",
    (Quadrant.REPLACE, MarketPosition.NO_OFFER):
        "Value below and cost per user above the median of your services, and no market offer "
        "for it: review its scope or retire it.",
}


def advice(quadrant: str | None, market_position: str | None = None) -> str | None:
    """The one-sentence suggestion for a quadrant, given the service's
    :class:`MarketPosition` (None: an offer is cheaper, or no market data)."""
    if quadrant is None:
        return None
    return _MARKET_ADVICE.get((quadrant, market_position), SUGGESTIONS.get(quadrant))


def _market_positions(cpu: pd.DataFrame, offers: pd.DataFrame | None) -> pd.Series:
    """Per cpu row: a MarketPosition or None (see :func:`advice`). With no market
    data at all nothing is known, so every row is None."""
    if offers is None or offers.empty:
        return pd.Series([None] * len(cpu), index=cpu.index, dtype=object)
    o = offers[["service", "price_per_user_month", "min_users", "max_users"]].assign(
        price_per_user_month=offers["price_per_user_month"].fillna(
            offers["price_per_user_year"] / 12))
    j = cpu[["service", "users"]].reset_index().merge(o, on="service", how="left")
    fits = (j["price_per_user_month"].notna()
            & (j["min_users"].isna() | (j["users"] >= j["min_users"]))
            & (j["max_users"].isna() | (j["users"] <= j["max_users"])))
    cheapest = j[fits].groupby("index")["price_per_user_month"].min().reindex(cpu.index)
    inside = cpu["comparable_cost_per_user_month"]
    out = np.where(cheapest.isna(), MarketPosition.NO_OFFER,
                   np.where(inside < cheapest, MarketPosition.CHEAPER_IN_HOUSE, None))
    return pd.Series(out, index=cpu.index, dtype=object)


def _satisfaction_pct(value: pd.DataFrame) -> pd.Series:
    """satisfaction_pct as ingest gives it; where only the raw satisfaction is there, scale it
    the same way (a column within 1-5 is a score, otherwise a percent)."""
    pct = value["satisfaction_pct"].astype(float)
    raw = value["satisfaction"].astype(float)
    gap = pct.isna() & raw.notna()
    if not gap.any():
        return pct
    known = raw.dropna()
    scaled = (raw - 1) / 4 * 100 if known.between(1, 5).all() else raw
    return pct.where(~gap, scaled)


def value_scores(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Value score 0-100 per service and quarter, and its ``source``:

    - ``survey`` (the Value sheet): the mean of the parts present, business value
      ((v − 1) ÷ 4 × 100) and satisfaction (as a percent). Several rows for one service and
      quarter are averaged part by part, weighted by respondents (a row without respondents
      counts as one);
    - ``ticket satisfaction``: the mean rating of the service's tickets that quarter
      (perception.contact_satisfaction; respondents = rated tickets), in the quarters before
      the service's first survey. A survey, once taken, wins and goes on counting (carried
      forward by :func:`cost_vs_value`), so a service's score never swings between sources.

    Columns: quarter, service, business_value (1-5), business_value_pct, satisfaction_pct,
    respondents, value_score, parts (how many parts were present: 1 or 2), source."""
    scores = pd.concat([_survey_scores(dataset), _ticket_scores(dataset)], ignore_index=True)
    if quarter is not None:
        scores = scores[scores["quarter"] == quarter]
    return scores.sort_values(["quarter", "service"], ignore_index=True)


def _survey_scores(dataset: Dataset) -> pd.DataFrame:
    v = table(dataset, "value")
    v = v[v["quarter"].notna() & v["service"].notna()]
    weight = v["respondents"].where(v["respondents"] > 0, 1.0).astype(float)
    bv = v["business_value"].astype(float)
    sat = _satisfaction_pct(v)
    parts = pd.DataFrame({
        "quarter": v["quarter"], "service": v["service"],
        "bv_w": (bv * weight).fillna(0.0), "bv_n": weight.where(bv.notna(), 0.0),
        "sat_w": (sat * weight).fillna(0.0), "sat_n": weight.where(sat.notna(), 0.0),
        "respondents": v["respondents"].astype(float).fillna(0.0),
        "counted": v["respondents"].notna().astype("int64"),
    })
    g = parts.groupby(["quarter", "service"], as_index=False).sum()
    g["respondents"] = g["respondents"].where(g["counted"] > 0)
    business_value = ratio(g["bv_w"], g["bv_n"])
    bv_pct = (business_value - 1) / 4 * 100
    sat_pct = ratio(g["sat_w"], g["sat_n"])
    both = np.vstack([bv_pct, sat_pct])
    present = (~np.isnan(both)).sum(axis=0)
    score = ratio(np.nansum(both, axis=0), present)
    return pd.DataFrame({
        "quarter": g["quarter"], "service": g["service"],
        "business_value": business_value, "business_value_pct": bv_pct,
        "satisfaction_pct": sat_pct, "respondents": g["respondents"],
        "value_score": score, "parts": present.astype("int64"),
        "source": pd.array([ValueSource.SURVEY.value] * len(g), dtype="str"),
    })


def _ticket_scores(dataset: Dataset) -> pd.DataFrame:
    """Ticket satisfaction as a one-part score, in the quarters before a service's first
    survey."""
    t = perception.contact_satisfaction(dataset)
    surveyed = table(dataset, "value")
    surveyed = surveyed[surveyed["quarter"].notna() & surveyed["service"].notna()]
    first = surveyed.groupby("service")["quarter"].min()
    first_survey = t["service"].map(first).astype("str")
    t = t[(first_survey.isna() | (t["quarter"] < first_survey)).to_numpy(dtype=bool,
                                                                        na_value=True)]
    n = len(t)
    return pd.DataFrame({
        "quarter": t["quarter"].astype("str"), "service": t["service"].astype("str"),
        "business_value": np.full(n, np.nan), "business_value_pct": np.full(n, np.nan),
        "satisfaction_pct": t["satisfaction_pct"].astype(float),
        "respondents": t["responses"].astype(float),
        "value_score": t["satisfaction_pct"].astype(float),
        "parts": np.ones(n, dtype="int64"),
        "source": pd.array([ValueSource.TICKETS.value] * n, dtype="str"),
    })


def _cost_vs_value(cpu: pd.DataFrame, scores: pd.DataFrame, carry_forward: bool,
                   offers: pd.DataFrame | None = None) -> pd.DataFrame:
    cpu = cpu.assign(market=_market_positions(cpu, offers))
    base = cpu[cpu["service"] != UNALLOCATED][
        ["quarter", "service", "cost_per_user_month", "status", "market"]]
    vals = scores[["quarter", "service", "value_score", "source"]].rename(
        columns={"quarter": "value_quarter", "source": "value_source"})
    m = base.merge(vals, on="service", how="left")
    # a score counts for its own quarter, or (carry_forward) any later one
    usable = (m["value_quarter"] <= m["quarter"] if carry_forward
              else m["value_quarter"] == m["quarter"]).to_numpy(dtype=bool, na_value=False)
    m.loc[~usable, ["value_quarter", "value_score", "value_source"]] = np.nan
    m = m.sort_values(["quarter", "service", "value_quarter"], na_position="first")
    m = m.drop_duplicates(["quarter", "service"], keep="last").reset_index(drop=True)

    cost = m["cost_per_user_month"]
    score = m["value_score"]
    placed = (cost.notna() & score.notna()).to_numpy()
    both = pd.DataFrame({"v": score.where(placed), "c": cost.where(placed)})
    if m["quarter"].nunique() <= 1:  # one quarter: plain medians
        medians = pd.DataFrame({c: np.full(len(m), both[c].median()) for c in both})
    else:
        medians = both.groupby(m["quarter"]).transform("median")
    value_median, cost_median = medians["v"], medians["c"]
    high_value = (score >= value_median).to_numpy(dtype=bool)
    high_cost = (cost > cost_median).to_numpy(dtype=bool)
    quadrant = np.select(
        [high_value & ~high_cost, high_value & high_cost, ~high_value & ~high_cost],
        [Quadrant.INVEST, Quadrant.OPTIMIZE, Quadrant.TOLERATE], Quadrant.REPLACE
    ).astype(object)
    quadrant[~placed] = None
    status = np.where(placed, Placement.PLACED,
                      np.where(m["status"].eq(costing.CostStatus.OK).to_numpy(dtype=bool),
                               Placement.NO_VALUE_SCORE, m["status"].to_numpy(dtype=object)))
    return pd.DataFrame({
        "quarter": m["quarter"], "service": m["service"],
        "value_score": score, "value_quarter": m["value_quarter"].astype("str"),
        "value_source": m["value_source"].astype("str"),
        "cost_per_user_month": cost,
        "value_median": value_median, "cost_median": cost_median,
        "high_value": pd.array(np.where(placed, high_value, None), dtype="boolean"),
        "high_cost": pd.array(np.where(placed, high_cost, None), dtype="boolean"),
        "quadrant": pd.array(quadrant, dtype="str"),
        "suggestion": pd.array([advice(q, p) for q, p in zip(quadrant, m["market"],
                                                              strict=True)], dtype="str"),
        "status": pd.array(status, dtype="str"),
    })


def cost_vs_value(dataset: Dataset, quarter: str | None = None, *,
                  carry_forward: bool = True) -> pd.DataFrame:
    """Places services in four quadrants by value score and cost per user per month, split at
    the medians across the services placed in that quarter:

    - Invest: high value, low cost; Optimize: high value, high cost;
    - Tolerate: low value, low cost; Replace or retire: low value, high cost.

    Ties: value ≥ median is high; cost > median is high (a service at both medians is Invest).
    A service is placed when it has a cost per user (costing status ``ok``) and a value score.
    With ``carry_forward`` (default) a quarter without a survey uses the service's latest
    earlier score (``value_quarter`` says which; ``value_source`` where it came from:
    :class:`ValueSource`).

    Columns: quarter, service, value_score, value_quarter, value_source, cost_per_user_month,
    value_median, cost_median, high_value, high_cost, quadrant, suggestion (one sentence),
    status (``placed``, ``no value score``, ``no usage data`` or ``no cost data``)."""
    cpu = costing.cost_per_user(dataset, quarter)
    return _cost_vs_value(cpu, value_scores(dataset), carry_forward, table(dataset, "market"))
