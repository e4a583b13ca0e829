"""The executive summary: one quarter at a glance, as numbers.

``summarize(dataset)`` computes every figure once (cost, market, value, support) for the
latest quarter with cost data and returns a frozen :class:`ExecutiveSummary`. Its words (the
plain-text report, the notes) are :mod:`valuelib.present.summary_text`'s.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from . import budget as budget_mod
from . import costing, market, portfolio
from . import support as support_mod
from .frames import (
    UNALLOCATED,
    empty_frame,
    latest_quarter,
    quarter_end,
    table,
)
from .model import Dataset, latest_complete_quarter

TREND_STEADY_POINTS = 1.0  # a change within ± 1 percentage point is "steady"

SERVICE_COLUMNS = [
    "service", "users", "total_cost", "cost_per_user_month", "comparable_cost_per_user_month",
    "status", "best_offer", "offer_price_per_user_month", "difference_per_user_month",
    "difference_per_year", "verdict", "value_score", "value_quarter", "quadrant", "suggestion",
]
PROACTIVE_COLUMNS = ["quarter", "basis", "proactive_share_pct", "proactive_hours",
                     "reactive_hours", "proactive_tickets", "reactive_tickets"]


@dataclass(frozen=True, eq=False)  # holds DataFrames: compared by identity
class ExecutiveSummary:
    """One quarter at a glance.

    - ``services``: one row per service (the Unallocated line last): SERVICE_COLUMNS, i.e.
      users, total cost, cost per user per month (total and comparable), status, the best
      applicable market offer with its price, the difference internal − offer per user per
      month and per year (positive: the offer is cheaper), verdict, value score (and the
      survey quarter it comes from) and cost-vs-value quadrant with its suggestion;
    - ``proactive``: the proactive share per quarter up to ``quarter`` (PROACTIVE_COLUMNS);
      ``proactive_trend`` compares the first and last quarter with a share: ``rising`` /
      ``falling`` / ``steady`` (within ± 1 point) / ``not enough data``;
    - ``blocks``: block_status as of the latest support date in or before ``quarter``;
    - ``service_desk``: the desk's figures for ``quarter`` (without cost data: the latest
      quarter with tickets), see :func:`_service_desk`; empty without support data;
    - ``unallocated_lines``: how many shared cost lines could not be allocated (their sum is
      ``unallocated_cost``);
    - ``budget``: IT's budget vs actual to date and the year-end forecast as of ``quarter``
      (:class:`valuelib.budget.BudgetSummary`), None without a Budget sheet;
      ``budget_services``: per service with a budget, the year-to-date variance and the end
      of year predicted (budget.compare by service), largest variance first.
    """

    organization: str
    currency: str
    quarter: str | None
    total_cost: float
    unallocated_cost: float
    services: pd.DataFrame = field(repr=False)
    proactive: pd.DataFrame = field(repr=False)
    proactive_trend: str = "not enough data"
    proactive_change_points: float = float("nan")
    blocks: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)
    as_of: pd.Timestamp | None = None
    unallocated_lines: int = 0
    service_desk: dict = field(default_factory=dict)
    budget: budget_mod.BudgetSummary | None = None
    budget_services: pd.DataFrame = field(repr=False, default_factory=pd.DataFrame)

    def to_dict(self) -> dict:
        """Everything as JSON-safe Python (NaN -> None, dates as ``YYYY-MM-DD``)."""
        return {
            "organization": self.organization,
            "currency": self.currency,
            "quarter": self.quarter,
            "total_cost": _num(self.total_cost),
            "unallocated_cost": _num(self.unallocated_cost),
            "services": _records(self.services),
            "proactive": _records(self.proactive),
            "proactive_trend": self.proactive_trend,
            "proactive_change_points": _num(self.proactive_change_points),
            "blocks": _records(self.blocks),
            "as_of": None if self.as_of is None or pd.isna(self.as_of)
            else pd.Timestamp(self.as_of).strftime("%Y-%m-%d"),
            "service_desk": {k: _num(v) if isinstance(v, float) else v
                             for k, v in self.service_desk.items()},
            "unallocated_lines": self.unallocated_lines,
            "budget": None if self.budget is None else {
                k: _num(v) if isinstance(v, float) else list(v) if isinstance(v, tuple) else v
                for k, v in asdict(self.budget).items()},
            "budget_services": _records(self.budget_services),
        }


def _num(x):
    return None if x is None or pd.isna(x) else float(x)


def _records(frame: pd.DataFrame) -> list[dict]:
    if frame is None or frame.empty:
        return []
    f = frame.copy()
    for c in f.columns:
        if pd.api.types.is_datetime64_any_dtype(f[c]):
            f[c] = f[c].dt.strftime("%Y-%m-%d")
    return json.loads(f.to_json(orient="records", double_precision=15))


def _services_frame(cpu: pd.DataFrame, best: pd.DataFrame, cvv: pd.DataFrame) -> pd.DataFrame:
    b = best.set_index("service")[
        ["offer", "price_per_user_month", "difference_per_user_month", "difference_per_year",
         "verdict"]].rename(
        columns={"offer": "best_offer", "price_per_user_month": "offer_price_per_user_month"})
    v = cvv.set_index("service")[["value_score", "value_quarter", "quadrant", "suggestion"]]
    out = cpu.reset_index(drop=True)
    out = out.assign(**b.reindex(out["service"]).reset_index(drop=True),
                     **v.reindex(out["service"]).reset_index(drop=True))
    last = out["service"].eq(UNALLOCATED).to_numpy(dtype=bool)
    out = out.assign(_last=last, _cost=-out["total_cost"].fillna(-np.inf))
    out = out.sort_values(["_last", "_cost", "service"], ignore_index=True)
    return out[SERVICE_COLUMNS]


def _trend(proactive: pd.DataFrame) -> tuple[str, float]:
    known = proactive["proactive_share_pct"].dropna()
    if len(known) < 2:
        return "not enough data", float("nan")
    change = float(known.iloc[-1] - known.iloc[0])
    if change > TREND_STEADY_POINTS:
        return "rising", change
    if change < -TREND_STEADY_POINTS:
        return "falling", change
    return "steady", change


def _service_desk(dataset: Dataset, quarter: str | None) -> dict:
    """The service desk in one quarter, keys named plainly: tickets (opened in it),
    tickets_per_user_per_month, backlog_at_quarter_end (still open at its end),
    reopened_tickets and reopen_rate_pct (None without reopen counts), median_hours_to_resolve
    (all tickets resolved in it) and median_hours_to_resolve_p1, p1_share_pct (of the tickets
    with a priority), priority_mismatches (recorded priority ≠ impact × urgency matrix),
    satisfaction_pct (mean 0-100, None without responses) and incomplete (far fewer tickets
    than the quarters before: likely a partial export)."""
    # one quarter's row is the same as in the every-quarter table (incomplete still compares
    # with the quarters before), at a fraction of the cost
    desk = support_mod.service_desk(dataset, quarter)
    if quarter is None:
        with_tickets = desk.loc[desk["tickets"] > 0, "quarter"]
        quarter = with_tickets.iloc[-1] if len(with_tickets) else None
    row = desk[desk["quarter"] == quarter]
    if quarter is None or row.empty:
        return {}
    r = row.iloc[0]
    p1 = support_mod.p1_share(dataset, quarter)
    prioritised = int(p1["prioritised"].sum())
    recorded = int(r["reopen_recorded"])
    return {
        "quarter": quarter,
        "tickets": int(r["tickets"]),
        "tickets_per_user_per_month": float(r["tickets_per_user_month"]),
        "backlog_at_quarter_end": int(r["backlog"]),
        "reopened_tickets": int(r["reopened"]) if recorded else None,
        "reopen_rate_pct": float(r["reopen_rate_pct"]),
        "median_hours_to_resolve": float(r["median_resolve_hours"]),
        "median_hours_to_resolve_p1": float(r["median_resolve_hours_p1"]),
        "p1_share_pct": float(p1["p1_tickets"].sum() / prioritised * 100) if prioritised
        else float("nan"),
        "priority_mismatches": int(support_mod.priority_mismatches(dataset, quarter)[
            "tickets"].sum()),
        "satisfaction_pct": float(r["satisfaction_pct"]),
        "incomplete": bool(r["incomplete"]),
    }


def _latest_before(dates: pd.Series, end: pd.Timestamp | None) -> pd.Timestamp | None:
    """The latest date before ``end`` (None: the latest), or None."""
    ticks = dates.to_numpy().astype("datetime64[us]", copy=False).view(np.int64)
    floor = np.iinfo(np.int64).min  # NaT
    if end is not None:
        ticks = np.where(ticks < np.datetime64(end, "us").view(np.int64), ticks, floor)
    latest = ticks.max() if len(ticks) else floor
    return None if latest == floor else pd.Timestamp(np.int64(latest).view("datetime64[us]"))


def summarize(dataset: Dataset, quarter: str | None = None) -> ExecutiveSummary:
    """The executive summary of ``quarter`` (default: the latest complete quarter, else the
    latest quarter with cost data)."""
    costs = table(dataset, "costs")
    if quarter is None:
        quarter = latest_complete_quarter(dataset) or latest_quarter(costs)
    settings = dataset.settings

    # support's quarter and class codes are derived once per table (support keeps them with
    # the column), so cost drivers, the share, the blocks and the desk all share them
    tickets = table(dataset, "support")

    def support_drivers():
        return costing._support_drivers(tickets, [quarter],
                                        support_mod.rows_in_quarter(tickets, quarter))

    # cost, market, value: all for the one quarter, each figure computed once
    if quarter is None:
        alloc = empty_frame(costing.ALLOCATION_COLUMNS)
    else:
        alloc = costing._allocations(dataset, quarter, support_drivers=support_drivers)
    users = costing.users_by_service(dataset, quarter)
    cpu = costing._cost_per_user(costing._total_cost(alloc), users)
    if quarter is None:
        cpu = cpu.iloc[0:0]
    comparison = market._compare(cpu, table(dataset, "market"), table(dataset, "services"),
                                 quarter, market.SAME_TOLERANCE_PCT)
    best = market._best(comparison)
    cvv = portfolio._cost_vs_value(cpu, portfolio.value_scores(dataset), carry_forward=True,
                                   offers=table(dataset, "market"))
    services = _services_frame(cpu, best, cvv)
    unallocated = alloc[alloc["method"] == "unallocated"]

    share = support_mod.proactive_share(dataset, "quarter")
    if quarter is not None:
        share = share[share["quarter"] <= quarter]
    proactive = share[PROACTIVE_COLUMNS].reset_index(drop=True)
    trend, change = _trend(proactive)
    as_of = _latest_before(tickets["opened"], quarter_end(quarter) if quarter else None)
    blocks = support_mod.block_status(dataset, as_of)

    currency = settings.currency
    return ExecutiveSummary(
        organization=settings.organization,
        currency=currency,
        quarter=quarter,
        total_cost=float(alloc["amount"].sum()),
        unallocated_cost=float(unallocated["amount"].sum()),
        services=services,
        proactive=proactive,
        proactive_trend=trend,
        proactive_change_points=change,
        blocks=blocks,
        as_of=as_of,
        unallocated_lines=len(unallocated),
        service_desk=_service_desk(dataset, quarter),
        **_budget(dataset, quarter),
    )


def _budget(dataset: Dataset, quarter: str | None) -> dict:
    """IT's budget at a glance and the services' variances, as of ``quarter``; nothing
    without a budget."""
    it = budget_mod.summary(dataset, quarter=quarter)
    if it is None:
        return {}
    services = budget_mod.compare(dataset, "service", quarter=quarter).year_table
    return {"budget": it, "budget_services": services.reset_index(drop=True)}
