"""Budget vs actual and the year-end forecast (issue 17).

- **Variance** = actual − budget (positive: over budget), and as a percent of the budget, per
  quarter, year to date and for the full fiscal year; for IT, per service, per cost pool and
  per business unit where the Budget sheet has them. Actual cost is costing's: a service's
  total cost (direct + allocated shares), a pool's cost (allocated amounts keep their line's
  pool), a unit's showback; IT's actual is the ledger (the Unallocated line included).
- **Year-end forecast** (end of year predicted) = actual to date + each remaining quarter's
  forecast rows (``kind`` forecast), or, for a quarter without one, the **run rate**: the mean
  of the last two quarters' actuals. Where the run rate is used the range is the lowest and
  highest of the last four quarters' actuals × the remaining quarters. ``basis`` says which.
- Fiscal years follow Settings' ``fiscal year start`` and are named for the calendar year in
  which they end (FY2026 starting July runs 2025-Q3 … 2026-Q2).

Versions: the Budget sheet may hold several (``Budget``, ``Reforecast Q2`` …). Variance is
measured against the version named ``Budget`` (the approved budget; without one, the first
version listed), and the forecast takes the last-listed version that has forecast rows;
callers pick others with ``version=`` / ``forecast_version=`` (docs/decisions.md).

Which rows make IT's budget: per quarter, the coarsest level the sheet gives — rows naming no
service, pool or unit (the whole of IT); else the rows naming a service; else those naming a
pool; else those naming a unit — so a breakdown listed beside a total never counts twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import pandas as pd

from . import costing
from .frames import latest_quarter, quarter_number, ratio, shift_quarter, table
from .kept import kept
from .model import Dataset, latest_complete_quarter
from .parse import fiscal_year_of, fiscal_year_quarters

DEFAULT_VERSION = "Budget"  # the approved budget: what "are we on budget?" is held against
ON_BUDGET_PCT = 2.0  # within ± this percent of the budget reads "on budget"
RUN_RATE_QUARTERS = 2  # the run rate: the mean of the last two quarters' actuals
RANGE_QUARTERS = 4  # its range: the lowest and highest of the last four quarters
BY = ("it", "service", "cost_pool", "business_unit")


class ForecastBasis(StrEnum):
    """How the year-end figure was reached."""

    ACTUAL = "actual"  # the year is over: the prediction is the actual
    FORECAST = "forecast rows"  # every remaining quarter from the Budget sheet's forecast rows
    RUN_RATE = "run rate"  # every remaining quarter at the run rate
    MIXED = "forecast rows and run rate"  # some quarters each way
    NO_DATA = "no actuals"  # no cost data to go on


class BudgetStatus(StrEnum):
    OVER = "over budget"
    ON = "on budget"
    UNDER = "under budget"
    NO_BUDGET = "no budget"
    NO_ACTUAL = "no actuals"


YEAR_COLUMNS = [
    "budget_ytd", "actual_ytd", "variance_ytd", "variance_ytd_pct", "status_ytd",
    "budget_full_year", "remaining_forecast", "end_of_year_predicted", "end_of_year_low",
    "end_of_year_high", "full_year_variance", "full_year_variance_pct", "status_full_year",
    "basis", "run_rate"]


def versions(dataset: Dataset) -> tuple[str, ...]:
    """The Budget sheet's versions in the order listed."""
    return tuple(dict.fromkeys(table(dataset, "budget")["version"].dropna().astype(str)))


def budget_versions(dataset: Dataset) -> tuple[str, ...]:
    """The versions that hold budget rows (a reforecast may hold forecast rows only)."""
    budget = table(dataset, "budget")
    return tuple(dict.fromkeys(budget.loc[budget["kind"] == "budget", "version"].dropna()
                               .astype(str)))


def default_version(dataset: Dataset) -> str | None:
    """The version variance is measured against: the one named "Budget" (any case), else the
    first version listed with budget rows; None without a budget."""
    budget = table(dataset, "budget")
    listed = versions(dataset)
    named = [v for v in listed if v.casefold() == DEFAULT_VERSION.casefold()]
    if named:
        return named[0]
    with_budget = budget.loc[budget["kind"] == "budget", "version"].dropna()
    return str(with_budget.iloc[0]) if len(with_budget) else None


def default_forecast_version(dataset: Dataset) -> str | None:
    """The version the year-end forecast takes its forecast rows from: the last listed that
    has any (a reforecast is written after the budget); None without forecast rows."""
    budget = table(dataset, "budget")
    with_forecast = budget.loc[budget["kind"] == "forecast", "version"].dropna()
    return str(with_forecast.iloc[-1]) if len(with_forecast) else None


def has_budget(dataset: Dataset) -> bool:
    """Whether the data holds budget or forecast rows."""
    return bool(table(dataset, "budget")["kind"].notna().any())


def year_label(fiscal_year: int, fiscal_start: int = 1) -> str:
    """``2026`` for a calendar year, ``FY2026`` when the fiscal year starts in another month."""
    return str(fiscal_year) if fiscal_start == 1 else f"FY{fiscal_year}"


def _as_of(dataset: Dataset, quarter: str | None) -> str | None:
    return quarter or latest_complete_quarter(dataset) or latest_quarter(table(dataset, "costs"))


# ---- budget rows and actuals, per key ----------------------------------------------------------

def _rows(dataset: Dataset, version: str | None, kind: str) -> pd.DataFrame:
    budget = table(dataset, "budget")
    return budget[(budget["kind"] == kind) & (budget["version"] == version)]


def _level(rows: pd.DataFrame) -> np.ndarray:
    """0 whole IT, 1 a service, 2 a pool (no service), 3 a unit (no service or pool)."""
    service = rows["service"].notna().to_numpy(dtype=bool)
    pool = rows["cost_pool"].notna().to_numpy(dtype=bool)
    unit = rows["business_unit"].notna().to_numpy(dtype=bool)
    return np.select([~service & ~pool & ~unit, service, pool], [0, 1, 2], 3)


def _it_amounts(rows: pd.DataFrame) -> pd.Series:
    """IT's amount per quarter: the rows of the coarsest level the quarter has."""
    if rows.empty:
        return pd.Series(dtype=float)
    frame = rows[["quarter", "amount"]].assign(level=_level(rows))
    coarsest = frame.groupby("quarter")["level"].transform("min")
    return frame[frame["level"] == coarsest].groupby("quarter")["amount"].sum()


def _key_amounts(rows: pd.DataFrame, by: str) -> pd.DataFrame:
    """Amounts per quarter and key (and the service a pool or unit row names, or NA)."""
    if by == "service":
        rows = rows[rows["service"].notna()]
        return rows.groupby(["quarter", "service"], as_index=False)["amount"].sum()
    rows = rows[rows[by].notna()]
    return rows.groupby(["quarter", by, "service"], as_index=False, dropna=False)[
        "amount"].sum()


@dataclass(frozen=True, eq=False)
class _Actuals:
    """Actual cost per quarter, computed once: IT, per service, per (service, pool) and per
    (service, unit); ``quarters`` are those with any cost data."""

    it: pd.Series
    service: pd.DataFrame
    pool: pd.DataFrame
    unit: pd.DataFrame
    quarters: tuple[str, ...]


def _actuals(dataset: Dataset, by: str) -> _Actuals:
    # every quarter's allocations, made once per dataset: IT's and the services' comparisons
    # (the summary, the overview, an answer) each need them
    allocations = kept(dataset, "budget.allocations", lambda: costing.allocations(dataset))
    totals = costing._total_cost(allocations)
    it = totals.groupby("quarter")["total_cost"].sum()
    pool = unit = None
    if by == "cost_pool":
        pool = costing._sum_parts(allocations, ["quarter", "service", "cost_pool"])[
            ["quarter", "service", "cost_pool", "total_cost"]]
    if by == "business_unit":
        unit = costing.showback(dataset).rename(columns={"cost": "total_cost"})[
            ["quarter", "service", "business_unit", "total_cost"]]
    return _Actuals(it, totals[["quarter", "service", "total_cost"]], pool, unit,
                    tuple(sorted(it.index)))


def _actual_for(keys: pd.DataFrame, by: str, actuals: _Actuals) -> np.ndarray:
    """The actual of each (quarter, key[, service]) row of ``keys``: a service's total cost; a
    pool's or unit's cost over the whole of IT, or within the service the row names. 0 where a
    quarter has cost data but not for that key; NaN where the quarter has none."""
    if by == "it":
        values = keys["quarter"].map(actuals.it).to_numpy(dtype=float)
    elif by == "service":
        values = keys.merge(actuals.service, on=["quarter", "service"], how="left")[
            "total_cost"].to_numpy(dtype=float)
    else:
        detail = actuals.pool if by == "cost_pool" else actuals.unit
        whole = detail.groupby(["quarter", by], as_index=False)["total_cost"].sum()
        within = detail.groupby(["quarter", by, "service"], as_index=False)["total_cost"].sum()
        named = keys["service"].notna().to_numpy(dtype=bool)
        a = keys.merge(whole, on=["quarter", by], how="left")["total_cost"].to_numpy(float)
        b = keys.merge(within, on=["quarter", by, "service"], how="left")[
            "total_cost"].to_numpy(float)
        values = np.where(named, b, a)
    has_data = keys["quarter"].isin(actuals.quarters).to_numpy(dtype=bool)
    return np.where(has_data, np.nan_to_num(values, nan=0.0), np.nan)


def _grid(budget: pd.DataFrame, forecast: pd.DataFrame, by: str, quarters: tuple[str, ...],
          actuals: _Actuals) -> pd.DataFrame:
    """Every key the budget names × every quarter of ``quarters`` (plus the run-rate history):
    quarter, [key, service], budget (0 where the key has none that quarter), forecast (NaN
    where none), actual."""
    if by == "it":
        keys = pd.DataFrame({"quarter": list(quarters)})
        keys["budget"] = keys["quarter"].map(_it_amounts(budget)).fillna(0.0).to_numpy(float)
        keys["forecast"] = keys["quarter"].map(_it_amounts(forecast)).to_numpy(float)
    else:
        cols = ["service"] if by == "service" else [by, "service"]
        b = _key_amounts(budget, by)
        f = _key_amounts(forecast, by)
        names = b[cols].drop_duplicates()
        keys = names.merge(pd.DataFrame({"quarter": list(quarters)}), how="cross")
        keys = keys.merge(b.rename(columns={"amount": "budget"}), on=["quarter", *cols],
                          how="left")
        keys = keys.merge(f.rename(columns={"amount": "forecast"}), on=["quarter", *cols],
                          how="left")
        keys["budget"] = keys["budget"].fillna(0.0)
    keys["actual"] = _actual_for(keys, by, actuals)
    return keys


def _status(variance: np.ndarray, budget: np.ndarray, actual: np.ndarray) -> np.ndarray:
    pct = ratio(variance, np.abs(budget)) * 100
    return np.select(
        [~(budget != 0), np.isnan(actual), pct > ON_BUDGET_PCT, pct < -ON_BUDGET_PCT],
        [BudgetStatus.NO_BUDGET, BudgetStatus.NO_ACTUAL, BudgetStatus.OVER, BudgetStatus.UNDER],
        BudgetStatus.ON).astype(object)


# ---- the year-end forecast ---------------------------------------------------------------------

@dataclass(frozen=True)
class YearEnd:
    """Where one key (IT, a service …) ends the fiscal year: actual to date + the remaining
    quarters (forecast rows, or the run rate), with the run rate's range."""

    actual_to_date: float
    remaining_forecast: float
    predicted: float
    low: float
    high: float
    basis: ForecastBasis
    run_rate: float  # mean of the last two quarters' actuals (NaN without two)


def _year_end(history: pd.Series, forecast: pd.Series, to_date: tuple[str, ...],
              remaining: tuple[str, ...]) -> YearEnd:
    """``history``: actual per quarter (all quarters with data, up to the as-of quarter);
    ``forecast``: forecast rows per remaining quarter (NaN: none)."""
    done = history.reindex(list(to_date))
    actual = float(done.sum(min_count=1))
    known = history.dropna().sort_index()
    recent = known.iloc[-RUN_RATE_QUARTERS:]
    run_rate = float(recent.mean()) if len(recent) else np.nan
    window = known.iloc[-RANGE_QUARTERS:]
    if not remaining:
        basis = ForecastBasis.ACTUAL if done.notna().any() else ForecastBasis.NO_DATA
        return YearEnd(actual, 0.0, actual, actual, actual, basis, run_rate)
    rows = forecast.reindex(list(remaining))
    by_rate = int(rows.isna().sum())
    from_rows = float(rows.sum())
    lowest = float(window.min()) if len(window) else np.nan
    highest = float(window.max()) if len(window) else np.nan
    base = 0.0 if np.isnan(actual) else actual
    if by_rate and np.isnan(run_rate):
        return YearEnd(actual, np.nan, np.nan, np.nan, np.nan, ForecastBasis.NO_DATA, run_rate)
    rest = from_rows + by_rate * (run_rate if by_rate else 0.0)
    basis = (ForecastBasis.FORECAST if not by_rate else ForecastBasis.RUN_RATE
             if by_rate == len(remaining) else ForecastBasis.MIXED)
    low = base + from_rows + by_rate * (lowest if by_rate else 0.0)
    high = base + from_rows + by_rate * (highest if by_rate else 0.0)
    return YearEnd(actual, rest, base + rest, low, high, basis, run_rate)


# ---- the comparison ----------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class BudgetComparison:
    """Budget vs actual for one fiscal year, as of one quarter, by one key.

    - ``quarters``: per quarter of the year (× key): quarter, [key, service], budget,
      forecast, actual, variance (actual − budget; NaN before actuals), variance_pct (of the
      budget), status;
    - ``year``: per key (one row for IT): [key, service,] YEAR_COLUMNS — year to date (the
      year's quarters up to ``quarter``), the full-year budget, the end of year predicted with
      its range and basis, and the full-year variance (predicted − budget).
    ``service`` beside a pool or unit is the service the rows name (NA: across IT)."""

    by: str
    version: str | None
    forecast_version: str | None
    versions: tuple[str, ...]
    fiscal_year: int
    year: str  # as shown: "2026" or "FY2026"
    quarter: str | None  # as of: the latest quarter with actuals counted
    year_quarters: tuple[str, ...]
    to_date: tuple[str, ...]
    remaining: tuple[str, ...]
    quarters: pd.DataFrame = field(repr=False)
    year_table: pd.DataFrame = field(repr=False)
    currency: str = "USD"


def compare(dataset: Dataset, by: str = "it", *, version: str | None = None,
            forecast_version: str | None = None, quarter: str | None = None
            ) -> BudgetComparison:
    """Budget vs actual and the year-end forecast for the fiscal year holding ``quarter``
    (default: the latest complete quarter with cost data), ``by`` one of BY."""
    if by not in BY:
        raise ValueError(f"by must be one of {', '.join(BY)}, not {by!r}")
    start = dataset.settings.fiscal_year_start
    version = version if version is not None else default_version(dataset)
    forecast_version = (forecast_version if forecast_version is not None
                        else default_forecast_version(dataset))
    as_of = _as_of(dataset, quarter)
    if as_of is None:  # no cost data: the budget's first year, nothing to date
        listed = sorted(table(dataset, "budget")["quarter"].dropna())
        as_of_year = fiscal_year_of(listed[0], start) if listed else None
    else:
        as_of_year = fiscal_year_of(as_of, start)
    if as_of_year is None:
        return _empty(by, version, forecast_version, versions(dataset), dataset)
    year_quarters = fiscal_year_quarters(as_of_year, start)
    to_date = tuple(q for q in year_quarters if as_of is not None and q <= as_of)
    remaining = tuple(q for q in year_quarters if q not in to_date)
    history_start = min(year_quarters[0], shift_quarter(year_quarters[0], -RANGE_QUARTERS))
    span = tuple(shift_quarter(history_start, k) for k in range(
        quarter_number(year_quarters[-1]) - quarter_number(history_start) + 1))
    actuals = _actuals(dataset, by)
    grid = _grid(_rows(dataset, version, "budget"), _rows(dataset, forecast_version, "forecast"),
                 by, span, actuals)
    keys = [] if by == "it" else (["service"] if by == "service" else [by, "service"])
    in_year = grid[grid["quarter"].isin(year_quarters)].reset_index(drop=True)
    actual = in_year["actual"].where(in_year["quarter"].isin(to_date))
    variance = (actual - in_year["budget"]).to_numpy(float)
    per_quarter = in_year.assign(
        actual=actual, variance=variance,
        variance_pct=ratio(variance, in_year["budget"].abs().to_numpy(float)) * 100,
        status=_status(variance, in_year["budget"].to_numpy(float), actual.to_numpy(float)))
    per_quarter = per_quarter[["quarter", *keys, "budget", "forecast", "actual", "variance",
                               "variance_pct", "status"]].sort_values(
        [*keys, "quarter"], ignore_index=True)
    year_rows = []
    groups = [((), grid)] if not keys else grid.groupby(keys, dropna=False, sort=False)
    for key, rows in groups:
        series = rows.set_index("quarter")
        history = series["actual"][[q for q in series.index if as_of and q <= as_of]]
        end = _year_end(history, series["forecast"], to_date, remaining)
        budget_ytd = float(series["budget"].reindex(list(to_date)).sum())
        budget_year = float(series["budget"].reindex(list(year_quarters)).sum())
        year_rows.append({
            **dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)),
            "budget_ytd": budget_ytd, "actual_ytd": end.actual_to_date,
            "budget_full_year": budget_year, "remaining_forecast": end.remaining_forecast,
            "end_of_year_predicted": end.predicted, "end_of_year_low": end.low,
            "end_of_year_high": end.high, "basis": str(end.basis), "run_rate": end.run_rate})
    year = pd.DataFrame(year_rows, columns=[*keys, *YEAR_COLUMNS])
    if len(year):
        budget_ytd = year["budget_ytd"].to_numpy(float)
        actual_ytd = year["actual_ytd"].to_numpy(float)
        budget_year = year["budget_full_year"].to_numpy(float)
        predicted = year["end_of_year_predicted"].to_numpy(float)
        year = year.assign(
            variance_ytd=actual_ytd - budget_ytd,
            variance_ytd_pct=ratio(actual_ytd - budget_ytd, np.abs(budget_ytd)) * 100,
            status_ytd=_status(actual_ytd - budget_ytd, budget_ytd, actual_ytd),
            full_year_variance=predicted - budget_year,
            full_year_variance_pct=ratio(predicted - budget_year, np.abs(budget_year)) * 100,
            status_full_year=_status(predicted - budget_year, budget_year, predicted),
        )[[*keys, *YEAR_COLUMNS]]
        if keys:
            year = year.assign(_abs=-year["variance_ytd"].abs().fillna(-1)).sort_values(
                ["_abs", *keys], ignore_index=True).drop(columns="_abs")
    return BudgetComparison(
        by=by, version=version, forecast_version=forecast_version, versions=versions(dataset),
        fiscal_year=as_of_year, year=year_label(as_of_year, start), quarter=as_of,
        year_quarters=year_quarters, to_date=to_date, remaining=remaining,
        quarters=per_quarter, year_table=year, currency=dataset.settings.currency)


def _empty(by, version, forecast_version, listed, dataset) -> BudgetComparison:
    keys = [] if by == "it" else (["service"] if by == "service" else [by, "service"])
    return BudgetComparison(
        by=by, version=version, forecast_version=forecast_version, versions=listed,
        fiscal_year=0, year="", quarter=None, year_quarters=(), to_date=(), remaining=(),
        quarters=pd.DataFrame(columns=["quarter", *keys, "budget", "forecast", "actual",
                                       "variance", "variance_pct", "status"]),
        year_table=pd.DataFrame(columns=[*keys, *YEAR_COLUMNS]),
        currency=dataset.settings.currency)


# ---- IT at a glance, and the largest variances explained ---------------------------------------

@dataclass(frozen=True)
class BudgetSummary:
    """IT's budget at a glance: year to date and the end of the year (figures from
    :func:`compare` by ``it``). NaN where a figure cannot be worked out."""

    version: str | None
    forecast_version: str | None
    versions: tuple[str, ...]
    year: str
    quarter: str | None
    to_date: tuple[str, ...]
    remaining: tuple[str, ...]
    budget_ytd: float
    actual_ytd: float
    variance_ytd: float
    variance_ytd_pct: float
    status_ytd: str
    budget_full_year: float
    remaining_forecast: float  # the remaining quarters' part of the prediction
    end_of_year_predicted: float
    end_of_year_low: float
    end_of_year_high: float
    full_year_variance: float
    full_year_variance_pct: float
    status_full_year: str
    basis: str
    run_rate: float


def summary(dataset: Dataset, *, version: str | None = None,
            forecast_version: str | None = None, quarter: str | None = None
            ) -> BudgetSummary | None:
    """IT's budget vs actual and year-end forecast; None when the data holds no budget."""
    if not has_budget(dataset):
        return None
    c = compare(dataset, "it", version=version, forecast_version=forecast_version,
                quarter=quarter)
    if c.year_table.empty:
        return None
    row = c.year_table.iloc[0]
    return BudgetSummary(
        version=c.version, forecast_version=c.forecast_version, versions=c.versions,
        year=c.year, quarter=c.quarter, to_date=c.to_date, remaining=c.remaining,
        **{k: (str(row[k]) if k in ("status_ytd", "status_full_year", "basis")
               else float(row[k]))
           for k in YEAR_COLUMNS})


@dataclass(frozen=True, eq=False)
class VarianceExplanation:
    """Why a service is off its budget: its year-to-date figures, the quarter furthest off,
    and that quarter's cost lines (costing.explain_cost)."""

    service: str
    budget_ytd: float
    actual_ytd: float
    variance_ytd: float
    variance_ytd_pct: float
    quarter: str
    quarter_budget: float
    quarter_actual: float
    quarter_variance: float
    cost: costing.CostExplanation


def largest_variances(dataset: Dataset, n: int = 3, *, version: str | None = None,
                      quarter: str | None = None) -> tuple[VarianceExplanation, ...]:
    """The ``n`` services furthest from their budget this year to date (by the size of the
    variance, over or under), each explained down to the cost lines of its quarter furthest
    off."""
    c = compare(dataset, "service", version=version, quarter=quarter)
    year = c.year_table.dropna(subset=["variance_ytd"])
    found = (_explained(dataset, c, row) for _, row in year.head(n).iterrows())
    return tuple(e for e in found if e is not None)


def explain_variance(dataset: Dataset, service: str, *, version: str | None = None,
                     quarter: str | None = None) -> VarianceExplanation | None:
    """Why ``service`` is off its budget this year to date (None: no budget or actuals)."""
    c = compare(dataset, "service", version=version, quarter=quarter)
    rows = c.year_table[(c.year_table["service"] == service)
                        & c.year_table["variance_ytd"].notna()]
    return _explained(dataset, c, rows.iloc[0]) if len(rows) else None


def _explained(dataset: Dataset, c: BudgetComparison, row) -> VarianceExplanation | None:
    rows = c.quarters[(c.quarters["service"] == row["service"]) & c.quarters["variance"].notna()]
    if rows.empty:
        return None
    worst = rows.loc[rows["variance"].abs().idxmax()]
    return VarianceExplanation(
        service=row["service"], budget_ytd=float(row["budget_ytd"]),
        actual_ytd=float(row["actual_ytd"]), variance_ytd=float(row["variance_ytd"]),
        variance_ytd_pct=float(row["variance_ytd_pct"]), quarter=worst["quarter"],
        quarter_budget=float(worst["budget"]), quarter_actual=float(worst["actual"]),
        quarter_variance=float(worst["variance"]),
        cost=costing.explain_cost(dataset, row["service"], worst["quarter"]))
