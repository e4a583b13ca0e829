"""IT as a service provider: tiers, charges, a Bill of IT per business unit, cost recovery and
the line-driven share of IT (workbook-spec, "Charges (Bill of IT)").

- A tier's price applies in its ``from_quarter`` .. ``to_quarter`` (a blank bound is open);
  where two rows of one service × tier both apply, the one that starts latest wins (a new
  price list row overrides an open-ended old one), then the lower row of the sheet.
- Charge (unit, service, tier, quarter) = subscribed users × the tier's price per user per
  month × 3. Where a quarter has no Subscriptions rows for a service, each unit's users come
  from Usage (blank unit: ``Unassigned``, as showback) and the service's only tier applies,
  or else its cheapest; ``basis`` says which.
- Cost recovery per service = charges ÷ total cost × 100 (costing.total_cost); within
  ``RECOVERED_BAND_PCT`` of 100 counts as recovered. Line-driven share of IT = charges ÷ IT
  total cost (the ledger, the Unallocated line included) × 100.

Numbers only, never words, except a statement's ``notes`` (how its charges were based).
Money is in the reporting currency; a figure that cannot be worked out is NaN, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from . import costing, market
from .frames import (
    MONTHS_PER_QUARTER,
    UNALLOCATED,
    cast,
    empty_frame,
    pct,
    ratio,
    shift_quarter,
    table,
)
from .model import Dataset, latest_complete_quarter

UNASSIGNED = "Unassigned"  # a Usage row without a business unit (as costing.showback)
RECOVERED_BAND_PCT = 5.0  # recovery within 100 ± 5 % counts as "recovered"


class Basis(StrEnum):
    """``basis`` of :func:`charges`: where a charge's users and tier came from."""

    SUBSCRIPTIONS = "subscriptions"
    ONLY_TIER = "usage, only tier"  # no Subscriptions rows: users from Usage, the one tier
    CHEAPEST_TIER = "usage, cheapest tier"  # … and the cheapest of several tiers


class RecoveryStatus(StrEnum):
    """``status`` of :func:`recovery`: how a service's charges stand against its cost."""

    OVER = "over-recovered"  # charges above cost by more than RECOVERED_BAND_PCT
    RECOVERED = "recovered"
    UNDER = "under-recovered"
    NO_CHARGES = "no charges"  # no tier in effect: funded as overhead
    NO_COST_DATA = "no cost data"  # charged, but no cost lines to hold them against


TIER_COLUMNS = {
    "service": "str", "tier": "str", "price_per_user_month": "float64",
    "availability_target": "float64", "support_hours": "str", "response_time": "str",
    "storage_gb": "float64", "includes": "str",
}
CHARGE_COLUMNS = {
    "quarter": "str", "business_unit": "str", "service": "str", "tier": "str",
    "users": "float64", "price_per_user_month": "float64", "charge": "float64", "basis": "str",
}
LINE_COLUMNS = {
    "service": "str", "tier": "str", "users": "float64", "price_per_user_month": "float64",
    "charge": "float64", "charge_year_to_date": "float64", "availability_target": "float64",
    "support_hours": "str", "response_time": "str", "storage_gb": "float64", "includes": "str",
    "basis": "str",
}
RECOVERY_COLUMNS = {
    "quarter": "str", "service": "str", "charges": "float64", "total_cost": "float64",
    "recovery_pct": "float64", "over_under": "float64", "status": "str", "users": "float64",
    "price_per_user_month": "float64", "cost_per_user_month": "float64",
    "best_market_price_per_user_month": "float64", "best_market_offer": "str",
}
SHARE_COLUMNS = {"quarter": "str", "charges": "float64", "it_cost": "float64",
                 "line_driven_pct": "float64"}


def _fold(names: pd.Series) -> pd.Series:
    """How tier names are matched: case and runs of spaces ignored."""
    return names.astype("str").str.casefold().str.replace(r"\s+", " ", regex=True).str.strip()


def default_quarter(dataset: Dataset) -> str | None:
    """The quarter the chargeback figures take when none is given: the latest complete quarter,
    else the latest with any data (subscriptions included)."""
    complete = latest_complete_quarter(dataset)
    if complete:
        return complete
    quarters = set(dataset.quarters) | set(
        table(dataset, "subscriptions")["quarter"].dropna().unique())
    return max(quarters) if quarters else None


def fiscal_year_quarters(quarter: str, fiscal_year_start: int = 1) -> tuple[str, ...]:
    """The calendar quarters of ``quarter``'s fiscal year up to and including it (year to
    date). A fiscal quarter is the calendar quarter holding its first month, as
    ``parse.quarter_label`` shows it: with a July start, 2026-Q3 opens FY2027."""
    first_month = (int(quarter[-1]) - 1) * 3 + 1
    position = (first_month - fiscal_year_start) % 12 // 3  # 0 = the fiscal year's first
    return tuple(shift_quarter(quarter, -k) for k in range(position, -1, -1))


def tiers_in_effect(offerings: pd.DataFrame, quarters) -> pd.DataFrame:
    """The Offerings rows applying in each quarter: TIER_COLUMNS + quarter, tier_key,
    from_quarter and the row's source columns, one row per quarter × service × tier."""
    quarters = sorted({q for q in quarters if isinstance(q, str)})
    offerings = offerings[offerings["service"].notna() & offerings["tier"].notna()]
    if offerings.empty or not quarters:
        return empty_frame({"quarter": "str", **TIER_COLUMNS, "tier_key": "str",
                            "from_quarter": "str"})
    source = [c for c in ("source_file", "source_sheet", "source_row") if c in offerings]
    rows = offerings[[*TIER_COLUMNS, "from_quarter", "to_quarter", *source]].reset_index(
        drop=True)
    rows = rows.assign(tier_key=_fold(rows["tier"]), _seq=np.arange(len(rows)))
    q = np.asarray(quarters, dtype=object)
    take = np.repeat(np.arange(len(rows)), len(q))
    pairs = rows.iloc[take].reset_index(drop=True).assign(
        quarter=pd.array(np.tile(q, len(rows)), dtype="str"))
    start, end = pairs["from_quarter"], pairs["to_quarter"]
    applies = ((start.isna() | (start <= pairs["quarter"]))
               & (end.isna() | (end >= pairs["quarter"]))).to_numpy(dtype=bool)
    pairs = pairs[applies].sort_values(["from_quarter", "_seq"], na_position="first",
                                       kind="stable")
    pairs = pairs.drop_duplicates(["quarter", "service", "tier_key"], keep="last")
    cols = ["quarter", *TIER_COLUMNS, "tier_key", "from_quarter", *source]
    return pairs[cols].sort_values(["quarter", "service", "price_per_user_month", "tier"],
                                   ignore_index=True)


def tiers(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """The tiers in effect in ``quarter`` (default: :func:`default_quarter`), one row per
    service × tier, cheapest first within a service.

    Columns: service, tier, price_per_user_month, availability_target, support_hours,
    response_time, storage_gb, includes. With no quarter anywhere in the data, every tier
    (its latest row)."""
    quarter = quarter or default_quarter(dataset)
    offerings = table(dataset, "offerings")
    if quarter is None:
        offerings = offerings.assign(from_quarter=pd.NA, to_quarter=pd.NA)
        quarter = "0000-Q1"
    return tiers_in_effect(offerings, [quarter])[list(TIER_COLUMNS)]


def _empty(columns: dict[str, str]) -> pd.DataFrame:
    return empty_frame(columns)


def charges(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """What each business unit is charged per service and tier, per quarter (every quarter
    when ``quarter`` is None).

    Columns: quarter, business_unit, service, tier, users, price_per_user_month, charge
    (users × price × 3; NaN where the tier has no price in that quarter, e.g. a tier Offerings
    does not have), basis (a :class:`Basis`)."""
    subs = table(dataset, "subscriptions")
    usage = table(dataset, "usage")
    if quarter is not None:
        subs = subs[subs["quarter"].eq(quarter).to_numpy(dtype=bool, na_value=False)]
        usage = usage[usage["quarter"].eq(quarter).to_numpy(dtype=bool, na_value=False)]
    subs = subs[subs["quarter"].notna() & subs["service"].notna() & subs["tier"].notna()]
    usage = usage[usage["quarter"].notna() & usage["service"].notna() & usage["users"].notna()]
    quarters = set(subs["quarter"].unique()) | set(usage["quarter"].unique())
    prices = tiers_in_effect(table(dataset, "offerings"), quarters)
    if prices.empty:
        return _empty(CHARGE_COLUMNS)
    parts = []
    price_cols = ["quarter", "service", "tier_key", "tier", "price_per_user_month"]
    if len(subs):
        s = subs.assign(tier_key=_fold(subs["tier"]),
                        business_unit=subs["business_unit"].fillna(UNASSIGNED))
        s = s.groupby(["quarter", "business_unit", "service", "tier_key"], as_index=False).agg(
            users=("users", "sum"), written=("tier", "first"))
        s = s.merge(prices[price_cols], on=["quarter", "service", "tier_key"], how="left")
        parts.append(s.assign(tier=s["tier"].fillna(s["written"]), basis=Basis.SUBSCRIPTIONS))
    covered = pd.MultiIndex.from_frame(subs[["quarter", "service"]].drop_duplicates()) \
        if len(subs) else None
    if len(usage):
        u = usage.assign(business_unit=usage["business_unit"].fillna(UNASSIGNED))
        u = u.groupby(["quarter", "service", "business_unit"], as_index=False)["users"].sum()
        if covered is not None:
            u = u[~pd.MultiIndex.from_frame(u[["quarter", "service"]]).isin(covered)]
        count = prices.groupby(["quarter", "service"]).size().rename("tiers")
        cheapest = prices.sort_values(["quarter", "service", "price_per_user_month", "tier"],
                                      na_position="last").drop_duplicates(["quarter", "service"])
        cheapest = cheapest[price_cols].join(count, on=["quarter", "service"])
        if len(u):
            u = u.merge(cheapest, on=["quarter", "service"], how="inner")
            parts.append(u.assign(basis=np.where(u["tiers"].eq(1), Basis.ONLY_TIER,
                                                 Basis.CHEAPEST_TIER)))
    if not parts:
        return _empty(CHARGE_COLUMNS)
    out = pd.concat(parts, ignore_index=True)
    out = out.assign(charge=out["users"] * out["price_per_user_month"] * MONTHS_PER_QUARTER)
    out = cast(out[list(CHARGE_COLUMNS)].reset_index(drop=True), CHARGE_COLUMNS)
    return out.sort_values(["quarter", "business_unit", "service", "tier"], ignore_index=True)


@dataclass(frozen=True, eq=False)  # holds a DataFrame: compared by identity
class Statement:
    """A business unit's Bill of IT for one quarter, with its fiscal year to date.

    ``lines``: one row per service × tier charged to the unit this fiscal year (LINE_COLUMNS):
    this quarter's users, unit price and charge (0 for a tier taken earlier in the year but
    not this quarter), the charge year to date, what the tier commits to (availability,
    support hours, response time, storage, includes) and the charge's ``basis``. ``total`` and
    ``total_year_to_date`` are NaN when no tier is in effect (no chargeback); ``showback_cost``
    is the unit's share of cost (costing.showback), NaN without cost data. ``notes`` say how
    charges were based where not on subscriptions, and which tiers could not be priced."""

    business_unit: str
    quarter: str | None
    year_quarters: tuple[str, ...]
    lines: pd.DataFrame
    total: float
    total_year_to_date: float
    showback_cost: float
    notes: tuple[str, ...] = ()

    @property
    def difference(self) -> float:
        """Charge − showback cost in the quarter (positive: the unit pays more than its share
        of cost), NaN when either is missing."""
        return self.total - self.showback_cost


def _unit_rows(frame: pd.DataFrame, business_unit: str) -> pd.DataFrame:
    unit = frame["business_unit"].astype("str")
    exact = unit.eq(business_unit).to_numpy(dtype=bool, na_value=False)
    if exact.any():
        return frame[exact]
    folded = _fold(unit).eq(_fold(pd.Series([business_unit]))[0])
    return frame[folded.to_numpy(dtype=bool, na_value=False)]


def _sum(values: pd.Series) -> float:
    return float(values.sum(min_count=1)) if len(values) else np.nan


def _note(row) -> str:
    how = "its only tier" if row.basis == Basis.ONLY_TIER else "its cheapest tier"
    return (f"{row.service}: no subscriptions in {row.quarter}; users from Usage, charged at "
            f"{how} ({row.tier}).")


def statement(dataset: Dataset, business_unit: str, quarter: str | None = None) -> Statement:
    """The Bill of IT of ``business_unit`` for ``quarter`` (default: :func:`default_quarter`)
    and its fiscal year to date (Settings' fiscal year start)."""
    quarter = quarter or default_quarter(dataset)
    if quarter is None:
        return Statement(business_unit, None, (), _empty(LINE_COLUMNS), np.nan, np.nan, np.nan,
                         ())
    year = fiscal_year_quarters(quarter, dataset.settings.fiscal_year_start)
    all_charges = charges(dataset)
    year_charges = _unit_rows(all_charges[all_charges["quarter"].isin(year)], business_unit)
    now = year_charges[year_charges["quarter"].eq(quarter).to_numpy(dtype=bool)]
    in_effect = tiers(dataset, quarter)
    charging = not tiers_in_effect(table(dataset, "offerings"), year).empty
    keys = ["service", "tier"]
    ytd = year_charges.groupby(keys, as_index=False).agg(
        charge_year_to_date=("charge", lambda c: c.sum(min_count=1)))
    current = now.groupby(keys, as_index=False).agg(
        users=("users", "sum"), price_per_user_month=("price_per_user_month", "first"),
        charge=("charge", lambda c: c.sum(min_count=1)), basis=("basis", "first"))
    if ytd.empty:
        lines = _empty(LINE_COLUMNS)
    else:
        lines = ytd.merge(current, on=keys, how="left") if len(current) else ytd.assign(
            users=np.nan, price_per_user_month=np.nan, charge=np.nan, basis=pd.NA)
        taken = lines["basis"].notna()
        commits = in_effect.assign(tier_key=_fold(in_effect["tier"]))[
            ["service", "tier_key", "price_per_user_month", "availability_target",
             "support_hours", "response_time", "storage_gb", "includes"]].rename(
            columns={"price_per_user_month": "tier_price"})
        lines = lines.assign(tier_key=_fold(lines["tier"])).merge(
            commits, on=["service", "tier_key"], how="left")
        lines = lines.assign(
            users=lines["users"].where(taken, 0.0),
            charge=lines["charge"].where(taken, 0.0),
            price_per_user_month=lines["price_per_user_month"].where(taken, lines["tier_price"]),
        )
        lines = cast(lines[list(LINE_COLUMNS)], LINE_COLUMNS).sort_values(
            ["service", "tier"], ignore_index=True)
    notes = [_note(r) for r in now.drop_duplicates(["service", "tier", "basis"]).itertuples()
             if r.basis != Basis.SUBSCRIPTIONS]
    unpriced = now[now["price_per_user_month"].isna()].drop_duplicates(["service", "tier"])
    notes += [f"{r.service}: tier '{r.tier}' has no price in {quarter} (not on the Offerings "
              "sheet for that quarter); not charged." for r in unpriced.itertuples()]
    total = _sum(lines["charge"]) if len(lines) else (0.0 if charging else np.nan)
    total_ytd = _sum(lines["charge_year_to_date"]) if len(lines) else (
        0.0 if charging else np.nan)
    if not charging:
        notes.append("The workbooks hold no tiers (Offerings sheet) for this period.")
    show = _unit_rows(costing.showback(dataset, quarter), business_unit)
    return Statement(business_unit, quarter, year, lines, total, total_ytd, _sum(show["cost"]),
                     tuple(notes))


def recovery(dataset: Dataset, quarter: str | None = None) -> pd.DataFrame:
    """Cost recovery per service in ``quarter`` (default: :func:`default_quarter`).

    Columns: quarter, service, charges (NaN where no tier is in effect: overhead-funded; 0
    where tiers exist but nobody was charged), total_cost, recovery_pct (charges ÷ total cost
    × 100), over_under (charges − total cost; negative = under-recovered), status (a
    :class:`RecoveryStatus`), users (charged users), price_per_user_month (charges ÷ charged
    users ÷ 3: the users-weighted mean of its tiers' prices), cost_per_user_month
    (costing.cost_per_user), best_market_price_per_user_month and best_market_offer
    (market.best_offer)."""
    quarter = quarter or default_quarter(dataset)
    if quarter is None:
        return _empty(RECOVERY_COLUMNS)
    return _recovery(dataset, quarter, *cost_and_market(dataset, quarter))


def cost_and_market(dataset: Dataset, quarter: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """costing.cost_per_user and market.best_offer of ``quarter``, the cost per user worked
    out once (best_offer alone would work it out again)."""
    cpu = costing.cost_per_user(dataset, quarter)
    best = market._best(market._compare(cpu, table(dataset, "market"),
                                        table(dataset, "services"), quarter,
                                        market.SAME_TOLERANCE_PCT))
    return cpu, best


def _recovery(dataset: Dataset, quarter: str, cpu: pd.DataFrame, best: pd.DataFrame
              ) -> pd.DataFrame:
    """recovery() from the quarter's cost per user and best offers (as the summary has them)."""
    ch = charges(dataset, quarter)
    priced = ch[ch["charge"].notna()]
    by_service = ch.groupby("service").agg(charges=("charge", lambda c: c.sum(min_count=1)))
    priced_users = priced.groupby("service")["users"].sum().rename("users")
    priced_charge = priced.groupby("service")["charge"].sum().rename("priced_charge")
    tiered = set(tiers(dataset, quarter)["service"].dropna())
    cpu = cpu[cpu["service"].ne(UNALLOCATED).to_numpy(dtype=bool, na_value=True)]
    services = sorted(set(cpu["service"].dropna()) | set(ch["service"]) | tiered)
    if not services:
        return _empty(RECOVERY_COLUMNS)
    out = pd.DataFrame({"service": pd.Series(services, dtype="str")})
    out = out.join(by_service, on="service").join(priced_users, on="service").join(
        priced_charge, on="service")
    out = out.merge(cpu[["service", "total_cost", "cost_per_user_month"]], on="service",
                    how="left")
    out = out.merge(best[["service", "price_per_user_month", "offer"]].rename(columns={
        "price_per_user_month": "best_market_price_per_user_month",
        "offer": "best_market_offer"}), on="service", how="left")
    is_tiered = out["service"].isin(tiered).to_numpy(dtype=bool)
    charged = out["charges"].where(out["charges"].notna() | ~is_tiered, 0.0)
    cost = out["total_cost"].where(out["total_cost"] > 0)
    recovery_pct = pct(charged, cost)
    status = np.select(
        [charged.isna().to_numpy(), cost.isna().to_numpy(),
         recovery_pct > 100 + RECOVERED_BAND_PCT, recovery_pct < 100 - RECOVERED_BAND_PCT],
        [RecoveryStatus.NO_CHARGES, RecoveryStatus.NO_COST_DATA, RecoveryStatus.OVER,
         RecoveryStatus.UNDER], RecoveryStatus.RECOVERED)
    out = out.assign(
        quarter=quarter,
        charges=charged,
        recovery_pct=recovery_pct,
        over_under=charged - cost,
        status=pd.array(status, dtype="str"),
        price_per_user_month=ratio(out["priced_charge"],
                                   out["users"] * MONTHS_PER_QUARTER),
    )
    return cast(out[list(RECOVERY_COLUMNS)], RECOVERY_COLUMNS)


def line_driven_share(dataset: Dataset) -> pd.DataFrame:
    """The line-driven share of IT per quarter: charges ÷ IT total cost × 100 (the rest of
    IT's cost is overhead). Quarters with cost data or charges, oldest first; charges are 0
    in a quarter whose tiers nobody was charged for and NaN in one with no tier in effect.
    Empty when the workbooks hold no Offerings.

    Columns: quarter, charges, it_cost (the ledger: costing.total_cost summed, the
    Unallocated line included), line_driven_pct."""
    offerings = table(dataset, "offerings")
    if offerings["tier"].notna().sum() == 0:
        return _empty(SHARE_COLUMNS)
    cost = costing.total_cost(dataset)
    it_cost = cost[cost["quarter"].notna()].groupby("quarter")["total_cost"].sum()
    ch = charges(dataset)
    charged = ch.groupby("quarter")["charge"].sum(min_count=1)
    quarters = sorted(set(it_cost.index) | set(charged.index))
    if not quarters:
        return _empty(SHARE_COLUMNS)
    with_tiers = set(tiers_in_effect(offerings, quarters)["quarter"])
    out = pd.DataFrame({"quarter": pd.Series(quarters, dtype="str")})
    amount = out["quarter"].map(charged).astype(float)
    amount = amount.where(amount.notna() | ~out["quarter"].isin(with_tiers), 0.0)
    spend = out["quarter"].map(it_cost).astype(float)
    out = out.assign(charges=amount, it_cost=spend,
                     line_driven_pct=pct(amount, spend.where(spend > 0)))
    return cast(out, SHARE_COLUMNS)
