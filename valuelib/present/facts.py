"""The facts behind the views: one dataset, quarter and business unit gathered once
(:class:`Facts`), the shared :class:`Headline` model, the selectors' options and the small
helpers that pick rows out of the analytics frames."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd

from .. import budget, chargeback, costing, perception, portfolio, summary, support
from ..frames import MONTHS_PER_QUARTER, quarter_end, ratio, shift_quarter, table
from ..model import Dataset, latest_complete_quarter
from ..parse import quarter_label
from .formatting import MINUS, fmt_money, is_missing
from .measures import fmt_measure

DeltaColor = Literal["normal", "inverse", "off"]
NO_COST_DATA = "no cost data"
NO_SUPPORT_DATA = "no support data"
NO_DATA = "no data"
THIS_DATA = "this data"


# ---- the shared view model ------------------------------------------------------------------

@dataclass(frozen=True)
class Headline:
    """One headline figure, shaped for ``st.metric``.

    ``delta``: the change since the previous quarter, formatted (or a short fact such as a
    run-out date, with ``delta_arrow="off"``); ``delta_color``: ``normal`` (a rise is good),
    ``inverse`` (a rise is bad, e.g. cost) or ``off``; ``sentence``: what the figure means and
    how it was worked out, in plain words."""

    label: str
    value: str
    delta: str | None = None
    delta_color: DeltaColor = "off"
    sentence: str = ""
    delta_arrow: Literal["auto", "off"] = "auto"

    def __post_init__(self):
        # st.metric reads a fall from a leading ASCII "-" only; the typographic minus that
        # formatting writes would be drawn as a rise.
        if self.delta and self.delta.startswith(MINUS):
            object.__setattr__(self, "delta", "-" + self.delta[1:])

    @property
    def delta_text(self) -> str:
        """The change as the rest of the text writes it (the typographic minus), "" if none."""
        if not self.delta:
            return ""
        return MINUS + self.delta[1:] if self.delta.startswith("-") else self.delta


# ---- selectors -------------------------------------------------------------------------------

def quarter_options(dataset: Dataset) -> dict[str, str]:
    """Every quarter with data, oldest first (as ``Dataset.quarters``) -> how it is shown
    (the fiscal label when the organisation's year does not start in January)."""
    start = dataset.settings.fiscal_year_start
    return {q: quarter_label(q, start) for q in dataset.quarters}


def business_unit_options(dataset: Dataset) -> tuple[str, ...]:
    """Every business unit named in Usage, Support or Subscriptions, alphabetically."""
    names: set[str] = set()
    for key in ("usage", "support", "subscriptions"):
        names.update(table(dataset, key)["business_unit"].dropna().unique())
    return tuple(sorted(names, key=str.casefold))


def service_options(dataset: Dataset) -> tuple[str, ...]:
    """Every service in the catalogue, the costs or the usage, alphabetically."""
    names: set[str] = set()
    for key in ("services", "costs", "usage"):
        names.update(table(dataset, key)["service"].dropna().unique())
    names.discard("Shared")
    return tuple(sorted(names, key=str.casefold))


def resolve_quarter(dataset: Dataset, quarter: str | None = None) -> str | None:
    """``quarter`` itself, or the latest COMPLETE quarter (costs, usage and, when any quarter
    has support, support: ``model.latest_complete_quarter``), or else the latest quarter with
    cost data, or the latest with any. A quarter still being filled in is never the default:
    executives would see costs without users."""
    if quarter:
        return quarter
    complete = latest_complete_quarter(dataset)
    if complete:
        return complete
    costs = table(dataset, "costs")["quarter"].dropna()
    if len(costs):
        return str(costs.max())
    quarters = dataset.quarters
    return quarters[-1] if quarters else None


# ---- the facts behind the views --------------------------------------------------------------

def only_unit(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    return frame[frame["business_unit"].eq(unit).to_numpy(dtype=bool, na_value=False)]


def first_row(frame: pd.DataFrame, column: str, value) -> pd.Series | None:
    """The first row where ``column`` equals ``value``, or None."""
    if value is None or frame.empty:
        return None
    hit = frame[frame[column].eq(value).to_numpy(dtype=bool, na_value=False)]
    return None if hit.empty else hit.iloc[0]


def change_pct(now, before) -> float:
    """Relative change in percent (NaN without an earlier figure)."""
    if is_missing(now) or is_missing(before):
        return np.nan
    return float(ratio(float(now) - float(before), abs(float(before))) * 100)


# portfolio.cost_vs_value's columns, with the bubble sizes added
COST_VALUE_COLUMNS = ["quarter", "service", "value_score", "value_quarter", "value_source",
                      "cost_per_user_month", "value_median", "cost_median", "high_value",
                      "high_cost", "quadrant", "suggestion", "status", "users", "total_cost"]


class Facts:
    """The analytics frames behind the views for one dataset, quarter and business unit, each
    computed at most once, so a view and the story built from it share them."""

    def __init__(self, dataset: Dataset, quarter: str | None, business_unit: str | None):
        self.dataset = dataset
        self.settings = dataset.settings
        self.currency = dataset.settings.currency
        self.quarter = resolve_quarter(dataset, quarter)
        self.unit = business_unit or None
        self.previous = shift_quarter(self.quarter, -1) if self.quarter else None
        self._memo: dict[tuple, object] = {}

    def once(self, key: tuple, compute):
        """``compute()`` the first time ``key`` is asked for; the same result after (also for
        what is built on these facts elsewhere, e.g. the briefing)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # -- naming
    def label(self, quarter: str | None) -> str:
        """A quarter as people read it; without one (no data at all), words that still make
        the sentence read: "No tickets in this data"."""
        return quarter_label(quarter, self.settings.fiscal_year_start) if quarter else THIS_DATA

    @property
    def quarter_label(self) -> str:
        return self.label(self.quarter)

    @property
    def shown_quarter(self) -> str:
        """The quarter for a view's ``quarter_label`` field."""
        return self.quarter_label if self.quarter else NO_DATA

    def total(self, x) -> str:
        """A money total as every surface writes it (whole units)."""
        return fmt_measure("total_cost", x, self.currency)

    def per_user(self, x, *, trim: bool = False) -> str:
        """A per-user price or cost as every surface writes it (with cents); ``trim`` drops
        zero cents when the figure names an offer in prose ("the $15 offer")."""
        return fmt_money(x, self.currency, 2, trim=trim) if trim else fmt_measure(
            "cost_per_user_month", x, self.currency)

    @property
    def who(self) -> str:
        """Whose figures these are, for sentences."""
        return self.unit or self.settings.organization

    # -- scope
    @cached_property
    def unit_dataset(self) -> Dataset:
        """The unit's support and usage rows only, for support figures and the unit's
        headcount. Never used for cost: shared cost allocated by one unit's tickets would
        change every service's cost."""
        if self.unit is None:
            return self.dataset
        return self.dataset.with_tables(
            support=only_unit(table(self.dataset, "support"), self.unit),
            usage=only_unit(table(self.dataset, "usage"), self.unit))

    @cached_property
    def has_any_cost_data(self) -> bool:
        return bool(len(table(self.dataset, "costs")) or len(table(self.dataset, "usage")))

    @cached_property
    def has_cost_data(self) -> bool:
        """Cost or usage rows in the quarter: the cost analytics need at least one of them."""
        if self.quarter is None:
            return False
        return any(table(self.dataset, key)["quarter"].eq(self.quarter).any()
                   for key in ("costs", "usage"))

    # -- cost
    @cached_property
    def executive_summary(self) -> summary.ExecutiveSummary | None:
        return summary.summarize(self.dataset, self.quarter) if self.has_cost_data else None

    @cached_property
    def showback_all(self) -> pd.DataFrame:
        """costing.showback for every quarter (quarter, service, business_unit, users,
        share_pct, cost, basis)."""
        if not self.has_any_cost_data:
            return pd.DataFrame(columns=["quarter", "service", "business_unit", "users",
                                         "share_pct", "cost", "basis"])
        return costing.showback(self.dataset)

    @cached_property
    def services(self) -> pd.DataFrame:
        """summary's services of the quarter (summary.SERVICE_COLUMNS), largest cost first;
        for a unit, users and total_cost are its showback and the per-year market difference
        (which is for all users) is blank."""
        if self.executive_summary is None:
            return pd.DataFrame(columns=summary.SERVICE_COLUMNS)
        services = self.executive_summary.services
        if self.unit is None:
            return services
        shown = self.showback_all
        mine = shown[shown["quarter"].eq(self.quarter).to_numpy(dtype=bool, na_value=False)]
        mine = only_unit(mine, self.unit)[["service", "users", "cost"]]
        out = services.drop(columns=["users", "total_cost"]).merge(
            mine.rename(columns={"cost": "total_cost"}), on="service", how="inner")
        out = out.assign(difference_per_year=np.nan)
        return out.sort_values("total_cost", ascending=False, ignore_index=True)[
            summary.SERVICE_COLUMNS]

    @cached_property
    def cost_by_quarter(self) -> pd.DataFrame:
        """Per quarter: total_cost (the organisation's ledger, or the unit's showback), people
        (headcount: the largest user count of any service) and cost_per_person_month =
        total_cost ÷ people ÷ 3."""
        if not self.has_any_cost_data:
            return pd.DataFrame(columns=["quarter", "total_cost", "people",
                                         "cost_per_person_month"])
        if self.unit is None:
            totals = costing.total_cost(self.dataset).groupby("quarter", as_index=False)[
                "total_cost"].sum()
        else:
            totals = only_unit(self.showback_all, self.unit).groupby(
                "quarter", as_index=False)["cost"].sum().rename(columns={"cost": "total_cost"})
        people = support.headcount(self.unit_dataset).rename(columns={"users": "people"})
        out = totals.merge(people, on="quarter", how="left")
        return out.assign(cost_per_person_month=ratio(
            out["total_cost"], out["people"] * MONTHS_PER_QUARTER))

    @cached_property
    def cost_value(self) -> pd.DataFrame:
        """portfolio.cost_vs_value of the quarter with users and total_cost (the unit's, for a
        unit, whose unused services drop out), and the suggestion that follows the market
        (the summary's: portfolio.suggestion)."""
        if not self.has_cost_data:
            return pd.DataFrame(columns=COST_VALUE_COLUMNS)
        placed = portfolio.cost_vs_value(self.dataset, self.quarter).drop(columns="suggestion")
        sizes = self.services[["service", "users", "total_cost", "suggestion"]]
        how = "left" if self.unit is None else "inner"
        return placed.merge(sizes, on="service", how=how)[COST_VALUE_COLUMNS]

    # -- support
    def proactive(self, by: str = "quarter") -> pd.DataFrame:
        """support.proactive_share of the unit's tickets, up to the end of the quarter."""
        return self.once(("proactive", by), lambda: _up_to(
            support.proactive_share(self.unit_dataset, by=by), by, self.quarter))

    @property
    def proactive_now(self) -> pd.Series | None:
        """The quarter's proactive share row, when it has one."""
        now = first_row(self.proactive("quarter"), "quarter", self.quarter)
        return None if now is None or is_missing(now.proactive_share_pct) else now

    @property
    def proactive_change_points(self) -> float:
        """The proactive share's change since the previous quarter, in percentage points."""
        share = self.proactive("quarter")
        now, before = self.proactive_now, first_row(share, "quarter", self.previous)
        if now is None or before is None or is_missing(before.proactive_share_pct):
            return np.nan
        return float(now.proactive_share_pct - before.proactive_share_pct)

    def work_mix(self, by: str = "quarter") -> pd.DataFrame:
        return self.once(("work_mix", by), lambda: _up_to(
            support.work_mix(self.unit_dataset, by=by), by, self.quarter))

    def explanation(self, service: str) -> costing.CostExplanation:
        """costing.explain_cost of the service in the quarter."""
        return self.once(("explain", service),
                          lambda: costing.explain_cost(self.dataset, service, self.quarter))

    @cached_property
    def desk(self) -> pd.DataFrame:
        """support.service_desk of the unit's tickets, every quarter up to this one."""
        if not len(table(self.unit_dataset, "support")):
            return pd.DataFrame(columns=["quarter"])
        return _up_to(support.service_desk(self.unit_dataset), "quarter", self.quarter)

    @cached_property
    def incomplete(self) -> str:
        """' (incomplete quarter: …)' when this quarter has far fewer tickets than the ones
        before (support.service_desk's ``incomplete``), else ''."""
        row = first_row(self.desk, "quarter", self.quarter) if self.quarter else None
        if row is None or not row.incomplete:
            return ""
        return (f" ({self.quarter_label} looks incomplete: under 10% of the tickets of the "
                "quarters before)")

    @cached_property
    def as_of(self) -> pd.Timestamp | None:
        """The latest support date up to the end of the quarter: blocks are measured then."""
        opened = table(self.dataset, "support")["opened"].dropna()
        if self.quarter is not None:
            opened = opened[opened < quarter_end(self.quarter)]
        return None if opened.empty else pd.Timestamp(opened.max())

    @cached_property
    def blocks(self) -> pd.DataFrame:
        """support.block_status of every block (whole, all units) as of :attr:`as_of`."""
        return support.block_status(self.dataset, self.as_of)

    @cached_property
    def unit_block_hours(self) -> dict[str, float]:
        """Hours each block spent on the unit's tickets (empty without a unit)."""
        if self.unit is None or self.blocks.empty:
            return {}
        mine = support.block_status(self.unit_dataset, self.as_of)
        return dict(zip(mine["block"], mine["used_hours"], strict=True))

    @cached_property
    def current_block(self) -> pd.Series | None:
        """The block running at :attr:`as_of` (the latest started if several), else the latest
        that ended before it; None without a block started by then."""
        b = self.blocks[self.blocks["purchased_hours"].notna()]
        when = self.as_of if self.as_of is not None else pd.Timestamp.max
        started = b[b["start"].isna() | (b["start"] <= when)]
        if started.empty:
            return None
        running = started[started["end"].isna() | (started["end"] + pd.Timedelta(days=1) > when)]
        pick = running if len(running) else started
        return pick.sort_values("start", na_position="first").iloc[-1]

    @cached_property
    def block_histories(self) -> dict[str, pd.DataFrame]:
        """Per block with purchased hours: its block_status rows at its start, each month end
        while it runs and :attr:`as_of` (the chart's hours-left line). The analytics give a
        block's status at one date, so it is taken at each of these dates."""
        blocks = self.blocks[self.blocks["purchased_hours"].notna()]
        if blocks.empty or self.as_of is None:
            return {}
        first = table(self.dataset, "support")["opened"].min()
        spans = {}
        for b in blocks.itertuples(index=False):  # a handful of blocks
            start = b.start if pd.notna(b.start) else first
            stop = min(b.end, self.as_of) if pd.notna(b.end) else self.as_of
            if pd.notna(start) and start <= stop:
                spans[b.block] = (pd.Timestamp(start), pd.Timestamp(stop))
        dates = set()
        if not spans:
            return {}
        for start, stop in spans.values():
            month_ends = pd.date_range(start, stop, freq="ME")
            dates.update([start, stop, *month_ends[month_ends < stop.normalize()]])
        snapshots = [self.blocks if d == self.as_of else support.block_status(self.dataset, d)
                     for d in sorted(dates)]
        every = pd.concat(snapshots, ignore_index=True)
        out = {}
        for name, (start, stop) in spans.items():
            rows = every[(every["block"] == name) & every["as_of"].between(start, stop)]
            out[name] = rows.drop_duplicates("as_of").sort_values("as_of", ignore_index=True)
        return out

    # ---- chargeback (issue 16)
    @cached_property
    def has_tiers(self) -> bool:
        """Whether the data holds an Offerings sheet with tiers (else nothing is charged)."""
        return bool(table(self.dataset, "offerings")["tier"].notna().any())

    @cached_property
    def charges_all(self) -> pd.DataFrame:
        """chargeback.charges of every quarter (quarter, business_unit, service, tier, users,
        price_per_user_month, charge, basis)."""
        return chargeback.charges(self.dataset)

    def statement(self, business_unit: str | None = None) -> chargeback.Statement:
        """The Bill of IT of ``business_unit`` (default: the page's unit) for the quarter."""
        unit = business_unit or self.unit or ""
        return self.once(("statement", unit), lambda: chargeback.statement(
            self.dataset, unit, self.quarter))

    @cached_property
    def recovery(self) -> pd.DataFrame:
        """chargeback.recovery of the quarter: one row per service."""
        if self.quarter is None:
            return pd.DataFrame(columns=list(chargeback.RECOVERY_COLUMNS))
        return chargeback.recovery(self.dataset, self.quarter)

    @cached_property
    def line_driven(self) -> pd.DataFrame:
        """chargeback.line_driven_share of every quarter up to this one."""
        return _up_to(chargeback.line_driven_share(self.dataset), "quarter", self.quarter)

    # ---- the budget (issue 17): IT's, as of this quarter
    @cached_property
    def budget_summary(self) -> budget.BudgetSummary | None:
        """budget.summary as of the quarter (None without a quarter or a budget)."""
        return budget.summary(self.dataset, quarter=self.quarter) if self.quarter else None

    @cached_property
    def budget_services(self) -> pd.DataFrame:
        """budget.compare by service as of the quarter: its year table, one row a service."""
        return budget.compare(self.dataset, "service", quarter=self.quarter).year_table

    # -- value perception and needs (issue 16)
    @cached_property
    def contact_satisfaction(self) -> pd.DataFrame:
        """perception.contact_satisfaction of the unit's tickets, every quarter up to this
        one."""
        return _up_to(perception.contact_satisfaction(self.unit_dataset), "quarter",
                      self.quarter)

    @cached_property
    def falling(self) -> pd.DataFrame:
        """perception.falling_perception of the unit's tickets in the quarter."""
        return perception.falling_perception(self.unit_dataset, self.quarter)

    @cached_property
    def needs_quarter(self) -> str | None:
        """The quarter whose needs are shown: this one, or the latest before it with needs
        (a survey is not taken every quarter)."""
        return perception.latest_needs_quarter(self.dataset, self.quarter)

    @cached_property
    def needs(self) -> pd.DataFrame:
        """perception.ranked_needs of :attr:`needs_quarter` (the unit's only, for a unit)."""
        if self.needs_quarter is None:
            return pd.DataFrame(columns=perception.NEEDS_COLUMNS)
        return perception.ranked_needs(self.dataset, self.needs_quarter, self.unit)


def _up_to(frame: pd.DataFrame, by: str, quarter: str | None) -> pd.DataFrame:
    """Rows of periods up to the end of ``quarter`` (a month ``2026-08`` or a quarter)."""
    if quarter is None or frame.empty:
        return frame
    if by == "quarter":
        last = quarter
    else:
        last = f"{quarter[:4]}-{int(quarter[-1]) * 3:02d}"
    return frame[(frame[by] <= last).to_numpy(dtype=bool, na_value=False)].reset_index(
        drop=True)
