"""View models: everything a page or the deck shows, computed and worded, in one call each.

Pages hold no arithmetic. A page calls ONE function here and renders the frozen dataclass it
returns: headlines (a formatted value, its change, a sentence saying what it means), plain
sentences, plotly figures from :mod:`valuelib.charts`, and display tables (formatted text,
human column names). The deck reuses the same pieces through :func:`story`.

Every view takes ``(dataset, quarter=None, business_unit=None, ...)``:

- ``quarter`` None -> the latest quarter with cost data; a dataset without costs (a ServiceNow
  export on its own) -> the latest quarter with any data.
- ``business_unit`` set -> **cost** figures are the unit's showback: its share of each
  service's cost is proportional to its users of the service, so cost per user per month
  stays the service's own while total cost and users become the unit's; services it does not
  use drop out. Market verdicts and value scores belong to the service and do not change.
  **Support** figures count only the unit's tickets (and its people, for tickets per user).
  A **block of hours** is one contract shared by every unit: its hours left and run-out date
  stay whole, and the unit's own use is stated beside them.

Every figure here comes from the analytics modules (costing, market, portfolio, support,
summary). The few numbers they do not provide are derived from their outputs and say so:
organisation-wide cost per person (total ÷ headcount ÷ 3), changes of organisation or unit
totals between quarters, a price gap as a percent of the offer, and the share of tickets
whose priority disagrees with the matrix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from . import charts, costing, market, portfolio, summary, support
from ._frames import MONTHS_PER_QUARTER, UNALLOCATED, quarter_end, ratio, shift_quarter, table
from .formatting import (
    MINUS,
    MISSING,
    fmt_change,
    fmt_count,
    fmt_date,
    fmt_hours,
    fmt_list,
    fmt_money,
    fmt_number,
    fmt_percent,
    fmt_points,
    is_missing,
)
from .model import Dataset
from .parse import quarter_label
from .schema import PRIORITY_LABELS, WORK_CLASSES

DeltaColor = Literal["normal", "inverse", "off"]
NO_COST_DATA = "no cost data"
NO_SUPPORT_DATA = "no support data"
NO_DATA = "no data"
THIS_DATA = "this data"


# ---- the view models -------------------------------------------------------------------------

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


@dataclass(frozen=True, eq=False)
class OverviewView:
    """The landing page: one quarter at a glance.

    ``quarters``: every quarter with data, oldest first, for the selector (``quarter_labels``
    names them); ``business_units``: every unit, for the selector. ``services_table``: one row
    per service, largest cost first: Service, Users, Total cost, Cost per user per month, Best
    offer, Offer per user per month, In-house vs offer (like for like), Value score,
    Quadrant."""

    organization: str
    quarter: str | None
    quarter_label: str
    currency: str
    quarters: tuple[str, ...]
    quarter_labels: Mapping[str, str]
    business_units: tuple[str, ...]
    business_unit: str | None
    headlines: tuple[Headline, ...]
    sentences: tuple[str, ...]
    market_chart: go.Figure
    services_table: pd.DataFrame
    notes: tuple[str, ...]


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
    allocation_table: pd.DataFrame
    market_table: pd.DataFrame
    showback_chart: go.Figure
    showback_table: pd.DataFrame
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class CostValueView:
    """The cost-vs-value quadrants. ``table``: Service, Quadrant, What it suggests, Value
    score, Cost per user per month, Survey (the quarter the score comes from); services that
    cannot be placed are listed last with the reason. ``sentence``: the medians used."""

    quarter: str | None
    quarter_label: str
    currency: str
    business_unit: str | None
    chart: go.Figure
    table: pd.DataFrame
    sentence: str
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class SupportView:
    """Support: how proactive the work is, the work mix, blocks of hours, priorities and the
    service desk. ``period`` (``quarter`` / ``month``) is the step of the trend charts."""

    quarter: str | None
    quarter_label: str
    business_unit: str | None
    period: str
    headlines: tuple[Headline, ...]
    proactive_chart: go.Figure
    mix_chart: go.Figure
    block_charts: tuple[go.Figure, ...]
    block_table: pd.DataFrame
    priority_chart: go.Figure
    mismatch_table: pd.DataFrame
    mismatch_sentence: str
    desk_table: pd.DataFrame
    sentences: tuple[str, ...]
    notes: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class StoryStep:
    """One screen of the presentation (one slide of the deck): ``title`` is its one message
    as a full sentence, ``figure`` is sized for presenting (or None), ``bullets`` are at most
    three short supporting facts and ``notes`` the plain-English reading for speaker notes."""

    key: str
    title: str
    figure: go.Figure | None
    bullets: tuple[str, ...]
    notes: str


# ---- selectors -------------------------------------------------------------------------------

def quarter_options(dataset: Dataset) -> dict[str, str]:
    """Every quarter with data, oldest first (as ``Dataset.quarters``) -> how it is shown
    (the fiscal label when the organisation's year does not start in January)."""
    start = dataset.settings.fiscal_year_start
    return {q: quarter_label(q, start) for q in dataset.quarters}


def business_unit_options(dataset: Dataset) -> tuple[str, ...]:
    """Every business unit named in Usage or Support, alphabetically."""
    names: set[str] = set()
    for key in ("usage", "support"):
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
    """``quarter`` itself, or the latest quarter with cost data, or the latest with any."""
    if quarter:
        return quarter
    costs = table(dataset, "costs")["quarter"].dropna()
    if len(costs):
        return str(costs.max())
    quarters = dataset.quarters
    return quarters[-1] if quarters else None


# ---- the facts behind the views --------------------------------------------------------------

def _only_unit(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    return frame[frame["business_unit"].eq(unit).to_numpy(dtype=bool, na_value=False)]


def _row(frame: pd.DataFrame, column: str, value) -> pd.Series | None:
    """The first row where ``column`` equals ``value``, or None."""
    if value is None or frame.empty:
        return None
    hit = frame[frame[column].eq(value).to_numpy(dtype=bool, na_value=False)]
    return None if hit.empty else hit.iloc[0]


def _change_pct(now, before) -> float:
    """Relative change in percent (NaN without an earlier figure)."""
    if is_missing(now) or is_missing(before):
        return np.nan
    return float(ratio(float(now) - float(before), abs(float(before))) * 100)


# portfolio.cost_vs_value's columns, with the bubble sizes added
COST_VALUE_COLUMNS = ["quarter", "service", "value_score", "value_quarter",
                      "cost_per_user_month", "value_median", "cost_median", "high_value",
                      "high_cost", "quadrant", "suggestion", "status", "users", "total_cost"]


class _Facts:
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

    def _once(self, key: tuple, compute):
        """``compute()`` the first time ``key`` is asked for; the same result after."""
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

    def money(self, x, **kwargs) -> str:
        return fmt_money(x, self.currency, **kwargs)

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
            support=_only_unit(table(self.dataset, "support"), self.unit),
            usage=_only_unit(table(self.dataset, "usage"), self.unit))

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
        mine = _only_unit(mine, self.unit)[["service", "users", "cost"]]
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
            totals = _only_unit(self.showback_all, self.unit).groupby(
                "quarter", as_index=False)["cost"].sum().rename(columns={"cost": "total_cost"})
        people = support.headcount(self.unit_dataset).rename(columns={"users": "people"})
        out = totals.merge(people, on="quarter", how="left")
        return out.assign(cost_per_person_month=ratio(
            out["total_cost"], out["people"] * MONTHS_PER_QUARTER))

    @cached_property
    def cost_value(self) -> pd.DataFrame:
        """portfolio.cost_vs_value of the quarter with users and total_cost (the unit's, for a
        unit, whose unused services drop out)."""
        if not self.has_cost_data:
            return pd.DataFrame(columns=COST_VALUE_COLUMNS)
        placed = portfolio.cost_vs_value(self.dataset, self.quarter)
        sizes = self.services[["service", "users", "total_cost"]]
        how = "left" if self.unit is None else "inner"
        return placed.merge(sizes, on="service", how=how)

    # -- support
    def proactive(self, by: str = "quarter") -> pd.DataFrame:
        """support.proactive_share of the unit's tickets, up to the end of the quarter."""
        return self._once(("proactive", by), lambda: _up_to(
            support.proactive_share(self.unit_dataset, by=by), by, self.quarter))

    @property
    def proactive_now(self) -> pd.Series | None:
        """The quarter's proactive share row, when it has one."""
        now = _row(self.proactive("quarter"), "quarter", self.quarter)
        return None if now is None or is_missing(now.proactive_share_pct) else now

    @property
    def proactive_change_points(self) -> float:
        """The proactive share's change since the previous quarter, in percentage points."""
        share = self.proactive("quarter")
        now, before = self.proactive_now, _row(share, "quarter", self.previous)
        if now is None or before is None or is_missing(before.proactive_share_pct):
            return np.nan
        return float(now.proactive_share_pct - before.proactive_share_pct)

    def work_mix(self, by: str = "quarter") -> pd.DataFrame:
        return self._once(("work_mix", by), lambda: _up_to(
            support.work_mix(self.unit_dataset, by=by), by, self.quarter))

    def explanation(self, service: str) -> costing.CostExplanation:
        """costing.explain_cost of the service in the quarter."""
        return self._once(("explain", service),
                          lambda: costing.explain_cost(self.dataset, service, self.quarter))

    @cached_property
    def desk(self) -> pd.DataFrame:
        """support.service_desk of the unit's tickets, every quarter up to this one."""
        if not len(table(self.unit_dataset, "support")):
            return pd.DataFrame(columns=["quarter"])
        return _up_to(support.service_desk(self.unit_dataset), "quarter", self.quarter)

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


# ---- words -----------------------------------------------------------------------------------

def _more_or_less(pct: float) -> str:
    """``2.1% more than`` / ``3.0% less than`` / ``the same as``."""
    if is_missing(pct) or abs(pct) < 0.05:
        return "the same as"
    return f"{fmt_percent(abs(pct))} {'more' if pct > 0 else 'less'} than"


def _direction(points: float) -> str:
    """``up`` / ``down`` / ``level`` for a change in percentage points (within ± 1 point is
    level, as in the executive summary)."""
    if is_missing(points) or abs(points) <= summary.TREND_STEADY_POINTS:
        return "level"
    return "up" if points > 0 else "down"


def _versus_offer(difference: float, price: float, verdict: str) -> str:
    """``20% below`` / ``35% above`` / ``3.0 times`` / ``about the same``: the in-house
    like-for-like cost against an offer's price (``difference`` = in-house − offer; the gap as a
    percent of the offer's price)."""
    if verdict == "same":
        return "about the same"
    gap_pct = float(ratio(difference, price) * 100)
    if np.isnan(gap_pct):
        return MISSING
    if gap_pct < 0:
        return f"{fmt_percent(-gap_pct, 0)} below"
    if gap_pct < 100:
        return f"{fmt_percent(gap_pct, 0)} above"
    return f"{(gap_pct + 100) / 100:.1f} times"


def _market_sentence(row, currency: str) -> str:
    """'Email & Productivity costs $12.58 per user per month ($11.95 like for like), 20%
    below the $15 offer (Cloud email & productivity suite).'"""
    cost = fmt_money(row.cost_per_user_month, currency)
    like = fmt_money(row.comparable_cost_per_user_month, currency)
    text = f"{row.service} costs {cost} per user per month"
    if like != cost:
        text += f" ({like} like for like)"
    if is_missing(row.offer_price_per_user_month):
        return text + "."
    relation = _versus_offer(row.difference_per_user_month, row.offer_price_per_user_month,
                             row.verdict)
    relation = {"about the same": "about the same as", MISSING: "against"}.get(relation,
                                                                               relation)
    price = fmt_money(row.offer_price_per_user_month, currency, trim=True)
    name = str(row.best_offer)
    # "the $80 offer (Cloud CRM (Professional))" reads badly: a name with brackets follows a
    # colon instead
    named = f": {name}" if "(" in name else f" ({name})"
    return f"{text}, {relation} the {price} offer{named}."


def _per_user(value, status: str, currency: str) -> str:
    """Cost per user per month, or why there is none (never 0 or ∞)."""
    if status == costing.STATUS_OK:
        return fmt_money(value, currency)
    return {costing.STATUS_UNALLOCATED: "not allocated"}.get(status, status or MISSING)


def _gap_words(difference, verdict: str, currency: str) -> str:
    """In-house against an offer per user per month: ``$3.05 cheaper in-house``."""
    if verdict == "cheaper":
        return f"{fmt_money(-difference, currency)} cheaper in-house"
    if verdict == "dearer":
        return f"{fmt_money(difference, currency)} dearer in-house"
    if verdict == "same":
        return "about the same"
    return MISSING


def _yes(flag) -> bool:
    """A nullable boolean that is True (NA counts as no)."""
    return not is_missing(flag) and bool(flag)


def _text(value) -> str:
    return MISSING if is_missing(value) else str(value)


def _display(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    """A display table: text cells, these columns in this order (also when there are no
    rows)."""
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype("str") if len(frame) else frame


# ---- overview --------------------------------------------------------------------------------

def overview(dataset: Dataset, quarter: str | None = None,
             business_unit: str | None = None) -> OverviewView:
    """The landing page for one quarter (default: the latest with cost data)."""
    return _overview(_Facts(dataset, quarter, business_unit))


def _overview(f: _Facts) -> OverviewView:
    options = quarter_options(f.dataset)
    return OverviewView(
        organization=f.settings.organization,
        quarter=f.quarter,
        quarter_label=f.shown_quarter,
        currency=f.currency,
        quarters=tuple(options),
        quarter_labels=options,
        business_units=business_unit_options(f.dataset),
        business_unit=f.unit,
        headlines=(*_cost_headlines(f), *_market_headlines(f), _proactive_headline(f),
                   _block_headline(f)),
        sentences=(*_market_sentences(f), *_quadrant_sentences(f)),
        market_chart=_market_chart(f),
        services_table=_services_table(f),
        notes=_overview_notes(f),
    )


PER_USER_LABEL = "IT cost per user per month"


def _cost_headlines(f: _Facts) -> list[Headline]:
    """Total IT cost and IT cost per user (person) per month, each against the previous
    quarter."""
    by_quarter = f.cost_by_quarter
    now = _row(by_quarter, "quarter", f.quarter)
    before = _row(by_quarter, "quarter", f.previous)
    total_label = "Total IT cost" if f.unit is None else f"IT cost of {f.unit}"
    if now is None:
        why = f"No cost lines for {f.quarter_label}." if f.quarter else "No cost data loaded."
        return [Headline(total_label, NO_COST_DATA, sentence=why),
                Headline(PER_USER_LABEL, NO_COST_DATA, sentence=why)]
    total_change = _change_pct(now.total_cost, before.total_cost if before is not None else None)
    if f.unit is None:
        said = f"{f.who} spent {f.money(now.total_cost)} on IT in {f.quarter_label}"
    else:
        said = f"{f.unit}'s share of IT cost in {f.quarter_label} was {f.money(now.total_cost)}"
    if before is not None:
        said += f", {_more_or_less(total_change)} in {f.label(f.previous)}"
    said += "."
    if f.unit is not None:
        said += " Each service's cost is split by the unit's share of its users."
    total = Headline(total_label, f.money(now.total_cost), _delta(fmt_change(total_change)),
                     "inverse", said)

    per_person = now.cost_per_person_month
    if is_missing(per_person):
        per = Headline(PER_USER_LABEL, "no usage data",
                       sentence="No Usage rows to count people by in " + f.quarter_label + ".")
    else:
        change = _change_pct(per_person,
                             before.cost_per_person_month if before is not None else None)
        whose = "All IT cost" if f.unit is None else f"{f.unit}'s IT cost"
        per = Headline(
            PER_USER_LABEL, f.money(per_person), _delta(fmt_change(change)), "inverse",
            f"{whose} ({f.money(now.total_cost)}) ÷ {fmt_number(now.people)} users ÷ 3 "
            "months. Users here are people: the headcount, taken as the largest user count of "
            f"any service in {f.quarter_label}.")
    return [total, per]


def _delta(text: str) -> str | None:
    return None if text == MISSING else text


def _compared(f: _Facts) -> pd.DataFrame:
    """Services with an applicable, priced offer (and an in-house cost per user)."""
    s = f.services
    return s[s["verdict"].isin(["cheaper", "dearer", "same"])]


def _market_headlines(f: _Facts) -> list[Headline]:
    compared = _compared(f)
    if compared.empty:
        why = ("No market offer applies to a service with users in " + f.quarter_label
               + ": add offers in the Market sheet." if f.has_cost_data else
               "No cost data to compare with market offers.")
        return [Headline("Compared with the market", "no offers" if f.has_cost_data
                         else NO_COST_DATA, sentence=why)]
    n = len(compared)
    cheaper = compared[compared["verdict"] == "cheaper"]
    dearer = compared[compared["verdict"] == "dearer"]
    cheaper_text = (f"{fmt_list(cheaper['service'])} cost less in-house than the cheapest "
                    "applicable offer, like for like." if len(cheaper)
                    else "No service costs less in-house than its cheapest offer.")
    if dearer.empty:
        dearer_text = "No service costs more in-house than its cheapest offer."
    else:
        dearer_text = (f"{fmt_list(dearer['service'])} cost more in-house than the cheapest "
                       "applicable offer, like for like")
        yearly = dearer["difference_per_year"].sum(min_count=1)  # blank for a unit
        if not is_missing(yearly):
            dearer_text += f"; buying them instead would save {f.money(yearly)} a year"
        dearer_text += "."
    return [Headline("Cheaper in-house than the market", f"{len(cheaper)} of {n}",
                     sentence=cheaper_text),
            Headline("Dearer in-house than the market", f"{len(dearer)} of {n}",
                     sentence=dearer_text)]


def _basis_words(basis: str) -> str:
    return "tickets (no hours recorded)" if basis == "tickets" else "hours"


def _proactive_headline(f: _Facts) -> Headline:
    now = f.proactive_now
    if now is None:
        whose = f" for {f.unit}" if f.unit else ""
        return Headline("Proactive share", NO_SUPPORT_DATA,
                        sentence=f"No proactive or reactive support work{whose} in "
                                 f"{f.quarter_label}.")
    return Headline("Proactive share", fmt_percent(now.proactive_share_pct),
                    _delta(fmt_points(f.proactive_change_points)), "normal",
                    _proactive_sentence(f))


def _proactive_sentence(f: _Facts) -> str:
    """'Proactive work was 56.8% of proactive + reactive hours in 2026-Q3, up from 24.3% in
    2024-Q4.' (empty without a share this quarter)"""
    now, share = f.proactive_now, f.proactive("quarter")
    if now is None:
        return ""
    whose = f" for {f.unit}" if f.unit else ""
    text = (f"Proactive work{whose} was {fmt_percent(now.proactive_share_pct)} of proactive + "
            f"reactive {_basis_words(now.basis)} in {f.quarter_label}")
    known = share[share["proactive_share_pct"].notna()]
    first = known.iloc[0] if len(known) else None
    if first is not None and first.quarter != now.quarter:
        way = _direction(now.proactive_share_pct - first.proactive_share_pct)
        how = {"up": "up from", "down": "down from", "level": "about level with"}[way]
        text += f", {how} {fmt_percent(first.proactive_share_pct)} in {f.label(first.quarter)}"
    return text + "."


def _block_sentence(f: _Facts, b: pd.Series) -> str:
    """'2026-27 support block: 449 of 1,000 hours used (44.9%) as of 30 Sep 2026; at 4.9 hours
    a day it runs out about 20 Jan 2027, before the block ends on 30 Jun 2027.'"""
    text = (f"{b.block}: {fmt_hours(b.used_hours)} of {fmt_hours(b.purchased_hours)} used "
            f"({fmt_percent(b.used_pct)})")
    if not is_missing(b.as_of):
        text += f" as of {fmt_date(b.as_of)}"
    if b.overrun_hours > 0:
        text += f", overrun by {fmt_hours(b.overrun_hours)}"
    if b.runout_basis == "actual":
        text += f"; the hours ran out on {fmt_date(b.runout_date)}"
    elif b.runout_basis == "projected":
        text += (f"; at {fmt_number(b.burn_rate_hours_per_day, 1)} hours a day it runs out "
                 f"about {fmt_date(b.runout_date)}")
        if _yes(b.runs_out_before_end):
            text += f", before the block ends on {fmt_date(b.end)}"
    text += "."
    if b.warning != "none":
        text += f" Warning: {b.warning}% used."
    if f.unit is not None and b.block in f.unit_block_hours:
        text += (f" {f.unit}'s tickets used {fmt_hours(f.unit_block_hours[b.block])} of it "
                 "(the block is shared by every unit).")
    return text


def _block_headline(f: _Facts) -> Headline:
    b = f.current_block
    if b is None:
        why = ("No block of support hours in this data." if f.blocks.empty else
               f"No block of support hours had started by the end of {f.quarter_label}.")
        return Headline("Block of hours", "no block", sentence=why)
    delta, arrow = None, "auto"
    if b.runout_basis in ("projected", "actual"):
        verb = "runs out" if b.runout_basis == "projected" else "ran out"
        delta, arrow = f"{verb} {fmt_date(b.runout_date)}", "off"
    value = (f"{fmt_hours(b.remaining_hours)} left" if b.overrun_hours <= 0
             else f"{fmt_hours(b.overrun_hours)} over")
    return Headline(f"Hours left: {b.block}", value, delta, "off", _block_sentence(f, b), arrow)


def _market_sentences(f: _Facts) -> list[str]:
    """One sentence per service with an offer, largest cost first."""
    return [_market_sentence(r, f.currency) for r in _compared(f).itertuples(index=False)]


def _quadrant_sentences(f: _Facts) -> list[str]:
    """'Invest (high value, low cost per user): Email & Productivity, Payroll and …'."""
    placed = f.services[f.services["quadrant"].notna()]
    meaning = {portfolio.INVEST: "high value, low cost per user",
               portfolio.OPTIMIZE: "high value, high cost per user",
               portfolio.TOLERATE: "low value, low cost per user",
               portfolio.REPLACE: "low value, high cost per user"}
    return [f"{q} ({meaning[q]}): {fmt_list(placed.loc[placed['quadrant'] == q, 'service'])}."
            for q in portfolio.QUADRANTS if (placed["quadrant"] == q).any()]


def _market_title(f: _Facts) -> str:
    """The market chart's message: how many services cost more in-house than an offer."""
    compared = _compared(f)
    if compared.empty:
        return f"Cost per user per month in {f.quarter_label}"
    dearer = compared[compared["verdict"] == "dearer"]
    if dearer.empty:
        return (f"All {len(compared)} services with a market offer cost less in-house (or "
                "about the same)")
    title = (f"{len(dearer)} of {len(compared)} services cost more in-house than the cheapest "
             "market offer")
    yearly = dearer["difference_per_year"].sum(min_count=1)
    if not is_missing(yearly):
        title += f": {f.money(yearly)} a year in total"
    return title


def _market_chart(f: _Facts, presentation: bool = False) -> go.Figure:
    subtitle = (f"{f.quarter_label} · like for like: lines marked not comparable are left "
                "out" + (f" · {f.unit}'s services" if f.unit else ""))
    return charts.cost_per_user_vs_market(f.services, f.currency, title=_market_title(f),
                                          subtitle=subtitle, presentation=presentation)


LIKE_FOR_LIKE = ("Market comparisons use the like-for-like cost per user per month: cost lines "
                 "marked not comparable (e.g. storage above the offer's quota) are left out.")

SERVICES_COLUMNS = ["Service", "Users", "Total cost", "Cost per user per month", "Best offer",
                    "Offer per user per month", "In-house vs offer", "Value score",
                    "Quadrant"]


def _services_table(f: _Facts) -> pd.DataFrame:
    rows = [{
        "Service": r.service,
        "Users": fmt_number(r.users),
        "Total cost": f.money(r.total_cost),
        "Cost per user per month": _per_user(r.cost_per_user_month, r.status, f.currency),
        "Best offer": _text(r.best_offer),
        "Offer per user per month": f.money(r.offer_price_per_user_month),
        "In-house vs offer": _gap_words(r.difference_per_user_month, r.verdict, f.currency),
        "Value score": fmt_number(r.value_score),
        "Quadrant": _text(r.quadrant),
    } for r in f.services.itertuples(index=False)]
    return _display(rows, SERVICES_COLUMNS)


def _overview_notes(f: _Facts) -> tuple[str, ...]:
    notes = list(f.executive_summary.notes) if f.executive_summary is not None else []
    if f.unit is not None:
        notes.insert(0, f"Cost figures are {f.unit}'s showback: its share of each service's "
                        "cost, in proportion to its users of the service. Cost per user per "
                        "month is the service's own. Support figures count only its tickets.")
    if len(_compared(f)):
        notes.append(LIKE_FOR_LIKE)
    return tuple(notes)


# ---- one service -----------------------------------------------------------------------------

METHOD_WORDS = {
    "direct": "its own line", "users": "shared by users", "cost": "shared by direct cost",
    "even": "shared evenly", "tickets": "shared by tickets", "hours": "shared by support hours",
    "unallocated": "not allocated",
}

ALLOCATION_COLUMNS = ["Cost line", "Cost pool", "How it reaches the service", "Line amount",
                      "Share", "Amount", "% of service cost", "Per user per month",
                      "In market comparison", "File", "Sheet", "Row"]
MARKET_COLUMNS = ["Offer", "Price per user per month", "In-house like for like",
                  "Difference per user per month", "Buying it, a year", "Availability",
                  "Storage", "Support response", "Includes", "Source", "Price checked"]
SHOWBACK_COLUMNS = ["Business unit", "Users", "Share", "Cost"]


def service_detail(dataset: Dataset, quarter: str | None = None, service: str | None = None,
                   business_unit: str | None = None) -> ServiceView:
    """One service in one quarter. ``service`` None (or not in the data) -> the service with
    the largest cost; the notes say when the asked-for one was not found."""
    f = _Facts(dataset, quarter, business_unit)
    names = service_options(dataset)
    notes = []
    if service is not None and service not in names:
        notes.append(f"{service} is not in this data; showing another service.")
        service = None
    if service is None:
        ranked = [s for s in f.services["service"] if s != UNALLOCATED]
        service = ranked[0] if ranked else (names[0] if names else None)
    row = _row(f.services, "service", service)
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
        notes=tuple(notes),
    )


def _offers(f: _Facts, service: str | None) -> pd.DataFrame:
    """market.compare_offers rows of this service (applicable offers only)."""
    if not f.has_cost_data or service is None:
        return pd.DataFrame()
    offers = market.compare_offers(f.dataset, f.quarter)
    return offers[offers["service"] == service].reset_index(drop=True)


def _qoq(trend: pd.DataFrame, quarter: str | None) -> float:
    """costing.cost_trend's quarter-on-quarter change (%) in ``quarter``."""
    row = _row(trend, "quarter", quarter) if len(trend) else None
    return np.nan if row is None else row.qoq_pct


def _service_headlines(f: _Facts, service: str | None, row: pd.Series | None,
                       trend: pd.DataFrame) -> list[Headline]:
    if row is None:
        why = (f"{service} has no cost lines or users in {f.quarter_label}." if service
               else "No services in this data.")
        return [Headline("Cost per user per month", NO_COST_DATA, sentence=why)]
    if row.status == costing.STATUS_OK:
        how = (f"Total cost {f.money(row.total_cost)} ÷ {fmt_number(row.users)} users ÷ 3 "
               "months.")
    elif row.status == costing.STATUS_NO_USAGE:
        how = f"{service} has cost but no Usage rows in {f.quarter_label}: no usage data."
    else:
        how = f"{service}: {row.status} in {f.quarter_label}."
    whose_total = "Total cost" if f.unit is None else f"Cost to {f.unit}"
    headlines = [
        Headline("Cost per user per month",
                 _per_user(row.cost_per_user_month, row.status, f.currency),
                 _delta(fmt_change(_qoq(trend, f.quarter))), "inverse", how),
        Headline(whose_total, f.money(row.total_cost), _delta(fmt_change(
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
            _versus_offer(row.difference_per_user_month, row.offer_price_per_user_month,
                          row.verdict),
            sentence=_market_sentence(row, f.currency)))
    if not is_missing(row.value_score):
        headlines.append(Headline(
            "Value score", f"{fmt_number(row.value_score)} of 100",
            sentence=(f"Quadrant: {row.quadrant}. {row.suggestion}"
                      if isinstance(row.quadrant, str) else "Not placed in a quadrant.")))
    return headlines


def _service_total_change(f: _Facts, service: str | None) -> float:
    """The change in the service's total cost (the unit's share, for a unit) since the
    previous quarter, in percent."""
    if f.unit is None:
        trend = costing.cost_trend(f.dataset, "total_cost", service)
        return _qoq(trend, f.quarter)
    mine = _only_unit(f.showback_all, f.unit)
    mine = mine[mine["service"] == service]
    now, before = _row(mine, "quarter", f.quarter), _row(mine, "quarter", f.previous)
    return _change_pct(now.cost if now is not None else None,
                       before.cost if before is not None else None)


def _service_sentence(f: _Facts, service: str | None, row: pd.Series | None) -> str:
    """What the service costs and its largest parts, from the allocation lines."""
    if row is None or service is None:
        return f"No cost data for {service or 'any service'} in {f.quarter_label}."
    lines = f.explanation(service).lines
    text = f"{service} cost {f.money(row.total_cost)} in {f.quarter_label}"
    if f.unit is not None:
        text = f"{f.unit}'s share of {service} cost {f.money(row.total_cost)} in {f.quarter_label}"
    if row.status == costing.STATUS_OK:
        text += (f": {f.money(row.cost_per_user_month)} per user per month for "
                 f"{fmt_count(row.users, 'user')}")
    else:
        text += f" ({row.status})"
    parts = [f"{_line_name(r)} {f.money(r.amount)} ({fmt_percent(r.pct_of_total, 0)})"
             for r in lines.head(3).itertuples(index=False)]
    if parts:
        text += ". Largest parts of the service's cost: " + "; ".join(parts)
    return text + "."


def _line_label(r) -> str:
    """A cost line as the ledger names it: its note, else its cost pool."""
    return r.note if isinstance(r.note, str) and r.note else _text(r.cost_pool)


def _line_name(r) -> str:
    return _line_label(r) if r.method == "direct" else f"share of {_line_label(r)}"


def _trend_chart(f: _Facts, service: str | None, row: pd.Series | None,
                 trend: pd.DataFrame) -> go.Figure:
    has_offer = row is not None and not is_missing(row.offer_price_per_user_month)
    title = (_market_sentence(row, f.currency).rstrip(".") if has_offer
             else f"{service}: cost per user per month by quarter")
    return charts.cost_per_user_trend(
        trend, f.currency, service=service,
        offer_price=row.offer_price_per_user_month if has_offer else None,
        offer_name=row.best_offer if has_offer else None,
        fiscal_year_start=f.settings.fiscal_year_start, title=title)


def _pool_chart(f: _Facts, service: str | None) -> go.Figure:
    pools = costing.cost_by_pool(f.dataset) if f.has_any_cost_data else pd.DataFrame()
    if len(pools):
        pools = pools[(pools["service"] == service) & (pools["quarter"] <= f.quarter)]
    return charts.cost_by_pool(pools, f.currency,
                               fiscal_year_start=f.settings.fiscal_year_start,
                               title=f"{service}: cost by TBM cost pool per quarter",
                               subtitle="The whole service; shared lines keep their pool")


def _method_words(method: str, allocate_by) -> str:
    if method == "rule":
        return f"shared by the rule '{allocate_by}'"
    return METHOD_WORDS.get(method, method)


def _allocation_table(f: _Facts, service: str | None) -> pd.DataFrame:
    if not f.has_cost_data or service is None:
        return _display([], ALLOCATION_COLUMNS)
    lines = f.explanation(service).lines
    rows = [{
        "Cost line": _line_label(r),
        "Cost pool": _text(r.cost_pool),
        "How it reaches the service": _method_words(r.method, r.allocate_by),
        "Line amount": f.money(r.source_amount),
        "Share": fmt_percent(r.share * 100),
        "Amount": f.money(r.amount),
        "% of service cost": fmt_percent(r.pct_of_total),
        "Per user per month": f.money(r.per_user_month),
        "In market comparison": "yes" if r.comparable else "no",
        "File": _text(r.source_file).replace("\\", "/").rsplit("/", 1)[-1],
        "Sheet": _text(r.source_sheet),
        "Row": MISSING if is_missing(r.source_row) else str(int(r.source_row)),
    } for r in lines.itertuples(index=False)]
    return _display(rows, ALLOCATION_COLUMNS)


def _availability_words(target, offered, verdict: str) -> str:
    """'99.5% target vs 99.0% offered (offer lower)'."""
    if is_missing(target) and is_missing(offered):
        return MISSING
    text = f"{fmt_percent(target, 2)} target vs {fmt_percent(offered, 2)} offered"
    return text + (f" ({verdict})" if verdict in ("offer higher", "offer lower") else "")


def _market_table(f: _Facts, offers: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for r in offers.itertuples(index=False):  # a service has a handful of offers
        yearly = r.difference_per_year
        if f.unit is not None or is_missing(yearly):
            buying = MISSING
        elif yearly > 0:
            buying = f"would save {f.money(yearly)} ({fmt_number(r.users)} users)"
        else:
            buying = f"would cost {f.money(-yearly)} more ({fmt_number(r.users)} users)"
        rows.append({
            "Offer": _text(r.offer),
            "Price per user per month": f.money(r.price_per_user_month),
            "In-house like for like": f.money(r.internal_per_user_month),
            "Difference per user per month": _gap_words(r.difference_per_user_month,
                                                        r.verdict, f.currency),
            "Buying it, a year": buying,
            "Availability": _availability_words(r.availability_target, r.availability,
                                                r.availability_verdict),
            "Storage": MISSING if is_missing(r.storage_gb) else f"{fmt_number(r.storage_gb)} GB",
            "Support response": _text(r.support),
            "Includes": _text(r.includes),
            "Source": _text(r.source),
            "Price checked": fmt_date(r.as_of),
        })
    return _display(rows, MARKET_COLUMNS)


def _showback_table(f: _Facts, shown: pd.DataFrame) -> pd.DataFrame:
    rows = [{
        "Business unit": _text(r.business_unit),
        "Users": fmt_number(r.users) if r.basis == "users" else r.basis,
        "Share": fmt_percent(r.share_pct),
        "Cost": f.money(r.cost),
    } for r in shown.sort_values("cost", ascending=False).itertuples(index=False)]
    return _display(rows, SHOWBACK_COLUMNS)


# ---- cost vs value ---------------------------------------------------------------------------

VALUE_COLUMNS = ["Service", "Quadrant", "What it suggests", "Value score",
                 "Cost per user per month", "Survey"]


def cost_value(dataset: Dataset, quarter: str | None = None, business_unit: str | None = None,
               size_by: str = "users") -> CostValueView:
    """The quadrant chart and table. Bubbles are sized by users (``size_by="users"``) or total
    cost (``"cost"``); for a unit, its users or its share of the cost, and only the services it
    uses. Quadrants are split at the medians over every service, whatever the unit."""
    return _cost_value(_Facts(dataset, quarter, business_unit), size_by)


def _medians_sentence(f: _Facts, placed: pd.DataFrame) -> str:
    if placed.empty:
        return (f"No service has both a cost per user and a value score in {f.quarter_label}, "
                "so none can be placed.")
    cost_median = placed["cost_median"].dropna().iloc[0]
    value_median = placed["value_median"].dropna().iloc[0]
    return (f"The quadrants split at the medians of the {fmt_count(len(placed), 'service')} "
            f"placed in {f.quarter_label}: a value score of {fmt_number(value_median, 1)} out "
            f"of 100 and {f.money(cost_median)} per user per month. A score at or above the "
            "median counts as high value; a cost above the median counts as high cost.")


def _value_title(f: _Facts, placed: pd.DataFrame) -> str:
    counts = placed["quadrant"].value_counts()
    invest, replace = counts.get(portfolio.INVEST, 0), counts.get(portfolio.REPLACE, 0)
    if placed.empty:
        return f"Cost vs value, {f.quarter_label}"
    invest_verb = "is" if invest == 1 else "are"
    replace_verb = "is a candidate" if replace == 1 else "are candidates"
    return (f"{fmt_count(invest, 'service')} {invest_verb} worth investing in; "
            f"{fmt_count(replace, 'service')} {replace_verb} to replace or retire")


def _value_chart(f: _Facts, size_by: str, presentation: bool = False) -> go.Figure:
    placed = f.cost_value[f.cost_value["quadrant"].notna()]
    sized = "users" if size_by == "users" else "total cost"
    return charts.cost_vs_value(
        f.cost_value, f.currency, size_by=size_by, title=_value_title(f, placed),
        subtitle=f"{f.quarter_label} · bubble size: {sized}"
                 + (f" of {f.unit}" if f.unit else ""),
        presentation=presentation)


def _cost_value(f: _Facts, size_by: str) -> CostValueView:
    frame = f.cost_value
    placed = frame[frame["quadrant"].notna()]
    order = {q: i for i, q in enumerate(portfolio.QUADRANTS)}
    ranked = frame.assign(_q=frame["quadrant"].map(order).fillna(len(order))).sort_values(
        ["_q", "value_score"], ascending=[True, False]) if len(frame) else frame
    rows = [{
        "Service": r.service,
        "Quadrant": r.quadrant if isinstance(r.quadrant, str) else f"not placed: {r.status}",
        "What it suggests": _text(r.suggestion),
        "Value score": fmt_number(r.value_score),
        "Cost per user per month": f.money(r.cost_per_user_month, missing=r.status),
        "Survey": f.label(r.value_quarter) if isinstance(r.value_quarter, str) else MISSING,
    } for r in ranked.itertuples(index=False)]
    notes = []
    carried = placed[placed["value_quarter"].ne(f.quarter).to_numpy(dtype=bool,
                                                                    na_value=False)]
    if len(carried):
        notes.append(f"{fmt_list(carried['service'])}: no survey in {f.quarter_label}; the "
                     "latest earlier score is used.")
    if f.unit is not None:
        notes.append(f"Only the services {f.unit} uses; the quadrants are split at the medians "
                     "over every service.")
    return CostValueView(
        quarter=f.quarter, quarter_label=f.shown_quarter, currency=f.currency,
        business_unit=f.unit, chart=_value_chart(f, size_by),
        table=_display(rows, VALUE_COLUMNS), sentence=_medians_sentence(f, placed),
        notes=tuple(notes))


# ---- support ---------------------------------------------------------------------------------

BLOCK_COLUMNS = ["Block", "Vendor", "Runs", "Purchased", "Used", "Left", "Used %", "Warning",
                 "Burn rate", "Runs out", "Reactive", "Proactive", "Routine"]
MISMATCH_COLUMNS = ["Impact", "Urgency", "Matrix gives", "Recorded as", "Tickets"]
PRIORITY_MEDIAN_COLUMNS = [f"P{p} median" for p in range(1, 6)]
DESK_COLUMNS = ["Quarter", "Tickets", "Tickets per user per month", "Resolved",
                "Median hours to resolve", *PRIORITY_MEDIAN_COLUMNS, "Backlog at quarter end",
                "Satisfaction"]
LEVEL_WORDS = charts.IMPACT_LABELS  # impact and urgency levels, as the heatmap names them


def support_view(dataset: Dataset, quarter: str | None = None, business_unit: str | None = None,
                 period: str = "quarter") -> SupportView:
    """Support figures for one quarter; the trend charts by ``period`` (``quarter`` or
    ``month``) up to the end of the quarter."""
    if period not in ("quarter", "month"):
        raise ValueError(f"period must be 'quarter' or 'month', not {period!r}")
    f = _Facts(dataset, quarter, business_unit)
    matrix = support.priority_matrix(f.unit_dataset, f.quarter)
    mismatches = support.priority_mismatches(f.unit_dataset, f.quarter)
    notes = []
    if f.unit is not None:
        notes.append(f"Only {f.unit}'s tickets. Blocks of hours are shared by every unit: they "
                     f"are shown whole, with {f.unit}'s own use in the table.")
    return SupportView(
        quarter=f.quarter, quarter_label=f.shown_quarter, business_unit=f.unit, period=period,
        headlines=tuple(_support_headlines(f)),
        proactive_chart=_proactive_chart(f, period),
        mix_chart=_mix_chart(f, period),
        block_charts=tuple(_block_chart(f, name) for name in f.block_histories),
        block_table=_block_table(f),
        priority_chart=charts.priority_heatmap(
            matrix, title=f"Tickets by impact and urgency, {f.quarter_label}"),
        mismatch_table=_mismatch_table(mismatches),
        mismatch_sentence=_mismatch_sentence(f, matrix, mismatches),
        desk_table=_desk_table(f),
        sentences=tuple(_support_sentences(f)),
        notes=tuple(notes),
    )


def _support_headlines(f: _Facts) -> list[Headline]:
    desk = f.desk
    now, before = _row(desk, "quarter", f.quarter), _row(desk, "quarter", f.previous)
    headlines = [_proactive_headline(f)]
    if now is None or not now.tickets:
        whose = f" for {f.unit}" if f.unit else ""
        return [*headlines, Headline("Tickets", "0", sentence=f"No tickets{whose} in "
                                                                f"{f.quarter_label}.")]

    def change(column):
        return _delta(fmt_change(_change_pct(now[column], before[column]
                                             if before is not None else None)))

    headlines += [
        Headline("Tickets", fmt_number(now.tickets), change("tickets"), "inverse",
                 f"Tickets opened in {f.quarter_label}."),
        Headline("Tickets per user per month",
                 fmt_number(now.tickets_per_user_month, 2, missing="no usage data"),
                 change("tickets_per_user_month"), "inverse",
                 f"{fmt_number(now.tickets)} tickets ÷ {fmt_number(now.users)} people ÷ 3 "
                 "months." if not is_missing(now.users) else "No Usage rows to count people."),
        Headline("Median time to resolve", fmt_hours(now.median_resolve_hours),
                 change("median_resolve_hours"), "inverse",
                 f"Median hours from opened to resolved, of the {fmt_number(now.resolved)} "
                 f"tickets resolved in {f.quarter_label}."),
        Headline("Backlog at quarter end", fmt_number(now.backlog), change("backlog"),
                 "inverse", f"Tickets still open at the end of {f.quarter_label}."),
    ]
    if now.satisfaction_responses:
        points = (now.satisfaction_pct - before.satisfaction_pct if before is not None
                  else np.nan)
        headlines.append(Headline(
            "Satisfaction", fmt_percent(now.satisfaction_pct), _delta(fmt_points(points)),
            "normal", "Mean satisfaction (0–100) of "
                      f"{fmt_count(now.satisfaction_responses, 'response')}."))
    return headlines


def _proactive_chart(f: _Facts, period: str, presentation: bool = False) -> go.Figure:
    title = _proactive_sentence(f).rstrip(".") or "Proactive share of support work"
    return charts.proactive_trend(
        f.proactive(period), by=period, fiscal_year_start=f.settings.fiscal_year_start, title=title,
        subtitle="Proactive ÷ (proactive + reactive); routine requests are not in the share",
        presentation=presentation)


def _mix_chart(f: _Facts, period: str) -> go.Figure:
    mix = f.work_mix(period)
    measure = "hours" if len(mix) and mix["hours"].sum() > 0 else "tickets"
    whose = f" for {f.unit}" if f.unit else ""
    return charts.work_mix(mix, by=period, measure=measure,
                           fiscal_year_start=f.settings.fiscal_year_start,
                           title=f"Support work{whose} by class ({measure})")


def _block_message(b: pd.Series) -> str:
    """A block's one message: '2026-27 support block is 45% used and runs out about 20 Jan
    2027, before it ends on 30 Jun 2027'."""
    used = fmt_percent(b.used_pct, 0)
    if b.runout_basis == "actual":
        return f"{b.block} ran out on {fmt_date(b.runout_date)}"
    if not is_missing(b.end) and not is_missing(b.as_of) and b.end < b.as_of:
        return (f"{b.block} ended on {fmt_date(b.end)} with {fmt_hours(b.remaining_hours)} "
                f"unused ({used} used)")
    if b.runout_basis == "projected":
        text = f"{b.block} is {used} used and runs out about {fmt_date(b.runout_date)}"
        if _yes(b.runs_out_before_end):
            text += f", before it ends on {fmt_date(b.end)}"
        return text
    return f"{b.block} has {fmt_hours(b.remaining_hours)} left ({used} used)"


def _block_chart(f: _Facts, name: str, presentation: bool = False) -> go.Figure:
    now = _row(f.blocks, "block", name)
    subtitle = f"{fmt_percent(now.used_pct)} used as of {fmt_date(now.as_of)}"
    if now.runout_basis == "projected":
        subtitle += f"; projected at the pace of the last {support.BURN_WINDOW_DAYS} days"
    return charts.block_burndown(f.block_histories[name], now, title=_block_message(now),
                                 subtitle=subtitle, presentation=presentation)


def _block_table(f: _Facts) -> pd.DataFrame:
    columns = BLOCK_COLUMNS + ([f"Used by {f.unit}"] if f.unit else [])
    rows = []
    for b in f.blocks.itertuples(index=False):  # a handful of blocks
        row = {
            "Block": b.block,
            "Vendor": _text(b.vendor),
            "Runs": f"{fmt_date(b.start)} – {fmt_date(b.end)}",
            "Purchased": fmt_hours(b.purchased_hours),
            "Used": fmt_hours(b.used_hours),
            "Left": fmt_hours(b.remaining_hours) if b.overrun_hours <= 0
            else f"overrun {fmt_hours(b.overrun_hours)}",
            "Used %": fmt_percent(b.used_pct),
            "Warning": f"{b.warning}% used" if b.warning != "none" else "",
            "Burn rate": (MISSING if is_missing(b.burn_rate_hours_per_day)
                          else f"{fmt_number(b.burn_rate_hours_per_day, 1)} h a day"),
            "Runs out": (f"{fmt_date(b.runout_date)} ({b.runout_basis})"
                         if not is_missing(b.runout_date) else MISSING),
            "Reactive": fmt_hours(b.reactive_hours),
            "Proactive": fmt_hours(b.proactive_hours),
            "Routine": fmt_hours(b.routine_hours),
        }
        if f.unit:
            row[f"Used by {f.unit}"] = fmt_hours(f.unit_block_hours.get(b.block))
        rows.append(row)
    return _display(rows, columns)


def _priority_words(p) -> str:
    return PRIORITY_LABELS.get(int(p), str(p)) if not is_missing(p) else MISSING


def _mismatch_table(mismatches: pd.DataFrame) -> pd.DataFrame:
    rows = [{
        "Impact": LEVEL_WORDS.get(int(r.impact), str(r.impact)),
        "Urgency": LEVEL_WORDS.get(int(r.urgency), str(r.urgency)),
        "Matrix gives": _priority_words(r.matrix_priority),
        "Recorded as": _priority_words(r.recorded_priority),
        "Tickets": fmt_number(r.tickets),
    } for r in mismatches.itertuples(index=False)]
    return _display(rows, MISMATCH_COLUMNS)


def _mismatch_sentence(f: _Facts, matrix: pd.DataFrame, mismatches: pd.DataFrame) -> str:
    recorded, wrong = int(matrix["recorded"].sum()), int(mismatches["tickets"].sum())
    if not recorded:
        return f"No tickets with a recorded priority and impact × urgency in {f.quarter_label}."
    if not wrong:
        return (f"All {fmt_count(recorded, 'ticket')} with a recorded priority in "
                f"{f.quarter_label} match the impact × urgency matrix.")
    top = mismatches.iloc[0]
    return (f"{fmt_number(wrong)} of {fmt_count(recorded, 'ticket')} "
            f"({fmt_percent(wrong / recorded * 100)}) in {f.quarter_label} have a recorded "
            "priority that differs from the impact × urgency matrix. Most often: impact "
            f"{LEVEL_WORDS[int(top.impact)]} × urgency {LEVEL_WORDS[int(top.urgency)]} gives "
            f"{_priority_words(top.matrix_priority)} but was recorded as "
            f"{_priority_words(top.recorded_priority)} ({fmt_count(top.tickets, 'ticket')}).")


def _desk_table(f: _Facts) -> pd.DataFrame:
    desk = f.desk
    if "tickets" in desk:
        desk = desk[desk["tickets"] > 0]
    rows = [{
        "Quarter": f.label(r["quarter"]),
        "Tickets": fmt_number(r["tickets"]),
        "Tickets per user per month": fmt_number(r["tickets_per_user_month"], 2),
        "Resolved": fmt_number(r["resolved"]),
        "Median hours to resolve": fmt_hours(r["median_resolve_hours"]),
        **{f"P{p} median": fmt_hours(r[f"median_resolve_hours_p{p}"]) for p in range(1, 6)},
        "Backlog at quarter end": fmt_number(r["backlog"]),
        "Satisfaction": fmt_percent(r["satisfaction_pct"]),
    } for _, r in desk.iloc[::-1].iterrows()]  # newest first; a row per quarter
    return _display(rows, DESK_COLUMNS)


def _support_sentences(f: _Facts, *, proactive: bool = True,
                       block: bool = True) -> list[str]:
    out = []
    if proactive and f.proactive_now is not None:
        out.append(_proactive_sentence(f))
    mix = f.work_mix("quarter")
    mix = mix[mix["quarter"] == f.quarter] if len(mix) else mix
    if len(mix) and mix["tickets"].sum():
        by_class = mix.set_index("work_class")
        out.append(f"Routine requests were {fmt_percent(by_class.at['routine', 'tickets_pct'])} "
                   f"of tickets in {f.quarter_label}; routine work is shown but not counted in "
                   "the proactive share.")
        unclassified = by_class.at["unclassified", "tickets"]
        if unclassified:
            out.append(f"{fmt_count(unclassified, 'ticket')} had a work type that maps to no "
                       "class: extend the Work types sheet to classify them.")
    p1 = support.p1_share(f.unit_dataset, f.quarter) if f.quarter else pd.DataFrame()
    if len(p1) and p1["prioritised"].sum():
        parts = [f"{fmt_percent(r.p1_share_pct)} of {r.facing} tickets"
                 for r in p1.itertuples(index=False) if r.prioritised]
        out.append(f"P1 (critical) share in {f.quarter_label}: " + " and ".join(parts) + ".")
    if block and f.current_block is not None:
        out.append(_block_sentence(f, f.current_block))
    return out


# ---- the story -------------------------------------------------------------------------------

def story(dataset: Dataset, quarter: str | None = None,
          business_unit: str | None = None) -> tuple[StoryStep, ...]:
    """The presentation and the deck, one message per step, in this order: headline -> cost
    per user vs market -> cost vs value -> support trend -> block of hours. A step with no data
    behind it is left out (the headline always stays); figures are sized for presenting."""
    f = _Facts(dataset, quarter, business_unit)
    steps = [_headline_step(f), _market_step(f), _value_step(f), _support_step(f),
             _block_step(f)]
    return tuple(s for s in steps if s is not None)


def _headline_step(f: _Facts) -> StoryStep:
    total, per_person = _cost_headlines(f)[:2]
    now = _row(f.cost_by_quarter, "quarter", f.quarter)
    figure = None
    if now is None:
        title = f"{f.who}: no cost data" + (f" for {f.quarter_label}" if f.quarter else "")
    else:
        spent = (f"{f.who} spent {total.value} on IT" if f.unit is None
                 else f"{f.unit}'s share of IT cost was {total.value}")
        title = f"{spent} in {f.quarter_label}"
        if not is_missing(now.cost_per_person_month):
            title += f": {per_person.value} per user per month"
        if f.unit is None:  # cost pools are the organisation's; a unit has no pool split
            pools = costing.cost_by_pool(f.dataset)
            figure = charts.cost_by_pool(
                pools[pools["quarter"] <= f.quarter], f.currency,
                fiscal_year_start=f.settings.fiscal_year_start,
                title="Where the money goes: cost by TBM cost pool per quarter",
                presentation=True)
    market_lines = _market_headlines(f)
    proactive = _proactive_headline(f)
    # the total, the market line that calls for action (dearer in-house), and support
    bullets = [_bullet(h, f.label(f.previous)) for h in (total, market_lines[-1], proactive)
               if h.value not in (NO_COST_DATA, NO_SUPPORT_DATA, "no offers")]
    notes = [total.sentence, per_person.sentence, *(h.sentence for h in market_lines),
             proactive.sentence]
    return StoryStep("headline", title + ".", figure, tuple(bullets[:3]), " ".join(notes))


def _bullet(h: Headline, since: str) -> str:
    """A headline as a short fact: 'Total IT cost: $796,153 (+2.0% on 2026-Q2)'."""
    text = f"{h.label}: {h.value}"
    if h.delta and h.delta_arrow != "off":
        # back to the typographic minus the rest of the text uses (Headline keeps "-" for
        # st.metric)
        delta = MINUS + h.delta[1:] if h.delta.startswith("-") else h.delta
        text += f" ({delta} on {since})"
    elif h.delta:
        text += f", {h.delta}"
    return text


def _market_step(f: _Facts) -> StoryStep | None:
    compared = _compared(f)
    if compared.empty:
        return None
    sentences = [_market_sentence(r, f.currency) for r in compared.itertuples(index=False)]
    # the largest gaps in money (per user × users), either way, make the supporting facts
    gaps = compared["difference_per_user_month"].abs() * compared["users"].astype(float)
    largest = compared.iloc[np.argsort(-gaps.fillna(0).to_numpy(), kind="stable")[:3]]
    bullets = tuple(
        f"{r.service}: " + _versus_offer(r.difference_per_user_month,
                                         r.offer_price_per_user_month, r.verdict)
        + f" the {f.money(r.offer_price_per_user_month, trim=True)} offer"
        for r in largest.itertuples(index=False))
    return StoryStep("market", _market_title(f) + ".", _market_chart(f, presentation=True),
                     bullets, " ".join([*sentences, LIKE_FOR_LIKE]))


def _value_step(f: _Facts) -> StoryStep | None:
    placed = f.cost_value[f.cost_value["quadrant"].notna()]
    if placed.empty:
        return None
    order = [portfolio.INVEST, portfolio.REPLACE, portfolio.OPTIMIZE, portfolio.TOLERATE]
    present = [q for q in order if (placed["quadrant"] == q).any()]
    bullets = tuple(f"{q}: {fmt_list(placed.loc[placed['quadrant'] == q, 'service'])}"
                    for q in present[:3])
    suggestions = [f"{q}: {portfolio.SUGGESTIONS[q]}" for q in present]
    return StoryStep("value", _value_title(f, placed) + ".",
                     _value_chart(f, "users", presentation=True), bullets,
                     " ".join([_medians_sentence(f, placed), *_quadrant_sentences(f),
                               *suggestions]))


def _support_step(f: _Facts) -> StoryStep | None:
    if f.proactive_now is None:
        return None
    sentence = _proactive_sentence(f)
    wanted = ("Proactive share", "Tickets per user per month", "Satisfaction",
              "Median time to resolve")
    headlines = {h.label: h for h in _support_headlines(f)}
    bullets = [_bullet(headlines[k], f.label(f.previous)) for k in wanted if k in headlines]
    facts = _support_sentences(f, proactive=False, block=False)
    return StoryStep("support", sentence, _proactive_chart(f, "quarter", presentation=True),
                     tuple(bullets[:3]), " ".join([sentence, *facts]))


def _block_step(f: _Facts) -> StoryStep | None:
    b = f.current_block
    if b is None:
        return None
    sentence = _block_sentence(f, b)
    title = f"The {_block_message(b)}"
    bullets = [f"{fmt_hours(b.used_hours)} of {fmt_hours(b.purchased_hours)} used"
               + (f" as of {fmt_date(b.as_of)}." if not is_missing(b.as_of) else ".")]
    if not is_missing(b.burn_rate_hours_per_day):
        bullets.append(f"Burning {fmt_number(b.burn_rate_hours_per_day, 1)} hours a day over "
                       f"the last {support.BURN_WINDOW_DAYS} days.")
    spent = [f"{fmt_hours(getattr(b, f'{c}_hours'))} {c}" for c in WORK_CLASSES
             if getattr(b, f"{c}_hours", 0) > 0]
    if spent:
        bullets.append("Spent on " + fmt_list(spent) + " work.")
    figure = (_block_chart(f, b.block, presentation=True) if b.block in f.block_histories
              else None)
    return StoryStep("block", title + ".", figure, tuple(bullets[:3]), sentence)
